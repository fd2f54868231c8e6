import Foundation
import Testing

/// `--dim` as a user meets it in `info`, `run` and `view` on a real detector export
/// (Ultralytics YOLOv8n from the nudenet wheel, fetched by `make real-models`).
@Suite("Command line: dims on a real export")
struct DimsCommandLineTests {
    static let detector = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".models/nudenet-320n.onnx").path

    func requireModel() throws {
        guard FileManager.default.fileExists(atPath: Self.detector) else {
            throw DimsTestError("\(Self.detector) is missing: run `make real-models` (the test command does)")
        }
    }

    @Test("info: one note line with the dims and their source, no expression dumps")
    func infoNote() throws {
        try requireModel()
        let r = try run(try TmuxEndToEndTests.binary(), ["info", Self.detector])
        #expect(r.status == 0)
        let notes = r.output.split(separator: "\n").filter { $0.contains("at batch=") }
        #expect(notes == ["                  at batch=1, height=320, width=320 (imgsz from metadata); set with --dim NAME=VALUE"], "\(r.output)")
        #expect(!r.output.contains("floor("), "\(r.output)")
        #expect(r.output.contains("MACs              1.02 G"), "\(r.output)")
    }

    @Test("info --dim rebinds every derived shape and the MACs; --values lists them")
    func infoValues() throws {
        try requireModel()
        let r = try run(try TmuxEndToEndTests.binary(), ["info", Self.detector, "--json", "--values", "--nodes", "--dim", "height=640", "--dim", "width=480"])
        #expect(r.status == 0, "\(r.output)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.output.utf8)) as? [String: Any]
        let values = obj?["values"] as? [[String: Any]] ?? []
        let output = values.first { $0["name"] as? String == "output0" }
        // 80·60 + 40·30 + 20·15 anchors.
        #expect(output?["shape"] as? [AnyHashable] == ["batch", 22, 6300] as [AnyHashable], "\(String(describing: output))")
        let images = values.first { $0["name"] as? String == "images" }
        #expect((images?["shape"] as? [Any])?.count == 4)
        #expect((images?["shape"] as? [Any])?.first as? String == "batch", "unbound dims stay symbols")
        let nodes = obj?["nodes"] as? [[String: Any]] ?? []
        let first = nodes.first { $0["name"] as? String == "/model.0/conv/Conv" }
        // 16 × 320 × 240 outputs × (3·3·3 + bias).
        #expect(first?["macs"] as? Int == 16 * 320 * 240 * 28, "\(String(describing: first))")
        #expect(first?["op"] as? String == "Conv")
    }

    @Test("a --dim the model lacks is an error listing the model's dims, in info, run and view")
    func unknownDim() throws {
        try requireModel()
        for args in [["info", Self.detector, "--dim", "sequence=128"],
                     ["run", Self.detector, "--dim", "sequence=128", "--runs", "1"],
                     ["view", Self.detector, "--dim", "sequence=128"]] {
            let r = try run(try TmuxEndToEndTests.binary(), args)
            #expect(r.status != 0, "\(args[0]): \(r.output)")
            #expect(r.output.contains("'sequence': no such dim; the model's symbolic dims are: batch, height, width"), "\(args[0]): \(r.output)")
        }
    }

    @Test("run generates 320×320 images from the imgsz metadata and says so")
    func runUsesMetadata() throws {
        try requireModel()
        let r = try run(try TmuxEndToEndTests.binary(), ["run", Self.detector, "--runs", "1", "--warmup", "0", "--json"])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("generated inputs at batch=1, height=320, width=320 (imgsz from metadata)"), "\(r.output)")
        #expect(r.output.contains("float[1,3,320,320]"), "\(r.output)")
    }
}

struct DimsTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
