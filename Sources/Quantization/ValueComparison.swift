import Foundation
import OnnxModel
import OnnxRuntimeKit

/// One value of the float model beside the same value in the int8 model, over a few eval
/// samples: histograms of both on one scale, the histogram of their difference, and the
/// statistics of each (what the Error view draws for the selected value).
public struct ValueComparison: Sendable, Equatable {
    public struct Summary: Sendable, Equatable {
        public var count = 0
        public var min = Double.infinity, max = -Double.infinity
        public var mean = 0.0, std = 0.0
    }
    public let tensor: String
    /// Samples the values come from.
    public let samples: Int
    public let float: Summary
    public let int8: Summary
    public let difference: Summary
    /// Counts per bin over [`range.lower`, `range.upper`] (float and int8 share the bins).
    public let floatBins: [Int]
    public let int8Bins: [Int]
    public let range: ClosedRange<Double>
    /// Counts per bin over ±`differenceLimit`.
    public let differenceBins: [Int]
    public let differenceLimit: Double

    /// Runs both models with `tensor` as an extra output on up to `maxSamples` samples.
    public static func measure(floatModel: Model, int8Model: Model, tensor: String, samples: CalibrationSamples, maxSamples: Int = 4,
                               bins: Int = 24, library: OrtLibrary, configuration: SessionConfiguration) throws -> ValueComparison {
        let (f, q) = try LayerError.sessions(exposing: [tensor], floatModel: floatModel, int8Model: int8Model, library: library, configuration: configuration)
        var xs: [Float] = [], ys: [Float] = []
        var used = 0
        for k in 0..<samples.count where used < maxSamples {
            let feeds = try samples.load(k)
            guard let a = try f.run(feeds)[tensor], let b = try q.run(feeds)[tensor], a.elementType == .float, b.elementType == .float,
                  a.shape == b.shape else { continue }
            xs += a.values(as: Float.self); ys += b.values(as: Float.self)
            used += 1
        }
        guard used > 0 else { throw QuantizationError("'\(tensor)' is not a float value both models compute") }
        let diff = zip(xs, ys).map { Double($1) - Double($0) }
        let fs = summary(xs.map(Double.init)), qs = summary(ys.map(Double.init)), ds = summary(diff)
        let lo = Swift.min(fs.min, qs.min), hi = Swift.max(fs.max, qs.max)
        let limit = Swift.max(abs(ds.min), abs(ds.max), 1e-12)
        return ValueComparison(tensor: tensor, samples: used, float: fs, int8: qs, difference: ds,
                               floatBins: histogram(xs.map(Double.init), lo, hi, bins), int8Bins: histogram(ys.map(Double.init), lo, hi, bins),
                               range: lo...Swift.max(hi, lo), differenceBins: histogram(diff, -limit, limit, bins), differenceLimit: limit)
    }

    static func summary(_ v: [Double]) -> Summary {
        var s = Summary()
        guard !v.isEmpty else { return s }
        s.count = v.count
        var sum = 0.0
        for x in v { s.min = Swift.min(s.min, x); s.max = Swift.max(s.max, x); sum += x }
        s.mean = sum / Double(v.count)
        var sq = 0.0
        for x in v { sq += (x - s.mean) * (x - s.mean) }
        s.std = (sq / Double(v.count)).squareRoot()
        return s
    }

    static func histogram(_ v: [Double], _ lo: Double, _ hi: Double, _ bins: Int) -> [Int] {
        var out = [Int](repeating: 0, count: bins)
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        for x in v where x.isFinite {
            let i = hi > lo ? Int(((x - lo) / width).rounded(.down)) : 0
            out[Swift.max(0, Swift.min(bins - 1, i))] += 1
        }
        return out
    }
}
