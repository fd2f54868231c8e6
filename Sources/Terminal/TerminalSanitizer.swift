/// Makes untrusted text (node names, doc strings, metadata from a model file) safe to draw.
///
/// A model is input from anyone; a node named `"\u{1b}]52;c;...\u{7}"` must not be able to set
/// the clipboard, retitle the window or move the cursor. Control characters are replaced by a
/// visible escape (`\x1b`, `\n`, `\x9b`, `\u{202e}`), so the user still sees that something odd is
/// in the name instead of having it silently dropped.
public enum TerminalSanitizer {
    /// Whether the scalar must not reach the terminal raw.
    @inline(__always)
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v <= 0x9F) { return true }     // C0, DEL, C1 (0x9B is a one-byte CSI)
        if v < 0x2028 { return false }
        // Line/paragraph separators and bidirectional overrides/isolates: they reorder or break
        // what is displayed around them ("Trojan Source").
        return v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// Whether `text` can be drawn unchanged.
    public static func isSafe(_ text: some StringProtocol) -> Bool {
        for s in text.unicodeScalars where isUnsafe(s) { return false }
        return true
    }

    /// `text` with every unsafe scalar replaced by a visible escape.
    public static func sanitize(_ text: some StringProtocol) -> String {
        if isSafe(text) { return String(text) }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isUnsafe(s) {
                out.append(contentsOf: escape(s).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    static func escape(_ s: Unicode.Scalar) -> String {
        switch s.value {
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0..<0x100:
            let hex = String(s.value, radix: 16)
            return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        default:
            return "\\u{" + String(s.value, radix: 16) + "}"
        }
    }
}

/// `text` with control characters, escape sequences, C1 controls and bidi overrides made visible
/// (ESC becomes the four characters `\x1b`); see ``TerminalSanitizer``.
public func sanitizedForTerminal(_ text: some StringProtocol) -> String {
    TerminalSanitizer.sanitize(text)
}
