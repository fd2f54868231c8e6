/// Which characters lines and boxes are drawn with.
public enum LineStyle: Sendable {
    /// Box-drawing characters (│ ─ ┌ ┐ └ ┘ ├ ┤ ┬ ┴ ┼) and ▼ ▲ arrow heads.
    case unicode
    /// `|`, `-`, `+` and `v`/`^`, for terminals or fonts without box drawing.
    case ascii
}

/// Rasterizes edge routes (and, optionally, node boxes) into characters for one viewport.
///
/// Lines are accumulated as a set of directions per cell (up, down, left, right) and only turned
/// into a glyph when read, so wherever routes meet, split or cross the glyph is the correct
/// junction regardless of drawing order. Boxes, labels and arrow heads are drawn on top of lines.
/// The app copies ``character(atX:y:)`` into its own cell buffer with its own colours.
public struct GridCanvas: Sendable {
    /// The grid cells this canvas covers; everything else is clipped.
    public let viewport: GridRect
    /// Unicode box drawing or ASCII.
    public var style: LineStyle

    private static let up: UInt8 = 1, down: UInt8 = 2, left: UInt8 = 4, right: UInt8 = 8
    private var masks: [UInt8]
    private var overlay: [Character?]

    /// An empty canvas over `viewport`.
    public init(viewport: GridRect, style: LineStyle = .unicode) {
        self.viewport = viewport
        self.style = style
        let count = max(0, viewport.width) * max(0, viewport.height)
        masks = Array(repeating: 0, count: count)
        overlay = Array(repeating: nil, count: count)
    }

    @inline(__always) private func offset(_ x: Int, _ y: Int) -> Int? {
        guard x >= viewport.x, x < viewport.maxX, y >= viewport.y, y < viewport.maxY else { return nil }
        return (y - viewport.y) * viewport.width + (x - viewport.x)
    }

    /// Draws every edge of `layout` that is visible in the viewport.
    public mutating func drawEdges(of layout: LayeredLayout) {
        for i in layout.edges(in: viewport) { drawRoute(layout.edges[i]) }
    }

    /// Draws every box of `layout` visible in the viewport with ``drawBox(_:lines:)``;
    /// `label` gives the text lines for a node id.
    public mutating func drawNodes(of layout: LayeredLayout, label: (Int) -> [String]) {
        for i in layout.nodes(in: viewport) { drawBox(layout.nodes[i].rect, lines: label(layout.nodes[i].id)) }
    }

    /// Draws one route: its line, a stub joining the box it leaves, and the arrow head.
    public mutating func drawRoute(_ route: EdgeRoute) {
        let p = route.points
        guard let first = p.first, let last = p.last else { return }
        for k in p.indices.dropFirst() { drawSegment(p[k - 1], p[k]) }
        if route.isReversed {
            if let o = offset(first.x, first.y) { overlay[o] = style == .unicode ? "▲" : "^" }
            addMask(last.x, last.y, Self.down)
        } else {
            addMask(first.x, first.y, Self.up)
            if let o = offset(last.x, last.y) { overlay[o] = style == .unicode ? "▼" : "v" }
        }
    }

