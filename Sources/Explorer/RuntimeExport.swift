import Foundation
import OnnxModel

/// The per-node figures of the live run as a file (palette `export PATH.csv|PATH.json`), or the
/// newest profiled run as a Chrome/Perfetto timeline (`export PATH.trace.json`): a new file,
/// written atomically, never over an existing one.
enum RuntimeExport {
    struct Row: Encodable {
        var node: String
        var op: String
        var provider: String?
        var partition: Int?
        var p50_us: Double?
        var p90_us: Double?
        var share: Double?
        var execution: String?
    }

    static func rows(_ app: ExplorerApp) -> [Row] {
        let main = app.document.scope(0)
        return main.topologicalOrder.compactMap { n in
            let key = NodeKey(scope: 0, node: n)
            guard let a = app.state.annotations[key] else { return nil }
            return Row(node: main.displayName(n), op: main.node(n).opType, provider: a.provider, partition: a.partition,
                       p50_us: a.kernelTimeMicroseconds, p90_us: a.kernelTimeP90Microseconds, share: a.share,
                       execution: a.execution?.description)
        }
    }

    /// CSV with a header row; fields with commas, quotes or newlines are quoted.
    static func csv(_ rows: [Row]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        func num(_ d: Double?) -> String { d.map { String(format: "%.3f", $0) } ?? "" }
        var out = "node,op,provider,partition,p50_us,p90_us,share,execution\n"
        for r in rows {
            out += [field(r.node), field(r.op), field(r.provider ?? ""), r.partition.map(String.init) ?? "",
                    num(r.p50_us), num(r.p90_us), r.share.map { String(format: "%.5f", $0) } ?? "", field(r.execution ?? "")].joined(separator: ",") + "\n"
        }
        return out
    }

    static func write(_ app: ExplorerApp, to path: String) throws -> Int {
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: target) { throw TensorExportError("\(path) exists; choose a new file") }
        if path.lowercased().hasSuffix(".trace.json") {
            // The newest profiled run as ORT recorded it, for chrome://tracing or Perfetto.
            guard let trace = app.state.runtime.lastProfiledRun else {
                throw TensorExportError("no profiled run yet: r starts a live run, and the first profile follows within seconds")
            }
            let name = URL(fileURLWithPath: app.document.path ?? "model").lastPathComponent
            try AtomicFile.write(Array(try trace.chromeTraceJSON(processName: "onnxscope live: " + name)), to: target)
            return trace.kernels.count
        }
        let rows = rows(app)
        guard !rows.isEmpty else { throw TensorExportError("nothing measured yet: r starts a live run") }
        let bytes: [UInt8]
        if path.lowercased().hasSuffix(".json") {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            struct Doc: Encodable { var source: String?; var latency_p50_ms: Double?; var nodes: [Row] }
            bytes = Array(try enc.encode(Doc(source: app.state.annotations.source, latency_p50_ms: app.state.runtime.latency?.p50, nodes: rows)))
        } else if path.lowercased().hasSuffix(".csv") {
            bytes = Array(csv(rows).utf8)
        } else {
            throw TensorExportError("export writes .csv, .json, or .trace.json (a Chrome/Perfetto timeline); got \(path)")
        }
        try AtomicFile.write(bytes, to: target)
        return rows.count
    }
}

extension ExplorerApp {
    /// `export PATH`: the live run's per-node figures as CSV or JSON.
    func exportRuntime(_ args: [String]) {
        let path = (args[0] as NSString).expandingTildeInPath
        do {
            let n = try RuntimeExport.write(self, to: path)
            state.message = StatusMessage("wrote \(n) \(path.lowercased().hasSuffix(".trace.json") ? "kernel events" : "nodes") to \(path.escapedForDisplay)")
        } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
        }
    }
}
