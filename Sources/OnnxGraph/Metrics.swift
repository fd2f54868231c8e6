import OnnxModel

/// Numbers for the symbolic dims when a count must be concrete (MACs, activation bytes).
///
/// A symbol is looked up by exact name first; otherwise names containing `batch` take the
/// batch value and names containing `seq` or `sequence` take the sequence value (exports
/// spell them `batch_size`, `seq_len`, `sequence_length`…); every other symbol takes
/// ``otherSymbols``.
public struct SymbolBinding: Sendable, Hashable, CustomStringConvertible {
    public var batch: Int64
    public var sequence: Int64
    public var otherSymbols: Int64
    /// Exact-name overrides (`["height": 512]`).
    public var named: [String: Int64]

    public init(batch: Int64 = 1, sequence: Int64 = 128, otherSymbols: Int64 = 1, named: [String: Int64] = [:]) {
        self.batch = batch; self.sequence = sequence; self.otherSymbols = otherSymbols; self.named = named
    }

    /// batch = 1, seq = 128, other symbols = 1.
    public static let standard = SymbolBinding()

    public func value(of symbol: String) -> Int64 {
        if let v = named[symbol] { return v }
        let s = symbol.lowercased()
        if s.contains("batch") { return batch }
        if s.contains("seq") || s.contains("sequence") { return sequence }
        return otherSymbols
    }

    /// The dim as a number under this binding; nil for `.unknown`.
    public func evaluate(_ d: Dimension) -> Int64? {
        guard let m = Monomial(d) else { return nil }
        var v = m.coefficient
        for s in m.symbols { v = v.saturatingMultiply(value(of: s)) }
        return v
    }

    public var description: String {
        let extra = named.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return (["batch=\(batch)", "seq=\(sequence)"] + extra + ["other symbols=\(otherSymbols)"]).joined(separator: ", ")
    }
}

/// Size and work of one node.
///
/// Conventions (one multiply-accumulate = one MAC):
/// - Conv: output elements × (Cin/group × kernel area (the weight's `dims[1...]` product)
///   + 1 if there is a bias), as onnx-tool counts; ConvTranspose: input elements × Cout/group
///   × kernel area.
/// - Gemm and MatMul (also batched, attention-style Q·Kᵀ and attn·V, and the integer and
///   QLinear forms): output elements × K (Gemm: + 1 with a bias C). Einsum: the product of every index letter's size.
/// - Pooling: output elements × kernel area; global pooling: input elements.
/// - Elementwise ops and activations: 1 per output element; Softmax/LogSoftmax: 3 (exp, sum,
///   divide).
/// - BatchNormalization: 2 per element (scale and shift, with the statistics folded);
///   LayerNormalization and the other normalizations: 5 per element (mean, variance, subtract,
///   scale, shift).
/// - Reductions: 1 per input element. Quantize/Dequantize: 1 per element; DynamicQuantizeLinear: 2.
/// - Shape manipulation, Gather, control flow: 0 (the bodies of If/Loop/Scan count in their own scope).
///
/// Parameters are the elements of initializer inputs (and of Constant-node tensors used in a
/// weight slot), each counted once (at its first consumer in topological order). BatchNormalization's running mean and variance are
/// counted as buffers, not parameters, as PyTorch does.
public struct NodeMetrics: Sendable, Hashable {
    public var parameters: Int64 = 0
    public var parameterBytes: Int64 = 0
    public var buffers: Int64 = 0
    public var bufferBytes: Int64 = 0
    public var macs: Int64 = 0
    public var outputElements: Int64 = 0
    public var outputBytes: Int64 = 0
    /// Some dim was unknown (counted as 1) or some type was unknown, so MACs/bytes are a guess.
    public var isEstimate = false

    public init() {}
}

