import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// Kernel events mapped back to original nodes at each optimization level, reconciled with the
/// measured totals.
final class ProfilingTests: XCTestCase {
    func profile(_ model: String, level: GraphOptimizationLevel, runs: Int = 5) throws -> ModelRunner.Result {
        let lib = try RT.library()
        var c = SessionConfiguration()
        c.optimizationLevel = level
        c.intraOpThreads = 1
        var runner = ModelRunner(source: .path(model), configuration: c)
        runner.warmup = 2
        runner.runs = runs
        runner.profileDirectory = RT.tempDir("prof")
        var gen = InputGenerator(seed: 1)
        let feeds = try gen.inputs(for: runner.openSession(library: lib))
        return try runner.run(library: lib, feeds: feeds)
    }

    func node(_ p: RuntimeProfile, _ name: String) -> NodeRuntimeAnnotation { p.nodes.first { $0.name == name }! }

    func assertReconciles(_ p: RuntimeProfile, file: StaticString = #filePath, line: UInt = #line) {
        // Every kernel's time lands exactly once: on a node or as an inserted kernel.
        XCTAssertEqual(p.nodeTimeMeanMs + p.insertedKernelMeanMs, p.kernelTotalMeanMs, accuracy: 1e-9, file: file, line: line)
        XCTAssertGreaterThan(p.kernelTotalMeanMs, 0, file: file, line: line)
        XCTAssertLessThanOrEqual(p.kernelTotalMeanMs, p.runLatency.mean, file: file, line: line)
        XCTAssertEqual(p.byProvider.map(\.meanMs).reduce(0, +), p.kernelTotalMeanMs, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(p.byOpType.map(\.meanMs).reduce(0, +), p.kernelTotalMeanMs, accuracy: 1e-9, file: file, line: line)
        XCTAssertEqual(p.byPartition.map(\.meanMs).reduce(0, +), p.kernelTotalMeanMs, accuracy: 1e-9, file: file, line: line)
    }

    func testBasicLevelTimesEachNode() throws {
        let r = try profile(try RT.model("conv_relu_sigmoid.onnx"), level: .basic)
        let p = try XCTUnwrap(r.profile)
        XCTAssertEqual(p.runLatency.count, 5)
        for name in ["conv1", "relu1", "sig1"] {
            XCTAssertEqual(node(p, name).execution, .kernel(name))
            XCTAssertEqual(node(p, name).provider, "CPUExecutionProvider")
            XCTAssertTrue(node(p, name).assignmentFromORT)
            XCTAssertEqual(node(p, name).time?.count, 5)
        }
        XCTAssertTrue(node(p, "conv1").inputShapes.contains("float[1,3,8,8]"), node(p, "conv1").inputShapes)
        assertReconciles(p)
    }

    func testExtendedLevelShowsFusedConv() throws {
        let r = try profile(try RT.model("conv_relu_sigmoid.onnx"), level: .extended)
        let p = try XCTUnwrap(r.profile)
        let conv = try XCTUnwrap(p.kernels.first { $0.kernel == "conv1" })
        XCTAssertEqual(conv.opName, "FusedConv")
        XCTAssertEqual(conv.kind, .fused)
        XCTAssertEqual(conv.nodes, [0, 1])
        XCTAssertEqual(node(p, "relu1").execution, .fused(into: "conv1", kernel: "conv1"))
        XCTAssertNil(node(p, "relu1").time)
        XCTAssertEqual(node(p, "conv1").time, conv.time)
        assertReconciles(p)
    }

    func testAllLevelMapsNchwcKernelsAndReorders() throws {
        let r = try profile(try RT.model("conv_relu_sigmoid.onnx"), level: .all)
        let p = try XCTUnwrap(r.profile)
        // The NCHWc conv is named after its (fused) output tensor `r`; it covers conv1 and relu1.
        let conv = try XCTUnwrap(p.kernels.first { $0.kernel.hasSuffix("_nchwc") && $0.opName == "Conv" }, "\(p.kernels.map(\.kernel))")
        XCTAssertEqual(conv.nodes.first, 0, "anchor should be conv1")
        XCTAssertTrue(conv.nodes.contains(1))
        XCTAssertEqual(node(p, "conv1").execution, .kernel(conv.kernel))
        XCTAssertEqual(node(p, "relu1").execution, .fused(into: "conv1", kernel: conv.kernel))
        let reorders = p.kernels.filter { $0.opName.hasPrefix("Reorder") }
        XCTAssertFalse(reorders.isEmpty)
        XCTAssertTrue(reorders.allSatisfy { $0.kind == .inserted && $0.nodes.isEmpty })
        XCTAssertGreaterThan(p.insertedKernelMeanMs, 0)
        assertReconciles(p)
        XCTAssertNotNil(r.profilingOverheadPercent)
    }

    func testUnnamedNodesAreToldApartByNodeIndex() throws {
        let basic = try XCTUnwrap(try profile(try RT.model("unnamed.onnx"), level: .basic).profile)
        XCTAssertEqual(basic.nodes.map(\.displayName), ["Conv#0", "Relu#1", "Sigmoid#2"])
        // ORT names their kernels `<Op>_<node index>`.
        XCTAssertEqual(basic.nodes.map(\.execution), [.kernel("Conv_0"), .kernel("Relu_1"), .kernel("Sigmoid_2")])
        for n in basic.nodes { XCTAssertNotNil(n.time, n.displayName) }
        XCTAssertEqual(basic.kernels.count, 3)
        assertReconciles(basic)
        // At level 2 the fused Conv+Relu is a new unnamed node (`FusedConv_3`): the optimized
        // model maps it back to both originals.
        let extended = try XCTUnwrap(try profile(try RT.model("unnamed.onnx"), level: .extended).profile)
        XCTAssertEqual(extended.nodes[1].execution, .fused(into: "Conv#0", kernel: "FusedConv_3"))
        XCTAssertEqual(extended.nodes[0].execution, .kernel("FusedConv_3"))
        XCTAssertNotNil(extended.nodes[0].time)
        XCTAssertNotNil(extended.nodes[2].time)
        assertReconciles(extended)
    }

    func testLightResNetEveryNodeAccountedFor() throws {
        let r = try profile(RT.lightModels + "/light_resnet50.onnx", level: .all, runs: 2)
        let p = try XCTUnwrap(r.profile)
        assertReconciles(p)
        // Every node is either timed, fused into a timed node, or eliminated (the light model's
        // ConstantOfShape weights are folded away).
        let timed = p.nodes.filter { $0.time != nil }
        XCTAssertGreaterThan(timed.count, 50)
        for n in p.nodes {
            switch n.execution {
            case .eliminated: XCTAssertEqual(n.opType, "ConstantOfShape", n.displayName)
            case .fused(let into, _): XCTAssertTrue(p.nodes.contains { $0.displayName == into && $0.time != nil }, into)
            case .kernel: XCTAssertNotNil(n.time, n.displayName)
            case .compiled: XCTFail("no compiling EP here")
            }
        }
        // Each NCHWc kernel covers one Conv (plus its BatchNormalization / Add / Relu): no Conv
        // may be folded into a neighbouring block's kernel.
        for n in p.nodes where n.opType == "Conv" {
            guard case .kernel = n.execution else { XCTFail("\(n.displayName) is \(n.execution)"); continue }
        }
        XCTAssertEqual(p.kernels.filter { $0.opName == "Conv" }.map { $0.nodes.filter { p.nodes[$0].opType == "Conv" }.count },
                       Array(repeating: 1, count: p.kernels.filter { $0.opName == "Conv" }.count))
        XCTAssertEqual(p.byProvider.map(\.key), ["CPUExecutionProvider"])
        XCTAssertTrue(p.byOpType.first?.key == "Conv", "\(p.byOpType.prefix(3))")
    }

    func testIntegerKernelOfAQDQGroupIsAnchoredAtTheNodeItIsNamedAfter() throws {
        // ORT fuses DequantizeLinear → MatMul → QuantizeLinear into a QLinearMatMul named after
        // the MatMul. The DequantizeLinear comes first in graph order, but the time is the MatMul's.
        let json = """
        [{"cat":"Session","name":"model_run","ts":100,"dur":50,"ph":"X","pid":1,"tid":1,"args":{}},
         {"cat":"Node","name":"/fc1/MatMul_kernel_time","ts":105,"dur":20,"ph":"X","pid":1,"tid":1,
          "args":{"op_name":"QLinearMatMul","provider":"CPUExecutionProvider"}}]
        """
        let trace = try ProfileTrace.parse(Data(json.utf8))
        let g = Graph(nodes: [
            Node(opType: "DequantizeLinear", name: "x_DequantizeLinear", inputs: ["xq", "xs", "xz"], outputs: ["x"]),
            Node(opType: "MatMul", name: "/fc1/MatMul", inputs: ["x", "w"], outputs: ["y"]),
            Node(opType: "QuantizeLinear", name: "y_QuantizeLinear", inputs: ["y", "ys", "yz"], outputs: ["yq"]),
        ])
        let p = ProfileAttribution.build(graph: g, assignment: nil, trace: trace)
        XCTAssertEqual(p.nodes[1].execution, .kernel("/fc1/MatMul"))
        XCTAssertEqual(p.nodes[1].time?.mean ?? 0, 0.020, accuracy: 1e-12)
        XCTAssertEqual(p.nodes[0].execution, .fused(into: "/fc1/MatMul", kernel: "/fc1/MatMul"))
        XCTAssertNil(p.nodes[0].time)
    }

    func testAttributionWithoutAssignmentUsesProfilerProviders() throws {
        // The path older ORT builds take: no assignment report, placement from the profile.
        let json = """
        [{"cat":"Session","name":"model_run","ts":100,"dur":50,"ph":"X","pid":1,"tid":1,"args":{}},
         {"cat":"Node","name":"conv1_kernel_time","ts":105,"dur":20,"ph":"X","pid":1,"tid":1,
          "args":{"op_name":"FusedConv","provider":"CPUExecutionProvider","input_type_shape":[{"float":[1,3,8,8]}]}},
         {"cat":"Node","name":"OpenVINOExecutionProvider_OpenVINO-EP-subgraph_1_0_kernel_time","ts":126,"dur":10,"ph":"X",
          "pid":1,"tid":1,"args":{"op_name":"OpenVINO-EP-subgraph_1","provider":"OpenVINOExecutionProvider"}}]
        """
        let trace = try ProfileTrace.parse(Data(json.utf8))
        XCTAssertEqual(trace.kernels.map(\.run), [0, 0])
        let g = Graph(nodes: [
            Node(opType: "Conv", name: "conv1", inputs: ["x", "w"], outputs: ["c"]),
            Node(opType: "Relu", name: "relu1", inputs: ["c"], outputs: ["r"]),
            Node(opType: "Sigmoid", name: "sig1", inputs: ["r"], outputs: ["s"]),
        ])
        let p = ProfileAttribution.build(graph: g, assignment: nil, trace: trace)
        XCTAssertFalse(p.assignmentFromORT)
        XCTAssertEqual(p.nodes[0].provider, "CPUExecutionProvider")
        XCTAssertEqual(p.nodes[0].partition, 1)
        XCTAssertEqual(p.nodes[1].execution, .fused(into: "conv1", kernel: "conv1"))
        XCTAssertEqual(p.kernelTotalMeanMs, 0.030, accuracy: 1e-12)
        XCTAssertEqual(p.runLatency.p50, 0.050, accuracy: 1e-12)
        XCTAssertEqual(p.frameworkOverheadMeanMs, 0.020, accuracy: 1e-12)
        // The compiled kernel has no assignment to expand, so it stays a compiled group with no
        // nodes, and the time is still counted.
        let ov = try XCTUnwrap(p.kernels.first { $0.kind == .compiled })
        XCTAssertEqual(ov.nodes, [])
        XCTAssertEqual(p.byPartition.count, 2)
    }
}

/// Traces cut into single runs and joined again (the live runner's rolling window of
/// run-level profile files, each starting its clock at zero).
final class ProfileTraceJoinTests: XCTestCase {
    func trace(_ runs: [(ts: Int, dur: Int)]) throws -> ProfileTrace {
        let events = runs.flatMap { r in [
            #"{"cat":"Session","name":"model_run","ts":\#(r.ts),"dur":\#(r.dur),"ph":"X","args":{}}"#,
            #"{"cat":"Node","name":"k_kernel_time","ts":\#(r.ts + 1),"dur":\#(r.dur - 2),"ph":"X","args":{"op_name":"Relu","provider":"CPUExecutionProvider"}}"#,
        ] }
        return try ProfileTrace.parse(Data(("[" + events.joined(separator: ",") + "]").utf8))
    }

