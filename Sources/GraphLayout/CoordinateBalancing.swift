/// Removes the horizontal drift Brandes–Köpf leaves on long repetitive graphs.
///
/// BK packs blocks against the left (or right) with longest paths, and on a chain of repeated
/// blocks every repetition ends up a few columns further over: a 30k-node LLM export becomes a
/// staircase thousands of columns wide. This pass re-places each layer from the top down,
/// relative to the layer above only, so nothing accumulates: every vertex wants to sit under
/// its real upper neighbours (mean), a dummy under its upper line, and each layer is fitted to
/// those wishes exactly under the separation constraints by weighted isotonic regression (pool
/// adjacent violators, linear per layer). Heavy weights on chain links and dummies keep chains
/// and long edges straight; a fan-out ends up centred under its source. A final upward pass
/// moves the sources (constants, shape inputs) over their consumers.
enum CoordinateBalancing {
    static func balance(_ g: ProperGraph, order: [[Int]], x: inout [Int], nodeSpacing: Int, edgeSpacing: Int) {
        guard order.count > 1 else { return }
        var desired: [Double] = []
        var weight: [Double] = []

        // Downwards: everyone but the sources follows the layer above.
        for layer in order.dropFirst() {
            desired.removeAll(keepingCapacity: true)
            weight.removeAll(keepingCapacity: true)
            for v in layer {
                let range = g.upRange(v)
                if range.isEmpty {
                    // A source has no wish yet; sticking to its left neighbour keeps the layer
                    // compact until the upward pass places it.
                    desired.append(desired.last ?? Double(x[v]))
                    weight.append(1e-3)
                    continue
                }
                var sum = 0, count = 0
                if !g.isDummy(v) && range.count > 1 {
                    // A merge fed by a long edge (a residual Add) sits under that edge's source,
                    // so the residual stream is one straight column whatever the branch between
                    // does; following the branch instead would shift every block a little.
                    for k in range where g.isDummy(g.up[k]) {
                        sum += x[g.dummySource[g.up[k] - g.realCount]]
                        count += 1
                    }
                }
                if count == 0 {
                    for k in range where !g.isDummy(g.up[k]) || g.isDummy(v) {
                        sum += x[g.up[k]]
                        count += 1
                    }
                }
                if count == 0 {
                    // Only long edges arrive here: centre on them.
                    for k in range { sum += x[g.up[k]] }
                    count = range.count
                }
                desired.append(Double(sum) / Double(count))
                weight.append(chainWeight(g, v))
            }
            fit(g, layer: layer, desired: desired, weight: weight, x: &x, nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing)
        }

        // Upwards: only sources move, towards their consumers; the rest holds its place.
        for layer in order.reversed() where layer.contains(where: { g.upRange($0).isEmpty && !g.downRange($0).isEmpty }) {
            desired.removeAll(keepingCapacity: true)
            weight.removeAll(keepingCapacity: true)
            for v in layer {
                if g.upRange(v).isEmpty && !g.downRange(v).isEmpty {
                    // Real consumers only, when there are any: a skip edge's line should not
                    // drag its source off the column of the chain it starts.
                    var sum = 0, count = 0
                    for k in g.downRange(v) where !g.isDummy(g.down[k]) {
                        sum += x[g.down[k]]
                        count += 1
                    }
                    if count == 0 {
                        for k in g.downRange(v) { sum += x[g.down[k]] }
                        count = g.downRange(v).count
                    }
                    desired.append(Double(sum) / Double(count))
                    weight.append(1)
                } else {
                    desired.append(Double(x[v]))
                    weight.append(1e6)
                }
            }
            fit(g, layer: layer, desired: desired, weight: weight, x: &x, nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing)
        }
    }

    /// Straightness matters most for chain links and long edges, so they resist being pulled.
    private static func chainWeight(_ g: ProperGraph, _ v: Int) -> Double {
        // Long edges give way to boxes (they jog once, then run straight from their new column);
        // otherwise their pressure shifts whole fan-outs sideways, block after block.
        if g.isDummy(v) { return 1e-3 }
        let range = g.upRange(v)
        if range.count == 1 && g.downRange(g.up[range.lowerBound]).count == 1 { return 8 }
        if range.contains(where: { g.isDummy(g.up[$0]) }) { return 8 }
        return 1
    }

    /// Places `layer` as close as possible (weighted least squares) to `desired`, keeping order
    /// and minimum separations. With S the running sum of separations, y = x − S must be
    /// non-decreasing, which is isotonic regression of desired − S.
    static func fit(_ g: ProperGraph, layer: [Int], desired: [Double], weight: [Double], x: inout [Int],
                    nodeSpacing: Int, edgeSpacing: Int) {
        var offset = [Int](repeating: 0, count: layer.count)
        for i in layer.indices.dropFirst() {
            offset[i] = offset[i - 1] + CoordinateAssignment.separation(g, layer[i - 1], layer[i],
                                                                        nodeSpacing: nodeSpacing, edgeSpacing: edgeSpacing)
        }
        // Pools of consecutive vertices sharing one y: (total weight, weighted sum, count).
        var poolWeight: [Double] = [], poolSum: [Double] = [], poolCount: [Int] = []
        for i in layer.indices {
            poolWeight.append(weight[i])
            poolSum.append(weight[i] * (desired[i] - Double(offset[i])))
            poolCount.append(1)
            while poolWeight.count > 1 {
                let last = poolWeight.count - 1
                if poolSum[last - 1] / poolWeight[last - 1] <= poolSum[last] / poolWeight[last] { break }
                poolWeight[last - 1] += poolWeight[last]
                poolSum[last - 1] += poolSum[last]
                poolCount[last - 1] += poolCount[last]
                poolWeight.removeLast()
                poolSum.removeLast()
                poolCount.removeLast()
            }
        }
        var i = 0
        for p in poolWeight.indices {
            // Rounding is monotone, so pools stay ordered and separations still hold.
            let y = Int((poolSum[p] / poolWeight[p]).rounded())
            for _ in 0..<poolCount[p] {
                x[layer[i]] = y + offset[i]
                i += 1
            }
        }
    }
}
