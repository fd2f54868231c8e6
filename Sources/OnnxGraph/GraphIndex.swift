import OnnxModel

/// What defines a value inside one scope.
public enum ValueProducer: Sendable, Hashable {
    /// Output `output` of node `id`.
    case node(Int, output: Int)
    /// `graph.inputs[i]` that is not also an initializer (a "real" input the caller feeds).
    case graphInput(Int)
    /// `graph.initializers[i]` (also when a graph input of the same name declares it).
    case initializer(Int)
    /// `graph.sparseInitializers[i]`.
    case sparseInitializer(Int)
}

/// A value resolved to the scope that defines it.
public struct ValueDefinition: Sendable, Hashable {
    public var scope: Int
    public var producer: ValueProducer
}

/// Where a sub-graph hangs: the node (in the parent scope) and the attribute holding it.
public struct ScopeLink: Sendable, Hashable {
    public var scope: Int
    public var node: Int
    /// Attribute name (`then_branch`, `else_branch`, `body`…).
    public var attribute: String
}

/// A value a sub-graph reads from an enclosing scope.
public struct OuterReference: Sendable, Hashable {
    public var name: String
    /// Where it is defined, or nil when no enclosing scope defines it (reported as dangling).
    public var definition: ValueDefinition?
}

/// The index of one graph: the main graph or one sub-graph (If branch, Loop/Scan body).
///
/// Node ids are positions in `graph.nodes` (file order). All look-ups are dictionary based so
/// a 30k-node graph indexes in linear time.
public struct GraphScope: Sendable {
    /// Position in ``GraphIndex/scopes``; 0 is the main graph.
    public let id: Int
    public let graph: Graph
    /// The node holding this sub-graph; nil for the main graph.
    public let parent: ScopeLink?
    /// 0 for the main graph, 1 for its sub-graphs, and so on.
    public let depth: Int

    /// Name to show for each node: its own name, escaped, or `OpType#k` (k-th unnamed node of
    /// that op type, from 0) when the name is empty.
    public internal(set) var displayNames: [String] = []
    /// Graph inputs that are not initializers: what a caller must feed (indices into `graph.inputs`).
    public internal(set) var realInputs: [Int] = []
    /// Every node once, producers before consumers (file order where the file allows it).
    public internal(set) var topologicalOrder: [Int] = []
    /// Values this graph (or graphs nested in it) reads from enclosing scopes, sorted by name.
    public internal(set) var outerReferences: [OuterReference] = []

    var producers: [String: ValueProducer] = [:]
    var consumerLists: [String: [Int]] = [:]
    var childScopes: [Int: [Int]] = [:]
    var implicit: [Int: [String]] = [:]
    var rankInOrder: [Int] = []

    init(id: Int, graph: Graph, parent: ScopeLink?, depth: Int) {
        self.id = id; self.graph = graph; self.parent = parent; self.depth = depth
    }

    public var nodeCount: Int { graph.nodes.count }
    public func node(_ id: Int) -> Node { graph.nodes[id] }
    public func displayName(_ id: Int) -> String { displayNames[id] }

    /// What defines `value` in this scope (nil if it comes from outside or from nowhere).
    public func producer(of value: String) -> ValueProducer? { producers[value] }

    /// The node producing `value` in this scope, if a node does.
    public func producerNode(of value: String) -> Int? {
        if case .node(let n, _)? = producers[value] { return n }
        return nil
    }

    /// Nodes of this scope that read `value` directly, in file order (a node reading it twice
    /// is listed once).
    public func consumers(of value: String) -> [Int] { consumerLists[value] ?? [] }

    /// Scope ids of the sub-graphs held by node `id`, in attribute order.
    public func subgraphScopes(of id: Int) -> [Int] { childScopes[id] ?? [] }

    /// Every scope directly nested in this one, over all nodes.
    public var allChildScopes: [Int] { childScopes.keys.sorted().flatMap { childScopes[$0]! } }

    /// Values node `id` reads only through its sub-graphs (captured from this or an enclosing
    /// scope): they are real dependencies of the node even though they are not inputs.
    public func implicitInputs(of id: Int) -> [String] { implicit[id] ?? [] }

    /// Position of node `id` in ``topologicalOrder``.
    public func topologicalRank(of id: Int) -> Int { rankInOrder[id] }

    /// Initializer names, in file order.
    public var initializerNames: [String] { graph.initializers.map(\.name) }

