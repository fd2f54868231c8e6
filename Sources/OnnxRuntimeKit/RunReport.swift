import Foundation
import OnnxModel

/// The result of `onnxscope run` as text, JSON, CSV and a Chrome trace. Lives in the runtime
/// library so the explorer can export the same files the command writes.
public struct RunReport {
    public let model: String
    public let library: OrtLibrary
    public let config: SessionConfiguration
    public let runs: Int
    public let warmup: Int
    public let result: ModelRunner.Result
    /// Where each input came from ("test set", a path, "generated: ...").
    public let origins: [String: String]
    public let feeds: [String: HostTensor]
    public let comparisons: [TensorComparison]

    public init(model: String, library: OrtLibrary, config: SessionConfiguration, runs: Int, warmup: Int,
                result: ModelRunner.Result, origins: [String: String], feeds: [String: HostTensor], comparisons: [TensorComparison]) {
        self.model = model; self.library = library; self.config = config; self.runs = runs; self.warmup = warmup
        self.result = result; self.origins = origins; self.feeds = feeds; self.comparisons = comparisons
    }

    /// A file name for an output/input name (`/` and other separators replaced).
    public static func fileSafe(_ name: String) -> String {
        String(name.map { $0 == "/" || $0 == "\\" || $0 == ":" ? "_" : $0 })
    }

