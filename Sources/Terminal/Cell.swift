/// One character cell of the screen: what is drawn there and how.
public struct Cell: Hashable, Sendable {
    /// The grapheme cluster drawn here. Empty for the second column of a wide character, which
    /// the terminal fills from the cell to its left.
    public private(set) var symbol: String
    /// Columns ``symbol`` occupies, cached because the diff needs it for every cell of every frame.
    public private(set) var width: UInt8
    // Colors and attributes are stored packed: the diff compares every cell of every frame, and
    // comparing integers is several times faster than comparing enums with payloads.
    private var fgBits: UInt32
    private var bgBits: UInt32
    private var attributeBits: UInt8

    public var fg: Color {
        get { Color(packed: fgBits) }
        set { fgBits = newValue.packed }
    }

    public var bg: Color {
        get { Color(packed: bgBits) }
        set { bgBits = newValue.packed }
    }

    public var attributes: Attributes {
        get { Attributes(rawValue: attributeBits) }
        set { attributeBits = newValue.rawValue }
    }

    /// A cell with a single grapheme; the symbol must already be safe to draw (``Buffer`` takes
    /// care of that for strings it is given).
    public init(_ symbol: Character = " ", fg: Color = .default, bg: Color = .default, attributes: Attributes = []) {
        self.symbol = String(symbol)
        self.fgBits = fg.packed
        self.bgBits = bg.packed
        self.attributeBits = attributes.rawValue
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

    mutating func setSymbol(_ symbol: String, width: Int) {
        self.symbol = symbol
        self.width = UInt8(width)
    }

    /// Lays `style` over this cell's colors and attributes.
    @inline(__always)
    public mutating func apply(_ style: Style) {
        if let f = style.fg { fgBits = f.packed }
        if let b = style.bg { bgBits = b.packed }
        // Raw bits rather than SetAlgebra: this runs for every cell of every frame.
        attributeBits = (attributeBits & ~style.removing.rawValue) | style.attributes.rawValue
    }

    /// Cheapest differences first: the diff compares every cell of every frame, and most cells
    /// are equal, so the string comparison should run last.
    public static func == (a: Cell, b: Cell) -> Bool {
        a.width == b.width && a.attributeBits == b.attributeBits && a.fgBits == b.fgBits && a.bgBits == b.bgBits && a.symbol == b.symbol
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(symbol)
        hasher.combine(fgBits)
        hasher.combine(bgBits)
        hasher.combine(attributeBits)
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
