/// One cell the backend has to redraw.
public struct CellChange: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}

extension Buffer {
    /// The cells of `self` that differ from `previous`, in row-major order.
    ///
    /// Right halves of wide characters are never emitted (drawing the wide character redraws
    /// them), and a cell that used to be covered by a wide character is emitted even if it is
    /// unchanged, because the terminal lost it when the wide character was drawn. A `previous`
    /// of a different size means everything is emitted.
    public func diff(from previous: Buffer) -> [CellChange] {
        var changes: [CellChange] = []
        changes.reserveCapacity(cells.count / 8)
        if previous.width != width || previous.height != height {
            for y in 0..<height {
                for x in 0..<width where !cells[index(x, y)].isContinuation {
                    changes.append(CellChange(x: x, y: y, cell: cells[index(x, y)]))
                }
            }
            return changes
        }
        cells.withUnsafeBufferPointer { next in
            previous.cells.withUnsafeBufferPointer { prev in
                for y in 0..<height {
                    var invalidated = 0
                    var toSkip = 0
                    let row = y * width
                    for x in 0..<width {
                        let i = row + x
                        // Fields are read in place and compared with `==` directly: copying
                        // cells or going through the generic `!=` costs more than the comparison.
                        let currentWidth = Int(next[i].width)
                        let continuation = currentWidth == 0 && next[i].symbol.isEmpty
                        if !continuation && toSkip == 0 && (invalidated > 0 || !(next[i] == prev[i])) {
                            changes.append(CellChange(x: x, y: y, cell: next[i]))
                        }
                        toSkip = max(0, currentWidth - 1)
                        let affected = max(currentWidth, Int(prev[i].width))
                        invalidated = max(affected, invalidated) - 1
                        if invalidated < 0 { invalidated = 0 }
                    }
                }
            }
        }
        return changes
    }
}
