import Foundation
import OnnxRuntimeKit

/// Float against int8 on held-out samples: output SQNR, top-1 agreement, latency, size.
public struct QuantizationEvaluation: Sendable, Equatable, Codable {
    public struct OutputError: Sendable, Equatable, Codable {
        public var name: String
        /// 10·log10(Σ f² / Σ (f − q)²) over every eval sample; infinite when identical.
        public var sqnrDB: Double
        /// Share of samples whose argmax agrees, for classifier-shaped outputs ([N, C], C > 1).
        public var top1Agreement: Double?
    }
    public var samples: Int
    public var outputs: [OutputError]
    public var floatLatencyMs: Double
    public var int8LatencyMs: Double
    public var floatBytes: Int
    public var int8Bytes: Int

    public var speedup: Double { int8LatencyMs > 0 ? floatLatencyMs / int8LatencyMs : 0 }
    /// The worst output SQNR.
    public var sqnrDB: Double { outputs.map(\.sqnrDB).min() ?? .infinity }
    public var top1Agreement: Double? { outputs.compactMap(\.top1Agreement).min() }

    /// Accumulates signal and noise energy per output over samples.
    struct Accumulator {
        var signal: [String: Double] = [:], noise: [String: Double] = [:]
        var agree: [String: Int] = [:], total: [String: Int] = [:]
        mutating func add(float f: [String: HostTensor], int8 q: [String: HostTensor]) {
            for (name, a) in f {
                guard let b = q[name], a.elementType == .float, b.elementType == .float, a.shape == b.shape else { continue }
                let x = a.values(as: Float.self), y = b.values(as: Float.self)
                var s = 0.0, n = 0.0
                for k in x.indices { let d = Double(x[k]) - Double(y[k]); s += Double(x[k]) * Double(x[k]); n += d * d }
                signal[name, default: 0] += s; noise[name, default: 0] += n
                if a.shape.count == 2, a.shape[1] > 1 {
                    let c = Int(a.shape[1])
                    for r in 0..<Int(a.shape[0]) {
                        let xs = x[(r * c)..<((r + 1) * c)], ys = y[(r * c)..<((r + 1) * c)]
                        if xs.indices.max(by: { xs[$0] < xs[$1] }) == ys.indices.max(by: { ys[$0] < ys[$1] }) { agree[name, default: 0] += 1 }
                        total[name, default: 0] += 1
                    }
                }
            }
        }
        func outputs(order: [String]) -> [OutputError] {
            order.compactMap { name in
                guard let s = signal[name], let n = noise[name] else { return nil }
                let sqnr = n == 0 ? Double.infinity : 10 * log10(max(s, 1e-30) / n)
                return OutputError(name: name, sqnrDB: sqnr, top1Agreement: total[name].map { Double(agree[name] ?? 0) / Double($0) })
            }
        }
    }

    /// p50 latency of two sessions measured in alternating rounds.
    public static func interleavedLatency(_ a: Session, _ b: Session, feeds: [String: HostTensor], rounds: Int, runsPerRound: Int) throws -> (Double, Double) {
        let ra = try PreparedRun(session: a, feeds: feeds), rb = try PreparedRun(session: b, feeds: feeds)
        for _ in 0..<3 { _ = try ra.timedRun(); _ = try rb.timedRun() }
        var ta: [Double] = [], tb: [Double] = []
        for _ in 0..<rounds {
            for _ in 0..<runsPerRound { ta.append(Double(try ra.timedRun()) / 1e6) }
            for _ in 0..<runsPerRound { tb.append(Double(try rb.timedRun()) / 1e6) }
        }
        func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }
        return (median(ta), median(tb))
    }
}

/// The float model's outputs on the eval samples, computed once so that every int8 variant
/// (each fallback trial) is compared without re-running float.
public struct EvaluationReference {
    public let floatSession: Session
    public let samples: CalibrationSamples
    /// Per usable sample: its feeds' index and the float outputs.
    var outputs: [(sample: Int, values: [String: HostTensor])] = []

