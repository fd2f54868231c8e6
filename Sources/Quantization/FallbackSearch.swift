import Foundation
import OnnxRuntimeKit

/// An accuracy target measured on the eval samples.
public enum AccuracyTarget: Sendable, Equatable, CustomStringConvertible {
    /// Worst output SQNR at least this many dB.
    case sqnr(Double)
    /// Top-1 agreement with float at least this share (0…1).
    case top1(Double)

    public var description: String {
        switch self {
        case .sqnr(let d): return String(format: "output SQNR ≥ %.1f dB", d)
        case .top1(let x): return String(format: "top-1 agreement ≥ %.1f %%", x * 100)
        }
    }

    func met(sqnr: Double, top1: Double?) -> Bool {
        switch self {
        case .sqnr(let d): return sqnr >= d
        case .top1(let x): return (top1 ?? 0) >= x
        }
    }
}

/// Finds a small set of nodes to keep float so the int8 model meets a target.
///
/// Nodes are ranked by sensitivity (local SQNR, the worst first; propagated SQNR breaks ties).
/// Fallback grows in doubling steps (1, 2, 4… of the ranked nodes) until the target holds,
/// then bisects inside the last step for the shortest prefix, then tries to re-quantize each
/// kept node that is not needed. Every trial reuses the calibrated ranges: only the model bytes
/// and the session are rebuilt, and the float outputs are computed once.
public struct FallbackSearch {
    public struct Trial: Sendable, Equatable, Codable {
        public var floatNodes: [String]
        public var sqnrDB: Double
        public var top1: Double?
        public var met: Bool
    }
    public struct Outcome: Sendable {
        public var floatNodes: [String]
        public var trials: [Trial]
        public var met: Bool
    }

    /// `evaluate(floatNodes)` builds and measures one variant.
    /// `ranked` holds units, most sensitive first: a layer and the int8 nodes reading its
    /// output (a value stays quantized while any reader is int8, so they fall back together).
    /// The units to keep float, most sensitive first: the int8 nodes tied to each quantized
    /// value, the value with the worst local SQNR first (propagated breaks ties), then every
    /// other int8 compute node of `plan` on its own.
    public static func ranking(errors: [LayerError], plan: QuantizationPlan) -> [[String]] {
        let ordered = errors.sorted { ($0.localSQNR ?? .infinity, $0.propagatedSQNR, $0.tensor) < ($1.localSQNR ?? .infinity, $1.propagatedSQNR, $1.tensor) }
        var ranked: [[String]] = ordered.map(\.int8Nodes).filter { !$0.isEmpty }
        let listed = Set(ranked.flatMap { $0 })
        for d in plan.decisions where LayerError.isInt8Compute(d.node, plan) && !listed.contains(d.name) && d.role != .foldableActivation {
            ranked.append([d.name])
        }
        return ranked
    }

    public static func run(target: AccuracyTarget, ranked: [[String]], maxTrials: Int = 40,
                           evaluate: (Set<String>) throws -> (sqnr: Double, top1: Double?)) throws -> Outcome {
        var trials: [Trial] = []
        var known: [Set<String>: Bool] = [:]
        func trial(_ units: [[String]]) throws -> Bool {
            var seen = Set<String>()
            let nodes = units.flatMap { $0 }.filter { seen.insert($0).inserted }
            // Units overlap, so different prefixes can mean the same variant: measure it once.
            if let done = known[Set(nodes)] { return done }
            let r = try evaluate(Set(nodes))
            let ok = target.met(sqnr: r.sqnr, top1: r.top1)
            trials.append(Trial(floatNodes: nodes, sqnrDB: r.sqnr, top1: r.top1, met: ok))
            known[Set(nodes)] = ok
            return ok
        }
        if try trial([]) { return Outcome(floatNodes: [], trials: trials, met: true) }
        // Doubling.
        var lower = 0, upper = 0
        var step = 1
        var found = false
        while trials.count < maxTrials {
            upper = min(ranked.count, lower + step)
            if try trial(Array(ranked.prefix(upper))) { found = true; break }
            if upper == ranked.count { break }
            lower = upper; step *= 2
        }
        guard found else { return Outcome(floatNodes: trials.last?.floatNodes ?? [], trials: trials, met: false) }
        // Bisect in (lower, upper] for the shortest prefix that meets the target.
        var lo = lower, hi = upper
        while hi - lo > 1 && trials.count < maxTrials {
            let mid = (lo + hi) / 2
            if try trial(Array(ranked.prefix(mid))) { hi = mid } else { lo = mid }
        }
        var chosen = Array(ranked.prefix(hi))
        // Re-quantize what is not needed (the prefix may hold nodes that did not matter).
        for k in chosen.indices.dropLast().reversed() where trials.count < maxTrials {
            var without = chosen
            without.remove(at: k)
            if try trial(without) { chosen = without }
        }
        let final = trials.last { $0.met && Set($0.floatNodes) == Set(chosen.flatMap { $0 }) }
        return Outcome(floatNodes: final?.floatNodes ?? chosen.flatMap { $0 }, trials: trials, met: true)
    }
}
