import OnnxGraph
import OnnxModel

/// Values whose every reader saturates outside an interval (HardSigmoid, HardSwish, Clip,
/// Relu): their 8-bit range need only cover that interval.
///
/// A HardSigmoid (MobileNetV3's squeeze-excite gate, PP-OCR) gives the same output for every
/// input below −β/α and above (1−β)/α; a Clip, for everything beyond its bounds. A value read
/// only by such nodes gains nothing from levels spent outside, and calibrated ranges put many
/// there: on PP-OCR mobile v2 cls a SE gate's input spans about ±20 while HardSigmoid is linear
/// on ±2.5 only, so MinMax left it 16.6 dB, the model's worst. ORT's quantizer narrows ranges
/// only for Relu/Clip it fuses; this covers the readers that stay float too.
public enum SaturatingReaders {
    /// The interval where `node` (reading `value`) still tells its input values apart, or nil
    /// when it does everywhere (or the bounds are not constants).
    static func activeInterval(of node: Node, scope: GraphScope) -> ClosedRange<Double>? {
        guard node.isDefaultDomain else { return nil }
        switch node.opType {
        case "HardSigmoid":
            let alpha = Double(node.attribute("alpha")?.f ?? 0.2), beta = Double(node.attribute("beta")?.f ?? 0.5)
            guard alpha > 0 else { return nil }
            return (-beta / alpha)...((1 - beta) / alpha)
        case "Relu":
            return 0...Double.infinity
        case "HardSwish":
            // x · relu6(x + 3) / 6: 0 below −3, linear above 3.
            return -3...Double.infinity
        case "Clip":
            let lo = QuantizationPlan.clipBound(node, scope: scope, slot: 1, attribute: "min")
            let hi = QuantizationPlan.clipBound(node, scope: scope, slot: 2, attribute: "max")
            // Opset < 11 without the attributes means ±FLT_MAX; opset ≥ 11 without the input, ±inf.
            let l = lo ?? -.infinity, h = hi ?? .infinity
            guard l <= h, l.isFinite || h.isFinite else { return nil }
            return l...h
        default:
            return nil
        }
    }

    /// Per main-graph value read only by saturating nodes (and not a graph output), the hull of
    /// their active intervals.
    public static func intervals(in analysis: GraphAnalysis) -> [String: ClosedRange<Double>] {
        let scope = analysis.index.main
        var outputs = Set(scope.graph.outputs.map(\.name))
        // A value a sub-graph (If/Loop body) reads is read there in full.
        for i in 0..<scope.nodeCount { outputs.formUnion(scope.implicitInputs(of: i)) }
        var out: [String: ClosedRange<Double>] = [:]
        var seen = Set<String>()
        for i in 0..<scope.nodeCount {
            for v in scope.node(i).inputs where !v.isEmpty && !outputs.contains(v) && seen.insert(v).inserted {
                let readers = scope.consumers(of: v)
                guard !readers.isEmpty else { continue }
                var hull: ClosedRange<Double>?
                var all = true
                for r in readers {
                    // Only as the data input: a Clip bound computed at run time is read in full.
                    let reader = scope.node(r)
                    guard reader.inputs.first == v, !reader.inputs.dropFirst().contains(v),
                          let a = activeInterval(of: reader, scope: scope) else { all = false; break }
                    hull = hull.map { Swift.min($0.lowerBound, a.lowerBound)...Swift.max($0.upperBound, a.upperBound) } ?? a
                }
                if all, let hull, hull.lowerBound.isFinite || hull.upperBound.isFinite { out[v] = hull }
            }
        }
        return out
    }

    /// `range` cut to `interval` (unchanged where it lies inside, or would become empty).
    public static func narrow(_ range: ValueRange, to interval: ClosedRange<Double>) -> ValueRange {
        let lo = Swift.max(range.min, interval.lowerBound), hi = Swift.min(range.max, interval.upperBound)
        return lo < hi ? ValueRange(min: lo, max: hi) : range
    }
}
