/// One character cell of the screen: what is drawn there and how.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster drawn here. Empty for the second column of a wide character, which
    /// the terminal fills from the cell to its left.
    public private(set) var symbol: String
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes
    /// Columns ``symbol`` occupies, cached because the diff needs it for every cell of every frame.
    public private(set) var width: UInt8

    /// A cell with a single grapheme; the symbol must already be safe to draw (``Buffer`` takes
    /// care of that for strings it is given).
    public init(_ symbol: Character = " ", fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.symbol = String(symbol)
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
        self.width = UInt8(CharacterWidth.of(symbol))
    }

    /// A blank cell in the terminal's default colors.
    public static let blank = Cell()

    /// Whether this cell is the right half of a wide character.
    public var isContinuation: Bool { symbol.isEmpty }

    /// Replaces the symbol.
    public mutating func setSymbol(_ character: Character) {
        symbol = String(character)
        width = UInt8(CharacterWidth.of(character))
    }

    mutating func setSymbol(_ character: Character, width: Int) {
        symbol = String(character)
        self.width = UInt8(width)
    }

    mutating func makeContinuation() {
        symbol = ""
        width = 0
    }

    /// Lays `style` over this cell's colors and attributes.
    public mutating func apply(_ style: Style) {
        if let f = style.fg { fg = f }
        if let b = style.bg { bg = b }
        attributes.subtract(style.removing)
        attributes.formUnion(style.attributes)
    }

    /// The cell's look as a complete style (every field set).
    public var style: Style { Style(fg: fg, bg: bg, attributes: attributes) }

    /// This cell with its colors degraded to `depth`.
    public func degraded(to depth: ColorDepth) -> Cell {
        if depth == .trueColor { return self }
        var c = self
        c.fg = fg.degraded(to: depth)
        c.bg = bg.degraded(to: depth)
        return c
    }
}
