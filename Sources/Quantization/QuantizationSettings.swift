/// The integer types and granularity a quantized model uses.
public struct QuantizationSettings: Sendable, Equatable, Codable {
    public var activations: QuantizedType = .uint8
    public var weights: QuantizedType = .int8
    /// One scale per output channel for Conv, Gemm and MatMul weights.
    public var perChannel = true
    /// Weights symmetric around 0 (Z = 0), as ORT's integer kernels prefer.
    public var symmetricWeights = true
    /// Activations symmetric (Z in the middle); asymmetric uses the range fully.
    public var symmetricActivations = false
    public init() {}
}