    /// The initializer called `name` in this scope.
    public func initializer(named name: String) -> Tensor? {
        if case .initializer(let i)? = producers[name] { return graph.initializers[i] }
        return nil
    }

    /// The tensor a value holds when it is an initializer or the output of a `Constant` node
    /// with a tensor `value` (paddle2onnx and some PyTorch exports store every weight so).
    public func constantTensor(named name: String) -> Tensor? {
        if let t = initializer(named: name) { return t }
        guard let n = producerNode(of: name) else { return nil }
        let node = graph.nodes[n]
        guard node.opType == "Constant", node.isDefaultDomain else { return nil }
        return node.attribute("value")?.t
    }
}

/// Producers, consumers, order and nesting of a model's graph and all its sub-graphs.
///
/// Building the index never throws: structural problems (cycles, dangling values, duplicate
/// producers, over-deep nesting) become ``issues``, so broken models can still be browsed.
/// Sub-graphs are walked with a work list, not recursion, and nesting deeper than
/// ``maximumNestingDepth`` is reported and cut off.
public struct GraphIndex: Sendable {
    /// Sub-graphs nested deeper than this are reported and not indexed.
    public static let maximumNestingDepth = 64

    /// Scope 0 is the main graph; sub-graphs follow breadth-first, so a parent's id is always
    /// smaller than its children's.
    public private(set) var scopes: [GraphScope] = []
    public private(set) var issues: [GraphIssue] = []

    public var main: GraphScope { scopes[0] }

    /// Indexes `model.graph` and its sub-graphs.
    /// Indexes the model's graph, its sub-graphs, and the body of every model-local function
    /// it calls (one scope per call, labelled ``Function/callScopeLabel``).
    public init(model: Model) { self.init(graph: model.graph, functions: model.functions) }

    /// Indexes `graph` and its sub-graphs; calls of `functions` open their bodies as scopes.
    public init(graph: Graph, functions: [Function] = []) {
        discoverScopes(graph, functions: Dictionary(functions.map { ($0.callKey, $0) }, uniquingKeysWith: { a, _ in a }))
        for s in scopes.indices { indexLocally(s) }
        resolveOuterScope()
        for s in scopes.indices { order(s) }
    }

    /// Resolves `value` as seen from `scope`: local definitions first, then enclosing scopes.
    public func resolve(_ value: String, in scope: Int) -> ValueDefinition? {
        var s: Int? = scope
        while let cur = s {
            if let p = scopes[cur].producers[value] { return ValueDefinition(scope: cur, producer: p) }
            s = scopes[cur].parent?.scope
        }
        return nil
    }

    /// Issues of one scope.
    public func issues(in scope: Int) -> [GraphIssue] { issues.filter { $0.scope == scope } }

    /// True when no issue is an error.
    public var isValid: Bool { !issues.contains { $0.severity == .error } }

    /// Throws when the graph cannot be executed as it stands (a cycle, a dangling value, a
    /// duplicate producer or node name, over-deep nesting): for callers that must refuse such
    /// models, such as `info`'s exit code 2 or the quantizer. Browsing should use ``issues``.
    public func validate() throws(GraphValidationError) {
        let errors = issues.filter { $0.severity == .error }
        if !errors.isEmpty { throw GraphValidationError(issues: errors) }
    }

    /// A path to show for a scope: `If_0/then_branch/Loop#1/body`.
    public func path(of scope: Int) -> String {
        var parts: [String] = []
        var s = scope
        while let link = scopes[s].parent {
            parts.append(link.attribute.escapedForDisplay)
            parts.append(scopes[link.scope].displayName(link.node))
            s = link.scope
        }
        return parts.isEmpty ? "main" : parts.reversed().joined(separator: "/")
    }

    // MARK: - Building

    private mutating func discoverScopes(_ root: Graph, functions: [String: Function]) {
        scopes.append(GraphScope(id: 0, graph: root, parent: nil, depth: 0))
        var next = 0
        while next < scopes.count {
            let s = scopes[next]
            next += 1
            for (n, node) in s.graph.nodes.enumerated() {
                var subs = node.subgraphs
                if let f = functions[node.functionCallKey] {
                    subs.append((Function.callScopeLabel, f.instantiated(for: node)))
                }
                if subs.isEmpty { continue }
                if s.depth + 1 > GraphIndex.maximumNestingDepth {
                    issues.append(GraphIssue(.error, .nestingTooDeep,
                        "sub-graphs of \(displayLabel(node, n)) nest deeper than \(GraphIndex.maximumNestingDepth) levels; they are not indexed",
                        scope: s.id, nodes: [n]))
                    continue
                }
                for (attr, g) in subs {
                    let id = scopes.count
                    scopes.append(GraphScope(id: id, graph: g, parent: ScopeLink(scope: s.id, node: n, attribute: attr), depth: s.depth + 1))
                    scopes[s.id].childScopes[n, default: []].append(id)
                }
            }
        }
    }

