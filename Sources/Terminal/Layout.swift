/// How much of an axis one part of a ``Layout`` gets.
public enum Constraint: Hashable, Sendable {
    /// Exactly this many cells (less if the space runs out).
    case length(Int)
    /// This percentage of the whole axis.
    case percentage(Int)
    /// At least this many cells, plus a share of whatever is left over.
    case min(Int)
    /// A share of whatever is left over, weighted by the value (`.fill(1)` twice splits evenly).
    case fill(Int)
}

/// Splits a rectangle into rows or columns; a much smaller cousin of ratatui's `Layout`.
public struct Layout: Sendable {
    public enum Direction: Sendable { case horizontal, vertical }

    public var direction: Direction
    public var constraints: [Constraint]
    /// Cells left empty between neighbouring parts.
    public var spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = spacing
    }

    public static func vertical(_ constraints: [Constraint], spacing: Int = 0) -> Layout { Layout(.vertical, constraints, spacing: spacing) }
    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0) -> Layout { Layout(.horizontal, constraints, spacing: spacing) }

    /// One rectangle per constraint, in order. Fixed sizes are served first (left to right, so
    /// the last ones shrink on a too-small screen), then leftover space goes to `min`/`fill`.
    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .horizontal ? area.width : area.height
        let gaps = Swift.max(0, constraints.count - 1) * spacing
        var remaining = Swift.max(0, total - gaps)
        var sizes = [Int](repeating: 0, count: constraints.count)
        var weights = [Int](repeating: 0, count: constraints.count)
        for (i, c) in constraints.enumerated() {
            let wanted: Int
            switch c {
            case .length(let n): wanted = n
            case .percentage(let p): wanted = total * p / 100
            case .min(let n): wanted = n; weights[i] = 1
            case .fill(let w): wanted = 0; weights[i] = Swift.max(0, w)
            }
            let granted = Swift.min(Swift.max(0, wanted), remaining)
            sizes[i] = granted
            remaining -= granted
        }
        let weightSum = weights.reduce(0, +)
        if weightSum > 0 && remaining > 0 {
            var handedOut = 0
            let lastWeighted = weights.lastIndex(where: { $0 > 0 })!
            for i in weights.indices where weights[i] > 0 {
                let share = i == lastWeighted ? remaining - handedOut : remaining * weights[i] / weightSum
                sizes[i] += share
                handedOut += share
            }
        }
        var rects: [Rect] = []
        var offset = direction == .horizontal ? area.x : area.y
        for size in sizes {
            switch direction {
            case .horizontal: rects.append(Rect(x: offset, y: area.y, width: size, height: area.height))
            case .vertical: rects.append(Rect(x: area.x, y: offset, width: area.width, height: size))
            }
            offset += size + spacing
        }
        return rects
    }
}
