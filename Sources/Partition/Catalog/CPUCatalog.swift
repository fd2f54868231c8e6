import OnnxGraph
import OnnxModel

extension CapabilityCatalog {
    /// ONNX Runtime's CPU execution provider: an op runs when a CPU kernel is registered for the
    /// version the model's opset resolves it to and for its inputs' element types, or when the
    /// schema has a function body ORT can inline instead. From ORT 1.32.0's kernel registry
    /// (``CPUKernelTable``). Not taken here means the session fails ("Could not find an
    /// implementation for …"): the CPU EP is the fallback of every other target.
    public static let cpu = CapabilityCatalog(
        target: .cpu, ortRelease: "1.32.0",
        source: "onnxruntime 1.32.0 wheel: get_all_opkernel_def() (CPUExecutionProvider) and the op schemas",
        requiresFixedShapes: false, subgraphLimitation: nil, placement: .kernelPerNode,
        ops: CPUKernels.shared.ops.keys.sorted().map { key in
            let (domain, op) = CPUKernels.split(key)
            return OpCapability(op, domain: domain, [.cpuKernel])
        })
}

extension CapabilityRule {
    /// A CPU kernel exists for the resolved version and the node's element types.
    static let cpuKernel = CapabilityRule("A CPU kernel must be registered for the op version and its input types.") { c in
        CPUKernels.shared.check(c)
    }
}

/// The parsed ``CPUKernelTable``: per op, its schema versions (formal parameters by type
/// constraint), its kernels and which versions have a function body.
struct CPUKernels: Sendable {
    struct Kernel: Sendable {
        let start: Int
        let end: Int
        /// Allowed element types per type-constraint name; nil types = not checked (sequences).
        let constraints: [String: Set<Int32>?]
    }

    /// A schema version's formal parameters: constraint name (nil for a fixed type) and
    /// whether the last one repeats.
    struct Formals: Sendable {
        let names: [String?]
        let variadicLast: Bool

        /// The constraint bound to actual parameter `i`.
        func name(at i: Int) -> String? {
            if i < names.count { return names[i] }
            return variadicLast ? names.last ?? nil : nil
        }
    }

    struct Op: Sendable {
        var kernels: [Kernel] = []
        /// since-version → the schema's own type constraints (a kernel-like view of them).
        var schemaTypes: [Int: Kernel] = [:]
        /// since-version → (inputs, outputs)
        var schemas: [Int: (inputs: Formals, outputs: Formals)] = [:]
        var functions: Set<Int> = []
    }

    let ops: [String: Op]

    static let shared = CPUKernels(text: CPUKernelTable.text)

    static func split(_ key: String) -> (domain: String, op: String) {
        let i = key.lastIndex(of: ":")!
        return (String(key[..<i]), String(key[key.index(after: i)...]))
    }

