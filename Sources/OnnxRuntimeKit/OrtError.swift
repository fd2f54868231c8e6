import Foundation

/// ORT's error codes (`OrtErrorCode`), numbered as in the C API.
public enum OrtErrorCode: Int32, Sendable, CustomStringConvertible {
    case ok = 0, fail, invalidArgument, noSuchFile, noModel, engineError, runtimeException,
         invalidProtobuf, modelLoaded, notImplemented, invalidGraph, epFail, modelLoadCanceled,
         modelRequiresCompilation, notFound, deviceReset

    public var description: String {
        switch self {
        case .ok: "ORT_OK"
        case .fail: "ORT_FAIL"
        case .invalidArgument: "ORT_INVALID_ARGUMENT"
        case .noSuchFile: "ORT_NO_SUCHFILE"
        case .noModel: "ORT_NO_MODEL"
        case .engineError: "ORT_ENGINE_ERROR"
        case .runtimeException: "ORT_RUNTIME_EXCEPTION"
        case .invalidProtobuf: "ORT_INVALID_PROTOBUF"
        case .modelLoaded: "ORT_MODEL_LOADED"
        case .notImplemented: "ORT_NOT_IMPLEMENTED"
        case .invalidGraph: "ORT_INVALID_GRAPH"
        case .epFail: "ORT_EP_FAIL"
        case .modelLoadCanceled: "ORT_MODEL_LOAD_CANCELED"
        case .modelRequiresCompilation: "ORT_MODEL_REQUIRES_COMPILATION"
        case .notFound: "ORT_NOT_FOUND"
        case .deviceReset: "ORT_DEVICE_RESET"
        }
    }
}

/// An error reported by ONNX Runtime through an `OrtStatus`, kept whole.
///
/// ORT's messages often carry the only useful hint (which node, which op, which opset), so the
/// message is never shortened; ``nodeName`` extracts the node ORT names, when it names one, so a
/// view can point at it.
public struct OrtError: Error, Sendable, CustomStringConvertible {
    /// ORT's error code.
    public let code: OrtErrorCode
    /// ORT's full message.
    public let message: String
    /// What onnxscope was doing when ORT failed (e.g. "creating session"), or empty.
    public let context: String

    public init(code: OrtErrorCode, message: String, context: String = "") {
        self.code = code
        self.message = message
        self.context = context
    }

    /// The node ORT's message points at, if any: ORT writes `Node (name)` or `node name` in its
    /// load and run errors.
    public var nodeName: String? {
        // Forms seen in ORT messages: `In Node, ("name", Op, ...)` (graph validation),
        // `while running Gather node. Name:'name'` (run failures), `Node (name)`, `Node:name`.
        let patterns = [#"Node, \("([^"]*)""#, #"[Nn]ode \(([^)]+)\)"#, #"node\. Name:'([^']+)'"#, #"Node:\s*'?([^\s',)]+)"#]
        for p in patterns {
            guard let re = try? NSRegularExpression(pattern: p),
                  let m = re.firstMatch(in: message, range: NSRange(message.startIndex..., in: message)),
                  let r = Range(m.range(at: 1), in: message) else { continue }
            let name = String(message[r])
            if !name.isEmpty { return name }
        }
        return nil
    }

    public var description: String {
        let where_ = context.isEmpty ? "" : " while \(context)"
        var text = "ONNX Runtime error \(code)\(where_): \(message)"
        if let node = nodeName { text += "\n  -> node: \(node)" }
        return text
    }
}

/// Errors onnxscope raises around ORT: the library cannot be found or loaded, or inputs do not
/// fit the model.
public enum RuntimeError: Error, Sendable, CustomStringConvertible {
    /// No ORT library was found anywhere we looked; `searched` lists the places, in order.
    case libraryNotFound(searched: [String])
    /// A library was found (or given) but could not be used.
    case libraryUnusable(path: String, reason: String)
    /// Bad user input (an input file, a `--dim`, an EP spec...).
    case invalidInput(String)
    /// A feature needs a newer ORT than the one loaded.
    case unsupported(String)

    /// How to get ORT, printed with every "not found" error.
    public static let installHint = """
        Install ONNX Runtime with `make ort` (creates .venv with the pip package), or:
          python3 -m venv .venv && .venv/bin/pip install onnxruntime
        or point onnxscope at a library with --ort PATH or ONNXSCOPE_ORT_LIB=PATH.
        """

    public var description: String {
        switch self {
        case .libraryNotFound(let searched):
            return "ONNX Runtime (libonnxruntime) was not found. Looked in:\n"
                + searched.map { "  - \($0)" }.joined(separator: "\n") + "\n" + RuntimeError.installHint
        case .libraryUnusable(let path, let reason):
            return "Cannot use ONNX Runtime library \(path): \(reason)\n" + RuntimeError.installHint
        case .invalidInput(let s): return s
        case .unsupported(let s): return s
        }
    }
}
