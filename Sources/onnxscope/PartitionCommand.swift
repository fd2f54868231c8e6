import ArgumentParser
import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit
import Partition
import Workbench

/// `onnxscope partition MODEL`: which nodes NNAPI / CoreML would take, in how many partitions,
/// what blocks the rest, and what fixing the dims would change.
struct PartitionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partition",
        abstract: "Predict how execution providers that are not on this machine would split the model, and why nodes fall back.",
        discussion: """
        Predictions start from ORT's basic-level optimized graph (ORT writes it for us; the model as written when ORT is \
        not found or refuses it, said so). Every condition of the target's support table is checked on the model; the \
        numbers ORT's mobile usability checker would print are given beside them, with the nodes where onnxscope decides \
        otherwise and why. Exit codes: 0 ok, 2 the model cannot be read, 64 bad arguments.
        """)

    @Argument(help: "The .onnx file.") var model: String
    @Option(name: .customLong("target"), help: ArgumentHelp("Target to predict (repeatable): \(PartitionTarget.allCases.map(\.rawValue).joined(separator: ", ")). Default: all.", valueName: "NAME"))
    var targets: [String] = []
    @Option(name: .customLong("dim"), help: ArgumentHelp("Fix a symbolic input dim, e.g. --dim batch=1 (repeatable): ORT optimizes with it fixed and shapes are inferred with it.", valueName: "NAME=VALUE"))
    var dims: [String] = []
    @Option(name: .customLong("fix-dims"), help: ArgumentHelp("Write a model with these named input dims fixed (e.g. batch=1,sequence=128) and ORT's constant folding of the shape computations they settle, to -o; then predict on it too.", valueName: "NAME=VALUE,…"))
    var fixDims: String?
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("Where --fix-dims writes the model (a new file, written atomically; never the input).", valueName: "OUT.onnx"))
    var output: String?
    @Option(name: .customLong("ort-release"), help: ArgumentHelp("An ONNX Runtime release the model must load in (repeatable), e.g. 1.17: its opset and IR limits, measured on the release's wheel, are checked and any refusal is a blocker with the fix. Known: \(RuntimeRelease.known.first!)–\(RuntimeRelease.newestKnown).", valueName: "X.Y"))
    var ortReleases: [String] = []
    @Flag(help: "Print JSON for scripts.") var json = false
    @Flag(help: "Analyse the model as written, without ORT's optimizer.") var raw = false
    @Flag(help: "Also open the model in ORT with each target whose EP the loaded ORT has (OpenVINO with --ort .venv-openvino; the CPU EP always) and set ORT's real assignment beside the prediction, node by node.")
    var measure = false
    @Option(name: .long, help: "Path to libonnxruntime (file, directory, python package or venv).") var ort: String?
    @OptionGroup var ortLog: OrtLogOption

    func run() throws {
        let chosen: [PartitionTarget]
        do {
            chosen = try targets.isEmpty ? PartitionTarget.allCases : targets.map { name in
                guard let t = PartitionTarget(rawValue: name.lowercased()) else {
                    throw ValidationError("unknown --target \(name.escapedForDisplay): use \(PartitionTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return t
            }
        } catch { throw failure(64, "\(error)") }
        let user: [String: Int64]
        do { user = try DimArguments.parse(dims) } catch { throw failure(64, String(describing: error)) }
        let asked = try ortReleases.map { name in
            guard let r = OrtReleases.release(named: name) else {
                throw failure(64, "unknown --ort-release \(name.escapedForDisplay): the table has \(RuntimeRelease.known.map(\.description).joined(separator: ", "))")
            }
            return r
        }
        let original: Model
        do { original = try Model.load(path: model) } catch let e as ModelLoadError {
            let headline = e.isFileProblem ? "cannot open \(model.escapedForDisplay)" : "\(model.escapedForDisplay) is not a valid ONNX model"
            throw failure(2, headline + "\n  " + e.reason.escapedForDisplay)
        } catch {
            throw failure(2, "cannot read \(model.escapedForDisplay)\n  " + String(describing: error).escapedForDisplay)
        }
        // Names are checked on the file, so a typo is caught before ORT runs.
        let binding: DimensionBinding
        do { binding = try DimensionBinding(model: original, user: user) } catch { throw failure(64, String(describing: error)) }
        let fixing = try fixRequest(original: original, binding: binding)

        var optimized: OptimizedModel?
        var library: OrtLibrary?
        var refusal: ModelBlocker?
        var graph = AnalysedGraph.ortBasic
        if measure && raw { throw failure(64, "--measure compares with ORT's graph: leave out --raw") }
        if raw {
            graph = .raw(why: "--raw")
        } else {
            OrtLog.shared.level = ortLog.parsed
            do {
                let lib = try OrtLibrary.load(explicitPath: ort)
                library = lib
                optimized = try OptimizedModel(modelPath: model, level: .basic, library: lib, freeDimensionOverrides: user)
            } catch {
                let first = String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                graph = .raw(why: "ORT's optimized graph is not available: \(first)")
                if let lib = library { refusal = ModelBlockers.runtimeRefusal(error: "\(error)", runtime: lib.version) }
            }
            printOrtLog()
        }
        var report = PartitionReport.analyse(modelPath: model, original: original, analysed: optimized?.model ?? original,
                                             graph: graph, targets: chosen, userDims: user)
        report.checkReleases(model: original, asked: asked)
        if let refusal { report.addRuntimeRefusal(refusal) }
        if measure {
            guard let library, optimized != nil else { throw failure(2, "--measure needs ONNX Runtime's graph of the model: \(graph)") }
            measurePlacements(&report, library: library, dims: user)
        }
        if let fixing { report.fixedModel = try writeFixed(fixing, chosen: chosen) }
        print(json ? try report.json() : report.text(), terminator: json ? "\n" : "")
    }

    /// Opens the model once per measurable target, progress on stderr (OpenVINO compiles the
    /// whole model, which takes seconds on big ones).
    func measurePlacements(_ report: inout PartitionReport, library: OrtLibrary, dims: [String: Int64]) {
        for i in report.predictions.indices {
            let target = report.predictions[i].target
            guard PlacementMeasurement.canMeasure(target, library: library) else {
                report.predictions[i].measured = MeasuredPlacement(runtime: "ONNX Runtime \(library.version)",
                                                                  outcome: .notMeasurable(PlacementMeasurement.whyNotMeasurable(target, library: library)))
                continue
            }
            FileHandle.standardError.write(Data("measuring \(target.displayName) with ONNX Runtime \(library.version)…\n".utf8))
            report.predictions[i].measured = PlacementMeasurement.measure(target, modelPath: model, library: library, dims: dims)
            printOrtLog()
        }
    }

    /// `--fix-dims` and `-o` checked: both or neither, named dims of the model, a new path.
    func fixRequest(original: Model, binding: DimensionBinding) throws -> (dims: [String: Int64], output: String)? {
        guard fixDims != nil || output != nil else { return nil }
        guard let fixDims, let output else { throw failure(64, "--fix-dims and -o go together: --fix-dims NAME=VALUE,… -o OUT.onnx") }
        let dims: [String: Int64]
        do { dims = try DimArguments.parse(fixDims.split(separator: ",").map(String.init)) } catch { throw failure(64, String(describing: error)) }
        guard !dims.isEmpty else { throw failure(64, "--fix-dims needs at least one NAME=VALUE") }
        do { _ = try DimensionBinding(model: original, user: dims) } catch { throw failure(64, String(describing: error)) }
        for d in binding.dimensions where d.isGeneratedName && dims[d.name] != nil {
            throw failure(64, "\(d.name.escapedForDisplay) is an unnamed axis of input \(d.input.escapedForDisplay); ORT fixes named dims only: "
                + "use `python -m onnxruntime.tools.make_dynamic_shape_fixed --input_name \(d.input.escapedForDisplay) --input_shape …`")
        }
        let target = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath().path
        if target == URL(fileURLWithPath: model).standardizedFileURL.resolvingSymlinksInPath().path {
            throw failure(64, "-o \(output.escapedForDisplay) is the input model; onnxscope never modifies it: choose a new path")
        }
        return (dims, output)
    }

    /// Writes the fixed model and predicts on it.
    func writeFixed(_ fixing: (dims: [String: Int64], output: String), chosen: [PartitionTarget]) throws -> PartitionReport.FixedModel {
        let lib: OrtLibrary
        do { lib = try OrtLibrary.load(explicitPath: ort) } catch { throw failure(1, "--fix-dims needs ONNX Runtime: \(error)") }
        do {
            try OptimizedModel.write(modelPath: model, to: fixing.output, level: .basic, library: lib, freeDimensionOverrides: fixing.dims)
        } catch {
            printOrtLog()
            throw failure(1, "cannot write \(fixing.output.escapedForDisplay)\n  " + String(describing: error).escapedForDisplay)
        }
        let written = try Model.load(path: fixing.output)
        let optimized = try? OptimizedModel(modelPath: fixing.output, level: .basic, library: lib)
        printOrtLog()
        let after = PartitionReport.analyse(modelPath: fixing.output, original: written, analysed: optimized?.model ?? written,
                                            graph: optimized == nil ? .raw(why: "ORT refused the written model") : .ortBasic,
                                            targets: chosen, userDims: [:])
        return PartitionReport.FixedModel(path: fixing.output, dims: fixing.dims, graph: after.graph, predictions: after.predictions)
    }
}
