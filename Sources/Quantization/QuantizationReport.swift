import Foundation
import OnnxModel

/// The `quantize` report: what was decided, the arithmetic per int8 layer, what ORT built,
/// and how float and int8 compare. Text for people, JSON for scripts (`--json`, `--report`).
public struct QuantizeReport {
    public let result: Quantizer.Result
    public let settings: QuantizationSettings
    public let method: CalibrationMethod
    public let mode: Quantizer.Mode
    public let output: String
    public let notes: [String]
    public let target: AccuracyTarget?

    public init(result: Quantizer.Result, settings: QuantizationSettings, method: CalibrationMethod, mode: Quantizer.Mode, output: String,
                notes: [String], target: AccuracyTarget? = nil) {
        self.result = result; self.settings = settings; self.method = method; self.mode = mode; self.output = output; self.notes = notes
        self.target = target
    }

    struct JSONReport: Encodable {
        struct Node: Encodable { var name: String; var op: String; var precision: String; var reason: String; var kernel: String?; var ran_int8: Bool?; var why_not: String? }
        struct Layer: Encodable {
            var node: String; var op: String; var kernel: String
            var input_scale: Float?; var input_zero_point: Int32?
            var weight_scales: [Float]?; var weight_zero_points: [Int32]?; var weight_axis: Int?; var weight_bits: Int?
            var output_scale: Float?; var output_zero_point: Int32?
            var multiplier: [Double]; var m0: [Double]; var m0_q31: [Int32]; var shift: [Int]
            var bias_scales: [Double]?
        }
        struct Output: Encodable { var name: String; var sqnr_db: Double?; var top1_agreement: Double? }
        struct Eval: Encodable {
            var samples: Int; var outputs: [Output]; var float_latency_ms: Double; var int8_latency_ms: Double; var speedup: Double
            var float_bytes: Int; var int8_bytes: Int
        }
        var output: String; var mode: String; var activations: String; var weights: String; var per_channel: Bool; var method: String
        var calibration_samples: Int?; var ranges_from_cache: Bool; var cache_file: String?
        var folded: [[String]]; var constants_folded: [String]
        var int8_nodes: Int; var ran_int8: Int?
        struct LayerErr: Encodable { var node: String; var tensor: String; var int8_nodes: [String]; var local_sqnr_db: Double?; var propagated_sqnr_db: Double? }
        struct Trial: Encodable { var float_nodes: [String]; var sqnr_db: Double?; var top1_agreement: Double?; var met: Bool }
        struct Fallback: Encodable { var target: String; var met: Bool; var float_nodes: [String]; var trials: [Trial] }
        struct SpeedTrial: Encodable { var kind: String; var nodes: [String]; var int8_ms: Double; var float_ms: Double; var kept_float: Bool }
        struct Speed: Encodable { var float_nodes: [String]; var trials: [SpeedTrial]; var start_ms: Double; var end_ms: Double }
        var nodes: [Node]; var layers: [Layer]; var evaluation: Eval?; var layer_errors: [LayerErr]; var fallback: Fallback?; var speed_check: Speed?; var notes: [String]
        var timings: [String: Double]
    }

