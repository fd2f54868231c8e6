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
    @Option(name: .customLong("dim"), help: "Value for a symbolic dim when counting MACs, e.g. --dim batch=8 (repeatable).")
    var dims: [String] = []

    func run() throws {
        let loaded: Model
        do { loaded = try Model.load(path: model) } catch let e as ModelLoadError {
            let headline = e.isFileProblem ? "cannot open \(model.escapedForDisplay)" : "\(model.escapedForDisplay) is not a valid ONNX model"
            throw failure(2, headline + "\n  " + e.reason.escapedForDisplay)
        } catch {
            throw failure(2, "cannot read \(model.escapedForDisplay)\n  " + String(describing: error).escapedForDisplay)
        }
        var named: [String: Int64] = [:]
        for d in dims {
            let parts = d.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let v = Int64(parts[1]), v >= 0 else { throw failure(64, "--dim expects NAME=VALUE, got '\(d.escapedForDisplay)'") }
            named[String(parts[0])] = v
        }
        var binding = SymbolBinding.standard
        binding.named = named
        let analysis = GraphAnalysis(model: loaded, binding: binding)
        let summary = ModelSummary(model: loaded, path: model, analysis: analysis)
        print(json ? try summary.json() : summary.text(), terminator: json ? "\n" : "")
        // The summary is still printed (it shows where the problems are), but a model ONNX
        // Runtime refuses (a graph that cannot be ordered or wired, broken tensor data, external
        // data outside its folder, versions too new…) is invalid: exit 2 like an unreadable file.
        do { try analysis.validate() } catch {
            throw failure(2, "\(model.escapedForDisplay) is not a valid ONNX model: \(error.description)")
        }
    }
}
