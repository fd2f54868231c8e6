import OnnxModel

/// Everything the graph layer knows about a model, computed in one go: the index, shapes,
/// metrics, quantization state and validation. `info` and the explorer start from this.
///
/// Shapes come twice. ``shapes`` keeps every dim the user did not bind symbolic (what views
/// and `info --values` show); ``boundShapes`` has every free input dim bound — the user's
/// values, then the hints of ``DimensionBinding`` — so MACs and activation bytes are real
/// numbers, computed from the same inference rules.
public struct GraphAnalysis: Sendable {
    public let index: GraphIndex
    /// Shapes with only the user's dims bound.
    public let shapes: ShapeInferenceResult
    /// Shapes with every free input dim bound (equal to ``shapes`` when nothing is free).
    public let boundShapes: ShapeInferenceResult
    /// The values every free input dim has in ``boundShapes``, and where each came from.
    public let binding: DimensionBinding
    public let metrics: GraphMetrics
    public let quantization: QuantizationSummary
    /// What onnx.checker or ONNX Runtime would refuse, beyond the index's structural issues.
    public let validation: ModelValidation

    /// - Parameter binding: the dims; by default every free dim takes its hint.
    public init(model: Model, binding: DimensionBinding? = nil) {
        let hinted = binding ?? ((try? DimensionBinding(model: model)) ?? DimensionBinding())
        index = GraphIndex(model: model)
        shapes = ShapeInference.infer(model, index: index, bindings: hinted.userValues)
        let binding = hinted.refined(by: Self.dimsFixedByGraph(shapes, index: index, free: Set(hinted.dimensions.map(\.name))))
        self.binding = binding
        boundShapes = binding.values == binding.userValues ? shapes
            : ShapeInference.infer(model, index: index, bindings: binding.values)
        metrics = GraphMetrics(model: model, index: index, shapes: boundShapes,
                               binding: SymbolBinding(named: binding.values))
        quantization = QuantizationSummary(index: index, shapes: shapes)
        validation = ModelValidation(model: model, index: index)
    }

    /// Free dims the graph pins to a number: an elementwise node broadcasts a symbol against
    /// a size n > 1, which the model is only valid for if the symbol is n (BERT's position
    /// embeddings fix the sequence length). The first such node in topological order names it.
    static func dimsFixedByGraph(_ shapes: ShapeInferenceResult, index: GraphIndex, free: Set<String>) -> [String: (value: Int64, node: String)] {
        guard !free.isEmpty else { return [:] }
        let broadcasting: Set<String> = ["Add", "Sub", "Mul", "Div", "Pow", "Where", "Max", "Min", "Sum", "Mean",
                                         "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "PRelu"]
        let main = index.main
        var fixed: [String: (value: Int64, node: String)] = [:]
        for n in main.topologicalOrder {
            let node = main.node(n)
            guard broadcasting.contains(node.opType), node.isDefaultDomain, let outName = node.outputs.first,
                  let out = shapes.facts(outName)?.dims else { continue }
            for i in node.inputs where !i.isEmpty {
                guard let dims = shapes.facts(i)?.dims, dims.count <= out.count else { continue }
                let offset = out.count - dims.count
                for (k, d) in dims.enumerated() {
                    guard case .param(let p) = d, free.contains(p), fixed[p] == nil,
                          let v = out[offset + k].intValue, v > 1 else { continue }
                    fixed[p] = (v, main.displayName(n))
                }
            }
        }
        // A Slice of a fixed-size axis that ends at a symbol (`pos_ids[:, :seq]`) caps the
        // symbol at that size: a hint above it would make a graph the model cannot run.
        for n in main.topologicalOrder {
            let node = main.node(n)
            guard node.opType == "Slice", node.isDefaultDomain, node.inputs.count >= 3,
                  let data = shapes.facts(node.inputs[0])?.dims,
                  let ends = shapes.facts(node.inputs[2])?.value?.elements else { continue }
            let axes = node.inputs.count > 3 ? shapes.facts(node.inputs[3])?.value?.integers : (0..<Int64(ends.count)).map { $0 }
            guard let axes, axes.count == ends.count else { continue }
            for (k, e) in ends.enumerated() {
                let a = Int(axes[k] < 0 ? axes[k] + Int64(data.count) : axes[k])
                guard case .param(let p) = e, free.contains(p), fixed[p] == nil, a >= 0, a < data.count,
                      let size = data[a].intValue, size > 0 else { continue }
                fixed[p] = (size, main.displayName(n) + " (at most)")
            }
        }
        return fixed
    }

    /// Structural issues, then validation problems, then shape issues. Shape issues come from
    /// the bound inference when every bound dim is the user's (with numbers, rules tell real
    /// contradictions that symbols hide); a hinted dim may be one the model cannot take (an OCR
    /// model fixed at height 48 given a typical 224), so then the unbound inference speaks.
    public var issues: [GraphIssue] {
        let hinted = binding.values != binding.userValues
        return index.issues + validation.problems + (hinted ? shapes.issues : boundShapes.issues)
    }

    /// Throws when ONNX Runtime would refuse the model: an error among the index's issues or
    /// the validation problems (shape-inference findings never refuse a model on their own).
    public func validate() throws(GraphValidationError) {
        let errors = index.issues.filter { $0.severity == .error } + validation.errors
        if !errors.isEmpty { throw GraphValidationError(issues: errors) }
    }
}
