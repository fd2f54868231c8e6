import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

final class InputGeneratorTests: XCTestCase {
    func testBertStyleInputs() throws {
        let lib = try RT.library()
        let path = try RT.model("tiny_bert.onnx")
        let vocab = InputGenerator.vocabularySizes(in: try Model.load(path: path).graph)
        XCTAssertEqual(vocab["input_ids"], 30)
        XCTAssertEqual(vocab["token_type_ids"], 2)
        XCTAssertNil(vocab["attention_mask"])
        var gen = InputGenerator(dimValues: ["batch": 2, "seq": 16], vocabularySizes: vocab, seed: 5)
        let feeds = try gen.inputs(for: Session(modelPath: path, library: lib))
        let ids: [Int64] = feeds["input_ids"]!.values()
        XCTAssertEqual(ids.count, 32)
        XCTAssertTrue(ids.allSatisfy { $0 >= 0 && $0 < 30 })
        XCTAssertGreaterThan(Set(ids).count, 5, "ids should vary")
        XCTAssertEqual(feeds["attention_mask"]!.values(as: Int64.self), Array(repeating: 1, count: 32))
        XCTAssertEqual(feeds["token_type_ids"]!.values(as: Int64.self), Array(repeating: 0, count: 32))
        XCTAssertTrue(gen.defaultedDims.isEmpty)
        // Seeded: the same seed gives the same data, another seed does not.
        var again = InputGenerator(dimValues: ["batch": 2, "seq": 16], vocabularySizes: vocab, seed: 5)
        XCTAssertEqual(try again.inputs(for: Session(modelPath: path, library: lib))["input_ids"], feeds["input_ids"])
        var other = InputGenerator(dimValues: ["batch": 2, "seq": 16], vocabularySizes: vocab, seed: 6)
        XCTAssertNotEqual(try other.inputs(for: Session(modelPath: path, library: lib))["input_ids"], feeds["input_ids"])
    }

    func testMissingDimsDefaultToOneAndAreReported() throws {
        let lib = try RT.library()
        var gen = InputGenerator()
        let feeds = try gen.inputs(for: Session(modelPath: try RT.model("tiny_bert.onnx"), library: lib))
        XCTAssertEqual(feeds["input_ids"]?.shape, [1, 1])
        XCTAssertEqual(gen.defaultedDims, ["batch", "seq"])
    }

    func testImagesAreStandardNormal() throws {
        var gen = InputGenerator(seed: 9)
        let t = try gen.tensor(for: SessionIOInfo(name: "images", isTensor: true, elementType: .float, dims: [.fixed(1), .fixed(3), .fixed(64), .fixed(64)]))
        let v = t.doubles()
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count)
        XCTAssertEqual(mean, 0, accuracy: 0.05)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }

    func testFreeDimensionOverrideFixesSessionShape() throws {
        let lib = try RT.library()
        var c = SessionConfiguration()
        c.freeDimensionOverrides = ["batch": 3, "seq": 5]
        let s = try Session(modelPath: try RT.model("tiny_bert.onnx"), configuration: c, library: lib)
        XCTAssertEqual(s.inputs[0].dims, [.fixed(3), .fixed(5)])
        let plain = try Session(modelPath: try RT.model("tiny_bert.onnx"), library: lib)
        XCTAssertEqual(plain.inputs[0].dims, [.symbolic("batch"), .symbolic("seq")])
    }
}
