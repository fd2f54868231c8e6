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
                        let current = next[row + x]
                        let before = prev[row + x]
                        if !current.isContinuation && toSkip == 0 && (invalidated > 0 || current != before) {
                            changes.append(CellChange(x: x, y: y, cell: current))
                        }
                        toSkip = max(0, Int(current.width) - 1)
                        let affected = max(Int(current.width), Int(before.width))
                        invalidated = max(affected, invalidated) - 1
                        if invalidated < 0 { invalidated = 0 }
                    }
                }
            }
        }
        return changes
    }
}
