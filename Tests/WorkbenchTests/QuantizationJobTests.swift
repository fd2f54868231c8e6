import Foundation
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Testing
@testable import Workbench

/// The explorer's quantization loop off the UI thread, with the real ORT: calibrates once, then
/// each request becomes a measured int8 variant; a request during a build replaces the queue.
@Suite("Quantization job", .serialized)
struct QuantizationJobTests {
    /// `count` seeded .npy samples for the tiny MLP's single input [1, 16].
    static func samples(_ count: Int, seed: UInt64) throws -> String {
        let dir = NSTemporaryDirectory() + "onnxscope-qjob-\(getpid())-\(seed)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SeededRandom(seed: seed)
        for k in 0..<count { try NpyFile.write(HostTensor(rng.normals(16, std: 1), shape: [1, 16]), path: "\(dir)/\(k).npy") }
        return dir
    }

    @Test("the first figures compare the first 8 eval samples, and the accuracy on every sample follows; it equals a full comparison")
    func quickThenFull() throws {
        let lib = try Live.cpuLibrary()
        var job = Quantizer.Job(model: try Model.load(path: Live.tinyMLP))
        job.calibration = [try Self.samples(8, seed: 5)]
        let eval = try Self.samples(20, seed: 6)
        job.evaluation = [eval]
        job.cachePath = ""
        let q = QuantizationJob(job: job, library: lib)
        var seen: [(samples: Int, partial: Bool)] = []
        q.request(PlanRequest())
        let deadline = Date().addingTimeInterval(120)
        repeat {
            let s = q.snapshot
            if let e = s.evaluation, seen.last?.samples != e.samples { seen.append((e.samples, s.evaluationIsPartial)) }
            Thread.sleep(forTimeInterval: 0.002)
        } while !(q.snapshot.phase == .ready && !q.snapshot.measuringErrors && !q.snapshot.evaluationIsPartial) && Date() < deadline
        #expect(q.waitUntilIdle(timeout: 120))
        let last = q.snapshot
        #expect(last.evaluation?.samples == 20 && !last.evaluationIsPartial)
        #expect(seen.last?.samples == 20)
        #expect(seen.allSatisfy { $0.samples == 20 ? !$0.partial : ($0.samples == QuantizationJob.quickSamples && $0.partial) }, "\(seen)")
        #expect(last.buildSteps.contains { $0.step == "evaluation, every sample" })
        // The completed figure is the comparison over every sample, as quantize --eval makes it.
        let reference = try EvaluationReference(session: try Session(modelBytes: job.model.serialized(), configuration: job.configuration, library: lib),
                                                samples: try CalibrationSamples(paths: [eval], inputs: ModelInputSpec.inputs(of: job.model)))
        let int8 = try Session(modelBytes: try #require(last.modelBytes), configuration: job.configuration, library: lib)
        let full = try reference.compare(int8)
        #expect(abs(full.sqnr - (last.evaluation?.sqnrDB ?? 0)) < 1e-9, "\(full.sqnr) vs \(last.evaluation?.sqnrDB ?? 0)")
    }

    @Test("calibrates once, builds the default variant, then a toggled node as float, from the same ranges")
    func buildsVariants() throws {
        let lib = try Live.cpuLibrary()
        var job = Quantizer.Job(model: try Model.load(path: Live.tinyMLP))
        job.calibration = [try Self.samples(8, seed: 1)]
        job.evaluation = [try Self.samples(4, seed: 2)]
        job.cachePath = ""
        let q = QuantizationJob(job: job, library: lib)
        q.request(PlanRequest())
        #expect(q.waitUntilIdle(timeout: 120))
        let first = q.snapshot
        #expect(first.phase == .ready, "\(first.phase)")
        #expect(first.kernels.count == 6 && first.kernels.values.allSatisfy(\.ranInt8))
        #expect((first.evaluation?.sqnrDB ?? 0) > 20)
        #expect(first.modelBytes != nil)

        var r = PlanRequest()
        r.exclude = ["/fc2/MatMul"]
        q.request(r)
        #expect(q.waitUntilIdle(timeout: 120))
        let second = q.snapshot
        #expect(second.generation > first.generation)
        #expect(second.plan?.decision(named: "/fc2/MatMul")?.precision == .float)
        #expect(second.layers["/fc2/MatMul"] == nil && second.layers["/fc1/MatMul"] != nil)
        #expect(second.request == r)

        var bad = PlanRequest()
        bad.include = ["nope"]
        q.request(bad)
        #expect(q.waitUntilIdle(timeout: 60))
        if case .failed(let m) = q.snapshot.phase { #expect(m.contains("nope")) } else { Issue.record("a bad request must fail visibly") }
    }
}
