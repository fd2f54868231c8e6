import ArgumentParser
import Foundation
import ModelReport
import ModelSamples

/// `onnxscope sample NAME -o FILE`: writes a deterministic generated model.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Write a generated sample model.",
        discussion: "Names: " + SampleModels.names.joined(separator: ", ")
    )

    @Argument(help: "Sample name.") var name: String
    @Option(name: [.short, .customLong("output")], help: "Where to write the model (.onnx).") var output: String

    func run() throws {
        let start = Date()
        FileHandle.standardError.write("generating \(name)…\n".data(using: .utf8)!)
        do {
            let written = try SampleModels.write(name, to: output)
            let sizes = written.map { p -> String in
                let n = (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0
                return "\(p) (\(Format.bytes(Int64(n))))"
            }
            print("wrote " + sizes.joined(separator: ", ") + String(format: " in %.1f s", Date().timeIntervalSince(start)))
        } catch {
            throw failure(2, "\(error)")
        }
    }
}
