import OnnxModel
import Quantization

/// What the live runner is running, as the explorer told it: the model the explorer opened, an
/// int8 variant of the quantization loop (with the nodes ORT ran as integer kernels in it), or a
/// QDQ model's dequantized variant. Keyed by ``Workbench/LiveSnapshot/modelRevision``, so a
/// snapshot's figures are attributed to the model that produced them, never to the one asked
/// for since.
public enum LiveModel: Sendable, Equatable {
    case document
    case int8Variant(ranInt8: Set<String>)
    case dequantized

    /// A model other than the document, whose nodes are matched to the document's by name.
    public var isVariant: Bool { self != .document }
}

/// Per node (by name), the last kernel time measured with the node float and with it running
/// as an integer kernel, and the last error measured with it int8 — so the inspector can say
/// what int8 would save or cost for a node that is float now, and what it saved for one that is
/// int8 now. Figures come only from live runs and error measurements that really happened; a
/// node never measured one way has no figure for it.
public struct PrecisionMeasurements: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        /// Kernel p50, µs, with the node float.
        public var floatMicroseconds: Double?
        /// Kernel p50, µs, of the integer kernel ORT built for the node.
        public var int8Microseconds: Double?
        /// Output SQNR through the int8 model, dB, when the node was last int8.
        public var int8PropagatedSQNR: Double?
    }

    public private(set) var nodes: [String: Node] = [:]

    public init() {}

    public subscript(name: String) -> Node? { nodes[name] }

    /// Takes in the kernel times of a live snapshot of `model`, already matched to the document's
    /// main-graph nodes. Nodes ORT fused into another kernel or eliminated have no time of their
    /// own and are skipped. A QDQ document is int8 as opened: its nodes are not "float".
    mutating func record(_ annotations: Annotations, document: Document, model: LiveModel) {
        let main = document.scope(0)
        for (key, a) in annotations.byNode where key.scope == 0 && key.node < main.nodeCount {
            guard let t = a.kernelTimeMicroseconds, a.execution == nil else { continue }
            let name = main.displayName(key.node)
            switch model {
            case .document where document.quantizedLayers.isEmpty, .dequantized:
                if document.quantizedLayers[name] == nil { nodes[name, default: Node()].floatMicroseconds = t }
            case .int8Variant(let ranInt8):
                if ranInt8.contains(name) { nodes[name, default: Node()].int8Microseconds = t }
                else { nodes[name, default: Node()].floatMicroseconds = t }
            case .document:
                break
            }
        }
    }

    /// Takes in the per-value errors of an int8 variant: each int8 node keeps the worst error
    /// of the values it writes or reads.
    mutating func record(errors: [LayerError]) {
        var worst: [String: Double] = [:]
        for e in errors {
            for n in e.int8Nodes { worst[n] = min(worst[n] ?? .infinity, e.propagatedSQNR) }
        }
        for (n, db) in worst { nodes[n, default: Node()].int8PropagatedSQNR = db }
    }
}

/// The weight bytes a node would store float and int8 (its constant weight operand; biases
/// stay 32-bit either way), or nil when it has no float initializer weight.
struct WeightFootprint: Equatable {
    var floatBytes: Int64
    var int8Bytes: Int64

    init?(node key: NodeKey, document: Document) {
        let node = document.node(key)
        guard node.inputs.count > 1, !node.inputs[1].isEmpty,
              let def = document.index.resolve(node.inputs[1], in: key.scope), case .initializer = def.producer,
              let tensor = document.scope(def.scope).initializer(named: node.inputs[1]),
              let count = tensor.elementCount, count > 0, [DataType.float, .float16, .bfloat16, .double].contains(tensor.dataType),
              let bytes = tensor.dataType.byteCount(elements: count) else { return nil }
        floatBytes = Int64(bytes)
        int8Bytes = Int64(count)
    }
}
