import OnnxModel

extension ShapeRules {
    /// QuantizeLinear/DequantizeLinear, DynamicQuantizeLinear and the QLinear elementwise ops.
    static let quantization: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["QuantizeLinear"] = { c in
            // The zero point's type decides the output type; without one, output_dtype
            // (opset 21) or uint8.
            let declared = c.int("output_dtype").flatMap { $0 == 0 ? nil : DataType(rawValue: Int32(truncatingIfNeeded: $0)) }
            c.set(0, c.type(2) ?? declared ?? .uint8, c.dims(0))
        }
        t["DequantizeLinear"] = { c in
            c.set(0, c.type(1) ?? .float, c.dims(0))
        }
        t["DynamicQuantizeLinear"] = { c in
            c.set(0, .uint8, c.dims(0))
            c.set(1, .float, [])
            c.set(2, .uint8, [])
        }
        // QLinearAdd/Mul(a, a_scale, a_zp, b, b_scale, b_zp, c_scale, c_zp)
        for op in ["QLinearAdd", "QLinearMul"] {
            t[op] = { c in broadcast(&c, type: c.type(7) ?? c.type(0), inputs: [0, 3]) }
        }
        // QLinearSigmoid/LeakyRelu(x, x_scale, x_zp, y_scale, y_zp)
        for op in ["QLinearSigmoid", "QLinearLeakyRelu"] {
            t[op] = { c in c.set(0, c.type(4) ?? c.type(0), c.dims(0)) }
        }
        return t
    }()
}
