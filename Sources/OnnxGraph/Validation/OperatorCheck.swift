import OnnxModel

/// Does every node's operator exist in its domain at the imported opset version, and can
/// ONNX Runtime's CPU provider run the version it resolves to?
///
/// For the domains ONNX Runtime builds in (ai.onnx, ai.onnx.ml, com.microsoft,
/// com.microsoft.nchwc) an unknown operator, one newer than the imported opset, or one
/// deprecated there is an error: both tools refuse it ("No Op registered for Gelu with
/// domain_version of 11"). So is an old ai.onnx version without a CPU kernel (ORT: "Could not
/// find an implementation for Mul(6)"), which the checker accepts. Nodes of any other domain
/// are a warning: ORT loads them only when a custom-op library registers the domain, and the
/// onnx checker cannot check them at all. Nodes that call a model-local function are fine in
/// any domain.
enum OperatorCheck {
    static func run(_ c: inout ValidationContext) {
        let functions = Set(c.model.functions.map { FunctionKey(domain: $0.domain, name: $0.name) })
        for scope in c.index.scopes {
            var verdicts: [Verdict: [Int]] = [:]
            var customDomains: [String: (ops: Set<String>, nodes: [Int])] = [:]
            var spelledAIONNX: [Int] = []
            for (n, node) in scope.graph.nodes.enumerated() {
                if node.opType.isEmpty {
                    c.report(.error, .unknownOperator, "node \(c.nodeLabel(scope.id, n))\(c.whereabouts(scope.id)) has no op_type", scope: scope.id, nodes: [n])
                    continue
                }
                let domain = node.isDefaultDomain ? "" : node.domain
                if functions.contains(FunctionKey(domain: node.domain, name: node.opType)) { continue }
                if node.domain == "ai.onnx" { spelledAIONNX.append(n) }
                guard let version = c.model.opsetVersion(for: domain) else { continue }   // OpsetCheck reports it
                switch lookUp(node.opType, domain: domain, version: version) {
                case .available: break
                case .custom: customDomains[domain, default: ([], [])].ops.insert(node.opType); customDomains[domain]!.nodes.append(n)
                case let v: verdicts[Verdict(domain: domain, op: node.opType, version: version, availability: v), default: []].append(n)
                }
            }
            let at = c.whereabouts(scope.id)
            for (v, nodes) in verdicts.sorted(by: { ($0.key.domain, $0.key.op) < ($1.key.domain, $1.key.op) }) {
                let who = " (node\(nodes.count == 1 ? "" : "s") \(c.nodeList(scope.id, nodes))\(at))"
                let dom = v.domain.isEmpty ? "ai.onnx" : v.domain.escapedForDisplay
                let op = v.op.escapedForDisplay
                switch v.availability {
                case .unknown:
                    c.report(.error, .unknownOperator, "\(op) is not an operator of \(dom)\(v.domain.isEmpty || v.domain == "ai.onnx.ml" ? "" : " that ONNX Runtime registers")" + who, scope: scope.id, nodes: nodes)
                case .notYet(let first):
                    c.report(.error, .unknownOperator, "\(op) does not exist at \(dom) opset \(v.version): it first appears in opset \(first)" + who, scope: scope.id, nodes: nodes)
                case .deprecated(let since):
                    c.report(.error, .unknownOperator, "\(op) is deprecated at \(dom) opset \(v.version) (since opset \(since))" + who, scope: scope.id, nodes: nodes)
                case .runtimeOnly:
                    c.report(.warning, .unknownOperator, "\(op) is an ONNX Runtime extension, not an ai.onnx operator: ORT loads it, the onnx checker refuses it" + who, scope: scope.id, nodes: nodes)
                case .noKernel(let resolved):
                    c.report(.error, .unknownOperator, "ONNX Runtime's CPU provider has no kernel for \(op)-\(resolved), the version opset \(v.version) resolves to; a newer opset (re-export) avoids it" + who, scope: scope.id, nodes: nodes)
                case .available, .custom: break
                }
            }
            for (domain, found) in customDomains.sorted(by: { $0.key < $1.key }) {
                let ops = found.ops.sorted().prefix(6).map(\.escapedForDisplay).joined(separator: ", ") + (found.ops.count > 6 ? ", …" : "")
                c.report(.warning, .unknownDomain,
                         "ONNX Runtime has no built-in operators in domain '\(domain.escapedForDisplay)' (\(ops); node\(found.nodes.count == 1 ? "" : "s") \(c.nodeList(scope.id, found.nodes))\(at)): it loads the model only with a custom-op library that registers them",
                         scope: scope.id, nodes: found.nodes)
            }
            if !spelledAIONNX.isEmpty {
                let one = spelledAIONNX.count == 1
                c.report(.warning, .opsetImport,
                         "node\(one ? "" : "s") \(c.nodeList(scope.id, spelledAIONNX))\(at) spell\(one ? "s its" : " their") domain 'ai.onnx': ONNX Runtime accepts it, the onnx checker only resolves '' (the empty domain)",
                         scope: scope.id, nodes: spelledAIONNX)
            }
        }
    }

    struct FunctionKey: Hashable {
        var domain: String
        var name: String
    }

    /// Whether an operator resolves at an opset version.
    enum Availability: Hashable {
        case available
        /// No such operator in a domain ORT builds in.
        case unknown
        /// It exists, but only from opset `first` on.
        case notYet(first: Int)
        /// Its definition at the imported version is deprecated, since opset `since`.
        case deprecated(since: Int)
        /// Registered by ONNX Runtime in the default domain but not defined by ONNX.
        case runtimeOnly
        /// Defined, but the version it resolves to has no CPU kernel and no function body.
        case noKernel(resolved: Int)
        /// A domain ORT does not build in.
        case custom
    }

    struct Verdict: Hashable {
        var domain: String
        var op: String
        var version: Int64
        var availability: Availability
    }

    /// How `op` of `domain` (`""` for ai.onnx) resolves at opset `version`.
    static func lookUp(_ op: String, domain: String, version: Int64) -> Availability {
        switch domain {
        case "":
            if let versions = OperatorSchemas.onnx[op] {
                let a = resolve(versions, at: version)
                if a == .available, let gaps = OperatorSchemas.cpuKernelGaps[op],
                   let resolved = versions.last(where: { Int64(abs($0)) <= version }), gaps.contains(resolved) {
                    return .noKernel(resolved: resolved)
                }
                return a
            }
            if let versions = OperatorSchemas.runtimeOnlyDefault[op] {
                let a = resolve(versions, at: version)
                return a == .available && !OperatorSchemas.checkerExperimental.contains(op) ? .runtimeOnly : a
            }
            return .unknown
        case "ai.onnx.ml":
            return OperatorSchemas.onnxML[op].map { resolve($0, at: version) } ?? .unknown
        case "com.microsoft":
            return OperatorSchemas.microsoft.contains(op) ? .available : .unknown
        case "com.microsoft.nchwc":
            return OperatorSchemas.microsoftNCHWc.contains(op) ? .available : .unknown
        default:
            return .custom
        }
    }

    /// The newest definition at or below `version` decides, as in ONNX's schema registry.
    static func resolve(_ versions: [Int], at version: Int64) -> Availability {
        guard let entry = versions.last(where: { Int64(abs($0)) <= version }) else {
            return versions.first.map { .notYet(first: abs($0)) } ?? .unknown
        }
        return entry < 0 ? .deprecated(since: -entry) : .available
    }
}