    private func displayLabel(_ node: Node, _ id: Int) -> String {
        node.name.isEmpty ? "\(node.opType.escapedForDisplay) node \(id)" : "'\(node.name.escapedForDisplay)'"
    }

    /// Producers, consumers, display names, duplicates and real inputs of one scope.
    private mutating func indexLocally(_ s: Int) {
        var scope = scopes[s]
        let g = scope.graph
        var producers: [String: ValueProducer] = [:]
        producers.reserveCapacity(g.nodes.count * 2 + g.initializers.count + g.inputs.count)
        var duplicates: [String: [ValueProducer]] = [:]

        func define(_ name: String, _ p: ValueProducer) {
            guard !name.isEmpty else { return }
            if let old = producers[name] {
                // A graph input re-declaring an initializer is legal (IR < 4 style, or an
                // overridable default): it is the initializer, not a duplicate.
                switch (p, old) {
                case (.initializer, .graphInput), (.sparseInitializer, .graphInput): producers[name] = p; return
                default: break
                }
                duplicates[name, default: [old]].append(p)
                return
            }
            producers[name] = p
        }
        for (i, v) in g.inputs.enumerated() { define(v.name, .graphInput(i)) }
        for (i, t) in g.initializers.enumerated() { define(t.name, .initializer(i)) }
        for (i, t) in g.sparseInitializers.enumerated() { define(t.values.name, .sparseInitializer(i)) }
        for (n, node) in g.nodes.enumerated() {
            for (o, name) in node.outputs.enumerated() { define(name, .node(n, output: o)) }
        }
        scope.realInputs = g.inputs.indices.filter { i in
            if case .graphInput? = producers[g.inputs[i].name] { return true }
            return false
        }

        // Display names: unnamed nodes get OpType#k, counted per op type in file order.
        var unnamedCount: [String: Int] = [:]
        var seenNames: [String: [Int]] = [:]
        scope.displayNames.reserveCapacity(g.nodes.count)
        var consumers: [String: [Int]] = [:]
        for (n, node) in g.nodes.enumerated() {
            if node.name.isEmpty {
                let k = unnamedCount[node.opType, default: 0]
                unnamedCount[node.opType] = k + 1
                scope.displayNames.append("\(node.opType.escapedForDisplay)#\(k)")
            } else {
                scope.displayNames.append(node.name.escapedForDisplay)
                seenNames[node.name, default: []].append(n)
            }
            for name in node.inputs where !name.isEmpty {
                if consumers[name]?.last != n { consumers[name, default: []].append(n) }
            }
        }
        scope.producers = producers
        scope.consumerLists = consumers

        for (name, ps) in duplicates.sorted(by: { $0.key < $1.key }) {
            let nodes = ps.compactMap { p -> Int? in if case .node(let n, _) = p { return n }; return nil }
            let what = ps.map { describe($0, in: scope) }.joined(separator: ", ")
            issues.append(GraphIssue(.error, .duplicateProducer,
                "value '\(name.escapedForDisplay)' is defined \(ps.count) times: \(what)",
                scope: s, nodes: nodes, values: [name]))
        }
        // An error, not a style warning: ONNX Runtime refuses a graph in which two nodes share
        // a name ("two nodes with same node name"), in the main graph and in each sub-graph
        // alike (the same name in a graph and in its sub-graph is fine).
        for (name, nodes) in seenNames.sorted(by: { $0.key < $1.key }) where nodes.count > 1 {
            issues.append(GraphIssue(.error, .duplicateNodeName,
                "\(nodes.count) nodes are named '\(name.escapedForDisplay)' (nodes \(nodes.map(String.init).joined(separator: ", "))); ONNX Runtime refuses duplicate node names",
                scope: s, nodes: nodes))
        }
        scopes[s] = scope
    }

