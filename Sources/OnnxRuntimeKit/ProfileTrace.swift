import Foundation

/// The events of one ORT profile file (Chrome trace JSON written by `EnableProfiling`), reduced
/// to what onnxscope needs: one entry per `model_run` and per kernel execution.
public struct ProfileTrace: Sendable {
    /// One `Node` event ORT recorded for a kernel it executed (`<name>_kernel_time`).
    public struct KernelEvent: Sendable, Equatable {
        /// Event name without the `_kernel_time` suffix: the node name of the kernel ORT built
        /// (after fusion, layout changes or EP compilation).
        public let kernel: String
        /// `args.op_name`: `FusedConv`, `Conv`, `OpenVINO-EP-subgraph_1`, ...
        public let opName: String
        /// `args.provider`, e.g. `CPUExecutionProvider`.
        public let provider: String
        /// Start, microseconds since the profiler started.
        public let start: Int64
        /// Duration in microseconds.
        public let duration: Int64
        /// Index of the `model_run` this kernel belongs to, or nil if it ran outside any.
        public let run: Int?
        /// `args.input_type_shape` flattened to text, e.g. `float[1,3,224,224], float[64,3,7,7]`.
        public let inputShapes: String
        /// `args.node_index`: ORT's index of the node in its graph. Nodes ORT did not replace
        /// keep their position in the model, which identifies unnamed nodes.
        public let nodeIndex: Int?

        /// The same event `shift` microseconds later, in run `run`.
        func moved(by shift: Int64, run: Int?) -> KernelEvent {
            KernelEvent(kernel: kernel, opName: opName, provider: provider, start: start + shift, duration: duration,
                        run: run, inputShapes: inputShapes, nodeIndex: nodeIndex)
        }
    }

    /// Each `model_run` event: start and duration in microseconds.
    public let runs: [(start: Int64, duration: Int64)]
    public let kernels: [KernelEvent]

    /// This trace as Chrome trace JSON (chrome://tracing, ui.perfetto.dev), in ORT's own
    /// profile format (an array of events, `model_run` spans and `<kernel>_kernel_time` spans
    /// with ORT's times and args), so ``parse(_:)`` reads it back; one track per provider.
    public func chromeTraceJSON(processName: String) throws -> Data {
        var providers: [String] = []
        for k in kernels where !providers.contains(k.provider) { providers.append(k.provider) }
        var events: [[String: Any]] = [["name": "process_name", "ph": "M", "pid": 1, "args": ["name": processName]],
                                       ["name": "thread_name", "ph": "M", "pid": 1, "tid": 0, "args": ["name": "model_run"]]]
        for (i, p) in providers.enumerated() {
            events.append(["name": "thread_name", "ph": "M", "pid": 1, "tid": i + 1, "args": ["name": p]])
        }
        for r in runs {
            events.append(["name": "model_run", "cat": "Session", "ph": "X", "pid": 1, "tid": 0, "ts": r.start, "dur": r.duration])
        }
        for k in kernels {
            var args: [String: Any] = ["op_name": k.opName, "provider": k.provider, "input_type_shape": Self.shapesList(k.inputShapes)]
            if let i = k.nodeIndex { args["node_index"] = String(i) }
            events.append(["name": k.kernel + "_kernel_time", "cat": "Node", "ph": "X", "pid": 1,
                           "tid": (providers.firstIndex(of: k.provider) ?? 0) + 1, "ts": k.start, "dur": k.duration, "args": args])
        }
        return try JSONSerialization.data(withJSONObject: events, options: [.sortedKeys])
    }

