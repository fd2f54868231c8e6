import Foundation
import Testing
@testable import Explorer
import OnnxModel
import OnnxRuntimeKit
import Workbench
import Terminal

/// The live run on screen, with a fixed snapshot of figures injected (the runner itself is
/// tested in WorkbenchTests and end to end): times and heat on the boxes, the provider
/// legend and fallback banner, the inspector's Runtime section, the Runtime view.
@Suite("Runtime on screen")
struct RuntimeScreenTests {
    /// Kernel time proportional to MACs (1 GMAC = 10 ms), the first two partitions on
    /// OpenVINO and CPU, a fused Relu: deterministic figures shaped like a real profile.
    static func inject(_ app: ExplorerApp) {
        let doc = app.document
        let main = doc.scope(0)
        var annotations = Annotations()
        var total = 0.0
        var times: [Int: Double] = [:]
        for n in main.topologicalOrder {
            let macs = doc.metrics(NodeKey(scope: 0, node: n)).macs
            let us = Double(macs) / 1e5
            if us > 0 { times[n] = us; total += us }
        }
        let order = main.topologicalOrder
        let cpuFrom = order.count / 2
        var partitions: [RuntimeFigures.Partition] = [.init(number: 1, provider: "OpenVINOExecutionProvider", nodes: Array(order[..<cpuFrom])),
                                                      .init(number: 2, provider: "CPUExecutionProvider", nodes: Array(order[cpuFrom...]))]
        partitions[0].nodes.sort(); partitions[1].nodes.sort()
        for (rank, n) in order.enumerated() {
            let onCPU = rank >= cpuFrom
            var a = NodeAnnotation(provider: onCPU ? "CPUExecutionProvider" : "OpenVINOExecutionProvider", partition: onCPU ? 2 : 1,
                                   kernelTimeMicroseconds: times[n])
            a.kernelTimeP90Microseconds = times[n].map { $0 * 1.1 }
            a.share = times[n].map { $0 / total }
            a.partitionSize = onCPU ? order.count - cpuFrom : cpuFrom
            if main.node(n).opType == "Relu", rank < 3 { a.execution = .fused(into: "/conv1/Conv"); a.kernelTimeMicroseconds = nil; a.share = nil }
            if main.node(n).opType == "Conv", rank == 0 {
                a.kernels = [NodeAnnotation.Kernel(name: "/conv1/Conv", op: "FusedConv", provider: "OpenVINOExecutionProvider", nodes: [n, order[2]])]
                a.inputShapes = "float[1,3,224,224], float[64,3,7,7]"
            }
            annotations[NodeKey(scope: 0, node: n)] = a
        }
        var f = RuntimeFigures()
        f.phase = .running
        f.generation = 7
        f.settings = "ORT 1.32.0 · OpenVINO, CPU · 1 thread · opt all"
        f.sessionCreateMs = 412
        f.runs = 240
        f.latency = LatencyStats(milliseconds: (0..<100).map { 40 + Double($0 % 10) * 0.2 })
        f.recentLatencyMs = (0..<60).map { 40 + Double(($0 * 7) % 10) * 0.2 }
        f.runsPerSecond = 24.5
        f.profilingOverheadPercent = 3.2
        f.kernelTotalMs = total / 1000
        f.partitions = partitions
        f.providers = ["OpenVINOExecutionProvider", "CPUExecutionProvider"]
        f.byProvider = [.init(key: "OpenVINOExecutionProvider", ms: 21.5, share: 0.56, count: cpuFrom),
                        .init(key: "CPUExecutionProvider", ms: 16.9, share: 0.44, count: order.count - cpuFrom)]
        f.byOpType = [.init(key: "Conv", ms: 36.1, share: 0.94, count: 53), .init(key: "Gemm", ms: 0.2, share: 0.005, count: 1)]
        app.state.runtime = f
        app.state.annotations = annotations
        app.state.tint = .time
    }

