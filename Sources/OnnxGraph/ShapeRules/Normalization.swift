import OnnxModel

extension ShapeRules {
    /// Normalizations keep the input's shape; the optional statistics outputs are per channel
    /// (BatchNormalization training mode) or reduced over the normalized axes (LayerNormalization).
    static let normalization: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["BatchNormalization"] = { c in
            c.set(0, c.type(0), c.dims(0))
            let channels: [Dimension]? = c.dims(0).map { $0.count > 1 ? [$0[1]] : [.unknown] }
            for o in 1..<max(1, c.node.outputs.count) { c.set(o, c.type(0), channels) }
        }
        for op in ["InstanceNormalization", "GroupNormalization"] {
            t[op] = { c in c.set(0, c.type(0), c.dims(0)) }
        }
        for op in ["LayerNormalization", "SimplifiedLayerNormalization", "RMSNormalization"] {
            t[op] = { c in
                c.set(0, c.type(0), c.dims(0))
                guard let x = c.dims(0), c.node.outputs.count > 1 else { return }
                guard let axis = c.axis(c.int("axis", -1), rank: x.count) else { return }
                let stats = Array(x[..<axis]) + Array(repeating: Dimension.value(1), count: x.count - axis)
                let statType = c.int("stash_type").map { DataType(rawValue: Int32(truncatingIfNeeded: $0)) } ?? .float
                for o in 1..<c.node.outputs.count { c.set(o, statType, stats) }
            }
        }
        for op in ["SkipLayerNormalization", "SkipSimplifiedLayerNormalization"] {
            t[op] = { c in
                c.set(0, c.type(0), c.dims(0))
                // Outputs: output, mean, inv_std_var, input_skip_bias_sum (same shape as input).
                if c.node.outputs.count > 3 { c.set(3, c.type(0), c.dims(0)) }
            }
        }
        return t
    }()
}
