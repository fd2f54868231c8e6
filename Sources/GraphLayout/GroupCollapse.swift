/// A group in a tree of nested groups (a name scope, a repeated block…). The app decides what
/// the groups are; the layout only needs the tree and the direct members.
public struct NodeGroup: Hashable, Sendable {
    /// Caller's group id, unique within a ``GroupTree``.
    public var id: Int
    /// Enclosing group, nil for a top-level group.
    public var parent: Int?
    /// Node ids that belong directly to this group (not through a child group).
    public var members: [Int]

    /// A group with its parent (nil at the top level) and its direct member nodes.
    public init(id: Int, parent: Int? = nil, members: [Int] = []) {
        self.id = id
        self.parent = parent
        self.members = members
    }
}

/// A validated tree of nested groups with fast node → group lookups.
public struct GroupTree: Sendable {
    /// The groups as given, with parents that were dangling or cyclic replaced by nil.
    public let groups: [NodeGroup]
    private let indexByID: [Int: Int]
    private let groupOfNode: [Int: Int]
    private let children: [[Int]]
    private let totalMembers: [Int]

    /// Builds the tree. A parent id that names no group, or that would close a cycle, is treated
    /// as "top level" so that a malformed partition degrades instead of trapping. A node listed
    /// in several groups belongs to the first one.
    public init(_ groups: [NodeGroup]) {
        var index: [Int: Int] = [:]
        for (i, g) in groups.enumerated() where index[g.id] == nil { index[g.id] = i }
        var parentIndex = groups.map { g in g.parent.flatMap { index[$0] } }
        // Cut parent links that lead into a cycle.
        for i in groups.indices {
            var seen: Set<Int> = [i]
            var p = parentIndex[i]
            while let current = p {
                if seen.contains(current) {
                    parentIndex[i] = nil
                    break
                }
                seen.insert(current)
                p = parentIndex[current]
            }
        }
        var children = Array(repeating: [Int](), count: groups.count)
        for i in groups.indices {
            if let p = parentIndex[i] { children[p].append(i) }
        }
        var groupOfNode: [Int: Int] = [:]
        for (i, g) in groups.enumerated() {
            for m in g.members where groupOfNode[m] == nil { groupOfNode[m] = i }
        }
        var direct = Array(repeating: 0, count: groups.count)
        for (_, i) in groupOfNode { direct[i] += 1 }
        // Children before parents: a post-order over the (now acyclic) forest.
        var total = direct
        var postOrder: [Int] = []
        var stack: [(Int, Bool)] = groups.indices.filter { parentIndex[$0] == nil }.map { ($0, false) }
        while let (i, expanded) = stack.popLast() {
            if expanded {
                postOrder.append(i)
            } else {
                stack.append((i, true))
                for c in children[i] { stack.append((c, false)) }
            }
        }
        for i in postOrder {
            if let p = parentIndex[i] { total[p] += total[i] }
        }
        self.groups = groups.enumerated().map { i, g in
            NodeGroup(id: g.id, parent: parentIndex[i].map { groups[$0].id }, members: g.members)
        }
        self.indexByID = index
        self.groupOfNode = groupOfNode
        self.children = children
        self.totalMembers = total
    }

    /// The innermost group containing the node, if any.
    public func group(ofNode id: Int) -> Int? { groupOfNode[id].map { groups[$0].id } }

    /// The enclosing group, nil at the top level or for an unknown id.
    public func parent(of group: Int) -> Int? { indexByID[group].flatMap { groups[$0].parent } }

    /// Directly nested groups, in input order.
    public func children(of group: Int) -> [Int] {
        guard let i = indexByID[group] else { return [] }
        return children[i].map { groups[$0].id }
    }

    /// Number of nodes in the group, nested groups included.
    public func nodeCount(of group: Int) -> Int { indexByID[group].map { totalMembers[$0] } ?? 0 }

    /// Every node id in the group, nested groups included.
    public func nodes(in group: Int) -> [Int] {
        guard let root = indexByID[group] else { return [] }
        var result: [Int] = []
        var stack = [root]
        while let i = stack.popLast() {
            result.append(contentsOf: groups[i].members.filter { groupOfNode[$0] == i })
            stack.append(contentsOf: children[i])
        }
        return result
    }

