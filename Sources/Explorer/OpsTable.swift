import Foundation
import ModelReport
import OnnxGraph
import OnnxModel
import Terminal

/// The Ops view: one row per op type (left) and the nodes of the selected type (right),
/// both sorted by the key `s` cycles through (count, params, MACs, time, name).
struct OpsTable {
    let app: ExplorerApp

    struct TypeRow: Equatable {
        var op: String
        var category: OpCategory
        var count = 0
        var parameters: Int64 = 0
        var macs: Int64 = 0
        /// Summed kernel time in µs, when a run annotated the nodes.
        var time: Double?
    }

    struct NodeRow: Equatable {
        var key: NodeKey
        var name: String
        var parameters: Int64
        var macs: Int64
        var time: Double?
    }

    /// Op types over every scope (sub-graph nodes included), sorted. Cached until the sort key
    /// or the annotations change: summing a 30k-node model on every frame cost ~35 ms a key.
    func typeRows() -> [TypeRow] {
        let key = OpsRowsCache.Key(sort: app.state.opsSort, selectedType: -1, annotations: app.state.annotations)
        if let hit = app.opsRows.types, hit.key == key { return hit.rows }
        let rows = computeTypeRows()
        app.opsRows.types = (key, rows)
        return rows
    }

    private func computeTypeRows() -> [TypeRow] {
        var rows: [String: TypeRow] = [:]
        let doc = app.document
        for scope in doc.index.scopes {
            for id in 0..<scope.nodeCount {
                let node = scope.node(id)
                let op = node.isDefaultDomain ? node.opType : node.domain + "." + node.opType
                let key = NodeKey(scope: scope.id, node: id)
                let m = doc.metrics(key)
                var row = rows[op] ?? TypeRow(op: op, category: OpCatalog.category(of: node))
                row.count += 1
                row.parameters += m.parameters
                row.macs += m.macs
                if let t = app.state.annotations[key]?.kernelTimeMicroseconds { row.time = (row.time ?? 0) + t }
                rows[op] = row
            }
        }
        return sorted(Array(rows.values), by: app.state.opsSort, name: \.op, count: \.count, parameters: \.parameters, macs: \.macs, time: \.time)
    }

    /// Nodes of the op type selected on the left (cached like ``typeRows()``).
    func nodeRows() -> [NodeRow] {
        let key = OpsRowsCache.Key(sort: app.state.opsSort, selectedType: app.state.opTypesList.selected, annotations: app.state.annotations)
        if let hit = app.opsRows.nodes, hit.key == key { return hit.rows }
        let rows = computeNodeRows()
        app.opsRows.nodes = (key, rows)
        return rows
    }

    private func computeNodeRows() -> [NodeRow] {
        let types = typeRows()
        guard types.indices.contains(app.state.opTypesList.selected) else { return [] }
        let op = types[app.state.opTypesList.selected].op
        var rows: [NodeRow] = []
        let doc = app.document
        for scope in doc.index.scopes {
            for id in scope.topologicalOrder {
                let node = scope.node(id)
                guard (node.isDefaultDomain ? node.opType : node.domain + "." + node.opType) == op else { continue }
                let key = NodeKey(scope: scope.id, node: id)
                let m = doc.metrics(key)
                rows.append(NodeRow(key: key, name: scope.displayName(id), parameters: m.parameters, macs: m.macs,
                                    time: app.state.annotations[key]?.kernelTimeMicroseconds))
            }
        }
        // File order is the natural order for "count" (every node counts once).
        if app.state.opsSort == .count { return rows }
        return sorted(rows, by: app.state.opsSort, name: \.name, count: { _ in 1 }, parameters: \.parameters, macs: \.macs, time: \.time)
    }

    func selectedNode() -> NodeKey? {
        let rows = nodeRows()
        return rows.indices.contains(app.state.opNodesList.selected) ? rows[app.state.opNodesList.selected].key : nil
    }

