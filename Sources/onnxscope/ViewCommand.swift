import ArgumentParser
import Explorer
import Foundation
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Terminal
import Workbench

/// `onnxscope MODEL` / `onnxscope view MODEL`: the interactive explorer.
///
/// Everything that can fail for a user reason (the model, the theme, the config file) is
/// checked before the terminal is taken over, so errors print as plain text and exit 2; once
/// the terminal is ours, every way out restores it (see ``TerminalRestorer``).
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Open the interactive explorer (the default command).",
        discussion: """
            Keys: ? lists them all; r starts and stops a live run with ONNX Runtime (kernel times, \
            providers and partitions on the graph; 4 shows the Runtime view; t changes the tint). \
            The ORT options below are those of `run`; intra-op threads default to cores − 1 so the \
            explorer keeps a core. Exit codes: 0 ok, 1 no usable terminal, 2 the model or theme \
            cannot be read.
            """
    )

    @Argument(help: "The .onnx file.") var model: String
    @Option(help: "Theme name (dark, light, high-contrast, 16color) or path to a .theme file.") var theme: String?
    @Flag(help: "Draw boxes and lines with ASCII characters only.") var ascii = false
    @Option(name: .customLong("dim"), help: ArgumentHelp("Bind a symbolic input dim, e.g. --dim batch=8 (repeatable); shapes and MACs follow.", valueName: "NAME=VALUE"))
    var dims: [String] = []
    @OptionGroup var ortLog: OrtLogOption
    @OptionGroup(title: "ONNX Runtime (live runs)") var session: SessionOptions
    @Flag(name: .customLong("run"), help: "Start the live run at launch (as pressing r).") var runAtLaunch = false
    @Option(help: ArgumentHelp("Calibration samples for the quantization loop (repeatable; as `quantize` takes): calibrates at launch, then Q switches nodes int8/float.", valueName: "PATH"))
    var calibration: [String] = []
    @Option(name: .customLong("eval"), help: ArgumentHelp("Held-out samples the int8 variants are measured on (SQNR, top-1, latency).", valueName: "PATH"))
    var evaluation: [String] = []

    @Flag(help: .hidden) var bench = false
    @Option(help: .hidden) var benchReport: String?
    @Option(help: .hidden) var benchLlmBlocks: Int?

    func run() throws {
        let processStart = ContinuousClock.now
        let environment = ProcessInfo.processInfo.environment
        if bench {
            let r = try ExplorerBenchmark.run(name: benchName) { try loadModel() }
            print(ExplorerBenchmark.json(r))
            return
        }
        let clock = ContinuousClock()
        let t0 = clock.now
        let loaded = try loadModel()
        let t1 = clock.now
        let binding: DimensionBinding
        do { binding = try DimensionBinding(model: loaded, user: try DimArguments.parse(dims)) }
        catch { throw failure(2, String(describing: error)) }
        let document = Document(model: loaded, path: benchLlmBlocks == nil ? model : benchName, binding: binding)
        let t2 = clock.now
        let resolvedTheme: Theme
        do {
            resolvedTheme = try ThemeResolver.resolve(option: theme, environment: environment)
        } catch {
            throw failure(2, "\(error)")
        }
        let asciiOnly = ascii || GlyphSet.forEnvironment(environment) == .ascii
        let app = ExplorerApp(document: document, theme: resolvedTheme, ascii: asciiOnly)
        // Any ORT loaded for this window logs into the shared store at this level; the explorer
        // shows the messages in the Model view and the status bar, never on its terminal.
        OrtLog.shared.level = ortLog.parsed
        app.runtimeLog = .shared
        // Options are checked now, before the terminal is ours; ORT itself loads on the first r.
        let configuration: SessionConfiguration
        let given: [String: HostTensor]
        do {
            configuration = try session.configuration()
            given = try Self.inputFiles(session.input)
        } catch { throw failure(2, "\(error)") }
        app.makeLiveRuntime = { [model, session, binding, level = ortLog.parsed] in
            let library = try OrtLibrary.load(explicitPath: session.ort)
            try library.setLogLevel(level)
            let generator = InputGenerator(dimValues: binding.values, vocabularySizes: InputGenerator.vocabularySizes(in: loaded.graph),
                                           seed: session.seed)
            return LiveRunner(model: .path(model), library: library, configuration: configuration,
                              inputs: .generated(generator, given: given))
        }
        app.launchConfiguration = configuration
        app.makeOptimizedGraphJob = { [model, session, level = ortLog.parsed] in
            let library = try OrtLibrary.load(explicitPath: session.ort)
            try library.setLogLevel(level)
            return OptimizedGraphJob(library: library, source: .path(model), graph: loaded.graph)
        }
        // The int8 loop's job for calibration (and evaluation) data: given at launch, or later
        // with the palette's `calibrate PATH… [eval PATH…]`.
        let makeJob: @Sendable ([String], [String]) throws -> QuantizationJob = { [session, level = ortLog.parsed] calibration, evaluation in
            let library = try OrtLibrary.load(explicitPath: session.ort)
            try library.setLogLevel(level)
            var job = Quantizer.Job(model: loaded)
            job.calibration = calibration
            job.evaluation = evaluation
            job.settings.activations = Quantizer.automaticActivations().0
            if Quantizer.pairSumsOverflow(activations: job.settings.activations, weights: job.settings.weights).0 { job.settings.weightBits = .sevenWhereOffset }
            // Leave the UI thread a core, as the live runner does.
            job.configuration.intraOpThreads = LiveConfiguration.effective(configuration).intraOpThreads
            return QuantizationJob(job: job, library: library)
        }
        app.makeQuantizationJobForData = makeJob
        if !calibration.isEmpty {
            app.makeQuantizationJob = { [calibration, evaluation] in try makeJob(calibration, evaluation) }
            app.launchActions.append(.toggleQuantization)   // starts calibrating at launch
        }
        if runAtLaunch { app.launchActions.append(.toggleRun) }
        var report: ExplorerBenchmark.Result?
        do {
            try withTerminal(environment: environment, glyphs: asciiOnly ? .ascii : .unicode) { terminal in
                if benchReport != nil {
                    report = ExplorerBenchmark.runInTerminal(app: app, terminal: terminal, processStart: processStart,
                                                             loadSeconds: seconds(t1 - t0), analysisSeconds: seconds(t2 - t1))
                } else {
                    app.run(terminal: terminal)
                }
            }
        } catch let e as TerminalError {
            throw failure(1, e.description)
        }
        if let path = benchReport, let report {
            try ExplorerBenchmark.json(report).write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// `--input NAME=PATH` files (.npy or TensorProto .pb); the runner checks the names against
    /// the session's inputs.
    static func inputFiles(_ specs: [String]) throws -> [String: HostTensor] {
        var out: [String: HostTensor] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else { throw RuntimeError.invalidInput("--input \(spec): expected NAME=PATH") }
            let name = String(spec[..<eq]), path = String(spec[spec.index(after: eq)...])
            out[name] = path.hasSuffix(".pb") ? try TensorProtoFile.read(path: path) : try NpyFile.read(path: path)
        }
        return out
    }

    private var benchName: String { benchLlmBlocks.map { "synthetic-llm-\($0)-blocks" } ?? model }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The model, or exit 2 with the reason (before the terminal is touched).
    private func loadModel() throws -> Model {
        if let blocks = benchLlmBlocks { return SyntheticModels.decoderChain(blocks: blocks) }
        do {
            return try Model.load(path: model)
        } catch let e as ModelLoadError {
            let headline = e.isFileProblem ? "cannot open \(model.escapedForDisplay)" : "\(model.escapedForDisplay) is not a valid ONNX model"
            throw failure(2, headline + "\n  " + e.reason.escapedForDisplay)
        } catch {
            throw failure(2, "cannot open \(model.escapedForDisplay)\n  \(String(describing: error).escapedForDisplay)")
        }
    }
}
