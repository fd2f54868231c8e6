/// Horizontal placement: a Brandes–Köpf style assignment of box centres to columns.
///
/// Each of the four passes (aligning to upper or lower neighbours, packing left or right) groups
/// vertices into vertical blocks (a vertex joins its median neighbour when that keeps the order)
/// and packs the blocks as tightly as the per-layer separations allow. A linear chain therefore
/// becomes a single block, i.e. a straight column, and a long edge's dummies stay in one column.
/// The final x is the mean of the two median candidates, which keeps the separations (each
/// candidate respects them, and order statistics are monotone) while balancing left/right bias.
/// Everything is linear in the size of the layered graph.
enum CoordinateAssignment {
    static func assign(_ g: ProperGraph, order: [[Int]], nodeSpacing: Int, edgeSpacing: Int) -> [Int] {
        let n = g.vertexCount
        guard n > 0 else { return [] }
        var position = [Int](repeating: 0, count: n)
        for layer in order {
            for (k, v) in layer.enumerated() { position[v] = k }
        }
        let conflicts = markInnerSegmentConflicts(g, order: order, position: position)

        var candidates: [[Int]] = []
        var isRightward: [Bool] = []
        for downward in [false, true] {
            for rightward in [false, true] {
                candidates.append(onePass(g, order: order, conflicts: conflicts,
                                          downward: downward, rightward: rightward,
                                          nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing))
                isRightward.append(rightward)
            }
        }

        // Align every candidate to the narrowest one (left passes by their left edge, right passes
        // by their right edge) before taking medians, as Brandes–Köpf do.
        var minLeft = [Int](repeating: .max, count: 4)
        var maxRight = [Int](repeating: .min, count: 4)
        for c in 0..<4 {
            for v in 0..<n {
                let left = candidates[c][v] - g.width[v] / 2
                minLeft[c] = min(minLeft[c], left)
                maxRight[c] = max(maxRight[c], left + g.width[v])
            }
        }
        var narrowest = 0
        for c in 1..<4 where maxRight[c] - minLeft[c] < maxRight[narrowest] - minLeft[narrowest] {
            narrowest = c
        }
        var shift = [Int](repeating: 0, count: 4)
        for c in 0..<4 {
            shift[c] = isRightward[c] ? maxRight[narrowest] - maxRight[c] : minLeft[narrowest] - minLeft[c]
        }

        var x = [Int](repeating: 0, count: n)
        for v in 0..<n {
            var a = candidates[0][v] + shift[0], b = candidates[1][v] + shift[1]
            var c = candidates[2][v] + shift[2], d = candidates[3][v] + shift[3]
            if a > b { swap(&a, &b) }
            if c > d { swap(&c, &d) }
            // max(a,c) + min(b,d) equals the sum of the two middle values of the four.
            let low = max(a, c), high = min(b, d)
            x[v] = floorDiv(low + high, 2)
        }
        return x
    }

    /// Minimum distance between the centres of `left` and `right` when they are neighbours.
    @inline(__always)
    static func separation(_ g: ProperGraph, _ left: Int, _ right: Int, nodeSpacing: Int, edgeSpacing: Int) -> Int {
        let gap = (g.isDummy(left) || g.isDummy(right)) ? edgeSpacing : nodeSpacing
        let wl = g.width[left], wr = g.width[right]
        return (wl - wl / 2) + wr / 2 + gap
    }

    @inline(__always) static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inline(__always) static func segmentKey(_ upper: Int, _ lower: Int, _ n: Int) -> Int { upper &* n &+ lower }

    /// Segments that cross an inner segment (dummy to dummy). They are never used for alignment,
    /// so long edges win over short ones and run as straight vertical lines.
    static func markInnerSegmentConflicts(_ g: ProperGraph, order: [[Int]], position: [Int]) -> Set<Int> {
        var marked = Set<Int>()
        guard order.count > 1 else { return marked }
        let n = g.vertexCount
        for i in 0..<(order.count - 1) {
            let upper = order[i], lower = order[i + 1]
            guard !lower.isEmpty else { continue }
            var k0 = 0
            var scan = 0
            for l1 in 0..<lower.count {
                let v = lower[l1]
                var innerUpper = -1
                if g.isDummy(v), let k = g.upRange(v).first, g.isDummy(g.up[k]) { innerUpper = g.up[k] }
                guard l1 == lower.count - 1 || innerUpper >= 0 else { continue }
                let k1 = innerUpper >= 0 ? position[innerUpper] : upper.count - 1
                while scan <= l1 {
                    let w = lower[scan]
                    for k in g.upRange(w) {
                        let u = g.up[k]
                        let p = position[u]
                        if (p < k0 || p > k1) && !(g.isDummy(u) && g.isDummy(w)) {
                            marked.insert(segmentKey(u, w, n))
                        }
                    }
                    scan += 1
                }
                k0 = k1
            }
        }
        return marked
    }