    private func describe(_ p: ValueProducer, in scope: GraphScope) -> String {
        switch p {
        case .node(let n, let o): return "output \(o) of \(scope.displayNames.indices.contains(n) ? scope.displayNames[n] : "node \(n)")"
        case .graphInput(let i): return "graph input \(i)"
        case .initializer(let i): return "initializer \(i)"
        case .sparseInitializer(let i): return "sparse initializer \(i)"
        }
    }

    /// Free names of every scope (bottom-up, children before parents), their resolution
    /// through enclosing scopes, and dangling-value issues.
    private mutating func resolveOuterScope() {
        var free = [Set<String>](repeating: [], count: scopes.count)
        for s in scopes.indices.reversed() {
            let scope = scopes[s]
            var names = Set<String>()
            for node in scope.graph.nodes {
                for x in node.inputs where !x.isEmpty && scope.producers[x] == nil { names.insert(x) }
            }
            for o in scope.graph.outputs where !o.name.isEmpty && scope.producers[o.name] == nil { names.insert(o.name) }
            var implicit: [Int: [String]] = [:]
            for (n, children) in scope.childScopes {
                var captured = Set<String>()
                for c in children { captured.formUnion(free[c]) }
                if captured.isEmpty { continue }
                implicit[n] = captured.sorted()
                for x in captured where scope.producers[x] == nil { names.insert(x) }
            }
            scopes[s].implicit = implicit
            free[s] = names
        }
        for s in scopes.indices {
            let scope = scopes[s]
            if let parent = scope.parent {
                scopes[s].outerReferences = free[s].sorted().map { OuterReference(name: $0, definition: resolve($0, in: parent.scope)) }
            }
            // Report a dangling name where it is read directly, not again at every enclosing level.
            var dangling: [String: [Int]] = [:]
            for (n, node) in scope.graph.nodes.enumerated() {
                for x in node.inputs where !x.isEmpty && scope.producers[x] == nil {
                    if resolve(x, in: s) == nil, dangling[x]?.last != n { dangling[x, default: []].append(n) }
                }
            }
            for (x, nodes) in dangling.sorted(by: { $0.key < $1.key }) {
                let who = nodes.prefix(5).map { scope.displayNames[$0] }.joined(separator: ", ") + (nodes.count > 5 ? ", …" : "")
                issues.append(GraphIssue(.error, .danglingInput,
                    "value '\(x.escapedForDisplay)' is read by \(who) but nothing produces it", scope: s, nodes: nodes, values: [x]))
            }
            for o in scope.graph.outputs where !o.name.isEmpty && scope.producers[o.name] == nil && resolve(o.name, in: s) == nil {
                issues.append(GraphIssue(.error, .danglingOutput,
                    "graph output '\(o.name.escapedForDisplay)' is not produced by any node, input or initializer", scope: s, values: [o.name]))
            }
        }
    }

    /// Topological order of one scope; a node also depends on the producers of the values
    /// its sub-graphs capture.
    private mutating func order(_ s: Int) {
        let scope = scopes[s]
        var preds = [[Int]](repeating: [], count: scope.nodeCount)
        for (n, node) in scope.graph.nodes.enumerated() {
            for x in node.inputs where !x.isEmpty {
                if let p = scope.producerNode(of: x) { preds[n].append(p) }
            }
            for x in scope.implicit[n] ?? [] {
                if let p = scope.producerNode(of: x) { preds[n].append(p) }
            }
        }
        let result = TopologicalOrder.sort(predecessors: preds)
        scopes[s].topologicalOrder = result.order
        var rank = [Int](repeating: 0, count: scope.nodeCount)
        for (i, n) in result.order.enumerated() { rank[n] = i }
        scopes[s].rankInOrder = rank
        if let c = result.cycle {
            let names = c.nodes.map { scope.displayNames[$0] }
            let loop = (names + [names[0]]).joined(separator: " → ")
            let extra = c.unordered.count > c.nodes.count ? " (\(c.unordered.count) nodes cannot be ordered)" : ""
            issues.append(GraphIssue(.error, .cycle, "cycle: \(loop)\(extra)", scope: s, nodes: c.nodes))
        }
    }
}

/// The error-severity issues of a graph, as one error.
public struct GraphValidationError: Error, Sendable, CustomStringConvertible {
    public let issues: [GraphIssue]
    /// The first problem, then how many more: `cycle: a → b → a (and 2 more problems)`.
    public var description: String {
        guard let first = issues.first else { return "invalid graph" }
        return first.message + (issues.count > 1 ? " (and \(issues.count - 1) more problem\(issues.count > 2 ? "s" : ""))" : "")
    }
}