/// Sums over the nodes of one graph (or all graphs).
public struct MetricsTotals: Sendable, Hashable {
    public var nodes = 0
    public var parameters: Int64 = 0
    public var parameterBytes: Int64 = 0
    public var buffers: Int64 = 0
    public var bufferBytes: Int64 = 0
    public var macs: Int64 = 0
    public var macsByCategory: [OpCategory: Int64] = [:]
    /// Sum of every node's output bytes (what a run materializes if nothing is freed).
    public var activationBytes: Int64 = 0
    /// Initializers no node reads (counted in `parameters` too: they are in the file).
    public var unusedInitializers = 0
    public var estimatedNodes = 0

    public init() {}

    mutating func add(_ m: NodeMetrics, category: OpCategory) {
        nodes += 1
        parameters = parameters.saturatingAdd(m.parameters); parameterBytes = parameterBytes.saturatingAdd(m.parameterBytes)
        buffers = buffers.saturatingAdd(m.buffers); bufferBytes = bufferBytes.saturatingAdd(m.bufferBytes)
        macs = macs.saturatingAdd(m.macs)
        if m.macs > 0 { macsByCategory[category] = macsByCategory[category, default: 0].saturatingAdd(m.macs) }
        activationBytes = activationBytes.saturatingAdd(m.outputBytes)
        if m.isEstimate { estimatedNodes += 1 }
    }

    mutating func add(_ t: MetricsTotals) {
        nodes += t.nodes
        parameters = parameters.saturatingAdd(t.parameters); parameterBytes = parameterBytes.saturatingAdd(t.parameterBytes)
        buffers = buffers.saturatingAdd(t.buffers); bufferBytes = bufferBytes.saturatingAdd(t.bufferBytes)
        macs = macs.saturatingAdd(t.macs)
        for (k, v) in t.macsByCategory { macsByCategory[k] = macsByCategory[k, default: 0].saturatingAdd(v) }
        activationBytes = activationBytes.saturatingAdd(t.activationBytes)
        unusedInitializers += t.unusedInitializers
        estimatedNodes += t.estimatedNodes
    }
}

/// Bytes of `count` elements of `type` without trusting `count` (DataType.byteCount multiplies
/// by the bit width unchecked); nil for types without a fixed size.
func byteCount(_ type: DataType, _ count: Int64) -> Int64? {
    guard let bits = type.bitWidth, count >= 0 else { return nil }
    if type == .complex64 { return count.saturatingMultiply(8) }
    return count.saturatingMultiply(Int64(bits)).saturatingAdd(7) / 8
}

/// Per-node and per-graph parameters, MACs and activation sizes under a ``SymbolBinding``.
public struct GraphMetrics: Sendable {
    /// The binding the numbers were computed with.
    public let binding: SymbolBinding
    /// Every symbol met while computing, with the value it was given.
    public let symbolsUsed: [String: Int64]
    /// Metrics per scope, per node id.
    public let nodes: [[NodeMetrics]]
    /// Totals per scope.
    public let totals: [MetricsTotals]

    /// Totals over every scope (both branches of an If are counted).
    public var overall: MetricsTotals {
        var t = MetricsTotals()
        for s in totals { t.add(s) }
        return t
    }

    /// Totals of `scope` and every scope nested in it (a function call's body with the
    /// functions it calls in turn).
    public func totals(including scope: Int, index: GraphIndex) -> MetricsTotals {
        var t = totals[scope]
        var stack = index.scopes[scope].allChildScopes
        while let s = stack.popLast() {
            t.add(totals[s])
            stack += index.scopes[s].allChildScopes
        }
        return t
    }

    /// "batch=1, seq=128 (symbols: batch, seq)" — what to print next to MACs.
    public var bindingDescription: String {
        let used = symbolsUsed.keys.sorted().map { "\($0)=\(symbolsUsed[$0]!)" }
        return used.isEmpty ? "no symbolic dims" : used.joined(separator: ", ")
    }

