/// Text attributes a cell can carry.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let dim = Attributes(rawValue: 1 << 1)
    public static let italic = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
    public static let reverse = Attributes(rawValue: 1 << 4)
}

/// A partial style that is laid over what a cell already has.
///
/// `nil` colors keep the cell's color, so a selection highlight can change only the background
/// of a row whose text colors were set by another widget.
public struct Style: Hashable, Sendable {
    /// Foreground to set, or `nil` to keep the existing one.
    public var fg: Color?
    /// Background to set, or `nil` to keep the existing one.
    public var bg: Color?
    /// Attributes to add.
    public var attributes: Attributes
    /// Attributes to remove (applied before ``attributes`` are added).
    public var removing: Attributes

    public init(fg: Color? = nil, bg: Color? = nil, attributes: Attributes = [], removing: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
        self.removing = removing
    }

    /// A style that changes nothing.
    public static let none = Style()

    /// This style with `other` laid on top of it.
    public func patched(with other: Style) -> Style {
        Style(fg: other.fg ?? fg,
              bg: other.bg ?? bg,
              attributes: attributes.subtracting(other.removing).union(other.attributes),
              removing: removing.subtracting(other.attributes).union(other.removing))
    }

    public func fg(_ color: Color) -> Style { var s = self; s.fg = color; return s }
    public func bg(_ color: Color) -> Style { var s = self; s.bg = color; return s }
    public func adding(_ a: Attributes) -> Style { var s = self; s.attributes.formUnion(a); s.removing.subtract(a); return s }
    public var bold: Style { adding(.bold) }
    public var dim: Style { adding(.dim) }
    public var italic: Style { adding(.italic) }
    public var underline: Style { adding(.underline) }
    public var reversed: Style { adding(.reverse) }
}
