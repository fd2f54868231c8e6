import Foundation
import GraphLayout
import OnnxGraph
import Partition
import Terminal

/// The graph pane: the laid-out scope, drawn only where the viewport is, with the selection
/// highlighted, scroll position marks on the border and an overview of the whole drawing.
struct GraphView {
    let app: ExplorerApp

    func render(in area: Rect, buffer: inout Buffer) {
        // First: computing the scene may normalize the selection the rest reads.
        let scene = app.scene
        let state = app.state
        let crumbs = app.document.breadcrumb(of: state.scope, separator: " › ")
        var title: [Span] = [Span("Graph ", style: app.theme[.title])]
        title.append(Span(crumbs.joined(separator: app.ascii ? " > " : " › "), style: app.theme[.accent]))
        if let groupPath = selectionGroupPath() { title.append(Span("  " + groupPath, style: app.theme[.textDim])) }
        var footer: Line?
        if let scene {
            footer = Line([Span("\(scene.vertexCount) boxes", style: app.theme[.textDim])] + legend())
        }
        var inner = app.pane(Line(title), focused: state.focus == .graph, in: area, buffer: &buffer, footer: footer)
        // Partition truth, loud: when the chosen EPs left nodes to the CPU, say so above the drawing.
        if state.scope == 0, let banner = state.runtime.fallbackBanner(document: app.document), inner.height > 4 {
            let (top, rest) = inner.splitTop(1)
            buffer.fill(top, style: app.theme.base)
            buffer.setString(banner.truncated(toWidth: top.width, ellipsis: app.glyphs.ellipsis), x: top.x, y: top.y,
                             style: app.theme[.warning], maxWidth: top.width)
            inner = rest
        }
        app.screen.graphViewport = inner
        guard !inner.isEmpty else { return }
        guard let scene else {
            let n = app.document.scope(state.scope).nodeCount
            let seconds = app.layouts.pendingSeconds(for: app.sceneKey) ?? 0
            let text = "Laying out \(n) nodes\(app.glyphs.ellipsis) \(String(format: "%.1f", seconds)) s"
            Line(text, style: app.theme[.accent], alignment: .center)
                .render(in: Rect(x: inner.x, y: inner.y + inner.height / 2, width: inner.width, height: 1), buffer: &buffer)
            return
        }
        let viewport = (width: inner.width, height: inner.height)
        // Read the selection after `app.scene`, which may have just normalized it.
        let selected = app.state.selection.flatMap { scene.vertex(of: $0) }
        var camera = app.state.camera
        if let request = app.cameraRequest, let v = selected {
            let rect = scene.rect(ofVertex: v)
            camera = request == .center ? Navigation.centered(rect, viewport: viewport)
                : Navigation.scrolledIntoView(rect, camera: camera, viewport: viewport)
        }
        camera = Navigation.clamped(camera, scene: scene, viewport: viewport)
        app.cameraRequest = nil
        app.state.camera = camera

        let layout = scene.layout
        // A drawing narrower or shorter than the pane is centred in it.
        let padX = max(0, (inner.width - layout.width) / 2)
        let padY = max(0, (inner.height - layout.height) / 2)
        let view = GridRect(x: camera.x, y: camera.y, width: inner.width - padX, height: inner.height - padY)
        let ox = inner.x + padX - camera.x, oy = inner.y + padY - camera.y

        // Edges first, then the edges of the selection on top in the accent color, then boxes.
        var canvas = GridCanvas(viewport: view, style: app.lineStyle)
        canvas.drawEdges(of: layout)
        let edgeStyle = app.theme[.edge]
        canvas.forEachCell { x, y, c in put(c, x: ox + x, y: oy + y, style: edgeStyle, buffer: &buffer) }
        if let v = selected {
            var highlight = GridCanvas(viewport: view, style: app.lineStyle)
            for i in layout.edges(in: view) where layout.edges[i].from == v || layout.edges[i].to == v {
                highlight.drawRoute(layout.edges[i])
            }
            let accent = app.theme[.accent]
            highlight.forEachCell { x, y, c in put(c, x: ox + x, y: oy + y, style: accent, buffer: &buffer) }
        }

        let matches = matchingVertices(scene)
        for i in layout.nodes(in: view) {
            drawBox(vertex: i, scene: scene, origin: (ox, oy), clip: inner, selected: i == selected,
                    matched: matches.contains(i), buffer: &buffer)
        }
        drawScrollMarks(area: area, inner: inner, camera: camera, layout: layout, buffer: &buffer)
        if state.showMinimap { drawOverview(inner: inner, camera: camera, scene: scene, selected: selected, buffer: &buffer) }
    }

