import Foundation
import XCTest
@testable import OnnxRuntimeKit

/// The `--json`, `--csv` and `--trace` documents `onnxscope run` writes.
final class RunReportTests: XCTestCase {
    func makeReport() throws -> (RunReport, ModelRunner.Result) {
        let lib = try RT.library()
        var c = SessionConfiguration()
        c.intraOpThreads = 1
        c.optimizationLevel = .extended
        var runner = ModelRunner(source: .path(try RT.model("conv_relu_sigmoid.onnx")), configuration: c)
        runner.warmup = 1
        runner.runs = 4
        var gen = InputGenerator(seed: 1)
        let session = try runner.openTimedSession(library: lib)
        let feeds = try gen.inputs(for: session.0)
        let result = try runner.run(library: lib, session: session, feeds: feeds)
        XCTAssertGreaterThan(result.sessionCreateMs, 0)
        return (RunReport(model: "conv_relu_sigmoid.onnx", library: lib, config: c, runs: 4, warmup: 1, result: result,
                          origins: ["x": "generated"], feeds: feeds, comparisons: []), result)
    }

    func testJsonHasLatencyAndPerNodeFields() throws {
        let (report, result) = try makeReport()
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let latency = try XCTUnwrap(doc["latency_ms"] as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(latency["p50"] as? Double), result.latency.p50, accuracy: 1e-12)  // JSON round trip
        XCTAssertNotNil(latency["p90"] as? Double)
        XCTAssertNotNil(latency["p99"] as? Double)
        XCTAssertEqual(latency["count"] as? Int, 4)
        let nodes = try XCTUnwrap(doc["nodes"] as? [[String: Any]])
        XCTAssertEqual(nodes.map { $0["name"] as? String }, ["conv1", "relu1", "sig1"])
        for n in nodes {
            XCTAssertNotNil(n["op"] as? String)
            XCTAssertEqual(n["provider"] as? String, "CPUExecutionProvider")
            XCTAssertEqual(n["partition"] as? Int, 1)
            XCTAssertNotNil(n["time"] as? Double)
        }
        XCTAssertEqual(nodes[1]["execution"] as? String, "fused")
        XCTAssertEqual(nodes[1]["fused_into"] as? String, "conv1")
        XCTAssertEqual(try XCTUnwrap(nodes[0]["time"] as? Double), try XCTUnwrap(result.profile?.nodes[0].time?.p50), accuracy: 1e-12)
        let partitions = try XCTUnwrap(doc["partitions"] as? [[String: Any]])
        XCTAssertEqual(partitions.map { $0["number"] as? Int }, [1])
        XCTAssertEqual(partitions.first?["nodes"] as? [String], ["conv1", "relu1", "sig1"])
        XCTAssertEqual((doc["ort_ep_subgraphs"] as? [Any])?.count, result.assignment?.count)
    }

    func testTextTablePrintsOneLinePerRow() throws {
        let (report, result) = try makeReport()
        let p = try XCTUnwrap(result.profile)
        let lines = report.text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertFalse(lines.contains { $0.contains("\\n") }, "a line carries an escaped line break")
        let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("node ") && $0.contains(" part ") })
        let timed = p.nodes.filter { $0.time != nil }
        let rows = lines[(header + 1)...].prefix { !$0.isEmpty }
        XCTAssertEqual(rows.count, timed.count)
        XCTAssertEqual(Set(rows.map(\.count)), [lines[header].count], "columns are padded to one width")
        // CPU alone: one partition, whatever ORT's one-subgraph-per-node report says.
        XCTAssertEqual(Set(p.nodes.compactMap(\.partition)), [1])
        XCTAssertEqual(result.partitions?.count, 1)
        XCTAssertGreaterThanOrEqual(result.assignment?.count ?? 0, 2)
    }

    func testCsvAndTrace() throws {
        let (_, result) = try makeReport()
        let p = try XCTUnwrap(result.profile)
        let csv = RunReport.csv(p).split(separator: "\n")
        XCTAssertEqual(csv.first, "index,name,op,provider,partition,execution,fused_into,kernel,p50_ms,p90_ms,mean_ms,share,input_shapes")
        XCTAssertTrue(csv[2].hasPrefix("1,relu1,Relu,CPUExecutionProvider,"), String(csv[2]))
        XCTAssertTrue(csv[2].contains(",fused,conv1,conv1,"), String(csv[2]))
        let path = RT.tempDir("trace") + "/trace.json"
        try RunReport.writeTrace(profile: p, ortProfile: try XCTUnwrap(result.profilePath), to: path)
        let trace = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let events = try XCTUnwrap(trace["traceEvents"] as? [[String: Any]])
        let conv = try XCTUnwrap(events.first { ($0["name"] as? String) == "conv1_kernel_time" })
        XCTAssertEqual(conv["ph"] as? String, "X")
        XCTAssertEqual((conv["args"] as? [String: Any])?["onnxscope_nodes"] as? [String], ["conv1", "relu1"])
    }
}
