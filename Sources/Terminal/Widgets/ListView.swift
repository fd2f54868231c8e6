/// A vertical list of lines with a highlighted selection that is kept in view.
public struct ListView: Sendable {
    public var items: [Line]
    public var style: Style
    /// Laid over the selected row, across the full width.
    public var selectionStyle: Style
    /// Drawn in front of the selected row; other rows get the same width of blanks so text does not shift.
    public var selectionMarker: String?

    public init(_ items: [Line], style: Style = .none, selectionStyle: Style = Style(attributes: .reverse), selectionMarker: String? = nil) {
        self.items = items
        self.style = style
        self.selectionStyle = selectionStyle
        self.selectionMarker = selectionMarker
    }

    /// Draws the visible rows; `state.offset` is first adjusted so the selection is visible.
    public func render(in area: Rect, buffer: inout Buffer, state: inout ScrollState) {
        guard !area.isEmpty else { return }
        buffer.setStyle(style, in: area)
        if let s = state.selected, s >= items.count { state.selected = items.isEmpty ? nil : items.count - 1 }
        state.scrollToSelection(visibleRows: area.height, count: items.count)
        let markerWidth = selectionMarker.map { $0.terminalWidth + 1 } ?? 0
        for row in 0..<area.height {
            let index = state.offset + row
            guard index < items.count else { break }
            let rowRect = Rect(x: area.x, y: area.y + row, width: area.width, height: 1)
            let isSelected = index == state.selected
            if isSelected {
                buffer.setStyle(selectionStyle, in: rowRect)
                if let marker = selectionMarker { buffer.setString(marker, x: area.x, y: rowRect.y, maxWidth: area.width) }
            }
            var line = items[index]
            if isSelected { line.style = line.style.patched(with: selectionStyle) }
            let textRect = rowRect.inset(left: markerWidth)
            line.render(in: textRect, buffer: &buffer)
            if isSelected { buffer.setStyle(selectionStyle, in: rowRect) }
        }
    }
}

/// Renders a ``ListView`` as a plain ``Widget`` with a fixed state (useful for one-off lists).
public struct StatefulListWidget: Widget {
    public var list: ListView
    public var state: ScrollState
    public init(_ list: ListView, state: ScrollState) {
        self.list = list
        self.state = state
    }
    public func render(in area: Rect, buffer: inout Buffer) {
        var s = state
        list.render(in: area, buffer: &buffer, state: &s)
    }
}
