/// The integer arithmetic of one int8 layer, as a kernel runs it (DESIGN.md): input x with
/// (S_x, Z_x), weight W with (S_w, Z_w) per output channel, output y with (S_y, Z_y);
/// the int32 accumulator Σ (q_w − Z_w)(q_x − Z_x) + q_b is rescaled by M = S_w·S_x/S_y,
/// applied as M0·2^−n, and the bias is stored as int32 with scale S_x·S_w.
public struct LayerArithmetic: Sendable, Equatable, Codable {
    public struct Operand: Sendable, Equatable, Codable {
        public var tensor: String
        public var parameters: QuantizationParameters
    }
    public var node: String
    public var opType: String
    /// The integer kernel ORT is expected to build.
    public var kernel: String
    public var input: Operand?
    /// The second quantized operand: the weight (Conv/Gemm/MatMul) or the other input.
    public var weight: Operand?
    /// nil when the output stays float (QGemm / MatMulIntegerToFloat with a float output).
    public var output: Operand?
    /// M per output channel (one entry when the weight is per tensor).
    public var multipliers: [FixedPointMultiplier]
    /// The int32 bias scale S_x·S_w per channel, when the layer has a bias.
    public var biasScales: [Double]?
}
