import ModelReport
import Terminal

/// The Model view: metadata, inputs/outputs, opsets, op histogram, largest tensors and
/// problems, from the same ``ModelSummary`` that `onnxscope info` prints, then ONNX Runtime's
/// messages, if any.
struct ModelView {
    let app: ExplorerApp

    func lines() -> [Line] {
        summaryLines() + app.runtimeMessageLines()
    }

    func summaryLines() -> [Line] {
        let theme = app.theme
        return app.document.summary.text().split(separator: "\n", omittingEmptySubsequences: false).map { raw in
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
