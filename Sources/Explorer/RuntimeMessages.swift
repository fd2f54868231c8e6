import OnnxRuntimeKit
import Terminal

/// ONNX Runtime's messages in the explorer: a section at the end of the Model view and a count
/// in the status bar. ORT's logger writes into an ``OrtLog``, never to the terminal; the app
/// only copies the log's snapshot into its state and draws from the state.
extension ExplorerApp {
    /// Copies a changed ``runtimeLog`` into ``AppState/runtimeMessages`` (cheap when unchanged).
    func refreshRuntimeMessages() {
        guard let log = runtimeLog else { return }
        let changes = log.changes
        guard changes != runtimeLogSeen else { return }
        runtimeLogSeen = changes
        state.runtimeMessages = log.snapshot()
    }

    /// `ORT 1 error, 2 warnings` for the status bar; nil when nothing at warning or above.
    var runtimeMessageSummary: String? {
        let errors = state.runtimeMessages.filter { $0.severity >= .error }.count
        let warnings = state.runtimeMessages.filter { $0.severity == .warning }.count
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        return parts.isEmpty ? nil : "ORT " + parts.joined(separator: ", ")
    }

    /// The Model view's message section: a heading, then each message as the command line
    /// prints it (already escaped when recorded).
    func runtimeMessageLines() -> [Line] {
        guard !state.runtimeMessages.isEmpty else { return [] }
        var out = [Line(""), Line("ONNX Runtime messages", style: theme[.title])]
        for entry in state.runtimeMessages {
            let style = entry.severity >= .warning ? theme[.warning] : theme[.textDim]
            out += entry.displayLines.map { Line("  " + $0, style: style) }
        }
        return out
    }
}