    @Test("graph: kernel times on the boxes, heat legend, the fallback banner")
    func graphWithTimes() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        Self.inject(s.app)
        s.draw()
        expectGolden("resnet50-runtime-graph", s)
        #expect(s.text.contains("OpenVINO runs 87 of 175 nodes in 1 partition; 88 fell back to CPU"))
        #expect(s.text.contains("time ") && s.text.contains("hot (t: tint)"))
        #expect(s.text.contains("1.18 ms 3%"), "a conv box carries its time and share")
        #expect(s.text.contains("fused"))
    }

    @Test("t cycles the tint; the provider legend names the providers")
    func tintCycle() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        Self.inject(s.app)
        s.press(.char("t"))
        #expect(s.app.state.tint == .provider)
        #expect(s.text.contains("OpenVINO") && s.text.contains("CPU (t: tint)"))
        s.press(.char("t"))
        #expect(s.app.state.tint == .partition)
        #expect(s.text.contains("partitions: 2"))
        s.press(.char("t"))
        #expect(s.app.state.tint == .predicted)
        #expect(s.text.contains("nnapi predicted:"))
        s.press(.char("t"))
        #expect(s.app.state.tint == .category)
    }

    @Test("inspector Runtime section: provider, partition size, p50/p90/share, kernels, shapes")
    func inspector() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        Self.inject(s.app)
        s.press(.tab, .char("G"))
        let t = s.text
        expectGolden("resnet50-runtime-inspector-conv1", s)
        #expect(t.contains("OpenVINO (reported by ORT)"))
        #expect(t.contains("#1 of 87 nodes"))
        #expect(t.contains("FusedConv"))
        #expect(t.contains("also covers"))
    }

    @Test("Runtime view: latency, sparkline, totals, top nodes; Enter jumps to the node")
    func runtimeView() {
        let s = Screen(Fixtures.app(Fixtures.resnet50), width: 140, height: 40)
        Self.inject(s.app)
        s.press(.char("4"))
        expectGolden("resnet50-runtime-view", s)
        let t = s.text
        #expect(t.contains("latency p50"))
        #expect(t.contains("runs/s") && t.contains("24.5"))
        #expect(t.contains("by provider"))
        #expect(t.contains("Top nodes by time"))
        s.press(.enter)
        #expect(s.app.state.view == .graph)
        #expect(s.app.selectedNode != nil)
    }

    @Test("s in the Runtime view cycles its order: p50, p90, partition, EP, graph order, name")
    func runtimeSort() {
        let s = Screen(Fixtures.app(Fixtures.resnet50), width: 140, height: 40)
        Self.inject(s.app)
        s.press(.char("4"))
        let view = RuntimeView(app: s.app)
        let byTime = view.nodeRows()
        #expect(byTime.map { $0.p50 ?? 0 } == byTime.map { $0.p50 ?? 0 }.sorted(by: >))
        for key in RuntimeSortKey.allCases.dropFirst() {
            s.press(.char("s"))
            #expect(s.app.state.runtimeSort == key)
            #expect(s.text.contains("Nodes by \(key.title)"), "\(key)")
        }
        let byName = RuntimeView(app: s.app).nodeRows().map(\.name)
        #expect(byName == byName.sorted())
        s.press(.char("s"))
        #expect(s.app.state.runtimeSort == .p50 && s.text.contains("Top nodes by time"))
        #expect(s.app.state.opsSort == .count, "s in the Runtime view leaves the Ops table's order alone")
    }

    @Test("o opens the live settings: the EPs this ORT has and their options, threads, optimization, fallback, dims; Enter re-creates the session with them, Esc keeps it")
    func settingsPanel() throws {
        let s = Screen(Fixtures.app(Fixtures.resnet50), width: 140, height: 40)
        s.press(.char("o"))
        #expect(s.app.state.settings == nil && s.app.state.message?.text.contains("start a live run first") == true)
        let runtime = RecordingRuntime()
        s.app.liveRuntime = runtime
        s.press(.char("o"))
        #expect(s.text.contains("Live settings") && s.text.contains("EPs this ORT has: CPU, OpenVINO"), "\(s.text)")
        s.press(.right)                  // CPU → OpenVINO
        s.press(.down)                   // its options: typed
        s.type("device_type=CPU,num_of_threads=1")
        s.press(.down, .right, .right)   // threads auto → 2
        s.press(.down, .left)            // optimization all → layout
        s.press(.down, .char(" "))       // CPU fallback off
        s.press(.down)                   // dims: typed, checked against the model
        s.type("nodim=3")
        s.press(.enter)
        #expect(s.app.state.settings != nil && s.app.state.message?.kind == .error, "a dim the model lacks keeps the panel open")
        #expect(runtime.updates.isEmpty)
        for _ in 0..<7 { s.press(.backspace) }
        s.type("batch=2 seq=")            // q, h, j, k, l, o are text on a text row, never keys
        #expect(s.app.state.settings?.dims == "batch=2 seq=", "\(String(describing: s.app.state.settings))")
        for _ in 0..<4 { s.press(.backspace) }
        #expect(s.text.contains("OpenVINO") && s.text.contains("device_type=CPU,num_of_threads=1") && s.text.contains("batch=2"), "\(s.text)")
        s.press(.enter)
        #expect(s.app.state.settings == nil)
        let c = try #require(runtime.updates.last)
        #expect(c.providers.map(\.description) == ["OpenVINO:device_type=CPU,num_of_threads=1"])
        // A second EP after the first stays when the first is kept.
        runtime.configuration.providers.append(ExecutionProviderSpec(name: "XNNPACK"))
        s.press(.char("o"), .down, .down, .right, .enter)   // threads 2 → 3
        #expect(runtime.updates.last?.providers.map(\.name) == ["OpenVINO", "XNNPACK"] && runtime.updates.last?.intraOpThreads == 3)
        #expect(c.intraOpThreads == 2 && c.optimizationLevel == .layout && !c.cpuFallback)
        #expect(c.freeDimensionOverrides == ["batch": 2])
        #expect(s.app.state.message?.text.contains("dims batch=2") == true)
        #expect(s.app.state.runtime.isStale)
        s.press(.char("o"), .right, .escape)
        #expect(runtime.updates.count == 2, "Esc closes without applying")
    }

    @Test("without ONNX Runtime, r says so and nothing breaks")
    func noRuntime() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("r"))
        #expect(s.app.state.message?.kind == .warning)
        #expect(s.text.contains("no live runs here"))
    }
}

