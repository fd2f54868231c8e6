import Testing
@testable import Terminal

@Suite struct BufferTests {
    @Test func setStringWritesAndReturnsNextColumn() {
        var b = Buffer(width: 10, height: 2)
        let end = b.setString("hello", x: 2, y: 1)
        #expect(end == 7)
        #expect(b.lines() == ["          ", "  hello   "])
    }

    @Test func setStringClipsAtBufferEdgeAndMaxWidth() {
        var b = Buffer(width: 6, height: 2)
        b.setString("abcdefgh", x: 3, y: 0)
        b.setString("abcdefgh", x: 0, y: 1, maxWidth: 2)
        #expect(b.lines() == ["   abc", "ab    "])
        // Rows outside the buffer are ignored without trapping.
        b.setString("zzz", x: 0, y: 5)
        b.setString("zzz", x: 0, y: -1)
        #expect(b.lines() == ["   abc", "ab    "])
    }

    @Test func negativeXScrollsTextOffTheLeftEdge() {
        var b = Buffer(width: 5, height: 1)
        b.setString("abcdef", x: -2, y: 0)
        #expect(b.line(0) == "cdef ")
        // A wide character straddling the left edge leaves a blank, not half a glyph.
        var c = Buffer(width: 5, height: 1)
        c.setString("中ab", x: -1, y: 0)
        #expect(c.line(0) == " ab  ")
    }

    @Test func wideCharactersTakeTwoCells() {
        var b = Buffer(width: 8, height: 1)
        let end = b.setString("a中b", x: 0, y: 0)
        #expect(end == 4)
        #expect(b[1, 0].symbol == "中")
        #expect(b[1, 0].width == 2)
        #expect(b[2, 0].isContinuation)
        #expect(b[3, 0].symbol == "b")
        #expect(b.line(0) == "a中b    ")
        #expect(b.line(0).terminalWidth == 8)
    }

    @Test func wideCharacterThatDoesNotFitIsLeftOut() {
        var b = Buffer(width: 4, height: 1)
        b.setString("ab中", x: 1, y: 0)
        #expect(b.line(0) == " ab ")
        #expect(!b[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = Buffer(width: 6, height: 1)
        b.setString("中文", x: 0, y: 0)
        b.setString("x", x: 1, y: 0)          // right half of 中
        #expect(b.line(0) == " x文  ")
        b.setString("y", x: 2, y: 0)          // left half of 文
        #expect(b.line(0) == " xy   ")
        #expect(!b[3, 0].isContinuation)
    }

    @Test func combiningMarksStayWithTheirBaseAndZeroWidthIsSkipped() {
        var b = Buffer(width: 5, height: 1)
        b.setString("e\u{301}x\u{200B}y", x: 0, y: 0)
        #expect(b[0, 0].symbol == "e\u{301}")
        #expect(b[1, 0].symbol == "x")
        #expect(b[2, 0].symbol == "y")
    }

    @Test func controlCharactersAreDrawnEscaped() {
        var b = Buffer(width: 16, height: 1)
        b.setString("a\u{1b}[2Jb", x: 0, y: 0)
        #expect(b.line(0) == "a\\x1b[2Jb       ")
        #expect(b.cells.allSatisfy { TerminalSanitizer.isSafe($0.symbol) })
    }

    @Test func stylesAreLaidOverExistingCells() {
        var b = Buffer(width: 4, height: 1)
        b.fill(b.area, style: Style(fg: .ansi(.red), bg: .ansi(.blue)))
        b.setString("ab", x: 0, y: 0, style: Style(fg: .ansi(.green), attributes: .bold))
        #expect(b[0, 0].fg == .ansi(.green))
        #expect(b[0, 0].bg == .ansi(.blue))
        #expect(b[0, 0].attributes == .bold)
        #expect(b[2, 0].fg == .ansi(.red))
        b.setStyle(Style(removing: .bold).reversed, in: Rect(x: 0, y: 0, width: 1, height: 1))
        #expect(b[0, 0].attributes == .reverse)
    }

    @Test func fillIsClippedToTheBuffer() {
        var b = Buffer(width: 4, height: 3)
        b.fill(Rect(x: 2, y: 1, width: 10, height: 10), symbol: "#")
        #expect(b.lines() == ["    ", "  ##", "  ##"])
    }

    @Test func lineWithSpansKeepsEachSpansStyle() {
        var b = Buffer(width: 8, height: 1)
        let end = b.setLine(Line([Span("ab", style: .none.bold), Span("cd", style: Style(fg: .indexed(208)))]), x: 1, y: 0, maxWidth: 3)
        #expect(end == 4)
        #expect(b.line(0) == " abc    ")
        #expect(b[1, 0].attributes == .bold)
        #expect(b[3, 0].fg == .indexed(208))
        #expect(b[3, 0].attributes == [])
    }
}
