import GraphLayout
import OnnxGraph
import OnnxModel

/// Groups of the nodes of one scope by their name scopes, as exporters write them
/// (`/layer1/layer1.0/conv1/Conv`, `/encoder/layer.3/attention/self/MatMul`, or dotted
/// `encoder.layer.3.attention.query`), so that whole blocks can be folded into one box.
public struct ScopeGrouping: Sendable {
    /// The tree handed to ``CollapsedGraph``; group ids are `0..<count`.
    public let tree: GroupTree
    /// Full path of each group (`/encoder/layer.3`), escaped for display.
    public let paths: [String]
    /// Last path component of each group (`layer.3`), escaped for display.
    public let labels: [String]
    /// Groups folded when the scope is first shown: the outermost repeated blocks
    /// (`layer.0`, `layer.1`… under one parent), so a 12-layer BERT reads as 12 boxes.
    public let defaultCollapsed: Set<Int>

    public var count: Int { paths.count }

    /// Builds the grouping of `scope`'s nodes.
    ///
    /// A group that would hold a single node is dropped (its node goes to the enclosing group):
    /// folding one node into a box named after it gains nothing.
    public init(scope: GraphScope) {
        var ids: [String: Int] = [:]
        var paths: [String] = []
        var components: [String] = []
        var parents: [Int?] = []
        var directMembers: [[Int]] = []
        var separatorOfGroup: [String] = []

        func groupID(_ parts: ArraySlice<String>, separator: String) -> Int {
            let key = separator + parts.joined(separator: separator)
            if let id = ids[key] { return id }
            let parent: Int? = parts.count > 1 ? groupID(parts.dropLast(), separator: separator) : nil
            let id = paths.count
            ids[key] = id
            paths.append((separator == "/" ? "/" : "") + parts.joined(separator: separator))
            components.append(parts.last!)
            parents.append(parent)
            directMembers.append([])
            separatorOfGroup.append(separator)
            return id
        }

        var groupOfNode = [Int?](repeating: nil, count: scope.nodeCount)
        for id in 0..<scope.nodeCount {
            let (parts, separator) = ScopeGrouping.scopeComponents(of: scope.node(id).name)
            guard !parts.isEmpty else { continue }
            let g = groupID(parts[...], separator: separator)
            groupOfNode[id] = g
            directMembers[g].append(id)
        }

        // Total nodes per group; groups are created parents first, so a reverse sweep sums up.
        var totals = directMembers.map(\.count)
        for g in stride(from: paths.count - 1, through: 0, by: -1) {
            if let p = parents[g] { totals[p] += totals[g] }
        }
        // Keep groups with at least two nodes; re-parent and re-home around the dropped ones.
        var keep = totals.map { $0 >= 2 }
        func keptAncestor(_ g: Int?) -> Int? {
            var cur = g
            while let c = cur, !keep[c] { cur = parents[c] }
            return cur
        }
        var newID = [Int](repeating: -1, count: paths.count)
        var kept: [Int] = []
        for g in paths.indices where keep[g] {
            newID[g] = kept.count
            kept.append(g)
        }
        var members = [[Int]](repeating: [], count: kept.count)
        for id in 0..<scope.nodeCount {
            if let g = keptAncestor(groupOfNode[id]) { members[newID[g]].append(id) }
        }
        var groups: [NodeGroup] = []
        for (i, g) in kept.enumerated() {
            let parent = keptAncestor(parents[g]).map { newID[$0] }
            groups.append(NodeGroup(id: i, parent: parent, members: members[i]))
        }
        keep = []
        self.tree = GroupTree(groups)
        self.paths = kept.map { paths[$0].escapedForDisplay }
        self.labels = kept.map { components[$0].escapedForDisplay }

        // Repeated blocks: siblings sharing a stem with a numeric suffix (`layer.0`, `layer.1`).
        var stemsByParent: [String: Int] = [:]
        var stems: [String?] = []
        for (i, g) in kept.enumerated() {
            let stem = ScopeGrouping.repeatStem(components[g])
            stems.append(stem)
            if let stem { stemsByParent["\(groups[i].parent ?? -1)|\(stem)", default: 0] += 1 }
        }
        var repeated = Set<Int>()
        for i in kept.indices {
            if let stem = stems[i], stemsByParent["\(groups[i].parent ?? -1)|\(stem)", default: 0] >= 2 { repeated.insert(i) }
        }
        // Only the outermost repeated level is folded; inner ones are reached by expanding.
        var collapsed = Set<Int>()
        for i in repeated {
            var p = tree.parent(of: i)
            var nested = false
            while let cur = p {
                if repeated.contains(cur) { nested = true; break }
                p = tree.parent(of: cur)
            }
            if !nested { collapsed.insert(i) }
        }
        self.defaultCollapsed = collapsed
    }

    /// The enclosing name scopes of a node name, outermost first, and the separator used:
    /// `/a/b/Conv` gives `["a", "b"]`; a dotted name without slashes (`a.b.3.c`) gives `["a", "b", "3"]`.
    static func scopeComponents(of name: String) -> ([String], String) {
        if name.contains("/") {
            var parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if !parts.isEmpty { parts.removeLast() }
            return (parts, "/")
        }
        var parts = name.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
        // "conv1.weight"-like two-part names are not worth a group.
        guard parts.count >= 3 else { return ([], ".") }
        parts.removeLast()
        return (parts, ".")
    }

    /// The stem of a repeated-block name (`layer.3` → `layer.`, `layer1.0` → `layer1.`,
    /// `block_2` → `block_`, `7` → ``), or nil when the name does not end in `[._]digits`.
    static func repeatStem(_ component: String) -> String? {
        let scalars = Array(component.unicodeScalars)
        var end = scalars.count
        while end > 0, ("0"..."9").contains(scalars[end - 1]) { end -= 1 }
        guard end < scalars.count else { return nil }
        if end == 0 { return "" }
        let sep = scalars[end - 1]
        guard sep == "." || sep == "_" else { return nil }
        return String(String.UnicodeScalarView(scalars[0..<end]))
    }

    /// Groups containing the node, innermost first.
    public func ancestors(ofNode id: Int) -> [Int] {
        var out: [Int] = []
        var g = tree.group(ofNode: id)
        while let cur = g {
            out.append(cur)
            g = tree.parent(of: cur)
        }
        return out
    }
}
