import OnnxGraph
import OnnxModel

/// A partition as a user understands it: a maximal run of nodes on one execution provider,
/// walking the graph in topological order.
///
/// ORT's assignment report is not that: it lists one subgraph per node for CPU, and the
/// subgraphs of a compiling EP in its own order (OpenVINO's first, then CPU's), so its indices
/// neither count hand-offs between providers nor follow the graph. Numbering runs 1...k in
/// topological order makes "partition 3" mean "the third stretch of the graph, after two
/// provider changes" in the table, the CSV, the JSON and the explorer alike.
public struct ExecutionPartition: Sendable, Equatable {
    /// 1...k, in topological order.
    public let number: Int
    /// Provider running every node of the run, e.g. `OpenVINOExecutionProvider`.
    public let provider: String
    /// Indices into the main graph's `nodes`, in topological order.
    public let nodes: [Int]
    /// The same nodes' names (`<Op>#<index>` for unnamed ones, as ``NodeRuntimeAnnotation/displayName``).
    public let nodeNames: [String]

    public init(number: Int, provider: String, nodes: [Int], nodeNames: [String]) {
        self.number = number
        self.provider = provider
        self.nodes = nodes
        self.nodeNames = nodeNames
    }

    /// Cuts the main graph, in topological order (which also puts a node after the producers
    /// of values its sub-graphs capture), into maximal runs of one provider. Nodes with no
    /// provider (eliminated by ORT, or absent from its report) belong to no partition and do
    /// not split one: a folded constant between two OpenVINO nodes does not make two OpenVINO
    /// partitions.
    public static func runs(in graph: Graph, providers: [Int: String]) -> [ExecutionPartition] {
        var result: [ExecutionPartition] = []
        var current: (provider: String, nodes: [Int])?
        func close() {
            guard let c = current else { return }
            let names = c.nodes.map { NodeRuntimeAnnotation.displayName(name: graph.nodes[$0].name, opType: graph.nodes[$0].opType, index: $0) }
            result.append(ExecutionPartition(number: result.count + 1, provider: c.provider, nodes: c.nodes, nodeNames: names))
        }
        for node in GraphIndex(graph: graph).main.topologicalOrder {
            guard let p = providers[node] else { continue }
            if current?.provider == p {
                current?.nodes.append(node)
            } else {
                close()
                current = (p, [node])
            }
        }
        close()
        return result
    }

    /// The partitions of ORT's assignment report (``runs(in:providers:)`` over
    /// ``providers(from:graph:)``): placement known from session creation, before any profile.
    public static func runs(in graph: Graph, assignment: [AssignedSubgraph]) -> [ExecutionPartition] {
        runs(in: graph, providers: providers(from: assignment, graph: graph))
    }

    /// The provider of each main-graph node ORT's assignment report names (matched by node
    /// name; the first node of a duplicated name wins, unnamed nodes are not in the map).
    public static func providers(from assignment: [AssignedSubgraph], graph: Graph) -> [Int: String] {
        var byName: [String: Int] = [:]
        for (i, n) in graph.nodes.enumerated() where !n.name.isEmpty && byName[n.name] == nil { byName[n.name] = i }
        var providers: [Int: String] = [:]
        for sg in assignment {
            for n in sg.nodes { if let i = byName[n.name] { providers[i] = sg.provider } }
        }
        return providers
    }

    /// The partition number of each node in `partitions`.
    public static func numbers(of partitions: [ExecutionPartition]) -> [Int: Int] {
        var numbers: [Int: Int] = [:]
        for p in partitions { for n in p.nodes { numbers[n] = p.number } }
        return numbers
    }
}
