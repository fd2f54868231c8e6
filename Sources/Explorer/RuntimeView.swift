import Terminal
import Workbench

/// The Runtime view (`4`): live latency and its sparkline, totals by op type, provider and
/// partition, the nodes that take the time (Enter shows one in the graph), and the session's
/// settings. Everything comes from ``AppState/runtime`` and the annotations.
struct RuntimeView {
    let app: ExplorerApp

    struct NodeRow {
        var node: Int
        var name: String
        var op: String
        var provider: String
        var partition: Int?
        var p50: Double?
        var p90: Double?
        var share: Double
    }

    /// Main-graph nodes with a kernel time, slowest first.
    func nodeRows() -> [NodeRow] {
        var rows: [NodeRow] = []
        for (key, a) in app.state.annotations.byNode where key.scope == 0 {
            guard let t = a.kernelTimeMicroseconds, t > 0 else { continue }
            rows.append(NodeRow(node: key.node, name: app.document.displayName(key), op: app.document.node(key).opType.escapedForDisplay,
                                provider: RuntimeFigures.short(a.provider ?? "?"), partition: a.partition,
                                p50: t, p90: a.kernelTimeP90Microseconds, share: a.share ?? 0))
        }
        let rank = Dictionary(uniqueKeysWithValues: app.document.scope(0).topologicalOrder.enumerated().map { ($1, $0) })
        switch app.state.runtimeSort {
        case .p50: return rows.sorted { ($0.p50 ?? 0, $1.name) > ($1.p50 ?? 0, $0.name) }
        case .p90: return rows.sorted { ($0.p90 ?? 0, $1.name) > ($1.p90 ?? 0, $0.name) }
        case .partition: return rows.sorted { ($0.partition ?? Int.max, rank[$0.node] ?? 0) < ($1.partition ?? Int.max, rank[$1.node] ?? 0) }
        case .provider: return rows.sorted { ($0.provider, -($0.p50 ?? 0), $0.name) < ($1.provider, -($1.p50 ?? 0), $1.name) }
        case .graphOrder: return rows.sorted { (rank[$0.node] ?? 0) < (rank[$1.node] ?? 0) }
        case .name: return rows.sorted { $0.name < $1.name }
        }
    }

