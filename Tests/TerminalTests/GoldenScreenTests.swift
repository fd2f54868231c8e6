import Testing
@testable import Terminal

/// Renders a small composed screen through a real `Terminal` into the in-memory backend and
/// compares the whole screen, the way the explorer's golden screens work.
@Suite struct GoldenScreenTests {
    struct DrawFailure: Error {}

    static let theme = Theme.builtinDark

    static func render(_ terminal: Terminal<TestBackend>, selected: Int) {
        terminal.draw { frame in
            let (main, status) = frame.area.splitBottom(1)
            let (panel, spark) = main.splitBottom(1)
            frame.buffer.fill(frame.area, style: theme.base)
            let block = Block(title: "Ops", border: frame.glyphs.border, borderStyle: theme[.border], titleStyle: theme[.title])
            frame.render(block, in: panel)
            var state = ScrollState(selected: selected)
            ListView(["Conv  53", "Relu  49", "Add  16"], selectionStyle: theme[.selection], selectionMarker: String(frame.glyphs.selectionMarker))
                .render(in: block.inner(panel), buffer: &frame.buffer, state: &state)
            frame.render(Sparkline([0, 1, 2, 3, 4, 5, 6, 7], glyphs: frame.glyphs), in: spark.inset(left: 1))
            frame.render(StatusBar(left: ["resnet50", "175 nodes"], right: ["?:help"], style: theme[.statusBar]), in: status)
        }
    }

    @Test func composedLayoutUnicode() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 1)
        #expect(backend.lines() == [
            "┌─Ops────────────────────────┐",
            "│  Conv  53                  │",
            "│▶ Relu  49                  │",
            "│  Add  16                   │",
            "│                            │",
            "└────────────────────────────┘",
            "  ▁▂▃▅▆▇█                     ",
            "resnet50  175 nodes     ?:help",
        ])
        // Styles: border, title, selection across the whole inner row, status bar.
        #expect(backend.style(x: 0, y: 0).fg == Self.theme[.border].fg)
        #expect(backend.cell(x: 2, y: 0).attributes.contains(.bold))
        #expect(backend.style(x: 3, y: 2).bg == Self.theme[.selection].bg)
        #expect(backend.style(x: 27, y: 2).bg == Self.theme[.selection].bg)
        #expect(backend.style(x: 3, y: 1).bg == Self.theme[.background].bg)
        #expect(backend.style(x: 0, y: 7).bg == Self.theme[.statusBar].bg)
        #expect(backend.cursorVisible == false)
    }

    @Test func composedLayoutASCII() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend, glyphs: .ascii)
        Self.render(terminal, selected: 0)
        #expect(backend.renderedText == """
            +-Ops------------------------+
            |> Conv  53                  |
            |  Relu  49                  |
            |  Add  16                   |
            |                            |
            +----------------------------+
              _.-+*#@                     
            resnet50  175 nodes     ?:help
            """)
        #expect(backend.lines().joined().unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func secondFrameFlushesOnlyWhatChanged() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 1)
        #expect(backend.lastFlushedChanges.count == 30 * 8)
        Self.render(terminal, selected: 2)
        let rows = Set(backend.lastFlushedChanges.map(\.y))
        #expect(rows == [2, 3])
        #expect(backend.lines()[2] == "│  Relu  49                  │")
        #expect(backend.lines()[3] == "│▶ Add  16                   │")
        Self.render(terminal, selected: 2)
        #expect(backend.lastFlushedChanges.isEmpty)
        #expect(backend.flushCount == 3)
    }

    @Test func resizeRedrawsEverythingAtTheNewSize() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 0)
        backend.resize(width: 20, height: 4)
        #expect(terminal.readEvent(timeoutMilliseconds: 0) == .resize(width: 20, height: 4))
        let stats = Self.render2(terminal)
        #expect(stats.fullRedraw)
        #expect(stats.changedCells == 20 * 4)
        #expect(backend.lines() == [
            "┌─Ops──────────────┐",
            "│▶ Conv  53        │",
            "└──────────────────┘",
            "resnet50  175 nod… ?",
        ])
        #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    }

    static func render2(_ terminal: Terminal<TestBackend>) -> FrameStats {
        terminal.draw { frame in
            let (panel, status) = frame.area.splitBottom(1)
            let block = Block(title: "Ops")
            frame.render(block, in: panel)
            var state = ScrollState(selected: 0)
            ListView(["Conv  53", "Relu  49"], selectionMarker: "▶").render(in: block.inner(panel), buffer: &frame.buffer, state: &state)
            frame.render(StatusBar(left: ["resnet50", "175 nodes"], right: ["?"]), in: status)
        }
    }

    @Test func noColorDropsColorsButKeepsAttributes() {
        let backend = TestBackend(width: 30, height: 8, colorDepth: .monochrome)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 1)
        #expect(backend.style(x: 3, y: 2) == Style(fg: .default, bg: .default, attributes: .bold))
        #expect(backend.cell(x: 0, y: 0).fg == .default)
    }

    @Test func sixteenColorTerminalGetsANSIColors() {
        let backend = TestBackend(width: 30, height: 8, colorDepth: .ansi16)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 1)
        for y in 0..<8 {
            for x in 0..<30 {
                let c = backend.cell(x: x, y: y)
                for color in [c.fg, c.bg] {
                    if case .rgb = color { Issue.record("true color left at \(x),\(y)") }
                    if case .indexed = color { Issue.record("palette color left at \(x),\(y)") }
                }
            }
        }
    }

    @Test func aThrowingDrawLeavesTheTerminalUsable() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend)
        #expect(throws: DrawFailure.self) {
            try terminal.draw { frame in
                frame.buffer.setString("half", x: 0, y: 0)
                throw DrawFailure()
            }
        }
        #expect(backend.flushCount == 0)
        Self.render(terminal, selected: 0)
        #expect(backend.lines()[1] == "│▶ Conv  53                  │")
    }

    @Test func repaintRequestForcesAFullFrame() {
        let backend = TestBackend(width: 30, height: 8)
        let terminal = Terminal(backend: backend)
        Self.render(terminal, selected: 0)
        backend.requestRepaint()
        Self.render(terminal, selected: 0)      // the backend reports the request after this flush
        Self.render(terminal, selected: 0)
        #expect(backend.lastFlushedChanges.count == 30 * 8)
    }

    @Test func frameCursorIsShownAndHidden() {
        let backend = TestBackend(width: 10, height: 2)
        let terminal = Terminal(backend: backend)
        terminal.draw { frame in frame.cursor = (3, 1) }
        #expect(backend.cursorVisible)
        #expect(backend.cursorPosition == (3, 1))
        terminal.draw { _ in }
        #expect(!backend.cursorVisible)
    }
}
