/// A bucket grid over the drawing so a renderer can fetch only what a viewport shows.
///
/// Items are registered in every bucket their rect (or segment) touches; a query visits the
/// buckets under the viewport, then filters exactly. Cost is proportional to what is visible,
/// not to the graph, which is what keeps a 30k-node graph scrolling at terminal frame rates.
struct SpatialIndex: Sendable {
    static let bucketWidth = 32
    static let bucketHeight = 16

    private let columns: Int
    private let rows: Int
    private var nodeBuckets: [[Int32]]
    private var edgeBuckets: [[Int32]]

    init(width: Int, height: Int) {
        columns = max(1, (width + Self.bucketWidth - 1) / Self.bucketWidth)
        rows = max(1, (height + Self.bucketHeight - 1) / Self.bucketHeight)
        nodeBuckets = Array(repeating: [], count: columns * rows)
        edgeBuckets = Array(repeating: [], count: columns * rows)
    }

    private func bucketRange(_ rect: GridRect) -> (cols: ClosedRange<Int>, rows: ClosedRange<Int>)? {
        guard !rect.isEmpty else { return nil }
        let c0 = max(0, rect.x / Self.bucketWidth), c1 = min(columns - 1, (rect.maxX - 1) / Self.bucketWidth)
        let r0 = max(0, rect.y / Self.bucketHeight), r1 = min(rows - 1, (rect.maxY - 1) / Self.bucketHeight)
        guard rect.maxX > 0, rect.maxY > 0, c0 <= c1, r0 <= r1 else { return nil }
        return (c0...c1, r0...r1)
    }

    mutating func insertNode(_ index: Int, rect: GridRect) {
        guard let range = bucketRange(rect) else { return }
        for r in range.rows {
            for c in range.cols { nodeBuckets[r * columns + c].append(Int32(index)) }
        }
    }

    mutating func insertEdge(_ index: Int, segment: GridRect) {
        guard let range = bucketRange(segment) else { return }
        for r in range.rows {
            for c in range.cols {
                let b = r * columns + c
                // Consecutive segments of one route often share a bucket; skip the repeat.
                if edgeBuckets[b].last != Int32(index) { edgeBuckets[b].append(Int32(index)) }
            }
        }
    }

    /// Candidate node indices (unfiltered, may repeat) under `rect`.
    func nodeCandidates(_ rect: GridRect, _ body: (Int) -> Void) {
        guard let range = bucketRange(rect) else { return }
        for r in range.rows {
            for c in range.cols {
                for i in nodeBuckets[r * columns + c] { body(Int(i)) }
            }
        }
    }

    /// Candidate edge indices (unfiltered, may repeat) under `rect`.
    func edgeCandidates(_ rect: GridRect, _ body: (Int) -> Void) {
        guard let range = bucketRange(rect) else { return }
        for r in range.rows {
            for c in range.cols {
                for i in edgeBuckets[r * columns + c] { body(Int(i)) }
            }
        }
    }
}