    /// Draws a box outline with `lines` of text centred inside, truncated with an ellipsis.
    /// Rows beyond the box's inner height are dropped.
    public mutating func drawBox(_ rect: GridRect, lines: [String]) {
        guard rect.width >= 2, rect.height >= 2, rect.intersects(viewport) else { return }
        let unicode = style == .unicode
        let h: Character = unicode ? "─" : "-", v: Character = unicode ? "│" : "|"
        for x in rect.x..<rect.maxX {
            put(x, rect.y, h)
            put(x, rect.maxY - 1, h)
        }
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put(rect.x, y, v)
            put(rect.maxX - 1, y, v)
            // Blank the inside so lines never show through a box.
            for x in (rect.x + 1)..<(rect.maxX - 1) { put(x, y, " ") }
        }
        put(rect.x, rect.y, unicode ? "┌" : "+")
        put(rect.maxX - 1, rect.y, unicode ? "┐" : "+")
        put(rect.x, rect.maxY - 1, unicode ? "└" : "+")
        put(rect.maxX - 1, rect.maxY - 1, unicode ? "┘" : "+")
        let inner = rect.width - 2
        guard inner > 0 else { return }
        for (row, text) in lines.prefix(rect.height - 2).enumerated() {
            var chars = Array(text)
            if chars.count > inner {
                chars = Array(chars.prefix(inner - 1)) + [unicode ? "…" : "~"]
            }
            let start = rect.x + 1 + (inner - chars.count) / 2
            for (i, c) in chars.enumerated() { put(start + i, rect.y + 1 + row, c) }
        }
    }

    /// The character at a grid cell, or nil for an empty cell or a cell outside the viewport.
    public func character(atX x: Int, y: Int) -> Character? {
        guard let o = offset(x, y) else { return nil }
        if let c = overlay[o] { return c }
        return glyph(masks[o])
    }

    /// Calls `body` for every non-empty cell, in row-major order.
    public func forEachCell(_ body: (_ x: Int, _ y: Int, _ character: Character) -> Void) {
        for row in 0..<max(0, viewport.height) {
            for col in 0..<viewport.width {
                let o = row * viewport.width + col
                if let c = overlay[o] ?? glyph(masks[o]) { body(viewport.x + col, viewport.y + row, c) }
            }
        }
    }

    /// The viewport as text lines (empty cells are spaces, trailing spaces trimmed); handy for
    /// snapshots and logs.
    public func renderedLines() -> [String] {
        (0..<max(0, viewport.height)).map { row in
            var line = ""
            for col in 0..<viewport.width {
                let o = row * viewport.width + col
                line.append(overlay[o] ?? glyph(masks[o]) ?? " ")
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    private mutating func put(_ x: Int, _ y: Int, _ c: Character) {
        if let o = offset(x, y) { overlay[o] = c }
    }

    private mutating func addMask(_ x: Int, _ y: Int, _ bits: UInt8) {
        if let o = offset(x, y) { masks[o] |= bits }
    }

    /// Marks the cells of an axis-aligned segment, clipped to the viewport first so that the
    /// long vertical runs of a tall graph cost only their visible part.
    private mutating func drawSegment(_ a: GridPoint, _ b: GridPoint) {
        if a.x == b.x {
            let lo = min(a.y, b.y), hi = max(a.y, b.y)
            guard a.x >= viewport.x, a.x < viewport.maxX else { return }
            let from = max(lo, viewport.y), to = min(hi, viewport.maxY - 1)
            guard from <= to else { return }
            for y in from...to {
                var bits: UInt8 = 0
                if y > lo { bits |= Self.up }
                if y < hi { bits |= Self.down }
                addMask(a.x, y, bits)
            }
        } else {
            precondition(a.y == b.y, "edge routes must be axis-aligned")
            let lo = min(a.x, b.x), hi = max(a.x, b.x)
            guard a.y >= viewport.y, a.y < viewport.maxY else { return }
            let from = max(lo, viewport.x), to = min(hi, viewport.maxX - 1)
            guard from <= to else { return }
            for x in from...to {
                var bits: UInt8 = 0
                if x > lo { bits |= Self.left }
                if x < hi { bits |= Self.right }
                addMask(x, a.y, bits)
            }
        }
    }

    private func glyph(_ mask: UInt8) -> Character? {
        guard mask != 0 else { return nil }
        let vertical = mask & (Self.up | Self.down) != 0
        let horizontal = mask & (Self.left | Self.right) != 0
        if style == .ascii {
            if vertical && horizontal { return "+" }
            return vertical ? "|" : "-"
        }
        switch mask {
        case Self.up, Self.down, Self.up | Self.down: return "│"
        case Self.left, Self.right, Self.left | Self.right: return "─"
        case Self.down | Self.right: return "┌"
        case Self.down | Self.left: return "┐"
        case Self.up | Self.right: return "└"
        case Self.up | Self.left: return "┘"
        case Self.up | Self.down | Self.right: return "├"
        case Self.up | Self.down | Self.left: return "┤"
        case Self.down | Self.left | Self.right: return "┬"
        case Self.up | Self.left | Self.right: return "┴"
        default: return "┼"
        }
    }
}
