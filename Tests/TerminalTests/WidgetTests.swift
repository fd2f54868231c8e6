import Testing
@testable import Terminal

@Suite struct WidgetTests {
    @Test func layoutSplitsFixedPercentAndFill() {
        let area = Rect(x: 0, y: 0, width: 100, height: 10)
        let parts = Layout.horizontal([.length(10), .percentage(20), .fill(1), .fill(3)]).split(area)
        #expect(parts.map(\.width) == [10, 20, 17, 53])
        #expect(parts.map(\.x) == [0, 10, 30, 47])
        let rows = Layout.vertical([.length(1), .min(3), .length(1)], spacing: 1).split(area)
        #expect(rows.map(\.height) == [1, 6, 1])
        #expect(rows.map(\.y) == [0, 2, 9])
        // Too little space: fixed parts are served in order and later ones shrink.
        let tight = Layout.vertical([.length(4), .length(4)]).split(Rect(x: 0, y: 0, width: 1, height: 5))
        #expect(tight.map(\.height) == [4, 1])
    }

    @Test func paragraphWrapsAtWordsAndScrolls() {
        let p = Paragraph("the quick brown fox\nsecond", wrap: true)
        #expect(p.rows(width: 10).map(\.plainText) == ["the quick", "brown fox", "second"])
        var b = Buffer(width: 10, height: 2)
        var scrolled = p
        scrolled.scroll = 1
        scrolled.render(in: b.area, buffer: &b)
        #expect(b.lines() == ["brown fox ", "second    "])
        // A word longer than the width is broken rather than lost.
        #expect(Paragraph("abcdefghij", wrap: true).rows(width: 4).map(\.plainText) == ["abcd", "efgh", "ij"])
    }

    @Test func alignedLines() {
        var b = Buffer(width: 9, height: 2)
        Line("ab", alignment: .right).render(in: Rect(x: 0, y: 0, width: 9, height: 1), buffer: &b)
        Line("abc", alignment: .center).render(in: Rect(x: 0, y: 1, width: 9, height: 1), buffer: &b)
        #expect(b.lines() == ["       ab", "   abc   "])
    }

    @Test func listKeepsSelectionVisible() {
        var b = Buffer(width: 6, height: 3)
        var state = ScrollState(selected: 4)
        ListView((0..<10).map { Line("item\($0)") }).render(in: b.area, buffer: &b, state: &state)
        #expect(state.offset == 2)
        #expect(b.lines() == ["item2 ", "item3 ", "item4 "])
        #expect(b[0, 2].attributes.contains(.reverse))
        #expect(!b[0, 1].attributes.contains(.reverse))
        state.move(by: -4, count: 10)
        ListView((0..<10).map { Line("item\($0)") }).render(in: b.area, buffer: &b, state: &state)
        #expect(state.offset == 0)
        #expect(b.line(0) == "item0 ")
        state.move(by: 100, count: 10)
        #expect(state.selected == 9)
    }

    @Test func tableWithHeaderColumnsAndSelection() {
        let table = Table(
            columns: [.init("op", width: .length(6)), .init("count", width: .length(5), alignment: .right), .init("name", width: .fill(1))],
            rows: [["Conv", "53", "conv1"], ["Relu", "49", "relu_very_long_name"], ["Add", "16", "add"]],
            selectionStyle: Style(bg: .ansi(.blue)))
        var b = Buffer(width: 24, height: 3)
        var state = ScrollState(selected: 2)
        table.render(in: b.area, buffer: &b, state: &state)
        #expect(b.lines() == [
            "op     count name       ",
            "Relu      49 relu_very_l",
            "Add       16 add        ",
        ])
        #expect(b[0, 0].attributes.contains(.bold))
        #expect(b[23, 2].bg == .ansi(.blue))
        #expect(b[23, 1].bg == .default)
    }

    @Test func blockInnerAreaAndTitleClipping() {
        let block = Block(title: "a very long title")
        #expect(block.inner(Rect(x: 0, y: 0, width: 10, height: 5)) == Rect(x: 1, y: 1, width: 8, height: 3))
        var b = Buffer(width: 10, height: 3)
        block.render(in: b.area, buffer: &b)
        #expect(b.lines() == ["┌─a very─┐", "│        │", "└────────┘"])
        #expect(Block(title: "t", border: nil).inner(Rect(x: 0, y: 0, width: 4, height: 4)) == Rect(x: 0, y: 1, width: 4, height: 3))
    }

    @Test func sparklineStrings() {
        #expect(Sparkline.string([0, 1, 2, 3, 4, 5, 6, 7]) == " ▁▂▃▅▆▇█")
        #expect(Sparkline.string([1, 1, 1]) == "███")
        #expect(Sparkline.string([0, 0]) == "  ")
        #expect(Sparkline.string([0, .nan, 4], bars: GlyphSet.ascii.bars) == "  @")
        #expect(Sparkline.string([1, 2, 3, 4, 5, 6, 7, 8], width: 4) == "▂▄▆█")
        #expect(Sparkline.string([0.001, 100]).first == "▁")     // tiny but non-zero stays visible
    }

    @Test func statusBarKeepsRightSideAndTruncatesLeft() {
        var b = Buffer(width: 16, height: 1)
        StatusBar(left: ["model.onnx", "1234 nodes"], right: ["?:help"]).render(in: b.area, buffer: &b)
        #expect(b.line(0) == "model.on… ?:help")
    }

    @Test func textWidthAndTruncation() {
        #expect("abc".terminalWidth == 3)
        #expect("中文".terminalWidth == 4)
        #expect("e\u{301}".terminalWidth == 1)
        #expect("🙂".terminalWidth == 2)
        #expect("❤\u{FE0F}".terminalWidth == 2)
        #expect("한국".terminalWidth == 4)
        #expect("\u{1100}\u{1161}".terminalWidth == 2)      // conjoining jamo form one wide syllable
        #expect("abcdef".truncated(toWidth: 4) == "abc…")
        #expect("中文字".truncated(toWidth: 4) == "中…")
        #expect("abcdef".truncated(toWidth: 5, ellipsis: "...") == "ab...")
        #expect("ab".truncated(toWidth: 5) == "ab")
    }

    @Test func glyphsFollowLocale() {
        #expect(GlyphSet.forEnvironment(["LANG": "en_US.UTF-8"]) == .unicode)
        #expect(GlyphSet.forEnvironment(["LANG": "C"]) == .ascii)
        #expect(GlyphSet.forEnvironment(["LANG": "en_US.UTF-8", "LC_ALL": "C"]) == .ascii)
        #expect(GlyphSet.forEnvironment(["LC_CTYPE": "C.utf8"]) == .unicode)
    }
}
