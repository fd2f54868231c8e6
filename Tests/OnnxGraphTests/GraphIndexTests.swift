import Testing
import OnnxModel
@testable import OnnxGraph

/// A node without attributes, for hand-written graphs whose file order matters.
func node(_ op: String, _ name: String, _ inputs: [String], _ outputs: [String], _ attributes: [Attribute] = []) -> Node {
    Node(opType: op, name: name, inputs: inputs, outputs: outputs, attributes: attributes)
}

func floatInput(_ name: String, _ dims: [Dimension]) -> ValueInfo {
    ValueInfo(name: name, type: .tensor(.float, dims))
}

@Suite("Graph index")
struct GraphIndexTests {
    @Test("diamond: producers before consumers, ties broken by file order")
    func diamondOrder() {
        // File order is scrambled: the join first, the source third.
        let g = Graph(name: "diamond", nodes: [
            node("Add", "join", ["b", "c"], ["d"]),
            node("Relu", "left", ["a"], ["b"]),
            node("Neg", "source", ["x"], ["a"]),
            node("Sigmoid", "right", ["a"], ["c"]),
        ], inputs: [floatInput("x", [.value(4)])], outputs: [floatInput("d", [.value(4)])])
        let index = GraphIndex(graph: g)
        #expect(index.main.topologicalOrder == [2, 1, 3, 0])
        #expect(index.issues.isEmpty)
        #expect(index.main.producerNode(of: "a") == 2)
        #expect(index.main.consumers(of: "a") == [1, 3])
        #expect(index.main.producer(of: "x") == .graphInput(0))
        #expect(index.main.consumers(of: "d").isEmpty)

        // Already topological: unchanged.
        let sorted = Graph(nodes: [g.nodes[2], g.nodes[1], g.nodes[3], g.nodes[0]], inputs: g.inputs)
        #expect(GraphIndex(graph: sorted).main.topologicalOrder == [0, 1, 2, 3])
    }

