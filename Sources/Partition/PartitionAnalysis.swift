import OnnxGraph
import OnnxModel

extension PartitionReport {
    /// Predicts `targets` on `analysed` (ORT's optimized graph, or the model as written) and
    /// builds the report for `modelPath`.
    ///
    /// Shapes are inferred three ways: with the user's dims (onnxscope's decisions), with every
    /// free dim bound the way `info` binds them (the fixed-shape rerun), and without value
    /// propagation (what onnx's shape inference gives ORT's usability checker).
    /// - Parameter original: the file as written, whose free dims the fix commands name.
    public static func analyse(modelPath: String, original: Model, analysed: Model, graph: AnalysedGraph,
                               targets: [PartitionTarget], userDims: [String: Int64]) -> PartitionReport {
        let binding = (try? DimensionBinding(model: analysed, user: userDims)) ?? DimensionBinding()
        let analysis = GraphAnalysis(model: analysed, binding: binding)
        let checkerShapes = ShapeInference.infer(analysed, index: analysis.index, bindings: userDims, propagatesValues: false)
        let predictions = targets.map {
            TargetPrediction.predict($0, model: analysed, index: analysis.index, shapes: analysis.shapes,
                                     fixedShapes: analysis.boundShapes, checkerShapes: checkerShapes, bindings: analysis.binding.values)
        }
        var inputShapes: [String: [Int64]] = [:]
        for input in original.graph.runtimeInputs {
            guard let dims = analysis.boundShapes.facts(input.name)?.dims else { continue }
            let values = dims.compactMap(\.intValue)
            if values.count == dims.count { inputShapes[input.name] = values }
        }
        let originalDims = (try? DimensionBinding(model: original, user: userDims))?.dimensions ?? analysis.binding.dimensions
        let fix = fixCommands(modelPath: modelPath, dims: originalDims, values: analysis.binding.values, inputShapes: inputShapes)
        var report = PartitionReport(modelPath: modelPath, graph: graph, predictions: predictions, fixCommands: fix)
        report.blockers = ModelBlockers.find(model: analysed, index: analysis.index, shapes: analysis.shapes)
        report.shapeComputation = ShapeComputation.find(index: analysis.index, shapes: analysis.shapes,
                                                         freeDims: Set(analysis.binding.dimensions.map(\.name)).subtracting(userDims.keys))
        return report
    }
}
