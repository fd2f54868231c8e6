import Testing
@testable import GraphLayout

@Suite struct RasterizerTests {
    /// A diamond whose source also feeds the sink directly, with labelled boxes.
    private func sample() -> LayeredLayout {
        let graph = LayoutGraph(
            nodes: [LayoutNode(id: 0, width: 9, height: 3), LayoutNode(id: 1, width: 7, height: 3),
                    LayoutNode(id: 2, width: 7, height: 3), LayoutNode(id: 3, width: 9, height: 3),
                    LayoutNode(id: 4, width: 7, height: 3)],
            edges: [LayoutEdge(from: 0, to: 1), LayoutEdge(from: 0, to: 2), LayoutEdge(from: 1, to: 3),
                    LayoutEdge(from: 2, to: 3), LayoutEdge(from: 3, to: 4), LayoutEdge(from: 0, to: 4)])
        return LayeredLayout.compute(graph)
    }

    private let labels = ["Input", "Conv", "Relu", "Add", "Out"]

    private func draw(_ layout: LayeredLayout, _ viewport: GridRect, _ style: LineStyle) -> [String] {
        var canvas = GridCanvas(viewport: viewport, style: style)
        canvas.drawEdges(of: layout)
        canvas.drawNodes(of: layout) { [labels[$0]] }
        return canvas.renderedLines()
    }

    private func whole(_ layout: LayeredLayout) -> GridRect {
        GridRect(x: 0, y: 0, width: layout.width, height: layout.height)
    }

    @Test func unicodeSnapshot() {
        let layout = sample()
        let expected = """
                ┌───────┐
                │ Input │
                └───────┘
                    │
                 ┌──┴─┬──────┐
                 ▼    ▼      │
            ┌─────┐  ┌─────┐ │
            │Conv │  │Relu │ │
            └─────┘  └─────┘ │
               │        │    │
               └─┐     ┌┘    │
                 ▼     ▼     │
                ┌───────┐    │
                │  Add  │    │
                └───────┘    │
                    │        │
                    │ ┌──────┘
                    ▼ ▼
                 ┌─────┐
                 │ Out │
                 └─────┘
            """
        #expect(draw(layout, whole(layout), .unicode).joined(separator: "\n") == expected)
    }

    @Test func asciiSnapshot() {
        let layout = sample()
        let expected = """
                +-------+
                | Input |
                +-------+
                    |
                 +--+-+------+
                 v    v      |
            +-----+  +-----+ |
            |Conv |  |Relu | |
            +-----+  +-----+ |
               |        |    |
               +-+     ++    |
                 v     v     |
                +-------+    |
                |  Add  |    |
                +-------+    |
                    |        |
                    | +------+
                    v v
                 +-----+
                 | Out |
                 +-----+
            """
        #expect(draw(layout, whole(layout), .ascii).joined(separator: "\n") == expected)
    }

    @Test func viewportRenderingIsAWindowOfTheWholeDrawing() {
        let layout = sample()
        let full = draw(layout, whole(layout), .unicode).map { Array($0) + Array(repeating: " ", count: layout.width - $0.count) }
        let window = GridRect(x: 3, y: 4, width: 9, height: 10)
        let clipped = draw(layout, window, .unicode)
        for row in 0..<window.height {
            var expected = String(full[window.y + row][window.x..<window.maxX])
            while expected.last == " " { expected.removeLast() }
            #expect(clipped[row] == expected, "row \(row)")
        }
    }

    @Test func junctionsMergeWhateverTheDrawingOrder() {
        // A T from above meeting a horizontal line, and a crossing of two independent lines.
        let t = EdgeRoute(from: 0, to: 1, points: [GridPoint(x: 2, y: 0), GridPoint(x: 2, y: 2), GridPoint(x: 4, y: 2), GridPoint(x: 4, y: 4)],
                          isReversed: false, isSelfLoop: false)
        let bar = EdgeRoute(from: 0, to: 2, points: [GridPoint(x: 2, y: 0), GridPoint(x: 2, y: 2), GridPoint(x: 0, y: 2), GridPoint(x: 0, y: 4)],
                            isReversed: false, isSelfLoop: false)
        let cross = EdgeRoute(from: 5, to: 6, points: [GridPoint(x: 3, y: 0), GridPoint(x: 3, y: 4)], isReversed: false, isSelfLoop: false)
        for routes in [[t, bar, cross], [cross, bar, t]] {
            var canvas = GridCanvas(viewport: GridRect(x: 0, y: 0, width: 5, height: 5))
            for r in routes { canvas.drawRoute(r) }
            #expect(canvas.renderedLines() == ["  ││", "  ││", "┌─┴┼┐", "│  ││", "▼  ▼▼"])
        }
    }

    @Test func reversedEdgesPointUp() {
        let layout = LayeredLayout.compute(makeGraph(2, [(0, 1), (1, 0)], width: 3, height: 1))
        var canvas = GridCanvas(viewport: GridRect(x: 0, y: 0, width: layout.width, height: layout.height))
        canvas.drawRoute(layout.edges[1])
        let route = layout.edges[1].points
        #expect(canvas.character(atX: route[0].x, y: route[0].y) == "▲")
        #expect(canvas.character(atX: route.last!.x, y: route.last!.y) == "│")
    }

    @Test func edgeLabelAnchorSitsBesideTheLongestVerticalRun() {
        let route = EdgeRoute(from: 0, to: 1, points: [GridPoint(x: 4, y: 3), GridPoint(x: 4, y: 5), GridPoint(x: 9, y: 5), GridPoint(x: 9, y: 14)],
                              isReversed: false, isSelfLoop: false)
        #expect(route.labelAnchor() == GridPoint(x: 10, y: 9))
        #expect(route.labelAnchor(minimumRun: 11) == nil)
        let layout = sample()
        // The skip edge Input → Out has the longest run of the sample: along the right side.
        let skip = layout.edges[5]
        let anchor = skip.labelAnchor()!
        #expect(layout.nodes(in: GridRect(x: anchor.x, y: anchor.y, width: 1, height: 1)).isEmpty)
        #expect(skip.points.contains { $0.x == anchor.x - 1 })
    }

    @Test func boxLabelsAreCentredAndTruncated() {
        var canvas = GridCanvas(viewport: GridRect(x: 0, y: 0, width: 8, height: 4))
        canvas.drawBox(GridRect(x: 0, y: 0, width: 8, height: 4), lines: ["MatMul", "LayerNormalization", "dropped"])
        #expect(canvas.renderedLines() == ["┌──────┐", "│MatMul│", "│Layer…│", "└──────┘"])
        var ascii = GridCanvas(viewport: GridRect(x: 0, y: 0, width: 7, height: 3), style: .ascii)
        ascii.drawBox(GridRect(x: 0, y: 0, width: 7, height: 3), lines: ["Add"])
        #expect(ascii.renderedLines() == ["+-----+", "| Add |", "+-----+"])
    }
}
