/// Selection and scroll position of a list or table; kept by the caller between frames.
public struct ScrollState: Hashable, Sendable {
    /// Index of the selected row, if any.
    public var selected: Int?
    /// Index of the first visible row.
    public var offset: Int

    public init(selected: Int? = nil, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Moves the selection by `delta` rows, clamped to `0..<count`.
    public mutating func move(by delta: Int, count: Int) {
        guard count > 0 else { selected = nil; return }
        selected = min(count - 1, max(0, (selected ?? 0) + delta))
    }

    public mutating func selectFirst(count: Int) { selected = count > 0 ? 0 : nil }
    public mutating func selectLast(count: Int) { selected = count > 0 ? count - 1 : nil }

    /// Adjusts ``offset`` so the selection is within `visibleRows` rows, scrolling as little as possible.
    public mutating func scrollToSelection(visibleRows: Int, count: Int) {
        let rows = max(1, visibleRows)
        offset = min(offset, max(0, count - rows))
        guard let s = selected else { return }
        if s < offset { offset = s }
        if s >= offset + rows { offset = s - rows + 1 }
        offset = max(0, offset)
    }
}
