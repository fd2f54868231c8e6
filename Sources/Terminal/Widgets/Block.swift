/// A bordered box with an optional title, the frame around every pane.
public struct Block: Widget, Sendable {
    public var title: Line?
    /// Text drawn into the bottom border, right-aligned (e.g. "3/120").
    public var footer: Line?
    public var border: BorderSet?
    public var borderStyle: Style
    public var titleStyle: Style
    /// Style of the whole area, borders and inside.
    public var style: Style

    /// - Parameter border: `nil` draws no border; the block then only fills its style and title row.
    public init(title: Line? = nil, footer: Line? = nil, border: BorderSet? = .plain,
                borderStyle: Style = .none, titleStyle: Style = .none, style: Style = .none) {
        self.title = title
        self.footer = footer
        self.border = border
        self.borderStyle = borderStyle
        self.titleStyle = titleStyle
        self.style = style
    }

    /// The area left for content.
    public func inner(_ area: Rect) -> Rect {
        if border != nil { return area.inset(by: 1) }
        return title != nil ? area.inset(top: 1) : area
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.fill(area, style: style)
        if let border { buffer.drawBox(area, border: border, style: borderStyle) }
        let inset = border != nil ? 1 : 0
        if let title {
            var line = title
            line.style = titleStyle.patched(with: title.style)
            // One blank column on each side of the title keeps it from touching the corners.
            let titleArea = Rect(x: area.x + inset + (inset > 0 ? 1 : 0), y: area.y,
                                 width: area.width - 2 * inset - (inset > 0 ? 2 : 0), height: 1)
            line.render(in: titleArea, buffer: &buffer)
        }
        if let footer, border != nil, area.height > 1 {
            var line = footer
            line.alignment = .right
            line.render(in: Rect(x: area.x + 2, y: area.bottom - 1, width: area.width - 4, height: 1), buffer: &buffer)
        }
    }
}
