import Testing
@testable import Terminal

@Suite struct SanitizerTests {
    @Test func escapeSequencesBecomeVisible() {
        #expect(sanitizedForTerminal("evil\u{1b}[31mred") == "evil\\x1b[31mred")
        #expect(sanitizedForTerminal("\u{1b}]0;pwned\u{07}") == "\\x1b]0;pwned\\x07")
        #expect(sanitizedForTerminal("\u{1b}]52;c;Zm9v\u{1b}\\") == "\\x1b]52;c;Zm9v\\x1b\\")
    }

    @Test func c0C1AndDelAreEscaped() {
        #expect(sanitizedForTerminal("a\tb\nc\rd") == "a\\tb\\nc\\rd")
        #expect(sanitizedForTerminal("\u{00}\u{7f}") == "\\x00\\x7f")
        #expect(sanitizedForTerminal("x\u{9b}31m") == "x\\x9b31m")       // 8-bit CSI
        #expect(sanitizedForTerminal("\u{85}\u{9d}") == "\\x85\\x9d")
    }

    @Test func bidiOverridesAndLineSeparatorsAreEscaped() {
        #expect(sanitizedForTerminal("abc\u{202E}def") == "abc\\u{202e}def")
        #expect(sanitizedForTerminal("a\u{2028}b\u{2069}") == "a\\u{2028}b\\u{2069}")
    }

    @Test func ordinaryTextIsUnchanged() {
        let names = ["/layer1/layer1.0/conv1/Conv", "encoder.layer.3.attention", "中文 ñ é\u{301} 🙂", "a\\x1b"]
        for name in names {
            #expect(sanitizedForTerminal(name) == name)
            #expect(TerminalSanitizer.isSafe(name))
        }
    }
}