    @Test("a cycle is reported with the nodes on it, and the order still lists every node")
    func cycle() throws {
        let g = Graph(nodes: [
            node("Relu", "pre", ["x"], ["p"]),
            node("Add", "first", ["p", "s"], ["f"]),
            node("Relu", "second", ["f"], ["s"]),
            node("Relu", "after", ["s"], ["y"]),
        ], inputs: [floatInput("x", [.value(1)])])
        let index = GraphIndex(graph: g)
        let cycles = index.issues.filter { $0.kind == .cycle }
        #expect(cycles.count == 1)
        let issue = try #require(cycles.first)
        #expect(issue.severity == .error)
        #expect(issue.nodes == [1, 2])
        #expect(issue.message.contains("first → second → first"))
        #expect(!issue.message.contains("pre") && !issue.message.contains("after"))
        #expect(Set(index.main.topologicalOrder) == Set(0..<4))
        #expect(index.main.topologicalOrder.first == 0)

        do {
            try index.validate()
            Issue.record("a cyclic graph validated")
        } catch {
            // `after` reads the cycle's output, so it cannot be ordered either.
            #expect(error.description == "cycle: first → second → first (3 nodes cannot be ordered)")
        }
        #expect(throws: TopologicalOrder.CycleError.self) {
            _ = try TopologicalOrder.sorted(predecessors: [[], [0, 2], [1], [2]])
        }
        do {
            _ = try TopologicalOrder.sorted(predecessors: [[2], [0], [1]])
            Issue.record("no cycle error")
        } catch {
            #expect(error.nodes == [0, 1, 2])
        }
    }

    @Test("self loops and names with escape sequences are reported escaped")
    func escapedCycle() throws {
        let evil = "evil\u{1b}[31m\nname"
        let g = Graph(nodes: [node("Relu", evil, ["z"], ["z"])])
        let index = GraphIndex(graph: g)
        let issue = try #require(index.issues.first { $0.kind == .cycle })
        #expect(issue.nodes == [0])
        #expect(issue.message.contains("evil\\e[31m\\nname"))
        #expect(!issue.message.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x0a })
        #expect(index.main.displayName(0) == "evil\\e[31m\\nname")
    }

    @Test("a value nobody produces is a dangling input naming its reader")
    func dangling() throws {
        let g = Graph(nodes: [
            node("Add", "adder", ["x", "ghost"], ["y"]),
            node("Relu", "", ["y"], ["z"]),
        ], inputs: [floatInput("x", [.value(2)])], outputs: [floatInput("z", [.value(2)]), floatInput("missing", [.value(1)])])
        let index = GraphIndex(graph: g)
        let issue = try #require(index.issues.first { $0.kind == .danglingInput })
        #expect(issue.values == ["ghost"])
        #expect(issue.nodes == [0])
        #expect(issue.message.contains("adder"))
        #expect(index.issues.contains { $0.kind == .danglingOutput && $0.values == ["missing"] })
        #expect(!index.isValid)
        // Omitted optional inputs (empty names) are not dangling.
        let ok = GraphIndex(graph: Graph(nodes: [node("Clip", "c", ["x", "", ""], ["y"])], inputs: [floatInput("x", [.value(1)])]))
        #expect(ok.issues.isEmpty)
    }

    @Test("duplicate producers and duplicate node names")
    func duplicates() throws {
        var g = Graph(nodes: [
            node("Relu", "a", ["x"], ["y"]),
            node("Sigmoid", "a", ["x"], ["y"]),
            node("Relu", "c", ["x"], ["w"]),
        ], inputs: [floatInput("x", [.value(2)])])
        g.initializers = [Tensor(name: "w", dataType: .float, dims: [1], rawData: ByteSlice([0, 0, 0, 0]))]
        let index = GraphIndex(graph: g)
        let dup = index.issues.filter { $0.kind == .duplicateProducer }
        #expect(dup.count == 2)
        let y = try #require(dup.first { $0.values == ["y"] })
        #expect(y.nodes == [0, 1])
        #expect(y.severity == .error)
        #expect(dup.contains { $0.values == ["w"] && $0.nodes == [2] })
        let names = try #require(index.issues.first { $0.kind == .duplicateNodeName })
        #expect(names.nodes == [0, 1])
        #expect(names.severity == .error)   // ONNX Runtime refuses duplicate node names
    }

    @Test("real inputs exclude initializers declared as inputs; unnamed nodes get OpType#k")
    func inputsAndNames() {
        var b = GraphBuilder()
        let x = b.input("x", .float, [.value(2)])
        b.input("w", .float, [.value(2)])
        b.initializer("w", floats: [1, 2], dims: [2])
        var g = b.graph
        g.nodes = [node("Mul", "", [x, "w"], ["m"]), node("Relu", "", ["m"], ["r"]), node("Relu", "", ["r"], ["s"]), node("Relu", "named", ["s"], ["t"])]
        let index = GraphIndex(graph: g)
        #expect(index.issues.isEmpty)
        #expect(index.main.realInputs == [0])
        #expect(index.main.producer(of: "w") == .initializer(0))
        #expect(index.main.displayNames == ["Mul#0", "Relu#0", "Relu#1", "named"])
        #expect(throws: Never.self) { try index.validate() }

        // A sparse initializer declared as an input is a default value, not a duplicate.
        var sparse = SparseTensor()
        sparse.values = Tensor(name: "sp", dataType: .float, dims: [1], rawData: ByteSlice([0, 0, 0, 0]))
        sparse.dims = [2]
        var h = Graph(nodes: [node("Add", "", ["x", "sp"], ["y"])], inputs: [floatInput("x", [.value(2)]), floatInput("sp", [.value(2)])])
        h.sparseInitializers = [sparse]
        let hi = GraphIndex(graph: h)
        #expect(hi.issues.isEmpty)
        #expect(hi.main.realInputs == [0])
        #expect(hi.main.producer(of: "sp") == .sparseInitializer(0))
    }

    /// main: x → Relu → a; If(cond) { then: Add(a, x) ; else: Loop { body uses a } }.
    static func nestedModel(ifFirstInFile: Bool) -> Graph {
        let thenBranch = Graph(name: "then", nodes: [node("Add", "then_add", ["a", "x"], ["t_out"])],
                               outputs: [floatInput("t_out", [.value(4)])])
        let body = Graph(name: "body", nodes: [
            node("Identity", "cond_pass", ["cond_in"], ["cond_out"]),
            node("Mul", "body_mul", ["a", "carried"], ["carried_out"]),
        ], inputs: [ValueInfo(name: "iter", type: .tensor(.int64, [])), ValueInfo(name: "cond_in", type: .tensor(.bool, [])),
                    floatInput("carried", [.value(4)])],
           outputs: [ValueInfo(name: "cond_out", type: .tensor(.bool, [])), floatInput("carried_out", [.value(4)])])
        let elseBranch = Graph(name: "else", nodes: [
            node("Loop", "loop", ["trips", "", "x"], ["e_out"], [.graph("body", body)]),
        ], outputs: [floatInput("e_out", [.value(4)])])
        var ifNode = node("If", "branch", ["cond"], ["y"], [.graph("then_branch", thenBranch), .graph("else_branch", elseBranch)])
        ifNode.domain = ""
        let relu = node("Relu", "make_a", ["x"], ["a"])
        var g = Graph(name: "main", nodes: ifFirstInFile ? [ifNode, relu] : [relu, ifNode],
                      inputs: [floatInput("x", [.value(4)]), ValueInfo(name: "cond", type: .tensor(.bool, []))],
                      outputs: [floatInput("y", [.value(4)])])
        g.initializers = [Tensor(name: "trips", dataType: .int64, dims: [], rawData: ByteSlice([3, 0, 0, 0, 0, 0, 0, 0]))]
        return g
    }

    @Test("sub-graphs: parent links and outer-scope references resolved through enclosing scopes")
    func subgraphs() throws {
        let index = GraphIndex(graph: Self.nestedModel(ifFirstInFile: true))
        #expect(index.issues.isEmpty, "\(index.issues)")
        #expect(index.scopes.count == 4)
        let main = index.main
        #expect(main.subgraphScopes(of: 0) == [1, 2])
        let thenScope = index.scopes[1], elseScope = index.scopes[2], body = index.scopes[3]
        #expect(thenScope.parent == ScopeLink(scope: 0, node: 0, attribute: "then_branch"))
        #expect(body.parent == ScopeLink(scope: 2, node: 0, attribute: "body"))
        #expect(body.depth == 2)
        #expect(thenScope.outerReferences == [
            OuterReference(name: "a", definition: ValueDefinition(scope: 0, producer: .node(1, output: 0))),
            OuterReference(name: "x", definition: ValueDefinition(scope: 0, producer: .graphInput(0))),
        ])
        // The body reads `a` from two levels up; the else branch captures it on the body's behalf.
        #expect(body.outerReferences == [OuterReference(name: "a", definition: ValueDefinition(scope: 0, producer: .node(1, output: 0)))])
        #expect(elseScope.outerReferences.map(\.name) == ["a", "trips", "x"])
        #expect(elseScope.outerReferences.first { $0.name == "trips" }?.definition == ValueDefinition(scope: 0, producer: .initializer(0)))
        #expect(main.implicitInputs(of: 0) == ["a", "trips", "x"])
        // The If comes first in the file but captures `a`, so the Relu is ordered first.
        #expect(main.topologicalOrder == [1, 0])
        #expect(index.resolve("carried", in: 3) == ValueDefinition(scope: 3, producer: .graphInput(2)))
        #expect(index.resolve("carried", in: 0) == nil)
        #expect(index.path(of: 3) == "branch/else_branch/loop/body")
    }

    @Test("a value produced inside a branch is not visible to the main graph")
    func scopeVisibility() throws {
        var g = Self.nestedModel(ifFirstInFile: false)
        g.nodes.append(node("Relu", "peek", ["t_out"], ["z"]))
        let index = GraphIndex(graph: g)
        let issue = try #require(index.issues.first { $0.kind == .danglingInput })
        #expect(issue.values == ["t_out"] && issue.scope == 0 && issue.nodes == [2])
    }

    @Test("nesting deeper than 64 levels is reported, not recursed into")
    func deepNesting() throws {
        // A chain of Loops 200 deep (what the bad-input corpus feeds the reader).
        var chain = Graph(name: "leaf", nodes: [node("Identity", "leaf", ["x"], ["y0"])], outputs: [floatInput("y0", [.value(1)])])
        for level in 1...200 {
            chain = Graph(name: "g\(level)", nodes: [node("Loop", "loop\(level)", ["", "c"], ["y\(level)"], [.graph("body", chain)])],
                          outputs: [floatInput("y\(level)", [.value(1)])])
        }
        chain.inputs = [floatInput("x", [.value(1)]), ValueInfo(name: "c", type: .tensor(.bool, []))]
        let index = GraphIndex(graph: chain)
        #expect(index.scopes.count == GraphIndex.maximumNestingDepth + 1)
        #expect(index.scopes.map(\.depth).max() == GraphIndex.maximumNestingDepth)
        let issue = try #require(index.issues.first { $0.kind == .nestingTooDeep })
        #expect(issue.scope == GraphIndex.maximumNestingDepth)
        let shapes = ShapeInference.infer(Model(graph: chain), index: index)
        #expect(shapes.scopes.count == index.scopes.count)
    }

    @Test("30k-node graphs index in linear-ish time, in reverse file order too")
    func large() {
        let n = 30_000
        var nodes: [Node] = []
        nodes.reserveCapacity(n)
        for i in 0..<n {
            // Each node reads the previous value and, every 10th, a skip connection.
            let inputs = i % 10 == 9 ? ["v\(i)", "v\(i - 8)"] : ["v\(i)"]
            nodes.append(node(i % 10 == 9 ? "Add" : "Relu", "", inputs, ["v\(i + 1)"]))
        }
        let g = Graph(nodes: nodes.reversed(), inputs: [floatInput("v0", [.param("batch"), .value(16)])])
        let clock = ContinuousClock()
        var index: GraphIndex!
        var shapes: ShapeInferenceResult!
        let elapsed = clock.measure {
            index = GraphIndex(graph: g)
            shapes = ShapeInference.infer(Model(graph: g), index: index)
        }
        #expect(index.issues.isEmpty)
        #expect(index.main.topologicalOrder.first == n - 1)
        #expect(index.main.topologicalOrder.last == 0)
        #expect(shapes.facts("v\(n)")?.dims == [.param("batch"), .value(16)])
        // Generous bound: it only catches quadratic behaviour (which takes minutes here).
        #expect(elapsed < .seconds(30), "indexing 30k nodes took \(elapsed)")
    }
}
