import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Quantization

/// Histograms and ranges against numpy on the same values; .npz reading against numpy's writer.
@Suite("Calibration ranges and sample files")
struct CalibrationTests {
    /// Values with a long tail, fed in batches whose range grows (so bins merge on the way).
    func data() -> [[Float]] {
        var rng = SeededRandom(seed: 3)
        return (0..<6).map { k in rng.normals(5000, std: 0.2 * Double(k + 1)) + [Float(k) * 3] }
    }

    @Test("min/max exact, percentiles within one bin of numpy.percentile, counts kept when bins merge")
    func histogramAgainstNumpy() throws {
        let batches = data()
        var h = RangeHistogram()
        for b in batches { h.add(b) }
        let all = batches.flatMap { $0 }
        #expect(h.count == all.count)
        #expect(h.counts.reduce(0, +) == UInt64(all.count))
        let dir = Reference.tempDir("hist")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try NpyFile.write(HostTensor(all, shape: [Int64(all.count)]), path: dir + "/v.npy")
        let ref = try Reference.json("""
            import json, sys, numpy as np
            v = np.load(sys.argv[1]).astype(np.float64)
            print(json.dumps([float(v.min()), float(v.max())] + [float(np.percentile(v, p)) for p in (0.01, 1, 50, 99, 99.99)]))
            """, [dir + "/v.npy"]) as! [Double]
        #expect(h.minimum == ref[0] && h.maximum == ref[1])
        for (k, p) in [0.01, 1, 50, 99, 99.99].enumerated() {
            let q = h.quantile(p / 100)
            #expect(abs(q - ref[2 + k]) <= h.binWidth * 1.01, "percentile \(p): \(q) vs numpy \(ref[2 + k]) (bin \(h.binWidth))")
        }
        let r = CalibrationMethod.percentile(99.99).range(of: h)
        #expect(abs(r.max - ref[6]) <= h.binWidth * 1.01 && abs(r.min - ref[2]) <= h.binWidth * 1.01)
        let e = CalibrationMethod.entropy.range(of: h)
        #expect(e.max > 0 && e.max <= h.maximum && e.min < 0 && e.min >= h.minimum)
    }

    @Test("min/max of the finite elements and the non-finite count, 8 lanes at a time, equal the element-by-element answer at every length and NaN/Inf position")
    func finiteRange() {
        var rng = SeededRandom(seed: 11)
        for n in 0..<70 {
            let base = rng.normals(n, std: 3)
            var cases: [[Float]] = [base]
            for bad in [Float.nan, .infinity, -.infinity] where n > 0 {
                for at in Set([0, n / 2, n - 1]) { var v = base; v[at] = bad; cases.append(v) }
            }
            for v in cases {
                let fast = v.withUnsafeBufferPointer { RangeHistogram.finiteRange($0) }
                let finite = v.filter(\.isFinite)
                #expect(fast.nonFinite == v.count - finite.count, "n \(n)")
                #expect(fast.lo == (finite.min() ?? .infinity) && fast.hi == (finite.max() ?? -.infinity), "n \(n): \(fast)")
            }
        }
    }

    @Test("np.savez and np.savez_compressed files read back with numpy's values")
    func npz() throws {
        let dir = Reference.tempDir("npz")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try Reference.python("""
            import numpy as np, sys
            d = sys.argv[1]
            a = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7
            ids = np.array([[101, 2023, 102]], dtype=np.int64)
            np.savez(d + "/stored.npz", pixel_values=a, input_ids=ids)
            np.savez_compressed(d + "/deflated.npz", pixel_values=a, input_ids=ids)
            """, [dir])
        for name in ["stored", "deflated"] {
            let t = try NpzArchive.read(path: "\(dir)/\(name).npz")
            #expect(Set(t.keys) == ["pixel_values", "input_ids"])
            #expect(t["pixel_values"]?.shape == [2, 3, 4])
            #expect(t["pixel_values"]?.values(as: Float.self) == (0..<24).map { Float($0) / 7 })
            #expect(t["input_ids"]?.values(as: Int64.self) == [101, 2023, 102])
        }
        let truncated = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/deflated.npz")).prefix(100))
        #expect(throws: NpzArchive.FormatError.self) { try NpzArchive.decode(truncated) }
    }

    @Test("calibrated min/max of every value equal numpy's over ORT's activations")
    func calibratedRangesMatchORT() throws {
        let dir = Reference.tempDir("cal")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = SmallNet.model()
        try model.write(to: dir + "/m.onnx")
        try SmallNet.samples(in: dir + "/cal", count: 5, seed: 1)
        let analysis = GraphAnalysis(model: model)
        let values = Calibrator.candidateValues(analysis: analysis)
        let samples = try CalibrationSamples(paths: [dir + "/cal"], inputs: ModelInputSpec.inputs(of: model))
        let result = try Calibrator(model: model, values: values).run(samples: samples, library: try Reference.library())
        let ref = try Reference.json("""
            import json, sys, glob, numpy as np, onnx, onnxruntime as ort
            m = onnx.load(sys.argv[1]); names = sys.argv[3].split(",")
            for n in names:
                if n not in [o.name for o in m.graph.output]: m.graph.output.append(onnx.ValueInfoProto(name=n))
            s = ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"])
            lo = {n: np.inf for n in names}; hi = {n: -np.inf for n in names}
            for f in sorted(glob.glob(sys.argv[2] + "/*.npz")):
                outs = s.run(names, dict(np.load(f)))
                for n, v in zip(names, outs): lo[n] = min(lo[n], float(v.min())); hi[n] = max(hi[n], float(v.max()))
            print(json.dumps({n: [lo[n], hi[n]] for n in names}))
            """, [dir + "/m.onnx", dir + "/cal", values.joined(separator: ",")]) as! [String: [Double]]
        #expect(values.count >= 8)
        for v in values {
            let h = try #require(result.histograms[v])
            #expect(abs(h.minimum - ref[v]![0]) <= 1e-6 && abs(h.maximum - ref[v]![1]) <= 1e-6, "\(v): [\(h.minimum), \(h.maximum)] vs ORT+numpy \(ref[v]!)")
        }
    }
}