    private func sorted<R>(_ rows: [R], by key: OpsSortKey, name: (R) -> String, count: (R) -> Int,
                           parameters: (R) -> Int64, macs: (R) -> Int64, time: (R) -> Double?) -> [R] {
        rows.sorted { a, b in
            switch key {
            case .count: if count(a) != count(b) { return count(a) > count(b) }
            case .parameters: if parameters(a) != parameters(b) { return parameters(a) > parameters(b) }
            case .macs: if macs(a) != macs(b) { return macs(a) > macs(b) }
            case .time: if (time(a) ?? -1) != (time(b) ?? -1) { return (time(a) ?? -1) > (time(b) ?? -1) }
            case .name: break
            }
            return name(a) < name(b)
        }
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let leftWidth = min(area.width / 2, max(52, area.width * 45 / 100))
        let (left, right) = area.splitLeft(leftWidth)
        app.screen.opTypes = left
        app.screen.opNodes = right
        let theme = app.theme
        let types = typeRows()
        if app.state.opTypesList.selected >= types.count { app.state.opTypesList.selected = max(0, types.count - 1) }
        let sortNote = Line("sorted by \(app.state.opsSort.title) (s)", style: theme[.textDim])
        let typeInner = app.pane(Line("Op types (\(types.count))", style: theme[.title]), focused: app.state.focus == .opTypes,
                                 in: left, buffer: &buffer, footer: sortNote)
        let timeHeader = app.state.annotations.hasTimes ? "time" : "time"
        let typeColumns = [Table.Column("op", width: .fill(1)), Table.Column("count", width: .length(6), alignment: .right),
                           Table.Column("params", width: .length(8), alignment: .right),
                           Table.Column("MACs", width: .length(8), alignment: .right),
                           Table.Column(timeHeader, width: .length(8), alignment: .right)]
        renderWindow(columns: typeColumns, count: types.count, list: &app.state.opTypesList, in: typeInner,
                     focused: app.state.focus == .opTypes, buffer: &buffer) { i in
            let r = types[i]
            return [Line(r.op.escapedForDisplay, style: theme[ExplorerApp.role(of: r.category)]), Line(String(r.count)),
                    Line(r.parameters == 0 ? "-" : Format.count(r.parameters)), Line(r.macs == 0 ? "-" : Format.count(r.macs)),
                    Line(time(r.time), style: theme[.textDim])]
        }

        let nodes = nodeRows()
        if app.state.opNodesList.selected >= nodes.count { app.state.opNodesList.selected = max(0, nodes.count - 1) }
        let op = types.indices.contains(app.state.opTypesList.selected) ? types[app.state.opTypesList.selected].op.escapedForDisplay : ""
        let nodeInner = app.pane(Line("\(op) nodes (\(nodes.count))", style: theme[.title]), focused: app.state.focus == .opNodes,
                                 in: right, buffer: &buffer, footer: Line("Enter: show in graph", style: theme[.textDim]))
        let nodeColumns = [Table.Column("node", width: .fill(1)), Table.Column("params", width: .length(8), alignment: .right),
                           Table.Column("MACs", width: .length(8), alignment: .right),
                           Table.Column("time", width: .length(8), alignment: .right)]
        renderWindow(columns: nodeColumns, count: nodes.count, list: &app.state.opNodesList, in: nodeInner,
                     focused: app.state.focus == .opNodes, buffer: &buffer) { i in
            let r = nodes[i]
            let scopeNote = r.key.scope == 0 ? "" : "  [" + app.document.index.path(of: r.key.scope) + "]"
            return [Line(r.name + scopeNote), Line(r.parameters == 0 ? "-" : Format.count(r.parameters)),
                    Line(r.macs == 0 ? "-" : Format.count(r.macs)), Line(time(r.time), style: theme[.textDim])]
        }
    }

    private func time(_ t: Double?) -> String { RuntimeFormat.time(microseconds: t, ascii: app.ascii) }

    private func renderWindow(columns: [Table.Column], count: Int, list: inout ScrollStateBox, in area: Rect, focused: Bool,
                              buffer: inout Buffer, row: (Int) -> [Line]) {
        app.renderTableWindow(columns: columns, count: count, list: &list, in: area, focused: focused, buffer: &buffer, row: row)
    }
}

/// Memoized rows of the Ops view; the document never changes, so the sort key, the selected op
/// type and the annotations decide the rows.
final class OpsRowsCache {
    struct Key: Equatable {
        var sort: OpsSortKey
        var selectedType: Int
        var annotations: Annotations
    }
    var types: (key: Key, rows: [OpsTable.TypeRow])?
    var nodes: (key: Key, rows: [OpsTable.NodeRow])?
}
