import Foundation
import Testing
@testable import Explorer
import ModelSamples
import OnnxModel
import Terminal

/// Sample documents, built once per test process (ResNet-50 takes a while in debug builds).
enum Fixtures {
    static let resnet50 = Document(model: try! SampleModels.make("resnet50"), path: "samples/resnet50.onnx")
    static let bertTiny = Document(model: try! SampleModels.make("bert-tiny"), path: "samples/bert-tiny.onnx")
    static let ifBranch = Document(model: try! SampleModels.make("if-branch"), path: "samples/if-branch.onnx")

    /// A model whose names, op types and doc strings try to drive the terminal.
    static let hostile: Document = {
        var b = GraphBuilder(name: "hostile")
        let x = b.input("x\u{1b}[2J", .float, [.value(1), .value(4)])
        let a = b.node("Relu", [x], name: "\u{1b}]0;pwned\u{07}/evil\u{1b}[31mred")[0]
        let c = b.node("Sigmoid", [a], name: "/blk\u{9b}1/Sigmoid")[0]
        let d = b.node("Evil\u{1b}[5mOp", [c], name: "/blk\u{9b}1/\u{202e}gnp.exe", domain: "com.\u{1b}x")[0]
        b.output(d, .float, nil)
        return Document(model: b.model(docString: "doc \u{1b}[H"), path: "hostile\u{1b}[1m.onnx")
    }()

    static func app(_ document: Document, ascii: Bool = false) -> ExplorerApp {
        ExplorerApp(document: document, theme: .builtinDark, ascii: ascii)
    }
}

/// An app drawn into the in-memory terminal.
struct Screen {
    let app: ExplorerApp
    let backend: TestBackend
    let terminal: Terminal<TestBackend>

    init(_ app: ExplorerApp, width: Int = 120, height: Int = 40) {
        self.app = app
        backend = TestBackend(width: width, height: height)
        terminal = Terminal(backend: backend, glyphs: app.glyphs)
        draw()
    }

    func draw() {
        terminal.draw { app.render(&$0) }
    }

    /// Presses keys, drawing after each as the run loop does.
    func press(_ keys: Key...) {
        for k in keys {
            app.handle(.key(k))
            draw()
        }
    }

    func type(_ text: String) { for c in text { press(.char(c)) } }

    var lines: [String] { backend.lines() }
    var text: String { lines.joined(separator: "\n") }

    /// The screen with trailing blanks trimmed, as stored in golden files.
    var goldenText: String {
        lines.map { line in
            var l = line
            while l.last == " " { l.removeLast() }
            return l
        }.joined(separator: "\n") + "\n"
    }

    /// Position of the first occurrence of `text` on screen.
    func find(_ text: String) -> (x: Int, y: Int)? {
        for (y, line) in lines.enumerated() {
            if let r = line.range(of: text) { return (line.distance(from: line.startIndex, to: r.lowerBound), y) }
        }
        return nil
    }
}

/// Compares a screen with `Tests/ExplorerTests/Goldens/NAME.txt`.
///
/// With `ONNXSCOPE_UPDATE_GOLDENS=1` the golden is (re)written instead; review it by eye before
/// committing. A missing golden is written and the test fails, so a new screen is never
/// accepted unseen.
func expectGolden(_ name: String, _ screen: Screen, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    let url = dir.appendingPathComponent(name + ".txt")
    let actual = screen.goldenText
    let update = ProcessInfo.processInfo.environment["ONNXSCOPE_UPDATE_GOLDENS"] == "1"
    guard !update, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        if !update { Issue.record("golden \(name) did not exist; wrote it — review and re-run", sourceLocation: sourceLocation) }
        return
    }
    if expected != actual {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let row = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(e.count, a.count)
        try? actual.write(to: dir.appendingPathComponent(name + ".actual.txt"), atomically: true, encoding: .utf8)
        Issue.record("""
            screen differs from golden \(name) at row \(row):
              expected: \(row < e.count ? String(e[row]) : "<none>")
              actual:   \(row < a.count ? String(a[row]) : "<none>")
            (actual screen written to Goldens/\(name).actual.txt; ONNXSCOPE_UPDATE_GOLDENS=1 accepts it)
            """, sourceLocation: sourceLocation)
    }
}
