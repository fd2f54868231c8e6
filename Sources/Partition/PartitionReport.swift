import Foundation
import OnnxGraph
import OnnxModel

/// Which graph the predictions were made on.
public enum AnalysedGraph: Sendable, Equatable {
    /// ORT's basic-level optimized graph (what ORT hands to execution providers).
    case ortBasic
    /// The model as it is in the file; `why` says why ORT's graph was not available.
    case raw(why: String)

    public var jsonName: String { self == .ortBasic ? "ort-basic" : "raw" }
}

/// `onnxscope partition`'s report: every target's prediction, as text or JSON.
public struct PartitionReport: Sendable {
    public let modelPath: String
    public let graph: AnalysedGraph
    public var predictions: [TargetPrediction]
    /// Commands that fix the model's free dims, shown where fixing them changes a verdict.
    public let fixCommands: [String]
    /// The run-time shape computations of the analysed graph.
    public var shapeComputation: ShapeComputation?
    /// Problems of the model as a whole (custom domains, data-dependent shapes, float64).
    public var blockers: [ModelBlocker] = []
    /// Which ONNX Runtime releases load the model (opset, IR, ML opset against the measured
    /// release table), and the releases asked about with `--ort-release`.
    public var releases: ReleaseCheck?

    public struct ReleaseCheck: Sendable {
        public let needs: OrtReleases.Needs
        /// The first release that loads it; nil when none in the table does.
        public let oldest: RuntimeRelease?
        /// The releases asked about, and whether each loads the model.
        public let checked: [(release: RuntimeRelease, loads: Bool)]
    }

    /// Checks the model's opset and IR version against the release table; each release in
    /// `asked` that would refuse it becomes a blocker with the fix.
    public mutating func checkReleases(model: Model, asked: [RuntimeRelease]) {
        let needs = OrtReleases.Needs(model: model)
        var checked: [(release: RuntimeRelease, loads: Bool)] = []
        for r in asked {
            let problems = OrtReleases.problems(needs, on: r)
            blockers.append(contentsOf: problems)
            checked.append((r, problems.isEmpty))
        }
        releases = ReleaseCheck(needs: needs, oldest: OrtReleases.oldest(loading: needs), checked: checked)
    }

    /// Records that ORT refuses to load the model: a blocker, and every target's session is
    /// predicted to fail (no EP sees a model ORT does not load).
    public mutating func addRuntimeRefusal(_ b: ModelBlocker) {
        blockers.insert(b, at: 0)
        for i in predictions.indices {
            predictions[i].compileRisks.insert(CompileRisk(node: b.node, value: "", problem: b.problem, fix: b.fix), at: 0)
        }
    }
    /// The model `--fix-dims` wrote, and the predictions on it.
    public var fixedModel: FixedModel?

    /// A model written with dims fixed (ORT folded the shape computations), re-checked.
    public struct FixedModel: Sendable {
        public let path: String
        public let dims: [String: Int64]
        public let graph: AnalysedGraph
        public let predictions: [TargetPrediction]
        public init(path: String, dims: [String: Int64], graph: AnalysedGraph, predictions: [TargetPrediction]) {
            self.path = path; self.dims = dims; self.graph = graph; self.predictions = predictions
        }
    }

    public init(modelPath: String, graph: AnalysedGraph, predictions: [TargetPrediction], fixCommands: [String] = []) {
        self.modelPath = modelPath; self.graph = graph; self.predictions = predictions; self.fixCommands = fixCommands
    }