    /// Parses a profile file.
    public static func load(path: String) throws -> ProfileTrace {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError.invalidInput("cannot read profile \(path)")
        }
        return try parse(data)
    }

    /// Parses profile JSON (an array of trace events).
    public static func parse(_ data: Data) throws -> ProfileTrace {
        guard let events = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw RuntimeError.invalidInput("profile is not a JSON array of events")
        }
        func int(_ v: Any?) -> Int64 {
            if let n = v as? NSNumber { return n.int64Value }
            if let s = v as? String { return Int64(s) ?? 0 }
            return 0
        }
        var runs: [(Int64, Int64)] = []
        var raw: [(String, String, String, Int64, Int64, String, Int?)] = []
        for e in events {
            let name = e["name"] as? String ?? ""
            let cat = e["cat"] as? String ?? ""
            if cat == "Session" && name == "model_run" {
                runs.append((int(e["ts"]), int(e["dur"])))
            } else if cat == "Node" && name.hasSuffix("_kernel_time") {
                let args = e["args"] as? [String: Any] ?? [:]
                raw.append((String(name.dropLast("_kernel_time".count)), args["op_name"] as? String ?? "",
                            args["provider"] as? String ?? "", int(e["ts"]), int(e["dur"]),
                            shapesText(args["input_type_shape"]), args["node_index"].flatMap { Int("\($0)") }))
            }
        }
        runs.sort { $0.0 < $1.0 }
        let kernels = raw.map { k -> KernelEvent in
            // The run whose interval contains the kernel's start.
            var lo = 0, hi = runs.count - 1, found: Int? = nil
            while lo <= hi {
                let mid = (lo + hi) / 2
                if runs[mid].0 <= k.3 { found = mid; lo = mid + 1 } else { hi = mid - 1 }
            }
            if let f = found, k.3 > runs[f].0 + runs[f].1 { found = nil }
            return KernelEvent(kernel: k.0, opName: k.1, provider: k.2, start: k.3, duration: k.4, run: found, inputShapes: k.5, nodeIndex: k.6)
        }
        return ProfileTrace(runs: runs.map { (start: $0.0, duration: $0.1) }, kernels: kernels)
    }

    /// Each `model_run` as a trace of its own (its kernels, times unchanged); kernels outside
    /// any run are dropped. Lets runs from different profile files share one rolling window.
    public func splitByRun() -> [ProfileTrace] {
        var kernelsOf = Array(repeating: [KernelEvent](), count: runs.count)
        for k in kernels { if let r = k.run { kernelsOf[r].append(k.moved(by: 0, run: 0)) } }
        return runs.indices.map { ProfileTrace(runs: [runs[$0]], kernels: kernelsOf[$0]) }
    }

    /// The runs of `traces` one after another on one time line (each trace shifted to start
    /// after the previous one ends, runs renumbered), as if one profiler had recorded them all.
    /// Every trace file starts its clock at its own zero, so plain concatenation would put runs
    /// on top of each other.
    public static func concatenating(_ traces: [ProfileTrace]) -> ProfileTrace {
        var runs: [(start: Int64, duration: Int64)] = []
        var kernels: [KernelEvent] = []
        var next: Int64 = 0
        for t in traces {
            let first = min(t.runs.map(\.start).min() ?? 0, t.kernels.map(\.start).min() ?? 0)
            let last = max(t.runs.map { $0.start + $0.duration }.max() ?? 0, t.kernels.map { $0.start + $0.duration }.max() ?? 0)
            let shift = next - first
            let base = runs.count
            runs += t.runs.map { (start: $0.start + shift, duration: $0.duration) }
            kernels += t.kernels.map { $0.moved(by: shift, run: $0.run.map { $0 + base }) }
            next = last + shift + 1
        }
        return ProfileTrace(runs: runs, kernels: kernels)
    }

    /// ``shapesText(_:)`` undone: `float[1,3], int64[2]` → `[{"float": [1, 3]}, {"int64": [2]}]`.
    static func shapesList(_ text: String) -> [[String: [Int64]]] {
        guard !text.isEmpty else { return [] }
        return text.components(separatedBy: "], ").map { item in
            let parts = item.split(separator: "[", maxSplits: 1)
            let type = String(parts.first ?? "")
            let dims = parts.count > 1 ? parts[1].replacingOccurrences(of: "]", with: "").split(separator: ",").compactMap { Int64($0) } : []
            return [type: dims]
        }
    }

    /// `[{"float":[1,3,224,224]}, ...]` → `float[1,3,224,224], ...`.
    static func shapesText(_ v: Any?) -> String {
        guard let list = v as? [[String: Any]] else { return "" }
        return list.compactMap { d in
            guard let (type, dims) = d.first else { return nil }
            let ds = (dims as? [Any])?.map { "\($0)" }.joined(separator: ",") ?? ""
            return "\(type)[\(ds)]"
        }.joined(separator: ", ")
    }
}

extension ProfileTrace: Equatable {
    public static func == (a: ProfileTrace, b: ProfileTrace) -> Bool {
        a.kernels == b.kernels && a.runs.count == b.runs.count
            && zip(a.runs, b.runs).allSatisfy { $0.start == $1.start && $0.duration == $1.duration }
    }
}
