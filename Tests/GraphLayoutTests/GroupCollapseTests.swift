import Testing
@testable import GraphLayout

@Suite struct GroupCollapseTests {
    /// input → [layer0: a → b] → [layer1: c → d] → output, with a skip from a to c and from
    /// b to output. Layers are groups 10 and 11 inside an encoder group 1.
    private let graph = LayoutGraph(
        nodes: (0..<6).map { LayoutNode(id: $0, width: 5, height: 3) },
        edges: [LayoutEdge(from: 0, to: 1), LayoutEdge(from: 1, to: 2), LayoutEdge(from: 2, to: 3),
                LayoutEdge(from: 3, to: 4), LayoutEdge(from: 4, to: 5), LayoutEdge(from: 1, to: 3),
                LayoutEdge(from: 2, to: 5), LayoutEdge(from: 0, to: 2)])
    private let tree = GroupTree([
        NodeGroup(id: 1, parent: nil, members: []),
        NodeGroup(id: 10, parent: 1, members: [1, 2]),
        NodeGroup(id: 11, parent: 1, members: [3, 4]),
    ])

    private func edges(_ c: CollapsedGraph) -> Set<String> {
        func name(_ id: Int) -> String {
            switch c.vertices[id] {
            case .node(let n): return "n\(n)"
            case .group(let g): return "g\(g)"
            }
        }
        return Set(c.graph.edges.map { "\(name($0.from))→\(name($0.to))" })
    }

    @Test func treeQueries() {
        #expect(tree.group(ofNode: 3) == 11)
        #expect(tree.group(ofNode: 0) == nil)
        #expect(tree.children(of: 1) == [10, 11])
        #expect(tree.parent(of: 10) == 1)
        #expect(tree.nodeCount(of: 1) == 4)
        #expect(Set(tree.nodes(in: 1)) == [1, 2, 3, 4])
        #expect(tree.outermostCollapsed(containing: 2, collapsed: [10, 1]) == 1)
        #expect(tree.outermostCollapsed(containing: 2, collapsed: [11]) == nil)
    }

    @Test func nothingCollapsedIsTheOriginalGraph() {
        let c = CollapsedGraph(collapsing: graph, groups: tree, collapsed: []) { _, _ in (9, 3) }
        #expect(c.vertices == (0..<6).map { CollapsedVertex.node($0) })
        #expect(edges(c) == ["n0→n1", "n1→n2", "n2→n3", "n3→n4", "n4→n5", "n1→n3", "n2→n5", "n0→n2"])
    }

    @Test func collapsingOneLayerFoldsItsEdges() {
        let c = CollapsedGraph(collapsing: graph, groups: tree, collapsed: [10]) { group, count in (group + count, 3) }
        #expect(c.vertices == [.node(0), .group(10), .node(3), .node(4), .node(5)])
        // 0→1 and 0→2 merge into one edge; 1→2 is internal and disappears.
        #expect(edges(c) == ["n0→g10", "g10→n3", "n3→n4", "n4→n5", "g10→n5"])
        let merged = c.graph.edges.firstIndex(of: LayoutEdge(from: 0, to: 1))!
        #expect(c.multiplicity[merged] == 2)
        let intoThree = c.graph.edges.firstIndex(of: LayoutEdge(from: 1, to: 2))!
        #expect(c.multiplicity[intoThree] == 2, "2→3 and 1→3 fold into one")
        #expect(c.graph.nodes[1].width == 12, "size callback receives group id and node count")
        #expect(c.layoutID(ofNode: 2) == 1)
        #expect(c.layoutID(ofGroup: 10) == 1)
        #expect(c.layoutID(ofGroup: 11) == nil)
    }

    @Test func collapsingBothLayersGivesOneBoxPerLayer() {
        let c = CollapsedGraph(collapsing: graph, groups: tree, collapsed: [10, 11]) { _, _ in (9, 3) }
        #expect(edges(c) == ["n0→g10", "g10→g11", "g11→n5", "g10→n5"])
        let layout = LayeredLayout.compute(c.graph)
        #expect(layout.nodes.count == 4)
        #expect(routeViolations(layout).isEmpty)
    }

    @Test func collapsedParentHidesExpandedChildren() {
        let c = CollapsedGraph(collapsing: graph, groups: tree, collapsed: [1, 11]) { _, count in (count, 3) }
        #expect(c.vertices == [.node(0), .group(1), .node(5)])
        #expect(edges(c) == ["n0→g1", "g1→n5"])
        #expect(c.graph.nodes[1].width == 4)
        #expect(c.layoutID(ofGroup: 11) == nil)
    }

    @Test func malformedTreesDegradeGracefully() {
        // A parent cycle and a dangling parent become top-level groups; a node listed twice
        // stays in its first group.
        let odd = GroupTree([
            NodeGroup(id: 1, parent: 2, members: [0]),
            NodeGroup(id: 2, parent: 1, members: [1, 0]),
            NodeGroup(id: 3, parent: 42, members: [2]),
        ])
        #expect(odd.group(ofNode: 0) == 1)
        #expect(odd.parent(of: 1) == nil, "the cycle is cut at the first group")
        #expect(odd.parent(of: 2) == 1)
        #expect(odd.parent(of: 3) == nil)
        #expect(odd.nodeCount(of: 1) == 2)
        let c = CollapsedGraph(collapsing: graph, groups: odd, collapsed: [1, 3]) { _, _ in (5, 3) }
        #expect(c.vertices == [.group(1), .group(3), .node(3), .node(4), .node(5)])
        #expect(edges(c) == ["g1→g3", "g3→n3", "g1→n3", "n3→n4", "n4→n5", "g3→n5"])
    }
}
