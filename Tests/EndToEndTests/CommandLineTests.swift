import Foundation
import OnnxModel
import Testing

/// The `info` and `sample` commands as a user runs them: exit codes, the one-line reason on
/// bad input, and output that never carries a model's control characters to the terminal.
@Suite("Command line: info and sample")
struct CommandLineTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples").path

    func temp(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-cli-\(getpid())-\(name)").path
    }

    @Test("info --json on a sample exits 0 with the documented keys")
    func infoJSON() throws {
        let r = try run(try TmuxEndToEndTests.binary(), ["info", Self.samples + "/if-branch.onnx", "--json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any]
        #expect(obj?["node_count"] as? Int == 5)
        #expect((obj?["subgraphs"] as? [Any])?.count == 2)
    }

    @Test("a truncated model exits 2 with a one-line reason, then the detail")
    func truncated() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.samples + "/tiny-mlp.onnx"))
        let path = temp("truncated.onnx")
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let r = try run(try TmuxEndToEndTests.binary(), ["info", path])
        #expect(r.status == 2)
        let lines = r.output.split(separator: "\n")
        #expect(lines.first?.contains("is not a valid ONNX model") == true, "\(r.output)")
        #expect(lines.count >= 2 && lines[1].contains("byte"), "\(r.output)")
    }

    @Test("a graph with a cycle exits 2 and names the nodes on it")
    func cycle() throws {
        var b = GraphBuilder()
        b.input("x", .float, [.value(1)])
        b.node("Add", ["x", "b_out"], name: "first", outputNames: ["a_out"])
        b.node("Relu", ["a_out"], name: "second", outputNames: ["b_out"])
        b.output("b_out", .float, [.value(1)])
        let path = temp("cycle.onnx")
        try b.model().write(to: path)
        defer { unlink(path) }
        let r = try run(try TmuxEndToEndTests.binary(), ["info", path])
        #expect(r.status == 2)
        #expect(r.output.contains("cycle") && r.output.contains("first") && r.output.contains("second"), "\(r.output)")
    }

    @Test("names with escape sequences are printed escaped")
    func hostileNames() throws {
        var b = GraphBuilder()
        b.input("x\u{1b}[2J", .float, [.value(1)])
        b.node("Relu", ["x\u{1b}[2J"], name: "evil\u{1b}]0;pwned\u{07}", outputNames: ["y\u{9b}31m"])
        b.output("y\u{9b}31m", .float, [.value(1)])
        let path = temp("hostile.onnx")
        try b.model().write(to: path)
        defer { unlink(path) }
        let r = try run(try TmuxEndToEndTests.binary(), ["info", path])
        #expect(r.status == 0)
        #expect(!r.output.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 || $0.value == 0x9b }, "\(r.output.debugDescription)")
        #expect(r.output.contains("x\\e[2J"))
    }

    @Test("an unknown sample name exits 2 and lists the valid ones")
    func unknownSample() throws {
        let r = try run(try TmuxEndToEndTests.binary(), ["sample", "nope", "-o", temp("nope.onnx")])
        #expect(r.status == 2)
        #expect(r.output.contains("resnet50") && r.output.contains("bert-tiny"))
        #expect(!FileManager.default.fileExists(atPath: temp("nope.onnx")))
    }
}
