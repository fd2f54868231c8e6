/// A deployment target onnxscope predicts placement for.
public enum PartitionTarget: String, CaseIterable, Sendable, Codable {
    case nnapi
    case coreml
    case coremlMLProgram = "coreml-mlprogram"

    /// The name users and ORT's usability checker give it.
    public var displayName: String {
        switch self {
        case .nnapi: return "NNAPI"
        case .coreml: return "CoreML NeuralNetwork"
        case .coremlMLProgram: return "CoreML MLProgram"
        }
    }

    public var catalog: CapabilityCatalog {
        switch self {
        case .nnapi: return .nnapi
        case .coreml: return .coreML
        case .coremlMLProgram: return .coreMLProgram
        }
    }

    /// Whether ORT's mobile usability checker reports this target (its numbers are then
    /// computed too, and differences explained).
    public var hasUsabilityChecker: Bool { true }
}
