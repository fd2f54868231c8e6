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
    /// Where weights take 7 bits (ORT's `reduce_range`): what u8s8 kernels need on x86 without VNNI.
    public var weightBits: WeightBits = .eight
    public init() {}
}

/// How many bits weights use. On x86 without VNNI, ORT's u8s8 kernels add pairs of u8·s8
/// products in a saturating int16 (`vpmaddubsw`): 2 · 255 · 127 overflows it, 2 · 255 · 64
/// does not. 7 bits avoid that at the cost of half the weight resolution.
public enum WeightBits: String, Sendable, Codable, CaseIterable {
    /// 8 bits everywhere.
    case eight
    /// 7 bits for layers whose uint8 input has its zero point at 64 or more: there every
    /// product carries Z·w, and pairs overflow even around a real 0.
    case sevenWhereOffset = "seven-where-offset"
    /// 7 bits everywhere (ORT's `reduce_range`).
    case seven

    public var description: String {
        switch self {
        case .eight: return "8-bit weights"
        case .sevenWhereOffset: return "7-bit weights where the layer's input zero point is ≥ 64, else 8-bit"
        case .seven: return "7-bit weights (reduce_range)"
        }
    }
}
