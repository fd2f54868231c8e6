import Terminal

extension ExplorerApp {
    /// Renders only the visible rows (a 30k-node model has thousands of MatMuls).
    func renderTableWindow(columns: [Table.Column], count: Int, list: inout ScrollStateBox, in area: Rect, focused: Bool,
                              buffer: inout Buffer, row: (Int) -> [Line]) {
        let visible = Table.visibleRows(forHeight: area.height)
        var scroll = ScrollState(selected: count > 0 ? list.selected : nil, offset: list.offset)
        scroll.scrollToSelection(visibleRows: visible, count: count)
        list.offset = scroll.offset
        let end = min(count, scroll.offset + visible)
        let rows = (scroll.offset..<max(scroll.offset, end)).map(row)
        var windowState = ScrollState(selected: scroll.selected.map { $0 - scroll.offset }, offset: 0)
        let theme = self.theme
        Table(columns: columns, rows: rows, headerStyle: theme[.title], style: theme.base,
              selectionStyle: focused ? theme[.selection] : theme[.selection].patched(with: Style(attributes: .dim)), columnSpacing: 1)
            .render(in: area, buffer: &buffer, state: &windowState)
    }
}