    func summaryLines(width: Int) -> [Line] {
        let r = app.state.runtime
        let theme = app.theme
        func field(_ k: String, _ v: String, style: Style? = nil) -> Line {
            Line([Span(k.padding(toLength: 14, withPad: " ", startingAt: 0), style: theme[.textDim]), Span(v, style: style ?? theme[.text])])
        }
        var out: [Line] = []
        switch r.phase {
        case .idle:
            out.append(Line("not running: r starts a live run", style: theme[.textDim]))
            if app.makeLiveRuntime == nil { out.append(Line("(ONNX Runtime was not loaded: see `onnxscope runtime`)", style: theme[.textDim])) }
        case .starting: out.append(Line("starting" + app.glyphs.ellipsis, style: theme[.accent]))
        case .running: out.append(Line("running" + (r.isStale ? " (settings changed, figures stale)" : ""), style: theme[.success]))
        case .stopped: out.append(Line("stopped: r resumes", style: theme[.warning]))
        case .failed(let m): out.append(Line("failed: " + m.escapedForDisplay, style: theme[.error]))
        }
        if let banner = r.fallbackBanner(document: app.document) { out.append(Line(banner, style: theme[.warning])) }
        out.append(Line(""))
        if let l = r.latency {
            out.append(field("latency p50", RuntimeFormat.ms(l.p50)))
            out.append(field("p90 / p99", RuntimeFormat.ms(l.p90) + " / " + RuntimeFormat.ms(l.p99)))
        } else {
            out.append(field("latency", "-"))
        }
        if let rps = r.runsPerSecond { out.append(field("runs/s", String(format: "%.1f", rps) + "  (\(r.runs) runs)")) }
        if !r.recentLatencyMs.isEmpty {
            out.append(field("recent", RuntimeFormat.sparkline(r.recentLatencyMs, width: max(8, width - 16), ascii: app.ascii), style: theme[.accent]))
        }
        if let c = r.sessionCreateMs { out.append(field("session", RuntimeFormat.ms(c) + " to create")) }
        if let o = r.profilingOverheadPercent { out.append(field("profiling", String(format: "%+.1f %% on p50 (kernel times only)", o))) }
        if let k = r.kernelTotalMs { out.append(field("kernels", RuntimeFormat.ms(k) + " per run, summed")) }
        if !r.settings.isEmpty { out.append(field("settings", r.settings.escapedForDisplay)) }
        for (title, buckets) in [("by provider", r.byProvider), ("by partition", r.byPartition), ("by op type", r.byOpType)] where !buckets.isEmpty {
            out.append(Line(""))
            out.append(Line(title, style: theme[.title]))
            for b in buckets.prefix(title == "by op type" ? 12 : 8) {
                let key = b.key.replacingOccurrences(of: "ExecutionProvider", with: "").escapedForDisplay
                out.append(Line([Span("  " + key.padding(toLength: 22, withPad: " ", startingAt: 0)),
                                 Span(RuntimeFormat.ms(b.ms).padding(toLength: 11, withPad: " ", startingAt: 0)),
                                 Span(RuntimeFormat.percent(b.share), style: theme[.textDim]),
                                 Span("  \(b.count)", style: theme[.textDim])]))
            }
        }
        return out
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let theme = app.theme
        let leftWidth = min(area.width / 2, max(48, area.width * 45 / 100))
        let (left, right) = area.splitLeft(leftWidth)
        let summary = app.pane(Line("Runtime", style: theme[.title]), focused: false, in: left, buffer: &buffer)
        Paragraph(summaryLines(width: summary.width), style: theme.base, scroll: 0).render(in: summary.inset(left: 1), buffer: &buffer)

        let rows = nodeRows()
        if app.state.runtimeList.selected >= rows.count { app.state.runtimeList.selected = max(0, rows.count - 1) }
        app.screen.runtimeList = right
        let title = app.state.runtimeSort == .p50 ? "Top nodes by time (\(rows.count))" : "Nodes by \(app.state.runtimeSort.title) (\(rows.count))"
        let inner = app.pane(Line(title, style: theme[.title]), focused: app.state.focus == .runtime,
                             in: right, buffer: &buffer, footer: Line("Enter: show in graph   s: sort (\(app.state.runtimeSort.title))", style: theme[.textDim]))
        let columns = [Table.Column("node", width: .fill(1)), Table.Column("op", width: .length(12)),
                       Table.Column("EP", width: .length(9)), Table.Column("part", width: .length(4), alignment: .right),
                       Table.Column("p50", width: .length(9), alignment: .right), Table.Column("p90", width: .length(9), alignment: .right),
                       Table.Column("share", width: .length(7), alignment: .right)]
        // Exporter names are long and their tail tells most (`…/layer3.1/conv2/Conv`).
        let nameWidth = max(8, inner.width - (12 + 9 + 4 + 9 + 9 + 7) - 6)
        app.renderTableWindow(columns: columns, count: rows.count, list: &app.state.runtimeList, in: inner,
                              focused: app.state.focus == .runtime, buffer: &buffer) { i in
            var r = rows[i]
            if r.name.count > nameWidth { r.name = app.glyphs.ellipsis + r.name.suffix(nameWidth - 1) }
            let heat = theme[ThemeRole.heat[RuntimeFormat.heat(share: r.share)]]
            return [Line(r.name), Line(r.op, style: theme[.textDim]), Line(r.provider.escapedForDisplay),
                    Line(r.partition.map(String.init) ?? "-"),
                    Line(RuntimeFormat.time(microseconds: r.p50, ascii: app.ascii), style: heat),
                    Line(RuntimeFormat.time(microseconds: r.p90, ascii: app.ascii), style: theme[.textDim]),
                    Line(RuntimeFormat.percent(r.share), style: theme[.textDim])]
        }
    }
}
