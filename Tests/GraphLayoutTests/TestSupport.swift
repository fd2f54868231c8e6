@testable import GraphLayout

/// Builds a graph from (from, to) pairs; every node gets the same box size unless overridden.
func makeGraph(_ nodeCount: Int, _ edges: [(Int, Int)], width: Int = 7, height: Int = 3,
               widths: [Int: Int] = [:]) -> LayoutGraph {
    LayoutGraph(nodes: (0..<nodeCount).map { LayoutNode(id: $0, width: widths[$0] ?? width, height: height) },
                edges: edges.map { LayoutEdge(from: $0.0, to: $0.1) })
}

/// Renders boxes (labelled with their id) and edges of a whole layout.
func render(_ layout: LayeredLayout, style: LineStyle = .unicode) -> String {
    var canvas = GridCanvas(viewport: GridRect(x: 0, y: 0, width: layout.width, height: layout.height + 1), style: style)
    canvas.drawEdges(of: layout)
    canvas.drawNodes(of: layout) { ["n\($0)"] }
    return canvas.renderedLines().joined(separator: "\n")
}

/// Every property a route must have, as a list of human-readable violations (empty = fine).
func routeViolations(_ layout: LayeredLayout) -> [String] {
    var problems: [String] = []
    for (k, route) in layout.edges.enumerated() where !route.isSelfLoop && !route.points.isEmpty {
        guard let upper = layout.node(id: route.upperNode)?.rect,
              let lower = layout.node(id: route.lowerNode)?.rect else {
            problems.append("edge \(k): unknown endpoint")
            continue
        }
        let first = route.points.first!, last = route.points.last!
        if first.y != upper.maxY || first.x < upper.x || first.x >= upper.maxX {
            problems.append("edge \(k): starts at \(first), not below \(upper)")
        }
        if last.y != lower.y - 1 || last.x < lower.x || last.x >= lower.maxX {
            problems.append("edge \(k): ends at \(last), not above \(lower)")
        }
        for i in route.points.indices.dropFirst() {
            let a = route.points[i - 1], b = route.points[i]
            if a.x != b.x && a.y != b.y { problems.append("edge \(k): diagonal \(a)→\(b)") }
            let cells = GridRect.covering(a, b)
            for i in layout.nodes(in: cells) {
                problems.append("edge \(k): segment \(a)→\(b) passes through node \(layout.nodes[i].id)")
            }
        }
    }
    return problems
}

/// Pairs of overlapping boxes, found with a sweep down the rows so big graphs stay cheap
/// (the drawing is tall and narrow, so few boxes are active at once).
func overlappingBoxes(_ layout: LayeredLayout) -> [(Int, Int)] {
    let sorted = layout.nodes.sorted { $0.rect.y < $1.rect.y }
    var result: [(Int, Int)] = []
    var active: [PlacedNode] = []
    for node in sorted {
        active.removeAll { $0.rect.maxY <= node.rect.y }
        for other in active where other.rect.intersects(node.rect) { result.append((other.id, node.id)) }
        active.append(node)
    }
    return result
}

/// Cells where lines of two different nets run along each other in the same direction: such
/// lines would merge into one on screen and mislead the reader. Lines leaving the same node, or
/// ending in the same entry cell (a box narrower than its inputs), merge legitimately.
func ambiguousOverlaps(_ layout: LayeredLayout) -> [String] {
    struct Owner: Equatable { var source: Int; var end: GridPoint }
    var horizontal: [GridPoint: Owner] = [:]
    var vertical: [GridPoint: Owner] = [:]
    var problems: [String] = []
    func clash(_ a: Owner, _ b: Owner) -> Bool { a.source != b.source && a.end != b.end }
    for route in layout.edges where !route.points.isEmpty {
        let owner = Owner(source: route.upperNode, end: route.points.last!)
        for i in route.points.indices.dropFirst() {
            let a = route.points[i - 1], b = route.points[i]
            let isHorizontal = a.y == b.y
            let cells = GridRect.covering(a, b)
            for y in cells.y..<cells.maxY {
                for x in cells.x..<cells.maxX {
                    let p = GridPoint(x: x, y: y)
                    // Corners belong to both directions; only interior cells are checked.
                    if p == a || p == b { continue }
                    if isHorizontal {
                        if let o = horizontal[p], clash(o, owner) { problems.append("horizontal overlap at \(p): \(o) & \(owner)") }
                        horizontal[p] = owner
                    } else {
                        if let o = vertical[p], clash(o, owner) { problems.append("vertical overlap at \(p): \(o) & \(owner)") }
                        vertical[p] = owner
                    }
                }
            }
        }
    }
    return problems
}

/// A small deterministic PRNG so random graphs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random graph with mostly forward edges (some backward ones make cycles), multi-edges and
/// varied box sizes.
func randomGraph(seed: UInt64, nodes n: Int, edges m: Int, backward: Double = 0) -> LayoutGraph {
    var rng = SplitMix64(seed: seed)
    let nodes = (0..<n).map { LayoutNode(id: $0 * 10, width: Int.random(in: 3...15, using: &rng), height: Int.random(in: 1...4, using: &rng)) }
    var edges: [LayoutEdge] = []
    for _ in 0..<m {
        let a = Int.random(in: 0..<n, using: &rng), b = Int.random(in: 0..<n, using: &rng)
        if a == b { continue }
        let forward = Double.random(in: 0..<1, using: &rng) >= backward
        let (u, v) = (a < b) == forward ? (a, b) : (b, a)
        edges.append(LayoutEdge(from: u * 10, to: v * 10))
    }
    return LayoutGraph(nodes: nodes, edges: edges)
}
