import Foundation
import XCTest
@testable import OnnxRuntimeKit

/// Models ORT refuses come back as whole ORT messages with the node pointed at.
final class ErrorTests: XCTestCase {
    func testUnknownOpNamesTheNode() throws {
        let lib = try RT.library()
        let path = try RT.model("unknown_op.onnx")
        XCTAssertThrowsError(try Session(modelPath: path, library: lib)) { error in
            guard let e = error as? OrtError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, .invalidGraph)
            XCTAssertTrue(e.message.contains("No Op registered for NoSuchOp"), e.message)
            XCTAssertEqual(e.nodeName, "mystery_node")
            XCTAssertTrue(e.description.contains("-> node: mystery_node"), e.description)
            XCTAssertTrue(e.description.contains("creating a session"), e.description)
        }
        // Same from bytes in memory.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertThrowsError(try Session(modelBytes: bytes, library: lib)) { error in
            XCTAssertEqual((error as? OrtError)?.nodeName, "mystery_node")
        }
    }

    func testBadOpsetIsReportedWhole() throws {
        let lib = try RT.library()
        XCTAssertThrowsError(try Session(modelPath: try RT.model("bad_opset.onnx"), library: lib)) { error in
            guard let e = error as? OrtError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, .fail)
            XCTAssertTrue(e.message.contains("opset") || e.message.contains("Opset"), e.message)
        }
    }

    func testGarbageBytesAndMissingFile() throws {
        let lib = try RT.library()
        XCTAssertThrowsError(try Session(modelBytes: Array("definitely not onnx".utf8), library: lib)) { error in
            XCTAssertEqual((error as? OrtError)?.code, .invalidProtobuf, "\(error)")
        }
        XCTAssertThrowsError(try Session(modelPath: "/nonexistent/model.onnx", library: lib)) { error in
            XCTAssertEqual((error as? OrtError)?.code, .noSuchFile, "\(error)")
        }
    }

    func testWrongInputsAreExplained() throws {
        let lib = try RT.library()
        let session = try Session(modelPath: try RT.model("conv_relu_sigmoid.onnx"), library: lib)
        XCTAssertThrowsError(try session.run([:])) { XCTAssertTrue("\($0)".contains("no value for model input 'x'"), "\($0)") }
        XCTAssertThrowsError(try session.run(["x": HostTensor([Int64(1)], shape: [1])])) {
            XCTAssertTrue("\($0)".contains("is float32 but the given tensor is int64"), "\($0)")
        }
        // Wrong shape: ORT's own message comes back.
        XCTAssertThrowsError(try session.run(["x": HostTensor([Float](repeating: 0, count: 3), shape: [1, 3, 1, 1])])) { error in
            guard let e = error as? OrtError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.code, .invalidArgument)
            XCTAssertTrue(e.message.contains("dimension") || e.message.contains("Got"), e.message)
        }
    }

    func testRunFailureNamesTheNode() throws {
        let lib = try RT.library()
        let session = try Session(modelPath: try RT.model("tiny_bert.onnx"), library: lib)
        let ids = HostTensor([Int64](repeating: 78, count: 4), shape: [1, 4])
        XCTAssertThrowsError(try session.run(["input_ids": ids, "attention_mask": HostTensor([Int64](repeating: 1, count: 4), shape: [1, 4]),
                                              "token_type_ids": HostTensor([Int64](repeating: 0, count: 4), shape: [1, 4])])) { error in
            guard let e = error as? OrtError else { return XCTFail("\(error)") }
            XCTAssertTrue(e.message.contains("out of data bounds"), e.message)
            XCTAssertEqual(e.nodeName, "word_embeddings")
        }
    }

    func testUnknownProviderIsRefusedByORT() throws {
        let lib = try RT.library()
        var c = SessionConfiguration()
        c.providers = [try ExecutionProviderSpec(parsing: "nosuchep:a=1")]
        XCTAssertThrowsError(try Session(modelPath: try RT.model("conv_relu_sigmoid.onnx"), configuration: c, library: lib)) { error in
            XCTAssertTrue("\(error)".contains("adding execution provider nosuchep:a=1"), "\(error)")
        }
        XCTAssertThrowsError(try ExecutionProviderSpec(parsing: "openvino:device_type")) { XCTAssertTrue("\($0)".contains("key=value")) }
        let ov = try ExecutionProviderSpec(parsing: "openvino:device_type=CPU,precision=FP32")
        XCTAssertEqual(ov.name, "OpenVINO")
        XCTAssertEqual(ov.options.map(\.key), ["device_type", "precision"])
        XCTAssertEqual(ov.providerName, "OpenVINOExecutionProvider")
    }
}
