import Foundation
import OnnxGraph
import OnnxModel
import Testing
@testable import Partition

/// Partitions: ORT's `CreateSupportedPartitionNodeGroups`, as the usability checker replicates it.
@Suite("Partition grouping")
struct PartitionGroupingTests {
    /// x → a → b → c with a also feeding c: names of the groups for the supported names.
    static func diamond() -> Model {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(2)])
        let a = g.op("Relu", [x], name: "a")
        let b = g.op("Sigmoid", [a], name: "b")
        let c = g.op("Add", [a, b], name: "c")
        g.output(c, .float, [.value(2)])
        return g.model()
    }

    static func groups(_ model: Model, supported: Set<String>) -> [[String]] {
        let index = GraphIndex(model: model)
        let scope = index.scopes[0]
        return PartitionGrouping.groups(scope: scope) { supported.contains(scope.node($0).name) }
            .map { $0.map { scope.node($0).name } }
    }

    @Test("An unsupported node between two supported ones splits them: c cannot join a's group through b")
    func borderSplits() {
        #expect(Self.groups(Self.diamond(), supported: ["a", "c"]) == [["a"], ["c"]])
    }

    @Test("All supported is one group, none supported is no group")
    func allOrNothing() {
        #expect(Self.groups(Self.diamond(), supported: ["a", "b", "c"]) == [["a", "b", "c"]])
        #expect(Self.groups(Self.diamond(), supported: []).isEmpty)
    }

    @Test("An unsupported node the group does not feed does not split it")
    func unrelatedUnsupportedNode() {
        var g = GraphBuilder(opset: 17)
        let x = g.input("x", .float, [.value(2)])
        let u = g.op("Sigmoid", [x], name: "u")
        let a = g.op("Relu", [u], name: "a")
        let b = g.op("Relu", [x], name: "b")
        g.output(g.op("Add", [a, b], name: "c"), .float, [.value(2)])
        #expect(Self.groups(g.model(), supported: ["a", "b", "c"]) == [["b", "a", "c"]])
    }

    /// A seeded random DAG of `count` nodes (Relu/Add over earlier values), nodes n0…n(count−1).
    static func randomDAG(seed: UInt64, count: Int) -> Model {
        var rng = SeededRandom(seed: seed)
        var g = GraphBuilder(opset: 17)
        var values = [g.input("x", .float, [.value(2)]), g.input("y", .float, [.value(2)])]
        for i in 0..<count {
            func pick() -> String { values[Int(rng.next() % UInt64(values.count))] }
            let out = rng.next() % 2 == 0 ? g.op("Relu", [pick()], name: "n\(i)") : g.op("Add", [pick(), pick()], name: "n\(i)")
            values.append(out)
        }
        g.output(values.last!, .float, [.value(2)])
        return g.model()
    }

    /// The checker keeps consumers in Python sets hashed by object id, so the order nodes join
    /// a group is arbitrary there; which nodes form which group, and the groups' order, are not.
    @Test("Random graphs and supported sets: the same groups, in the same order, as the usability checker", arguments: 0..<4)
    func matchesChecker(batch: Int) throws {
        // One python run per batch of graphs keeps the interpreter start-up small.
        var cases: [(path: String, supported: Set<String>)] = []
        for k in 0..<10 {
            let seed = UInt64(batch * 10 + k + 1)
            var rng = SeededRandom(seed: seed &* 7919)
            let count = 6 + Int(rng.next() % 24)
            let supported = Set((0..<count).filter { _ in rng.next() % 3 != 0 }.map { "n\($0)" })
            cases.append((try Reference.write(Self.randomDAG(seed: seed, count: count), "dag\(seed)"), supported))
        }
        let script = """
        import json, sys, onnx
        from onnxruntime.tools.mobile_helpers import usability_checker as uc
        class ByName(uc._SupportedOpsChecker):
            def __init__(self, names): self._ops = {}; self._ops_seen = set(); self.names = names
            def is_op_supported(self, node): return node.name in self.names
        out = []
        for arg in sys.argv[1:]:
            path, names = arg.split('=', 1)
            info = uc.check_partitioning(onnx.load(path).graph, ByName(set(filter(None, names.split(',')))), False)
            out.append([[n.name for n in g] for g in info.supported_groups])
        print(json.dumps({"groups": out}))
        """
        let reply = try Reference.json(["-c", script] + cases.map { "\($0.path)=\($0.supported.sorted().joined(separator: ","))" })
        let expected = try #require(reply["groups"] as? [[[String]]])
        for (i, c) in cases.enumerated() {
            let model = try Model.load(path: c.path)
            #expect(Self.groups(model, supported: c.supported).map { $0.sorted() } == expected[i].map { $0.sorted() }, "\(c.path)")
        }
    }
}
