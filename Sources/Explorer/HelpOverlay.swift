import Terminal

/// The `?` overlay: every binding of ``KeyBindings/table``, by section, plus mouse use.
struct HelpOverlay {
    let app: ExplorerApp

    static let sections = ["Navigate", "Search", "Graph", "Views", "Runtime", "General"]

    /// The overlay's rows; built from the binding table so it lists exactly what dispatch does.
    func lines() -> [Line] {
        let theme = app.theme
        var out: [Line] = []
        for section in Self.sections {
            if !out.isEmpty { out.append(Line("")) }
            out.append(Line(section, style: theme[.title]))
            for binding in KeyBindings.table where binding.action.section == section {
                let keys = binding.keys.map { KeyBindings.name(of: $0, glyphs: app.glyphs) }.joined(separator: " ")
                out.append(Line([Span("  " + keys.padding(toLength: 16, withPad: " ", startingAt: 0), style: theme[.accent]),
                                 Span(binding.action.title)]))
            }
        }
        out.append(Line(""))
        out.append(Line("Mouse", style: theme[.title]))
        out.append(Line([Span("  click".padding(toLength: 18, withPad: " ", startingAt: 0), style: theme[.accent]), Span("select box / row / tab")]))
        out.append(Line([Span("  wheel".padding(toLength: 18, withPad: " ", startingAt: 0), style: theme[.accent]), Span("scroll")]))
        out.append(Line(""))
        out.append(Line("Search: type, Enter go, Esc cancel, " + "\(KeyBindings.name(of: .up, glyphs: app.glyphs))/\(KeyBindings.name(of: .down, glyphs: app.glyphs)) matches",
                        style: theme[.textDim]))
        return out
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let all = lines()
        let width = min(area.width - 4, 58)
        let height = min(area.height - 2, all.count + 2)
        guard width > 10, height > 3 else { return }
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        let inner = app.pane(Line("Keys", style: app.theme[.title]), focused: true, in: rect, buffer: &buffer,
                             footer: Line("j/k scroll, any key closes", style: app.theme[.textDim]))
        let maxScroll = max(0, all.count - inner.height)
        app.state.helpScroll = min(app.state.helpScroll, maxScroll)
        Paragraph(all, style: app.theme.base, scroll: app.state.helpScroll).render(in: inner.inset(left: 1), buffer: &buffer)
    }
}