    func testSplitThenConcatenateKeepsEveryRunApart() throws {
        let a = try trace([(0, 10), (20, 30)])
        let parts = a.splitByRun()
        XCTAssertEqual(parts.map(\.runs.count), [1, 1])
        XCTAssertEqual(parts.map { $0.kernels.map(\.run) }, [[0], [0]])
        XCTAssertEqual(parts[1].kernels[0].duration, 28)
        // Two files whose clocks both start at 0 must not overlap once joined.
        let joined = ProfileTrace.concatenating([try trace([(0, 10)]), try trace([(0, 40)])] + parts)
        XCTAssertEqual(joined.runs.count, 4)
        XCTAssertEqual(joined.kernels.map(\.run), [0, 1, 2, 3])
        XCTAssertEqual(joined.runs.map(\.duration), [10, 40, 10, 30])
        for (r, next) in zip(joined.runs, joined.runs.dropFirst()) { XCTAssertLessThan(r.start + r.duration, next.start) }
        for k in joined.kernels {
            let run = joined.runs[k.run!]
            XCTAssertTrue(k.start >= run.start && k.start + k.duration <= run.start + run.duration)
        }
        XCTAssertEqual(ProfileTrace.concatenating([]).runs.count, 0)
    }
}

/// Kernels ORT creates under new names (BiasGelu, FusedMatMul) mapped through the optimized
/// model ORT writes.
final class OptimizedModelAttributionTests: XCTestCase {
    func testBiasGeluCoversTheGeluSubgraph() throws {
        let lib = try RT.library()
        var c = SessionConfiguration()
        c.intraOpThreads = 1
        c.optimizationLevel = .all
        var runner = ModelRunner(source: .path(try RT.model("tiny_bert.onnx")), configuration: c)
        runner.warmup = 1
        runner.runs = 3
        let vocab = InputGenerator.vocabularySizes(in: try Model.load(path: try RT.model("tiny_bert.onnx")).graph)
        var gen = InputGenerator(dimValues: ["batch": 1, "seq": 8], vocabularySizes: vocab, seed: 4)
        let feeds = try gen.inputs(for: runner.openSession(library: lib))
        let p = try XCTUnwrap(try runner.run(library: lib, feeds: feeds).profile)
        let gelu = try XCTUnwrap(p.kernels.first { $0.opName == "BiasGelu" }, "\(p.kernels.map { "\($0.kernel):\($0.opName)" })")
        let covered = Set(gelu.nodes.map { p.nodes[$0].name })
        XCTAssertTrue(["ffn_bias", "gelu_div", "gelu_erf", "gelu_add", "gelu_mul", "gelu_half"].allSatisfy(covered.contains), "\(covered)")
        XCTAssertEqual(gelu.kind, .fused)
        let byName = Dictionary(uniqueKeysWithValues: p.nodes.map { ($0.name, $0) })
        guard case .fused(let into, let kernel)? = byName["gelu_erf"]?.execution else { return XCTFail("\(String(describing: byName["gelu_erf"]))") }
        XCTAssertEqual(kernel, gelu.kernel)
        XCTAssertEqual(byName[into]?.time, gelu.time)
        // Every node with real work is timed or fused; what remains is constant/shape work.
        XCTAssertTrue(p.nodes.filter { $0.execution == .eliminated }.isEmpty, "\(p.nodes.filter { $0.execution == .eliminated }.map(\.name))")
        XCTAssertEqual(p.nodeTimeMeanMs + p.insertedKernelMeanMs, p.kernelTotalMeanMs, accuracy: 1e-9)
    }
}
