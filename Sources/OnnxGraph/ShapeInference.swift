import OnnxModel

/// What is known about one value: element type, shape (dims may be numbers, symbols or
/// unknown) and, for small integer tensors, the elements themselves.
public struct ValueFacts: Sendable, Hashable {
    public enum Origin: String, Sendable, Hashable {
        /// A graph input's declared type.
        case graphInput
        /// An initializer's dims and type.
        case initializer
        /// Computed by a shape rule from the node's inputs.
        case inferred
        /// Taken from value_info / graph outputs because no rule could tell.
        case declared
    }

    public var elementType: DataType?
    /// Dims, or nil when even the rank is unknown.
    public var dims: [Dimension]?
    /// Known elements of a small integer tensor (shape vectors, axes, indices).
    public var value: SymbolicTensor?
    public var origin: Origin
    /// A sequence of tensors (SequenceConstruct, SplitToSequence…); type and dims are then
    /// those of its elements, as far as they agree.
    public var isSequence = false

    public init(_ elementType: DataType?, _ dims: [Dimension]?, value: SymbolicTensor? = nil, origin: Origin = .inferred) {
        self.elementType = elementType; self.dims = dims; self.value = value; self.origin = origin
    }

    public var shape: Shape? { dims.map { Shape($0) } }
    public var rank: Int? { dims?.count }

    /// True when the rank is known and every dim is a number or a named symbol.
    public var isFullyKnown: Bool {
        guard let dims else { return false }
        return !dims.contains(.unknown)
    }

    /// `float32[batch,3,224,224]`, `?[?]` when nothing is known.
    public var summary: String {
        let tensor = (elementType?.name ?? "?") + (shape?.description ?? "[?]")
        return isSequence ? "seq(\(tensor))" : tensor
    }
}

/// Shapes and types of every value of every scope.
public struct ShapeInferenceResult: Sendable {
    /// Facts per scope (indexed like ``GraphIndex/scopes``), by value name.
    public internal(set) var scopes: [[String: ValueFacts]]
    /// Contradictions with declared shapes and inputs a rule could not accept.
    public internal(set) var issues: [GraphIssue]
    /// Op types (with domain if not default) that have no shape rule, with node counts.
    public internal(set) var unsupportedOps: [String: Int]
    /// Symbols standing for sizes only the data decides (NonZero, Unique, NonMaxSuppression…),
    /// by symbol, with the op type that made each.
    public internal(set) var dataDependentDims: [String: String] = [:]
    let parents: [Int?]

    /// Facts about `name` as seen from `scope` (enclosing scopes are searched too).
    public func facts(_ name: String, scope: Int = 0) -> ValueFacts? {
        var s: Int? = scope
        while let cur = s {
            if let f = scopes[cur][name] { return f }
            s = parents[cur]
        }
        return nil
    }
}

/// The environment a shape rule runs in: the node, what is known about its inputs, and the
/// outputs it fills in.
public struct ShapeRuleContext {
    public let node: Node
    /// Opset version of the node's domain.
    public let opset: Int64
    /// Facts per input slot; nil for omitted optional inputs and values nothing is known about.
    public let inputs: [ValueFacts?]
    /// Output facts per branch/body (in ``GraphScope/subgraphScopes(of:)`` order), for If/Loop/Scan.
    public let subgraphOutputs: [[ValueFacts?]]
    /// Facts per output slot, filled by the rule.
    public var outputs: [ValueFacts?]
    /// Why the rule rejected its inputs (becomes an ``GraphIssue/Kind/invalidShape`` issue).
    public var problems: [String] = []
    /// Symbols made by ``dataDependentDim(_:)``.
    public internal(set) var dataDependent: [String] = []

    let constant: (Int) -> [Double]?
    let baseDirectory: String?

    init(node: Node, opset: Int64, inputs: [ValueFacts?], subgraphOutputs: [[ValueFacts?]], baseDirectory: String?, constant: @escaping (Int) -> [Double]?) {
        self.node = node; self.opset = opset; self.inputs = inputs; self.subgraphOutputs = subgraphOutputs
        self.constant = constant; self.baseDirectory = baseDirectory
        outputs = Array(repeating: nil, count: node.outputs.count)
    }

    // MARK: Inputs