    public init(model: Model, index: GraphIndex, shapes: ShapeInferenceResult, binding: SymbolBinding = .standard) {
        self.binding = binding
        var used: [String: Int64] = [:]
        var allNodes: [[NodeMetrics]] = []
        var allTotals: [MetricsTotals] = []
        for scope in index.scopes {
            var ev = Evaluator(binding: binding, shapes: shapes, scope: scope.id)
            var perNode = [NodeMetrics](repeating: NodeMetrics(), count: scope.nodeCount)
            var counted = Set<String>()
            var totals = MetricsTotals()
            for n in scope.topologicalOrder {
                let node = scope.node(n)
                var m = ev.metrics(of: node)
                // Parameters: initializers of this scope, first consumer takes them.
                let direct = node.inputs.enumerated().map { ($0.element, OpCatalog.role(of: node, input: $0.offset)) }
                let captured = scope.implicitInputs(of: n).map { ($0, InputRole.weight) }
                for (name, role) in direct + captured where !name.isEmpty && !counted.contains(name) {
                    // Weights stored as Constant nodes count like initializers, but only where
                    // a node uses them as weights (not every shape constant is a parameter).
                    guard let t = scope.initializer(named: name)
                            ?? (role == .weight || role == .bias || role == .runningStatistic ? scope.constantTensor(named: name) : nil) else { continue }
                    counted.insert(name)
                    let count = Int64(t.elementCount ?? 0)
                    let bytes = byteCount(t.dataType, count) ?? 0
                    if role == .runningStatistic { m.buffers = m.buffers.saturatingAdd(count); m.bufferBytes = m.bufferBytes.saturatingAdd(bytes) }
                    else { m.parameters = m.parameters.saturatingAdd(count); m.parameterBytes = m.parameterBytes.saturatingAdd(bytes) }
                }
                perNode[n] = m
                totals.add(m, category: OpCatalog.category(of: node))
            }
            for t in scope.graph.initializers where !counted.contains(t.name) {
                counted.insert(t.name)
                totals.unusedInitializers += 1
                let count = Int64(t.elementCount ?? 0)
                totals.parameters = totals.parameters.saturatingAdd(count)
                totals.parameterBytes = totals.parameterBytes.saturatingAdd(byteCount(t.dataType, count) ?? 0)
            }
            used.merge(ev.used) { a, _ in a }
            allNodes.append(perNode)
            allTotals.append(totals)
        }
        symbolsUsed = used
        nodes = allNodes
        totals = allTotals
    }

    /// Evaluates dims under the binding and applies the MAC conventions of ``NodeMetrics``.
    struct Evaluator {
        let binding: SymbolBinding
        let shapes: ShapeInferenceResult
        let scope: Int
        var used: [String: Int64] = [:]
        var estimate = false

        mutating func value(_ d: Dimension) -> Int64 {
            guard let m = Monomial(d) else { estimate = true; return 1 }
            for s in m.symbols { used[s] = binding.value(of: s) }
            return binding.evaluate(d) ?? 1
        }

        /// Element count of a value, or nil if its rank is unknown.
        mutating func elements(_ name: String) -> Int64? {
            guard !name.isEmpty, let dims = shapes.facts(name, scope: scope)?.dims else { return nil }
            return elements(dims)
        }

        mutating func elements(_ dims: [Dimension]) -> Int64 {
            dims.reduce(Int64(1)) { $0.saturatingMultiply(value($1)) }
        }

        mutating func dims(_ name: String) -> [Dimension]? {
            name.isEmpty ? nil : shapes.facts(name, scope: scope)?.dims
        }