    /// The outermost group on the node's ancestor chain that is in `collapsed`: the box that
    /// shows the node when those groups are folded.
    public func outermostCollapsed(containing node: Int, collapsed: Set<Int>) -> Int? {
        guard var i = groupOfNode[node] else { return nil }
        var found: Int?
        while true {
            if collapsed.contains(groups[i].id) { found = groups[i].id }
            guard let p = groups[i].parent, let pi = indexByID[p] else { break }
            i = pi
        }
        return found
    }
}

/// What a vertex of a collapsed graph stands for.
public enum CollapsedVertex: Hashable, Sendable {
    case node(Int)
    case group(Int)
}

/// A graph in which collapsed groups have been folded into single vertices.
public struct CollapsedGraph: Sendable {
    /// Ready to pass to ``LayeredLayout/compute(_:options:)``; its node ids are indices into
    /// ``vertices`` (dense, so they never collide with the caller's node or group ids).
    public let graph: LayoutGraph
    /// What each layout id stands for.
    public let vertices: [CollapsedVertex]
    /// For each edge of ``graph``, how many original edges it stands for.
    public let multiplicity: [Int]
    private let vertexOfNode: [Int: Int]
    private let vertexOfGroup: [Int: Int]

    /// The layout id of the vertex that shows this original node (its own box or the box of
    /// the collapsed group hiding it).
    public func layoutID(ofNode id: Int) -> Int? { vertexOfNode[id] }

    /// The layout id of a collapsed group's box, nil if the group is not shown collapsed.
    public func layoutID(ofGroup id: Int) -> Int? { vertexOfGroup[id] }

    /// Folds every group in `collapsed` (and everything nested inside it) into one vertex whose
    /// edges are the union of the members' edges to the outside, deduplicated. Edges internal
    /// to a collapsed group disappear. Groups nested in a collapsed group are hidden even if
    /// they are not in `collapsed` themselves.
    ///
    /// - Parameters:
    ///   - nodeSize: box size of a visible original node.
    ///   - groupSize: box size of a collapsed group, given its id and its total node count.
    public init(collapsing graph: LayoutGraph, groups: GroupTree, collapsed: Set<Int>,
                nodeSize: (LayoutNode) -> (width: Int, height: Int) = { ($0.width, $0.height) },
                groupSize: (_ group: Int, _ nodeCount: Int) -> (width: Int, height: Int)) {
        var vertices: [CollapsedVertex] = []
        var nodes: [LayoutNode] = []
        var vertexOfNode: [Int: Int] = [:]
        var vertexOfGroup: [Int: Int] = [:]
        // Vertices appear in the order of their first node, so a collapsed block takes the
        // place its first member had in the caller's (usually topological) order.
        for node in graph.nodes where vertexOfNode[node.id] == nil {
            if let g = groups.outermostCollapsed(containing: node.id, collapsed: collapsed) {
                if let existing = vertexOfGroup[g] {
                    vertexOfNode[node.id] = existing
                } else {
                    let v = vertices.count
                    vertices.append(.group(g))
                    let size = groupSize(g, groups.nodeCount(of: g))
                    nodes.append(LayoutNode(id: v, width: size.width, height: size.height))
                    vertexOfGroup[g] = v
                    vertexOfNode[node.id] = v
                }
            } else {
                let v = vertices.count
                vertices.append(.node(node.id))
                let size = nodeSize(node)
                nodes.append(LayoutNode(id: v, width: size.width, height: size.height))
                vertexOfNode[node.id] = v
            }
        }
        var edges: [LayoutEdge] = []
        var multiplicity: [Int] = []
        var edgeIndex: [LayoutEdge: Int] = [:]
        for edge in graph.edges {
            guard let a = vertexOfNode[edge.from], let b = vertexOfNode[edge.to] else { continue }
            // Inside one collapsed box the edge is invisible; a genuine self-loop stays.
            if a == b, edge.from != edge.to { continue }
            let folded = LayoutEdge(from: a, to: b)
            if let k = edgeIndex[folded] {
                multiplicity[k] += 1
            } else {
                edgeIndex[folded] = edges.count
                edges.append(folded)
                multiplicity.append(1)
            }
        }
        self.graph = LayoutGraph(nodes: nodes, edges: edges)
        self.vertices = vertices
        self.multiplicity = multiplicity
        self.vertexOfNode = vertexOfNode
        self.vertexOfGroup = vertexOfGroup
    }
}
