import OnnxModel

/// The integer type a tensor is quantized to, and its representable range.
public enum QuantizedType: String, Sendable, Codable, CaseIterable {
    case int8
    case uint8

    /// The ONNX element type of the quantized tensor (and of its zero point).
    public var dataType: DataType { self == .int8 ? .int8 : .uint8 }

    /// The integer range used. Symmetric int8 uses [-127, 127] (as ORT's quantizer does), so
    /// that −absmax and +absmax are both representable and the zero point is exactly 0.
    ///
    /// `reduced` is ORT's `reduce_range`: 7 bits ([-64, 64] symmetric, [0, 127] unsigned), for
    /// weights on x86 CPUs without VNNI, whose u8s8 kernels add pairs of u8·s8 products in
    /// 16 bits: 2 · 255 · 127 overflows it, 2 · 255 · 64 does not.
    public func range(symmetric: Bool, reduced: Bool = false) -> (min: Int32, max: Int32) {
        switch self {
        case .int8: return reduced ? (symmetric ? (-64, 64) : (-64, 63)) : (symmetric ? (-127, 127) : (-128, 127))
        case .uint8: return reduced ? (0, 127) : (0, 255)
        }
    }
}
