import ModelReport
import OnnxGraph
import Terminal

/// Composes a frame: tab bar, the current view, overlays, status bar.
extension ExplorerApp {
    /// Draws the whole screen for the current state.
    public func render(_ frame: inout Frame) {
        let area = frame.area
        frame.buffer.fill(area, style: theme.base)
        guard area.width >= 20, area.height >= 6 else {
            frame.buffer.setString("onnxscope: window too small", x: 0, y: 0, style: theme[.warning], maxWidth: area.width)
            return
        }
        let (top, rest) = area.splitTop(1)
        let (body, bottom) = rest.splitBottom(1)
        screen = ScreenRects()
        renderTabs(in: top, buffer: &frame.buffer)
        switch state.view {
        case .graph:
            let inspectorWidth = body.width >= 100 ? min(56, max(40, body.width * 36 / 100)) : max(26, body.width * 40 / 100)
            let (graphArea, inspectorArea) = body.splitRight(inspectorWidth)
            screen.graph = graphArea
            screen.inspector = inspectorArea
            GraphView(app: self).render(in: graphArea, buffer: &frame.buffer)
            InspectorView(app: self).render(in: inspectorArea, buffer: &frame.buffer)
        case .ops:
            OpsTable(app: self).render(in: body, buffer: &frame.buffer)
        case .model:
            screen.model = body
            ModelView(app: self).render(in: body, buffer: &frame.buffer)
        case .runtime:
            RuntimeView(app: self).render(in: body, buffer: &frame.buffer)
        case .error:
            ErrorView(app: self).render(in: body, buffer: &frame.buffer)
        case .deploy:
            DeployView(app: self).render(in: body, buffer: &frame.buffer)
        }
        if state.showHelp { HelpOverlay(app: self).render(in: body, buffer: &frame.buffer) }
        if let settings = state.settings { SettingsPanel(app: self, state: settings).render(in: body, buffer: &frame.buffer) }
        if let palette = state.palette {
            let cursor = CommandPalette(app: self, state: palette).render(in: body, buffer: &frame.buffer)
            frame.cursor = cursor
        }
        if let cursor = renderStatus(in: bottom, buffer: &frame.buffer) { frame.cursor = cursor }
    }

    func pane(_ title: Line, focused: Bool, in area: Rect, buffer: inout Buffer, footer: Line? = nil) -> Rect {
        let block = Block(title: title, footer: footer,
                          border: focused ? glyphs.focusedBorder : glyphs.border,
                          borderStyle: focused ? theme[.borderFocused] : theme[.border],
                          titleStyle: theme[.title], style: theme.base)
        block.render(in: area, buffer: &buffer)
        return block.inner(area)
    }

    func renderTabs(in area: Rect, buffer: inout Buffer) {
        buffer.fill(area, style: theme[.statusBar])
        var x = area.x
        x = buffer.setString(" onnxscope ", x: x, y: area.y, style: theme[.statusKey])
        x += 1
        for view in ViewKind.allCases {
            let label = " \(view.key) \(view.title) "
            let style = view == state.view ? theme[.selection] : theme[.statusBar]
            screen.tabs.append((view, x, label.count))
            x = buffer.setString(label, x: x, y: area.y, style: style)
            x += 1
        }
        let crumbs = document.breadcrumb(of: state.scope, separator: " › ")
        let right = " " + (ortGraph.map { $0.title + " of " + $0.saved.document.fileName } ?? document.fileName) + (crumbs.count > 1 ? "  " + crumbs.joined(separator: ascii ? " > " : " › ") : "") + " "
        let w = right.terminalWidth
        if x + w <= area.right { buffer.setString(right, x: area.right - w, y: area.y, style: theme[.statusBar]) }
    }

    var ascii: Bool { lineStyle == .ascii }

    /// The status bar: search or message on the left when there is one, model summary
    /// otherwise; key hints on the right. Returns the cursor position while typing a search.
    func renderStatus(in area: Rect, buffer: inout Buffer) -> (x: Int, y: Int)? {
        let keyStyle = theme[.statusKey]
        if state.search.isEditing {
            let count = state.search.matches.isEmpty ? (state.search.query.isEmpty ? "" : "  no match")
                : "  \((state.search.current ?? 0) + 1)/\(state.search.matches.count)"
            let bar = StatusBar(left: [Span("/" + state.search.query)],
                                right: [Span(count), Span("Enter", style: keyStyle), Span("go"), Span("Esc", style: keyStyle), Span("cancel")],
                                style: theme[.statusBar], separator: " ", ellipsis: glyphs.ellipsis)
            bar.render(in: area, buffer: &buffer)
            return (min(area.right - 1, area.x + 1 + state.search.query.terminalWidth), area.y)
        }
        var left: [Span]
        if let m = state.message {
            let style: Style = m.kind == .error ? theme[.statusBar].patched(with: Style(attributes: .bold)) : theme[.statusBar]
            left = [Span(" " + m.text, style: style)]
        } else {
            let s = document.summary
            var items = ["\(s.nodeCountWithSubgraphs) nodes", "\(Format.count(s.compute.parameters)) params",
                         "\(Format.count(s.compute.macs)) MACs", "zoom \(state.zoom.name)"]
            if !state.search.matches.isEmpty {
                items.append("/\(state.search.query) \((state.search.current ?? 0) + 1)/\(state.search.matches.count)")
            }
            if let live = liveStatus { items.append(live) }
            if let q = quantizationStatus { items.append(q) }
            if let ort = runtimeMessageSummary { items.append(ort) }
            if layouts.isBusy { items.append("laying out" + glyphs.ellipsis) }
            left = [Span(" " + items.joined(separator: "  "))]
        }
        var right: [Span] = []
        // On a narrow screen the model summary matters more than the full list of hints.
        let hints = area.width >= 110 ? [("?", "help"), ("/", "search"), (":", "commands"), ("Tab", "pane"), ("q", "quit")]
            : [("?", "help"), ("q", "quit")]
        for (key, hint) in hints {
            right.append(Span(key, style: keyStyle))
            right.append(Span(hint + " "))
        }
        StatusBar(left: left, right: right, style: theme[.statusBar], separator: " ", ellipsis: glyphs.ellipsis)
            .render(in: area, buffer: &buffer)
        return nil
    }

    /// The theme role coloring an op category.
    static func role(of category: OpCategory) -> ThemeRole {
        switch category {
        case .convolution: return .opConv
        case .matmul: return .opMatMul
        case .activation: return .opActivation
        case .normalization: return .opNormalization
        case .pooling: return .opPooling
        case .elementwise: return .opElementwise
        case .shape: return .opShape
        case .quantization: return .opQuantization
        case .controlFlow: return .opControlFlow
        case .reduction: return .opReduction
        case .other: return .opOther
        }
    }
}
