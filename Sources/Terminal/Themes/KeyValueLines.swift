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

    /// A comment is a line whose first non-blank character is `#`, or the rest of a line from a
    /// `#` that has whitespace on both sides (`text = red  # note`). Requiring the space after it
    /// keeps `#rrggbb` colors, and typos in them, from being swallowed as comments.
    static func stripComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        var sawText = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if c == "#" {
                if !sawText { return line[..<i] }
                let next = line.index(after: i)
                let followedBySpace = next == line.endIndex || line[next] == " " || line[next] == "\t"
                if (previous == " " || previous == "\t") && followedBySpace { return line[..<i] }
            }
            if c != " " && c != "\t" { sawText = true }
            previous = c
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
