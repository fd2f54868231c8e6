import OnnxModel

/// A tensor owned by Swift: element type, shape and either little-endian element bytes or
/// strings.
///
/// This is the currency between files (`.npy`, TensorProto `.pb`), generated inputs, ORT values
/// and comparisons. Bytes are stored exactly as ORT and ONNX lay them out (C order, packed
/// sub-byte types, bool as one byte), so handing them to ORT is a pointer, not a conversion.
public struct HostTensor: Sendable, Equatable {
    public var elementType: TensorElementType
    /// Dimensions; every value is concrete (no symbolic dims once a tensor exists).
    public var shape: [Int64]
    /// Raw element bytes for every type but `.string`.
    public var bytes: [UInt8]
    /// Elements of a `.string` tensor, C order.
    public var strings: [String]

    /// Number of elements (product of the shape; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1) { $0 * Int($1) } }

    /// A numeric (or bool) tensor from its raw bytes.
    public init(elementType: TensorElementType, shape: [Int64], bytes: [UInt8]) {
        precondition(elementType != .string, "use init(strings:shape:) for string tensors")
        self.elementType = elementType
        self.shape = shape
        self.bytes = bytes
        self.strings = []
    }

    /// A string tensor.
    public init(strings: [String], shape: [Int64]) {
        elementType = .string
        self.shape = shape
        bytes = []
        self.strings = strings
    }

    /// A tensor from typed Swift values (`Float`, `Int64`, ...), copied bit for bit.
    public init<T: TensorScalar & BitwiseCopyable>(_ values: [T], shape: [Int64]) {
        self.init(elementType: T.elementType, shape: shape, bytes: values.withUnsafeBytes { Array($0) })
    }

    /// A bool tensor (one byte per element, 0 or 1).
    public init(bools: [Bool], shape: [Int64]) {
        self.init(elementType: .bool, shape: shape, bytes: bools.map { $0 ? 1 : 0 })
    }

    /// Elements reinterpreted as `T`; `T` must match the element type.
    public func values<T: TensorScalar & BitwiseCopyable>(as: T.Type = T.self) -> [T] {
        precondition(T.elementType == elementType, "tensor is \(elementType), not \(T.elementType)")
        let n = bytes.count / MemoryLayout<T>.stride
        // One copy of the bytes (this is called on whole activations; an element-wise map of
        // an unspecialized generic was ~100× slower).
        return [T](unsafeUninitializedCapacity: n) { buffer, count in
            bytes.withUnsafeBytes { raw in
                if n > 0 { UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * MemoryLayout<T>.stride) }
            }
            count = n
        }
    }

    /// Every element widened to `Double` (complex types: real parts then imaginary parts are
    /// interleaved as stored), for comparisons and summaries. Strings return an empty array.
    public func doubles() -> [Double] {
        bytes.withUnsafeBytes { raw -> [Double] in
            func load<T: BitwiseCopyable>(_: T.Type, _ f: (T) -> Double) -> [Double] {
                let n = raw.count / MemoryLayout<T>.size
                return (0..<n).map { f(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch elementType {
            case .float, .complex64: return load(Float.self) { Double($0) }
            case .double, .complex128: return load(Double.self) { $0 }
            case .float16: return load(UInt16.self) { Double(halfToFloat($0)) }
            case .bfloat16: return load(UInt16.self) { Double(Float(bitPattern: UInt32($0) << 16)) }
            case .int8: return load(Int8.self) { Double($0) }
            case .uint8, .bool: return load(UInt8.self) { Double($0) }
            case .int16: return load(Int16.self) { Double($0) }
            case .uint16: return load(UInt16.self) { Double($0) }
            case .int32: return load(Int32.self) { Double($0) }
            case .uint32: return load(UInt32.self) { Double($0) }
            case .int64: return load(Int64.self) { Double($0) }
            case .uint64: return load(UInt64.self) { Double($0) }
            default: return load(UInt8.self) { Double($0) }
            }
        }
    }
}

/// Swift scalar types that map to one ONNX element type.
public protocol TensorScalar {
    static var elementType: TensorElementType { get }
}
extension Float: TensorScalar { public static var elementType: TensorElementType { .float } }
extension Double: TensorScalar { public static var elementType: TensorElementType { .double } }
extension Int8: TensorScalar { public static var elementType: TensorElementType { .int8 } }
extension UInt8: TensorScalar { public static var elementType: TensorElementType { .uint8 } }
extension Int16: TensorScalar { public static var elementType: TensorElementType { .int16 } }
extension UInt16: TensorScalar { public static var elementType: TensorElementType { .uint16 } }
extension Int32: TensorScalar { public static var elementType: TensorElementType { .int32 } }
extension UInt32: TensorScalar { public static var elementType: TensorElementType { .uint32 } }
extension Int64: TensorScalar { public static var elementType: TensorElementType { .int64 } }
extension UInt64: TensorScalar { public static var elementType: TensorElementType { .uint64 } }

