import OnnxGraph
import OnnxModel

/// Incremental search over nodes: by node name, op type, or the name of a tensor a node reads
/// or writes. Case-insensitive substring match; an exact op-type match ranks a node first.
public enum Search {
    /// Nodes matching `query` in every scope, the current scope first, each scope in
    /// topological order so `n` walks the graph top to bottom.
    public static func matches(_ query: String, in document: Document, currentScope: Int) -> [NodeKey] {
        let q = query.lowercased()
        guard !q.isEmpty else { return [] }
        let scopes = [currentScope] + document.index.scopes.indices.filter { $0 != currentScope }
        var out: [NodeKey] = []
        for s in scopes {
            let scope = document.scope(s)
            for id in scope.topologicalOrder where nodeMatches(scope.node(id), displayName: scope.displayName(id), query: q) {
                out.append(NodeKey(scope: s, node: id))
            }
        }
        return out
    }

    /// Whether a node matches an already lower-cased query.
    static func nodeMatches(_ node: Node, displayName: String, query q: String) -> Bool {
        if node.name.lowercased().contains(q) || displayName.lowercased().contains(q) { return true }
        if node.opType.lowercased().contains(q) { return true }
        for t in node.inputs where t.lowercased().contains(q) { return true }
        for t in node.outputs where t.lowercased().contains(q) { return true }
        return false
    }
}
