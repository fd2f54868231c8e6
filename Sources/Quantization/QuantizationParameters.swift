import Foundation

/// Scale and zero point of a quantized tensor: a real value r is stored as the integer
/// q = clamp(round(r / S) + Z), and read back as r = S · (q − Z).
///
/// One (S, Z) per tensor, or one per channel along ``axis`` (weights of Conv, Gemm, MatMul).
public struct QuantizationParameters: Sendable, Equatable, Codable {
    public var type: QuantizedType
    public var scales: [Float]
    public var zeroPoints: [Int32]
    /// The channel axis for per-channel parameters; nil for one (S, Z) for the whole tensor.
    public var axis: Int?

    public init(type: QuantizedType, scales: [Float], zeroPoints: [Int32], axis: Int? = nil) {
        self.type = type; self.scales = scales; self.zeroPoints = zeroPoints; self.axis = axis
    }

    public var isPerChannel: Bool { axis != nil }

    /// (S, Z) for the range [rmin, rmax], computed as ONNX Runtime's quantizer does:
    /// the range is widened to contain 0 (so 0 is exact: padding and ReLU need it);
    /// symmetric ranges are ±max(|rmin|, |rmax|) with Z in the middle of the integer range;
    /// S = (rmax − rmin)/(qmax − qmin), Z = round(qmin − rmin/S). A zero-width range gets S = 1.
    public static func scaleAndZeroPoint(min rmin: Double, max rmax: Double, type: QuantizedType, symmetric: Bool,
                                         reduced: Bool = false) -> (scale: Float, zeroPoint: Int32) {
        var lo = Swift.min(rmin, 0), hi = Swift.max(rmax, 0)
        let (qmin, qmax) = type.range(symmetric: symmetric, reduced: reduced)
        if symmetric {
            let m = Swift.max(abs(lo), abs(hi))
            lo = -m; hi = m
        }
        let scale = Float((hi - lo) / Double(qmax - qmin))
        // A zero-width range (a value that is always 0): S = 1, Z = 0, as ORT writes it.
        if !(scale > 0) || !scale.isFinite { return (1, 0) }
        if symmetric { return (scale, (qmin + qmax + (type == .uint8 ? 1 : 0)) / 2) }
        let z = (Double(qmin) - lo / Double(scale)).rounded(.toNearestOrEven)
        return (scale, Int32(Swift.max(Double(qmin), Swift.min(Double(qmax), z))))
    }

    /// Per-tensor parameters for a range.
    public static func forRange(min: Double, max: Double, type: QuantizedType, symmetric: Bool) -> QuantizationParameters {
        let (s, z) = scaleAndZeroPoint(min: min, max: max, type: type, symmetric: symmetric)
        return QuantizationParameters(type: type, scales: [s], zeroPoints: [z])
    }

    /// The integer for `value` in channel `channel` (round half to even, then clamp).
    @inline(__always)
    public func quantize(_ value: Float, channel: Int = 0, symmetric: Bool = false, reduced: Bool = false) -> Int32 {
        let (qmin, qmax) = type.range(symmetric: symmetric, reduced: reduced)
        let q = (value / scales[channel]).rounded(.toNearestOrEven) + Float(zeroPoints[channel])
        return Int32(Swift.max(Float(qmin), Swift.min(Float(qmax), q.isNaN ? 0 : q)))
    }

    @inline(__always)
    public func dequantize(_ q: Int32, channel: Int = 0) -> Float {
        scales[channel] * Float(q - zeroPoints[channel])
    }
}

/// A real multiplier M > 0 as an integer kernel applies it: M = M0 · 2^−n with M0 ∈ [0.5, 1),
/// M0 kept as the Q31 integer round(M0 · 2^31) (Jacob et al., CVPR 2018; gemmlowp's
/// `QuantizeMultiplier`). For a layer y = W·x the requantization multiplier is
/// M = S_w · S_x / S_y.
public struct FixedPointMultiplier: Sendable, Equatable, Codable {
    /// The real multiplier.
    public let multiplier: Double
    /// M0 as a real number in [0.5, 1) (0 when M is 0).
    public let normalized: Double
    /// M0 as the int32 a kernel multiplies by (Q31).
    public let q31: Int32
    /// n in M = M0 · 2^−n (negative when M ≥ 1).
    public let shift: Int

    public init(_ m: Double) {
        multiplier = m
        guard m > 0, m.isFinite else { normalized = 0; q31 = 0; shift = 0; return }
        let e = m.exponent + 1            // m = f · 2^e with f ∈ [0.5, 1)
        var n = -e
        var q = (m / pow(2, Double(e)) * 2_147_483_648).rounded(.toNearestOrEven)
        // Rounding can reach 2^31 (M0 = 1.0): halve it and shift one less, as gemmlowp does.
        if q >= 2_147_483_648 { q /= 2; n -= 1 }
        normalized = q / 2_147_483_648
        q31 = Int32(q)
        shift = n
    }

    /// M0 · 2^−n as a Double: the multiplier the kernel really applies.
    public var effective: Double { normalized * pow(2, Double(-shift)) }
}
