import Foundation
import ModelSamples
import OnnxModel
import Testing

/// The live run in the real explorer (tmux): times appear on the graph and change, the
/// OpenVINO build shows two providers and the fallback banner, and a provider that refuses the
/// model leaves the explorer working. The terminal is sane after each.
@Suite("End to end in tmux: live runs", .serialized)
struct LiveTmuxTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Starts the explorer in a fresh shell in tmux; returns the tmux handle and the temp folder.
    func open(width: Int = 160, _ args: String, dir: URL) throws -> Tmux {
        let tmux = Tmux(path: try TmuxEndToEndTests.tmuxPath())
        try tmux.start(width: width, height: 45, command: "env -i PATH=/usr/bin:/bin HOME=\(dir.path) TERM=xterm-256color LANG=C.UTF-8 PS1='E2E$ ' sh")
        try tmux.waitFor("prompt", timeout: 10) { $0.contains("E2E$") }
        tmux.sendLiteral("'\(try TmuxEndToEndTests.binary())' \(args)")
        tmux.sendKeys("Enter")
        return tmux
    }

    /// The live p50 the status bar shows (`live 38.2 ms p50`).
    func liveLatency(_ screen: String) -> String? {
        guard let r = screen.range(of: #"live [0-9.]+ ms p50"#, options: .regularExpression) else { return nil }
        return String(screen[r])
    }

    @Test("view --run on ResNet-50: node times on the boxes, a latency that changes, Runtime view, quit sane")
    func resnetLive() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-live-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let model = dir.appendingPathComponent("resnet50.onnx").path
        let gen = try run(try TmuxEndToEndTests.binary(), ["sample", "resnet50", "-o", model])
        try #require(gen.status == 0, "\(gen.output)")
        let tmux = try open("'\(model)' --run --ort '\(Self.root)/.venv'", dir: dir)
        defer { tmux.killServer(); try? FileManager.default.removeItem(at: dir) }
        let first = try tmux.waitFor("kernel times on the graph", timeout: 240) { s in
            s.contains("/conv1/Conv") && s.range(of: #"[0-9.]+ ms [0-9]+%"#, options: .regularExpression) != nil && liveLatency(s) != nil
        }
        #expect(first.contains("EP      CPU (reported by ORT)"), "\(first)")
        let a = liveLatency(first)
        let second = try tmux.waitFor("a new latency", timeout: 120) { s in liveLatency(s) != nil && liveLatency(s) != a }
        #expect(liveLatency(second) != a)
        tmux.sendKeys("4")
        // The by-op-type table appears with the first profile, which can land after the first
        // latency figures on a loaded machine: wait for it rather than assert on the first frame.
        let view = try tmux.waitFor("the Runtime view with a profile", timeout: 60) {
            $0.contains("Top nodes by time") && $0.contains("latency p50") && $0.contains("by op type")
        }
        #expect(view.contains("Conv"))
        // O: ORT's optimized graph (NCHWc Convs named after the tensors they replace), with the
        // live kernel times on its boxes; O again goes back to the model.
        tmux.sendKeys("1", "O")
        let ort = try tmux.waitFor("ORT's graph with kernel times", timeout: 240) { s in
            s.contains("ORT graph (all, CPU) of resnet50.onnx") && s.contains("_nchwc")
                && s.range(of: #"[0-9.]+ (ms|µs) [0-9]+%"#, options: .regularExpression) != nil
        }
        #expect(ort.range(of: #"[0-9]+ nodes for the model's 175, [0-9]+ fused"#, options: .regularExpression) != nil, "\(ort)")
        tmux.sendKeys("O")
        try tmux.waitFor("the model again", timeout: 60) { $0.contains("back to the model at /conv1/Conv") }
        tmux.sendKeys("4", "r")
        try tmux.waitFor("stopped", timeout: 60) { $0.contains("stopped: r resumes") }
        try tmux.quitAndExpectSaneTerminal()
    }

    @Test("OpenVINO build: two providers, the fallback banner; a refused model keeps the explorer working")
    func openvino() throws {
        let ov = Self.root + "/.venv-openvino"
        try #require(FileManager.default.isExecutableFile(atPath: ov + "/bin/python"), "make venv-openvino first")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-live-ov-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("conv_unique.onnx").path
        try SampleModels.convUnique().write(to: model)   // OpenVINO takes all but Unique

        let first = try open("'\(model)' --run --ort '\(ov)' --ep openvino:device_type=CPU", dir: dir)
        defer { first.killServer() }   // also when a wait below fails: a live run left behind costs CI a core
        var tmux = first
        let screen = try tmux.waitFor("the fallback banner", timeout: 240) { $0.contains("fell back to CPU: Unique") }
        #expect(screen.contains("OpenVINO runs 3 of 4 nodes in 2 partitions"), "\(screen)")
        tmux.sendKeys("t")
        let legend = try tmux.waitFor("the provider legend", timeout: 10) { $0.contains("OpenVINO") && $0.contains("CPU (t: tint)") }
        #expect(legend.contains("tint: provider"))
        try tmux.quitAndExpectSaneTerminal()
        tmux.killServer()

        // OpenVINO refuses the Loop sample as a whole session: the failure is shown, browsing goes on.
        tmux = try open("'\(Self.root)/samples/loop.onnx' --run --ort '\(ov)' --ep openvino:device_type=CPU", dir: dir)
        defer { tmux.killServer() }
        let failed = try tmux.waitFor("the failure", timeout: 240) { $0.contains("live run failed") || $0.contains("live: failed") }
        #expect(!failed.contains("\u{1b}"))
        tmux.sendKeys("4")
        try tmux.waitFor("the Runtime view with the message", timeout: 10) { $0.contains("failed: ") }
        tmux.sendKeys("1", "j")
        try tmux.waitFor("the graph again", timeout: 10) { $0.contains("Inspector") }
        try tmux.quitAndExpectSaneTerminal()
    }
}
