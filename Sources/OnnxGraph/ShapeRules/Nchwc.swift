import OnnxModel

extension ShapeRules {
    /// ORT's `com.microsoft.nchwc` ops, which appear only in ORT's own optimized graph (level
    /// `all` on x86: the `O` view of the explorer). Their tensors are channel-blocked (NCHWc):
    /// ReorderInput rounds the channel count up to ORT's block size (8 or 16, by CPU), and the
    /// blocked Conv's reordered weight carries the padded output count, which its rule reads.
    /// Nothing in the graph says the block size, so ReorderInput's channels are known only when
    /// they are a multiple of 16 (no padding either way); else left for a declared shape.
    static let nchwc: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        // Conv (with a fused activation and an optional Sum input) and pooling keep the
        // standard rules: same attributes, same NCHW geometry.
        for op in ["Conv", "MaxPool", "AveragePool", "GlobalMaxPool", "GlobalAveragePool"] {
            t[op] = convolution[op]
        }
        // Upsample: integer `scales` per axis (N, C, H, W).
        t["Upsample"] = { c in
            guard let x = c.dims(0), let s = c.ints("scales"), s.count == x.count, s.allSatisfy({ $0 > 0 }) else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), zip(x, s).map { SymbolicArithmetic.multiply($0, .value($1)) })
        }
        // NCHW (or NHWC with channels_last) in, blocked NCHWc out.
        t["ReorderInput"] = { c in
            guard let x = c.dims(0), x.count >= 3 else { c.set(0, c.type(0), nil); return }
            let last = c.int("channels_last", 0) != 0
            let channels = last ? x[x.count - 1] : x[1]
            let blocked: Dimension = channels.intValue.map { $0 % 16 == 0 ? .value($0) : .unknown } ?? .unknown
            c.set(0, c.type(0), [x[0], blocked] + (last ? Array(x[1..<(x.count - 1)]) : Array(x[2...])))
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