    /// The `make_dynamic_shape_fixed` commands (ORT's tool) that fix `dims` in `modelPath`:
    /// one per named dim, one `--input_shape` per input with unnamed axes (`inputShapes` gives
    /// those inputs' shapes with the dims bound). Each command reads the previous one's output.
    public static func fixCommands(modelPath: String, dims: [FreeDimension], values: [String: Int64],
                                   inputShapes: [String: [Int64]]) -> [String] {
        var steps: [String] = []
        var seen = Set<String>()
        for d in dims {
            if d.isGeneratedName {
                guard seen.insert("input:" + d.input).inserted, let shape = inputShapes[d.input] else { continue }
                steps.append("--input_name \(shellQuoted(d.input)) --input_shape \(shape.map(String.init).joined(separator: ","))")
            } else if let v = values[d.name], seen.insert(d.name).inserted {
                steps.append("--dim_param \(shellQuoted(d.name)) --dim_value \(v)")
            }
        }
        let base = modelPath.hasSuffix(".onnx") ? String(modelPath.dropLast(5)) : modelPath
        let out = base + ".fixed.onnx"
        return steps.enumerated().map { i, step in
            "python -m onnxruntime.tools.make_dynamic_shape_fixed \(step) \(shellQuoted(i == 0 ? modelPath : out)) \(shellQuoted(out))"
        }
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./:=,+@%".unicodeScalars.contains($0) }
        return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    // MARK: JSON

    struct CountsJSON: Encodable {
        var total_nodes, supported_nodes, partitions: Int
        var partition_sizes: [Int]
        var unsupported_ops: [String]
        var dynamic_shape_nodes: Int
        var verdict: String
        init(_ c: PartitionCounts) {
            total_nodes = c.totalNodes; supported_nodes = c.supportedNodes; partitions = c.partitions
            partition_sizes = c.partitionSizes; unsupported_ops = c.unsupportedOps
            dynamic_shape_nodes = c.dynamicShapeNodes; verdict = c.verdict.rawValue
        }
    }
    struct FixedJSON: Encodable {
        var dims: [String: Int64]
        var counts: CountsJSON
        var checker: CountsJSON?
        /// Nodes still not taken with the dims fixed.
        var unsupported_nodes: [NodeJSON]
        func encode(to encoder: Encoder) throws {
            try counts.encode(to: encoder)
            enum K: String, CodingKey { case dims, checker, unsupported_nodes }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(dims, forKey: .dims)
            if let checker { try c.encode(checker, forKey: .checker) } else { try c.encodeNil(forKey: .checker) }
            try c.encode(unsupported_nodes, forKey: .unsupported_nodes)
        }
    }
    struct NodeJSON: Encodable {
        var name, op: String
        var supported: Bool
        /// What the usability checker decides for the node (nil: the target has no checker).
        var checker_supported: Bool?
        var reason: String?
        var unverified: [String]?
    }
    struct DifferenceJSON: Encodable { var node, reason: String }
    struct RiskJSON: Encodable { var node, problem, fix: String }
    struct MismatchJSON: Encodable {
        var node, op, provider: String
        var predicted_taken: Bool
        var reason: String?
    }
    struct MeasuredJSON: Encodable {
        var runtime: String
        /// `assigned`, `session_failed`, `no_report` or `not_measurable`.
        var outcome: String
        var error: String?
        var compared, taken, agreeing: Int?
        var mismatches: [MismatchJSON]?
        var unmatched: [String]?
        init(_ p: TargetPrediction, _ m: MeasuredPlacement) {
            runtime = m.runtime
            switch m.outcome {
            case .assigned: outcome = "assigned"
            case .sessionFailed(let e): outcome = "session_failed"; error = e
            case .noReport(let e): outcome = "no_report"; error = e
            case .notMeasurable(let e): outcome = "not_measurable"; error = e
            }
            if let c = p.comparison {
                compared = c.compared; taken = c.measuredTaken; agreeing = c.agreeing; unmatched = c.unmatched
                mismatches = c.mismatches.map { MismatchJSON(node: $0.node, op: $0.op, provider: $0.measuredProvider, predicted_taken: $0.predictedTaken, reason: $0.reason) }
            }
        }
    }
    struct TargetJSON: Encodable {
        var target, graph, catalog: String
        var counts: CountsJSON
        var fixed_shapes: FixedJSON?
        /// The usability checker's counts; nil for targets it does not cover.
        var checker: CountsJSON?
        var checker_differences: [DifferenceJSON]
        /// Why the session would fail when the EP compiles the graph (OpenVINO).
        var compile_risks: [RiskJSON]
        /// `partition --measure`: what ORT did; nil when not asked.
        var measured: MeasuredJSON?
        var nodes: [NodeJSON]
        func encode(to encoder: Encoder) throws {
            try counts.encode(to: encoder)
            enum K: String, CodingKey { case target, graph, catalog, fixed_shapes, checker, checker_differences, compile_risks, measured, nodes }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(target, forKey: .target)
            try c.encode(graph, forKey: .graph)
            try c.encode(catalog, forKey: .catalog)
            if let fixed_shapes { try c.encode(fixed_shapes, forKey: .fixed_shapes) } else { try c.encodeNil(forKey: .fixed_shapes) }
            if let checker { try c.encode(checker, forKey: .checker) } else { try c.encodeNil(forKey: .checker) }
            try c.encode(checker_differences, forKey: .checker_differences)
            try c.encode(compile_risks, forKey: .compile_risks)
            if let measured { try c.encode(measured, forKey: .measured) } else { try c.encodeNil(forKey: .measured) }
            try c.encode(nodes, forKey: .nodes)
        }
    }
    struct FixedTargetJSON: Encodable {
        var target: String
        var counts: CountsJSON
        func encode(to encoder: Encoder) throws {
            try counts.encode(to: encoder)
            enum K: String, CodingKey { case target }
            var c = encoder.container(keyedBy: K.self)
            try c.encode(target, forKey: .target)
        }
    }
    struct FixedModelJSON: Encodable {
        var path, graph: String
        var dims: [String: Int64]
        var targets: [FixedTargetJSON]
    }
    struct ShapeComputationJSON: Encodable {
        var nodes: [String]
        var ops, depends_on, used_by: [String: Int]
    }
    struct BlockerJSON: Encodable { var kind, node, op, problem, fix: String }
    struct ReleasesJSON: Encodable {
        struct Checked: Encodable { var release: String; var measured_wheel: String?; var loads: Bool }
        var opset: Int64?
        var ir_version: Int64
        var ml_opset: Int64?
        var oldest: String?
        var checked: [Checked]
    }
    struct ReportJSON: Encodable {
        var model, graph: String
        var graph_note: String?
        var blockers: [BlockerJSON]
        var ort_releases: ReleasesJSON?
        var shape_computation: ShapeComputationJSON?
        var targets: [TargetJSON]
        var fixed_model: FixedModelJSON?
    }

    static func nodeJSON(_ n: NodeSupport, checker: Bool) -> NodeJSON {
        NodeJSON(name: n.name, op: n.op, supported: n.supported, checker_supported: checker ? n.checker.supported : nil,
                 reason: n.blockers.isEmpty ? nil : n.blockers.map(\.description).joined(separator: "; "),
                 unverified: n.unverified.isEmpty ? nil : n.unverified)
    }

    public func json() throws -> String {
        var note: String?
        if case .raw(let why) = graph { note = why }
        let targets = predictions.map { p in
            let hasChecker = p.target.hasUsabilityChecker
            return TargetJSON(target: p.target.rawValue, graph: graph.jsonName,
                       catalog: "ORT \(p.target.catalog.ortRelease): \(p.target.catalog.source)",
                       counts: { var c = CountsJSON(p.counts); c.verdict = p.verdict.rawValue; return c }(),
                       fixed_shapes: p.fixedShapes.map { FixedJSON(dims: $0.bindings, counts: CountsJSON($0.counts), checker: hasChecker ? CountsJSON($0.checker) : nil,
                                                                   unsupported_nodes: $0.nodes.filter { !$0.supported && !$0.isConstantNode }.map { Self.nodeJSON($0, checker: hasChecker) }) },
                       checker: hasChecker ? CountsJSON(p.checker) : nil,
                       checker_differences: p.checkerDifferences.map { DifferenceJSON(node: $0.node, reason: $0.reason) },
                       compile_risks: p.compileRisks.map { RiskJSON(node: $0.node, problem: $0.problem, fix: $0.fix) },
                       measured: p.measured.map { MeasuredJSON(p, $0) },
                       nodes: p.nodes.filter { !$0.isConstantNode }.map { Self.nodeJSON($0, checker: hasChecker) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let fixed = fixedModel.map { f in
            FixedModelJSON(path: f.path, graph: f.graph.jsonName, dims: f.dims,
                           targets: f.predictions.map { FixedTargetJSON(target: $0.target.rawValue, counts: CountsJSON($0.counts)) })
        }
        let shape = shapeComputation.map { sc in
            ShapeComputationJSON(nodes: sc.nodes.map { predictions.first?.name(of: $0) ?? "\($0.scope):\($0.node)" },
                                 ops: Dictionary(uniqueKeysWithValues: sc.ops.map { ($0.op, $0.count) }),
                                 depends_on: Dictionary(uniqueKeysWithValues: sc.dependsOn.map { ($0.dim, $0.readers) }),
                                 used_by: Dictionary(uniqueKeysWithValues: sc.usedBy.map { ($0.op, $0.count) }))
        }
        return String(decoding: try encoder.encode(ReportJSON(model: modelPath, graph: graph.jsonName, graph_note: note,
                                                              blockers: blockers.map { BlockerJSON(kind: $0.kind.rawValue, node: $0.node, op: $0.op, problem: $0.problem, fix: $0.fix) },
                                                              ort_releases: releases.map { r in
                                                                  ReleasesJSON(opset: r.needs.opset, ir_version: r.needs.irVersion, ml_opset: r.needs.mlOpset, oldest: r.oldest?.description,
                                                                               checked: r.checked.map { .init(release: $0.release.description, measured_wheel: $0.release.measuredWheel, loads: $0.loads) })
                                                              },
                                                              shape_computation: shape,
                                                              targets: targets, fixed_model: fixed)), as: UTF8.self)
    }

    // MARK: Text

    /// The readable report: per target the verdict, partitions, what is not taken grouped by
    /// reason, the fixed-dims rerun, and where the usability checker would say otherwise.
    /// Names are escaped for the terminal.
    public func text(examples: Int = 4) -> String {
        var out: [String] = []
        switch graph {
        case .ortBasic: out.append("graph: ORT's basic-level optimized graph (what ORT hands to execution providers)")
        case .raw(let why): out.append("graph: the model as written (\(why.escapedForDisplay))")
        }
        if let r = releases {
            let asked = r.checked.map { "\($0.release) \($0.loads ? "loads it" : "refuses it")" }
            out.append("ONNX Runtime releases: " + (r.oldest.map { "\($0) and later load it" } ?? "none up to \(RuntimeRelease.newestKnown) loads it")
                       + " (\(r.needs.description))" + (asked.isEmpty ? "" : "; " + asked.joined(separator: ", ")))
        }
        if !blockers.isEmpty {
            out.append("model-level blockers (\(blockers.count)):")
            var byKind: [ModelBlocker.Kind: [ModelBlocker]] = [:]
            for b in blockers { byKind[b.kind, default: []].append(b) }
            for kind in [ModelBlocker.Kind.runtimeRefuses, .releaseTooOld, .atenFallback, .tracedShape, .customDomain, .dataDependentShape, .float64, .deepNesting] {
                guard let list = byKind[kind] else { continue }
                for b in list.prefix(examples) {
                    let at = b.op.isEmpty ? "" : "\(b.node.escapedForDisplay) (\(b.op.escapedForDisplay)): "
                    out.append("  \(kind.rawValue): " + at + b.problem.escapedForDisplay)
                    out.append("    fix: \(b.fix.escapedForDisplay)")
                }
                if list.count > examples { out.append("  … \(list.count - examples) more \(kind.rawValue) (--json lists them)") }
            }
        }
        if let sc = shapeComputation, !sc.isEmpty {
            let ops = sc.ops.prefix(6).map { "\($0.op) ×\($0.count)" }.joined(separator: ", ")
            let uses = sc.usedBy.prefix(6).map { "\($0.op) ×\($0.count)" }.joined(separator: ", ")
            let dims = sc.dependsOn.map(\.dim)
            out.append("shape computation at run time: \(sc.nodes.count) node\(sc.nodes.count == 1 ? "" : "s") (\(ops))"
                       + (uses.isEmpty ? "" : " feeding \(uses)")
                       + (dims.isEmpty ? "" : ", from \(dims.joined(separator: ", ").escapedForDisplay)"))
            if !dims.isEmpty {
                out.append("  fixing \(dims.joined(separator: ", ").escapedForDisplay) lets ORT fold them into constants "
                           + "(--fix-dims \(dims.map { "\($0)=N" }.joined(separator: ",").escapedForDisplay) -o OUT.onnx)")
            }
        }
        for p in predictions {
            out.append("")
            let c = p.counts
            out.append("\(p.target.displayName) (predicted from the ORT \(p.target.catalog.ortRelease) catalog): \(p.verdictWords)")
            out.append("  " + c.coverage)
            if !p.compileRisks.isEmpty {
                out.append("  predicted to FAIL the session (\(p.compileRisks.count) place\(p.compileRisks.count == 1 ? "" : "s")):")
                for r in p.compileRisks.prefix(examples) {
                    out.append("    " + (r.value.isEmpty && r.node == "(model)" ? "" : "\(r.node.escapedForDisplay): ") + r.problem.escapedForDisplay)
                    out.append("      fix: \(r.fix.escapedForDisplay)")
                }
                if p.compileRisks.count > examples { out.append("    … \(p.compileRisks.count - examples) more (--json lists them)") }
            }
            let blocked = p.nodes.filter { !$0.supported && !$0.isConstantNode }
            var byKind: [String: [NodeSupport]] = [:]
            for n in blocked { byKind[n.blockers[0].kind, default: []].append(n) }
            for kind in Blocker.reportOrder {
                guard let nodes = byKind[kind] else { continue }
                out.append("  not taken, \(kind): \(nodes.count) node\(nodes.count == 1 ? "" : "s")" + Self.kindSummary(kind, nodes))
                for n in nodes.prefix(examples) {
                    out.append("    \(n.name.escapedForDisplay) (\(n.op)): \(n.blockers.map(\.description).joined(separator: "; ").escapedForDisplay)")
                }
                if nodes.count > examples { out.append("    … \(nodes.count - examples) more (--json lists every node)") }
            }
            let unverified = Set(p.nodes.filter(\.supported).flatMap { n in n.unverified.map { "\(n.op): \($0)" } }).sorted()
            if !unverified.isEmpty {
                out.append("  taken, but not verified:")
                for u in unverified.prefix(examples * 2) { out.append("    " + u.escapedForDisplay) }
            }
            if let f = p.fixedShapes {
                let dims = f.bindings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
                out.append("  with the dims fixed (\(dims.isEmpty ? "no free dims" : dims.escapedForDisplay)): \(f.counts.coverage), \(f.counts.verdict.rawValue)")
                if f.counts.verdict > c.verdict {
                    out.append("    fix: export with these dims fixed, or fix them in the file:")
                    for command in fixCommands { out.append("      " + command.escapedForDisplay) }
                }
            }
            out += measuredLines(p, examples: examples)
            guard p.target.hasUsabilityChecker else { continue }
            out.append("  usability checker: " + checkerLine(p))
            for d in p.checkerDifferences.prefix(examples) {
                out.append("    \(d.node.escapedForDisplay): \(d.reason.escapedForDisplay)")
            }
            if p.checkerDifferences.count > examples { out.append("    … \(p.checkerDifferences.count - examples) more (--json lists them)") }
        }
        if let f = fixedModel {
            let dims = f.dims.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            let before = predictions.first?.counts.totalNodes, after = f.predictions.first?.counts.totalNodes
            out.append("")
            out.append("wrote \(f.path.escapedForDisplay): \(dims.escapedForDisplay) fixed, shape computations folded by ORT"
                       + (before != nil && after != nil ? " (its basic-level graph: \(before!) → \(after!) nodes)" : ""))
            for (b, a) in zip(predictions, f.predictions) {
                out.append("  \(a.target.displayName): \(b.counts.coverage), \(b.counts.verdict.rawValue) → \(a.counts.coverage), \(a.counts.verdict.rawValue)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func kindSummary(_ kind: String, _ nodes: [NodeSupport]) -> String {
        switch kind {
        case "operator":
            var ops: [String: Int] = [:]
            for n in nodes { ops[n.op, default: 0] += 1 }
            return " — " + ops.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key.replacingOccurrences(of: "ai.onnx:", with: "")) ×\($0.value)" }.joined(separator: ", ").escapedForDisplay
        case "dynamic shape":
            var symbols: [String: Int] = [:]
            for n in nodes {
                for case .dynamicShape(_, let dims) in n.blockers {
                    for d in Set(dims) where Int64(d) == nil { symbols[d, default: 0] += 1 }
                }
            }
            guard !symbols.isEmpty else { return "" }
            return " — depending on " + symbols.sorted { $0.value > $1.value }
                .map { $0.key == "?" ? "unknown dims (\($0.value))" : "\($0.key) (\($0.value))" }.joined(separator: ", ").escapedForDisplay
        default: return ""
        }
    }

    /// The measurement beside the prediction: agreement, each disagreement, or the session error.
    func measuredLines(_ p: TargetPrediction, examples: Int) -> [String] {
        guard let m = p.measured else { return [] }
        let ep = p.target.providerName.replacingOccurrences(of: "ExecutionProvider", with: "")
        switch m.outcome {
        case .notMeasurable(let why): return ["  not measured: \(why.escapedForDisplay)"]
        case .noReport(let why): return ["  not measured: \(why.escapedForDisplay)"]
        case .sessionFailed(let error):
            return ["  measured with \(m.runtime): the session FAILED with the \(ep) EP, so the model does not deploy on it as is:",
                    "    " + String(MeasuredPlacement.summary(of: error).prefix(600)).escapedForDisplay]
        case .assigned:
            guard let c = p.comparison else { return [] }
            var out = ["  measured with \(m.runtime): \(c.measuredTaken) of \(c.compared) nodes on \(ep); "
                       + (c.mismatches.isEmpty ? "the prediction agrees on every node" : "the prediction agrees on \(c.agreeing), differs on \(c.mismatches.count):")]
            for d in c.mismatches.prefix(examples) {
                let said = d.predictedTaken ? "predicted taken" : "predicted not taken (\(d.reason ?? "no reason"))"
                out.append("    \(d.node.escapedForDisplay) (\(d.op)): \(said.escapedForDisplay), ORT put it on \(d.measuredProvider.escapedForDisplay)")
            }
            if c.mismatches.count > examples { out.append("    … \(c.mismatches.count - examples) more (--json lists them)") }
            if !c.unmatched.isEmpty {
                out.append("    \(c.unmatched.count) node\(c.unmatched.count == 1 ? " is" : "s are") not in ORT's report (its optimizer removed or renamed them)")
            }
            return out
        }
    }

    func checkerLine(_ p: TargetPrediction) -> String {
        let c = p.checker
        var line = "\(c.coverage), \(c.verdict.rawValue)"
        if let f = p.fixedShapes { line += "; if the shapes were fixed \(f.checker.coverage), \(f.checker.verdict.rawValue)" }
        line += p.checkerDifferences.isEmpty ? " (same decisions)" : " — differs on \(p.checkerDifferences.count) node\(p.checkerDifferences.count == 1 ? "" : "s"):"
        return line
    }
}
