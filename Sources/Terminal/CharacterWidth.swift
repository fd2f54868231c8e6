/// Display width of text in terminal columns.
///
/// Swift exposes no East Asian Width property and the C library's `wcwidth` depends on the
/// process locale (it answers -1 for everything non-ASCII under `LANG=C`, which is what tests and
/// CI often run with), so the width rules live here and do not depend on the environment.
public enum CharacterWidth {
    /// Columns a grapheme cluster occupies: 0, 1 or 2.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value >= 0x20 ? 1 : 0 }
        var sawVisible = false
        var width = 0
        for scalar in scalars {
            // An emoji presentation selector turns a text-style symbol (e.g. ❤) into a two-column emoji.
            if scalar.value == 0xFE0F, sawVisible, scalars.first!.properties.isEmoji { return 2 }
            let w = of(scalar)
            if !sawVisible && w > 0 { width = w; sawVisible = true }
            if w == 2 { return 2 }
        }
        return width
    }

    /// Columns a single scalar occupies on its own: 0, 1 or 2.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        // Box drawing, block elements and geometric shapes: the graph view is mostly these.
        if v >= 0x2500 && v <= 0x25FC { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        default:
            break
        }
        if v >= 0x1160 && v <= 0x11FF { return 0 }   // Hangul medial vowels and final consonants join the syllable
        if v == 0x200B { return 0 }
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Columns a string occupies.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += of(c) }
        return total
    }

    // East Asian Wide and Fullwidth blocks (Unicode 15, EastAsianWidth.txt), coarsened to
    // blocks; emoji are handled by the Emoji_Presentation property instead.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF,
        0x1B000...0x1B2FF, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248,
        0x1F250...0x1F251, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    private static func isWide(_ v: UInt32) -> Bool {
        if v < 0x1100 { return false }
        var lo = 0, hi = wideRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = wideRanges[mid]
            if v < r.lowerBound { hi = mid - 1 } else if v > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }
}

extension StringProtocol {
    /// Display width in terminal columns (East Asian wide characters count 2, combining marks 0).
    public var terminalWidth: Int { CharacterWidth.of(self) }

    /// The longest prefix that fits in `width` columns, ending in `ellipsis` when something was cut.
    public func truncated(toWidth width: Int, ellipsis: String = "…") -> String {
        if width <= 0 { return "" }
        if CharacterWidth.of(self) <= width { return String(self) }
        let ellipsisWidth = CharacterWidth.of(ellipsis)
        let budget = width - ellipsisWidth
        if budget < 0 { return "" }
        var out = "", used = 0
        for c in self {
            let w = CharacterWidth.of(c)
            if used + w > budget { break }
            out.append(c)
            used += w
        }
        return out + ellipsis
    }
}
