/// Tensor element types, numbered as ONNX's `TensorProto.DataType` (which ORT's
/// `ONNXTensorElementDataType` copies), so values pass unchanged between the model file,
/// `.pb` tensors and ORT.
public enum TensorElementType: Int32, Sendable, CaseIterable, CustomStringConvertible {
    case undefined = 0, float, uint8, int8, uint16, int16, int32, int64, string, bool, float16,
         double, uint32, uint64, complex64, complex128, bfloat16, float8e4m3fn, float8e4m3fnuz,
         float8e5m2, float8e5m2fnuz, uint4, int4, float4e2m1, uint2, int2, float8e8m0

    /// Bits per element; 0 for strings (variable) and undefined.
    public var bitWidth: Int {
        switch self {
        case .undefined, .string: 0
        case .uint2, .int2: 2
        case .uint4, .int4, .float4e2m1: 4
        case .uint8, .int8, .bool, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: 8
        case .uint16, .int16, .float16, .bfloat16: 16
        case .float, .int32, .uint32: 32
        case .int64, .uint64, .double, .complex64: 64
        case .complex128: 128
        }
    }

    /// Bytes needed for `count` elements; sub-byte types are packed as ORT and ONNX pack them.
    public func byteCount(elements count: Int) -> Int {
        (count * bitWidth + 7) / 8
    }

    /// Short lower-case name as ORT's profiler and numpy-minded users write it.
    public var description: String {
        switch self {
        case .undefined: "undefined"
        case .float: "float32"
        case .uint8: "uint8"
        case .int8: "int8"
        case .uint16: "uint16"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .string: "string"
        case .bool: "bool"
        case .float16: "float16"
        case .double: "float64"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .complex64: "complex64"
        case .complex128: "complex128"
        case .bfloat16: "bfloat16"
        case .float8e4m3fn: "float8e4m3fn"
        case .float8e4m3fnuz: "float8e4m3fnuz"
        case .float8e5m2: "float8e5m2"
        case .float8e5m2fnuz: "float8e5m2fnuz"
        case .uint4: "uint4"
        case .int4: "int4"
        case .float4e2m1: "float4e2m1"
        case .uint2: "uint2"
        case .int2: "int2"
        case .float8e8m0: "float8e8m0"
        }
    }

    /// True for the types whose values are read as floating point when comparing outputs.
    public var isFloatingPoint: Bool {
        switch self {
        case .float, .double, .float16, .bfloat16, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2,
             .float8e5m2fnuz, .float4e2m1, .float8e8m0, .complex64, .complex128: true
        default: false
        }
    }
}
