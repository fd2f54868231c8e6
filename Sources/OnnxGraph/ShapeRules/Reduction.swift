import OnnxModel

extension ShapeRules {
    /// Reduce* (axes as attribute before opset 18 — 13 for ReduceSum — and as input after),
    /// ArgMax/ArgMin and TopK.
    static let reduction: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        for op in ["ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                   "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"] {
            t[op] = { c in
                let axesFromInput = op == "ReduceSum" ? c.opset >= 13 : c.opset >= 18
                var axes: [Int64]?
                if axesFromInput {
                    if c.hasInput(1) {
                        guard let a = c.ints(1) else { c.set(0, c.type(0), unknownRank(c.dims(0), keep: c.int("keepdims", 1) != 0)); return }
                        axes = a
                    }
                } else {
                    axes = c.ints("axes")
                }
                reduce(&c, axes: axes ?? [], keepDims: c.int("keepdims", 1) != 0,
                       noopWhenEmpty: axesFromInput && c.int("noop_with_empty_axes", 0) != 0, type: c.type(0))
            }
        }
        for op in ["ArgMax", "ArgMin"] {
            t[op] = { c in reduce(&c, axes: [c.int("axis", 0)], keepDims: c.int("keepdims", 1) != 0, noopWhenEmpty: false, type: .int64) }
        }
        t["TopK"] = { c in
            guard let x = c.dims(0), let axis = c.axis(c.int("axis", -1), rank: x.count) else {
                c.set(0, c.type(0), nil); c.set(1, .int64, nil); return
            }
            var out = x
            let k: Dimension = c.opset >= 10 ? (c.values(1)?.first ?? .unknown) : (c.int("k").map { .value($0) } ?? .unknown)
            out[axis] = k
            c.set(0, c.type(0), out)
            c.set(1, .int64, out)
        }
        return t
    }()

    /// With unknown axes, keepdims keeps the rank (all dims unknown); otherwise nothing is known.
    static func unknownRank(_ x: [Dimension]?, keep: Bool) -> [Dimension]? {
        guard keep, let x else { return nil }
        return Array(repeating: .unknown, count: x.count)
    }

    static func reduce(_ c: inout ShapeRuleContext, axes: [Int64], keepDims: Bool, noopWhenEmpty: Bool, type: DataType?) {
        guard let x = c.dims(0) else { c.set(0, type, nil); return }
        if axes.isEmpty && noopWhenEmpty { c.set(0, type, x); return }
        var reduced = Set<Int>()
        if axes.isEmpty { reduced = Set(x.indices) }
        for a in axes { if let i = c.axis(a, rank: x.count) { reduced.insert(i) } }
        var out: [Dimension] = []
        for (i, d) in x.enumerated() {
            if reduced.contains(i) { if keepDims { out.append(.value(1)) } } else { out.append(d) }
        }
        c.set(0, type, out)
    }
}

extension ShapeRules {
    /// Training losses some exports keep: per-element with `reduction = none`, else a scalar.
    static let losses: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        // NegativeLogLikelihoodLoss(input [N, C, d…], target [N, d…]).
        t["NegativeLogLikelihoodLoss"] = { c in
            c.set(0, c.type(0), (c.string("reduction") ?? "mean") == "none" ? c.dims(1) : [])
        }
        // SoftmaxCrossEntropyLoss(scores [N, C, d…], labels [N, d…]) → loss, log_prob [N, C, d…].
        t["SoftmaxCrossEntropyLoss"] = { c in
            c.set(0, c.type(0), (c.string("reduction") ?? "mean") == "none" ? c.dims(1) : [])
            c.set(1, c.type(0), c.dims(0))
        }
        // TfIdfVectorizer(X [C] or [N, C]) → float [max(ngram_indexes) + 1] (or [N, …]).
        t["TfIdfVectorizer"] = { c in
            let width: Dimension = (c.ints("ngram_indexes")?.max()).map { .value($0 + 1) } ?? .unknown
            c.set(0, .float, c.dims(0).map { $0.count == 2 ? [$0[0], width] : [width] })
        }
        // ImageDecoder(encoded bytes) → uint8 [H, W, C]; the size is in the image.
        t["ImageDecoder"] = { c in
            let channels: Dimension = (c.string("pixel_format") ?? "RGB") == "Grayscale" ? .value(1) : .value(3)
            c.set(0, .uint8, [c.dataDependentDim(0), .unknown, channels])
        }
        return t
    }()
}
