import OnnxModel

extension ShapeRules {
    /// Vision ops beyond convolution: region pooling, sampling grids, box selection, and the
    /// ops whose output size depends on the data (said so with a data-dependent dim).
    static let detection: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        // NonMaxSuppression → int64 [selected, 3]; how many are selected is only known at run time.
        t["NonMaxSuppression"] = { c in c.set(0, .int64, [c.dataDependentDim(0), .value(3)]) }
        // RoiAlign(X [N, C, H, W], rois [R, 4], batch_indices [R]) → [R, C, out_h, out_w].
        t["RoiAlign"] = { c in
            guard let x = c.dims(0), x.count == 4 else { c.set(0, c.type(0), nil); return }
            let r = c.dims(1)?.first ?? .unknown
            c.set(0, c.type(0), [r, x[1], .value(c.int("output_height", 1)), .value(c.int("output_width", 1))])
        }
        t["MaxRoiPool"] = { c in
            guard let x = c.dims(0), x.count == 4, let p = c.ints("pooled_shape"), p.count == 2 else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), [c.dims(1)?.first ?? .unknown, x[1], .value(p[0]), .value(p[1])])
        }
        // GridSample(X [N, C, D1…], grid [N, D1_out…, r]) → [N, C, D1_out…].
        t["GridSample"] = { c in
            guard let x = c.dims(0), x.count >= 3, let g = c.dims(1), g.count == x.count else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), [x[0], x[1]] + Array(g[1..<(g.count - 1)]))
        }
        // AffineGrid(theta [N, r, r+1], size [N, C, D…]) → [N, D…, r].
        t["AffineGrid"] = { c in
            guard let size = c.values(1), size.count >= 4 else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), [size[0]] + Array(size[2...]) + [.value(Int64(size.count - 2))])
        }
        t["DeformConv"] = { c in conv(&c, data: 0, weight: 1, type: c.type(0)) }
        // Col2Im(input [N, C·∏block, L], image_shape, block_shape) → [N, C, image…].
        t["Col2Im"] = { c in
            guard let x = c.dims(0), x.count == 3, let image = c.values(1), let block = c.ints(2), !block.isEmpty else { c.set(0, c.type(0), nil); return }
            let area = block.reduce(Int64(1)) { $0.saturatingMultiply($1) }
            c.set(0, c.type(0), [x[0], SymbolicArithmetic.divide(x[1], .value(area))] + image)
        }
        t["CenterCropPad"] = { c in
            guard var x = c.dims(0), let shape = c.values(1) else { c.set(0, c.type(0), nil); return }
            let axes = c.ints("axes") ?? (0..<Int64(x.count)).map { $0 }
            guard axes.count == shape.count else { c.fail("shape and axes differ in length"); c.set(0, c.type(0), nil); return }
            for (k, a) in axes.enumerated() { if let i = c.axis(a, rank: x.count) { x[i] = shape[k] } }
            c.set(0, c.type(0), x)
        }
        // MaxUnpool(X, I, output_shape?) → output_shape, or (in−1)·stride + kernel − pads.
        t["MaxUnpool"] = { c in
            if c.hasInput(2), let shape = c.values(2) { c.set(0, c.type(0), shape); return }
            guard let x = c.dims(0), x.count >= 3, let k = c.ints("kernel_shape"), k.count == x.count - 2 else { c.set(0, c.type(0), nil); return }
            let w = Window(c, kernel: k)
            var out = Array(x[..<2])
            for i in 0..<k.count {
                guard let d = x[i + 2].intValue, let m = Checked.multiply(d - 1, w.strides[i]),
                      let v = Checked.sum(m, k[i], -w.pads[i], -w.pads[i + k.count]) else { out.append(.unknown); continue }
                out.append(.value(v))
            }
            c.set(0, c.type(0), out)
        }
        t["ReverseSequence"] = { c in c.set(0, c.type(0), c.dims(0)) }
        // Det(X [*, M, M]) → [*].
        t["Det"] = { c in c.set(0, c.type(0), c.dims(0).flatMap { $0.count >= 2 ? Array($0.dropLast(2)) : nil }) }
        // Unique: Y has a data-dependent length (flattened, or along `axis`); indices and counts too.
        t["Unique"] = { c in
            let n = c.dataDependentDim(0)
            var y: [Dimension]? = [n]
            if let a = c.int("axis"), var x = c.dims(0), let i = c.axis(a, rank: x.count) { x[i] = n; y = x }
            c.set(0, c.type(0), y)
            c.set(1, .int64, [n])
            if let x = c.dims(0) {
                let flat = c.int("axis") == nil ? SymbolicArithmetic.product(x) : (c.axis(c.int("axis", 0), rank: x.count).map { x[$0] } ?? .unknown)
                c.set(2, .int64, [flat])
            }
            c.set(3, .int64, [n])
        }
        // Strings.
        t["StringNormalizer"] = { c in c.set(0, .string, c.dims(0).map { d in d.count == 2 && d[0] == .value(1) ? [.value(1), c.dataDependentDim(0)] : [c.dataDependentDim(0)] }) }
        t["RegexFullMatch"] = { c in c.set(0, .bool, c.dims(0)) }
        t["StringConcat"] = { c in broadcast(&c, type: .string, inputs: [0, 1]) }
        t["StringSplit"] = { c in
            c.set(0, .string, c.dims(0).map { $0 + [c.dataDependentDim(0)] })
            c.set(1, .int64, c.dims(0))
        }
        return t
    }()
}
