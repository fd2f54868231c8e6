import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// The two-provider case on a plain x86 CPU: `onnxruntime-openvino` takes every node but
/// `Unique`, so ORT splits the graph into OpenVINO and CPU partitions. Checked against Python's
/// `get_provider_graph_assignment_info()` for the same model and providers.
///
/// Needs the second venv: `python3 -m venv .venv-openvino &&
/// .venv-openvino/bin/pip install onnxruntime-openvino==1.24.1 onnx numpy`.
final class OpenVINOPartitionTests: XCTestCase {
    func openvinoLibrary() throws -> OrtLibrary {
        guard FileManager.default.isExecutableFile(atPath: RT.openvinoPython) else {
            XCTFail("\(RT.openvinoPython) is missing: python3 -m venv .venv-openvino && .venv-openvino/bin/pip install onnxruntime-openvino==1.24.1 onnx numpy")
            throw XCTSkip("no openvino venv")
        }
        // The OpenVINO EP reads ORT_OPENVINO_ENABLE_CI_LOG once per process, at its first
        // session: set before any, so LiveOutputTests sees the EP's prints whatever runs first.
        setenv("ORT_OPENVINO_ENABLE_CI_LOG", "1", 1)
        return try OrtLibrary.load(explicitPath: RT.repo + "/.venv-openvino")
    }

    func testPartitionMatchesPythonAssignmentInfo() throws {
        let lib = try openvinoLibrary()
        XCTAssertEqual(lib.version, "1.24.1")
        XCTAssertEqual(lib.apiVersion, 24)
        XCTAssertTrue(lib.supportsAssignmentInfo)
        XCTAssertTrue(try lib.availableProviders().contains("OpenVINOExecutionProvider"))
        let model = try RT.model("conv_unique.onnx")

        var c = SessionConfiguration()
        c.providers = [try ExecutionProviderSpec(parsing: "openvino:device_type=CPU"), try ExecutionProviderSpec(parsing: "cpu")]
        let session = try Session(modelPath: model, configuration: c, library: lib)
        let ours = try XCTUnwrap(try session.assignmentInfo())

        let (status, out) = try RT.run(RT.openvinoPython, [RT.scripts + "/assignment_info.py", model,
                                                           "OpenVINOExecutionProvider:device_type=CPU", "CPUExecutionProvider"])
        XCTAssertEqual(status, 0, out)
        let line = out.split(separator: "\n").last.map(String.init) ?? ""
        let python = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]], out)
        XCTAssertEqual(ours.map(\.provider), python.map { $0["ep"] as? String ?? "" })
        XCTAssertEqual(ours.map { $0.nodes.map(\.name) }, python.map { $0["nodes"] as? [String] ?? [] })
        // The facts the partition view relies on: two providers, Unique on CPU, 2+ partitions.
        XCTAssertEqual(Set(ours.map(\.provider)), ["OpenVINOExecutionProvider", "CPUExecutionProvider"])
        XCTAssertGreaterThanOrEqual(ours.count, 2)
        XCTAssertEqual(ours.first { $0.nodes.contains { $0.name == "unique1" } }?.provider, "CPUExecutionProvider")
        XCTAssertEqual(ours.first { $0.nodes.contains { $0.name == "conv1" } }?.provider, "OpenVINOExecutionProvider")
    }

    func testCompiledSubgraphKernelsCoverTheirPartitions() throws {
        let lib = try openvinoLibrary()
        var c = SessionConfiguration()
        c.providers = [try ExecutionProviderSpec(parsing: "openvino:device_type=CPU")]
        var runner = ModelRunner(source: .path(try RT.model("conv_unique.onnx")), configuration: c)
        runner.warmup = 1
        runner.runs = 3
        runner.profileDirectory = RT.tempDir("ovprof")
        var gen = InputGenerator(seed: 2)
        let feeds = try gen.inputs(for: runner.openSession(library: lib))
        let r = try runner.run(library: lib, feeds: feeds)
        let p = try XCTUnwrap(r.profile)
        XCTAssertTrue(p.assignmentFromORT)
        let compiled = p.kernels.filter { $0.kind == .compiled }
        XCTAssertEqual(compiled.count, 2, "\(p.kernels.map(\.kernel))")
        let byName = Dictionary(uniqueKeysWithValues: p.nodes.map { ($0.name, $0) })
        XCTAssertEqual(byName["conv1"]?.provider, "OpenVINOExecutionProvider")
        XCTAssertEqual(byName["unique1"]?.provider, "CPUExecutionProvider")
        XCTAssertEqual(byName["unique1"]?.execution, .kernel("unique1"))
        guard case .compiled(let k1) = byName["conv1"]?.execution, case .compiled(let k2) = byName["relu1"]?.execution,
              case .compiled(let k3) = byName["sig1"]?.execution else { return XCTFail("\(p.nodes)") }
        XCTAssertEqual(k1, k2, "conv1 and relu1 are one OpenVINO subgraph")
        XCTAssertNotEqual(k1, k3, "sig1 is in the second OpenVINO subgraph")
        // Runs of one provider along the graph: OpenVINO {conv1, relu1}, CPU {unique1},
        // OpenVINO {sig1}, although ORT lists both OpenVINO subgraphs before CPU's.
        XCTAssertEqual(["conv1", "relu1", "unique1", "sig1"].map { byName[$0]?.partition }, [1, 1, 2, 3])
        XCTAssertEqual(p.partitions.map(\.provider), ["OpenVINOExecutionProvider", "CPUExecutionProvider", "OpenVINOExecutionProvider"])
        XCTAssertEqual(r.partitions, p.partitions)
        // The subgraph's time sits on its first node only; nothing lost or double-counted.
        XCTAssertNotNil(byName["conv1"]?.time)
        XCTAssertNil(byName["relu1"]?.time)
        XCTAssertEqual(p.nodeTimeMeanMs + p.insertedKernelMeanMs, p.kernelTotalMeanMs, accuracy: 1e-9)
        XCTAssertEqual(Set(p.byProvider.map(\.key)), ["OpenVINOExecutionProvider", "CPUExecutionProvider"])
        XCTAssertEqual(p.byPartition.count, 3)
    }

    func testCpuFallbackOffRefusesTheUnsupportedNode() throws {
        let lib = try openvinoLibrary()
        var c = SessionConfiguration()
        c.providers = [try ExecutionProviderSpec(parsing: "openvino:device_type=CPU")]
        c.cpuFallback = false
        XCTAssertThrowsError(try Session(modelPath: try RT.model("conv_unique.onnx"), configuration: c, library: lib)) { error in
            XCTAssertTrue("\(error)".lowercased().contains("fallback") || "\(error)".contains("unique1") || "\(error)".contains("Unique"), "\(error)")
        }
    }
}
