import OnnxModel

extension ShapeRules {
    /// Sequence and Optional ops. A sequence's facts are those of its elements (where they
    /// agree), marked ``ValueFacts/isSequence``; its length is not tracked.
    static let sequences: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["SequenceEmpty"] = { c in
            c.set(0, c.dataType("dtype") ?? .float, nil)
            c.markSequence(0)
        }
        t["SequenceConstruct"] = { c in
            let elements = c.node.inputs.indices.compactMap { c.input($0) }
            c.set(0, c.type(0), agreeing(elements.map(\.dims)))
            c.markSequence(0)
        }
        t["SequenceInsert"] = { c in
            // An empty sequence knows no dims: the inserted tensor's then stand for all.
            let seq = c.input(0)
            let dims = seq?.dims == nil ? c.dims(1) : agreeing([seq?.dims, c.dims(1)])
            c.set(0, seq?.elementType ?? c.type(1), dims)
            c.markSequence(0)
        }
        t["SequenceErase"] = { c in
            c.set(0, c.type(0), c.dims(0))
            c.markSequence(0)
        }
        t["SequenceAt"] = { c in c.set(0, c.type(0), c.dims(0)) }
        t["SequenceLength"] = { c in c.set(0, .int64, []) }
        // SplitToSequence(input, split?): equal chunks of `split` (scalar) or 1 without it
        // (keepdims = 0 then drops the axis); a split vector gives chunks of different sizes.
        t["SplitToSequence"] = { c in
            guard var x = c.dims(0), let axis = c.axis(c.int("axis", 0), rank: x.count) else { c.set(0, c.type(0), nil); c.markSequence(0); return }
            if c.hasInput(1) {
                let split = c.ints(1)
                x[axis] = split.flatMap { $0.count == 1 ? .value($0[0]) : (Set($0).count == 1 ? .value($0[0]) : nil) } ?? .unknown
            } else if c.int("keepdims", 1) == 0 {
                x.remove(at: axis)
            } else {
                x[axis] = .value(1)
            }
            c.set(0, c.type(0), x)
            c.markSequence(0)
        }
        // ConcatFromSequence: the elements joined along `axis` (or stacked on a new one);
        // how many there are is only known at run time.
        t["ConcatFromSequence"] = { c in
            guard var x = c.dims(0) else { c.set(0, c.type(0), nil); return }
            let newAxis = c.int("new_axis", 0) != 0
            guard let axis = c.axis(c.int("axis", 0), rank: x.count + (newAxis ? 1 : 0)) else { c.set(0, c.type(0), nil); return }
            if newAxis { x.insert(c.dataDependentDim(0), at: axis) } else { x[axis] = c.dataDependentDim(0) }
            c.set(0, c.type(0), x)
        }
        t["SequenceMap"] = { c in
            for o in 0..<c.outputs.count {
                let body = c.subgraphOutputs.first.flatMap { o < $0.count ? $0[o] : nil }
                c.set(o, body?.elementType, body?.dims)
                c.markSequence(o)
            }
        }
        t["Optional"] = { c in
            if c.hasInput(0) { c.set(0, c.type(0), c.dims(0)); let isSequence = c.input(0)?.isSequence ?? false; c.markSequence(0, isSequence) }
        }
        t["OptionalGetElement"] = { c in
            c.set(0, c.type(0), c.dims(0))
            let isSequence = c.input(0)?.isSequence ?? false; c.markSequence(0, isSequence)
        }
        t["OptionalHasElement"] = { c in c.set(0, .bool, []) }
        return t
    }()

    /// Dims several tensors share: per axis the common dim, `.unknown` where they differ; nil
    /// when a rank differs or is unknown.
    static func agreeing(_ all: [[Dimension]?]) -> [Dimension]? {
        guard let first = all.first ?? nil else { return nil }
        var out = first
        for d in all.dropFirst() {
            guard let d, d.count == out.count else { return nil }
            for i in out.indices where out[i] != d[i] { out[i] = .unknown }
        }
        return out
    }
}
