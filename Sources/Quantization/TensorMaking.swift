import OnnxModel

/// Small constructors for the initializers the rewriters add.
extension Tensor {
    static func floats(_ name: String, _ values: [Float], dims: [Int64]) -> Tensor {
        Tensor(name: name, dataType: .float, dims: dims, rawData: ByteSlice(values.withUnsafeBytes { Array($0) }))
    }
    static func int32s(_ name: String, _ values: [Int32], dims: [Int64]) -> Tensor {
        Tensor(name: name, dataType: .int32, dims: dims, rawData: ByteSlice(values.withUnsafeBytes { Array($0) }))
    }
    /// 8-bit integers of `type` (values already in range).
    static func quantized(_ name: String, _ values: [Int32], type: QuantizedType, dims: [Int64]) -> Tensor {
        let bytes: [UInt8] = type == .int8 ? values.map { UInt8(bitPattern: Int8($0)) } : values.map { UInt8($0) }
        return Tensor(name: name, dataType: type.dataType, dims: dims, rawData: ByteSlice(bytes))
    }
}

extension Model {
    /// A tensor's values as Float (weights and constants the rewriters read).
    func floatValues(_ t: Tensor) throws -> [Float] {
        try tensorValues(t).map { Float($0) }
    }
}
