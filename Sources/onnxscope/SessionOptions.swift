import ArgumentParser
import Foundation
import OnnxModel
import OnnxRuntimeKit

/// The ONNX Runtime settings `run` and `view` share: library, providers, threads,
/// optimization level, CPU fallback, and input files.
struct SessionOptions: ParsableArguments {
    @Option(name: .long, help: "Path to libonnxruntime (file, directory, python package or venv).") var ort: String?
    @Option(name: .long, help: ArgumentHelp("Execution provider with options, in priority order (repeatable).", valueName: "NAME[:k=v,...]"))
    var ep: [String] = []
    @Flag(name: .customLong("no-cpu-fallback"), help: "Fail instead of running nodes the chosen EPs reject on CPU.") var noCpuFallback = false
    @Option(name: .long, help: "Intra-op threads (default: ORT's choice; in the explorer, cores − 1).") var threads: Int?
    @Option(name: .customLong("opt-level"), help: "Graph optimization: 0|1|2|3|99 or disable|basic|extended|layout|all.") var optLevel = "all"
    @Option(name: .long, help: ArgumentHelp("Input from a file (repeatable).", valueName: "NAME=PATH")) var input: [String] = []
    @Option(name: .long, help: "Seed for generated inputs.") var seed: UInt64 = 0

    func validate() throws {
        guard GraphOptimizationLevel(parsing: optLevel) != nil else { throw ValidationError("unknown --opt-level \(optLevel)") }
        if let t = threads, t < 0 { throw ValidationError("--threads must be 0 (ORT's choice) or more") }
    }

    /// The session configuration these options describe.
    func configuration() throws -> SessionConfiguration {
        var config = SessionConfiguration()
        config.intraOpThreads = threads
        config.optimizationLevel = GraphOptimizationLevel(parsing: optLevel)!
        config.cpuFallback = !noCpuFallback
        config.providers = try ep.map(ExecutionProviderSpec.init(parsing:))
        return config
    }
}

/// The inputs a run feeds: given files first (`--input`), then generated tensors for the rest,
/// with the model's free dims bound as ``DimensionBinding`` says.
struct InputFeeds {
    var feeds: [String: HostTensor] = [:]
    /// Where each came from: a path, "test set", or "generated: …".
    var origin: [String: String] = [:]
    /// Notes for the user (dims taken from hints, dims defaulted to 1), already escaped.
    var notes: [String] = []

    /// - Parameter preset: inputs already chosen (a test set), kept as they are.
    init(session: Session, graph: Graph, files: [String], binding: DimensionBinding, seed: UInt64,
         preset: [String: HostTensor] = [:], presetOrigin: String = "") throws {
        for (k, v) in preset { feeds[k] = v; origin[k] = presetOrigin }
        for spec in files {
            guard let eq = spec.firstIndex(of: "=") else { throw RuntimeError.invalidInput("--input \(spec): expected NAME=PATH") }
            let name = String(spec[..<eq]), path = String(spec[spec.index(after: eq)...])
            guard session.inputs.contains(where: { $0.name == name }) else {
                throw RuntimeError.invalidInput("--input \(name): the model's inputs are \(session.inputs.map(\.name).joined(separator: ", "))")
            }
            feeds[name] = path.hasSuffix(".pb") ? try TensorProtoFile.read(path: path) : try NpyFile.read(path: path)
            origin[name] = path
        }
        var gen = InputGenerator(dimValues: binding.values, vocabularySizes: InputGenerator.vocabularySizes(in: graph), seed: seed)
        for (i, info) in session.inputs.enumerated() where feeds[info.name] == nil {
            feeds[info.name] = try gen.tensor(for: info, stream: UInt64(i))
            origin[info.name] = Self.describeGenerated(info, vocab: gen.vocabularySizes[info.name])
        }
        let generated = session.inputs.contains { origin[$0.name]?.hasPrefix("generated") ?? true }
        if generated && binding.sources.values.contains(where: { $0 != .user }) {
            notes.append("generated inputs at \(binding.note.escapedForDisplay) (set with --dim NAME=VALUE)")
        }
        if !gen.defaultedDims.isEmpty {
            notes.append("dimension(s) \(gen.defaultedDims.sorted().joined(separator: ", ").escapedForDisplay) not given, using 1 (set with --dim NAME=VALUE)")
        }
    }

    static func describeGenerated(_ info: SessionIOInfo, vocab: Int64?) -> String {
        let n = info.name.lowercased()
        if n.contains("mask") { return "generated: ones" }
        if n.contains("token_type") || n.contains("segment") { return "generated: zeros" }
        switch info.elementType {
        case .float, .double, .float16, .bfloat16: return "generated: normal(0,1)"
        case .int64, .int32: return n.contains("position") ? "generated: positions" : "generated: ids < \(vocab ?? 100)"
        default: return "generated"
        }
    }
}
