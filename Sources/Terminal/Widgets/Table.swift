/// A table with a header row, column widths, selection and vertical scrolling.
public struct Table: Sendable {
    /// One column: its header and how wide it is.
    public struct Column: Sendable {
        public var header: String
        public var width: Constraint
        public var alignment: Line.Alignment
        public init(_ header: String, width: Constraint, alignment: Line.Alignment = .left) {
            self.header = header
            self.width = width
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// One array of cells per row, in column order (missing cells are blank).
    public var rows: [[Line]]
    public var headerStyle: Style
    public var style: Style
    public var selectionStyle: Style
    public var columnSpacing: Int

    public init(columns: [Column], rows: [[Line]], headerStyle: Style = Style(attributes: .bold),
                style: Style = .none, selectionStyle: Style = Style(attributes: .reverse), columnSpacing: Int = 1) {
        self.columns = columns
        self.rows = rows
        self.headerStyle = headerStyle
        self.style = style
        self.selectionStyle = selectionStyle
        self.columnSpacing = columnSpacing
    }

    /// Rows of data that fit under the header in an area of this height.
    public static func visibleRows(forHeight height: Int) -> Int { max(0, height - 1) }

    public func render(in area: Rect, buffer: inout Buffer, state: inout ScrollState) {
        guard !area.isEmpty else { return }
        buffer.setStyle(style, in: area)
        let columnRects = Layout.horizontal(columns.map(\.width), spacing: columnSpacing).split(area.splitTop(1).top)
        for (i, column) in columns.enumerated() {
            Line(column.header, style: headerStyle, alignment: column.alignment).render(in: columnRects[i], buffer: &buffer)
        }
        buffer.setStyle(headerStyle, in: area.splitTop(1).top)
        let body = area.splitTop(1).rest
        if let s = state.selected, s >= rows.count { state.selected = rows.isEmpty ? nil : rows.count - 1 }
        state.scrollToSelection(visibleRows: body.height, count: rows.count)
        for r in 0..<body.height {
            let index = state.offset + r
            guard index < rows.count else { break }
            let y = body.y + r
            let selected = index == state.selected
            for (c, column) in columns.enumerated() {
                guard c < rows[index].count else { continue }
                var cell = rows[index][c]
                cell.alignment = column.alignment
                cell.render(in: Rect(x: columnRects[c].x, y: y, width: columnRects[c].width, height: 1), buffer: &buffer)
            }
            if selected { buffer.setStyle(selectionStyle, in: Rect(x: body.x, y: y, width: body.width, height: 1)) }
        }
    }
}
