import ArgumentParser
import Foundation
import ModelReport
import OnnxGraph
import OnnxModel

/// `onnxscope info MODEL`: what a user would otherwise collect from several tools.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarize a model: I/O, opsets, ops, parameters, MACs, quantization, sub-graphs.",
        discussion: "Exit codes: 0 ok (warnings included), 2 the model cannot be read, or ONNX Runtime would refuse it (one-line reason, then detail; every problem is listed in the summary)."
    )

    @Argument(help: "The .onnx file.") var model: String
    @Flag(help: "Print stable JSON for scripts.") var json = false
    @Option(name: .customLong("dim"), help: ArgumentHelp("Bind a symbolic input dim, e.g. --dim batch=8 (repeatable). Unbound dims take hints (metadata imgsz, a typical image size, batch 1, sequence 128) for MACs; the note line says which.", valueName: "NAME=VALUE"))
    var dims: [String] = []
    @Flag(help: "With --json: add every value of the main graph with its dtype and shape.") var values = false
    @Flag(help: "With --json: add every node of the main graph with its inputs, outputs, parameters and MACs.") var nodes = false

    func run() throws {
        let loaded: Model
        do { loaded = try Model.load(path: model) } catch let e as ModelLoadError {
            let headline = e.isFileProblem ? "cannot open \(model.escapedForDisplay)" : "\(model.escapedForDisplay) is not a valid ONNX model"
            throw failure(2, headline + "\n  " + e.reason.escapedForDisplay)
        } catch {
            throw failure(2, "cannot read \(model.escapedForDisplay)\n  " + String(describing: error).escapedForDisplay)
        }
        let binding: DimensionBinding
        do { binding = try DimensionBinding(model: loaded, user: try DimArguments.parse(dims)) }
        catch { throw failure(64, String(describing: error)) }
        let analysis = GraphAnalysis(model: loaded, binding: binding)
        let summary = ModelSummary(model: loaded, path: model, analysis: analysis, includeValues: values, includeNodes: nodes)
        print(json ? try summary.json() : summary.text(), terminator: json ? "\n" : "")
        // The summary is still printed (it shows where the problems are), but a model ONNX
        // Runtime refuses (a graph that cannot be ordered or wired, broken tensor data, external
        // data outside its folder, versions too new…) is invalid: exit 2 like an unreadable file.
        do { try analysis.validate() } catch {
            throw failure(2, "\(model.escapedForDisplay) is not a valid ONNX model: \(error.description)")
        }
    }
}