    private func put(_ c: Character, x: Int, y: Int, style: Style, buffer: inout Buffer) {
        var cell = Cell(c)
        cell.apply(app.theme.base.patched(with: style))
        buffer[x, y] = cell
    }

    /// The enclosing name scope of the selected node (`/encoder/layer.3/attention`).
    private func selectionGroupPath() -> String? {
        let grouping = app.document.groupings[app.state.scope]
        switch app.state.selection {
        case .node(let n)?: return grouping.tree.group(ofNode: n).map { grouping.paths[$0] }
        case .group(let g)?: return grouping.paths[g]
        case nil: return nil
        }
    }

    private func matchingVertices(_ scene: Scene) -> Set<Int> {
        var out = Set<Int>()
        for m in app.state.search.matches where m.scope == app.state.scope {
            if let v = scene.vertex(of: .node(m.node)) { out.insert(v) }
        }
        return out
    }

    private func drawBox(vertex v: Int, scene: Scene, origin: (Int, Int), clip: Rect, selected: Bool, matched: Bool, buffer: inout Buffer) {
        let r = scene.rect(ofVertex: v)
        let rect = Rect(x: origin.0 + r.x, y: origin.1 + r.y, width: r.width, height: r.height)
        let item = scene.item(ofVertex: v)
        let theme = app.theme
        let categoryStyle: Style
        let border: BorderSet
        switch item {
        case .node(let n):
            let node = app.document.scope(app.state.scope).node(n)
            categoryStyle = tintStyle(for: item) ?? theme[ExplorerApp.role(of: OpCatalog.category(of: node))]
            border = selected ? app.glyphs.focusedBorder : app.glyphs.border
        case .group:
            categoryStyle = tintStyle(for: item) ?? theme[.accent]
            border = app.ascii ? BorderSet(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "=", vertical: "|")
                : .double
        }
        // Draw into a scratch region clipped to the pane: boxes at the edge are cut, not spilled.
        let visible = rect.intersection(clip)
        guard !visible.isEmpty else { return }
        var box = Buffer(width: rect.width, height: rect.height)
        let fill = selected ? theme.base.patched(with: theme[.selection]) : theme.base
        box.fill(box.area, style: fill)
        box.drawBox(box.area, border: border, style: fill.patched(with: selected ? theme[.selection] : categoryStyle))
        let lines = scene.labels[v]
        for (row, text) in lines.prefix(max(0, rect.height - 2)).enumerated() {
            var style: Style
            switch (item, row) {
            case (.node, 0): style = categoryStyle.bold
            case (.group, 0): style = theme[.accent].bold
            case (_, 2): style = theme[.accent]
            default: style = theme[.textDim]
            }
            if matched && row <= 1 { style = theme[.searchMatch] }
            if selected { style = style.patched(with: theme[.selection]) }
            let plain = app.ascii ? text.replacingOccurrences(of: "…", with: "..") : text
            let shown = plain.truncated(toWidth: rect.width - 2, ellipsis: app.glyphs.ellipsis)
            let x = 1 + max(0, (rect.width - 2 - shown.terminalWidth) / 2)
            box.setString(shown, x: x, y: 1 + row, style: fill.patched(with: style))
        }
        drawRuntimeMark(item: item, width: rect.width, height: rect.height, fill: fill, style: categoryStyle, box: &box)
        for y in visible.y..<visible.bottom {
            for x in visible.x..<visible.right { buffer[x, y] = box[x - rect.x, y - rect.y] }
        }
        // A marker beside the selected box keeps the selection visible without colors (NO_COLOR)
        // and for folded groups, whose border style is already taken.
        if selected, rect.x - 1 >= clip.x, clip.contains(x: rect.x - 1, y: rect.y + rect.height / 2) {
            put(app.glyphs.selectionMarker, x: rect.x - 1, y: rect.y + rect.height / 2, style: theme[.accent].bold, buffer: &buffer)
        }
    }