    init(text: String) {
        var ops: [String: Op] = [:]
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count >= 4, f[0] != "#" else { continue }
            let key = f[1] + ":" + f[2]
            switch f[0] {
            case "K" where f.count == 6:
                guard let start = Int(f[3]) else { continue }
                let end = f[4] == "*" ? Int.max : Int(f[4]) ?? start
                ops[key, default: Op()].kernels.append(Kernel(start: start, end: end, constraints: Self.constraints(f[5])))
            case "S" where f.count == 5:
                guard let since = Int(f[3]) else { continue }
                ops[key, default: Op()].schemaTypes[since] = Kernel(start: since, end: since, constraints: Self.constraints(f[4]))
            case "P" where f.count == 6:
                guard let since = Int(f[3]) else { continue }
                ops[key, default: Op()].schemas[since] = (Self.formals(f[4]), Self.formals(f[5]))
            case "F":
                guard let since = Int(f[3]) else { continue }
                ops[key, default: Op()].functions.insert(since)
            default: continue
            }
        }
        self.ops = ops.filter { !$0.value.kernels.isEmpty || !$0.value.functions.isEmpty }
    }

    /// `T=1,10;T1=?` → allowed element types per constraint name (nil: not checked).
    static func constraints(_ text: String) -> [String: Set<Int32>?] {
        var constraints: [String: Set<Int32>?] = [:]
        guard text != "." else { return constraints }
        for part in text.split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            constraints[kv[0]] = kv[1] == "?" ? .some(nil) : Set(kv[1].split(separator: ",").compactMap { Int32($0) })
        }
        return constraints
    }

    static func formals(_ text: String) -> Formals {
        guard text != "." else { return Formals(names: [], variadicLast: false) }
        let parts = text.split(separator: ",").map(String.init)
        let names = parts.map { p -> String? in
            let n = p.hasSuffix("*") ? String(p.dropLast()) : p
            return n == "-" ? nil : n
        }
        return Formals(names: names, variadicLast: parts.last?.hasSuffix("*") ?? false)
    }

    func check(_ c: NodeContext) -> RuleOutcome {
        let key = (c.node.domain.isEmpty ? "ai.onnx" : c.node.domain) + ":" + c.node.opType
        guard let op = ops[key] else { return .fails("no CPU kernel for \(c.node.opType)") }
        // Contrib domains are imported at version 1 whatever the model says beyond it.
        let opset = Int(c.opsetVersion ?? 1)
        guard let since = op.schemas.keys.filter({ $0 <= opset }).max() else {
            return .fails("\(c.node.opType) is not defined at opset \(opset)")
        }
        let formals = op.schemas[since]
        func typeNames(_ allowed: Set<Int32>) -> String { allowed.sorted().map { DataType(rawValue: $0).name }.joined(separator: ", ") }
        // A type the schema itself does not allow makes the model invalid: ORT refuses it at load.
        if let formals, let schema = op.schemaTypes[since], let (value, type, allowed) = mismatch(schema, formals, c, acceptingHalf: false) {
            return .fails("\(c.node.opType)-\(since) does not allow '\(value)' as \(type.name) (it takes \(typeNames(allowed))): ORT refuses the model")
        }
        let covering = op.kernels.filter { $0.start <= since && since <= $0.end }
        guard !covering.isEmpty else {
            // ORT expands an op no EP has a kernel for into its function body.
            return op.functions.contains(since)
                ? .unknown("\(c.node.opType)-\(since) runs as its function body, whose nodes are not checked")
                : .fails("no CPU kernel for \(c.node.opType)-\(since), the version opset \(opset) resolves to")
        }
        guard let formals else { return .holds }
        var firstMismatch: (String, DataType, Set<Int32>)?
        for kernel in covering {
            guard let mismatch = self.mismatch(kernel, formals, c, acceptingHalf: false) else { return .holds }
            if firstMismatch == nil { firstMismatch = mismatch }
        }
        // ORT's InsertCastTransformer runs a float16 node the CPU has no kernel for in float,
        // with Casts around it (slower, but it runs).
        if covering.contains(where: { mismatch($0, formals, c, acceptingHalf: true) == nil }) { return .holds }
        guard let (value, type, allowed) = firstMismatch else { return .holds }
        // Measured on ORT 1.32: with kernels for other types, a function body (Softmax-13 in
        // bfloat16) is either not used or needs the same missing types (ReduceMax, Erf), so the
        // session fails either way.
        return .fails("no CPU kernel for \(c.node.opType)-\(since) with '\(value)' as \(type.name) (kernels take \(typeNames(allowed)))")
    }

    /// The first actual parameter whose known type the kernel does not take.
    func mismatch(_ k: Kernel, _ formals: (inputs: Formals, outputs: Formals), _ c: NodeContext,
                  acceptingHalf: Bool) -> (String, DataType, Set<Int32>)? {
        func test(_ count: Int, _ f: Formals, _ facts: (Int) -> ValueFacts?, _ name: (Int) -> String) -> (String, DataType, Set<Int32>)? {
            for i in 0..<count {
                guard let constraint = f.name(at: i), let entry = k.constraints[constraint], let allowed = entry,
                      let type = facts(i)?.elementType else { continue }
                if allowed.contains(type.rawValue) { continue }
                if acceptingHalf && type == .float16 && allowed.contains(DataType.float.rawValue) { continue }
                return (name(i), type, allowed)
            }
            return nil
        }
        return test(c.node.inputs.count, formals.inputs, { c.facts($0) }, { c.node.inputs[$0] })
            ?? test(c.node.outputs.count, formals.outputs, { c.outputFacts($0) }, { c.node.outputs[$0] })
    }
}
