/// Vertical placement and orthogonal edge routing on the grid.
///
/// Every edge leaves its source through one port in the middle of the box's bottom side, runs
/// down, jogs horizontally on a *track* row in the channel between two layers, and enters the
/// target through its own port on the top side (the row just above the box holds the arrow
/// head). Edges crossing layers run through their dummies' columns, which coordinate
/// assignment kept free of boxes, so a route never passes through a box.
enum EdgeRouting {
    struct Result {
        var layerTop: [Int]
        var layerHeight: [Int]
        var height: Int
        /// Polyline per layout edge, corners only.
        var routes: [[GridPoint]]
    }

    static func route(_ g: ProperGraph, order: [[Int]], x: [Int], minLayerGap: Int, top: Int) -> Result {
        let port = assignPorts(g, order: order, x: x)
        let (track, trackCount) = assignTracks(g, order: order, x: x, port: port)

        var layerHeight = [Int](repeating: 1, count: g.layerCount)
        for v in 0..<g.realCount where g.height[v] > layerHeight[g.layer[v]] {
            layerHeight[g.layer[v]] = g.height[v]
        }
        var layerTop = [Int](repeating: top, count: g.layerCount)
        for i in 1..<max(g.layerCount, 1) {
            // One row for the stub under the source, one per track, one for the arrow head.
            let gap = max(minLayerGap, trackCount[i - 1] + 2)
            layerTop[i] = layerTop[i - 1] + layerHeight[i - 1] + gap
        }
        let height = g.layerCount == 0 ? top : layerTop[g.layerCount - 1] + layerHeight[g.layerCount - 1]

        let edgeCount = g.chainStart.count - 1
        var routes = [[GridPoint]]()
        routes.reserveCapacity(edgeCount)
        var points: [GridPoint] = []
        for e in 0..<edgeCount {
            let range = g.chainRange(e)
            let firstSegment = range.lowerBound - e // each earlier edge has one fewer segment than vertices
            let source = g.chain[range.lowerBound]
            points.removeAll(keepingCapacity: true)
            points.append(GridPoint(x: x[source], y: layerTop[g.layer[source]] + g.height[source]))
            for j in 0..<(range.count - 1) {
                let upper = g.chain[range.lowerBound + j]
                let lower = g.chain[range.lowerBound + j + 1]
                let a = x[upper], b = port[firstSegment + j]
                let li = g.layer[upper]
                if a != b {
                    let row = layerTop[li] + layerHeight[li] + 1 + track[upper]
                    points.append(GridPoint(x: a, y: row))
                    points.append(GridPoint(x: b, y: row))
                }
                if !g.isDummy(lower) {
                    points.append(GridPoint(x: b, y: layerTop[li + 1] - 1))
                }
            }
            routes.append(simplified(points))
        }
        return Result(layerTop: layerTop, layerHeight: layerHeight, height: height, routes: routes)
    }

    /// Drops repeated points and points in the middle of straight runs.
    static func simplified(_ points: [GridPoint]) -> [GridPoint] {
        var out: [GridPoint] = []
        out.reserveCapacity(points.count)
        for p in points {
            if let last = out.last, last == p { continue }
            if out.count >= 2 {
                let a = out[out.count - 2], b = out[out.count - 1]
                if (a.x == b.x && b.x == p.x) || (a.y == b.y && b.y == p.y) {
                    out[out.count - 1] = p
                    continue
                }
            }
            out.append(p)
        }
        return out
    }

