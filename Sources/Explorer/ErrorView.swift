import Foundation
import Quantization
import Terminal

/// The Error view (`5`): every quantized value of the current int8 variant, worst first by
/// its SQNR through the int8 model (propagated), with its own Q/DQ's error beside it (local).
/// `Q` on a row keeps the int8 nodes tied to that value float (what the fallback search would
/// do), Enter shows the value's writer in the graph. The figures come from the quantization
/// job's snapshot; the view only reads them.
struct ErrorView {
    let app: ExplorerApp

    func rows() -> [LayerError] { app.state.quantization?.layerErrors ?? [] }

    /// What the left pane says: the variant's figures, or why there are none yet.
    func summaryLines() -> [Line] {
        let theme = app.theme
        guard let q = app.state.quantization else {
            return [Line("No int8 variant yet.", style: theme[.text]),
                    Line(""),
                    Line("Q on a node or `:quantize all` builds one", style: theme[.textDim]),
                    Line("(open with --calibration PATH --eval PATH).", style: theme[.textDim])]
        }
        var out: [Line] = []
        if let status = app.quantizationStatus { out.append(Line(status.escapedForDisplay, style: theme[.text])) }
        out.append(Line(""))
        if q.measuringErrors {
            out.append(Line("measuring the error of every quantized value" + app.glyphs.ellipsis, style: theme[.warning]))
        } else if q.layerErrors.isEmpty {
            out.append(Line(q.evaluation == nil ? "no --eval samples: per-value errors need them" : "no quantized values", style: theme[.textDim]))
        } else {
            let worst = q.layerErrors.first!
            out.append(Line("\(q.layerErrors.count) quantized values", style: theme[.title]))
            out.append(Line(String(format: "  worst: %.1f dB through the model", worst.propagatedSQNR), style: theme[Self.role(worst.propagatedSQNR)]))
            out.append(Line("  at " + worst.tensor.escapedForDisplay, style: theme[.textDim]))
            out.append(Line(""))
            out.append(Line("local: the value's own Q/DQ alone", style: theme[.textDim]))
            out.append(Line("propagated: through every int8 node before it", style: theme[.textDim]))
            out.append(Line("(SQNR on the --eval samples; higher is better)", style: theme[.textDim]))
        }
        if let r = selectedRow(), let plan = q.plan {
            out.append(Line(""))
            out.append(Line("selected", style: theme[.title]))
            out.append(Line("  " + r.tensor.escapedForDisplay))
            out.append(Line("  written by " + (r.node.isEmpty ? "a graph input" : r.node).escapedForDisplay, style: theme[.textDim]))
            let tied = r.int8Nodes.map { n in n + (plan.decision(named: n)?.precision == .float ? " (float)" : "") }
            out.append(Line("  int8 nodes tied to it: " + (tied.isEmpty ? "none" : tied.joined(separator: ", ")).escapedForDisplay, style: theme[.textDim]))
            if let c = q.comparison, c.tensor == r.tensor {
                out += comparisonLines(c)
            } else if q.comparing == r.tensor {
                out.append(Line("  comparing float and int8 values" + app.glyphs.ellipsis, style: theme[.textDim]))
            }
        }
        return out
    }

    /// Histograms of the value in float and int8 on one scale, and of their difference.
    func comparisonLines(_ c: ValueComparison) -> [Line] {
        let theme = app.theme
        func bars(_ bins: [Int]) -> String { RuntimeFormat.histogram(bins, ascii: app.ascii) }
        // Statistics as a small table: it fits the summary pane where one line per value did not.
        func cell(_ v: Double) -> String { String(format: "%.3g", v).padding(toLength: 9, withPad: " ", startingAt: 0) + " " }
        func stats(_ label: String, _ s: ValueComparison.Summary) -> Line {
            Line("  " + label.padding(toLength: 6, withPad: " ", startingAt: 0) + cell(s.mean) + cell(s.std) + cell(s.min) + cell(s.max), style: theme[.textDim])
        }
        return [
            Line(""),
            Line("values on \(c.samples) eval sample\(c.samples == 1 ? "" : "s") (\(c.float.count / max(1, c.samples)) each)", style: theme[.title]),
            Line([Span("  float ", style: theme[.textDim]), Span(bars(c.floatBins), style: theme[.accent])]),
            Line([Span("  int8  ", style: theme[.textDim]), Span(bars(c.int8Bins), style: theme[.accent])]),
            Line(String(format: "        %.4g … %.4g", c.range.lowerBound, c.range.upperBound), style: theme[.textDim]),
            Line([Span("  diff  ", style: theme[.textDim]), Span(bars(c.differenceBins), style: theme[.warning])]),
            Line(String(format: "        ±%.4g (int8 − float)", c.differenceLimit), style: theme[.textDim]),
            Line(""),
            Line("        mean      std       min       max", style: theme[.textDim]),
            stats("float", c.float), stats("int8", c.int8), stats("diff", c.difference),
        ]
    }