    public func hasInput(_ i: Int) -> Bool { i < node.inputs.count && !node.inputs[i].isEmpty }
    public func input(_ i: Int) -> ValueFacts? { i < inputs.count ? inputs[i] : nil }
    public func dims(_ i: Int) -> [Dimension]? { input(i)?.dims }
    public func type(_ i: Int) -> DataType? { input(i)?.elementType }
    /// Known elements of input `i` (symbolic allowed).
    public func values(_ i: Int) -> [Dimension]? { input(i)?.value?.elements }
    /// Known elements of input `i` as numbers.
    public func ints(_ i: Int) -> [Int64]? { input(i)?.value?.integers }
    /// Values of a constant input (initializer or Constant output) as Double — float scales
    /// of Resize, for instance.
    public func doubles(_ i: Int) -> [Double]? {
        if let v = ints(i) { return v.map(Double.init) }
        return hasInput(i) ? constant(i) : nil
    }

    // MARK: Attributes

    public func int(_ name: String) -> Int64? { node.attribute(name).map(\.i) }
    public func int(_ name: String, _ fallback: Int64) -> Int64 { node.attribute(name)?.i ?? fallback }
    public func ints(_ name: String) -> [Int64]? { node.attribute(name).map(\.ints) }
    public func float(_ name: String) -> Float? { node.attribute(name).map(\.f) }
    public func string(_ name: String) -> String? {
        node.attribute(name)?.s.map { String(decoding: $0.bytes, as: UTF8.self) }
    }
    public func tensor(_ name: String) -> Tensor? { node.attribute(name)?.t }
    /// An attribute holding a `TensorProto.DataType` (`dtype`, `to`, `output_datatype`).
    public func dataType(_ name: String) -> DataType? { int(name).map { DataType(rawValue: Int32(truncatingIfNeeded: $0)) } }

    /// Elements of `t` as Double when it has at most `limit` of them (attribute tensors).
    public func numbers(of t: Tensor, limit: Int = SymbolicTensor.maximumElements) -> [Double]? {
        ShapeInference.Engine.numbers(t, limit: limit, baseDirectory: baseDirectory)
    }

    /// Elements of an integer (or integral) attribute tensor, read exactly.
    public func integers(of t: Tensor, limit: Int = SymbolicTensor.maximumElements) -> [Int64]? {
        ShapeInference.Engine.integers(t, limit: limit, baseDirectory: baseDirectory)
    }

    // MARK: Outputs

    public mutating func set(_ o: Int, _ type: DataType?, _ dims: [Dimension]?, value: SymbolicTensor? = nil) {
        guard o < outputs.count, !node.outputs[o].isEmpty else { return }
        outputs[o] = ValueFacts(type, dims, value: value)
    }

    public mutating func fail(_ message: String) { problems.append(message) }

    /// Marks output `o` as a sequence of tensors with the facts already set.
    public mutating func markSequence(_ o: Int, _ isSequence: Bool = true) {
        if o < outputs.count { outputs[o]?.isSequence = isSequence }
    }

    /// A dim only the data decides (how many elements NonZero finds): a symbol of its own,
    /// `<output>:len`, recorded in ``ShapeInferenceResult/dataDependentDims`` so reports can
    /// say which counts are guesses.
    public mutating func dataDependentDim(_ o: Int) -> Dimension {
        let name = (o < node.outputs.count && !node.outputs[o].isEmpty ? node.outputs[o] : node.opType) + ":len"
        if !dataDependent.contains(name) { dataDependent.append(name) }
        return .param(name)
    }

    /// Normalizes a possibly negative axis against `rank`; records a problem when out of range.
    public mutating func axis(_ a: Int64, rank: Int) -> Int? {
        let r = Int64(rank)
        guard a >= -r && a < r else { fail("axis \(a) is out of range for rank \(rank)"); return nil }
        return Int(a < 0 ? a + r : a)
    }
}

/// A shape rule: reads the context's inputs and attributes, fills its outputs.
public typealias ShapeRule = @Sendable (inout ShapeRuleContext) -> Void

/// Namespace for the per-family rule tables (one file per op family under `ShapeRules/`).
public enum ShapeRules {
    /// Every rule, by op type.
    public static let all: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        for family in [elementwise, convolution, linearAlgebra, normalization, shapeOps, reduction, quantization, controlFlow,
                       recurrent, einsum, signal, random, detection, losses, sequences] {
            t.merge(family) { a, _ in a }
        }
        return t
    }()
}

