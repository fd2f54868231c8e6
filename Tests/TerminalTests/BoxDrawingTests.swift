import Testing
@testable import Terminal

@Suite struct BoxDrawingTests {
    @Test func unicodeBox() {
        var b = Buffer(width: 6, height: 4)
        b.drawBox(Rect(x: 0, y: 0, width: 5, height: 3))
        #expect(b.lines() == [
            "┌───┐ ",
            "│   │ ",
            "└───┘ ",
            "      ",
        ])
    }

    @Test func asciiBox() {
        var b = Buffer(width: 5, height: 3)
        b.drawBox(b.area, border: .ascii)
        #expect(b.lines() == [
            "+---+",
            "|   |",
            "+---+",
        ])
    }

    @Test func roundedAndDoubleSets() {
        var b = Buffer(width: 6, height: 2)
        b.drawBox(Rect(x: 0, y: 0, width: 3, height: 2), border: .rounded)
        b.drawBox(Rect(x: 3, y: 0, width: 3, height: 2), border: .double)
        #expect(b.lines() == ["╭─╮╔═╗", "╰─╯╚═╝"])
    }

    @Test func boxIsClippedAndDegenerateSizesDoNotTrap() {
        var b = Buffer(width: 4, height: 2)
        b.drawBox(Rect(x: 2, y: 0, width: 5, height: 5))
        #expect(b.lines() == ["  ┌─", "  │ "])
        var c = Buffer(width: 3, height: 3)
        c.drawBox(Rect(x: 0, y: 0, width: 1, height: 1))
        c.drawBox(Rect(x: 1, y: 0, width: 1, height: 3))
        c.drawBox(Rect(x: 0, y: 0, width: 0, height: 3))
        #expect(c.lines() == ["┌┌ ", " │ ", " └ "])
    }

    @Test func boxStyleIsApplied() {
        var b = Buffer(width: 3, height: 3)
        b.drawBox(b.area, style: Style(fg: .ansi(.cyan)))
        #expect(b[0, 0].fg == .ansi(.cyan))
        #expect(b[2, 1].fg == .ansi(.cyan))
        #expect(b[1, 1].fg == .default)
    }
}
