/// A node's placement in the drawing.
public struct PlacedNode: Hashable, Sendable {
    /// The caller's node id.
    public let id: Int
    /// The box, in grid cells (the caller's width and height at the chosen position).
    public let rect: GridRect
    /// Layer index, 0 at the top.
    public let layer: Int
}

/// The drawn path of one input edge.
public struct EdgeRoute: Hashable, Sendable {
    /// Source node id, as in the input edge.
    public let from: Int
    /// Target node id, as in the input edge.
    public let to: Int
    /// Corner points of an orthogonal polyline. The first point is the cell just below the
    /// upper box's bottom side (its output port) and the last is the cell just above the lower
    /// box's top side (where the arrow head goes). Consecutive points share x or y.
    /// Empty for self-loops and for edges naming unknown node ids.
    public let points: [GridPoint]
    /// The edge closed a cycle and was laid out upwards: `points` run from `to`'s bottom to
    /// `from`'s top, so the arrow head belongs at the first point, pointing up.
    public let isReversed: Bool
    /// The edge goes from a node to itself; it has no route.
    public let isSelfLoop: Bool

    /// The layout's own upper endpoint (`to` when reversed).
    public var upperNode: Int { isReversed ? to : from }
    /// The layout's own lower endpoint (`from` when reversed).
    public var lowerNode: Int { isReversed ? from : to }

    /// Where a short edge label (a tensor shape, say) can go: the cell just right of the middle
    /// of the route's longest vertical run. Vertical runs are where a label reads naturally next
    /// to its line; nil when no run is at least `minimumRun` cells long. The label may still
    /// cover other lines, so the caller decides whether to draw it.
    public func labelAnchor(minimumRun: Int = 3) -> GridPoint? {
        var best: (length: Int, point: GridPoint)?
        for k in points.indices.dropFirst() where points[k - 1].x == points[k].x {
            let a = points[k - 1], b = points[k]
            let length = abs(b.y - a.y) + 1
            if length >= minimumRun && length > (best?.length ?? 0) {
                best = (length, GridPoint(x: a.x + 1, y: (a.y + b.y) / 2))
            }
        }
        return best?.point
    }
}

/// Facts about a layout run, for diagnostics and benchmarks.
public struct LayoutStatistics: Hashable, Sendable {
    /// Number of layers (rows of boxes).
    public var layerCount = 0
    /// Dummy vertices inserted where edges cross layers; a measure of edge length.
    public var dummyCount = 0
    /// Crossings of the seed ordering, before any sweep.
    public var crossingsBeforeReduction = 0
    /// Crossings between layers of the final ordering (edge routes may add a few in channels).
    public var crossings = 0
    /// Wall-clock seconds per phase.
    public var cycleAndLayerSeconds = 0.0
    /// Crossing reduction.
    public var orderingSeconds = 0.0
    /// Horizontal placement.
    public var coordinateSeconds = 0.0
    /// Vertical placement, ports, tracks and polylines.
    public var routingSeconds = 0.0
    /// Building the viewport index.
    public var indexSeconds = 0.0

    /// Sum of the phases.
    public var totalSeconds: Double {
        cycleAndLayerSeconds + orderingSeconds + coordinateSeconds + routingSeconds + indexSeconds
    }

    /// Zeroed statistics.
    public init() {}
}

/// The result of a layered layout: boxes, edge routes, size and a viewport index.
///
/// Compute it with ``LayeredLayout/compute(_:options:)``. All coordinates are grid cells with
/// the origin at the top left; the drawing flows top to bottom.
public struct LayeredLayout: Sendable {
    /// One entry per input node, in input order.
    public let nodes: [PlacedNode]
    /// One entry per input edge, in input order. Duplicate edges share identical routes.
    public let edges: [EdgeRoute]
    /// Columns covered by the drawing, margins included.
    public let width: Int
    /// Rows covered by the drawing, margins included.
    public let height: Int
    /// Input indices of edges reversed to break cycles.
    public let reversedEdges: [Int]
    /// Input indices of self-loops (they have no route; draw a marker on the box instead).
    public let selfLoops: [Int]
    /// Input indices of edges whose endpoints are not node ids of the graph.
    public let ignoredEdges: [Int]
    /// Sizes, crossing counts and phase timings of this run.
    public internal(set) var statistics: LayoutStatistics
    /// Indices into ``nodes`` per layer, left to right: what sibling navigation (move to the
    /// box beside the selection) needs without searching the drawing.
    public let layers: [[Int]]

    let indexByID: [Int: Int]
    let spatial: SpatialIndex

    init(nodes: [PlacedNode], edges: [EdgeRoute], width: Int, height: Int,
         reversedEdges: [Int], selfLoops: [Int], ignoredEdges: [Int],
         statistics: LayoutStatistics, indexByID: [Int: Int]) {
        self.nodes = nodes
        self.edges = edges
        self.width = width
        self.height = height
        self.reversedEdges = reversedEdges
        self.selfLoops = selfLoops
        self.ignoredEdges = ignoredEdges
        self.indexByID = indexByID
        var layers = [[Int]](repeating: [], count: (nodes.map(\.layer).max() ?? -1) + 1)
        for (i, node) in nodes.enumerated() { layers[node.layer].append(i) }
        self.layers = layers.map { $0.sorted { nodes[$0].rect.x < nodes[$1].rect.x } }
        var spatial = SpatialIndex(width: width, height: height)
        for (i, node) in nodes.enumerated() { spatial.insertNode(i, rect: node.rect) }
        for (i, edge) in edges.enumerated() {
            let p = edge.points
            if p.count == 1 { spatial.insertEdge(i, segment: GridRect.covering(p[0], p[0])) }
            for k in p.indices.dropFirst() { spatial.insertEdge(i, segment: GridRect.covering(p[k - 1], p[k])) }
        }
        self.spatial = spatial
        self.statistics = statistics
    }

    /// Index into ``nodes`` of the node with this id.
    public func nodeIndex(forID id: Int) -> Int? { indexByID[id] }

    /// The placement of the node with this id.
    public func node(id: Int) -> PlacedNode? { indexByID[id].map { nodes[$0] } }

    /// Indices into ``nodes`` of every box that shares at least one cell with `rect`, ascending.
    public func nodes(in rect: GridRect) -> [Int] {
        var found = Set<Int>()
        spatial.nodeCandidates(rect) { i in
            if nodes[i].rect.intersects(rect) { found.insert(i) }
        }
        return found.sorted()
    }

    /// Indices into ``edges`` of every route with at least one cell inside `rect`, ascending.
    public func edges(in rect: GridRect) -> [Int] {
        var found = Set<Int>()
        spatial.edgeCandidates(rect) { i in
            if found.contains(i) { return }
            let p = edges[i].points
            if p.count == 1, rect.contains(p[0]) { found.insert(i) }
            for k in p.indices.dropFirst() where GridRect.covering(p[k - 1], p[k]).intersects(rect) {
                found.insert(i)
                break
            }
        }
        return found.sorted()
    }

    /// The rect covering the boxes of the given node ids (empty if none is known), e.g. to frame
    /// an expanded group.
    public func bounds(ofNodeIDs ids: some Sequence<Int>) -> GridRect {
        var result = GridRect(x: 0, y: 0, width: 0, height: 0)
        for id in ids {
            if let node = node(id: id) { result = result.union(node.rect) }
        }
        return result
    }
}
