import Foundation
import ModelSamples
import OnnxModel
import Testing

/// `onnxscope run` as a user sees it: what reaches the terminal when a provider fails, and the
/// node table's rows and partitions, mostly with the OpenVINO build of ORT (OpenVINO EP + CPU).
///
/// Needs `.venv-openvino` and `.venv` at the checkout's root (`make venv venv-openvino`).
@Suite("Command line: run")
struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let openvino = root + "/.venv-openvino"

    func openvinoVenv() throws -> String {
        try #require(FileManager.default.isExecutableFile(atPath: Self.openvino + "/bin/python"),
                     "\(Self.openvino) is missing: make venv-openvino (onnxruntime-openvino==1.24.1)")
        return Self.openvino
    }

    /// Bytes that could drive a terminal: C0 controls but newline, DEL, ESC, and C1 controls
    /// (as UTF-8 `C2 80`...`C2 9F`).
    func controlBytes(_ bytes: [UInt8]) -> [String] {
        var found: [String] = []
        for (i, b) in bytes.enumerated() {
            if (b < 0x20 && b != 0x0a) || b == 0x7f { found.append(String(format: "0x%02x at %d", b, i)) }
            if b == 0xc2, i + 1 < bytes.count, (0x80...0x9f).contains(bytes[i + 1]) { found.append(String(format: "C1 0x%02x at %d", bytes[i + 1], i)) }
        }
        return found
    }

    /// Conv -> Relu -> Unique -> Sigmoid: OpenVINO takes all but Unique, which falls back to CPU.
    func convUniqueModel() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-run-\(getpid())-conv_unique.onnx").path
        try SampleModels.convUnique().write(to: path)
        return path
    }

    @Test("A model whose provider fails: the failure is told, nothing raw reaches stdout or stderr")
    func failingProvider() throws {
        let ort = try openvinoVenv()
        // OpenVINO's ONNX frontend cannot compile the Loop body ("node not found in graph
        // cache"), which fails the whole session. ORT_OPENVINO_ENABLE_CI_LOG makes the EP also
        // print to std::cout itself, past ORT's logger.
        let r = try runSeparated(try TmuxEndToEndTests.binary(),
                                 ["run", Self.root + "/samples/loop.onnx", "--ort", ort, "--ep", "openvino:device_type=CPU", "--runs", "1"],
                                 environment: ["ORT_OPENVINO_ENABLE_CI_LOG": "1"])
        let stdout = String(decoding: r.stdout, as: UTF8.self), stderr = String(decoding: r.stderr, as: UTF8.self)
        #expect(r.status == 1, "\(stderr)")
        #expect(controlBytes(r.stdout).isEmpty, "stdout: \(controlBytes(r.stdout)) in \(stdout.debugDescription)")
        #expect(controlBytes(r.stderr).isEmpty, "stderr: \(controlBytes(r.stderr)) in \(stderr.debugDescription)")
        #expect(stdout.isEmpty, "the EP's own prints must not reach stdout: \(stdout.debugDescription)")
        #expect(stderr.contains("onnxscope: ONNX Runtime error ORT_FAIL while creating a session"), "\(stderr)")
        #expect(stderr.contains("node not found in graph cache"), "\(stderr)")
        #expect(stderr.contains("ort warning (stdout): In the OpenVINO EP"), "\(stderr)")
        // ORT logs the error it then returns; it is told once, as onnxscope's failure.
        #expect(!stderr.contains("ort error: Exception during initialization"), "\(stderr)")
    }

    @Test("Runs on OpenVINO: the EP's own per-inference prints reach neither stdout nor stderr raw, only as captured log lines")
    func printsDuringRunsAreCaptured() throws {
        let ort = try openvinoVenv()
        // ORT_OPENVINO_ENABLE_CI_LOG makes the EP print "Inference successful" to std::cout on
        // every run, past ORT's logger. In a process of its own: swapping this test process's
        // fd 1 and 2 raced with other suites' captures.
        let r = try runSeparated(try TmuxEndToEndTests.binary(),
                                 ["run", try convUniqueModel(), "--ort", ort, "--ep", "openvino:device_type=CPU", "--runs", "5"],
                                 environment: ["ORT_OPENVINO_ENABLE_CI_LOG": "1"])
        let stdout = String(decoding: r.stdout, as: UTF8.self), stderr = String(decoding: r.stderr, as: UTF8.self)
        #expect(r.status == 0, "\(stderr)")
        // stdout is the report (its runtime line names the library path, so "onnxruntime" is
        // fine there); the EP's print must not be in it.
        #expect(!stdout.contains("Inference") && !stdout.contains("In the OpenVINO EP"), "stdout: \(stdout.debugDescription)")
        let mentions = stderr.split(separator: "\n").filter { $0.contains("Inference") || $0.contains("In the OpenVINO EP") }
        #expect(mentions.allSatisfy { $0.hasPrefix("ort warning (stdout): ") }, "raw lines on stderr: \(mentions)")
        #expect(mentions.contains { $0.hasPrefix("ort warning (stdout): Inference successful") }, "\(stderr)")
    }

    @Test("A bad provider option: ORT's logged reason is shown, escaped, before the failure")
    func providerReason() throws {
        let ort = try openvinoVenv()
        let r = try runSeparated(try TmuxEndToEndTests.binary(),
                                 ["run", try convUniqueModel(), "--ort", ort, "--ep", "openvino:device_type=CPU,precision=FP16", "--runs", "1"])
        let stderr = String(decoding: r.stderr, as: UTF8.self)
        #expect(r.status == 1)
        #expect(controlBytes(r.stdout + r.stderr).isEmpty, "\(stderr.debugDescription)")
        // The status only says "Failed to load provider"; the why comes through the logger.
        let lines = stderr.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("ort error: ") && $0.contains("Unsupported inference precision") }, "\(stderr)")
        #expect(lines.last?.hasPrefix("onnxscope: ONNX Runtime error") == true, "\(stderr)")
    }

    @Test("Names with escape sequences stay escaped, on their own row")
    func hostileNamesInTheTable() throws {
        let cpu = Self.root + "/.venv"
        try #require(FileManager.default.isExecutableFile(atPath: cpu + "/bin/python"), "\(cpu) is missing: make venv")
        var b = GraphBuilder()
        let x = b.input("x", .float, [.value(1), .value(4)])
        let a = b.op("Relu", [x], name: "evil\u{1b}]0;pwned\u{07}\nsecond line")
        let y = b.op("Sigmoid", [a], name: "sig\u{1b}[2J")
        b.output(y, .float, nil)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-run-\(getpid())-hostile.onnx").path
        try b.model().write(to: path)
        defer { unlink(path) }
        let r = try runSeparated(try TmuxEndToEndTests.binary(), ["run", path, "--ort", cpu, "--runs", "2", "--warmup", "0", "--opt-level", "0"])
        let stdout = String(decoding: r.stdout, as: UTF8.self)
        #expect(r.status == 0, "\(String(decoding: r.stderr, as: UTF8.self))")
        #expect(controlBytes(r.stdout + r.stderr).isEmpty, "\(stdout.debugDescription)")
        let lines = stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("node ") }, "\(stdout)")
        let rows = lines.filter { $0.hasPrefix("evil") || $0.hasPrefix("sig") }
        #expect(rows.count == 2, "\(stdout)")
        #expect(rows.contains { $0.hasPrefix("evil\\e]0;pwned\\u{7}\\nsecond line ") }, "\(stdout)")
        for row in rows { #expect(row.count == header.count, "\(row.debugDescription)") }
    }

    @Test("The node table: one row per timed node, aligned columns, partitions as runs of one EP")
    func nodeTable() throws {
        let ort = try openvinoVenv()
        let r = try runSeparated(try TmuxEndToEndTests.binary(),
                                 ["run", try convUniqueModel(), "--ort", ort, "--ep", "openvino:device_type=CPU", "--ep", "cpu",
                                  "--runs", "3", "--warmup", "1"])
        let stdout = String(decoding: r.stdout, as: UTF8.self)
        #expect(r.status == 0, "\(String(decoding: r.stderr, as: UTF8.self))")
        #expect(controlBytes(r.stdout + r.stderr).isEmpty)
        let lines = stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(!stdout.contains("\\n"), "rows joined with a literal \\n:\n\(stdout)")

        let headerIndex = try #require(lines.firstIndex { $0.hasPrefix("node ") }, "\(stdout)")
        let header = lines[headerIndex]
        let rows = Array(lines[(headerIndex + 1)...].prefix { !$0.isEmpty })
        // conv1 and relu1 are one compiled OpenVINO kernel (the row is conv1's), unique1 runs on
        // CPU, sig1 in a second OpenVINO kernel.
        #expect(rows.count == 3, "\(stdout)")
        #expect(lines[headerIndex - 1].contains("3 timed kernels"), "\(lines[headerIndex - 1])")

        // Columns: every row as wide as the header; each left-aligned cell starts where its
        // header word starts.
        let columns = ["node", "op", "provider", "part", "p50 ms"]
        let starts = try columns.map { c in try #require(header.range(of: c).map { header.distance(from: header.startIndex, to: $0.lowerBound) }) }
        func cell(_ row: String, _ i: Int) -> String {
            let chars = Array(row)
            let end = i + 1 < starts.count ? starts[i + 1] : chars.count
            return String(chars[starts[i]..<min(end, chars.count)]).trimmingCharacters(in: .whitespaces)
        }
        var partition: [String: Int] = [:]
        var provider: [String: String] = [:]
        for row in rows {
            #expect(row.count == header.count, "row \(row.debugDescription) vs header \(header.debugDescription)")
            for i in 0..<4 {
                let chars = Array(row)
                #expect(chars[starts[i]] != " " && (starts[i] == 0 || chars[starts[i] - 1] == " "), "column \(columns[i]) misaligned in \(row)")
            }
            partition[cell(row, 0)] = Int(cell(row, 3))
            provider[cell(row, 0)] = cell(row, 2)
        }
        #expect(provider == ["conv1": "OpenVINO", "unique1": "CPU", "sig1": "OpenVINO"], "\(stdout)")
        // ORT lists OpenVINO's two subgraphs first, then CPU's; the table numbers the runs along
        // the graph instead: OpenVINO, then the CPU fallback, then OpenVINO again.
        #expect(partition == ["conv1": 1, "unique1": 2, "sig1": 3], "\(stdout)")
        #expect(lines.contains("partitions 3 (runs of one EP along the graph): #1 OpenVINO (2 nodes), #2 CPU (1 node), #3 OpenVINO (1 node)"), "\(stdout)")

        let help = try run(try TmuxEndToEndTests.binary(), ["run", "--help"])
        let helpText = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(helpText.contains("each maximal run of nodes on one execution provider is one partition"), "\(help.output)")
    }
}
