import Testing
@testable import Terminal

@Suite struct InputDecoderTests {
    func keys(_ s: String) -> [Event] { InputDecoder.decode(s) }

    @Test func csiCursorAndEditingKeys() {
        #expect(keys("\u{1b}[A\u{1b}[B\u{1b}[C\u{1b}[D") == [.key(.up), .key(.down), .key(.right), .key(.left)])
        #expect(keys("\u{1b}[H\u{1b}[F\u{1b}[1~\u{1b}[4~") == [.key(.home), .key(.end), .key(.home), .key(.end)])
        #expect(keys("\u{1b}[5~\u{1b}[6~\u{1b}[2~\u{1b}[3~") == [.key(.pageUp), .key(.pageDown), .key(.insert), .key(.delete)])
        #expect(keys("\u{1b}[Z") == [.key(.backTab)])
        #expect(keys("\u{1b}[1;5A") == [.key(.up)])       // modifiers ignored, key kept
    }

    @Test func functionKeys() {
        #expect(keys("\u{1b}OP\u{1b}OQ\u{1b}OR\u{1b}OS") == (1...4).map { .key(.function($0)) })
        #expect(keys("\u{1b}[15~\u{1b}[17~\u{1b}[21~\u{1b}[23~\u{1b}[24~") == [5, 6, 10, 11, 12].map { .key(.function($0)) })
        #expect(keys("\u{1b}[11~") == [.key(.function(1))])
    }

    @Test func ss3ApplicationCursorKeys() {
        #expect(keys("\u{1b}OA\u{1b}OD") == [.key(.up), .key(.left)])
    }

    @Test func altKeysAndLoneEscape() {
        #expect(keys("\u{1b}x") == [.key(.alt(.char("x")))])
        #expect(keys("\u{1b}") == [.key(.escape)])
        #expect(keys("\u{1b}\u{1b}") == [.key(.escape), .key(.escape)])
        #expect(keys("\u{1b}\u{7f}") == [.key(.alt(.backspace))])
        #expect(keys("\u{1b}[") == [.key(.alt(.char("[")))])
    }

    @Test func controlAndPlainKeys() {
        #expect(keys("\u{03}\u{0c}") == [.key(.ctrl("c")), .key(.ctrl("l"))])
        #expect(keys("\r\t\u{7f}") == [.key(.enter), .key(.tab), .key(.backspace)])
        #expect(keys("j/中") == [.key(.char("j")), .key(.char("/")), .key(.char("中"))])
    }

    @Test func unknownAndTruncatedSequencesProduceNoKeys() {
        #expect(keys("\u{1b}[99~q") == [.key(.char("q"))])
        #expect(keys("\u{1b}[12") == [])
        #expect(keys("\u{1b}[?1;2c") == [])          // a device attributes reply, not input
    }

    @Test func sgrMouse() {
        #expect(keys("\u{1b}[<0;10;5M") == [.mouse(MouseEvent(kind: .press(.left), x: 9, y: 4))])
        #expect(keys("\u{1b}[<0;10;5m") == [.mouse(MouseEvent(kind: .release(.left), x: 9, y: 4))])
        #expect(keys("\u{1b}[<2;1;1M") == [.mouse(MouseEvent(kind: .press(.right), x: 0, y: 0))])
        #expect(keys("\u{1b}[<64;3;4M\u{1b}[<65;3;4M") == [
            .mouse(MouseEvent(kind: .wheelUp, x: 2, y: 3)),
            .mouse(MouseEvent(kind: .wheelDown, x: 2, y: 3)),
        ])
        #expect(keys("\u{1b}[<32;3;4M") == [])        // drag motion is ignored
    }

    @Test func cursesKeyCodesMapToKeys() {
        // Numbers are ncurses' own (curses.h, octal).
        #expect(CursesKeyMap.key(forCode: 0o403) == .up)
        #expect(CursesKeyMap.key(forCode: 0o402) == .down)
        #expect(CursesKeyMap.key(forCode: 0o404) == .left)
        #expect(CursesKeyMap.key(forCode: 0o405) == .right)
        #expect(CursesKeyMap.key(forCode: 0o522) == .pageDown)
        #expect(CursesKeyMap.key(forCode: 0o523) == .pageUp)
        #expect(CursesKeyMap.key(forCode: 0o406) == .home)
        #expect(CursesKeyMap.key(forCode: 0o550) == .end)
        #expect(CursesKeyMap.key(forCode: 0o512) == .delete)
        #expect(CursesKeyMap.key(forCode: 0o407) == .backspace)
        #expect(CursesKeyMap.key(forCode: 0o541) == .backTab)
        #expect(CursesKeyMap.key(forCode: 0o410 + 1) == .function(1))
        #expect(CursesKeyMap.key(forCode: 0o410 + 12) == .function(12))
        #expect(CursesKeyMap.key(forCode: 0o410 + 13) == .function(1))   // Shift-F1
        #expect(CursesKeyMap.key(forCode: 0o777) == nil)
    }
}