        mutating func metrics(of node: Node) -> NodeMetrics {
            estimate = false
            var m = NodeMetrics()
            for o in node.outputs where !o.isEmpty {
                guard let f = shapes.facts(o, scope: scope), let dims = f.dims else { estimate = true; continue }
                let n = elements(dims)
                m.outputElements = m.outputElements.saturatingAdd(n)
                if let t = f.elementType, let b = byteCount(t, n) { m.outputBytes = m.outputBytes.saturatingAdd(b) }
                else { estimate = true }
            }
            let out0 = node.outputs.first.flatMap { elements($0) } ?? 0
            func input(_ i: Int) -> String { i < node.inputs.count ? node.inputs[i] : "" }
            func weightArea(_ i: Int) -> Int64? {
                guard let w = dims(input(i)), w.count >= 2 else { return nil }
                return elements(Array(w[1...]))
            }
            let category = OpCatalog.category(of: node)
            switch node.opType {
            case "Conv", "ConvInteger":
                // The bias add is one more MAC per output element (as onnx-tool counts it).
                let bias: Int64 = node.opType == "Conv" && !input(2).isEmpty ? 1 : 0
                m.macs = out0.saturatingMultiply((weightArea(1) ?? { estimate = true; return 0 }()).saturatingAdd(bias))
            case "QLinearConv":
                m.macs = out0.saturatingMultiply(weightArea(3) ?? { estimate = true; return 0 }())
            case "ConvTranspose":
                m.macs = (elements(input(0)) ?? 0).saturatingMultiply(weightArea(1) ?? { estimate = true; return 0 }())
            case "Gemm":
                if let a = dims(input(0)), a.count == 2 {
                    let bias: Int64 = input(2).isEmpty ? 0 : 1
                    m.macs = out0.saturatingMultiply(value(node.attribute("transA")?.i ?? 0 != 0 ? a[0] : a[1]).saturatingAdd(bias))
                } else { estimate = true }
            case "MatMul", "MatMulInteger", "MatMulIntegerToFloat", "QLinearMatMul":
                if let a = dims(input(0)), let k = a.last { m.macs = out0.saturatingMultiply(value(k)) } else { estimate = true }
            case "Einsum":
                // Every letter's size once: the loop nest a direct evaluation runs (a Dense
                // layer written as `bsi,io->bso` is a MatMul: b·s·i·o).
                if let equation = node.attribute("equation")?.s.map({ String(decoding: $0.bytes, as: UTF8.self) }) {
                    var sizes: [Character: Int64] = [:]
                    var ellipsis: Int64 = 1
                    let terms = (equation.components(separatedBy: "->").first ?? "").split(separator: ",", omittingEmptySubsequences: false)
                    for (i, term) in terms.enumerated() {
                        guard let d = dims(input(i)) else { estimate = true; continue }
                        let letters = term.filter { $0.isLetter }
                        let extra = d.count - letters.count
                        if extra > 0 { ellipsis = max(ellipsis, elements(Array(d[..<extra]))) }
                        for (k, ch) in letters.enumerated() where k + max(extra, 0) < d.count {
                            sizes[ch] = max(sizes[ch] ?? 1, value(d[k + max(extra, 0)]))
                        }
                    }
                    m.macs = sizes.values.reduce(ellipsis) { $0.saturatingMultiply($1) }
                } else { estimate = true }
            case "MaxPool", "AveragePool", "LpPool", "QLinearAveragePool":
                let kernel = node.attribute("kernel_shape")?.ints ?? []
                m.macs = kernel.reduce(out0) { $0.saturatingMultiply($1) }
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", "QLinearGlobalAveragePool":
                m.macs = elements(input(0)) ?? 0
            case "Softmax", "LogSoftmax":
                m.macs = out0.saturatingMultiply(3)
            case "BatchNormalization", "DynamicQuantizeLinear":
                m.macs = out0.saturatingMultiply(2)
            default:
                switch category {
                case .activation, .elementwise, .quantization: m.macs = out0
                case .normalization: m.macs = out0.saturatingMultiply(5)
                case .reduction: m.macs = elements(input(0)) ?? 0
                default: m.macs = 0
                }
            }
            m.isEstimate = estimate
            return m
        }
    }
}