/// Shape and type inference over a ``GraphIndex``, in topological order, scope by scope.
///
/// Rules work from the inputs' facts; declared shapes (value_info, graph outputs) fill in what
/// rules cannot tell, and disagreements between the two are reported. Sub-graphs are
/// inferred when their node is reached, so a branch sees the outer values it captures.
public enum ShapeInference {
    /// Infers every value's facts.
    ///
    /// - Parameter bindings: values for the main graph's free input dims (see
    ///   ``DimensionBinding``); bound dims are numbers from the inputs on, so every derived dim
    ///   is computed from them. Unbound ones stay symbols (unnamed axes get their generated
    ///   `<input>_dim<axis>` names).
    /// - Parameter propagatesValues: when false, element values come only from initializers and
    ///   Constant nodes, never from computed values (Shape → Gather → Concat…): what
    ///   `onnx.shape_inference.infer_shapes` knows without data propagation, which is what ORT's
    ///   usability checker judges shapes by.
    public static func infer(_ model: Model, index: GraphIndex, bindings: [String: Int64] = [:],
                             propagatesValues: Bool = true) -> ShapeInferenceResult {
        var engine = Engine(model: model, index: index, bindings: bindings)
        engine.propagatesValues = propagatesValues
        engine.run(scope: 0, seeds: [:])
        var result = ShapeInferenceResult(scopes: engine.tables, issues: engine.issues, unsupportedOps: engine.unsupported,
                                          parents: index.scopes.map { $0.parent?.scope })
        result.dataDependentDims = engine.dataDependent
        return result
    }

    struct Engine {
        let model: Model
        let index: GraphIndex
        var tables: [[String: ValueFacts]]
        var constants: [[String: Tensor]]
        var issues: [GraphIssue] = []
        var unsupported: [String: Int] = [:]
        var dataDependent: [String: String] = [:]
        let rules = ShapeRules.all
        let bindings: [String: Int64]
        var propagatesValues = true

        init(model: Model, index: GraphIndex, bindings: [String: Int64]) {
            self.model = model; self.index = index; self.bindings = bindings
            tables = Array(repeating: [:], count: index.scopes.count)
            constants = Array(repeating: [:], count: index.scopes.count)
        }

        func lookup(_ name: String, from scope: Int) -> ValueFacts? {
            var s: Int? = scope
            while let cur = s {
                if let f = tables[cur][name] { return f }
                s = index.scopes[cur].parent?.scope
            }
            return nil
        }

        func constantTensor(_ name: String, from scope: Int) -> Tensor? {
            var s: Int? = scope
            while let cur = s {
                if let t = constants[cur][name] { return t }
                if index.scopes[cur].producer(of: name) != nil { return nil }
                s = index.scopes[cur].parent?.scope
            }
            return nil
        }

        static func numbers(_ t: Tensor, limit: Int, baseDirectory: String?) -> [Double]? {
            guard let n = t.elementCount, n <= limit,
                  let data = try? Model.tensorData(t, baseDirectory: baseDirectory),
                  let v = try? Model.values(of: data, type: t.dataType, name: t.name) else { return nil }
            return v
        }