    static func ms(_ v: Double) -> String { String(format: v >= 100 ? "%.1f" : (v >= 1 ? "%.2f" : "%.3f"), v) }
    static func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }

    static func shape(_ s: [Int64]) -> String { "[" + s.map(String.init).joined(separator: ",") + "]" }

    static func executionText(_ e: NodeExecution) -> (String, String?) {
        switch e {
        case .kernel: return ("kernel", nil)
        case .fused(let into, _): return ("fused", into)
        case .compiled: return ("compiled", nil)
        case .eliminated: return ("eliminated", nil)
        }
    }

    static func kernelName(_ e: NodeExecution) -> String? {
        switch e {
        case .kernel(let k), .compiled(let k), .fused(_, let k): return k
        case .eliminated: return nil
        }
    }

    // MARK: text

    /// The readable report printed by default.
    public func text(top: Int = 20) -> String {
        var out: [String] = []
        let providers = config.providers.isEmpty ? "CPU" : config.providers.map(\.description).joined(separator: " > ")
        out.append("model      \(model)")
        out.append("runtime    ONNX Runtime \(library.version) (C API \(library.apiVersion)) \(library.path)")
        out.append("settings   providers \(providers)\(config.cpuFallback ? "" : " (no CPU fallback)"), threads \(config.intraOpThreads.map(String.init) ?? "auto"), opt level \(config.optimizationLevel), \(runs) runs after \(warmup) warm-up")
        for info in result.inputs {
            let t = feeds[info.name]
            out.append("input      \(info.name) \(t.map { "\($0.elementType)\(Self.shape($0.shape))" } ?? "?")  (\(origins[info.name] ?? ""))")
        }
        for info in result.outputInfos {
            let t = result.outputs[info.name]
            out.append("output     \(info.name) \(t.map { "\($0.elementType)\(Self.shape($0.shape))" } ?? "?")")
        }
        let l = result.latency
        out.append("")
        out.append("latency    p50 \(Self.ms(l.p50)) ms   p90 \(Self.ms(l.p90)) ms   p99 \(Self.ms(l.p99)) ms   mean \(Self.ms(l.mean)) ms   (\(String(format: "%.1f", l.throughput)) runs/s)")
        out.append("session    created in \(Self.ms(result.sessionCreateMs)) ms")
        if let p = result.profile, let pl = result.profiledLatency {
            out.append("profiled   p50 \(Self.ms(pl.p50)) ms (\(String(format: "%+.1f%%", result.profilingOverheadPercent ?? 0)) profiler overhead); per run: kernels \(Self.ms(p.kernelTotalMeanMs)) ms + framework \(Self.ms(p.frameworkOverheadMeanMs)) ms = \(Self.ms(p.runLatency.mean)) ms")
            out.append("placement  " + (p.assignmentFromORT ? "from ORT's EP assignment report" : "from profiler events (ORT < 1.24 gives no assignment report)"))
            out.append("")
            out.append(contentsOf: table(p, top: top))
            out.append("")
            out.append(buckets("by op type", p.byOpType, limit: 12))
            out.append(buckets("by provider", p.byProvider, limit: 12))
            if p.partitions.count > 1 {
                out.append(buckets("by partition", p.byPartition, limit: 12))
            }
        }
        if let parts = result.partitions, Set(parts.map(\.provider)).count > 1 {
            out.append(partitionLine(parts))
        }
        if !comparisons.isEmpty {
            out.append("")
            for c in comparisons {
                let status = c.passed ? "PASS" : "FAIL"
                let detail = c.structuralProblem ?? "max abs \(String(format: "%.3g", c.maxAbsError)), max rel \(String(format: "%.3g", c.maxRelError)), \(c.mismatches)/\(c.elementCount) outside tolerance"
                out.append("check      \(status) \(c.name): \(detail)")
            }
        }
        // Names come from the model and from ORT's messages: never let them drive the terminal.
        // Each entry is one line (the table escapes its cells itself), so escaping an entry
        // never turns the report's own line breaks into a literal `\n`.
        return out.map(\.escapedForDisplay).joined(separator: "\n")
    }

    static func shortProvider(_ p: String) -> String { p.replacingOccurrences(of: "ExecutionProvider", with: "") }

    /// `partitions 3 (runs of one EP along the graph): #1 OpenVINO (2 nodes), #2 CPU (1 node), ...`
    func partitionLine(_ parts: [ExecutionPartition], limit: Int = 12) -> String {
        let shown = parts.prefix(limit).map { "#\($0.number) \(Self.shortProvider($0.provider)) (\($0.nodes.count) node\($0.nodes.count == 1 ? "" : "s"))" }
        let more = parts.count > limit ? ", … \(parts.count - limit) more" : ""
        return "partitions \(parts.count) (runs of one EP along the graph): " + shown.joined(separator: ", ") + more
    }

    /// The node table, one string per line: a summary line, the header, one row per node.
    /// Cells are escaped before the columns are measured, so an escaped name still lines up.
    func table(_ p: RuntimeProfile, top: Int) -> [String] {
        let timed = p.nodes.filter { $0.time != nil }.sorted { ($0.time?.p50 ?? 0) > ($1.time?.p50 ?? 0) }
        var fusedInto: [String: [String]] = [:]
        for n in p.nodes { if case .fused(let into, _) = n.execution { fusedInto[into, default: []].append(n.opType) } }
        var rows: [[String]] = [["node", "op", "provider", "part", "p50 ms", "p90 ms", "share", "covers"]]
        for n in timed.prefix(top) {
            var covers = ""
            switch n.execution {
            case .compiled(let k):
                let count = p.nodes.filter { if case .compiled(let k2) = $0.execution { return k2 == k }; return false }.count
                covers = "compiled subgraph, \(count) nodes"
            default:
                if let f = fusedInto[n.displayName] { covers = "+ " + f.joined(separator: "+") }
            }
            rows.append([n.displayName.escapedForDisplay, n.opType.escapedForDisplay, Self.shortProvider(n.provider ?? "").escapedForDisplay,
                         n.partition.map(String.init) ?? "", Self.ms(n.time!.p50), Self.ms(n.time!.p90), Self.pct(n.share), covers.escapedForDisplay])
        }
        for k in p.kernels where k.kind == .inserted {
            rows.append(["(\(k.kernel))".escapedForDisplay, k.opName.escapedForDisplay, Self.shortProvider(k.provider).escapedForDisplay, "",
                         Self.ms(k.time.p50), Self.ms(k.time.p90), Self.pct(k.share), "inserted by ORT"])
            if rows.count > top + 6 { break }
        }
        let eliminated = p.nodes.filter { $0.execution == .eliminated }.count
        let fused = p.nodes.filter { if case .fused = $0.execution { return true }; return false }.count
        var widths = [Int](repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = min(max(widths[i], c.count), i == 0 ? 40 : 60) } }
        var lines = rows.map { r in
            r.enumerated().map { i, c in
                let cell = c.count > widths[i] ? String(c.prefix(widths[i] - 1)) + "…" : c
                return (4...6).contains(i) ? String(repeating: " ", count: widths[i] - cell.count) + cell
                                            : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
        lines.insert("nodes      \(p.nodes.count) in graph: \(timed.count) timed kernels, \(fused) fused into others, \(eliminated) eliminated by ORT; top \(min(top, timed.count)) by p50:", at: 0)
        return lines
    }

    func buckets(_ title: String, _ b: [TimeBucket], limit: Int) -> String {
        let items = b.prefix(limit).map { "\(Self.shortProvider($0.key)) \(Self.ms($0.meanMs)) ms \(Self.pct($0.share))" }
        return title.padding(toLength: 13, withPad: " ", startingAt: 0) + items.joined(separator: " · ")
    }

    // MARK: JSON

    static func stats(_ s: LatencyStats) -> [String: Any] {
        ["p50": s.p50, "p90": s.p90, "p99": s.p99, "mean": s.mean, "min": s.min, "max": s.max, "count": s.count]
    }

    /// The `--json` document. End-to-end latency in ms under `latency_ms` (`p50`, `p90`, `p99`);
    /// per node: name, op, provider, partition (see ``ExecutionPartition``), time (p50 ms);
    /// `partitions` lists the runs, `ort_ep_subgraphs` ORT's own assignment report.
    public func json() throws -> String {
        var doc: [String: Any] = [
            "model": model,
            "ort": ["path": library.path, "version": library.version, "api_version": Int(library.apiVersion)],
            "settings": ["providers": config.providers.map(\.description), "cpu_fallback": config.cpuFallback,
                         "threads": config.intraOpThreads as Any? ?? NSNull(), "opt_level": Int(config.optimizationLevel.rawValue),
                         "runs": runs, "warmup": warmup],
            "session_create_ms": result.sessionCreateMs,
            "latency_ms": Self.stats(result.latency),
            "throughput_per_s": result.latency.throughput,
            "inputs": result.inputs.map { i -> [String: Any] in
                ["name": i.name, "type": feeds[i.name]?.elementType.description ?? "", "shape": feeds[i.name]?.shape ?? [],
                 "source": origins[i.name] ?? ""]
            },
            "outputs": result.outputInfos.map { o -> [String: Any] in
                ["name": o.name, "type": result.outputs[o.name]?.elementType.description ?? "", "shape": result.outputs[o.name]?.shape ?? []]
            },
        ]
        if let parts = result.partitions {
            doc["partitions"] = parts.map { ["number": $0.number, "provider": $0.provider, "nodes": $0.nodeNames] as [String: Any] }
        }
        if let a = result.assignment {
            // ORT's own list, in its order (one subgraph per CPU node), for comparing with ORT's tools.
            doc["ort_ep_subgraphs"] = a.map { ["index": $0.index, "provider": $0.provider, "nodes": $0.nodes.map(\.name)] as [String: Any] }
        }
        if let p = result.profile {
            doc["profiled_latency_ms"] = result.profiledLatency.map(Self.stats) ?? NSNull()
            doc["profiling_overhead_percent"] = result.profilingOverheadPercent ?? NSNull()
            doc["kernel_total_ms"] = p.kernelTotalMeanMs
            doc["framework_overhead_ms"] = p.frameworkOverheadMeanMs
            doc["inserted_kernels_ms"] = p.insertedKernelMeanMs
            doc["placement_source"] = p.assignmentFromORT ? "ort_assignment" : "profiler"
            doc["nodes"] = p.nodes.map { n -> [String: Any] in
                let (exec, into) = Self.executionText(n.execution)
                var d: [String: Any] = ["index": n.index, "name": n.displayName, "op": n.opType,
                                        "provider": n.provider ?? NSNull(), "partition": n.partition ?? NSNull(),
                                        "execution": exec, "time": n.time?.p50 ?? 0, "share": n.share]
                if let t = n.time { d["time_ms"] = ["p50": t.p50, "p90": t.p90, "mean": t.mean] }
                if let into { d["fused_into"] = into }
                if let k = Self.kernelName(n.execution) { d["kernel"] = k }
                if !n.inputShapes.isEmpty { d["input_shapes"] = n.inputShapes }
                return d
            }
            doc["kernels"] = p.kernels.map { k -> [String: Any] in
                ["name": k.kernel, "op": k.opName, "provider": k.provider, "kind": k.kind.rawValue,
                 "nodes": k.nodes.map { p.nodes[$0].displayName }, "time_ms": ["p50": k.time.p50, "p90": k.time.p90, "mean": k.time.mean],
                 "share": k.share]
            }
            func b(_ x: [TimeBucket]) -> [[String: Any]] { x.map { ["key": $0.key, "ms": $0.meanMs, "share": $0.share, "count": $0.count] } }
            doc["by_op_type"] = b(p.byOpType)
            doc["by_provider"] = b(p.byProvider)
            doc["by_partition"] = b(p.byPartition)
        }
        if !comparisons.isEmpty {
            doc["check"] = comparisons.map { c -> [String: Any] in
                ["output": c.name, "passed": c.passed, "max_abs_error": c.maxAbsError.isFinite ? c.maxAbsError : NSNull(),
                 "max_rel_error": c.maxRelError.isFinite ? c.maxRelError : NSNull(), "mismatches": c.mismatches,
                 "elements": c.elementCount, "problem": c.structuralProblem ?? NSNull()]
            }
        }
        let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    // MARK: CSV and trace

    /// One row per original node.
    public static func csv(_ p: RuntimeProfile) -> String {
        func q(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var lines = ["index,name,op,provider,partition,execution,fused_into,kernel,p50_ms,p90_ms,mean_ms,share,input_shapes"]
        for n in p.nodes {
            let (exec, into) = executionText(n.execution)
            let cells: [String] = [String(n.index), q(n.displayName), n.opType, n.provider ?? "", n.partition.map(String.init) ?? "", exec,
                                   q(into ?? ""), q(kernelName(n.execution) ?? ""),
                                   n.time.map { String(format: "%.6f", $0.p50) } ?? "", n.time.map { String(format: "%.6f", $0.p90) } ?? "",
                                   n.time.map { String(format: "%.6f", $0.mean) } ?? "", String(format: "%.6f", n.share), q(n.inputShapes)]
            lines.append(cells.joined(separator: ","))
        }
        for k in p.kernels where k.kind == .inserted {
            lines.append(",\(q("(" + k.kernel + ")")),\(k.opName),\(k.provider),,inserted,,\(q(k.kernel)),\(String(format: "%.6f,%.6f,%.6f,%.6f", k.time.p50, k.time.p90, k.time.mean, k.share)),")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// ORT's profile is already Chrome trace JSON; we add, to each kernel event, the original
    /// nodes it covers so Perfetto shows them.
    public static func writeTrace(profile p: RuntimeProfile, ortProfile: String, to path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: ortProfile))
        guard var events = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw RuntimeError.invalidInput("\(ortProfile) is not a trace")
        }
        var covers: [String: [String]] = [:]
        for k in p.kernels { covers[k.provider + "\u{0}" + k.kernel] = k.nodes.map { p.nodes[$0].displayName } }
        for i in events.indices {
            guard let name = events[i]["name"] as? String, name.hasSuffix("_kernel_time"),
                  var args = events[i]["args"] as? [String: Any] else { continue }
            let key = (args["provider"] as? String ?? "") + "\u{0}" + String(name.dropLast("_kernel_time".count))
            if let nodes = covers[key] {
                args["onnxscope_nodes"] = nodes
                events[i]["args"] = args
            }
        }
        let out = try JSONSerialization.data(withJSONObject: ["traceEvents": events, "displayTimeUnit": "ms"], options: [])
        try out.write(to: URL(fileURLWithPath: path))
    }
}
