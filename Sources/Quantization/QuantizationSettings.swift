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
    /// Weights in 7 bits (ORT's `reduce_range`): what u8s8 kernels need on x86 without VNNI.
    public var reduceWeightRange = false
    public init() {}
}
