import GraphLayout
import OnnxGraph
import OnnxModel

/// What identifies a layout: it is computed once per scope, set of folded groups and zoom.
public struct SceneKey: Hashable, Sendable {
    public var scope: Int
    public var collapsed: Set<Int>
    public var zoom: ZoomLevel
    public init(scope: Int, collapsed: Set<Int>, zoom: ZoomLevel) {
        self.scope = scope
        self.collapsed = collapsed
        self.zoom = zoom
    }
}

/// The laid-out graph of one scope: boxes for nodes and folded groups, edge routes, and the
/// adjacency of the boxes for keyboard navigation.
public struct Scene: Sendable {
    public let key: SceneKey
    public let collapsedGraph: CollapsedGraph
    public let layout: LayeredLayout
    /// Text lines of each box, by layout id.
    public let labels: [[String]]
    /// Boxes feeding each box, by layout id.
    public let predecessors: [[Int]]
    /// Boxes fed by each box, by layout id.
    public let successors: [[Int]]
    /// Seconds spent laying out (for the status line and the benchmark).
    public let layoutSeconds: Double

    /// Number of boxes.
    public var vertexCount: Int { collapsedGraph.vertices.count }

    /// What box `vertex` shows.
    public func item(ofVertex vertex: Int) -> SceneItem {
        switch collapsedGraph.vertices[vertex] {
        case .node(let n): return .node(n)
        case .group(let g): return .group(g)
        }
    }

    /// The box showing `item`: a node's own box, or the folded group hiding it.
    public func vertex(of item: SceneItem) -> Int? {
        switch item {
        case .node(let n): return collapsedGraph.layoutID(ofNode: n)
        case .group(let g): return collapsedGraph.layoutID(ofGroup: g)
        }
    }

    public func rect(ofVertex vertex: Int) -> GridRect { layout.nodes[vertex].rect }

    /// Builds the scene; pure, so it can run on a background thread.
    public static func build(document: Document, key: SceneKey) -> Scene {
        let clock = ContinuousClock()
        let start = clock.now
        let scope = document.scope(key.scope)
        let grouping = document.groupings[key.scope]

        var nodes: [LayoutNode] = []
        nodes.reserveCapacity(scope.nodeCount)
        for id in scope.topologicalOrder { nodes.append(LayoutNode(id: id, width: 1, height: 1)) }
        var edges: [LayoutEdge] = []
        for id in 0..<scope.nodeCount {
            let node = scope.node(id)
            var seen = Set<Int>()
            for input in node.inputs + scope.implicitInputs(of: id) where !input.isEmpty {
                if let p = scope.producerNode(of: input), seen.insert(p).inserted { edges.append(LayoutEdge(from: p, to: id)) }
            }
        }
        let graph = LayoutGraph(nodes: nodes, edges: edges)
        var labels: [[String]] = []
        let collapsedGraph = CollapsedGraph(
            collapsing: graph, groups: grouping.tree, collapsed: key.collapsed,
            nodeSize: { node in
                let lines = BoxLabel.node(document: document, key: NodeKey(scope: key.scope, node: node.id), zoom: key.zoom)
                labels.append(lines)
                return BoxLabel.size(of: lines, zoom: key.zoom)
            },
            groupSize: { group, count in
                let lines = BoxLabel.group(document: document, scope: key.scope, group: group, nodeCount: count, zoom: key.zoom)
                labels.append(lines)
                return BoxLabel.size(of: lines, zoom: key.zoom)
            })
        var options = LayoutOptions()
        options.margin = 1
        options.minLayerGap = key.zoom == .compact ? 1 : 2
        let layout = LayeredLayout.compute(collapsedGraph.graph, options: options)
        var preds = [[Int]](repeating: [], count: collapsedGraph.vertices.count)
        var succs = [[Int]](repeating: [], count: collapsedGraph.vertices.count)
        for e in collapsedGraph.graph.edges where e.from != e.to {
            succs[e.from].append(e.to)
            preds[e.to].append(e.from)
        }
        let d = clock.now - start
        return Scene(key: key, collapsedGraph: collapsedGraph, layout: layout, labels: labels,
                     predecessors: preds, successors: succs,
                     layoutSeconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
}

/// The text inside a box and the box size it needs.
enum BoxLabel {
    static let maxWidth: [ZoomLevel: Int] = [.compact: 22, .normal: 30, .detailed: 36]

    static func node(document: Document, key: NodeKey, zoom: ZoomLevel) -> [String] {
        let node = document.node(key)
        let op = (node.isDefaultDomain ? node.opType : node.domain + "." + node.opType).escapedForDisplay
        switch zoom {
        case .compact: return [op]
        case .normal: return [op, shortName(document.displayName(key))]
        case .detailed: return [op, shortName(document.displayName(key)), document.outputSummary(key) ?? "?"]
        }
    }

    static func group(document: Document, scope: Int, group: Int, nodeCount: Int, zoom: ZoomLevel) -> [String] {
        let label = document.groupings[scope].labels[group]
        switch zoom {
        case .compact: return ["\(label) (\(nodeCount))"]
        case .normal: return [label, "\(nodeCount) nodes"]
        case .detailed:
            return [label, "\(nodeCount) nodes", document.groupings[scope].paths[group]]
        }
    }

    /// The tail of a long exporter name is the informative part (`…/self/query/MatMul`).
    static func shortName(_ name: String) -> String {
        let limit = 34
        guard name.count > limit else { return name }
        return "…" + name.suffix(limit - 1)
    }

    static func size(of lines: [String], zoom: ZoomLevel) -> (width: Int, height: Int) {
        let widest = lines.map { $0.count }.max() ?? 1
        let width = min(maxWidth[zoom]!, max(widest + 4, 9))
        return (width, lines.count + 2)
    }
}
