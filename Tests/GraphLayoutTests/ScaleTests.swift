import Testing
@testable import GraphLayout

/// Correctness at LLM scale. Timing lives in `LayoutBenchmark.run`, not here.
@Suite struct ScaleTests {
    @Test func thirtyThousandNodeTransformerLaysOutCleanly() {
        let graph = LayoutBenchmark.transformerLikeGraph(nodeCount: 30_000)
        #expect(graph.nodes.count == 30_000)
        let layout = LayeredLayout.compute(graph)
        #expect(layout.reversedEdges.isEmpty)

        let overlaps = overlappingBoxes(layout)
        #expect(overlaps.isEmpty, "\(overlaps.prefix(3))")
        let violations = routeViolations(layout)
        #expect(violations.isEmpty, "\(violations.prefix(3))")
        let merged = ambiguousOverlaps(layout)
        #expect(merged.isEmpty, "\(merged.prefix(3))")

        // The residual stream (each block's first LayerNorm and both residual Adds) is one
        // straight column from the first block to the last, so the drawing does not drift.
        let spine = layout.nodes[1].rect.x + layout.nodes[1].rect.width / 2
        var offSpine = 0
        for block in 0..<(30_000 - 1) / 28 {
            for offset in [1, 23, 28] {
                let r = layout.nodes[block * 28 + offset].rect
                if r.x + r.width / 2 != spine { offSpine += 1 }
            }
        }
        #expect(offSpine == 0)
        #expect(layout.width < 100, "a chain of identical blocks must not grow wider: \(layout.width)")

        // Viewport queries on the huge drawing still return exactly what is visible.
        let viewport = GridRect(x: 0, y: layout.height / 2, width: 200, height: 60)
        let visible = layout.nodes(in: viewport)
        #expect(!visible.isEmpty)
        #expect(visible.allSatisfy { layout.nodes[$0].rect.intersects(viewport) })
        #expect(visible.count == layout.nodes.filter { $0.rect.intersects(viewport) }.count)
    }
}
