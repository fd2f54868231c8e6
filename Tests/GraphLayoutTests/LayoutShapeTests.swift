import Testing
@testable import GraphLayout

@Suite struct LayoutShapeTests {
    private func centre(_ layout: LayeredLayout, _ id: Int) -> Int {
        let r = layout.node(id: id)!.rect
        return r.x + r.width / 2
    }

    @Test func chainIsAStraightColumnWithStraightEdges() {
        let graph = makeGraph(8, (0..<7).map { ($0, $0 + 1) }, widths: [2: 13, 5: 9])
        let layout = LayeredLayout.compute(graph)
        let column = centre(layout, 0)
        for id in 0..<8 {
            #expect(centre(layout, id) == column, "node \(id) is off the column")
            #expect(layout.node(id: id)!.layer == id)
        }
        for (k, route) in layout.edges.enumerated() {
            #expect(route.points.count == 2, "edge \(k) bends: \(route.points)")
            #expect(route.points.allSatisfy { $0.x == column })
        }
        // Layers are stacked top to bottom with the minimum gap between them.
        for id in 1..<8 {
            #expect(layout.node(id: id)!.rect.y == layout.node(id: id - 1)!.rect.maxY + 2)
        }
        #expect(layout.width == 13)
    }

    @Test func residualBlockKeepsItsMainColumnStraight() {
        // a → b → c → d with a skip a → d, as in every residual network.
        let layout = LayeredLayout.compute(makeGraph(5, [(0, 1), (1, 2), (2, 3), (0, 3), (3, 4)]))

        let column = centre(layout, 0)
        for id in 1..<5 { #expect(centre(layout, id) == column, "node \(id) is off the column") }
        let skip = layout.edges[3]
        #expect(skip.points.contains { $0.x != column }, "the skip edge must run beside the chain")
        #expect(routeViolations(layout).isEmpty)
    }

    @Test func diamondHasNoCrossings() {
        let layout = LayeredLayout.compute(makeGraph(4, [(0, 1), (0, 2), (1, 3), (2, 3)]))
        #expect(layout.statistics.crossings == 0)
        #expect(layout.statistics.layerCount == 3)
        #expect(layout.node(id: 1)!.layer == layout.node(id: 2)!.layer)
        // The two branches sit on either side of the diamond's axis.
        let axis = centre(layout, 0)
        #expect(centre(layout, 1) < axis && centre(layout, 2) > axis)
        #expect(centre(layout, 3) == axis)
        #expect(routeViolations(layout).isEmpty)
        #expect(ambiguousOverlaps(layout).isEmpty)
    }

    @Test func crossingReductionRemovesCrossingsOfABadInputOrder() {
        // Three parallel chains whose middle layer is listed in reverse order.
        let graph = makeGraph(9, [(0, 5), (1, 4), (2, 3), (5, 6), (4, 7), (3, 8)])
        var unreduced = LayoutOptions()
        unreduced.initialOrder = .inputOrder
        unreduced.crossingIterations = 0
        let before = LayeredLayout.compute(graph, options: unreduced)
        #expect(before.statistics.crossings == 6)
        #expect(before.statistics.crossingsBeforeReduction == 6)

        var reduced = LayoutOptions()
        reduced.initialOrder = .inputOrder
        let after = LayeredLayout.compute(graph, options: reduced)
        #expect(after.statistics.crossingsBeforeReduction == 6)
        #expect(after.statistics.crossings == 0)
        #expect(after.statistics.crossings < before.statistics.crossings)
    }

    @Test func crossingReductionImprovesARandomGraph() {
        let graph = randomGraph(seed: 3, nodes: 60, edges: 120)
        var options = LayoutOptions()
        options.initialOrder = .inputOrder
        let layout = LayeredLayout.compute(graph, options: options)
        #expect(layout.statistics.crossings < layout.statistics.crossingsBeforeReduction)
    }

    @Test func denseRandomGraphsNeverOverlapAndRouteCorrectly() {
        // ~2 edges per node, cycles, multi-edges, odd box sizes.
        for seed in 1...12 as ClosedRange<UInt64> {
            let graph = randomGraph(seed: seed, nodes: 40 + Int(seed) * 5, edges: 90 + Int(seed) * 10, backward: 0.05)
            let layout = LayeredLayout.compute(graph)
            #expect(overlappingBoxes(layout).isEmpty, "seed \(seed)")
            let violations = routeViolations(layout)
            let routesClean = violations.isEmpty
            #expect(routesClean, "seed \(seed): \(violations.prefix(5))")
            for node in layout.nodes {
                #expect(node.rect.x >= 0 && node.rect.maxX <= layout.width && node.rect.maxY <= layout.height)
            }
        }
    }

    @Test func modelLikeGraphsNeverMergeUnrelatedLines() {
        // Sparse graphs (~1.3 edges per node, like model graphs): different lines never run
        // along each other, so every line can be followed by eye. Dense channels may need
        // doglegs, which the router does not make (see EdgeRouting.assignTracks).
        for seed in 100..<160 as Range<UInt64> {
            var rng = SplitMix64(seed: seed)
            let n = Int.random(in: 2...80, using: &rng)
            let graph = randomGraph(seed: seed, nodes: n, edges: Int.random(in: 0...(13 * n / 10), using: &rng), backward: 0.02)
            let layout = LayeredLayout.compute(graph)
            let overlaps = ambiguousOverlaps(layout)
            let clean = overlaps.isEmpty
            #expect(clean, "seed \(seed): \(overlaps.count) cells, e.g. \(overlaps.prefix(2))")
            let violations = routeViolations(layout)
            let routesClean = violations.isEmpty
            #expect(routesClean, "seed \(seed): \(violations.prefix(3))")
        }
    }

    @Test func fanInGetsDistinctEntryColumns() {
        let layout = LayeredLayout.compute(makeGraph(4, [(0, 3), (1, 3), (2, 3)], width: 11))
        let entries = layout.edges.map { $0.points.last!.x }
        #expect(Set(entries).count == 3)
        #expect(routeViolations(layout).isEmpty)
        #expect(ambiguousOverlaps(layout).isEmpty)
    }

    @Test func sourcesAreLaidNextToTheirConsumers() {
        // 4 is a constant feeding only the last node: it belongs one layer above it, not at the top.
        let layout = LayeredLayout.compute(makeGraph(5, [(0, 1), (1, 2), (2, 3), (4, 3)]))
        #expect(layout.node(id: 4)!.layer == 2)
        var options = LayoutOptions()
        options.shortenLongEdges = false
        #expect(LayeredLayout.compute(makeGraph(5, [(0, 1), (1, 2), (2, 3), (4, 3)]), options: options).node(id: 4)!.layer == 0)
    }

    @Test func disconnectedComponentsSideBySide() {
        let layout = LayeredLayout.compute(makeGraph(6, [(0, 1), (1, 2), (3, 4), (4, 5)]))
        #expect(overlappingBoxes(layout).isEmpty)
        #expect(centre(layout, 0) == centre(layout, 2))
        #expect(centre(layout, 3) == centre(layout, 5))
        #expect(centre(layout, 0) != centre(layout, 3))
    }

    @Test func cyclesAreBrokenAndReported() {
        // 0 → 1 → 2 → 0 plus a self-loop on 1, a duplicate edge, and an edge to an unknown id.
        let graph = makeGraph(3, [(0, 1), (1, 2), (2, 0), (1, 1), (0, 1), (2, 99)])
        let layout = LayeredLayout.compute(graph)
        #expect(layout.reversedEdges == [2])
        #expect(layout.selfLoops == [3])
        #expect(layout.ignoredEdges == [5])
        #expect(layout.edges[2].isReversed)
        #expect(layout.edges[3].isSelfLoop && layout.edges[3].points.isEmpty)
        #expect(layout.edges[4].points == layout.edges[0].points, "parallel edges share a route")
        // The reversed edge is drawn upwards: from below its target (0) to above its source (2).
        #expect(layout.node(id: 0)!.layer < layout.node(id: 2)!.layer)
        #expect(layout.edges[2].upperNode == 0 && layout.edges[2].lowerNode == 2)
        #expect(routeViolations(layout).isEmpty)
    }

    @Test func emptyAndSingleNodeGraphs() {
        let empty = LayeredLayout.compute(LayoutGraph())
        #expect(empty.nodes.isEmpty && empty.width == 0 && empty.height == 0)
        let single = LayeredLayout.compute(makeGraph(1, []))
        #expect(single.nodes[0].rect == GridRect(x: 0, y: 0, width: 7, height: 3))
        #expect(single.width == 7 && single.height == 3)
    }

    @Test func layoutIsDeterministic() {
        let graph = randomGraph(seed: 11, nodes: 80, edges: 160, backward: 0.05)
        let a = LayeredLayout.compute(graph), b = LayeredLayout.compute(graph)
        #expect(a.nodes == b.nodes)
        #expect(a.edges == b.edges)
    }

    @Test func marginSurroundsTheDrawing() {
        var options = LayoutOptions()
        options.margin = 2
        let layout = LayeredLayout.compute(makeGraph(2, [(0, 1)]), options: options)
        #expect(layout.nodes[0].rect.origin == GridPoint(x: 2, y: 2))
        #expect(layout.width == 7 + 4)
        #expect(layout.height == layout.nodes[1].rect.maxY + 2)
    }
}

extension GridRect {
    var origin: GridPoint { GridPoint(x: x, y: y) }
}
