import OnnxModel

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
    /// 7 for weights kept in [-64, 64] (``WeightBits``), 8 otherwise; nil without a constant weight.
    public var weightBits: Int?
}

/// The integer codes a quantized weight takes, as a histogram: how much of the 8-bit range the
/// weight uses (the inspector draws it).
public struct WeightCodeHistogram: Sendable, Equatable {
    /// Counts per bin, `bins` equal bins over the type's range.
    public let counts: [Int]
    public let range: ClosedRange<Int32>
    /// Distinct codes used, of the range's 256.
    public let distinctCodes: Int
    /// Values at the range's ends (clipped or saturated).
    public let atLimits: Int
    public let total: Int

    /// The codes of `tensor` under `parameters`: its integers when it is stored quantized (a
    /// QDQ model), else round(w / S) + Z per channel, clamped, as the writer stores them.
    public static func make(tensor: Tensor, in model: Model, parameters p: QuantizationParameters, bins: Int = 32) throws -> WeightCodeHistogram {
        let values = try model.tensorValues(tensor)
        let (lo, hi) = p.type.range(symmetric: false)
        var codes: [Int32]
        if tensor.dataType == .int8 || tensor.dataType == .uint8 {
            codes = values.map { Int32($0) }
        } else {
            let dims = tensor.dims.map(Int.init)
            let channels = p.axis.map { dims.indices.contains($0) ? dims[$0] : 1 } ?? 1
            let inner = p.axis.map { a in dims.dropFirst(a + 1).reduce(1, *) } ?? max(1, values.count)
            codes = values.enumerated().map { k, v in
                let c = channels > 1 ? (k / inner) % channels : 0
                let s = Double(p.scales[min(c, p.scales.count - 1)]), z = Double(p.zeroPoints[min(c, p.zeroPoints.count - 1)])
                return Int32(Swift.max(Double(lo), Swift.min(Double(hi), (v / s).rounded(.toNearestOrEven) + z)))
            }
        }
        var counts = [Int](repeating: 0, count: bins)
        var seen = Set<Int32>()
        var limits = 0
        let span = Double(hi - lo + 1)
        for c in codes {
            counts[Swift.min(bins - 1, Int(Double(c - lo) / span * Double(bins)))] += 1
            seen.insert(c)
            if c == lo || c == hi { limits += 1 }
        }
        return WeightCodeHistogram(counts: counts, range: lo...hi, distinctCodes: seen.count, atLimits: limits, total: codes.count)
    }
}
