/// A one-row bar: segments on the left, segments on the right, the left side truncated first.
public struct StatusBar: Widget, Sendable {
    public var left: [Span]
    public var right: [Span]
    public var style: Style
    /// Placed between segments.
    public var separator: String
    public var ellipsis: String

    public init(left: [Span], right: [Span] = [], style: Style = .none, separator: String = "  ", ellipsis: String = "…") {
        self.left = left
        self.right = right
        self.style = style
        self.separator = separator
        self.ellipsis = ellipsis
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let row = Rect(x: area.x, y: area.y, width: area.width, height: 1)
        buffer.fill(row, style: style)
        let rightLine = joined(right)
        let rightWidth = min(rightLine.width, area.width)
        let leftRoom = area.width - rightWidth - (rightWidth > 0 ? 1 : 0)
        let leftLine = joined(left)
        if leftLine.width > leftRoom {
            // Cut spans to the room left, with an ellipsis so the user sees there is more.
            var cut: [Span] = []
            var used = 0
            let budget = max(0, leftRoom - ellipsis.terminalWidth)
            for span in leftLine.spans {
                let w = span.width
                if used + w <= budget { cut.append(span); used += w; continue }
                let part = TerminalSanitizer.sanitize(span.text).truncated(toWidth: budget - used, ellipsis: "")
                cut.append(Span(part, style: span.style))
                break
            }
            cut.append(Span(ellipsis))
            buffer.setLine(Line(cut), x: area.x, y: area.y, maxWidth: max(0, leftRoom), baseStyle: style)
        } else {
            buffer.setLine(leftLine, x: area.x, y: area.y, maxWidth: leftRoom, baseStyle: style)
        }
        if rightWidth > 0 {
            buffer.setLine(rightLine, x: area.right - rightWidth, y: area.y, maxWidth: rightWidth, baseStyle: style)
        }
    }

    func joined(_ spans: [Span]) -> Line {
        var out: [Span] = []
        for (i, s) in spans.enumerated() {
            if i > 0 { out.append(Span(separator)) }
            out.append(s)
        }
        return Line(out)
    }
}
