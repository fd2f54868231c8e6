import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Partition

/// The ONNX Runtime release table (what opset and IR version each release loads) against its
/// measurement (`python/ort_releases.tsv`, written by `ort_releases.py` from the real wheels)
/// and, for the release the tests load, against that library itself.
@Suite("ONNX Runtime release table")
struct OrtReleaseTableTests {
    @Test("every row equals the measured table ort_releases.py wrote")
    func equalsMeasurement() throws {
        let tsv = try String(contentsOfFile: Reference.root + "/Tests/PartitionTests/python/ort_releases.tsv", encoding: .utf8)
        let rows = tsv.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("release\t") }.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let measured = RuntimeRelease.known.filter { $0.measuredWheel != nil }
        #expect(rows.count == measured.count)
        for (r, row) in zip(measured, rows) {
            #expect([r.description, r.measuredWheel ?? "", "\(r.maxOpset)", "\(r.maxIRVersion)", "\(r.maxMLOpset)"] == Array(row.prefix(5)), "\(row.prefix(5))")
        }
    }

    @Test("the newest row is the loaded ORT, and what it refuses is one past the row's opset and IR version")
    func newestRowAgainstTheLibrary() throws {
        let lib = try OrtLibrary.load(explicitPath: Reference.root + "/.venv")
        let row = try #require(OrtReleases.release(named: lib.version))
        #expect(row == RuntimeRelease.newestKnown, "the pinned ORT \(lib.version) is the table's newest row")
        func refusal(opset: Int64, ir: Int64) throws -> ModelBlocker? {
            var b = GraphBuilder(name: "probe", opset: opset)
            let x = b.input("x", .float, [.value(2)])
            b.output(b.node("Neg", [x], name: "neg")[0], .float, [.value(2)])
            var m = b.model()
            m.irVersion = ir
            do { _ = try Session(modelBytes: m.serialized(), configuration: SessionConfiguration(), library: lib); return nil }
            catch { return ModelBlockers.runtimeRefusal(error: "\(error)", runtime: lib.version) }
        }
        #expect(try refusal(opset: row.maxOpset, ir: row.maxIRVersion) == nil, "loads at the row's maxima")
        let opset = try #require(try refusal(opset: row.maxOpset + 1, ir: row.maxIRVersion))
        #expect(opset.problem.contains("newer than the \(row.maxOpset) it supports"), "\(opset.problem)")
        let ir = try #require(try refusal(opset: 13, ir: row.maxIRVersion + 1))
        #expect(ir.problem.contains("above the \(row.maxIRVersion) it supports"), "\(ir.problem)")
    }

    @Test("a model at opset 21, IR 10 loads from 1.18; on 1.17 the opset and IR version are blockers naming the fix")
    func blockers() throws {
        var b = GraphBuilder(name: "m", opset: 21)
        let x = b.input("x", .float, [.value(2)])
        b.output(b.node("Neg", [x])[0], .float, [.value(2)])
        var m = b.model()
        m.irVersion = 10
        let needs = OrtReleases.Needs(model: m)
        #expect(OrtReleases.oldest(loading: needs)?.description == "1.18")
        let old = try #require(OrtReleases.release(named: "1.17.0"))
        let problems = OrtReleases.problems(needs, on: old)
        #expect(problems.map(\.kind) == [.releaseTooOld, .releaseTooOld])
        #expect(problems[0].problem.contains("up to opset 20; the model imports opset 21"))
        #expect(problems[0].fix.contains("opset_version=20") && problems[0].fix.contains("ONNX Runtime ≥ 1.18"))
        #expect(problems[1].problem.contains("IR versions up to 9; the model is IR 10"))
        #expect(OrtReleases.problems(needs, on: try #require(OrtReleases.release(named: "v1.20"))).isEmpty)
        #expect(OrtReleases.release(named: "2") == nil && OrtReleases.release(named: "0.9") == nil && OrtReleases.release(named: "1.9")?.measuredWheel == nil)

        var report = PartitionReport(modelPath: "m.onnx", graph: .raw(why: "test"), predictions: [])
        report.checkReleases(model: m, asked: [old])
        #expect(report.blockers.count == 2)
        #expect(report.text().contains("ONNX Runtime releases: 1.18 and later load it (ai.onnx opset 21, IR 10); 1.17 refuses it"), "\(report.text())")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
        let releases = try #require(json["ort_releases"] as? [String: Any])
        #expect(releases["oldest"] as? String == "1.18" && releases["opset"] as? Int == 21)
    }
}
