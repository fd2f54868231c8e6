import ArgumentParser
import Foundation
import OnnxModel
import OnnxRuntimeKit
import ModelReport
import Quantization

/// Set by the SIGINT handler; read between quantization steps.
nonisolated(unsafe) var quantizeInterrupted: sig_atomic_t = 0

/// `onnxscope quantize MODEL -o OUT.onnx`: an int8 model that ORT runs with integer kernels,
/// decided per node, with the arithmetic of every int8 layer and what ORT really built.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a model to int8 (static QDQ with calibration, or dynamic), per node.",
        discussion: """
            Static mode calibrates on real samples (--calibration: an .npz per sample with the \
            input names as keys, a folder of them, model-zoo test_data_set_N folders, or .npy for a \
            single-input model) and writes standard QDQ placed only where ONNX Runtime fuses it into \
            integer kernels (QLinearConv, QGemm, QLinearMatMul, QLinearAdd…). BatchNormalization and \
            per-channel Mul/Add after a Conv are folded into it first. Ranges are cached \
            (~/.cache/onnxscope), so another plan or method never re-calibrates.

            After writing, the model is opened in ONNX Runtime to see which nodes really run as \
            integer kernels; with --eval, float and int8 are compared (output SQNR, top-1 agreement, \
            latency, size). Exit status: 0 ok, 1 failure (nothing written), 2 no usable ONNX Runtime.
            """)

    @Argument(help: "The float model (.onnx).") var model: String
    @Option(name: .shortAndLong, help: "Output model (a new file; never the input).") var output: String?
    @Option(help: ArgumentHelp("Already-quantized (QDQ/QAT) model: turn this node back to float, or `all` (repeatable).", valueName: "NODE|all")) var dequantize: [String] = []
    @Flag(help: "Show the integer arithmetic of an already-quantized model's layers; write nothing.") var inspect = false
    @Option(help: "static (QDQ, needs --calibration) or dynamic (MatMul weights int8, activations at run time).") var mode = "static"
    @Option(help: ArgumentHelp("Calibration samples (repeatable).", valueName: "PATH")) var calibration: [String] = []
    @Option(name: .customLong("eval"), help: ArgumentHelp("Held-out samples to compare float and int8 on (repeatable).", valueName: "PATH")) var evaluation: [String] = []
    @Option(name: .customLong("image-size"), help: ArgumentHelp("Image samples: resize+centre-crop to this (default: the input's fixed size, else 224).", valueName: "HxW")) var imageSize: String?
    @Option(help: ArgumentHelp("Image samples: per-channel mean subtracted after scaling to [0,1].", valueName: "R,G,B")) var mean: String?
    @Option(help: ArgumentHelp("Image samples: per-channel std divided by after the mean.", valueName: "R,G,B")) var std: String?
    @Option(help: "Image samples: nchw or nhwc (default: from the input's shape).") var layout: String?
    @Flag(help: "Image samples: channels in BGR order.") var bgr = false
    @Option(help: "Range method: minmax, percentile or entropy.") var method = "minmax"
    @Option(help: "Percentile for --method percentile.") var percentile = 99.999
    @Option(help: "Activation type: uint8, int8 or auto (what ORT runs fast on this CPU).") var activations = "auto"
    @Option(help: "Weight type: int8 or uint8.") var weights = "int8"
    @Option(name: .customLong("reduce-range"), help: "7-bit weights: auto (on x86 without VNNI, where u8s8 kernels overflow), on or off.") var reduceRange = "auto"
    @Flag(name: .customLong("no-per-channel"), help: "One scale per weight tensor instead of per output channel.") var noPerChannel = false
    @Option(name: .customLong("op-types"), help: ArgumentHelp("Only quantize these compute op types (comma-separated).", valueName: "OP,...")) var opTypes: String?
    @Option(help: ArgumentHelp("Keep this node float (repeatable).", valueName: "NODE")) var exclude: [String] = []
    @Option(help: ArgumentHelp("Make this node int8 (repeatable).", valueName: "NODE")) var include: [String] = []
    @Option(help: "Read per-node precisions from a plan file (as --write-plan writes).") var plan: String?
    @Option(name: .customLong("write-plan"), help: "Write the plan as JSON.") var writePlan: String?
    @Option(help: "Range cache file (default ~/.cache/onnxscope/ranges-<key>.json).") var cache: String?
    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the range cache.") var noCache = false
    @Option(help: "Write the full report (plan, arithmetic, kernels, evaluation) as JSON.") var report: String?
    @Flag(name: .customLong("speed-check"), help: "Time each kind of int8 node (MaxPool, depthwise Conv…) against float on this machine and keep float the kinds that run slower as int8.") var speedCheck = false
    @Flag(name: .customLong("external-data"), help: "Write the tensors to OUT.onnx.data beside the model (automatic past protobuf's 2 GB limit).") var externalData = false
    @Flag(help: "Print the report as JSON instead of text.") var json = false
    @Option(name: .customLong("target-sqnr"), help: ArgumentHelp("Keep the fewest nodes float so the output SQNR on --eval is at least this (dB).", valueName: "DB")) var targetSQNR: Double?
    @Option(name: .customLong("target-top1"), help: ArgumentHelp("Keep the fewest nodes float so top-1 agreement on --eval is at least this (0-1 or a percentage).", valueName: "X")) var targetTop1: Double?
    @Option(help: "Path to libonnxruntime (file, directory, python package or venv).") var ort: String?
    @Option(help: "Intra-op threads for calibration and evaluation (default: ORT's choice).") var threads: Int?
    @OptionGroup var ortLog: OrtLogOption

    /// `--inspect`: S, Z and M of every quantized layer of a QDQ model.
    func inspectQuantized() throws {
        let loaded: Model
        do { loaded = try Model.load(path: model) } catch { throw failure(1, "\(error)") }
        let layers: [LayerArithmetic]
        do { layers = try QDQModel.layers(of: loaded) } catch { throw failure(1, "\(error)") }
        guard !layers.isEmpty else { throw failure(1, "\(model) has no quantized layers (no op reads a DequantizeLinear output)") }
        if json {
            let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try e.encode(layers), as: UTF8.self))
        } else {
            print(QuantizeReport.arithmeticTable(layers, limit: .max).map(\.escapedForDisplay).joined(separator: "\n"))
        }
    }

    /// `--dequantize`: chosen nodes of a QDQ model back to float, written to a new file.
    func dequantizeModel(_ loaded: Model, output: String) throws {
        let inputPath = URL(fileURLWithPath: model).standardizedFileURL.resolvingSymlinksInPath().path
        guard inputPath != URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path else {
            throw failure(1, "-o \(output.escapedForDisplay) is the input model: write to a new file")
        }
        let nodes = dequantize.contains("all") ? Set<String>() : Set(dequantize)
        do {
            let m = try QDQModel.dequantize(loaded, nodes: nodes)
            try m.write(to: output)
            let left = try QDQModel.layers(of: m)
            print("wrote \(output): \(nodes.isEmpty ? "every node" : "\(nodes.count) node(s)") back to float; \(left.count) quantized layer(s) remain".escapedForDisplay)
        } catch { throw failure(1, "\(error)") }
    }

    /// `path` as `realpath` gives it (the file's, or its folder's plus its name when it does not
    /// exist yet), so that it compares with ``ExternalDataReference/resolvedPath(in:tensor:)``.
    static func resolved(_ path: String) -> String {
        if let r = realpath(path, nil) { defer { free(r) }; return String(cString: r) }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        guard let r = realpath(url.deletingLastPathComponent().path, nil) else { return url.path }
        defer { free(r) }
        return String(cString: r) + "/" + url.lastPathComponent
    }

    /// The external-data files a model reads, resolved (those that exist).
    static func externalFiles(of m: Model) -> Set<String> {
        guard let base = m.baseDirectory else { return [] }
        return Set(m.graph.withSubgraphs.flatMap(\.initializers).filter(\.isExternal).compactMap { t in
            try? ExternalDataReference(t).resolvedPath(in: base, tensor: t.name)
        })
    }

    func imageOptions() throws -> ImageOptions {
        var o = ImageOptions()
        func triple(_ s: String, _ flag: String) throws -> [Float] {
            let v = s.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard v.count == 3 else { throw failure(64, "--\(flag) takes three comma-separated numbers (R,G,B), not \(s)") }
            return v
        }
        if let mean { o.mean = try triple(mean, "mean") }
        if let std {
            o.std = try triple(std, "std")
            guard o.std.allSatisfy({ $0 > 0 }) else { throw failure(64, "--std values must be positive") }
        }
        if let imageSize {
            let parts = imageSize.lowercased().split(separator: "x").compactMap { Int($0) }
            guard (parts.count == 1 || parts.count == 2), parts.allSatisfy({ $0 > 0 && $0 <= 8192 }) else {
                throw failure(64, "--image-size takes N or HxW, not \(imageSize)")
            }
            o.size = (parts[0], parts.count == 2 ? parts[1] : parts[0])
        }
        switch layout?.lowercased() {
        case nil: break
        case "nchw": o.channelsLast = false
        case "nhwc": o.channelsLast = true
        default: throw failure(64, "--layout must be nchw or nhwc")
        }
        o.bgr = bgr
        return o
    }

    func run() throws {
        guard let mode = Quantizer.Mode(rawValue: mode) else { throw failure(64, "--mode must be static or dynamic, not \(self.mode)") }
        guard let method = CalibrationMethod(parsing: method, percentile: percentile) else { throw failure(64, "--method must be minmax, percentile or entropy") }
        guard percentile > 50, percentile <= 100 else { throw failure(64, "--percentile must be in (50, 100]") }
        if inspect { return try inspectQuantized() }
        guard let output else { throw failure(64, "-o OUT.onnx is required (the int8 model is written to a new file)") }
        let inputPath = URL(fileURLWithPath: model).standardizedFileURL.resolvingSymlinksInPath().path
        let outputPath = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        guard inputPath != outputPath else { throw failure(1, "-o \(output.escapedForDisplay) is the input model: write the int8 model to a new file") }

        var settings = QuantizationSettings()
        settings.perChannel = !noPerChannel
        var notes: [String] = []
        switch activations {
        case "auto":
            let (t, why) = Quantizer.automaticActivations()
            settings.activations = mode == .dynamic ? .uint8 : t
            notes.append(mode == .dynamic ? "activations uint8 (DynamicQuantizeLinear produces uint8)" : why)
        case "int8", "uint8": settings.activations = QuantizedType(rawValue: activations)!
        default: throw failure(64, "--activations must be int8, uint8 or auto")
        }
        guard let w = QuantizedType(rawValue: weights) else { throw failure(64, "--weights must be int8 or uint8") }
        settings.weights = w
        settings.symmetricWeights = w == .int8
        var measureWeightBits = false
        switch reduceRange {
        case "auto":
            let (overflows, why) = Quantizer.pairSumsOverflow(activations: settings.activations, weights: w)
            // Dynamic mode's MatMulIntegerToFloat reads run-time activations: only `on` changes it.
            if overflows && mode == .static {
                settings.weightBits = .sevenWhereOffset
                measureWeightBits = !evaluation.isEmpty
                notes.append(why + (measureWeightBits ? ": weight bits measured on --eval (--reduce-range on|off to choose)"
                                                      : ": \(WeightBits.sevenWhereOffset.description) (--reduce-range on|off to choose; with --eval it is measured)"))
            }
        case "on": settings.weightBits = .seven
        case "off": settings.weightBits = .eight
        default: throw failure(64, "--reduce-range must be auto, on or off")
        }

        let loaded: Model
        do { loaded = try Model.load(path: model) } catch { throw failure(1, "\(error)") }
        // Past 2 GB (or with --external-data) the tensors go to OUT.onnx.data: never a file the input reads.
        if Self.externalFiles(of: loaded).contains(Self.resolved(output + ".data")) {
            throw failure(1, "-o \(output.escapedForDisplay): its data file \(ModelImage.dataFileName(for: output).escapedForDisplay) would replace the input's external data: write to another name")
        }
        let existing = (try? QDQModel.layers(of: loaded)) ?? []
        if !dequantize.isEmpty { return try dequantizeModel(loaded, output: output) }
        if !existing.isEmpty {
            throw failure(1, "\(model) is already quantized (\(existing.count) layers read DequantizeLinear inputs): --inspect shows their arithmetic, --dequantize NODE|all turns nodes back to float")
        }
        var job = Quantizer.Job(model: loaded)
        job.mode = mode
        job.externalData = externalData
        job.speedCheck = speedCheck
        job.measureWeightBits = measureWeightBits
        job.settings = settings
        job.method = method
        job.calibration = calibration
        job.evaluation = evaluation
        job.cachePath = noCache ? "" : cache
        job.imageOptions = try imageOptions()
        job.request.exclude = Set(exclude)
        job.request.include = Set(include)
        if let opTypes { job.request.opTypes = Set(opTypes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        if let plan {
            guard let data = FileManager.default.contents(atPath: plan) else { throw failure(1, "--plan \(plan.escapedForDisplay): cannot read the file") }
            do { job.request.overrides = try PlanFile.decode(data, path: plan) } catch { throw failure(1, "\(error)") }
        }
        job.configuration.intraOpThreads = threads
        if targetSQNR != nil && targetTop1 != nil { throw failure(64, "give --target-sqnr or --target-top1, not both") }
        if let t = targetSQNR { job.target = .sqnr(t) }
        if let t = targetTop1 { job.target = .top1(t > 1 ? t / 100 : t) }

        let lib = try loadRuntimeOrExit(ort, logLevel: ortLog.parsed)
        let progress = ProgressLine(enabled: isatty(2) != 0)
        let result: Quantizer.Result
        // Ctrl-C during calibration or the search stops at the next step with nothing written
        // (outputs are written only at the end, atomically); during that write it waits for it.
        signal(SIGINT) { _ in quantizeInterrupted = 1 }
        // ORT's output capture holds fd 2 while it runs: the message goes to a copy of stderr.
        let realStderr = NativeOutputCapture.duplicateStandardError()
        defer { signal(SIGINT, SIG_DFL) }
        do {
            result = try NativeOutputCapture.capture(into: lib.log) {
                try Quantizer.run(job, library: lib) { phase, done, total in
                    if quantizeInterrupted != 0 {
                        progress.clear()
                        realStderr.write(Data("onnxscope: interrupted during \(phase): nothing was written\n".utf8))
                        ModelImage.removeTemporaryFiles()
                        Foundation.exit(130)
                    }
                    progress.update(phase, done, total)
                }
            }
        } catch {
            progress.clear()
            printOrtLog()
            throw failure(1, "\(error)")
        }
        progress.clear()
        printOrtLog()
        do {
            if let data = try result.image.write(to: output) {
                notes.append("tensors written to \(data) (external data: \(Format.bytes(Int64(result.image.byteCount))) in all)")
            }
            if let writePlan { try AtomicFile.write([UInt8](try PlanFile.encode(result.plan)), to: writePlan) }
        } catch { throw failure(1, "\(error)") }
        let text = QuantizeReport(result: result, settings: settings, method: method, mode: mode, output: output, notes: notes + result.notes, target: job.target)
        if let report { do { try AtomicFile.write([UInt8](try text.json()), to: report) } catch { throw failure(1, "\(error)") } }
        if json { print(String(decoding: try text.json(), as: UTF8.self)) } else { print(text.text()) }
        if quantizeInterrupted != 0 { throw ExitCode(130) }
    }
}
