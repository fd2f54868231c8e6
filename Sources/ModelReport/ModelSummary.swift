import Foundation
import OnnxGraph
import OnnxModel

/// Everything `onnxscope info` reports about a model, gathered once and rendered as text or
/// as stable JSON (keys are snake_case and never renamed; new keys may be added).
public struct ModelSummary: Codable, Sendable {
    public struct FileInfo: Codable, Sendable {
        public var path: String
        public var sizeBytes: Int64
    }
    public struct Opset: Codable, Sendable {
        public var domain: String
        public var version: Int64
    }
    public struct Value: Codable, Sendable {
        public var name: String
        /// `float32[batch,3,224,224]`.
        public var type: String
        public var elementType: String?
        /// Dimensions as strings: numbers or symbols (`batch`), `?` when unknown.
        public var shape: [String]?
    }
    public struct OpCount: Codable, Sendable {
        public var op: String
        public var domain: String
        public var category: String
        public var count: Int
    }
    public struct TensorEntry: Codable, Sendable {
        public var name: String
        public var elementType: String
        public var shape: [Int64]
        public var bytes: Int64
        public var external: Bool
    }
    public struct Subgraph: Codable, Sendable {
        public var path: String
        public var op: String
        public var attribute: String
        public var nodes: Int
        public var outerReferences: [String]
    }
    /// One problem of the graph or of what ONNX Runtime and the onnx checker refuse.
    public struct Problem: Codable, Sendable {
        /// `error` (ORT refuses the model; `info` exits 2), `warning` or `info`.
        public var severity: String
        /// A ``GraphIssue/Kind`` raw value: `tensorDataSize`, `externalData`, `cycle`, ….
        public var kind: String
        public var message: String
        /// Display names of the nodes it concerns.
        public var nodes: [String]
        /// Names of the tensors or values it concerns.
        public var tensors: [String]
        /// The graph it is in: `main`, or a sub-graph path such as `If_0/then_branch`.
        public var graph: String
    }
    public struct Compute: Codable, Sendable {
        public var parameters: Int64
        public var parameterBytes: Int64
        public var macs: Int64
        public var activationBytes: Int64
        /// Values used for symbolic dims when counting MACs and activation bytes: the model's
        /// free input dims, and any data-dependent dim met inside.
        public var binding: [String: Int64]
        /// `batch=1, height=320, width=320 (imgsz from metadata)`: the free input dims and
        /// where their values came from; empty when the model has none.
        public var dims: String
        /// Values whose shape inference could not fully determine.
        public var valuesWithoutShape: Int
        /// Ops shape inference has no rule for (their outputs take declared types if any).
        public var opsWithoutShapeRule: [String]
    }

    public var file: FileInfo?
    public var externalDataFiles: [FileInfo]
    public var irVersion: Int64
    public var opsets: [Opset]
    public var producerName: String
    public var producerVersion: String
    public var domain: String
    public var modelVersion: Int64
    public var docString: String
    public var metadata: [String: String]
    public var inputs: [Value]
    public var outputs: [Value]
    public var nodeCount: Int
    public var nodeCountWithSubgraphs: Int
    public var initializerCount: Int
    public var opHistogram: [OpCount]
    public var compute: Compute
    public var largestTensors: [TensorEntry]
    public var subgraphs: [Subgraph]
    public var quantization: QuantizationReport
    public var customDomains: [String]
    public var functions: [String]
    public var problems: [Problem]
    /// Every value of the main graph (`info --values`), nil unless asked for.
    public var values: [ValueShape]?
    /// Every node of the main graph with its work (`info --nodes`), nil unless asked for.
    public var nodes: [NodeWork]?

    /// A dim in JSON: an integer, a string for a symbol or expression, null when unknown.
    public enum JSONDim: Codable, Sendable, Hashable {
        case value(Int64), symbol(String), unknown

        public init(_ d: OnnxModel.Dimension) {
            switch d {
            case .value(let v): self = .value(v)
            case .param(let p): self = .symbol(p)
            case .unknown: self = .unknown
            }
        }
        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .unknown }
            else if let v = try? c.decode(Int64.self) { self = .value(v) }
            else { self = .symbol(try c.decode(String.self)) }
        }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .value(let v): try c.encode(v)
            case .symbol(let s): try c.encode(s)
            case .unknown: try c.encodeNil()
            }
        }
    }
    /// One value's element type and shape (`shape` is null when even the rank is unknown).
    public struct ValueShape: Codable, Sendable {
        public var name: String
        public var dtype: String?
        public var shape: [JSONDim]?
    }
    /// One node's parameters and MACs (under the bound dims).
    public struct NodeWork: Codable, Sendable {
        public var name: String
        public var op: String
        public var inputs: [String]
        public var outputs: [String]
        public var params: Int64
        public var macs: Int64
    }
}

/// Quantization state as `info` shows it (a Codable view of ``QuantizationSummary``).
public struct QuantizationReport: Codable, Sendable {
    /// `none`, `QDQ`, `QOperator`, `dynamic` or `mixed`.
    public var format: String
    public var summary: String
    public var quantizeLinear: Int
    public var dequantizeLinear: Int
    /// QuantizeLinear → DequantizeLinear pairs (the QDQ pattern of static quantization and QAT).
    public var qdqPairs: Int
    public var quantizedWeights: Int
    public var dynamicQuantizeLinear: Int
    /// QLinearConv, QLinearMatMul, ... and MatMulInteger/ConvInteger, by op type.
    public var integerOps: [String: Int]
    public var perChannel: Int
    public var perTensor: Int
    public var quantizedTypes: [String]

    init(_ q: QuantizationSummary) {
        format = q.format.rawValue
        summary = q.summary
        quantizeLinear = q.quantizeNodes
        dequantizeLinear = q.dequantizeNodes
        qdqPairs = q.qdqPairs
        quantizedWeights = q.weightDequantizers
        dynamicQuantizeLinear = q.dynamicQuantizeNodes
        integerOps = q.qlinearOps.merging(q.integerOps) { a, b in a + b }
        perChannel = q.perChannelNodes
        perTensor = q.perTensorNodes
        quantizedTypes = q.quantizedTypes.keys.sorted()
    }
}
