import ModelReport
import OnnxModel
import Terminal

/// The Model view: problems, metadata, inputs/outputs, opsets, op histogram and largest
/// tensors, from the same ``ModelSummary`` that `onnxscope info` prints, then ONNX Runtime's
/// messages, if any.
struct ModelView {
    let app: ExplorerApp

    func lines() -> [Line] {
        summaryLines() + app.runtimeMessageLines()
    }

    func summaryLines() -> [Line] {
        let theme = app.theme
        let summary = app.document.summary
        // Problems come first and in full (the text form stops at 50): a model that ONNX
        // Runtime would refuse should say so before its statistics.
        var out: [Line] = []
        if !summary.problems.isEmpty {
            let counts = ["error", "warning", "info"].compactMap { severity -> String? in
                let n = summary.problems.filter { $0.severity == severity }.count
                return n == 0 ? nil : "\(n) \(severity)\(n == 1 || severity == "info" ? "" : "s")"
            }
            out.append(Line("problems  (" + counts.joined(separator: ", ") + ")", style: theme[.title]))
            for p in summary.problems {
                let role: ThemeRole = p.severity == "error" ? .error : p.severity == "warning" ? .warning : .textDim
                out.append(Line([Span("  " + p.severity + ": ", style: theme[role]), Span(p.message.escapedForDisplay)]))
            }
            out.append(Line(""))
        }
        var text = summary.text().split(separator: "\n", omittingEmptySubsequences: false)
        if let shown = text.firstIndex(of: "problems") { text = Array(text[..<max(0, shown - 1)]) }   // and the blank line before
        return out + text.map { raw in
            let text = String(raw)
            // Section headings of the summary are the unindented lines without a value column.
            if !text.isEmpty, !text.hasPrefix(" "), !text.contains("  ") { return Line(text, style: theme[.title]) }
            if let r = text.range(of: "  "), !text.hasPrefix(" ") {
                return Line([Span(String(text[..<r.lowerBound]), style: theme[.textDim]), Span(String(text[r.lowerBound...]))])
            }
            return Line(text)
        }
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let inner = app.pane(Line("Model", style: app.theme[.title]), focused: true, in: area, buffer: &buffer)
        let all = lines()
        let maxScroll = max(0, all.count - inner.height)
        app.state.modelScroll = min(app.state.modelScroll, maxScroll)
        Paragraph(all, style: app.theme.base, scroll: app.state.modelScroll).render(in: inner.inset(left: 1), buffer: &buffer)
    }
}