    public init(session: Session, samples: CalibrationSamples, progress: ((Int, Int) -> Void)? = nil) throws {
        floatSession = session
        self.samples = samples
        for k in 0..<samples.count {
            let feeds = try samples.load(k)
            if CalibrationSamples.nonFiniteCount(feeds) > 0 { continue }
            outputs.append((k, try session.run(feeds)))
            progress?(k + 1, samples.count)
        }
        guard !outputs.isEmpty else { throw QuantizationError("no usable evaluation sample") }
    }

    /// The usable samples kept (their float outputs are computed once, here).
    public var usableSamples: Int { outputs.count }

    /// Adds the int8 model's outputs on samples `range` (indices into the usable samples).
    func accumulate(_ int8: Session, into acc: inout QuantizationEvaluation.Accumulator, samples range: Range<Int>) throws {
        for (k, f) in outputs[range.clamped(to: outputs.indices)] { acc.add(float: f, int8: try int8.run(try samples.load(k))) }
    }

    func accumulate(_ int8: Session) throws -> QuantizationEvaluation.Accumulator {
        var acc = QuantizationEvaluation.Accumulator()
        try accumulate(int8, into: &acc, samples: outputs.indices)
        return acc
    }

    /// Worst output SQNR and top-1 agreement of an int8 variant.
    public func compare(_ int8: Session) throws -> (sqnr: Double, top1: Double?) {
        let outs = try accumulate(int8).outputs(order: floatSession.outputs.map(\.name))
        return (outs.map(\.sqnrDB).min() ?? .infinity, outs.compactMap(\.top1Agreement).min())
    }

    /// The full comparison, with latency measured interleaved on the first sample.
    public func evaluation(int8: Session, floatBytes: Int, int8Bytes: Int, rounds: Int = 5, runsPerRound: Int = 10) throws -> QuantizationEvaluation {
        try partialEvaluation(int8: int8, floatBytes: floatBytes, int8Bytes: int8Bytes, rounds: rounds, runsPerRound: runsPerRound,
                              limit: outputs.count).evaluation
    }

    /// A comparison on the first `limit` samples (with the latency): a quick first figure that
    /// ``completing(_:int8:)`` extends to every sample without running those again.
    public struct PartialEvaluation {
        public let evaluation: QuantizationEvaluation
        var accumulator: QuantizationEvaluation.Accumulator
        /// Samples compared so far.
        public var compared: Int { evaluation.samples }
    }

    public func partialEvaluation(int8: Session, floatBytes: Int, int8Bytes: Int, rounds: Int, runsPerRound: Int,
                                  limit: Int) throws -> PartialEvaluation {
        var acc = QuantizationEvaluation.Accumulator()
        try accumulate(int8, into: &acc, samples: 0..<limit)
        let (f, q) = try QuantizationEvaluation.interleavedLatency(floatSession, int8, feeds: try samples.load(outputs[0].sample),
                                                                   rounds: rounds, runsPerRound: runsPerRound)
        let e = QuantizationEvaluation(samples: min(limit, outputs.count), outputs: acc.outputs(order: floatSession.outputs.map(\.name)),
                                       floatLatencyMs: f, int8LatencyMs: q, floatBytes: floatBytes, int8Bytes: int8Bytes)
        return PartialEvaluation(evaluation: e, accumulator: acc)
    }

    /// `partial` with the accuracy on every sample: only the samples it has not compared run.
    public func completing(_ partial: PartialEvaluation, int8: Session) throws -> QuantizationEvaluation {
        var acc = partial.accumulator
        try accumulate(int8, into: &acc, samples: partial.compared..<outputs.count)
        var e = partial.evaluation
        e.outputs = acc.outputs(order: floatSession.outputs.map(\.name))
        e.samples = outputs.count
        return e
    }
}
