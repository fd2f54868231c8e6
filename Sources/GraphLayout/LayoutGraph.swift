/// A node to place: the caller decides the box size from its labels and zoom level.
public struct LayoutNode: Hashable, Sendable {
    /// Caller's identifier. Ids should be unique; if one repeats, edges bind to its first node.
    public var id: Int
    /// Box width in cells, including the border. Values below 1 are treated as 1.
    public var width: Int
    /// Box height in cells, including the border. Values below 1 are treated as 1.
    public var height: Int

    /// A node with its box size in cells.
    public init(id: Int, width: Int, height: Int) {
        self.id = id
        self.width = width
        self.height = height
    }
}

/// A directed edge between two node ids. Multi-edges, self-loops and cycles are tolerated.
public struct LayoutEdge: Hashable, Sendable {
    /// Source node id.
    public var from: Int
    /// Target node id.
    public var to: Int

    /// An edge from `from` to `to`.
    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }
}

/// The input of the layout: a directed graph with sized nodes. It knows nothing of ONNX.
public struct LayoutGraph: Sendable {
    /// Nodes; their order seeds the layout, so passing a topological order helps.
    public var nodes: [LayoutNode]
    /// Edges between node ids.
    public var edges: [LayoutEdge]

    /// A graph from nodes and edges.
    public init(nodes: [LayoutNode] = [], edges: [LayoutEdge] = []) {
        self.nodes = nodes
        self.edges = edges
    }
}

/// How the first ordering of each layer is seeded before crossing reduction.
public enum InitialOrder: Sendable {
    /// Depth-first discovery from the sources: keeps chains and their branches together, which
    /// already removes most crossings in model graphs. The default.
    case depthFirst
    /// Nodes in input order, then dummy nodes. Mostly useful to measure crossing reduction.
    case inputOrder
}

/// Knobs of the layered layout. Defaults suit a terminal at normal zoom.
public struct LayoutOptions: Sendable {
    /// Blank columns between two boxes in the same layer.
    public var nodeSpacing: Int = 2
    /// Blank columns between an edge line and its neighbour (another line or a box).
    public var edgeSpacing: Int = 1
    /// Minimum rows between layers. The gap always holds at least a stub row under the source
    /// and an arrow row above the target (2), plus a row per horizontal track it needs.
    public var minLayerGap: Int = 2
    /// Upper bound on down+up barycenter sweeps; each costs O(E log E).
    public var crossingIterations: Int = 8
    /// Pull nodes with more outputs than inputs (constants, shape subgraphs) down next to their
    /// consumers, so they do not drag long edges from the top of the graph.
    public var shortenLongEdges: Bool = true
    /// Seed ordering of each layer before crossing reduction.
    public var initialOrder: InitialOrder = .depthFirst
    /// Blank cells around the whole drawing.
    public var margin: Int = 0

    /// The defaults.
    public init() {}
}