    /// The column where each segment enters its lower vertex.
    ///
    /// A box with several inputs gets distinct entry columns (two apart when the box is wide
    /// enough, so the lines stay readable), each as close as possible to the column its line
    /// comes from: an input directly above enters straight, without a jog. Only when a box is
    /// narrower than its inputs do they share columns.
    ///
    /// A port that jogs in under the column where another line comes down from the layer above
    /// is nudged sideways when the box has room: the two vertical pieces would otherwise need a
    /// strict track order, and enough such pairs make the order cyclic (unroutable without
    /// doglegs).
    static func assignPorts(_ g: ProperGraph, order: [[Int]], x: [Int]) -> [Int] {
        var port = [Int](repeating: 0, count: g.segmentCount)
        var entries: [(preferred: Int, from: Int, segment: Int)] = []
        var topColumns = [Set<Int>](repeating: [], count: g.layerCount)
        for (i, layer) in order.enumerated() {
            for v in layer where !g.downRange(v).isEmpty { topColumns[i].insert(x[v]) }
        }
        func nudge(_ p: Int, from: Int, lo: Int, hi: Int, tops: Set<Int>, taken: (Int) -> Bool) -> Int {
            guard p != from, tops.contains(p) else { return p }
            for d in 1...2 {
                for q in [p - d, p + d] where q >= lo && q <= hi && q != from && !tops.contains(q) && !taken(q) {
                    return q
                }
            }
            return p
        }
        for v in 0..<g.vertexCount {
            let range = g.upRange(v)
            if range.isEmpty { continue }
            if g.isDummy(v) {
                for k in range { port[g.upSegment[k]] = x[v] }
                continue
            }
            let w = g.width[v]
            let left = x[v] - w / 2, right = left + w - 1
            let lo = w >= 3 ? left + 1 : left, hi = w >= 3 ? right - 1 : right
            let tops = topColumns[max(0, g.layer[v] - 1)]
            if range.count == 1 {
                let k = range.lowerBound
                let from = x[g.up[k]]
                port[g.upSegment[k]] = nudge(min(max(from, lo), hi), from: from, lo: lo, hi: hi, tops: tops) { _ in false }
                continue
            }
            entries.removeAll(keepingCapacity: true)
            for k in range {
                let from = x[g.up[k]]
                entries.append((min(max(from, lo), hi), from, g.upSegment[k]))
            }
            entries.sort { ($0.preferred, $0.from) < ($1.preferred, $1.from) }
            let count = entries.count
            let span = hi - lo
            let step = (count - 1) * 2 <= span ? 2 : ((count - 1) <= span ? 1 : 0)
            for i in 1..<count {
                entries[i].preferred = max(entries[i].preferred, entries[i - 1].preferred + step)
            }
            entries[count - 1].preferred = min(entries[count - 1].preferred, hi)
            for i in stride(from: count - 2, through: 0, by: -1) {
                entries[i].preferred = min(entries[i].preferred, entries[i + 1].preferred - step)
            }
            for i in entries.indices { entries[i].preferred = min(max(entries[i].preferred, lo), hi) }
            // A set keeps this linear for the occasional Concat with hundreds of inputs.
            var used = Set(entries.map(\.preferred))
            let reach = max(step, 1) - 1
            for i in entries.indices {
                let p = entries[i].preferred
                used.remove(p)
                let q = nudge(p, from: entries[i].from, lo: lo, hi: hi, tops: tops) { q in
                    (q - reach...q + reach).contains { used.contains($0) }
                }
                entries[i].preferred = q
                used.insert(q)
            }
            for entry in entries { port[entry.segment] = entry.preferred }
        }
        return port
    }

