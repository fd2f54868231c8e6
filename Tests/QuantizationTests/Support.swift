import Foundation
import OnnxModel
import OnnxRuntimeKit

/// The reference tools (numpy, onnx, ONNX Runtime's own quantizer utilities) in the project
/// venv, and ORT's library. These tests compare with them, never with our own assumptions.
enum Reference {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let python = root + "/.venv/bin/python"

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Runs a Python snippet with `args`; returns stdout, throws with stderr on failure.
    static func python(_ script: String, _ args: [String] = []) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw Failure(description: "\(python) missing: run `make venv`") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "python: \(String(decoding: e, as: UTF8.self))") }
        return String(decoding: o, as: UTF8.self)
    }

    static func json(_ script: String, _ args: [String] = []) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try python(script, args).utf8))
    }

    static func library() throws -> OrtLibrary { try OrtLibrary.load(explicitPath: root + "/.venv") }

    static func tempDir(_ tag: String) -> String {
        let d = NSTemporaryDirectory() + "onnxscope-q-\(tag)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}

/// A small trained-looking CNN: Conv → BatchNormalization → Relu → Conv → Add (residual) →
/// Relu → MaxPool → GlobalAveragePool → Flatten → Gemm, with seeded weights.
enum SmallNet {
    static func model(seed: UInt64 = 7) -> Model {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder(name: "smallnet", opset: 17)
        let x = b.input("image", .float, [.value(1), .value(3), .value(16), .value(16)])
        func conv(_ x: String, _ cin: Int, _ cout: Int, _ name: String) -> String {
            let w = b.initializer(name + ".weight", floats: rng.normals(cout * cin * 9, std: 0.3), dims: [Int64(cout), Int64(cin), 3, 3])
            let bias = b.initializer(name + ".bias", floats: rng.normals(cout, std: 0.1), dims: [Int64(cout)])
            return b.node("Conv", [x, w, bias], name: name, attributes: [.ints("pads", [1, 1, 1, 1])])[0]
        }
        let c1 = conv(x, 3, 8, "conv1")
        let bn = b.node("BatchNormalization", [c1,
            b.initializer("bn.scale", floats: (0..<8).map { _ in Float(0.5 + rng.unit()) }, dims: [8]),
            b.initializer("bn.bias", floats: rng.normals(8, std: 0.2), dims: [8]),
            b.initializer("bn.mean", floats: rng.normals(8, std: 0.3), dims: [8]),
            b.initializer("bn.var", floats: (0..<8).map { _ in Float(0.5 + rng.unit()) }, dims: [8])], name: "bn1")[0]
        let r1 = b.node("Relu", [bn], name: "relu1")[0]
        let c2 = conv(r1, 8, 8, "conv2")
        let add = b.node("Add", [c2, r1], name: "add")[0]
        let r2 = b.node("Relu", [add], name: "relu2")[0]
        let mp = b.node("MaxPool", [r2], name: "pool", attributes: [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])[0]
        let gap = b.node("GlobalAveragePool", [mp], name: "gap")[0]
        let flat = b.node("Flatten", [gap], name: "flatten")[0]
        let fw = b.initializer("fc.weight", floats: rng.normals(10 * 8, std: 0.5), dims: [10, 8])
        let fb = b.initializer("fc.bias", floats: rng.normals(10, std: 0.1), dims: [10])
        let y = b.node("Gemm", [flat, fw, fb], name: "fc", outputNames: ["logits"], attributes: [.int("transB", 1)])[0]
        b.output(y, .float, [.value(1), .value(10)])
        return b.model()
    }

    /// A net with one sensitive value: the input, whose calibrated range a single outlier
    /// pixel widens; the Sigmoid after conv1 bounds it, so nothing after it is affected.
    static func sensitive(seed: UInt64 = 9) -> Model {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder(name: "sensitive", opset: 17)
        let x = b.input("image", .float, [.value(1), .value(3), .value(16), .value(16)])
        let w1 = b.initializer("w1", floats: rng.normals(8 * 27, std: 0.3), dims: [8, 3, 3, 3])
        let c1 = b.node("Conv", [x, w1], name: "conv1", attributes: [.ints("pads", [1, 1, 1, 1])])[0]
        let s = b.node("Sigmoid", [c1], name: "sigmoid")[0]
        let w2 = b.initializer("w2", floats: rng.normals(8 * 72, std: 0.3), dims: [8, 8, 3, 3])
        let c2 = b.node("Conv", [s, w2], name: "conv2", attributes: [.ints("pads", [1, 1, 1, 1])])[0]
        let r = b.node("Relu", [c2], name: "relu")[0]
        let gap = b.node("GlobalAveragePool", [r], name: "gap")[0]
        let flat = b.node("Flatten", [gap], name: "flatten")[0]
        let fw = b.initializer("fc.weight", floats: rng.normals(10 * 8, std: 0.5), dims: [10, 8])
        let y = b.node("Gemm", [flat, fw], name: "fc", outputNames: ["logits"], attributes: [.int("transB", 1)])[0]
        b.output(y, .float, [.value(1), .value(10)])
        return b.model()
    }

    /// `count` .npz samples of normal(0, 1) images, written by numpy.
    /// With `spike`, the first sample has one pixel of that value: an outlier that MinMax
    /// calibration turns into a range too wide for the layers after it.
    static func samples(in dir: String, count: Int, seed: Int, spike: Double = 0) throws {
        _ = try Reference.python("""
            import numpy as np, sys, os
            d, n, s, spike = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
            os.makedirs(d, exist_ok=True)
            rng = np.random.default_rng(s)
            for k in range(n):
                x = rng.standard_normal((1, 3, 16, 16)).astype(np.float32)
                if k == 0 and spike: x[0, :, 8, 8] = spike
                np.savez(f"{d}/{k:03d}.npz", image=x)
            """, [dir, "\(count)", "\(seed)", "\(spike)"])
    }
}