    /// One of the four Brandes–Köpf passes, computed in a mirrored view so a single code path
    /// serves all directions. Returns block-aligned centres in real (unmirrored) orientation.
    static func onePass(_ g: ProperGraph, order: [[Int]], conflicts: Set<Int>,
                        downward: Bool, rightward: Bool, nodeSpacing: Int, edgeSpacing: Int) -> [Int] {
        let n = g.vertexCount
        var layers = downward ? Array(order.reversed()) : order
        if rightward { layers = layers.map { Array($0.reversed()) } }
        var viewPosition = [Int](repeating: 0, count: n)
        for layer in layers {
            for (k, v) in layer.enumerated() { viewPosition[v] = k }
        }

        // Vertical alignment.
        var root = Array(0..<n)
        var aligned = [Bool](repeating: false, count: n) // v already joined the block above it
        var neighbours: [Int] = []
        var tryOrder: [Int] = []
        for li in layers.indices.dropFirst() {
            var r = -1
            for v in layers[li] {
                neighbours.removeAll(keepingCapacity: true)
                if downward {
                    for k in g.downRange(v) { neighbours.append(g.down[k]) }
                } else {
                    for k in g.upRange(v) { neighbours.append(g.up[k]) }
                }
                let d = neighbours.count
                guard d > 0 else { continue }
                if d > 1 { neighbours.sort { viewPosition[$0] < viewPosition[$1] } }
                let m1 = (d - 1) / 2, m2 = d / 2
                tryOrder.removeAll(keepingCapacity: true)
                if m1 == m2 {
                    tryOrder.append(m1)
                } else if !g.isDummy(v) && g.isDummy(neighbours[m1]) && !g.isDummy(neighbours[m2]) {
                    // A node with a main input and a skip input should line up with the main
                    // input, so residual blocks keep their chain straight.
                    tryOrder.append(contentsOf: [m2, m1])
                } else {
                    tryOrder.append(contentsOf: [m1, m2])
                }
                for m in tryOrder where !aligned[v] {
                    let u = neighbours[m]
                    let key = downward ? segmentKey(v, u, n) : segmentKey(u, v, n)
                    if r < viewPosition[u] && !conflicts.contains(key) {
                        root[v] = root[u]
                        aligned[v] = true
                        r = viewPosition[u]
                    }
                }
            }
        }

        // Horizontal compaction: longest path over the block graph, whose edges are the
        // separations between neighbours in every layer.
        var edgeFrom: [Int] = [], edgeTo: [Int] = [], edgeWeight: [Int] = []
        for layer in layers where layer.count > 1 {
            for k in 1..<layer.count {
                let a = layer[k - 1], b = layer[k]
                let (left, right) = rightward ? (b, a) : (a, b)
                edgeFrom.append(root[a])
                edgeTo.append(root[b])
                edgeWeight.append(separation(g, left, right, nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing))
            }
        }
        var start = [Int](repeating: 0, count: n + 1)
        var indegree = [Int](repeating: 0, count: n)
        for e in edgeFrom.indices {
            start[edgeFrom[e] + 1] += 1
            indegree[edgeTo[e]] += 1
        }
        for i in 0..<n { start[i + 1] += start[i] }
        var adjacent = [Int](repeating: 0, count: edgeFrom.count)
        var fill = start
        for e in edgeFrom.indices {
            adjacent[fill[edgeFrom[e]]] = e
            fill[edgeFrom[e]] += 1
        }
        var blockX = [Int](repeating: 0, count: n)
        var queue: [Int] = []
        for v in 0..<n where root[v] == v && indegree[v] == 0 { queue.append(v) }
        var head = 0
        while head < queue.count {
            let b = queue[head]
            head += 1
            for k in start[b]..<start[b + 1] {
                let e = adjacent[k]
                let t = edgeTo[e]
                blockX[t] = max(blockX[t], blockX[b] + edgeWeight[e])
                indegree[t] -= 1
                if indegree[t] == 0 { queue.append(t) }
            }
        }
        var x = [Int](repeating: 0, count: n)
        let rootCount = (0..<n).reduce(0) { $0 + (root[$1] == $1 ? 1 : 0) }
        if queue.count == rootCount {
            for v in 0..<n { x[v] = blockX[root[v]] }
        } else {
            // Alignment never crosses segments, so the block graph should be acyclic; if that
            // ever fails, plain per-layer packing is still a valid (if less straight) answer.
            for layer in layers {
                var cursor = 0
                for (k, v) in layer.enumerated() {
                    if k > 0 {
                        let (left, right) = rightward ? (v, layer[k - 1]) : (layer[k - 1], v)
                        cursor += separation(g, left, right, nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing)
                    }
                    x[v] = cursor
                }
            }
        }
        if rightward {
            for v in 0..<n { x[v] = -x[v] }
        }
        return x
    }
}
