import Testing
@testable import Terminal

@Suite struct BufferDiffTests {
    @Test func identicalBuffersHaveNoChanges() {
        var a = Buffer(width: 10, height: 3)
        a.setString("same", x: 1, y: 1)
        #expect(a.diff(from: a).isEmpty)
    }

    @Test func onlyChangedCellsAreReported() {
        var old = Buffer(width: 10, height: 3)
        old.setString("hello", x: 0, y: 0)
        var new = old
        new.setString("J", x: 0, y: 0)
        new.setString("!", x: 9, y: 2)
        let changes = new.diff(from: old)
        #expect(changes.map { [$0.x, $0.y] } == [[0, 0], [9, 2]])
        #expect(changes.map(\.cell.symbol) == ["J", "!"])
    }

    @Test func styleOnlyChangeIsReported() {
        let old = Buffer(width: 3, height: 1)
        var new = old
        new.setStyle(Style(bg: .ansi(.blue)), in: Rect(x: 1, y: 0, width: 1, height: 1))
        let changes = new.diff(from: old)
        #expect(changes.count == 1)
        #expect(changes.first?.x == 1)
        #expect(changes.first?.cell.bg == .ansi(.blue))
    }

    @Test func wideCharacterIsSentOnceWithoutItsRightHalf() {
        let old = Buffer(width: 4, height: 1)
        var new = old
        new.setString("中", x: 1, y: 0)
        let changes = new.diff(from: old)
        #expect(changes.map(\.x) == [1])
    }

    @Test func cellsUncoveredByAWideCharacterAreResent() {
        var old = Buffer(width: 4, height: 1)
        old.setString("中", x: 0, y: 0)
        var new = Buffer(width: 4, height: 1)
        new.setString("a", x: 0, y: 0)
        // Cell 1 is a blank in `new` and was the wide char's right half before: the terminal
        // must be told to draw it, or half of 中 would stay on screen.
        let changes = new.diff(from: old)
        #expect(changes.map(\.x) == [0, 1])
    }

    @Test func differentSizeMeansFullRedraw() {
        let old = Buffer(width: 2, height: 2)
        var new = Buffer(width: 3, height: 1)
        new.setString("中", x: 0, y: 0)
        let changes = new.diff(from: old)
        #expect(changes.map(\.x) == [0, 2])
    }
}
