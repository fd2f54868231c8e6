/// A terminal color, from the terminal's own default up to 24-bit RGB.
///
/// Views pick colors freely (usually through a ``Theme``); the backend degrades them to what the
/// terminal can show with ``degraded(to:)``, so no view has to care about the terminal.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background color (transparent backgrounds stay transparent).
    case `default`
    /// One of the 16 ANSI colors.
    case ansi(ANSIColor)
    /// A color of the xterm 256-color palette (0–15 are the ANSI colors, 16–231 a 6×6×6 cube,
    /// 232–255 a gray ramp).
    case indexed(UInt8)
    /// A 24-bit color.
    case rgb(UInt8, UInt8, UInt8)

    /// The 16 ANSI colors, in their standard numbering.
    public enum ANSIColor: UInt8, CaseIterable, Sendable {
        case black, red, green, yellow, blue, magenta, cyan, white
        case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
    }

    /// Returns the closest color the given depth can show.
    ///
    /// True color becomes the nearest 256-palette entry, a palette entry beyond 15 becomes the
    /// nearest ANSI color, and with ``ColorDepth/monochrome`` every color becomes ``default``.
    public func degraded(to depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (.default, _), (_, .trueColor):
            return self
        case (_, .monochrome):
            return .default
        case (.ansi, _):
            return self
        case (.indexed(let i), .indexed256):
            return i < 16 ? .ansi(ANSIColor(rawValue: i)!) : self
        case (.indexed(let i), .ansi16):
            if i < 16 { return .ansi(ANSIColor(rawValue: i)!) }
            let (r, g, b) = Color.paletteRGB(i)
            return .ansi(Color.nearestANSI(r, g, b))
        case (.rgb(let r, let g, let b), .indexed256):
            return .indexed(Color.nearestIndexed(r, g, b))
        case (.rgb(let r, let g, let b), .ansi16):
            return .ansi(Color.nearestANSI(r, g, b))
        }
    }

    /// The color as one integer (kind in the top byte, value below), for fast storage and comparison in cells.
    @inline(__always)
    var packed: UInt32 {
        switch self {
        case .default: return 0
        case .ansi(let a): return 0x0100_0000 | UInt32(a.rawValue)
        case .indexed(let i): return 0x0200_0000 | UInt32(i)
        case .rgb(let r, let g, let b): return 0x0300_0000 | UInt32(r) << 16 | UInt32(g) << 8 | UInt32(b)
        }
    }

    @inline(__always)
    init(packed: UInt32) {
        let v = packed & 0xFF_FFFF
        switch packed >> 24 {
        case 1: self = .ansi(ANSIColor(rawValue: UInt8(v & 0x0F))!)
        case 2: self = .indexed(UInt8(v & 0xFF))
        case 3: self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        default: self = .default
        }
    }

    /// The RGB value this color is drawn with by a typical xterm, or `nil` for ``default``.
    public var rgbValue: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case .ansi(let a): return Color.paletteRGB(a.rawValue)
        case .indexed(let i): return Color.paletteRGB(i)
        case .rgb(let r, let g, let b): return (r, g, b)
        }
    }

    // xterm's defaults for the 16 ANSI colors; distances are measured against these.
    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
        (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0),
        (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]

    static func paletteRGB(_ index: UInt8) -> (UInt8, UInt8, UInt8) {
        switch index {
        case 0..<16:
            return ansiRGB[Int(index)]
        case 16..<232:
            let i = Int(index) - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let v = UInt8(8 + 10 * (Int(index) - 232))
            return (v, v, v)
        }
    }

    /// "Redmean" weighted distance: cheap, and much closer to perceived difference than plain
    /// Euclidean RGB, which matters when a whole theme collapses onto 16 colors.
    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let rMean = (Int(a.0) + Int(b.0)) / 2
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return (((512 + rMean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rMean) * db * db) >> 8)
    }

    static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> ANSIColor {
        var best = 0, bestDistance = Int.max
        for (i, c) in ansiRGB.enumerated() {
            let d = distance((r, g, b), c)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return ANSIColor(rawValue: UInt8(best))!
    }

    // Only the cube and the gray ramp are candidates: entries 0–15 are redefined by most
    // terminal color schemes, so mapping onto them would not give the requested color.
    static func nearestIndexed(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func cubeStep(_ v: UInt8) -> Int {
            var best = 0
            for (i, level) in cubeLevels.enumerated() where abs(Int(level) - Int(v)) < abs(Int(cubeLevels[best]) - Int(v)) {
                best = i
            }
            return best
        }
        let cr = cubeStep(r), cg = cubeStep(g), cb = cubeStep(b)
        let cubeIndex = UInt8(16 + 36 * cr + 6 * cg + cb)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grayStep = max(0, min(23, (average - 8 + 5) / 10))
        let grayIndex = UInt8(232 + grayStep)
        let target = (r, g, b)
        return distance(target, paletteRGB(grayIndex)) < distance(target, paletteRGB(cubeIndex)) ? grayIndex : cubeIndex
    }
}

/// How many colors a terminal can show; ordered from fewest to most.
public enum ColorDepth: Int, Comparable, Sendable, CaseIterable {
    /// No colors at all (monochrome terminal, or the user set `NO_COLOR`).
    case monochrome
    /// The 16 ANSI colors.
    case ansi16
    /// The xterm 256-color palette.
    case indexed256
    /// 24-bit RGB.
    case trueColor

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decides the depth to draw with from what the terminal reports and the environment.
    ///
    /// `NO_COLOR` (any non-empty value, see no-color.org) wins over everything. Otherwise the
    /// terminal's own capability decides: `terminalColors` is ncurses' `COLORS`, and
    /// `directColor` its terminfo `RGB` flag; ncurses can only emit 24-bit colors on terminals
    /// whose terminfo entry says so (e.g. `TERM=xterm-direct`), so `COLORTERM=truecolor` alone
    /// does not raise the depth.
    public static func detect(terminalColors: Int, directColor: Bool, environment: [String: String]) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        if directColor && terminalColors >= 1 << 24 { return .trueColor }
        if terminalColors >= 256 { return .indexed256 }
        if terminalColors >= 8 { return .ansi16 }
        return .monochrome
    }
}
