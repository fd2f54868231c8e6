import OnnxGraph
import Partition
import Terminal

/// The Deploy view (`6`): what the deployment target (`T` cycles NNAPI, CoreML, CoreML
/// MLProgram) is predicted to take of the model, the verdict, what fixing the dims would do,
/// and every node it would not take with the reason (Enter shows it in the graph).
struct DeployView {
    let app: ExplorerApp

    /// Nodes not taken, grouped by why (sub-graph, operator, condition, rank, dynamic shape),
    /// in graph order inside a group.
    func rows() -> [NodeSupport] {
        let order = Blocker.reportOrder
        return app.deployPrediction.nodes.filter { !$0.supported && !$0.isConstantNode }.enumerated().sorted { a, b in
            let ka = order.firstIndex(of: a.element.blockers[0].kind) ?? 9, kb = order.firstIndex(of: b.element.blockers[0].kind) ?? 9
            return (ka, a.offset) < (kb, b.offset)
        }.map(\.element)
    }

    func summaryLines() -> [Line] {
        let theme = app.theme
        let p = app.deployPrediction
        let c = p.counts
        func field(_ k: String, _ v: String, style: Style? = nil) -> Line {
            Line([Span(k.padding(toLength: 12, withPad: " ", startingAt: 0), style: theme[.textDim]), Span(v, style: style ?? theme[.text])])
        }
        let verdictStyle: Style = p.verdict == .yes ? theme[.success] : p.verdict == .maybe ? theme[.warning] : theme[.error]
        var out = [field("target", p.target.displayName + "  (T: next target)"),
                   field("catalog", "ORT \(p.target.catalog.ortRelease) tables"),
                   field("graph", "the model as written"),
                   Line("            (`onnxscope partition` starts from", style: theme[.textDim]),
                   Line("            ORT's optimized graph)", style: theme[.textDim]),
                   Line(""),
                   field("verdict", p.verdictWords, style: verdictStyle),
                   field("taken", "\(c.supportedNodes) of \(c.totalNodes) nodes"),
                   field("partitions", c.partitions == 0 ? "none" : "\(c.partitions): " + c.partitionSizes.map(String.init).joined(separator: ", "))]
        // Which ONNX Runtime releases load it at all (the measured opset/IR table).
        let needs = OrtReleases.Needs(model: app.modelDocument.model)
        let oldest = OrtReleases.oldest(loading: needs)
        out.append(field("loads in", oldest.map { "ORT \($0) and later" } ?? "no ORT up to \(RuntimeRelease.newestKnown)",
                         style: oldest == nil ? theme[.error] : nil))
        out.append(Line("            (" + needs.description + ")", style: theme[.textDim]))
        if !p.compileRisks.isEmpty {
            out.append(Line(""))
            out.append(Line("fails when the EP compiles it", style: theme[.title]))
            for r in p.compileRisks.prefix(3) {
                out.append(Line("  " + r.node.escapedForDisplay, style: theme[.error]))
                out.append(Line("    " + r.problem.escapedForDisplay, style: theme[.textDim]))
            }
            if p.compileRisks.count > 3 { out.append(Line("  … \(p.compileRisks.count - 3) more", style: theme[.textDim])) }
        }
        let blocked = p.nodes.filter { !$0.supported && !$0.isConstantNode }
        if !blocked.isEmpty {
            out.append(Line(""))
            out.append(Line("not taken", style: theme[.title]))
            var byKind: [String: [NodeSupport]] = [:]
            for n in blocked { byKind[n.blockers[0].kind, default: []].append(n) }
            for kind in Blocker.reportOrder {
                guard let nodes = byKind[kind] else { continue }
                out.append(Line([Span("  " + kind.padding(toLength: 14, withPad: " ", startingAt: 0)),
                                 Span(String(nodes.count), style: theme[.accent])]))
                let detail = PartitionReport.kindSummary(kind, nodes).replacingOccurrences(of: " — ", with: "")
                if !detail.isEmpty { out.append(Line("    " + detail.escapedForDisplay, style: theme[.textDim])) }
            }
        }
        if let f = p.fixedShapes {
            let dims = f.bindings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            out.append(Line(""))
            out.append(Line("with the dims fixed (\(dims.escapedForDisplay))", style: theme[.title]))
            out.append(Line("  \(f.counts.supportedNodes) of \(f.counts.totalNodes) nodes in \(f.counts.partitions) partition\(f.counts.partitions == 1 ? "" : "s"), " + f.counts.verdict.rawValue,
                            style: f.counts.verdict > c.verdict ? theme[.success] : theme[.text]))
            if f.counts.verdict > c.verdict {
                out.append(Line("  try it here: :dim " + f.bindings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ").escapedForDisplay,
                                style: theme[.textDim]))
                out.append(Line("  write it: onnxscope partition MODEL --fix-dims … -o OUT.onnx", style: theme[.textDim]))
            }
        }
        let sc = app.deployment.shapeComputation(document: app.document)
        if !sc.isEmpty {
            out.append(Line(""))
            out.append(Line("shape computation at run time", style: theme[.title]))
            out.append(Line("  \(sc.nodes.count) nodes: " + sc.ops.prefix(4).map { "\($0.op) ×\($0.count)" }.joined(separator: ", ")))
            if !sc.usedBy.isEmpty { out.append(Line("  feeding " + sc.usedBy.prefix(4).map { "\($0.op) ×\($0.count)" }.joined(separator: ", "), style: theme[.textDim])) }
            if !sc.dependsOn.isEmpty { out.append(Line("  from " + sc.dependsOn.map(\.dim).joined(separator: ", ").escapedForDisplay, style: theme[.textDim])) }
        }
        let unverified = Set(p.nodes.filter(\.supported).flatMap(\.unverified)).count
        if unverified > 0 {
            out.append(Line(""))
            out.append(Line("\(unverified) condition\(unverified == 1 ? "" : "s") of taken nodes could not be checked (see the inspector)", style: theme[.textDim]))
        }
        return out
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let theme = app.theme
        let leftWidth = min(area.width / 2, max(46, area.width * 42 / 100))
        let (left, right) = area.splitLeft(leftWidth)
        let summary = app.pane(Line("Deploy: " + app.state.deployTarget.displayName, style: theme[.title]), focused: false, in: left, buffer: &buffer)
        Paragraph(summaryLines(), style: theme.base, scroll: 0).render(in: summary.inset(left: 1), buffer: &buffer)

        let rows = rows()
        if app.state.deployList.selected >= rows.count { app.state.deployList.selected = max(0, rows.count - 1) }
        app.screen.deployList = right
        let inner = app.pane(Line("Not taken (\(rows.count))", style: theme[.title]), focused: app.state.focus == .deploy,
                             in: right, buffer: &buffer, footer: Line("Enter: show in graph", style: theme[.textDim]))
        let columns = [Table.Column("node", width: .fill(1)), Table.Column("op", width: .length(12)),
                       Table.Column("why", width: .length(13)), Table.Column("detail", width: .fill(2))]
        let nameWidth = max(8, (inner.width - 12 - 13 - 6) / 3)
        app.renderTableWindow(columns: columns, count: rows.count, list: &app.state.deployList, in: inner,
                              focused: app.state.focus == .deploy, buffer: &buffer) { i in
            let n = rows[i]
            var name = n.name.escapedForDisplay
            if name.count > nameWidth { name = app.glyphs.ellipsis + name.suffix(nameWidth - 1) }
            let kind = n.blockers[0].kind
            let style = kind == "dynamic shape" ? theme[.warning] : theme[.error]
            return [Line(name), Line(n.op.replacingOccurrences(of: "ai.onnx:", with: "").escapedForDisplay, style: theme[.textDim]),
                    Line(kind, style: style), Line(n.blockers.map(\.description).joined(separator: "; ").escapedForDisplay, style: theme[.textDim])]
        }
    }
}
