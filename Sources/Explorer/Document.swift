import ModelReport
import OnnxGraph
import OnnxModel
import Quantization

/// A loaded model with everything the views need that does not change while browsing:
/// the analysis (index, shapes, metrics), the summary of the Model view, and the name-scope
/// grouping of every graph scope.
public struct Document: Sendable {
    public let model: Model
    /// The file it was read from, for titles; nil for models built in memory.
    public let path: String?
    public let analysis: GraphAnalysis
    public let summary: ModelSummary
    /// One grouping per scope, indexed like ``GraphIndex/scopes``.
    public let groupings: [ScopeGrouping]
    /// For a model that is already quantized (QDQ, from a quantizer or QAT): the integer
    /// arithmetic of each quantized main-graph node, by display name.
    public let quantizedLayers: [String: LayerArithmetic]

    /// - Parameter binding: values for the model's free input dims (`view --dim`); hints for
    ///   the rest, as `info` uses.
    public init(model: Model, path: String? = nil, binding: DimensionBinding? = nil) {
        self.model = model
        self.path = path
        let analysis = GraphAnalysis(model: model, binding: binding)
        self.analysis = analysis
        self.summary = ModelSummary(model: model, path: path, analysis: analysis)
        self.groupings = analysis.index.scopes.map { ScopeGrouping(scope: $0) }
        let layers = (analysis.quantization.dequantizeNodes > 0 ? (try? QDQModel.layers(of: model)) : nil) ?? []
        self.quantizedLayers = Dictionary(layers.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads and analyses the model at `path`.
    /// - Throws: ``ModelLoadError`` when the file cannot be read or is not a model.
    public static func load(path: String) throws -> Document {
        Document(model: try Model.load(path: path), path: path)
    }

    public var index: GraphIndex { analysis.index }

    public func scope(_ id: Int) -> GraphScope { analysis.index.scopes[id] }

    public func node(_ key: NodeKey) -> Node { analysis.index.scopes[key.scope].node(key.node) }

    /// The node's name as shown (escaped; `OpType#k` for unnamed nodes).
    public func displayName(_ key: NodeKey) -> String { analysis.index.scopes[key.scope].displayName(key.node) }

    /// The file name without directories, for the title bar.
    public var fileName: String {
        guard let path else { return "(in memory)" }
        return String(path.split(separator: "/").last ?? Substring(path)).escapedForDisplay
    }

    /// The breadcrumb of a scope: `main › /If › then_branch`.
    public func breadcrumb(of scope: Int, separator: String) -> [String] {
        var parts: [String] = []
        var s = scope
        while let link = analysis.index.scopes[s].parent {
            parts.append(link.attribute.escapedForDisplay)
            parts.append(analysis.index.scopes[link.scope].displayName(link.node))
            s = link.scope
        }
        parts.append("main")
        return parts.reversed()
    }

    /// Metrics of one node.
    public func metrics(_ key: NodeKey) -> NodeMetrics {
        let perScope = analysis.metrics.nodes
        guard key.scope < perScope.count, key.node < perScope[key.scope].count else { return NodeMetrics() }
        return perScope[key.scope][key.node]
    }

    /// The first output's inferred type and shape, e.g. `float32[1,64,112,112]`.
    public func outputSummary(_ key: NodeKey) -> String? {
        let node = self.node(key)
        guard let out = node.outputs.first(where: { !$0.isEmpty }),
              let facts = analysis.shapes.facts(out, scope: key.scope) else { return nil }
        return facts.summary
    }
}
