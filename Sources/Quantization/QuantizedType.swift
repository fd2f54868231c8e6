import OnnxModel

/// The integer type a tensor is quantized to, and its representable range.
public enum QuantizedType: String, Sendable, Codable, CaseIterable {
    case int8
    case uint8

    /// The ONNX element type of the quantized tensor (and of its zero point).
    public var dataType: DataType { self == .int8 ? .int8 : .uint8 }

    /// The integer range used. Symmetric int8 uses [-127, 127] (as ORT's quantizer does), so
    /// that −absmax and +absmax are both representable and the zero point is exactly 0.
    public func range(symmetric: Bool) -> (min: Int32, max: Int32) {
        switch self {
        case .int8: return symmetric ? (-127, 127) : (-128, 127)
        case .uint8: return (0, 255)
        }
    }
}
