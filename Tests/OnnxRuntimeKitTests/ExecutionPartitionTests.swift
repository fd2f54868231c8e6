import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// Partitions as the `part` column shows them: maximal runs of one provider in topological
/// order, numbered from 1, whatever order ORT lists its subgraphs in.
final class ExecutionPartitionTests: XCTestCase {
    /// x -> a -> b -> c -> d, one node per op, in file order.
    func chain(_ names: [String]) -> Graph {
        var nodes: [Node] = []
        var prev = "x"
        for n in names {
            nodes.append(Node(opType: "Relu", name: n, inputs: [prev], outputs: [n + "_out"]))
            prev = n + "_out"
        }
        return Graph(nodes: nodes)
    }

    func testRunsOfOneProviderAlongTheGraph() {
        let g = chain(["a", "b", "c", "d"])
        let ov = "OpenVINOExecutionProvider", cpu = "CPUExecutionProvider"
        let parts = ExecutionPartition.runs(in: g, providers: [0: ov, 1: ov, 2: cpu, 3: ov])
        XCTAssertEqual(parts.map(\.number), [1, 2, 3])
        XCTAssertEqual(parts.map(\.provider), [ov, cpu, ov])
        XCTAssertEqual(parts.map(\.nodeNames), [["a", "b"], ["c"], ["d"]])
        // CPU alone is one partition, even though ORT reports one subgraph per CPU node.
        XCTAssertEqual(ExecutionPartition.runs(in: g, providers: [0: cpu, 1: cpu, 2: cpu, 3: cpu]).map(\.nodes), [[0, 1, 2, 3]])
        // A node without a provider (eliminated) neither joins nor splits a run.
        XCTAssertEqual(ExecutionPartition.runs(in: g, providers: [0: ov, 2: ov, 3: cpu]).map(\.nodes), [[0, 2], [3]])
    }

    func testTopologicalOrderNotFileOrder() {
        // File order d, c, b, a; data flows a -> b -> c -> d.
        let g = Graph(nodes: chain(["a", "b", "c", "d"]).nodes.reversed())
        let parts = ExecutionPartition.runs(in: g, providers: [3: "A", 2: "A", 1: "B", 0: "A"])
        XCTAssertEqual(parts.map(\.nodeNames), [["a", "b"], ["c"], ["d"]])
        XCTAssertEqual(ExecutionPartition.numbers(of: parts), [3: 1, 2: 1, 1: 2, 0: 3])
    }

    func testProvidersFromOrtsReportMatchNodesByName() {
        let g = chain(["a", "b", "c"])
        let report = [AssignedSubgraph(index: 0, provider: "OV", nodes: [.init(name: "a", domain: "", opType: "Relu"), .init(name: "c", domain: "", opType: "Relu")]),
                      AssignedSubgraph(index: 1, provider: "CPU", nodes: [.init(name: "b", domain: "", opType: "Relu"), .init(name: "zz", domain: "", opType: "Relu")])]
        XCTAssertEqual(ExecutionPartition.providers(from: report, graph: g), [0: "OV", 1: "CPU", 2: "OV"])
    }
}
