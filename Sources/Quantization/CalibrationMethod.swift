import Foundation

/// How a value's range is chosen from what calibration saw.
public enum CalibrationMethod: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The observed min and max.
    case minMax
    /// [q(1 − P/100), q(P/100)] of the observed distribution (P = 99.999 clips the rare
    /// outliers that would otherwise spend the integer range).
    case percentile(Double)
    /// The threshold that minimises the KL divergence between the |x| distribution and its
    /// 128-level quantized form (TensorRT's entropy calibration).
    case entropy

    public var description: String {
        switch self {
        case .minMax: return "minmax"
        case .percentile(let p): return "percentile \(p)"
        case .entropy: return "entropy"
        }
    }

    /// A stable key for caches.
    public var key: String {
        switch self {
        case .minMax: return "minmax"
        case .percentile(let p): return "percentile-\(p)"
        case .entropy: return "entropy"
        }
    }

    public init?(parsing s: String, percentile: Double = 99.999) {
        switch s.lowercased() {
        case "minmax", "min-max": self = .minMax
        case "percentile": self = .percentile(percentile)
        case "entropy", "kl": self = .entropy
        default: return nil
        }
    }

    /// The range for one value.
    public func range(of h: RangeHistogram) -> ValueRange {
        guard !h.isEmpty else { return ValueRange(min: 0, max: 0) }
        switch self {
        case .minMax:
            return ValueRange(min: h.minimum, max: h.maximum)
        case .percentile(let p):
            let lo = h.quantile(1 - p / 100), hi = h.quantile(p / 100)
            return ValueRange(min: Swift.min(lo, hi), max: Swift.max(lo, hi))
        case .entropy:
            let t = Self.entropyThreshold(h)
            return ValueRange(min: Swift.max(h.minimum, -t), max: Swift.min(h.maximum, t))
        }
    }

    /// TensorRT's KL threshold search over the folded |x| histogram: for each candidate
    /// threshold i (in bins), P is the histogram clipped at i (outliers added to the last bin),
    /// Q is P merged into 128 levels and spread back over P's non-empty bins; the i with the
    /// smallest KL(P‖Q) wins. Candidates step so at most ~256 are tried.
    static func entropyThreshold(_ h: RangeHistogram, levels: Int = 128) -> Double {
        let abs = h.absoluteCounts.map(Double.init)
        let n = abs.count
        let width = h.binWidth
        guard n > levels, h.limit > 0 else { return Swift.max(-h.minimum, h.maximum) }
        let step = Swift.max(1, (n - levels) / 256)
        var best = (kl: Double.infinity, bin: n)
        var p = [Double](repeating: 0, count: n), q = [Double](repeating: 0, count: n)
        var i = levels
        while i <= n {
            let outliers = abs[i...].reduce(0, +)
            for k in 0..<i { p[k] = abs[k] }
            p[i - 1] += outliers
            // Merge i bins into `levels` levels, then spread each level over its non-empty bins.
            let per = Double(i) / Double(levels)
            for l in 0..<levels {
                let start = Int((Double(l) * per).rounded(.down)), end = l == levels - 1 ? i : Int((Double(l + 1) * per).rounded(.down))
                var total = 0.0, nonEmpty = 0
                for k in start..<end where abs[k] > 0 { total += abs[k]; nonEmpty += 1 }
                let share = nonEmpty > 0 ? total / Double(nonEmpty) : 0
                for k in start..<end { q[k] = abs[k] > 0 ? share : 0 }
            }
            let sp = p[0..<i].reduce(0, +), sq = q[0..<i].reduce(0, +)
            if sp > 0, sq > 0 {
                var kl = 0.0
                for k in 0..<i where p[k] > 0 {
                    let pk = p[k] / sp
                    let qk = Swift.max(q[k] / sq, 1e-12)
                    kl += pk * log(pk / qk)
                }
                if kl < best.kl { best = (kl, i) }
            }
            if i == n { break }
            i = Swift.min(n, i + step)
        }
        return (Double(best.bin) + 0.5) * width
    }
}

/// A calibrated range [min, max].
public struct ValueRange: Sendable, Equatable, Codable {
    public var min: Double
    public var max: Double
    public init(min: Double, max: Double) { self.min = min; self.max = max }
}