@Suite("Palette: export PATH writes the live figures")
struct RuntimeExportTests {
    @Test("CSV and JSON with one row per annotated node; never over an existing file")
    func export() throws {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        RuntimeScreenTests.inject(s.app)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-export-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("nodes.csv").path
        s.press(.char(":")); s.type("export \(csv)"); s.press(.enter)
        #expect(s.app.state.message?.text.hasPrefix("wrote 175 nodes") == true, "\(String(describing: s.app.state.message))")
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "node,op,provider,partition,p50_us,p90_us,share,execution")
        #expect(lines.count == 176)
        #expect(lines[1].hasPrefix("/conv1/Conv,Conv,OpenVINOExecutionProvider,1,"))
        let json = dir.appendingPathComponent("nodes.json").path
        s.press(.char(":")); s.type("export \(json)"); s.press(.enter)
        let obj = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
        #expect((obj?["nodes"] as? [Any])?.count == 175)
        s.press(.char(":")); s.type("export \(csv)"); s.press(.enter)
        #expect(s.app.state.message?.text.contains("exists") == true)
    }

    @Test("export PATH.trace.json writes the newest profiled run as a Chrome/Perfetto timeline")
    func exportTrace() throws {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-trace-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run.trace.json").path
        s.press(.char(":")); s.type("export \(path)"); s.press(.enter)
        #expect(s.app.state.message?.text.contains("no profiled run yet") == true, "\(String(describing: s.app.state.message))")
        // An ORT profile of one run with two kernels, as the live runner keeps it.
        let ort = #"[{"cat":"Session","name":"model_run","ts":100,"dur":50},"# +
            #"{"cat":"Node","name":"/conv1/Conv_kernel_time","ts":105,"dur":20,"args":{"op_name":"FusedConv","provider":"CPUExecutionProvider","input_type_shape":[{"float":[1,3,224,224]}]}},"# +
            #"{"cat":"Node","name":"/fc/Gemm_kernel_time","ts":130,"dur":10,"args":{"op_name":"Gemm","provider":"CPUExecutionProvider"}}]"#
        s.app.state.runtime.lastProfiledRun = try ProfileTrace.parse(Data(ort.utf8))
        s.press(.char(":")); s.type("export \(path)"); s.press(.enter)
        #expect(s.app.state.message?.text.hasPrefix("wrote 2 kernel events") == true, "\(String(describing: s.app.state.message))")
        let back = try ProfileTrace.parse(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(back == s.app.state.runtime.lastProfiledRun)
        #expect(back.kernels.first?.inputShapes == "float[1,3,224,224]")
    }
}

