import Foundation
import Testing

/// `onnxscope partition` as a user runs it: the report on a sample, a fix command that really
/// fixes the model (ORT's own tool runs it), and clear errors on bad input.
@Suite("Command line: partition", .serialized)
struct PartitionCommandTests {
    static let root = QuantizeCommandTests.root
    static var python: String { root + "/.venv/bin/python" }

    func partition(_ args: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try runSeparated(try TmuxEndToEndTests.binary(), ["partition"] + args + ["--ort", Self.root + "/.venv"])
        return (r.status, String(decoding: r.stdout, as: UTF8.self), String(decoding: r.stderr, as: UTF8.self))
    }

    static func tempDir() throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-pcli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    @Test("ResNet-50 with a symbolic batch: NNAPI no; the printed make_dynamic_shape_fixed command makes it yes")
    func fixCommandWorks() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = dir + "/resnet50.onnx"
        let sample = try run(try TmuxEndToEndTests.binary(), ["sample", "resnet50", "-o", model])
        try #require(sample.status == 0, "\(sample.output)")
        let before = try Data(contentsOf: URL(fileURLWithPath: model))

        let r = try partition([model, "--target", "nnapi"])
        try #require(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("NNAPI (predicted from the ORT 1.32.0 catalog): NO"), "\(r.stdout)")
        #expect(r.stdout.contains("with the dims fixed (batch=1): 122 of 122 nodes in 1 partition [122], yes"), "\(r.stdout)")
        let command = try #require(r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("python -m onnxruntime.tools.make_dynamic_shape_fixed") })
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before, "the model file is never modified")

        let args = command.split(separator: " ").dropFirst().map(String.init)
        let fixed = try run(Self.python, args)
        try #require(fixed.status == 0, "\(command): \(fixed.output)")
        let after = try partition([dir + "/resnet50.fixed.onnx", "--target", "nnapi", "--json"])
        try #require(after.status == 0, "\(after.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any])
        let target = try #require((report["targets"] as? [[String: Any]])?.first)
        #expect(target["verdict"] as? String == "yes")
        #expect(target["partition_sizes"] as? [Int] == [122])
        #expect(report["graph"] as? String == "ort-basic")
    }

    @Test("--json lists every node with onnxscope's and the checker's decision")
    func jsonNodes() throws {
        let r = try partition([Self.root + "/samples/bert-tiny.onnx", "--json", "--target", "coreml"])
        try #require(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let target = try #require((report["targets"] as? [[String: Any]])?.first)
        let nodes = try #require(target["nodes"] as? [[String: Any]])
        #expect(nodes.count == target["total_nodes"] as? Int)
        #expect(nodes.allSatisfy { $0["supported"] is Bool && $0["checker_supported"] is Bool })
        #expect(nodes.filter { $0["supported"] as? Bool == false }.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test("--raw analyses the file as written and says so")
    func raw() throws {
        let r = try partition([Self.root + "/samples/tiny-mlp.onnx", "--raw"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("graph: the model as written (--raw)"), "\(r.stdout)")
    }

    @Test("Bad input: a truncated file (exit 2), an unknown target or dim (exit 64), each named, nothing on stdout")
    func badInput() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.root + "/samples/bert-tiny.onnx"))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: dir + "/cut.onnx"))
        let cut = try partition([dir + "/cut.onnx"])
        #expect(cut.status == 2 && cut.stdout.isEmpty)
        #expect(cut.stderr.contains("is not a valid ONNX model"), "\(cut.stderr)")
        let target = try partition([Self.root + "/samples/tiny-mlp.onnx", "--target", "tpu"])
        #expect(target.status == 64 && target.stderr.contains("unknown --target tpu"), "\(target.stderr)")
        let dim = try partition([Self.root + "/samples/bert-tiny.onnx", "--dim", "nope=3"])
        #expect(dim.status == 64 && dim.stderr.contains("nope"), "\(dim.stderr)")
    }
}