    /// Assigns a track (row offset in the channel below its layer) to every vertex whose
    /// outgoing lines need a horizontal jog.
    ///
    /// All lines leaving one vertex form one *net* and share a track, so a fan-out merges into a
    /// clean tree (┬). Nets whose horizontal spans overlap get different tracks (left-edge
    /// greedy). A net whose line comes down column c must use a track above any net that
    /// leaves the channel downwards in column c, otherwise the two vertical pieces would merge;
    /// those constraints are honoured by assigning tracks in topological order. A cyclic
    /// constraint set would need doglegs, which this router does not make: it drops the fewest
    /// constraints, and two lines then share a few cells of one column. That happens only in
    /// dense channels (random graphs with ~3 edges per node), not in model-like graphs.
    static func assignTracks(_ g: ProperGraph, order: [[Int]], x: [Int], port: [Int]) -> (track: [Int], count: [Int]) {
        var track = [Int](repeating: -1, count: g.vertexCount)
        var trackCount = [Int](repeating: 0, count: max(g.layerCount - 1, 0))
        guard g.layerCount > 1 else { return (track, trackCount) }

        struct Net { var v: Int; var lo: Int; var hi: Int; var top: Int }
        var nets: [Net] = []
        var occupied: [[(lo: Int, hi: Int)]] = []
        var topIndex: [Int: Int] = [:]
        var successors: [[Int]] = []
        var indegree: [Int] = []
        var minTrack: [Int] = []
        var heap = IntMinHeap()

        for i in 0..<(g.layerCount - 1) {
            nets.removeAll(keepingCapacity: true)
            for v in order[i] {
                let a = x[v]
                var lo = a, hi = a
                for k in g.downRange(v) {
                    let b = port[g.downSegment[k]]
                    lo = min(lo, b)
                    hi = max(hi, b)
                }
                if lo != hi { nets.append(Net(v: v, lo: lo, hi: hi, top: a)) }
            }
            if nets.isEmpty { continue }
            nets.sort { ($0.lo, $0.top) < ($1.lo, $1.top) }

            topIndex.removeAll(keepingCapacity: true)
            for (index, net) in nets.enumerated() { topIndex[net.top] = index }
            successors = Array(repeating: [], count: nets.count)
            indegree = Array(repeating: 0, count: nets.count)
            minTrack = Array(repeating: 0, count: nets.count)
            for (index, net) in nets.enumerated() {
                for k in g.downRange(net.v) {
                    let b = port[g.downSegment[k]]
                    if b != net.top, let above = topIndex[b], above != index {
                        successors[above].append(index)
                        indegree[index] += 1
                    }
                }
            }

            occupied.removeAll(keepingCapacity: true)
            var done = 0
            var placed = [Bool](repeating: false, count: nets.count)
            for index in nets.indices where indegree[index] == 0 { heap.push(index) }
            func place(_ index: Int) {
                let net = nets[index]
                var t = minTrack[index]
                while true {
                    if t == occupied.count { occupied.append([]) }
                    if let slot = freeSlot(occupied[t], lo: net.lo, hi: net.hi) {
                        occupied[t].insert((net.lo, net.hi), at: slot)
                        break
                    }
                    t += 1
                }
                track[net.v] = t
                placed[index] = true
                done += 1
                for s in successors[index] {
                    minTrack[s] = max(minTrack[s], t + 1)
                    indegree[s] -= 1
                    if indegree[s] == 0 { heap.push(s) }
                }
            }
            while done < nets.count {
                if let index = heap.pop() {
                    place(index)
                } else if let index = nets.indices.filter({ !placed[$0] }).min(by: { indegree[$0] < indegree[$1] }) {
                    // A cycle: give up the fewest constraints.
                    indegree[index] = 0
                    place(index)
                }
            }
            trackCount[i] = occupied.count
        }
        return (track, trackCount)
    }

    /// Insertion index for [lo, hi] in a sorted list of disjoint intervals, or nil if it overlaps.
    private static func freeSlot(_ intervals: [(lo: Int, hi: Int)], lo: Int, hi: Int) -> Int? {
        var a = 0, b = intervals.count
        while a < b {
            let mid = (a + b) / 2
            if intervals[mid].lo <= lo { a = mid + 1 } else { b = mid }
        }
        if a > 0 && intervals[a - 1].hi >= lo { return nil }
        if a < intervals.count && intervals[a].lo <= hi { return nil }
        return a
    }
}

/// A binary min-heap of Ints; enough for ready queues without pulling in a collections package.
struct IntMinHeap {
    private var items: [Int] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func push(_ value: Int) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < items.count && items[l] < items[smallest] { smallest = l }
                if r < items.count && items[r] < items[smallest] { smallest = r }
                if smallest == i { break }
                items.swapAt(i, smallest)
                i = smallest
            }
        }
        return first
    }
}