    public func json() throws -> Data {
        let kernelByNode = Dictionary((result.kernels?.entries ?? []).map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        let nodes = result.plan.decisions.filter { $0.role.isQuantizable }.map { d -> JSONReport.Node in
            let k = kernelByNode[d.name]
            var kernel: String?
            if case .compute(let name) = d.role { kernel = name }
            return .init(name: d.name, op: d.opType, precision: d.precision.rawValue, reason: d.reason.description, kernel: kernel,
                         ran_int8: k?.ranInt8, why_not: k?.why)
        }
        let layers = result.layers.map { l in
            JSONReport.Layer(node: l.node, op: l.opType, kernel: l.kernel,
                             input_scale: l.input?.parameters.scales.first, input_zero_point: l.input?.parameters.zeroPoints.first,
                             weight_scales: l.weight?.parameters.scales, weight_zero_points: l.weight?.parameters.zeroPoints, weight_axis: l.weight?.parameters.axis, weight_bits: l.weightBits,
                             output_scale: l.output?.parameters.scales.first, output_zero_point: l.output?.parameters.zeroPoints.first,
                             multiplier: l.multipliers.map(\.multiplier), m0: l.multipliers.map(\.normalized), m0_q31: l.multipliers.map(\.q31),
                             shift: l.multipliers.map(\.shift), bias_scales: l.biasScales)
        }
        let eval = result.evaluation.map { e in
            JSONReport.Eval(samples: e.samples, outputs: e.outputs.map { .init(name: $0.name, sqnr_db: $0.sqnrDB.isFinite ? $0.sqnrDB : nil, top1_agreement: $0.top1Agreement) },
                            float_latency_ms: e.floatLatencyMs, int8_latency_ms: e.int8LatencyMs, speedup: e.speedup,
                            float_bytes: e.floatBytes, int8_bytes: e.int8Bytes)
        }
        let doc = JSONReport(output: output, mode: mode.rawValue, activations: settings.activations.rawValue, weights: settings.weights.rawValue,
                             per_channel: settings.perChannel, method: method.description,
                             calibration_samples: result.calibration?.samplesUsed, ranges_from_cache: result.calibrationFromCache,
                             cache_file: result.cacheFile, folded: result.folded.map { [$0.node, $0.into] }, constants_folded: result.constantsFolded,
                             int8_nodes: result.plan.int8Nodes.count, ran_int8: result.kernels?.ranInt8Count,
                             nodes: nodes, layers: layers, evaluation: eval,
                             layer_errors: result.layerErrors.map { .init(node: $0.node, tensor: $0.tensor, int8_nodes: $0.int8Nodes, local_sqnr_db: finite($0.localSQNR), propagated_sqnr_db: finite($0.propagatedSQNR)) },
                             fallback: result.fallback.map { f in .init(target: target?.description ?? "", met: f.met, float_nodes: f.floatNodes,
                                                                          trials: f.trials.map { .init(float_nodes: $0.floatNodes, sqnr_db: finite($0.sqnrDB), top1_agreement: $0.top1, met: $0.met) }) },
                             speed_check: result.speedCheck.map { s in .init(float_nodes: s.floatNodes.keys.sorted(), trials: s.trials.map {
                                 .init(kind: $0.kind, nodes: $0.nodes, int8_ms: $0.int8Ms, float_ms: $0.floatMs, kept_float: $0.kept) }, start_ms: s.startMs, end_ms: s.endMs) },
                             notes: notes,
                             timings: Dictionary(result.timings.map { ($0.phase, $0.seconds) }, uniquingKeysWith: +))
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(doc)
    }

    public func text(maxRows: Int = 12) -> String {
        var lines: [String] = []
        let p = result.plan
        let compute = p.decisions.filter { if case .compute = $0.role { return true }; return false }
        let int8Compute = compute.filter { $0.precision == .int8 }
        lines.append("wrote \(output) (\(mode.rawValue), \(settings.activations.rawValue) activations, \(settings.weights.rawValue) weights\(settings.perChannel ? " per channel" : ""), \(mode == .static ? method.description : "no calibration"))")
        for n in notes { lines.append("note: \(n)") }
        if !result.folded.isEmpty { lines.append("folded \(result.folded.count) normalization node(s) into Conv weights (\(result.folded.prefix(3).map(\.node).joined(separator: ", "))\(result.folded.count > 3 ? ", …" : ""))") }
        if !result.constantsFolded.isEmpty { lines.append("folded \(result.constantsFolded.count) constant node(s) computing weights into initializers (\(result.constantsFolded.prefix(3).joined(separator: ", "))\(result.constantsFolded.count > 3 ? ", …" : ""))") }
        if let c = result.calibration {
            lines.append("calibration: \(c.samplesUsed) sample(s)\(result.calibrationFromCache ? ", ranges from cache" : "")\(result.cacheFile.map { " (\($0))" } ?? "")")
        }
        lines.append("plan: \(int8Compute.count) of \(compute.count) compute nodes int8, \(p.int8Nodes.count - int8Compute.count) data-movement/activation nodes follow")
        var byOp: [String: (Int, Int)] = [:]
        for d in compute { var e = byOp[d.opType] ?? (0, 0); e.1 += 1; if d.precision == .int8 { e.0 += 1 }; byOp[d.opType] = e }
        lines.append("  " + byOp.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.0)/\($0.value.1)" }.joined(separator: ", "))
        let floatCompute = compute.filter { $0.precision == .float }
        for d in floatCompute.prefix(maxRows) { lines.append("  float: \(d.name) (\(d.opType)): \(d.reason)") }
        if floatCompute.count > maxRows { lines.append("  … \(floatCompute.count - maxRows) more float compute nodes (--json lists all)") }
        if let k = result.kernels {
            lines.append("ORT built integer kernels for \(k.ranInt8Count) of \(k.entries.count) int8 layers")
            var kinds: [String: Int] = [:]
            for e in k.entries where e.ranInt8 { kinds[e.built ?? "?", default: 0] += 1 }
            if !kinds.isEmpty { lines.append("  " + kinds.sorted { $0.value > $1.value }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")) }
            for e in k.entries.filter({ !$0.ranInt8 }).prefix(maxRows) { lines.append("  not int8: \(e.node): \(e.why ?? "")") }
        }
        if !result.layers.isEmpty {
            lines.append("")
            lines += Self.arithmeticTable(result.layers, limit: 6)
        }
        if !result.layerErrors.isEmpty {
            lines.append("")
            lines.append("most sensitive quantized values (SQNR on --eval: local = its own Q/DQ, propagated = through the int8 model):")
            for l in result.layerErrors.prefix(5) {
                lines.append("  \(l.tensor)\(l.node.isEmpty ? " (graph input)" : " (from \(l.node))"): local \(db(l.localSQNR)), propagated \(db(l.propagatedSQNR))")
            }
        }
        if let f = result.fallback {
            lines.append("")
            lines.append("fallback search (\(target?.description ?? "")): \(f.trials.count) trial(s), \(f.met ? "met" : "NOT met") with \(f.floatNodes.count) node(s) float")
            for n in f.floatNodes.prefix(maxRows) { lines.append("  kept float: \(n)") }
        }
        if let s = result.speedCheck {
            lines.append("")
            let kept = s.trials.filter(\.kept)
            lines.append("speed check (\(s.trials.count) kind(s) timed float against int8 on one sample): "
                         + (kept.isEmpty ? "every kind runs faster as int8 here" : String(format: "%.2f → %.2f ms with %@ float", s.startMs, s.endMs, kept.map(\.kind).joined(separator: ", "))))
            for t in s.trials.prefix(maxRows) {
                lines.append(String(format: "  %@ ×%d: int8 %.3f ms, %@ float %.3f ms%@", t.kind, t.nodes.count, t.int8Ms, t.kind, t.floatMs, t.kept ? "  → kept float" : ""))
            }
        }
        if let e = result.evaluation {
            lines.append("")
            lines.append("evaluation on \(e.samples) sample(s):")
            for o in e.outputs {
                lines.append("  \(o.name): SQNR \(o.sqnrDB.isFinite ? String(format: "%.1f dB", o.sqnrDB) : "exact")" + (o.top1Agreement.map { String(format: ", top-1 agreement %.1f %%", $0 * 100) } ?? ""))
            }
            lines.append(String(format: "  latency p50: float %.2f ms, int8 %.2f ms (%@)", e.floatLatencyMs, e.int8LatencyMs,
                                e.speedup >= 1 ? String(format: "%.2f× faster", e.speedup) : String(format: "%.2f× slower", 1 / e.speedup)))
            if e.speedup < 1, result.speedCheck == nil {
                lines.append("  int8 runs slower than float here: --speed-check keeps float the kinds of node that run slower as int8 on this CPU")
            }
            lines.append(String(format: "  size: float %.1f MB, int8 %.1f MB", Double(e.floatBytes) / 1e6, Double(e.int8Bytes) / 1e6))
        }
        return lines.map(\.escapedForDisplay).joined(separator: "\n")
    }

    func db(_ v: Double?) -> String { guard let v else { return "-" }; return v.isFinite ? String(format: "%.1f dB", v) : "exact" }

    func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }

    static func fmt(_ v: Float?) -> String { v.map { String(format: "%.4g", $0) } ?? "-" }

    /// S, Z of input, weight (first channel) and output, and M = M0·2^-n, one row per layer.
    public static func arithmeticTable(_ layers: [LayerArithmetic], limit: Int) -> [String] {
        var lines = ["integer arithmetic\(layers.count > limit ? " (first \(limit) layers; --json has all)" : ""): M = S_x·S_w/S_y = M0·2^-n"]
        let header = ["layer", "S_x", "Z_x", "S_w[0]", "Z_w", "bits", "S_y", "Z_y", "M[0]", "M0 (q31)", "n"]
        var rows: [[String]] = [header]
        for l in layers.prefix(limit) {
            let x = l.input?.parameters, w = l.weight?.parameters, y = l.output?.parameters
            let m = l.multipliers.first
            rows.append([l.node, fmt(x?.scales.first), x.map { "\($0.zeroPoints[0])" } ?? "-", fmt(w?.scales.first) + ((w?.scales.count ?? 0) > 1 ? " (×\(w!.scales.count))" : ""),
                         w.map { "\($0.zeroPoints[0])" } ?? "-", l.weightBits.map(String.init) ?? "-", fmt(y?.scales.first), y.map { "\($0.zeroPoints[0])" } ?? "-",
                         m.map { String(format: "%.6g", $0.multiplier) } ?? "-", m.map { "\($0.q31)" } ?? "-", m.map { "\($0.shift)" } ?? "-"])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for r in rows { lines.append("  " + r.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")) }
        return lines
    }
}
