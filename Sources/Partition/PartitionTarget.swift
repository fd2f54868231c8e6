/// A deployment target onnxscope predicts placement for.
public enum PartitionTarget: String, CaseIterable, Sendable, Codable {
    case nnapi
    case coreml
    case coremlMLProgram = "coreml-mlprogram"
    case qnn
    case xnnpack
    case tensorrt
    case openvino
    case cpu

    /// The name users and ORT's docs give it.
    public var displayName: String {
        switch self {
        case .nnapi: return "NNAPI"
        case .coreml: return "CoreML NeuralNetwork"
        case .coremlMLProgram: return "CoreML MLProgram"
        case .qnn: return "QNN HTP"
        case .xnnpack: return "XNNPACK"
        case .tensorrt: return "TensorRT"
        case .openvino: return "OpenVINO CPU"
        case .cpu: return "CPU EP"
        }
    }

    public var catalog: CapabilityCatalog {
        switch self {
        case .nnapi: return .nnapi
        case .coreml: return .coreML
        case .coremlMLProgram: return .coreMLProgram
        case .qnn: return .qnnHTP
        case .xnnpack: return .xnnpack
        case .tensorrt: return .tensorRT
        case .openvino: return .openVINOCPU
        case .cpu: return .cpu
        }
    }

    /// Whether ORT's mobile usability checker reports this target (its numbers are then
    /// computed too, and differences explained): NNAPI and the two CoreML formats only.
    public var hasUsabilityChecker: Bool {
        switch self {
        case .nnapi, .coreml, .coremlMLProgram: return true
        default: return false
        }
    }

    /// The targets ORT's mobile usability checker covers, in its order.
    public static let usabilityCheckerTargets: [PartitionTarget] = [.nnapi, .coreml, .coremlMLProgram]

    /// The name of the ORT execution provider (as `run --ep` and ORT's assignment report name it).
    public var providerName: String {
        switch self {
        case .nnapi: return "NnapiExecutionProvider"
        case .coreml, .coremlMLProgram: return "CoreMLExecutionProvider"
        case .qnn: return "QNNExecutionProvider"
        case .xnnpack: return "XnnpackExecutionProvider"
        case .tensorrt: return "TensorrtExecutionProvider"
        case .openvino: return "OpenVINOExecutionProvider"
        case .cpu: return "CPUExecutionProvider"
        }
    }
}
