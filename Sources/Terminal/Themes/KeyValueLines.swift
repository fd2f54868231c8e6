/// The `key = value` line format shared by theme files and the config file.
enum KeyValueLines {
    /// (line number, key, value) for every setting; comments and blank lines are skipped.
    static func parse(_ text: String, source: String) throws -> [(Int, String, String)] {
        var out: [(Int, String, String)] = []
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = stripComment(Substring(rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine))
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw ThemeFileError(source: source, line: number, message: "expected 'key = value', got '\(sanitizedForTerminal(trimmed))'")
            }
            let key = trimmed[..<eq].trimmingSpaces.lowercased()
            let value = trimmed[trimmed.index(after: eq)...].trimmingSpaces
            if key.isEmpty { throw ThemeFileError(source: source, line: number, message: "missing key before '='") }
            if value.isEmpty { throw ThemeFileError(source: source, line: number, message: "missing value for '\(sanitizedForTerminal(key))'") }
            out.append((number, key, value))
        }
        return out
    }

    /// A `#` starts a comment when it is the first non-blank character of the line, or when it
    /// follows whitespace and is not a `#rrggbb` color (colors and comments share the character).
    static func stripComment(_ line: Substring) -> Substring {
        var previousIsSpace = true
        var sawText = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "#" && !sawText { return line[..<i] }
            if c == "#" && previousIsSpace {
                let rest = line[line.index(after: i)...]
                let hex = rest.prefix(while: { $0.isHexDigit })
                let after = rest.dropFirst(hex.count).first
                let isColor = hex.count == 6 && (after == nil || after == " " || after == "\t")
                if !isColor { return line[..<i] }
            }
            previousIsSpace = c == " " || c == "\t"
            if !previousIsSpace { sawText = true }
            i = line.index(after: i)
        }
        return line
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
