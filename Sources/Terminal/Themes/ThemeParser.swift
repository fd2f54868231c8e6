/// A problem in a theme or config file, pointing at the file and line.
public struct ThemeFileError: Error, Equatable, CustomStringConvertible {
    /// The file (or other source name) the text came from.
    public var source: String
    /// 1-based line number; 0 when the problem is the file as a whole.
    public var line: Int
    public var message: String

    public init(source: String, line: Int, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(source):\(line): \(message)" : "\(source): \(message)" }
}

/// Reads theme files.
///
/// Comments are lines starting with `#`, or ` # ` with whitespace on both sides to the end of a line.
///
/// The format is one setting per line; `#` starts a comment; blank lines are ignored:
///
/// ```
/// name       = dark
/// text       = #d4d4d4
/// selection  = white on #264f78 bold
/// status     = on 24
/// error      = bright-red bold underline
/// ```
///
/// The value of a role is any of: a foreground color, `on` and a background color, and
/// attributes (`bold`, `dim`, `italic`, `underline`, `reverse`), in that order or any other.
/// A color is `#rrggbb`, a palette number `0`–`255`, an ANSI name (`black`, `red`, `green`,
/// `yellow`, `blue`, `magenta`, `cyan`, `white`, each also as `bright-NAME`; `gray`/`grey` is
/// `bright-black`), or `default` for the terminal's own color. Roles are the raw values of
/// ``ThemeRole``; roles a file leaves out keep the built-in dark theme's style.
public enum ThemeParser {
    /// Parses theme text; `source` names the file in error messages.
    public static func parse(_ text: String, source: String) throws -> Theme {
        var name = baseName(source)
        var styles: [ThemeRole: Style] = [:]
        var seen: [String: Int] = [:]
        for (number, key, value) in try KeyValueLines.parse(text, source: source) {
            if let earlier = seen[key] {
                throw ThemeFileError(source: source, line: number, message: "'\(key)' is already set on line \(earlier)")
            }
            seen[key] = number
            if key == "name" {
                guard !value.isEmpty else { throw ThemeFileError(source: source, line: number, message: "empty theme name") }
                name = value
                continue
            }
            guard let role = ThemeRole(rawValue: key) else {
                throw ThemeFileError(source: source, line: number,
                                     message: "unknown role '\(key)'; known roles: name, " + ThemeRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            do {
                styles[role] = try parseStyle(value)
            } catch let message as StyleSyntaxError {
                throw ThemeFileError(source: source, line: number, message: "\(key): \(message.text)")
            }
        }
        return Theme(name: name, styles: styles)
    }

    /// Loads and parses a theme file.
    public static func load(path: String) throws -> Theme {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch let error as TextFile.ReadError {
            throw ThemeFileError(source: path, line: 0, message: error.description)
        }
        return try parse(text, source: path)
    }

    struct StyleSyntaxError: Error { var text: String }

    /// Parses the value side of a role line.
    public static func parseStyle(_ value: String) throws -> Style {
        var style = Style()
        var expectBackground = false
        var sawForeground = false
        let words = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if words.isEmpty { throw StyleSyntaxError(text: "no style given") }
        for word in words {
            let lower = word.lowercased()
            if expectBackground {
                guard let c = parseColor(lower) else { throw StyleSyntaxError(text: "'\(word)' after 'on' is not a color (\(colorHelp))") }
                style.bg = c
                expectBackground = false
                continue
            }
            switch lower {
            case "on":
                if style.bg != nil { throw StyleSyntaxError(text: "background given twice") }
                expectBackground = true
            case "bold": style.attributes.insert(.bold)
            case "dim": style.attributes.insert(.dim)
            case "italic": style.attributes.insert(.italic)
            case "underline": style.attributes.insert(.underline)
            case "reverse": style.attributes.insert(.reverse)
            default:
                guard let c = parseColor(lower) else {
                    throw StyleSyntaxError(text: "'\(word)' is neither a color (\(colorHelp)) nor an attribute (bold, dim, italic, underline, reverse)")
                }
                if sawForeground { throw StyleSyntaxError(text: "two foreground colors; use 'FG on BG' for a background") }
                style.fg = c
                sawForeground = true
            }
        }
        if expectBackground { throw StyleSyntaxError(text: "'on' must be followed by a background color") }
        return style
    }

    static let colorHelp = "#rrggbb, 0-255, an ANSI name such as bright-red, or default"

    static let ansiNames: [String: Color.ANSIColor] = {
        var names: [String: Color.ANSIColor] = [:]
        let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        for (i, n) in base.enumerated() {
            names[n] = Color.ANSIColor(rawValue: UInt8(i))!
            names["bright-" + n] = Color.ANSIColor(rawValue: UInt8(i + 8))!
        }
        names["gray"] = .brightBlack
        names["grey"] = .brightBlack
        return names
    }()

    /// Parses one color word (already lowercased).
    public static func parseColor(_ word: String) -> Color? {
        if word == "default" { return .default }
        if let a = ansiNames[word] { return .ansi(a) }
        if word.hasPrefix("#") {
            let hex = word.dropFirst()
            guard hex.count == 6, let v = UInt32(hex, radix: 16) else { return nil }
            return .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        }
        if let n = Int(word), (0...255).contains(n), word.allSatisfy(\.isASCII) {
            return .indexed(UInt8(n))
        }
        return nil
    }

    static func baseName(_ path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        return file.hasSuffix(".theme") ? String(file.dropLast(6)) : file
    }
}
