extension LayeredLayout {
    /// Lays out a directed graph in layers, top to bottom (Sugiyama style): cycle breaking,
    /// layering, dummy nodes, crossing reduction, x placement, then orthogonal edge routing.
    ///
    /// The whole pipeline is near-linear in nodes + edges (crossing reduction runs a bounded
    /// number of O(E log E) sweeps), so laying out a whole 30k-node model is cheaper than
    /// managing per-region layouts. The result is deterministic for a given input.
    public static func compute(_ graph: LayoutGraph, options: LayoutOptions = LayoutOptions()) -> LayeredLayout {
        let clock = ContinuousClock()
        var stats = LayoutStatistics()
        var mark = clock.now
        func lap() -> Double {
            let now = clock.now
            let d = now - mark
            mark = now
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }

        let n = graph.nodes.count
        var indexByID = [Int: Int](minimumCapacity: n)
        var width = [Int](), height = [Int]()
        width.reserveCapacity(n)
        height.reserveCapacity(n)
        for (i, node) in graph.nodes.enumerated() {
            if indexByID[node.id] == nil { indexByID[node.id] = i }
            width.append(max(1, node.width))
            height.append(max(1, node.height))
        }

        // Resolve edges to dense indices; self-loops and unknown ids take no part in the layout.
        var candidate: [Int] = []
        var from: [Int] = [], to: [Int] = []
        var selfLoops: [Int] = [], ignored: [Int] = []
        for (k, edge) in graph.edges.enumerated() {
            guard let u = indexByID[edge.from], let v = indexByID[edge.to] else {
                ignored.append(k)
                continue
            }
            if u == v {
                selfLoops.append(k)
                continue
            }
            candidate.append(k)
            from.append(u)
            to.append(v)
        }
        let isBack = CycleBreaking.backEdges(nodeCount: n, from: from, to: to)

        // Orient and deduplicate: parallel edges, and a→b next to a reversed b→a, share one route.
        var layoutEdgeOf = [Int](repeating: -1, count: graph.edges.count)
        var reversed: [Int] = []
        var isReversedInput = [Bool](repeating: false, count: graph.edges.count)
        var pairIndex = [Int: Int](minimumCapacity: from.count)
        var layoutFrom: [Int] = [], layoutTo: [Int] = []
        for (c, k) in candidate.enumerated() {
            let (u, v) = isBack[c] ? (to[c], from[c]) : (from[c], to[c])
            if isBack[c] {
                reversed.append(k)
                isReversedInput[k] = true
            }
            let key = u &* n &+ v
            if let existing = pairIndex[key] {
                layoutEdgeOf[k] = existing
            } else {
                pairIndex[key] = layoutFrom.count
                layoutEdgeOf[k] = layoutFrom.count
                layoutFrom.append(u)
                layoutTo.append(v)
            }
        }

        let (layer, layerCount) = LayerAssignment.assign(nodeCount: n, from: layoutFrom, to: layoutTo,
                                                         shortenEdges: options.shortenLongEdges)
        let proper = ProperGraph(realLayer: layer, layerCount: layerCount, width: width, height: height,
                                 from: layoutFrom, to: layoutTo)
        stats.layerCount = layerCount
        stats.dummyCount = proper.vertexCount - n
        stats.cycleAndLayerSeconds = lap()

        var order = CrossingReduction.initialOrder(proper, mode: options.initialOrder)
        let crossings = CrossingReduction.reduce(proper, order: &order, iterations: options.crossingIterations)
        stats.crossingsBeforeReduction = crossings.before
        stats.crossings = crossings.after
        stats.orderingSeconds = lap()

        var x = CoordinateAssignment.assign(proper, order: order,
                                            nodeSpacing: max(0, options.nodeSpacing),
                                            edgeSpacing: max(0, options.edgeSpacing))
        CoordinateBalancing.balance(proper, order: order, x: &x,
                                    nodeSpacing: max(0, options.nodeSpacing), edgeSpacing: max(0, options.edgeSpacing))
        let margin = max(0, options.margin)
        var minLeft = Int.max, maxRight = Int.min
        for v in 0..<proper.vertexCount {
            let left = x[v] - proper.width[v] / 2
            minLeft = min(minLeft, left)
            maxRight = max(maxRight, left + proper.width[v])
        }
        if proper.vertexCount > 0 {
            for v in 0..<proper.vertexCount { x[v] += margin - minLeft }
        }
        let totalWidth = proper.vertexCount > 0 ? maxRight - minLeft + 2 * margin : 0
        stats.coordinateSeconds = lap()

        let routing = EdgeRouting.route(proper, order: order, x: x,
                                        minLayerGap: max(1, options.minLayerGap), top: margin)
        var placed: [PlacedNode] = []
        placed.reserveCapacity(n)
        for (i, node) in graph.nodes.enumerated() {
            let l = layer[i]
            placed.append(PlacedNode(id: node.id,
                                     rect: GridRect(x: x[i] - width[i] / 2, y: routing.layerTop[l],
                                                    width: width[i], height: height[i]),
                                     layer: l))
        }
        var routes: [EdgeRoute] = []
        routes.reserveCapacity(graph.edges.count)
        for (k, edge) in graph.edges.enumerated() {
            let e = layoutEdgeOf[k]
            routes.append(EdgeRoute(from: edge.from, to: edge.to,
                                    points: e >= 0 ? routing.routes[e] : [],
                                    isReversed: isReversedInput[k],
                                    isSelfLoop: e < 0 && edge.from == edge.to && indexByID[edge.from] != nil))
        }
        stats.routingSeconds = lap()

        var result = LayeredLayout(nodes: placed, edges: routes, width: totalWidth, height: routing.height + margin,
                                   reversedEdges: reversed, selfLoops: selfLoops, ignoredEdges: ignored,
                                   statistics: stats, indexByID: indexByID)
        stats.indexSeconds = lap()
        result.statistics = stats
        return result
    }
}
