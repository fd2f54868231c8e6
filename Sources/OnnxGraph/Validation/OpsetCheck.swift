import OnnxModel

/// The model's `ir_version` and opset imports against what the runtime release loads, and
/// nodes whose domain has no opset import at all.
enum OpsetCheck {
    static func run(_ c: inout ValidationContext) {
        let m = c.model, r = c.runtime
        if m.irVersion > r.maxIRVersion {
            c.report(.error, .irVersion, "ir_version \(m.irVersion) " + tooNew(r, limit: "IR \(r.maxIRVersion)", first: RuntimeRelease.firstSupporting(ir: m.irVersion)), scope: 0)
        }
        if m.irVersion < 3 && !m.opsetImports.isEmpty {
            c.report(.warning, .irVersion, "ir_version \(m.irVersion) predates opset imports (IR 3), yet the model has some; the onnx checker refuses that", scope: 0)
        }
        if m.irVersion >= 3 && m.opsetImports.isEmpty {
            c.report(.error, .opsetImport, "the model imports no opsets (opset_import is empty), so none of its operators can be resolved", scope: 0)
        }
        for o in m.opsetImports {
            guard let max = r.maxVersion(ofDomain: o.domain), o.version > max else { continue }
            let name = o.domain.isEmpty ? "ai.onnx" : o.domain
            let first = RuntimeRelease.firstSupporting(domain: o.domain, version: o.version)
            c.report(.error, .opsetImport, "opset \(o.version) of \(name.escapedForDisplay) " + tooNew(r, limit: "opset \(max)", first: first), scope: 0)
        }
        checkImportsOfNodes(&c)
    }

    /// `is newer than …` for a version above `r`'s limit, naming the release that loads it.
    static func tooNew(_ r: RuntimeRelease, limit: String, first: RuntimeRelease?) -> String {
        if let first {
            return "needs ONNX Runtime \(first) or newer; \(r) loads up to \(limit)"
        }
        let newest = RuntimeRelease.newestKnown
        return r == newest
            ? "is newer than any ONNX Runtime release this build knows: the newest, \(r), loads up to \(limit)"
            : "is newer than any ONNX Runtime release this build knows (\(r) loads up to \(limit))"
    }

    /// Every node's domain needs an opset import ("No opset import for domain 'com.example'").
    ///
    /// There is deliberately no lower bound on the ai.onnx opset: ORT's documentation promises
    /// opset 7 and later, but it loads most opset 6 models (the onnx package's PyTorch-converted
    /// test models are opset 6); what fails there is a kernel for one old op version
    /// ("Could not find an implementation for Add(1)"), which this check cannot know.
    static func checkImportsOfNodes(_ c: inout ValidationContext) {
        guard !c.model.opsetImports.isEmpty else { return }   // reported once above
        var missing: [String: [(scope: Int, node: Int)]] = [:]
        for scope in c.index.scopes {
            for (n, node) in scope.graph.nodes.enumerated() {
                let domain = node.isDefaultDomain ? "" : node.domain
                if c.model.opsetVersion(for: domain) == nil { missing[domain, default: []].append((scope.id, n)) }
            }
        }
        for (domain, places) in missing.sorted(by: { $0.key < $1.key }) {
            let name = domain.isEmpty ? "ai.onnx" : domain
            let s = places[0].scope
            let nodes = places.filter { $0.scope == s }.map(\.node)
            let who = places.count == 1 ? "node \(c.nodeList(s, nodes))\(c.whereabouts(s)) uses"
                : "\(places.count) nodes (\(c.nodeList(s, nodes))\(c.whereabouts(s))) use"
            c.report(.error, .opsetImport, "\(who) domain '\(name.escapedForDisplay)', but the model has no opset import for it",
                     scope: s, nodes: nodes)
        }
    }
}
