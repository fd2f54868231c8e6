import Foundation
import Testing

/// The quantization loop as a user drives it in the real explorer (tmux): open ResNet-50 with
/// calibration and eval images and a live run, `:quantize all`, wait for the int8 figures,
/// `:live int8`, `Q` on the selected Conv, `w`, then check the written model in Python with
/// onnx and ORT.
@Suite("End to end in tmux: quantization loop", .serialized)
struct QuantizationTmuxTests {
    static let root = LiveTmuxTests.root

    /// The status bar's int8 item, once it is not stale: `int8 71/71 kernels (…)  1.62× float  SQNR 34.9 dB`.
    static func int8Figures(_ screen: String) -> String? {
        guard let line = screen.split(separator: "\n").last(where: { $0.contains("int8 ") && $0.contains(" kernels") }),
              !line.contains("(stale)"), line.contains("SQNR") else { return nil }
        return String(line)
    }

    @Test("ResNet-50: quantize all, Q one Conv back to float, w writes a model with exactly that Conv float that ORT runs")
    func loop() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-qloop-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let samples = Self.root + "/.models/quant/resnet50-sample"
        try #require(FileManager.default.fileExists(atPath: samples + "/calib"), "make quant-data first")
        for sub in ["cal", "eval"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        // 8 + 8 of the real images keep calibration short in a debug build.
        for k in 0..<8 {
            let name = String(format: "%03d.npz", k)
            try FileManager.default.copyItem(atPath: samples + "/calib/" + name, toPath: dir.appendingPathComponent("cal/" + name).path)
            try FileManager.default.copyItem(atPath: samples + "/eval/" + name, toPath: dir.appendingPathComponent("eval/" + name).path)
        }
        let model = dir.appendingPathComponent("resnet50.onnx").path
        let gen = try run(try TmuxEndToEndTests.binary(), ["sample", "resnet50", "-o", model])
        try #require(gen.status == 0, "\(gen.output)")
        let before = try Data(contentsOf: URL(fileURLWithPath: model))

        let tmux = try LiveTmuxTests().open(width: 200,"'\(model)' --run --ort '\(Self.root)/.venv' --calibration '\(dir.path)/cal' --eval '\(dir.path)/eval'", dir: dir)
        defer { tmux.killServer() }
        try tmux.waitFor("the explorer's first frame", timeout: 60) { $0.contains("Inspector") && $0.contains("/conv1/Conv") }
        tmux.sendKeys(":")
        tmux.sendLiteral("quantize all")
        tmux.sendKeys("Enter")
        let all = try tmux.waitFor("the all-int8 figures", timeout: 400) { Self.int8Figures($0)?.contains("int8 71/71 kernels") == true }
        #expect(all.contains("live "), "the live run goes on beside the loop")
        // The live run follows the int8 variant: a new session, then its own latency.
        tmux.sendKeys(":")
        tmux.sendLiteral("live int8")
        tmux.sendKeys("Enter")
        try tmux.waitFor("the live run on the int8 variant", timeout: 120) { s in
            s.range(of: #"live int8 [0-9.]+ ms p50"#, options: .regularExpression) != nil && !s.contains("p50 (stale)")
        }

        // conv1 is selected at start: Q switches it to float.
        tmux.sendKeys("Q")
        let toggled = try tmux.waitFor("the figures without conv1", timeout: 200) { Self.int8Figures($0)?.contains("int8 70/70 kernels") == true }
        #expect(toggled.contains("plan    float (Q switches)"), "the inspector says the node is float now")

        tmux.sendKeys("w")
        let saved = dir.appendingPathComponent("resnet50.int8.onnx").path
        try tmux.waitFor("the model written", timeout: 60) { _ in FileManager.default.fileExists(atPath: saved) }
        try tmux.waitFor("the message", timeout: 10) { $0.contains("wrote ") }
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("resnet50.int8.plan.json").path))
        try tmux.quitAndExpectSaneTerminal()
        #expect(try Data(contentsOf: URL(fileURLWithPath: model)) == before, "the open model is never modified")

        // onnx and ORT on the saved file: conv1 float, every other Conv's weight dequantized, runs.
        let check = try run(Self.root + "/.venv/bin/python", ["-c", """
            import sys, onnx, numpy as np, onnxruntime as ort
            m = onnx.load(sys.argv[1]); onnx.checker.check_model(m)
            producers = {o: n for n in m.graph.node for o in n.output}
            convs = [n for n in m.graph.node if n.op_type == "Conv"]
            quantized = [n.name for n in convs if producers.get(n.input[1]) is not None and producers[n.input[1]].op_type == "DequantizeLinear"]
            float_convs = [n.name for n in convs if n.name not in quantized]
            s = ort.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
            y = s.run(None, {s.get_inputs()[0].name: np.random.default_rng(0).standard_normal((1, 3, 224, 224)).astype(np.float32)})[0]
            print(len(convs), len(quantized), ",".join(float_convs), y.shape)
            """, saved])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("53 52 /conv1/Conv (1, 1000)"), "\(check.output)")
    }
}
