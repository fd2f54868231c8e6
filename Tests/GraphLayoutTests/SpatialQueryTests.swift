import Testing
@testable import GraphLayout

@Suite struct SpatialQueryTests {
    @Test func viewportQueriesReturnExactlyTheIntersectingItems() {
        let layout = LayeredLayout.compute(randomGraph(seed: 5, nodes: 150, edges: 300, backward: 0.02))
        var rng = SplitMix64(seed: 99)
        for _ in 0..<300 {
            let rect = GridRect(x: Int.random(in: -20...layout.width, using: &rng),
                                y: Int.random(in: -20...layout.height, using: &rng),
                                width: Int.random(in: 0...80, using: &rng),
                                height: Int.random(in: 0...40, using: &rng))
            let expectedNodes = layout.nodes.indices.filter { layout.nodes[$0].rect.intersects(rect) }
            #expect(layout.nodes(in: rect) == expectedNodes, "\(rect)")

            let expectedEdges = layout.edges.indices.filter { i in
                let p = layout.edges[i].points
                return p.indices.dropFirst().contains { GridRect.covering(p[$0 - 1], p[$0]).intersects(rect) }
            }
            #expect(layout.edges(in: rect) == expectedEdges, "\(rect)")
        }
    }

    @Test func knownViewport() {
        // A 3-node chain of 5x3 boxes: rows 0-2, 5-7, 10-12.
        let layout = LayeredLayout.compute(makeGraph(3, [(0, 1), (1, 2)], width: 5))
        #expect(layout.nodes(in: GridRect(x: 0, y: 3, width: 5, height: 2)).isEmpty)
        #expect(layout.edges(in: GridRect(x: 0, y: 3, width: 5, height: 2)) == [0])
        #expect(layout.nodes(in: GridRect(x: 4, y: 2, width: 1, height: 4)) == [0, 1])
        #expect(layout.nodes(in: GridRect(x: 5, y: 0, width: 10, height: 20)).isEmpty, "touching is not intersecting")
        #expect(layout.nodes(in: GridRect(x: 0, y: 0, width: 0, height: 20)).isEmpty)
        #expect(layout.bounds(ofNodeIDs: [1, 2]) == GridRect(x: 0, y: 5, width: 5, height: 8))
    }

    @Test func layersListNodesLeftToRight() {
        let layout = LayeredLayout.compute(makeGraph(5, [(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4)]))
        #expect(layout.layers.count == 3)
        #expect(layout.layers[0] == [0] && layout.layers[2] == [4])
        #expect(Set(layout.layers[1]) == [1, 2, 3])
        let xs = layout.layers[1].map { layout.nodes[$0].rect.x }
        #expect(xs == xs.sorted())
        #expect(layout.layers.joined().count == layout.nodes.count)
    }

    @Test func benchmarkEntryPointReportsARealRun() {
        let result = LayoutBenchmark.run(nodeCount: 500, repetitions: 1)
        #expect(result.nodeCount == 500)
        #expect(result.edgeCount > 500)
        #expect(result.layoutSeconds > 0 && result.viewportSeconds > 0)
        #expect(result.statistics.layerCount > 100)
    }

    @Test func geometryHelpers() {
        let r = GridRect(x: 2, y: 3, width: 4, height: 2)
        #expect(r.contains(GridPoint(x: 5, y: 4)) && !r.contains(GridPoint(x: 6, y: 4)))
        #expect(r.union(GridRect(x: 0, y: 0, width: 0, height: 0)) == r)
        #expect(r.union(GridRect(x: 10, y: 0, width: 1, height: 1)) == GridRect(x: 2, y: 0, width: 9, height: 5))
        #expect(GridRect.covering(GridPoint(x: 4, y: 7), GridPoint(x: 4, y: 2)) == GridRect(x: 4, y: 2, width: 1, height: 6))
    }
}
