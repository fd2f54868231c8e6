/// A cell on the character grid. `x` grows to the right, `y` grows downwards.
public struct GridPoint: Hashable, Sendable, CustomStringConvertible {
    /// Column, 0 at the left.
    public var x: Int
    /// Row, 0 at the top.
    public var y: Int

    /// A cell at column `x`, row `y`.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    public var description: String { "(\(x),\(y))" }
}

/// A rectangle of grid cells. `maxX`/`maxY` are exclusive, so a 1×1 rect covers exactly one cell.
public struct GridRect: Hashable, Sendable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Number of columns; zero or less means empty.
    public var width: Int
    /// Number of rows; zero or less means empty.
    public var height: Int

    /// A rect with its top-left cell at (`x`, `y`).
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// First column to the right of the rect (exclusive bound).
    public var maxX: Int { x + width }
    /// First row below the rect (exclusive bound).
    public var maxY: Int { y + height }
    /// True when the rect covers no cell.
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// True when the cell `p` lies inside.
    public func contains(_ p: GridPoint) -> Bool {
        p.x >= x && p.x < maxX && p.y >= y && p.y < maxY
    }

    /// True when the two rects share at least one cell (touching edges do not count).
    public func intersects(_ other: GridRect) -> Bool {
        !isEmpty && !other.isEmpty
            && x < other.maxX && other.x < maxX
            && y < other.maxY && other.y < maxY
    }

    /// The smallest rect covering both; an empty rect is ignored so it can seed a fold.
    public func union(_ other: GridRect) -> GridRect {
        if isEmpty { return other }
        if other.isEmpty { return self }
        let minX = Swift.min(x, other.x), minY = Swift.min(y, other.y)
        return GridRect(x: minX, y: minY,
                        width: Swift.max(maxX, other.maxX) - minX,
                        height: Swift.max(maxY, other.maxY) - minY)
    }

    /// The cells covered by the axis-aligned segment from `a` to `b`, endpoints included.
    public static func covering(_ a: GridPoint, _ b: GridPoint) -> GridRect {
        let minX = Swift.min(a.x, b.x), minY = Swift.min(a.y, b.y)
        return GridRect(x: minX, y: minY,
                        width: Swift.max(a.x, b.x) - minX + 1,
                        height: Swift.max(a.y, b.y) - minY + 1)
    }

    public var description: String { "[\(x),\(y) \(width)x\(height)]" }
}
