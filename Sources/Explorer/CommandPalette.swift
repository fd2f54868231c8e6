import Terminal

/// The `:` palette: every action by name, filtered as the user types (all words must appear,
/// in any order), run with Enter.
struct CommandPalette {
    let app: ExplorerApp
    let state: PaletteState

    /// Actions whose title contains every word of `query`, in key-table order.
    static func entries(matching query: String) -> [Action] {
        let words = query.lowercased().split(separator: " ")
        let ordered = KeyBindings.table.map(\.action)
        return ordered.filter { action in
            let title = action.title.lowercased() + " " + action.rawValue.lowercased()
            return words.allSatisfy { title.contains($0) }
        }
    }

    /// What Enter does with a typed command that takes arguments (the int8 loop's and the
    /// live run's), shown once the query names one.
    static func typedCommandHint(_ query: String) -> String? {
        let hints: [(String, String)] = [
            ("quantize", "Enter: quantize all | quantize op TYPE"), ("float", "Enter: float all | float op TYPE"),
            ("fallback", "Enter: fallback sqnr DB | fallback top1 PERCENT | fallback on|off (EP)"),
            ("save", "Enter: write the int8 variant and its plan (save PATH)"), ("live", "Enter: live int8 | live float"),
            ("threads", "Enter: threads N (0: ORT's choice)"), ("opt", "Enter: opt disable|basic|extended|layout|all"),
            ("ep", "Enter: ep NAME[:k=v,…] … | ep cpu"), ("ort", "Enter: ort LEVEL: ORT's graph at disable|basic|extended|layout|all"),
            ("calibrate", "Enter: calibrate PATH… [eval PATH…]: data for the int8 loop"), ("target", "Enter: target NAME (nnapi, coreml, qnn, xnnpack, tensorrt, openvino, cpu…)"),
        ]
        let first = query.split(separator: " ").first.map(String.init)?.lowercased() ?? ""
        guard !first.isEmpty else { return nil }
        return hints.first { $0.0.hasPrefix(first) || first.hasPrefix($0.0) }?.1
    }

    /// Draws the palette and returns where the cursor goes (end of the typed text).
    func render(in area: Rect, buffer: inout Buffer) -> (x: Int, y: Int)? {
        let entries = Self.entries(matching: state.query)
        let width = min(area.width - 4, 50)
        let height = min(area.height - 2, max(4, min(entries.count, 14) + 3))
        guard width > 10, height > 3 else { return nil }
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + 2, width: width, height: height)
        let theme = app.theme
        let inner = app.pane(Line("Command", style: theme[.title]), focused: true, in: rect, buffer: &buffer)
        buffer.setString(":" + state.query, x: inner.x, y: inner.y, style: theme[.text], maxWidth: inner.width)
        let listArea = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        var scroll = ScrollState(selected: entries.isEmpty ? nil : state.selected, offset: 0)
        let items = entries.map { action -> Line in
            let keys = KeyBindings.keys(for: action).prefix(2).map { KeyBindings.name(of: $0, glyphs: app.glyphs) }.joined(separator: " ")
            return Line([Span(action.title.padding(toLength: max(1, inner.width - 12), withPad: " ", startingAt: 0)),
                         Span(keys, style: theme[.textDim])])
        }
        if DimsCommand.arguments(state.query) != nil || state.query.hasPrefix("dim") && items.isEmpty {
            buffer.setString("Enter: bind dims (dim NAME=VALUE …)", x: listArea.x, y: listArea.y, style: theme[.textDim], maxWidth: listArea.width)
        } else if state.query.hasPrefix("export") && items.isEmpty {
            buffer.setString("Enter: export PATH.csv|.json (figures) or PATH.trace.json (timeline)", x: listArea.x, y: listArea.y, style: theme[.textDim], maxWidth: listArea.width)
        } else if state.query.hasPrefix("npy") && items.isEmpty {
            buffer.setString("Enter: save a weight (npy PATH [TENSOR])", x: listArea.x, y: listArea.y, style: theme[.textDim], maxWidth: listArea.width)
        } else if items.isEmpty, let hint = Self.typedCommandHint(state.query) {
            buffer.setString(hint, x: listArea.x, y: listArea.y, style: theme[.textDim], maxWidth: listArea.width)
        } else if items.isEmpty {
            buffer.setString("no matching command", x: listArea.x, y: listArea.y, style: theme[.textDim], maxWidth: listArea.width)
        } else {
            ListView(items, style: theme.base, selectionStyle: theme[.selection]).render(in: listArea, buffer: &buffer, state: &scroll)
        }
        return (min(inner.right - 1, inner.x + 1 + state.query.terminalWidth), inner.y)
    }
}