    /// Thumbs on the right and bottom borders showing which part of the drawing is visible.
    private func drawScrollMarks(area: Rect, inner: Rect, camera: GridPoint, layout: LayeredLayout, buffer: inout Buffer) {
        let style = app.theme[.accent]
        if layout.height > inner.height, inner.height > 0 {
            let size = max(1, inner.height * inner.height / layout.height)
            let pos = camera.y * (inner.height - size) / max(1, layout.height - inner.height)
            for y in 0..<size { put(app.glyphs.scrollbarThumb, x: area.right - 1, y: inner.y + pos + y, style: style, buffer: &buffer) }
        }
        if layout.width > inner.width, inner.width > 0 {
            let size = max(1, inner.width * inner.width / layout.width)
            let pos = camera.x * (inner.width - size) / max(1, layout.width - inner.width)
            for x in 0..<size { put(app.glyphs.scrollbarThumb, x: inner.x + pos + x, y: area.bottom - 1, style: style, buffer: &buffer) }
        }
    }

    /// A small map of the whole drawing in the pane's corner: dots where boxes are, the
    /// viewport highlighted, the selection marked. Shown only when the drawing does not fit.
    private func drawOverview(inner: Rect, camera: GridPoint, scene: Scene, selected: Int?, buffer: inout Buffer) {
        let layout = scene.layout
        guard layout.height > inner.height || layout.width > inner.width, inner.width >= 48, inner.height >= 14 else { return }
        let mapW = min(22, inner.width / 4), mapH = min(12, inner.height / 3)
        let frame = Rect(x: inner.right - mapW, y: inner.bottom - mapH, width: mapW, height: mapH)
        let theme = app.theme
        Block(title: Line("overview", style: theme[.textDim]), border: app.glyphs.border, borderStyle: theme[.border], style: theme.base)
            .render(in: frame, buffer: &buffer)
        let cells = frame.inset(by: 1)
        guard !cells.isEmpty else { return }
        // Keep the aspect of the drawing so the viewport box has the right shape.
        let scale = max(Double(layout.width) / Double(cells.width), Double(layout.height) / Double(cells.height), 1)
        func cell(_ x: Int, _ y: Int) -> (Int, Int) {
            (cells.x + min(cells.width - 1, Int(Double(x) / scale)), cells.y + min(cells.height - 1, Int(Double(y) / scale)))
        }
        var occupied = Set<Int>()
        for node in layout.nodes {
            let (cx, cy) = cell(node.rect.x + node.rect.width / 2, node.rect.y + node.rect.height / 2)
            occupied.insert(cy * 10_000 + cx)
        }
        let (vx0, vy0) = cell(camera.x, camera.y)
        let (vx1, vy1) = cell(camera.x + inner.width - 1, camera.y + inner.height - 1)
        for y in cells.y..<cells.bottom {
            for x in cells.x..<cells.right {
                let inView = x >= vx0 && x <= vx1 && y >= vy0 && y <= vy1
                let dot: Character = occupied.contains(y * 10_000 + x) ? (app.ascii ? "." : "·") : " "
                put(dot, x: x, y: y, style: inView ? theme[.selection] : theme[.textDim], buffer: &buffer)
            }
        }
        if let v = selected {
            let r = scene.rect(ofVertex: v)
            let (sx, sy) = cell(r.x + r.width / 2, r.y + r.height / 2)
            put(app.ascii ? "*" : "●", x: sx, y: sy, style: theme[.accent].bold, buffer: &buffer)
        }
    }

