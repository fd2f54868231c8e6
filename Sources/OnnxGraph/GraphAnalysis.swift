import OnnxModel

/// Everything the graph layer knows about a model, computed in one go: the index, shapes,
/// metrics and quantization state. `info` and the explorer start from this.
public struct GraphAnalysis: Sendable {
    public let index: GraphIndex
    public let shapes: ShapeInferenceResult
    public let metrics: GraphMetrics
    public let quantization: QuantizationSummary

    public init(model: Model, binding: SymbolBinding = .standard) {
        index = GraphIndex(model: model)
        shapes = ShapeInference.infer(model, index: index)
        metrics = GraphMetrics(model: model, index: index, shapes: shapes, binding: binding)
        quantization = QuantizationSummary(index: index, shapes: shapes)
    }

    /// Structural issues, then shape issues.
    public var issues: [GraphIssue] { index.issues + shapes.issues }
}
