/// A grid of cells that a frame is rendered into before anything reaches the terminal.
///
/// Widgets only ever write into a `Buffer`; the ``Terminal`` diffs it against the previous frame
/// and sends the changed cells to the backend. All writes are clipped to the buffer, so a widget
/// given a rectangle partly off-screen draws what is visible and nothing else.
public struct Buffer: Hashable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells, `width * height` of them.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, filledWith cell: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: cell, count: self.width * self.height)
    }

    public init(size: Size) { self.init(width: size.width, height: size.height) }

    /// The whole buffer as a rectangle at the origin.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }
    public var size: Size { Size(width: width, height: height) }

    @inline(__always)
    func index(_ x: Int, _ y: Int) -> Int { y * width + x }

    /// The cell at `x`, `y`; reading outside the buffer gives a blank cell and writing there is ignored.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[index(x, y)]
        }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            cells[index(x, y)] = newValue
        }
    }

    /// Fills every cell with `cell`.
    public mutating func reset(to cell: Cell = .blank) {
        cells.withUnsafeMutableBufferPointer { $0.update(repeating: cell) }
    }

    /// Changes the size, dropping all content.
    public mutating func resize(to size: Size) {
        width = max(0, size.width)
        height = max(0, size.height)
        cells = Array(repeating: .blank, count: width * height)
    }

    // MARK: Writing text

    /// Writes `text` starting at `x`, `y` and returns the column after the last cell written.
    ///
    /// The text is passed through ``TerminalSanitizer`` first, so control characters show as
    /// visible escapes. Wide characters take two cells and are not split: one that does not fit
    /// before `maxWidth` (or the buffer's edge) is left out. Zero-width scalars standing alone
    /// (e.g. U+200B) are skipped; combining marks stay in the cell of their base character.
    /// Columns left of 0 are skipped, so text can be scrolled horizontally by passing a negative `x`.
    @discardableResult
    public mutating func setString(_ text: some StringProtocol, x: Int, y: Int, style: Style = .none, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? Int.max)
        var col = x
        let safe = TerminalSanitizer.sanitize(text)
        for ch in safe {
            if col >= limit { break }
            let w = CharacterWidth.of(ch)
            if w == 0 { continue }
            if col + w > limit { break }
            if col < 0 {
                // A wide character straddling the left edge leaves a blank in its visible half.
                if col + w > 0 { place(" ", width: 1, x: 0, y: y, style: style) }
                col += w
                continue
            }
            place(ch, width: w, x: col, y: y, style: style)
            col += w
        }
        return col
    }

    /// Writes styled spans one after another (see ``setString(_:x:y:style:maxWidth:)``).
    @discardableResult
    public mutating func setLine(_ line: Line, x: Int, y: Int, maxWidth: Int? = nil, baseStyle: Style = .none) -> Int {
        let limit = maxWidth.map { x + max(0, $0) } ?? Int.max
        var col = x
        for span in line.spans {
            if col >= limit { break }
            col = setString(span.text, x: col, y: y, style: baseStyle.patched(with: span.style), maxWidth: limit - col)
        }
        return col
    }

    /// Puts one grapheme of known width, repairing any wide character it overwrites half of,
    /// because a terminal shows garbage when only one column of a wide character is redrawn.
    mutating func place(_ ch: Character, width w: Int, x: Int, y: Int, style: Style) {
        let i = index(x, y)
        if cells[i].isContinuation && x > 0 {
            cells[i - 1].setSymbol(" ", width: 1)
        }
        if cells[i].width == 2 && x + 1 < width && cells[i + 1].isContinuation {
            cells[i + 1].setSymbol(" ", width: 1)
        }
        cells[i].setSymbol(ch, width: w)
        cells[i].apply(style)
        if w == 2 {
            let j = i + 1
            if cells[j].width == 2 && x + 2 < width && cells[j + 1].isContinuation {
                cells[j + 1].setSymbol(" ", width: 1)
            }
            cells[j].makeContinuation()
            cells[j].apply(style)
        }
    }

    // MARK: Areas

    /// Lays `style` over every cell of `rect` (clipped), keeping the symbols.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let w = width
        cells.withUnsafeMutableBufferPointer { p in
            for y in r.top..<r.bottom {
                let row = y * w
                for x in r.left..<r.right { p[row + x].apply(style) }
            }
        }
    }

    /// Fills `rect` (clipped) with `symbol` in `style`; the symbol must be one column wide.
    public mutating func fill(_ rect: Rect, symbol: Character = " ", style: Style = .none) {
        let r = rect.intersection(area)
        guard !r.isEmpty else { return }
        let w = max(1, CharacterWidth.of(symbol))
        let safe = (w == 1 && TerminalSanitizer.isSafe(String(symbol))) ? String(symbol) : "?"
        // Repair wide characters cut by the left and right edges of the area first.
        for y in r.top..<r.bottom {
            if r.left > 0, cells[index(r.left, y)].isContinuation { cells[index(r.left - 1, y)].setSymbol(" ", width: 1) }
            if r.right < width, cells[index(r.right, y)].isContinuation { cells[index(r.right, y)].setSymbol(" ", width: 1) }
            let row = y * width
            cells.withUnsafeMutableBufferPointer { p in
                for x in r.left..<r.right {
                    p[row + x].setSymbol(safe, width: 1)
                    p[row + x].apply(style)
                }
            }
        }
    }

    /// Draws a border around the edge of `rect` with `border` characters.
    public mutating func drawBox(_ rect: Rect, border: BorderSet = .plain, style: Style = .none) {
        guard rect.width >= 1, rect.height >= 1 else { return }
        let h = String(border.horizontal), v = String(border.vertical)
        if rect.width >= 2 {
            for x in (rect.left + 1)..<(rect.right - 1) {
                setString(h, x: x, y: rect.top, style: style)
                if rect.height > 1 { setString(h, x: x, y: rect.bottom - 1, style: style) }
            }
        }
        if rect.height >= 2 {
            for y in (rect.top + 1)..<(rect.bottom - 1) {
                setString(v, x: rect.left, y: y, style: style)
                if rect.width > 1 { setString(v, x: rect.right - 1, y: y, style: style) }
            }
        }
        setString(String(border.topLeft), x: rect.left, y: rect.top, style: style)
        if rect.width > 1 { setString(String(border.topRight), x: rect.right - 1, y: rect.top, style: style) }
        if rect.height > 1 {
            setString(String(border.bottomLeft), x: rect.left, y: rect.bottom - 1, style: style)
            if rect.width > 1 { setString(String(border.bottomRight), x: rect.right - 1, y: rect.bottom - 1, style: style) }
        }
    }

    // MARK: Reading back

    /// Row `y` as plain text; the right halves of wide characters contribute nothing, so the
    /// string reads exactly as the terminal shows it.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        s.reserveCapacity(width)
        for x in 0..<width { s += cells[index(x, y)].symbol }
        return s
    }

    /// Every row as plain text (see ``line(_:)``).
    public func lines() -> [String] { (0..<height).map(line) }
}
