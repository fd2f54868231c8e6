import OnnxModel

/// How (and whether) a model is quantized, for `onnxscope info` and the quantization views.
///
/// Counts span the main graph and every sub-graph.
public struct QuantizationSummary: Sendable, Hashable {
    /// The quantization format the model uses.
    public enum Format: String, Sendable, Hashable {
        /// No quantization ops.
        case none
        /// QuantizeLinear/DequantizeLinear around float ops (static PTQ or QAT export).
        case qdq = "QDQ"
        /// QLinear* operators (QOperator format).
        case qoperator = "QOperator"
        /// DynamicQuantizeLinear + MatMulInteger/ConvInteger (activations quantized at run time).
        case dynamic
        /// More than one of the above.
        case mixed
    }

    public var quantizeNodes = 0
    public var dequantizeNodes = 0
    /// QuantizeLinear nodes whose output feeds at least one DequantizeLinear.
    public var qdqPairs = 0
    /// DequantizeLinear nodes reading an initializer directly: weights stored already quantized.
    public var weightDequantizers = 0
    public var dynamicQuantizeNodes = 0
    /// QLinear* ops by type.
    public var qlinearOps: [String: Int] = [:]
    /// *Integer ops (MatMulInteger, ConvInteger…) by type.
    public var integerOps: [String: Int] = [:]
    /// Q/DQ/QLinear nodes whose scale has more than one element (one per channel along `axis`).
    public var perChannelNodes = 0
    /// Q/DQ/QLinear nodes with a single scale.
    public var perTensorNodes = 0
    /// Integer types of the quantized values (zero-point types), with node counts.
    public var quantizedTypes: [String: Int] = [:]

    public init() {}

    public var isQuantized: Bool { format != .none }

    public var format: Format {
        var kinds: [Format] = []
        if quantizeNodes + dequantizeNodes > 0 { kinds.append(.qdq) }
        if !qlinearOps.isEmpty { kinds.append(.qoperator) }
        if dynamicQuantizeNodes > 0 || !integerOps.isEmpty { kinds.append(.dynamic) }
        return kinds.count > 1 ? .mixed : (kinds.first ?? .none)
    }

    /// One line: `QDQ: 54 Q/DQ pairs, 53 quantized weights, per-channel 53 / per-tensor 108 (int8, uint8)`.
    public var summary: String {
        guard isQuantized else { return "not quantized" }
        var parts: [String] = []
        if quantizeNodes + dequantizeNodes > 0 {
            parts.append("\(qdqPairs) Q/DQ pairs (\(quantizeNodes) Q, \(dequantizeNodes) DQ)")
            if weightDequantizers > 0 { parts.append("\(weightDequantizers) quantized weights") }
        }
        if dynamicQuantizeNodes > 0 { parts.append("\(dynamicQuantizeNodes) DynamicQuantizeLinear") }
        for (op, n) in (qlinearOps.merging(integerOps) { a, _ in a }).sorted(by: { $0.key < $1.key }) { parts.append("\(n) \(op)") }
        parts.append("per-channel \(perChannelNodes) / per-tensor \(perTensorNodes)")
        let types = quantizedTypes.keys.sorted().joined(separator: ", ")
        return "\(format.rawValue): " + parts.joined(separator: ", ") + (types.isEmpty ? "" : " (\(types))")
    }

    /// Scans every scope of `index`. `shapes`, when given, sizes scales that are not initializers.
    public init(index: GraphIndex, shapes: ShapeInferenceResult? = nil) {
        for scope in index.scopes {
            func elementCount(_ name: String) -> Int? {
                guard !name.isEmpty else { return nil }
                if let def = index.resolve(name, in: scope.id), case .initializer(let i) = def.producer {
                    return index.scopes[def.scope].graph.initializers[i].elementCount
                }
                guard let dims = shapes?.facts(name, scope: scope.id)?.dims else { return nil }
                return ShapeRules.concreteCount(dims)
            }
            func typeName(_ name: String) -> String? {
                guard !name.isEmpty else { return nil }
                if let def = index.resolve(name, in: scope.id), case .initializer(let i) = def.producer {
                    return index.scopes[def.scope].graph.initializers[i].dataType.name
                }
                return shapes?.facts(name, scope: scope.id)?.elementType?.name
            }
            func granularity(scale: Int, node: Node) {
                guard scale < node.inputs.count else { return }
                if let n = elementCount(node.inputs[scale]) {
                    if n > 1 { perChannelNodes += 1 } else { perTensorNodes += 1 }
                } else if node.attribute("axis") != nil && node.opType != "QuantizeLinear" && node.opType != "DequantizeLinear" {
                    perChannelNodes += 1
                } else {
                    perTensorNodes += 1
                }
            }
            func noteType(_ name: String?) { if let t = name { quantizedTypes[t, default: 0] += 1 } }

            for node in scope.graph.nodes {
                switch node.opType {
                case "QuantizeLinear":
                    quantizeNodes += 1
                    granularity(scale: 1, node: node)
                    noteType(node.inputs.count > 2 ? typeName(node.inputs[2]) : "uint8")
                    if let out = node.outputs.first, scope.consumers(of: out).contains(where: { scope.node($0).opType == "DequantizeLinear" }) {
                        qdqPairs += 1
                    }
                case "DequantizeLinear":
                    dequantizeNodes += 1
                    granularity(scale: 1, node: node)
                    if let x = node.inputs.first, let def = index.resolve(x, in: scope.id), case .initializer = def.producer {
                        weightDequantizers += 1
                        noteType(typeName(x))
                    }
                case "DynamicQuantizeLinear":
                    dynamicQuantizeNodes += 1
                    noteType("uint8")
                default:
                    if node.opType.hasPrefix("QLinear") {
                        qlinearOps[node.opType, default: 0] += 1
                        // Per-channel weights: QLinearConv/QLinearMatMul's w_scale (input 4).
                        if node.opType == "QLinearConv" || node.opType == "QLinearMatMul" { granularity(scale: 4, node: node) }
                        else { perTensorNodes += 1 }
                        noteType(node.inputs.count > 2 ? typeName(node.inputs[2]) : nil)
                    } else if node.opType.hasSuffix("Integer") || node.opType == "MatMulIntegerToFloat" {
                        integerOps[node.opType, default: 0] += 1
                        noteType(node.inputs.count > 1 ? typeName(node.inputs[1]) : nil)
                    }
                }
            }
        }
    }
}
