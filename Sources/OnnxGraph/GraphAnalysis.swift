import OnnxModel

/// Everything the graph layer knows about a model, computed in one go: the index, shapes,
/// metrics, quantization state and validation. `info` and the explorer start from this.
public struct GraphAnalysis: Sendable {
    public let index: GraphIndex
    public let shapes: ShapeInferenceResult
    public let metrics: GraphMetrics
    public let quantization: QuantizationSummary
    /// What onnx.checker or ONNX Runtime would refuse, beyond the index's structural issues.
    public let validation: ModelValidation

    public init(model: Model, binding: SymbolBinding = .standard) {
        index = GraphIndex(model: model)
        shapes = ShapeInference.infer(model, index: index)
        metrics = GraphMetrics(model: model, index: index, shapes: shapes, binding: binding)
        quantization = QuantizationSummary(index: index, shapes: shapes)
        validation = ModelValidation(model: model, index: index)
    }

    /// Structural issues, then validation problems, then shape issues.
    public var issues: [GraphIssue] { index.issues + validation.problems + shapes.issues }

    /// Throws when ONNX Runtime would refuse the model: an error among the index's issues or
    /// the validation problems (shape-inference findings never refuse a model on their own).
    public func validate() throws(GraphValidationError) {
        let errors = index.issues.filter { $0.severity == .error } + validation.errors
        if !errors.isEmpty { throw GraphValidationError(issues: errors) }
    }
}
