/// The layered graph with a dummy vertex wherever an edge crosses a layer, so every segment joins
/// adjacent layers. Ordering, coordinates and routing all work on this form.
///
/// Vertices `0..<realCount` are the caller's nodes (dense indices in input order); the rest are
/// dummies, one per crossed layer per edge. Adjacency is stored as CSR arrays because the
/// layout touches every segment several times and 30k-node graphs must stay cache friendly.
struct ProperGraph {
    let realCount: Int
    private(set) var vertexCount: Int
    private(set) var layer: [Int]
    private(set) var width: [Int]
    private(set) var height: [Int]
    let layerCount: Int

    /// For dummy d, the real node its long edge starts from: `dummySource[d - realCount]`.
    private(set) var dummySource: [Int] = []

    /// Segment endpoints, indexed by segment id.
    private(set) var segmentUpper: [Int] = []
    private(set) var segmentLower: [Int] = []

    /// Upper neighbours of v: `up[upStart[v]..<upStart[v+1]]`, with segment ids in `upSegment`.
    private(set) var upStart: [Int] = []
    private(set) var up: [Int] = []
    private(set) var upSegment: [Int] = []
    /// Lower neighbours of v, same layout as `up`.
    private(set) var downStart: [Int] = []
    private(set) var down: [Int] = []
    private(set) var downSegment: [Int] = []

    /// For layout edge e, its vertex chain is `chain[chainStart[e]..<chainStart[e+1]]`: the real
    /// source, the dummies top to bottom, then the real target.
    private(set) var chainStart: [Int] = []
    private(set) var chain: [Int] = []

    /// - Parameters: `from`/`to` are unique layout edges pointing downwards (`layer[from] < layer[to]`).
    init(realLayer: [Int], layerCount: Int, width: [Int], height: [Int], from: [Int], to: [Int]) {
        realCount = realLayer.count
        self.layerCount = layerCount
        layer = realLayer
        self.width = width
        self.height = height
        vertexCount = realCount

        chainStart.reserveCapacity(from.count + 1)
        for e in 0..<from.count {
            let u = from[e], v = to[e]
            chainStart.append(chain.count)
            chain.append(u)
            var previous = u
            var l = layer[u] + 1
            while l < layer[v] {
                let d = vertexCount
                vertexCount += 1
                layer.append(l)
                self.width.append(1)
                self.height.append(0)
                chain.append(d)
                dummySource.append(u)
                segmentUpper.append(previous)
                segmentLower.append(d)
                previous = d
                l += 1
            }
            chain.append(v)
            segmentUpper.append(previous)
            segmentLower.append(v)
        }
        chainStart.append(chain.count)

        (upStart, up, upSegment) = Self.csr(vertexCount, keys: segmentLower, values: segmentUpper)
        (downStart, down, downSegment) = Self.csr(vertexCount, keys: segmentUpper, values: segmentLower)
    }

    @inline(__always) func isDummy(_ v: Int) -> Bool { v >= realCount }
    @inline(__always) func upRange(_ v: Int) -> Range<Int> { upStart[v]..<upStart[v + 1] }
    @inline(__always) func downRange(_ v: Int) -> Range<Int> { downStart[v]..<downStart[v + 1] }
    @inline(__always) func chainRange(_ e: Int) -> Range<Int> { chainStart[e]..<chainStart[e + 1] }
    var segmentCount: Int { segmentUpper.count }

    private static func csr(_ n: Int, keys: [Int], values: [Int]) -> ([Int], [Int], [Int]) {
        var start = [Int](repeating: 0, count: n + 1)
        for k in keys { start[k + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var list = [Int](repeating: 0, count: keys.count)
        var ids = [Int](repeating: 0, count: keys.count)
        var fill = start
        for s in 0..<keys.count {
            let k = keys[s]
            list[fill[k]] = values[s]
            ids[fill[k]] = s
            fill[k] += 1
        }
        return (start, list, ids)
    }
}
