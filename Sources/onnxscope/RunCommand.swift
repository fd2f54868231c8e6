import ArgumentParser
import Foundation
import OnnxModel
import OnnxRuntimeKit

/// `onnxscope run MODEL`: run a model with ONNX Runtime, time it end to end and per kernel,
/// show where each node ran, optionally check outputs against a model-zoo test set.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model with ONNX Runtime: latency, per-node kernel time, EP placement.",
        discussion: """
            Inputs are generated (seeded) unless given with --input NAME=FILE (.npy or TensorProto .pb) \
            or taken from a model-zoo folder with --check DIR. Exit status: 0 ok, 1 model error or \
            --check mismatch, 2 no usable ONNX Runtime.

            The node table's `part` column is the node's partition: walking the graph in \
            topological order, each maximal run of nodes on one execution provider is one \
            partition, numbered 1, 2, ... (CPU alone is one partition; OpenVINO, then a node that \
            falls back to CPU, then OpenVINO again are partitions 1, 2, 3). ORT's own list of EP \
            subgraphs (one per node on CPU) is in --json as `ort_ep_subgraphs`.

            ONNX Runtime's messages (and anything its libraries print) are shown on stderr as \
            `ort LEVEL: ...` lines, escaped and with repeats counted, at --ort-log and above.
            """)

    @Argument(help: "Model file (.onnx).") var model: String
    @OptionGroup var session: SessionOptions
    @Option(name: .long, help: "Timed runs.") var runs = 10
    @Option(name: .long, help: "Warm-up runs before timing.") var warmup = 3
    @Option(name: .long, help: ArgumentHelp("Value of a symbolic dimension for generated inputs (repeatable).", valueName: "NAME=VALUE")) var dim: [String] = []
    @Flag(name: .customLong("fix-dims"), help: "Also pass --dim values to ORT as free dimension overrides.") var fixDims = false
    @Option(name: .customLong("save-outputs"), help: "Write each output to DIR/<name>.npy.") var saveOutputs: String?
    @Option(name: .long, help: "Model-zoo test_data_set folder (input_K.pb, output_K.pb) to run and check.") var check: String?
    @Option(name: .long, help: "Relative tolerance for --check (default: data.json or 1e-3).") var rtol: Double?
    @Option(name: .long, help: "Absolute tolerance for --check (default: data.json or 1e-7).") var atol: Double?
    @Flag(name: .customLong("no-profile"), help: "Skip the profiled pass (latency only).") var noProfile = false
    @Option(name: .long, help: "Write a Chrome/Perfetto trace (JSON) of the profiled runs.") var trace: String?
    @Option(name: .long, help: "Write per-node timing as CSV.") var csv: String?
    @Flag(name: .long, help: "Print JSON instead of tables.") var json = false
    @Option(name: .long, help: "Rows in the node table.") var top = 20
    @OptionGroup var ortLog: OrtLogOption

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be 0 or more") }
    }

    func run() throws {
        let lib = try loadRuntimeOrExit(session.ort, logLevel: ortLog.parsed)
        var config: SessionConfiguration
        let dims: [String: Int64]
        do {
            config = try session.configuration()
            dims = try DimArguments.parse(dim)
        } catch { throw fail(error) }
        // The model's free dims: the user's values (names checked), hints for the rest, so
        // generated inputs are never a silent 1×1 image.
        let binding: DimensionBinding
        do { binding = try DimensionBinding(model: try Model.load(path: model), user: dims) }
        catch { throw fail(error) }
        if fixDims { config.freeDimensionOverrides = dims }

        var runner = ModelRunner(source: .path(model), configuration: config)
        runner.warmup = warmup
        runner.runs = runs
        runner.profile = !noProfile || trace != nil || csv != nil

        let ortSession: Session
        let createMs: Double
        let graph: Graph
        do {
            // Native code may print past ORT's logger (see NativeOutputCapture): catch it here
            // and in the runs, so it comes out cleaned with ORT's other messages.
            (ortSession, createMs) = try NativeOutputCapture.capture(into: lib.log) { try runner.openTimedSession(library: lib) }
            graph = try Model.load(path: model).graph
        } catch { throw fail(error) }

        // Inputs: test set, then files, then generated for whatever is left.
        var feeds: [String: HostTensor] = [:]
        var origin: [String: String] = [:]
        var dataSet: TestDataSet?
        do {
            if let check { dataSet = try TestDataSet(directory: check, session: ortSession) }
            let made = try InputFeeds(session: ortSession, graph: graph, files: session.input, binding: binding, seed: session.seed,
                                      preset: dataSet?.inputs ?? [:], presetOrigin: "test set")
            feeds = made.feeds
            origin = made.origin
            for note in made.notes { FileHandle.standardError.write(Data("onnxscope: note: \(note)\n".utf8)) }
        } catch { throw fail(error) }

        let progress = ProgressLine(enabled: isatty(2) != 0)
        let result: ModelRunner.Result
        do {
            result = try NativeOutputCapture.capture(into: lib.log) {
                try runner.run(library: lib, session: (ortSession, createMs), feeds: feeds) { phase, done, total in
                    progress.update(phase, done, total)
                }
            }
        } catch {
            progress.clear()
            throw fail(error)
        }
        progress.clear()
        // Once, after ORT's work, so each distinct message is one line with its full count.
        printOrtLog()

        var comparisons: [TensorComparison] = []
        if let ds = dataSet {
            comparisons = ds.check(result.outputs, order: result.outputInfos.map(\.name), rtol: rtol, atol: atol)
        }
        do {
            if let dir = saveOutputs {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                for (name, t) in result.outputs {
                    try NpyFile.write(t, path: "\(dir)/\(RunReport.fileSafe(name)).npy")
                }
            }
            if let p = result.profile {
                if let csv { try RunReport.csv(p).write(toFile: csv, atomically: true, encoding: .utf8) }
                if let trace, let path = result.profilePath { try RunReport.writeTrace(profile: p, ortProfile: path, to: trace) }
            }
        } catch { throw fail(error) }

        let report = RunReport(model: model, library: lib, config: config, runs: runs, warmup: warmup, result: result,
                               origins: origin, feeds: feeds, comparisons: comparisons)
        if json {
            print(try report.json())
        } else {
            print(report.text(top: top))
        }
        if comparisons.contains(where: { !$0.passed }) { throw ExitCode(1) }
    }

    /// Prints what ORT logged, then `error` as the one-line reason, and returns exit status 1.
    /// ORT often logs the error it is about to return; that copy is left out.
    func fail(_ error: Error) -> ExitCode {
        let text = "\(error)".escapedForDisplay
        printOrtLog(skipping: { $0.severity >= .error && !$0.lines[0].isEmpty && text.contains($0.lines[0]) })
        return failure(1, "\(error)")
    }

}

/// One-line progress on stderr, drawn only after a run has taken more than a second and only
/// on a terminal, so scripts and quick runs see nothing. It writes to its own duplicate of
/// stderr, which still reaches the terminal while ``NativeOutputCapture`` holds fd 2.
final class ProgressLine: @unchecked Sendable {
    private let enabled: Bool
    private let output: FileHandle?
    private let start = Date()
    private var last = Date.distantPast
    private var drawn = false
    private let lock = NSLock()

    init(enabled: Bool) {
        self.enabled = enabled
        output = enabled ? NativeOutputCapture.duplicateStandardError() : nil
    }

    func update(_ phase: String, _ done: Int, _ total: Int) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(start) > 1, now.timeIntervalSince(last) > 0.1 || done == total else { return }
        last = now
        drawn = true
        output?.write(Data("\r\u{1B}[K\(phase): \(done)/\(total)".utf8))
    }

    func clear() {
        lock.lock(); defer { lock.unlock() }
        if drawn { output?.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}
