import OnnxModel

extension ShapeRules {
    /// ORT's `com.microsoft.nchwc` ops, which appear only in ORT's own optimized graph (level
    /// `all` on x86: the `O` view of the explorer). Their tensors are channel-blocked (NCHWc);
    /// the shapes here are the logical NCHW ones: ORT pads channels to its block size (8 or 16,
    /// by CPU) only inside ReorderInput, and nothing in the graph says which.
    static let nchwc: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        // Conv (with a fused activation and an optional Sum input) and pooling keep the
        // standard rules: same attributes, same NCHW geometry.
        for op in ["Conv", "MaxPool", "AveragePool", "GlobalMaxPool", "GlobalAveragePool"] {
            t[op] = convolution[op]
        }
        // Upsample: integer `scales` per axis (N, C, H, W).
        t["Upsample"] = { c in
            guard let x = c.dims(0), let s = c.ints("scales"), s.count == x.count else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), zip(x, s).map { SymbolicArithmetic.multiply($0, .value($1)) })
        }
        // NCHW (or NHWC with channels_last) in, blocked NCHWc out.
        t["ReorderInput"] = { c in
            guard let x = c.dims(0), x.count >= 3 else { c.set(0, c.type(0), nil); return }
            if c.int("channels_last", 0) != 0 {
                c.set(0, c.type(0), [x[0], x[x.count - 1]] + Array(x[1..<(x.count - 1)]))
            } else {
                c.set(0, c.type(0), x)
            }
        }
        // Blocked in, NCHW (or NHWC) out with the real channel count.
        t["ReorderOutput"] = { c in
            guard let x = c.dims(0), x.count >= 3 else { c.set(0, c.type(0), nil); return }
            let channels: Dimension = c.int("channels", 0) > 0 ? .value(c.int("channels", 0)) : x[1]
            if c.int("channels_last", 0) != 0 {
                c.set(0, c.type(0), [x[0]] + Array(x[2...]) + [channels])
            } else {
                c.set(0, c.type(0), [x[0], channels] + Array(x[2...]))
            }
        }
        return t
    }()
}