    func selectedRow() -> LayerError? {
        let r = rows()
        return r.indices.contains(app.state.errorList.selected) ? r[app.state.errorList.selected] : nil
    }

    /// ≥ 30 dB good, ≥ 20 dB usable, below that the value needs attention.
    static func role(_ sqnr: Double) -> ThemeRole { sqnr >= 30 ? .success : sqnr >= 20 ? .warning : .error }

    func render(in area: Rect, buffer: inout Buffer) {
        let theme = app.theme
        let leftWidth = min(area.width / 2, max(44, area.width * 38 / 100))
        let (left, right) = area.splitLeft(leftWidth)
        let summary = app.pane(Line("Quantization error", style: theme[.title]), focused: false, in: left, buffer: &buffer)
        Paragraph(summaryLines(), style: theme.base, scroll: 0).render(in: summary.inset(left: 1), buffer: &buffer)

        let rows = rows()
        if app.state.errorList.selected >= rows.count { app.state.errorList.selected = max(0, rows.count - 1) }
        app.screen.errorList = right
        let inner = app.pane(Line("Values by error (\(rows.count))", style: theme[.title]), focused: app.state.focus == .errors,
                             in: right, buffer: &buffer, footer: Line("Q: keep its int8 nodes float / int8 again   Enter: show in graph", style: theme[.textDim]))
        let columns = [Table.Column("value", width: .fill(2)), Table.Column("writer", width: .fill(1)),
                       Table.Column("local", width: .length(8)), Table.Column("propagated", width: .length(10))]
        app.renderTableWindow(columns: columns, count: rows.count, list: &app.state.errorList, in: inner,
                              focused: app.state.focus == .errors, buffer: &buffer) { i in
            let r = rows[i]
            let local = r.localSQNR.map { String(format: "%.1f dB", $0) } ?? "—"
            return [Line(r.tensor.escapedForDisplay), Line((r.node.isEmpty ? "(input)" : r.node).escapedForDisplay, style: theme[.textDim]),
                    Line(local, style: r.localSQNR.map { theme[Self.role($0)] } ?? theme[.textDim]),
                    Line(String(format: "%.1f dB", r.propagatedSQNR), style: theme[Self.role(r.propagatedSQNR)])]
        }
    }
}

extension ExplorerApp {
    /// `Q` in the Error view: the row's tied int8 nodes all float, or (when they already are)
    /// back to int8.
    func toggleErrorRow() {
        guard let job = quantizationJobOrExplain() else { return }
        if job.snapshot.plan == nil {
            requestVariant("calibrating" + glyphs.ellipsis + " (the values appear here once the int8 variant is measured)")
            return
        }
        guard let r = ErrorView(app: self).selectedRow() else { return }
        guard !r.int8Nodes.isEmpty else {
            state.message = StatusMessage("\(r.tensor.escapedForDisplay) has no int8 node of its own to keep float", kind: .warning)
            return
        }
        let plan = state.quantization?.plan
        let allFloat = r.int8Nodes.allSatisfy { plan?.decision(named: $0)?.precision == .float }
        for n in r.int8Nodes {
            if allFloat { state.planRequest.exclude.remove(n); state.planRequest.fallback.remove(n); state.planRequest.include.insert(n) }
            else { state.planRequest.include.remove(n); state.planRequest.exclude.insert(n) }
        }
        requestVariant("\(r.int8Nodes.joined(separator: ", ").escapedForDisplay) → \(allFloat ? "int8" : "float"); building the int8 variant" + glyphs.ellipsis)
    }

    /// In the Error view: asks the job to compare the selected value once the variant and its
    /// errors are measured (called every loop turn; cheap when there is nothing to ask).
    func requestComparisonIfNeeded() {
        guard state.view == .error, let job = quantizationJob, let q = state.quantization, q.phase == .ready, !q.isStale,
              !q.measuringErrors, q.comparing == nil, let r = ErrorView(app: self).selectedRow(), q.comparison?.tensor != r.tensor,
              state.comparisonAsked != r.tensor else { return }
        state.comparisonAsked = r.tensor
        job.requestComparison(tensor: r.tensor)
        state.quantization?.comparing = r.tensor
    }

    /// The propagated SQNR of the values a node writes (worst), for the error tint and the inspector.
    func quantizationError(ofNode name: String) -> LayerError? {
        (state.quantization?.layerErrors ?? []).filter { $0.node == name }.min { $0.propagatedSQNR < $1.propagatedSQNR }
    }
}
