/// Lines of styled text, optionally wrapped, scrolled vertically.
public struct Paragraph: Widget, Sendable {
    public var lines: [Line]
    public var style: Style
    /// Wrap long lines at word boundaries instead of clipping them.
    public var wrap: Bool
    /// Rows scrolled off the top.
    public var scroll: Int

    public init(_ lines: [Line], style: Style = .none, wrap: Bool = false, scroll: Int = 0) {
        self.lines = lines
        self.style = style
        self.wrap = wrap
        self.scroll = scroll
    }

    public init(_ text: String, style: Style = .none, wrap: Bool = false) {
        self.init(text.split(separator: "\n", omittingEmptySubsequences: false).map { Line(String($0)) }, style: style, wrap: wrap)
    }

    /// The rows this paragraph occupies at `width` columns.
    public func rows(width: Int) -> [Line] {
        guard wrap, width > 0 else { return lines }
        return lines.flatMap { Paragraph.wrap($0, width: width) }
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        buffer.setStyle(style, in: area)
        let rows = rows(width: area.width)
        for (i, line) in rows.dropFirst(max(0, scroll)).prefix(area.height).enumerated() {
            line.render(in: Rect(x: area.x, y: area.y + i, width: area.width, height: 1), buffer: &buffer)
        }
    }

    /// Greedy word wrap that keeps each span's style; a word longer than the width is broken.
    static func wrap(_ line: Line, width: Int) -> [Line] {
        var out: [Line] = []
        var current: [Span] = []
        var used = 0
        func flush() {
            out.append(Line(current, alignment: line.alignment, style: line.style))
            current = []
            used = 0
        }
        func append(_ text: String, _ style: Style) {
            if let last = current.last, last.style == style {
                current[current.count - 1].text += text
            } else {
                current.append(Span(text, style: style))
            }
        }
        for span in line.spans {
            let safe = TerminalSanitizer.sanitize(span.text)
            var word = ""
            var wordWidth = 0
            func emitWord() {
                if word.isEmpty { return }
                if used > 0 && used + wordWidth > width { flush() }
                if used == 0 && word.first == " " {
                    word = String(word.drop(while: { $0 == " " }))
                    wordWidth = word.terminalWidth
                }
                for ch in word {
                    let w = CharacterWidth.of(ch)
                    if used + w > width { flush() }
                    append(String(ch), span.style)
                    used += w
                }
                word = ""
                wordWidth = 0
            }
            for ch in safe {
                if ch == " " && !word.isEmpty && word.last != " " { emitWord() }
                word.append(ch)
                wordWidth += CharacterWidth.of(ch)
            }
            emitWord()
        }
        if !current.isEmpty || out.isEmpty { flush() }
        return out
    }
}
