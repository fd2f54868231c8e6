import OnnxRuntimeKit
import Partition

/// Measures placement: opens the model in ORT with a target's execution provider and reads
/// ORT's own assignment report, so a prediction can be set beside what really happens on this
/// machine. Only targets whose EP the loaded library has can be measured (OpenVINO with the
/// `onnxruntime-openvino` wheel; the CPU EP everywhere).
public enum PlacementMeasurement {
    /// The EP to append for `target`, or nil for the CPU EP (always there, never appended).
    static func provider(for target: PartitionTarget) -> ExecutionProviderSpec? {
        switch target {
        case .openvino: return ExecutionProviderSpec(name: "OpenVINO", options: [("device_type", "CPU")])
        default: return nil
        }
    }

    /// Whether `library` can measure `target`.
    public static func canMeasure(_ target: PartitionTarget, library: OrtLibrary) -> Bool {
        guard target == .cpu || provider(for: target) != nil else { return false }
        return ((try? library.availableProviders()) ?? []).contains(target.providerName)
    }

    /// Why `target` cannot be measured with `library`, for the report.
    public static func whyNotMeasurable(_ target: PartitionTarget, library: OrtLibrary) -> String {
        let available = ((try? library.availableProviders()) ?? []).map { $0.replacingOccurrences(of: "ExecutionProvider", with: "") }
        return "this ONNX Runtime (\(library.version)) has no \(target.providerName.replacingOccurrences(of: "ExecutionProvider", with: "")) EP "
            + "(it has \(available.joined(separator: ", ")))"
            + (target == .openvino ? "; point --ort at the onnxruntime-openvino wheel (`make venv-openvino`, then --ort .venv-openvino)" : "")
    }

    /// Creates a session for `modelPath` at ORT's basic optimization level (the graph the
    /// prediction analyses, so node names match) with `target`'s EP and CPU fallback, and
    /// returns ORT's assignment, or the error when the EP fails the whole session.
    public static func measure(_ target: PartitionTarget, modelPath: String, library: OrtLibrary,
                               dims: [String: Int64]) -> MeasuredPlacement {
        let runtime = "ONNX Runtime \(library.version)"
        var config = SessionConfiguration()
        config.optimizationLevel = .basic
        config.recordAssignment = true
        config.intraOpThreads = 1
        config.freeDimensionOverrides = dims
        config.providers = provider(for: target).map { [$0] } ?? []
        config.logLevel = max(library.log.level, .error)
        do {
            let session = try NativeOutputCapture.capture(into: library.log) {
                try Session(modelPath: modelPath, configuration: config, library: library)
            }
            guard let subgraphs = try session.assignmentInfo() else {
                return MeasuredPlacement(runtime: runtime, outcome: .noReport("ONNX Runtime \(library.version) gives no assignment report (needs 1.24 or later)"))
            }
            var assigned: [String: String] = [:]
            for sg in subgraphs { for n in sg.nodes { assigned[n.name] = sg.provider } }
            return MeasuredPlacement(runtime: runtime, outcome: .assigned(assigned))
        } catch {
            return MeasuredPlacement(runtime: runtime, outcome: .sessionFailed(String(describing: error)))
        }
    }
}