    // MARK: Runtime on the graph

    /// The annotations of the nodes a box shows (one node, or every node of a folded group).
    private func annotations(of item: SceneItem) -> [NodeAnnotation] {
        let scope = app.state.scope
        switch item {
        case .node(let n): return app.state.annotations[NodeKey(scope: scope, node: n)].map { [$0] } ?? []
        case .group(let g):
            return app.document.groupings[scope].tree.nodes(in: g).compactMap { app.state.annotations[NodeKey(scope: scope, node: $0)] }
        }
    }

    /// The box color under the current tint; nil keeps the op-category color.
    private func tintStyle(for item: SceneItem) -> Style? {
        let theme = app.theme
        switch app.state.tint {
        case .category: return nil
        case .time:
            let a = annotations(of: item)
            guard !a.isEmpty else { return theme[.textDim] }
            let share = a.reduce(0) { $0 + ($1.share ?? 0) }
            return a.contains { $0.kernelTimeMicroseconds != nil } ? theme[ThemeRole.heat[RuntimeFormat.heat(share: share)]] : theme[.textDim]
        case .provider:
            guard let p = annotations(of: item).compactMap(\.provider).first,
                  let i = app.state.runtime.providers.firstIndex(of: p) else { return theme[.textDim] }
            return theme[ThemeRole.providers[i % ThemeRole.providers.count]]
        case .partition:
            guard let part = annotations(of: item).compactMap(\.partition).first else { return theme[.textDim] }
            return theme[ThemeRole.providers[(part - 1) % ThemeRole.providers.count]]
        case .predicted:
            return theme[Self.predictedRole(predictedSupport(of: item))]
        case .quantization:
            guard let plan = app.state.quantization?.plan, app.state.scope == 0 else { return theme[.textDim] }
            let decisions = mainNodes(of: item).map { plan.decisions[$0] }
            if decisions.contains(where: { $0.precision == .int8 }) { return theme[.success] }
            return decisions.contains { $0.role.isQuantizable } ? theme[.warning] : theme[.textDim]
        case .error:
            guard app.state.scope == 0 else { return theme[.textDim] }
            let names = mainNodes(of: item).map { app.document.scope(0).displayName($0) }
            guard let worst = names.compactMap({ app.quantizationError(ofNode: $0)?.propagatedSQNR }).min() else { return theme[.textDim] }
            return theme[ErrorView.role(worst)]
        }
    }

    /// The main-graph nodes a box shows (plan decisions are per main-graph node).
    private func mainNodes(of item: SceneItem) -> [Int] {
        switch item {
        case .node(let n): return [n]
        case .group(let g): return app.document.groupings[0].tree.nodes(in: g)
        }
    }

    /// The deployment target's decisions on the nodes a box shows.
    private func predictedSupport(of item: SceneItem) -> [NodeSupport] {
        let scope = app.state.scope
        let nodes: [Int]
        switch item {
        case .node(let n): nodes = [n]
        case .group(let g): nodes = app.document.groupings[scope].tree.nodes(in: g)
        }
        return nodes.compactMap { app.predictedSupport(NodeKey(scope: scope, node: $0)) }.filter { !$0.isConstantNode }
    }

    /// Taken: success; held back only by a dynamic shape (fixing dims helps): warning; else error.
    /// A folded group takes the worst of its nodes.
    static func predictedRole(_ decisions: [NodeSupport]) -> ThemeRole {
        if decisions.isEmpty { return .textDim }
        if decisions.contains(where: { !$0.supported && $0.blockers.contains { $0.kind != "dynamic shape" } }) { return .error }
        return decisions.allSatisfy(\.supported) ? .success : .warning
    }

