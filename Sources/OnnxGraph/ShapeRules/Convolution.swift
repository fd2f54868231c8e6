import OnnxModel

extension ShapeRules {
    /// Convolutions (float, integer, QLinear, transposed) and pooling.
    static let convolution: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["Conv"] = { c in conv(&c, data: 0, weight: 1, type: c.type(0)) }
        t["ConvInteger"] = { c in conv(&c, data: 0, weight: 1, type: .int32) }
        // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B): y's type is y_zp's.
        t["QLinearConv"] = { c in conv(&c, data: 0, weight: 3, type: c.type(7) ?? c.type(0)) }
        t["ConvTranspose"] = { c in convTranspose(&c) }
        for op in ["MaxPool", "AveragePool", "LpPool"] {
            t[op] = { c in
                pool(&c)
                if op == "MaxPool", c.node.outputs.count > 1 { c.set(1, .int64, c.outputs[0]?.dims) }
            }
        }
        t["QLinearAveragePool"] = { c in pool(&c); if let o = c.outputs[0] { c.set(0, c.type(4) ?? c.type(0), o.dims) } }
        for op in ["GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "QLinearGlobalAveragePool"] {
            t[op] = { c in
                guard let x = c.dims(0), x.count >= 2 else { c.set(0, c.type(0), nil); return }
                let type = op == "QLinearGlobalAveragePool" ? (c.type(4) ?? c.type(0)) : c.type(0)
                if op == "QLinearGlobalAveragePool", c.int("channels_last", 0) != 0 {
                    c.set(0, type, [x[0]] + Array(repeating: .value(1), count: x.count - 2) + [x[x.count - 1]])
                } else {
                    c.set(0, type, Array(x[..<2]) + Array(repeating: .value(1), count: x.count - 2))
                }
            }
        }
        return t
    }()

    /// Kernel geometry shared by Conv and pooling.
    struct Window {
        var kernel: [Int64]
        var strides: [Int64]
        var dilations: [Int64]
        var pads: [Int64]        // begins then ends
        var autoPad: String
        var ceilMode: Bool

        init(_ c: ShapeRuleContext, kernel: [Int64]) {
            let n = kernel.count
            self.kernel = kernel
            strides = c.ints("strides").flatMap { $0.count == n ? $0 : nil } ?? Array(repeating: 1, count: n)
            dilations = c.ints("dilations").flatMap { $0.count == n ? $0 : nil } ?? Array(repeating: 1, count: n)
            pads = c.ints("pads").flatMap { $0.count == 2 * n ? $0 : nil } ?? Array(repeating: 0, count: 2 * n)
            autoPad = c.string("auto_pad") ?? "NOTSET"
            ceilMode = c.int("ceil_mode", 0) != 0
        }

        /// Output size of spatial axis `i` for input size `d`.
        /// Effective kernel extent `(k - 1)·dilation + 1`, nil on overflow or nonsense values.
        func extent(_ i: Int) -> Int64? {
            guard kernel[i] >= 1, dilations[i] >= 1, let m = Checked.multiply(kernel[i] - 1, dilations[i]) else { return nil }
            return Checked.add(m, 1)
        }

        /// Output size of spatial axis `i` for input size `d` (all arithmetic checked: the
        /// numbers come from the file).
        func output(_ d: Dimension, axis i: Int) -> Dimension {
            let s = strides[i]
            guard s > 0, let k = extent(i) else { return .unknown }
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                if let x = d.intValue { return Checked.ceilDivide(x, s).map { .value($0) } ?? .unknown }
                // ceil(d/s) = floor((d − 1)/s) + 1
                return s == 1 ? d : SymbolicArithmetic.windowOutput(d, offset: -1, stride: s)
            default:
                guard let padding = autoPad == "VALID" ? 0 : Checked.add(pads[i], pads[i + kernel.count]) else { return .unknown }
                guard let x = d.intValue else {
                    // Symbolic: floor((d + pads − extent [+ s − 1 with ceil_mode]) / s) + 1. (The
                    // ceil_mode correction for a window starting in the end padding needs numbers.)
                    guard let offset = Checked.subtract(padding, k).flatMap({ ceilMode ? Checked.add($0, s - 1) : $0 }) else { return .unknown }
                    return SymbolicArithmetic.windowOutput(d, offset: offset, stride: s)
                }
                guard let span = Checked.add(x, padding).flatMap({ Checked.subtract($0, k) }), span >= 0,
                      let steps = ceilMode ? Checked.ceilDivide(span, s) : span / s, var out = Checked.add(steps, 1) else { return .unknown }
                // ceil_mode must not start a window entirely inside the end padding.
                if ceilMode, let start = Checked.multiply(out - 1, s), let limit = Checked.add(x, pads[i]), start >= limit { out -= 1 }
                return .value(out)
            }
        }
    }

    static func conv(_ c: inout ShapeRuleContext, data: Int, weight: Int, type: DataType?) {
        guard let x = c.dims(data), x.count >= 3 else { c.set(0, type, nil); return }
        let spatial = x.count - 2
        let w = c.dims(weight)
        var kernel = c.ints("kernel_shape") ?? []
        if kernel.count != spatial, let w, w.count == x.count {
            kernel = w[2...].compactMap(\.intValue)
        }
        guard kernel.count == spatial else {
            c.set(0, type, [x[0], w?.first ?? .unknown] + Array(repeating: .unknown, count: spatial)); return
        }
        if let w, w.count != x.count { c.fail("weight rank \(w.count) does not match input rank \(x.count)") }
        let win = Window(c, kernel: kernel)
        let out = (0..<spatial).map { win.output(x[2 + $0], axis: $0) }
        c.set(0, type, [x[0], w?.first ?? .unknown] + out)
    }

    static func convTranspose(_ c: inout ShapeRuleContext) {
        guard let x = c.dims(0), x.count >= 3 else { c.set(0, c.type(0), nil); return }
        let spatial = x.count - 2
        let w = c.dims(1)
        let group = c.int("group", 1)
        let channels: Dimension = w.flatMap { $0.count > 1 ? SymbolicArithmetic.multiply($0[1], .value(group)) : nil } ?? .unknown
        if let shape = c.ints("output_shape"), shape.count == spatial {
            c.set(0, c.type(0), [x[0], channels] + shape.map { .value($0) }); return
        }
        var kernel = c.ints("kernel_shape") ?? []
        if kernel.count != spatial, let w, w.count == x.count { kernel = w[2...].compactMap(\.intValue) }
        guard kernel.count == spatial else { c.set(0, c.type(0), [x[0], channels] + Array(repeating: .unknown, count: spatial)); return }
        let win = Window(c, kernel: kernel)
        let outPad = c.ints("output_padding").flatMap { $0.count == spatial ? $0 : nil } ?? Array(repeating: 0, count: spatial)
        let out: [Dimension] = (0..<spatial).map { i in
            guard let d = x[2 + i].intValue, d >= 0 else {
                // Symbolic: stride·(d − 1) + output_padding + extent − pads.
                guard win.autoPad != "SAME_UPPER", win.autoPad != "SAME_LOWER", let k = win.extent(i),
                      let pads = win.autoPad == "VALID" ? 0 : Checked.add(win.pads[i], win.pads[i + spatial]),
                      let tail = Checked.sum(outPad[i], k, -pads, -win.strides[i]) else {
                    return win.autoPad.hasPrefix("SAME") ? SymbolicArithmetic.multiply(x[2 + i], .value(win.strides[i])) : .unknown
                }
                return SymbolicArithmetic.add(SymbolicArithmetic.multiply(x[2 + i], .value(win.strides[i])), .value(tail))
            }
            if win.autoPad == "SAME_UPPER" || win.autoPad == "SAME_LOWER" {
                return Checked.multiply(d, win.strides[i]).map { .value($0) } ?? .unknown
            }
            // stride·(d − 1) + output_padding + extent − pads
            guard let pads = win.autoPad == "VALID" ? 0 : Checked.add(win.pads[i], win.pads[i + spatial]),
                  let k = win.extent(i), let grown = Checked.multiply(win.strides[i], d - 1),
                  let total = Checked.sum(grown, outPad[i], k), let r = Checked.subtract(total, pads), r >= 0 else { return .unknown }
            return .value(r)
        }
        c.set(0, c.type(0), [x[0], channels] + out)
    }

    static func pool(_ c: inout ShapeRuleContext) {
        guard let x = c.dims(0), x.count >= 3 else { c.set(0, c.type(0), nil); return }
        guard let kernel = c.ints("kernel_shape"), kernel.count == x.count - 2 else {
            c.fail("kernel_shape is missing or does not match the input rank")
            c.set(0, c.type(0), nil); return
        }
        let win = Window(c, kernel: kernel)
        c.set(0, c.type(0), Array(x[..<2]) + kernel.indices.map { win.output(x[2 + $0], axis: $0) })
    }
}
