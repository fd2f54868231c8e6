/// A run of text in one style.
public struct Span: Hashable, Sendable, ExpressibleByStringLiteral {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .none) {
        self.text = text
        self.style = style
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// Columns the span occupies once drawn (after sanitizing).
    public var width: Int { TerminalSanitizer.sanitize(text).terminalWidth }
}

/// One line of styled text.
public struct Line: Hashable, Sendable, ExpressibleByStringLiteral {
    public enum Alignment: Sendable { case left, center, right }

    public var spans: [Span]
    public var alignment: Alignment
    /// Style laid under every span (spans' own styles win).
    public var style: Style

    public init(_ spans: [Span], alignment: Alignment = .left, style: Style = .none) {
        self.spans = spans
        self.alignment = alignment
        self.style = style
    }

    public init(_ text: String, style: Style = .none, alignment: Alignment = .left) {
        self.init([Span(text, style: style)], alignment: alignment)
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var width: Int { spans.reduce(0) { $0 + $1.width } }
    public var plainText: String { spans.map(\.text).joined() }

    /// Draws the line into `area`'s first row, honouring the alignment and clipping at its width.
    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.setStyle(style, in: Rect(x: area.x, y: area.y, width: area.width, height: 1))
        let w = width
        let offset: Int
        switch alignment {
        case .left: offset = 0
        case .center: offset = max(0, (area.width - w) / 2)
        case .right: offset = max(0, area.width - w)
        }
        buffer.setLine(self, x: area.x + offset, y: area.y, maxWidth: area.width - offset, baseStyle: style)
    }
}
