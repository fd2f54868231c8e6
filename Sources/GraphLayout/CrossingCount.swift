/// Counts edge crossings between two adjacent layers.
public enum CrossingCounter {
    /// Number of pairs of segments that cross between two ordered layers.
    ///
    /// Two segments cross when their upper ends and lower ends are in opposite order; segments
    /// sharing an endpoint never cross. Uses the inversion-counting scheme of Barth, Jünger and
    /// Mutzel with a Fenwick tree: O(E log V) instead of comparing all pairs, which matters
    /// because the reducer re-counts after every sweep.
    ///
    /// - Parameters:
    ///   - lowerCount: number of positions in the lower layer; every `lower` must be below it.
    ///   - segments: (position in the upper layer, position in the lower layer) per segment.
    public static func count(lowerCount: Int, segments: [(upper: Int, lower: Int)]) -> Int {
        let sorted = segments.sorted { ($0.upper, $0.lower) < ($1.upper, $1.lower) }
        var tree = [Int](repeating: 0, count: lowerCount + 1)
        return countSorted(lowerPositions: sorted.map(\.lower), tree: &tree)
    }

    /// Core of `count`: `lowerPositions` must already be ordered by (upper, lower).
    /// `tree` is scratch space of at least `lowerCount + 1` zeros; it is left zeroed.
    static func countSorted(lowerPositions: [Int], tree: inout [Int]) -> Int {
        var crossings = 0
        var inserted = 0
        for p in lowerPositions {
            // Earlier segments whose lower end is strictly right of p cross this one.
            var atMost = 0
            var i = p + 1
            while i > 0 {
                atMost += tree[i]
                i -= i & -i
            }
            crossings += inserted - atMost
            i = p + 1
            while i < tree.count {
                tree[i] += 1
                i += i & -i
            }
            inserted += 1
        }
        for p in lowerPositions {
            var i = p + 1
            while i < tree.count, tree[i] != 0 {
                tree[i] = 0
                i += i & -i
            }
        }
        return crossings
    }
}
