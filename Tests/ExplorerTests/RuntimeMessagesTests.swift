import Testing
@testable import Explorer
import OnnxRuntimeKit
import Terminal

/// ONNX Runtime's messages inside the explorer: counted in the status bar, listed at the end of
/// the Model view, escaped, and drawn only from the app's state.
@Suite struct RuntimeMessagesTests {
    @Test("ORT messages show in the status bar and the Model view, escaped")
    func messagesAreShown() {
        let app = Fixtures.app(Fixtures.ifBranch)
        let log = OrtLog(level: .verbose)
        app.runtimeLog = log
        let s = Screen(app)
        #expect(!s.text.contains("ORT "), "no messages yet: \(s.text)")

        log.record(severity: .warning, category: "onnxruntime", message: "\u{1b}[0;93mSome nodes were not assigned\u{1b}[m")
        log.record(severity: .warning, category: "onnxruntime", message: "Some nodes were not assigned")
        log.record(severity: .error, category: "onnxruntime", message: "title\u{1b}]0;pwned\u{07} set")
        log.record(severity: .info, category: "onnxruntime", message: "Initializing session.")
        // The state changes only when the app takes the log's snapshot (the run loop does,
        // before each frame); drawing alone never reads the log.
        s.draw()
        #expect(!s.text.contains("ORT "))
        app.refreshRuntimeMessages()
        #expect(app.state.runtimeMessages.count == 3)
        s.draw()
        #expect(s.lines.last?.contains("ORT 1 error, 1 warning") == true, "\(s.lines.last ?? "")")

        s.press(.char("3"), .char("G"))
        #expect(s.text.contains("ONNX Runtime messages"), "\(s.text)")
        #expect(s.text.contains("ort warning: Some nodes were not assigned (×2)"), "\(s.text)")
        #expect(s.text.contains("ort error: title\\e]0;pwned\\u{7} set"), "\(s.text)")
        #expect(s.text.contains("ort info: Initializing session."))
        #expect(!s.text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 })
    }
}
