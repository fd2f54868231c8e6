import Foundation

extension ModelSummary {
    /// The summary as aligned plain text. Every name taken from the model is escaped, so a
    /// hostile file cannot send control sequences to the user's terminal.
    public func text() -> String {
        var out: [String] = []
        func line(_ s: String = "") { out.append(s) }
        func kv(_ k: String, _ v: String) { line(k.padding(toLength: 18, withPad: " ", startingAt: 0) + v) }
        func esc(_ s: String) -> String { s.escapedForDisplay }

        if let f = file { kv("file", esc(f.path) + "  (" + Format.bytes(f.sizeBytes) + ")") }
        for e in externalDataFiles { kv("external data", esc(e.path) + "  (" + Format.bytes(e.sizeBytes) + ")") }
        kv("ir version", "\(irVersion)")
        kv("opsets", opsets.map { "\(esc($0.domain)) \($0.version)" }.joined(separator: ", "))
        if !producerName.isEmpty { kv("producer", esc(producerName) + (producerVersion.isEmpty ? "" : " " + esc(producerVersion))) }
        if !domain.isEmpty { kv("domain", esc(domain)) }
        if modelVersion != 0 { kv("model version", "\(modelVersion)") }
        if !docString.isEmpty { kv("doc", esc(String(docString.prefix(200)))) }
        for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { kv("metadata", esc(k) + " = " + esc(String(v.prefix(120)))) }

        line(); line("inputs")
        for v in inputs { line("  " + esc(v.name) + "  " + esc(v.type)) }
        line("outputs")
        for v in outputs { line("  " + esc(v.name) + "  " + esc(v.type)) }

        line()
        kv("nodes", "\(nodeCount)" + (nodeCountWithSubgraphs != nodeCount ? "  (\(nodeCountWithSubgraphs) with sub-graphs)" : ""))
        kv("initializers", "\(initializerCount)")
        kv("parameters", Format.count(compute.parameters) + "  (" + Format.bytes(compute.parameterBytes) + ")")
        kv("MACs", Format.count(compute.macs))
        kv("activations", Format.bytes(compute.activationBytes))
        if !compute.dims.isEmpty { kv("", "at " + esc(compute.dims) + "; set with --dim NAME=VALUE") }
        if compute.valuesWithoutShape > 0 {
            kv("shapes", "\(compute.valuesWithoutShape) values without a full shape"
               + (compute.opsWithoutShapeRule.isEmpty ? "" : "; no rule for " + compute.opsWithoutShapeRule.map(esc).joined(separator: ", ")))
        }
        kv("quantization", esc(quantization.summary))
        if !customDomains.isEmpty { kv("custom domains", customDomains.map(esc).joined(separator: ", ")) }
        if !functions.isEmpty { kv("functions", functions.map(esc).joined(separator: ", ")) }

        line(); line("op types")
        let width = min(28, opHistogram.map { $0.op.count + ($0.domain == "ai.onnx" ? 0 : $0.domain.count + 1) }.max() ?? 0)
        for o in opHistogram {
            let name = (o.domain == "ai.onnx" ? "" : esc(o.domain) + ".") + esc(o.op)
            line("  " + name.padding(toLength: max(width, name.count), withPad: " ", startingAt: 0) + String(format: "%6d  ", o.count) + o.category)
        }

        line(); line("largest tensors")
        for t in largestTensors {
            line("  " + esc(t.name) + "  " + t.elementType + "[" + t.shape.map(String.init).joined(separator: ",") + "]  "
                 + Format.bytes(t.bytes) + (t.external ? "  (external)" : ""))
        }

        if !subgraphs.isEmpty {
            line(); line("sub-graphs")
            for s in subgraphs {
                line("  " + esc(s.path) + "  \(s.nodes) nodes"
                     + (s.outerReferences.isEmpty ? "" : "; reads " + s.outerReferences.prefix(6).map(esc).joined(separator: ", ")
                        + (s.outerReferences.count > 6 ? ", …" : "") + " from outside"))
            }
        }
        if !problems.isEmpty {
            line(); line("problems")
            for p in problems.prefix(50) { line("  " + p.severity + ": " + esc(p.message)) }
            if problems.count > 50 { line("  … \(problems.count - 50) more (see --json)") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Number formatting for reports: decimal units as model cards use them (25.6 M params).
public enum Format {
    public static func bytes(_ n: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n), i = 0
        while v >= 1000 && i < units.count - 1 { v /= 1000; i += 1 }
        return i == 0 ? "\(n) B" : String(format: v >= 100 ? "%.0f %@" : "%.1f %@", v, units[i])
    }

    public static func count(_ n: Int64) -> String {
        let a = Double(n)
        if a >= 1e9 { return String(format: "%.2f G", a / 1e9) }
        if a >= 1e6 { return String(format: "%.2f M", a / 1e6) }
        if a >= 1e3 { return String(format: "%.1f K", a / 1e3) }
        return "\(n)"
    }
}