    /// Kernel time on the box's bottom border (`1.23 ms 12%`; a heat mark when compact), or
    /// what ORT did with the node instead (`fused`, `folded`, `in EP subgraph`).
    private func drawRuntimeMark(item: SceneItem, width: Int, height: Int, fill: Style, style: Style, box: inout Buffer) {
        let a = annotations(of: item)
        guard !a.isEmpty, width >= 5, height >= 2 else { return }
        let micros = a.compactMap(\.kernelTimeMicroseconds).reduce(0, +)
        let share = a.reduce(0) { $0 + ($1.share ?? 0) }
        var text: String
        if micros > 0 {
            if app.state.zoom == .compact {
                text = app.ascii ? "*" : "●"
                box.setString(text, x: width - 2, y: 0, style: fill.patched(with: app.theme[ThemeRole.heat[RuntimeFormat.heat(share: share)]]))
                return
            }
            text = RuntimeFormat.time(microseconds: micros, ascii: app.ascii) + String(format: " %.0f%%", share * 100)
        } else if case .node = item, let e = a.first?.execution {
            switch e {
            case .fused: text = "fused"
            case .compiled: text = "in EP subgraph"
            case .eliminated: text = "folded"
            }
        } else {
            return
        }
        let shown = (" " + text + " ").truncated(toWidth: width - 2, ellipsis: app.glyphs.ellipsis)
        let x = max(1, (width - shown.terminalWidth) / 2)
        box.setString(shown, x: x, y: height - 1, style: fill.patched(with: style))
    }

    /// The footer's legend for the current tint.
    private func legend() -> [Span] {
        let theme = app.theme
        switch app.state.tint {
        case .category: return []
        case .time:
            let mark = app.ascii ? "#" : "■"
            return [Span("  time ", style: theme[.textDim])] + ThemeRole.heat.map { Span(mark, style: theme[$0]) } + [Span(" hot (t: tint)", style: theme[.textDim])]
        case .provider:
            var spans = [Span("  ", style: theme[.textDim])]
            for (i, p) in app.state.runtime.providers.enumerated() {
                spans.append(Span((app.ascii ? "# " : "■ ") + RuntimeFigures.short(p).escapedForDisplay + " ", style: theme[ThemeRole.providers[i % ThemeRole.providers.count]]))
            }
            return spans + [Span("(t: tint)", style: theme[.textDim])]
        case .partition:
            return [Span("  partitions: \(app.state.runtime.partitions.count) (t: tint)", style: theme[.textDim])]
        case .quantization:
            let mark = app.ascii ? "# " : "■ "
            return [Span("  plan: ", style: theme[.textDim]), Span(mark + "int8 ", style: theme[.success]),
                    Span(mark + "float (Q: int8) ", style: theme[.warning]), Span(mark + "not quantizable (t: tint)", style: theme[.textDim])]
        case .error:
            let mark = app.ascii ? "# " : "■ "
            return [Span("  output SQNR: ", style: theme[.textDim]), Span(mark + "≥30 dB ", style: theme[.success]),
                    Span(mark + "20–30 ", style: theme[.warning]), Span(mark + "<20 ", style: theme[.error]),
                    Span("(5: Error view, t: tint)", style: theme[.textDim])]
        case .predicted:
            let mark = app.ascii ? "# " : "■ "
            let c = app.deployPrediction.counts
            return [Span("  \(app.state.deployTarget.rawValue) predicted: ", style: theme[.textDim]),
                    Span(mark + "taken ", style: theme[.success]), Span(mark + "dims ", style: theme[.warning]),
                    Span(mark + "not ", style: theme[.error]),
                    Span("\(c.supportedNodes)/\(c.totalNodes) \(c.verdict.rawValue) ", style: theme[.textDim])]
        }
    }
}