/// Records what the explorer asks of a runner (the real runner is tested in WorkbenchTests).
final class RecordingRuntime: LiveRuntimeControl, @unchecked Sendable {
    var started = 0, stopped = 0, made = 0
    var configuration = SessionConfiguration()
    var updates: [SessionConfiguration] = []
    var snapshot = LiveSnapshot()
    /// The phase the snapshot shows right after start() (a real runner publishes later).
    var startPhase: LiveSnapshot.Phase = .running
    func start() { started += 1; snapshot.phase = startPhase }
    func stop() { stopped += 1; snapshot.phase = .stopped }
    func update(configuration: SessionConfiguration) { updates.append(configuration); self.configuration = configuration }
    func update(model: ModelRunner.Source) -> Int { models.append(model); return models.count }
    var models: [ModelRunner.Source] = []
    var availableProviders = ["OpenVINOExecutionProvider", "CPUExecutionProvider"]
}

@Suite("Live run control from the explorer")
struct LiveControlTests {
    @Test("r makes the runner once, then stops and resumes it")
    func toggle() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let runtime = RecordingRuntime()
        s.app.makeLiveRuntime = { runtime.made += 1; return runtime }
        s.press(.char("r"))
        #expect(runtime.made == 1 && runtime.started == 1)
        s.app.refreshLiveRuntime()
        s.press(.char("r"))
        #expect(runtime.stopped == 1)
        s.press(.char("r"))
        #expect(runtime.made == 1 && runtime.started == 2)
    }

    @Test("palette settings re-create the session with the new configuration, figures marked stale")
    func settings() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let runtime = RecordingRuntime()
        s.app.makeLiveRuntime = { runtime }
        s.press(.char(":")); s.type("threads 2"); s.press(.enter)
        #expect(s.app.state.message?.kind == .warning, "no runner yet")
        s.press(.char("r"))
        for (command, check) in [("threads 2", { (c: SessionConfiguration) in c.intraOpThreads == 2 }),
                                 ("opt basic", { $0.optimizationLevel == .basic }),
                                 ("fallback off", { !$0.cpuFallback }),
                                 ("ep openvino:device_type=CPU", { $0.providers.count == 1 })] {
            s.press(.char(":")); s.type(command); s.press(.enter)
            #expect(runtime.updates.last.map(check) == true, "\(command)")
            #expect(s.app.state.runtime.isStale)
        }
        s.press(.char(":")); s.type("opt fastest"); s.press(.enter)
        #expect(s.app.state.message?.kind == .error)
        #expect(runtime.updates.count == 4)
    }
}

@Suite("Live run start race")
struct LiveStartRaceTests {
    @Test("a runner that has not published yet leaves the explorer starting (and polling), not idle")
    func staysStarting() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let runtime = RecordingRuntime()
        runtime.startPhase = .idle
        s.app.makeLiveRuntime = { runtime }
        s.press(.char("r"))
        s.app.refreshLiveRuntime()
        #expect(s.app.state.runtime.phase == .starting)
        #expect(s.app.isBusy)
    }
}
