/// The characters a border is drawn with.
public struct BorderSet: Hashable, Sendable {
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var horizontal: Character
    public var vertical: Character

    public init(topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character,
                horizontal: Character, vertical: Character) {
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.horizontal = horizontal
        self.vertical = vertical
    }

    /// `┌─┐│└┘`
    public static let plain = BorderSet(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│")
    /// `╭─╮│╰╯`
    public static let rounded = BorderSet(topLeft: "╭", topRight: "╮", bottomLeft: "╰", bottomRight: "╯", horizontal: "─", vertical: "│")
    /// `╔═╗║╚╝`
    public static let double = BorderSet(topLeft: "╔", topRight: "╗", bottomLeft: "╚", bottomRight: "╝", horizontal: "═", vertical: "║")
    /// `┏━┓┃┗┛`
    public static let thick = BorderSet(topLeft: "┏", topRight: "┓", bottomLeft: "┗", bottomRight: "┛", horizontal: "━", vertical: "┃")
    /// `+-+|++`, for terminals or fonts without box-drawing characters.
    public static let ascii = BorderSet(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|")
}

/// Every non-ASCII symbol the widgets draw, with an ASCII-only variant.
///
/// A view picks its glyphs from one `GlyphSet` rather than from literals, so the whole
/// application switches to ASCII (a non-UTF-8 locale, a serial console, `--ascii`) in one place.
public struct GlyphSet: Hashable, Sendable {
    public var border: BorderSet
    /// The border of the focused pane.
    public var focusedBorder: BorderSet
    /// Sparkline bars from lowest to highest.
    public var bars: [Character]
    public var ellipsis: String
    public var arrowUp: Character
    public var arrowDown: Character
    public var arrowLeft: Character
    public var arrowRight: Character
    /// Marker drawn in front of the selected row of a list.
    public var selectionMarker: Character
    public var scrollbarTrack: Character
    public var scrollbarThumb: Character

    public init(border: BorderSet, focusedBorder: BorderSet, bars: [Character], ellipsis: String,
                arrowUp: Character, arrowDown: Character, arrowLeft: Character, arrowRight: Character,
                selectionMarker: Character, scrollbarTrack: Character, scrollbarThumb: Character) {
        self.border = border
        self.focusedBorder = focusedBorder
        self.bars = bars
        self.ellipsis = ellipsis
        self.arrowUp = arrowUp
        self.arrowDown = arrowDown
        self.arrowLeft = arrowLeft
        self.arrowRight = arrowRight
        self.selectionMarker = selectionMarker
        self.scrollbarTrack = scrollbarTrack
        self.scrollbarThumb = scrollbarThumb
    }

    public static let unicode = GlyphSet(
        border: .plain, focusedBorder: .thick,
        bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], ellipsis: "…",
        arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→",
        selectionMarker: "▶", scrollbarTrack: "│", scrollbarThumb: "█")

    public static let ascii = GlyphSet(
        border: .ascii, focusedBorder: .ascii,
        bars: ["_", ".", "-", "=", "+", "*", "#", "@"], ellipsis: "...",
        arrowUp: "^", arrowDown: "v", arrowLeft: "<", arrowRight: ">",
        selectionMarker: ">", scrollbarTrack: "|", scrollbarThumb: "#")

    /// The glyphs for the current locale: ASCII unless the locale environment says UTF-8.
    public static func forEnvironment(_ environment: [String: String]) -> GlyphSet {
        let locale = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LANG"] ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8") ? .unicode : .ascii
    }
}
