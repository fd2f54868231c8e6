import Foundation
import OnnxModel

/// Summary statistics of an initializer's values, for the inspector.
public struct TensorStatistics: Hashable, Sendable {
    public var count: Int
    public var minimum: Double
    public var maximum: Double
    public var mean: Double
    public var standardDeviation: Double
    /// Fraction of exact zeros, 0…1.
    public var zeroFraction: Double
    /// Counts over ``histogramBins`` equal bins from minimum to maximum.
    public var histogram: [Double]
    /// The first values in storage order.
    public var firstValues: [Double]
    /// NaN or infinite values (left out of the other numbers).
    public var nonFinite: Int

    public static let histogramBins = 24
    public static let firstValueCount = 8

    /// Statistics of `values` (NaN/infinity counted apart, so one bad value does not hide the rest).
    public init(values: [Double]) {
        count = values.count
        firstValues = Array(values.prefix(Self.firstValueCount))
        var lo = Double.infinity, hi = -Double.infinity
        var sum = 0.0, zeros = 0, bad = 0
        for v in values {
            guard v.isFinite else { bad += 1; continue }
            if v < lo { lo = v }
            if v > hi { hi = v }
            sum += v
            if v == 0 { zeros += 1 }
        }
        let n = values.count - bad
        nonFinite = bad
        minimum = n > 0 ? lo : .nan
        maximum = n > 0 ? hi : .nan
        mean = n > 0 ? sum / Double(n) : .nan
        var squares = 0.0
        var bins = [Double](repeating: 0, count: Self.histogramBins)
        let span = hi - lo
        for v in values where v.isFinite {
            let d = v - mean
            squares += d * d
            let b = span > 0 ? min(Self.histogramBins - 1, Int((v - lo) / span * Double(Self.histogramBins))) : Self.histogramBins / 2
            bins[b] += 1
        }
        standardDeviation = n > 0 ? (squares / Double(n)).squareRoot() : .nan
        zeroFraction = values.isEmpty ? 0 : Double(zeros) / Double(values.count)
        histogram = bins
    }

    /// Reads the tensor's values (from the mapped file) and summarizes them.
    public static func compute(_ tensor: Tensor, model: Model) throws -> TensorStatistics {
        TensorStatistics(values: try model.tensorValues(tensor))
    }
}

/// Statistics computed on demand, once per tensor, never when a model is opened.
///
/// Small tensors are summarized on the spot; big ones (embedding tables) on a background
/// thread, and the inspector says "computing…" until they are ready.
public final class StatisticsCache: @unchecked Sendable {
    public enum Entry: Sendable {
        case ready(TensorStatistics)
        case computing
        case failed(String)
    }

    /// Element count above which statistics are computed in the background.
    public var backgroundThreshold = 1 << 18
    private var done: [NodeKeyTensor: Entry] = [:]
    private var jobs: [NodeKeyTensor: BackgroundJob<Entry>] = [:]

    struct NodeKeyTensor: Hashable { var scope: Int; var name: String }

    public init() {}

    /// The statistics of initializer `tensor` of `scope`, starting their computation if needed.
    public func statistics(of tensor: Tensor, scope: Int, model: Model) -> Entry {
        let key = NodeKeyTensor(scope: scope, name: tensor.name)
        if let e = done[key] { return e }
        if let job = jobs[key] {
            guard let e = job.result else { return .computing }
            jobs[key] = nil
            done[key] = e
            return e
        }
        let work: @Sendable () -> Entry = {
            do { return .ready(try TensorStatistics.compute(tensor, model: model)) } catch { return .failed("\(error)") }
        }
        if (tensor.elementCount ?? 0) <= backgroundThreshold {
            let e = work()
            done[key] = e
            return e
        }
        jobs[key] = BackgroundJob(work)
        return .computing
    }

    /// Whether a computation is still running (the run loop keeps polling while it is).
    public var isBusy: Bool { !jobs.isEmpty }

    /// How many tensors have been summarized (tests check that opening computes none).
    public var computedCount: Int { done.count }

    /// Waits for running computations (tests).
    public func waitForPending() {
        for (key, job) in jobs {
            done[key] = job.wait()
            jobs[key] = nil
        }
    }
}