        /// Elements of a small integer tensor read exactly (through Double, INT64_MAX — PyTorch's
        /// "slice to the end" — would not survive); integral floats are accepted too.
        static func integers(_ t: Tensor, limit: Int, baseDirectory: String?) -> [Int64]? {
            guard let n = t.elementCount, n <= limit else { return nil }
            if t.dataType == .int64 || t.dataType == .int32 {
                guard let data = try? Model.tensorData(t, baseDirectory: baseDirectory) else { return nil }
                let width = t.dataType == .int64 ? 8 : 4
                guard data.count == n * width else { return nil }
                return data.withUnsafeBytes { b in
                    (0..<n).map { i in
                        width == 8 ? Int64(littleEndian: b.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                                   : Int64(Int32(littleEndian: b.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                    }
                }
            }
            guard let v = numbers(t, limit: limit, baseDirectory: baseDirectory),
                  v.allSatisfy({ $0 == $0.rounded() && abs($0) < 9.0e18 }) else { return nil }
            return v.map { Int64($0) }
        }

        /// Facts of a constant tensor; small integral tensors also carry their values.
        func facts(of t: Tensor, origin: ValueFacts.Origin) -> ValueFacts {
            var f = ValueFacts(t.dataType, t.dims.map { Dimension.value($0) }, origin: origin)
            if let v = Engine.integers(t, limit: SymbolicTensor.maximumElements, baseDirectory: model.baseDirectory) {
                f.value = SymbolicTensor(dims: t.dims, elements: v.map { .value($0) })
            }
            return f
        }

        mutating func run(scope s: Int, seeds: [Int: ValueFacts]) {
            let sc = index.scopes[s]
            let g = sc.graph
            var table: [String: ValueFacts] = [:]
            for (i, v) in g.inputs.enumerated() {
                if let seed = seeds[i] {
                    var f = seed
                    f.origin = .graphInput
                    // The declared shape of a body input wins where the seed knows less.
                    if let declared = declaredFacts(v.type) { f = merged(inferred: f, declared: declared, name: v.name, scope: s, node: nil, report: false) }
                    table[v.name] = f
                } else if s == 0, let t = v.type, case .tensor(let e, let shape) = t.kind {
                    // Main graph inputs: open axes get one name each and take their bound value.
                    let dims = shape.map { Graph.namedDims($0.dims, input: v.name).map(bound) }
                    table[v.name] = ValueFacts(e == .undefined ? nil : e, dims, origin: .graphInput)
                } else if let f = declaredFacts(v.type) {
                    table[v.name] = ValueFacts(f.elementType, f.dims, origin: .graphInput)
                }
            }
            for t in g.initializers {
                table[t.name] = facts(of: t, origin: .initializer)
                constants[s][t.name] = t
            }
            for st in g.sparseInitializers {
                table[st.values.name] = ValueFacts(st.values.dataType, st.dims.map { .value($0) }, origin: .initializer)
            }
            tables[s] = table

            var declared: [String: ValueFacts] = [:]
            for v in g.valueInfo + g.outputs { if let f = declaredFacts(v.type) { declared[v.name] = f } }

            for n in sc.topologicalOrder {
                let node = g.nodes[n]
                let inputs = node.inputs.map { $0.isEmpty ? nil : lookup($0, from: s) }
                var subOutputs: [[ValueFacts?]] = []
                var children = sc.subgraphScopes(of: n)
                // The If rule reads then_branch first, whatever the attribute order in the file.
                if node.opType == "If" { children.sort { index.scopes[$0].parent?.attribute == "then_branch" && index.scopes[$1].parent?.attribute != "then_branch" } }
                for c in children {
                    let body = index.scopes[c].graph
                    let isCall = index.scopes[c].parent?.attribute == Function.callScopeLabel
                    run(scope: c, seeds: isCall ? seedsForCall(body: body, inputs: inputs) : seedsForBody(node, body: body, inputs: inputs))
                    subOutputs.append(body.outputs.map { lookup($0.name, from: c) })
                }
                let opset = model.opsetVersion(for: node.domain) ?? (node.isDefaultDomain ? 17 : 1)
                // Capture only the input tensors, never `self`: a closure holding the tables
                // would make every later table write copy them (quadratic on big graphs).
                let inputConstants = node.inputs.map { $0.isEmpty ? nil : constantTensor($0, from: s) }
                let base = model.baseDirectory
                var ctx = ShapeRuleContext(node: node, opset: opset, inputs: inputs, subgraphOutputs: subOutputs, baseDirectory: base) { i in
                    guard i < inputConstants.count, let t = inputConstants[i] else { return nil }
                    return Engine.numbers(t, limit: 4096, baseDirectory: base)
                }
                if let body = children.firstIndex(where: { index.scopes[$0].parent?.attribute == Function.callScopeLabel }) {
                    // A call of a model-local function: its outputs are the body's.
                    for (o, f) in subOutputs[body].enumerated() where o < ctx.outputs.count && !node.outputs[o].isEmpty {
                        ctx.outputs[o] = f.map { ValueFacts($0.elementType, $0.dims, value: $0.value) }
                    }
                } else if let rule = rules[node.opType], node.isDefaultDomain || node.domain == "com.microsoft" {
                    rule(&ctx)
                } else if node.domain == "com.microsoft.nchwc", let rule = ShapeRules.nchwc[node.opType] {
                    rule(&ctx)
                } else {
                    unsupported[node.isDefaultDomain ? node.opType : "\(node.domain).\(node.opType)", default: 0] += 1
                }
                if node.opType == "Constant", node.isDefaultDomain, let t = node.attribute("value")?.t, let o = node.outputs.first {
                    constants[s][o] = t
                }
                for d in ctx.dataDependent { dataDependent[d] = node.opType }
                for p in ctx.problems {
                    issues.append(GraphIssue(.warning, .invalidShape, "\(sc.displayName(n)) (\(node.opType.escapedForDisplay)): \(p)", scope: s, nodes: [n]))
                }
                for (o, name) in node.outputs.enumerated() where !name.isEmpty {
                    var f = ctx.outputs[o]
                    if !propagatesValues && !(node.opType == "Constant" && node.isDefaultDomain) {
                        f?.value = nil
                        // onnx gives a Reshape whose shape is computed only the rank the
                        // shape vector's length tells (every dim a fresh unknown) from
                        // Reshape-14 on, and no shape at all before.
                        if node.opType == "Reshape", node.inputs.count > 1, inputConstants[1] == nil {
                            f?.dims = opset >= 14 ? ShapeRules.rankOnly(ctx.dims(1)) : nil
                        }
                    }
                    if let d = declared[name] {
                        f = f.map { merged(inferred: $0, declared: d, name: name, scope: s, node: n, report: true) } ?? ValueFacts(d.elementType, d.dims, origin: .declared)
                    }
                    if let f { tables[s][name] = f }
                }
            }
        }

        func bound(_ d: Dimension) -> Dimension {
            if case .param(let p) = d, let v = bindings[p] { return .value(v) }
            return d
        }

        /// A function body's inputs are the call's inputs, position by position.
        func seedsForCall(body: Graph, inputs: [ValueFacts?]) -> [Int: ValueFacts] {
            var seeds: [Int: ValueFacts] = [:]
            for k in body.inputs.indices where k < inputs.count { if let f = inputs[k] { seeds[k] = f } }
            return seeds
        }

        /// Types a Loop body's inputs get from the Loop node: iteration count, condition, then
        /// the loop-carried values.
        func seedsForBody(_ node: Node, body: Graph, inputs: [ValueFacts?]) -> [Int: ValueFacts] {
            guard node.opType == "Loop" else { return [:] }
            var seeds: [Int: ValueFacts] = [0: ValueFacts(.int64, []), 1: ValueFacts(.bool, [])]
            for k in 2..<max(2, body.inputs.count) where k < inputs.count {
                if let f = inputs[k] { seeds[k] = ValueFacts(f.elementType, f.dims) }
            }
            return seeds
        }

        func declaredFacts(_ t: ValueType?) -> ValueFacts? {
            guard let t, case .tensor(let e, let shape) = t.kind else { return nil }
            let type: DataType? = e == .undefined ? nil : e
            if type == nil && shape == nil { return nil }
            return ValueFacts(type, shape?.dims.map { d in
                // No name, "?", or a negative size (paddle2onnx's -1): the exporter did not know.
                if case .param(let p) = d, p.isEmpty || p == "?" { return .unknown }
                if case .value(let v) = d, v < 0 { return .unknown }
                return d
            }, origin: .declared)
        }

        /// Combines inferred and declared facts: declared fills unknowns; real contradictions
        /// (different numbers, ranks or element types) are reported and the inferred facts kept.
        mutating func merged(inferred: ValueFacts, declared: ValueFacts, name: String, scope: Int, node: Int?, report: Bool) -> ValueFacts {
            var out = inferred
            var conflicts: [String] = []
            if out.elementType == nil { out.elementType = declared.elementType }
            else if let d = declared.elementType, d != out.elementType { conflicts.append("type \(out.elementType!) vs declared \(d)") }
            if let dd = declared.dims {
                if var od = out.dims {
                    if od.count != dd.count {
                        conflicts.append("rank \(od.count) \(Shape(od)) vs declared \(Shape(dd))")
                    } else {
                        for i in od.indices {
                            switch (od[i], dd[i]) {
                            case (.unknown, _): od[i] = dd[i]
                            case (.param, .value): od[i] = dd[i]
                            case (.value(let a), .value(let b)) where a != b:
                                conflicts.append("dim \(i) is \(a) but declared \(b)")
                            default: break
                            }
                        }
                        if conflicts.isEmpty { out.dims = od } else { conflicts[conflicts.count - 1] += " (\(Shape(od)) vs declared \(Shape(dd)))" }
                    }
                } else {
                    out.dims = dd
                    out.origin = .declared
                }
            }
            if report && !conflicts.isEmpty {
                let who = node.map { " from \(index.scopes[scope].displayName($0))" } ?? ""
                issues.append(GraphIssue(.warning, .shapeMismatch,
                    "value '\(name.escapedForDisplay)'\(who): inferred \(conflicts.joined(separator: "; "))",
                    scope: scope, nodes: node.map { [$0] } ?? [], values: [name]))
            }
            return out
        }
    }
}
