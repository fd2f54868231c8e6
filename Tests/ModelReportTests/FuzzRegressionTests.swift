import Foundation
import ModelReport
import OnnxGraph
import OnnxModel
import Testing

/// Every input the fuzzer ever crashed on (`fuzz/crashers/`) goes through decode and the whole
/// analysis again: each must now give a value or a clear error.
@Suite("Fuzzer crashers stay fixed")
struct FuzzRegressionTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/crashers").path

    static var crashers: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: crashers)
    func replay(file: String) throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.dir + "/" + file)))
        guard let m = try? Model.decode(bytes) else { return }
        #expect(try Model.decode(m.serialized()) == m, "write → read must give the same model")
        let summary = ModelSummary(model: m, path: nil, analysis: GraphAnalysis(model: m))
        #expect(!summary.text().isEmpty)
    }
}
