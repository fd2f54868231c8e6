import Foundation
import OnnxGraph
import OnnxModel

extension ModelSummary {
    /// How many of the largest initializers to list.
    public static let largestTensorCount = 10

    /// Gathers the summary of `model` (loaded from `path`, if any). Tensor bytes are not read;
    /// only external-data files are stat'ed for their sizes.
    public init(model: Model, path: String?, analysis: GraphAnalysis) {
        let fm = FileManager.default
        func size(_ p: String) -> Int64 { (try? fm.attributesOfItem(atPath: p)[.size] as? NSNumber)?.int64Value ?? 0 }
        file = path.map { FileInfo(path: $0, sizeBytes: size($0)) }

        var externals = Set<String>()
        for scope in analysis.index.scopes {
            for t in scope.graph.initializers where t.isExternal {
                if let ref = try? ExternalDataReference(t) { externals.insert(ref.location) }
            }
        }
        externalDataFiles = externals.sorted().map { loc in
            let full = model.baseDirectory.map { $0 + "/" + loc } ?? loc
            return FileInfo(path: loc, sizeBytes: size(full))
        }

        irVersion = model.irVersion
        opsets = model.opsetImports.map { Opset(domain: $0.domain.isEmpty ? "ai.onnx" : $0.domain, version: $0.version) }
        producerName = model.producerName
        producerVersion = model.producerVersion
        domain = model.domain
        modelVersion = model.modelVersion
        docString = model.docString
        metadata = Dictionary(model.metadataProps.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b })

        let main = analysis.index.main
        func value(_ v: ValueInfo) -> Value {
            let facts = analysis.shapes.facts(v.name)
            let declared = v.type
            let dims: [OnnxModel.Dimension]? = declared?.shape?.dims ?? facts?.dims
            let elem = declared?.elementType ?? facts?.elementType
            let type: String = declared.map(\.summary) ?? facts?.summary ?? "?"
            return Value(name: v.name, type: type, elementType: elem?.name, shape: dims?.map(\.description))
        }
        inputs = main.realInputs.map { value(main.graph.inputs[$0]) }
        outputs = main.graph.outputs.map(value)

        nodeCount = main.nodeCount
        nodeCountWithSubgraphs = analysis.index.scopes.reduce(0) { $0 + $1.nodeCount }
        initializerCount = analysis.index.scopes.reduce(0) { $0 + $1.graph.initializers.count }

        var histogram: [String: (domain: String, op: String, count: Int)] = [:]
        for scope in analysis.index.scopes {
            for n in scope.graph.nodes {
                let d = n.isDefaultDomain ? "" : n.domain
                histogram[d + "\u{0}" + n.opType, default: (d, n.opType, 0)].count += 1
            }
        }
        opHistogram = histogram.values
            .sorted { ($0.count, $1.op) > ($1.count, $0.op) }
            .map { OpCount(op: $0.op, domain: $0.domain.isEmpty ? "ai.onnx" : $0.domain,
                           category: OpCatalog.info($0.op, domain: $0.domain).category.rawValue, count: $0.count) }

        let totals = analysis.metrics.overall
        let unknownShapes = analysis.shapes.scopes.reduce(0) { $0 + $1.values.filter { !$0.isFullyKnown }.count }
        compute = Compute(parameters: totals.parameters, parameterBytes: totals.parameterBytes, macs: totals.macs,
                          activationBytes: totals.activationBytes, binding: analysis.metrics.symbolsUsed,
                          valuesWithoutShape: unknownShapes,
                          opsWithoutShapeRule: analysis.shapes.unsupportedOps.keys.sorted())

        var tensors: [TensorEntry] = []
        for scope in analysis.index.scopes {
            for t in scope.graph.initializers {
                let bytes = t.elementCount.flatMap { t.dataType.byteCount(elements: $0) } ?? 0
                tensors.append(TensorEntry(name: t.name, elementType: t.dataType.name, shape: t.dims, bytes: Int64(bytes), external: t.isExternal))
            }
        }
        largestTensors = Array(tensors.sorted { ($0.bytes, $1.name) > ($1.bytes, $0.name) }.prefix(Self.largestTensorCount))

        subgraphs = analysis.index.scopes.dropFirst().map { s in
            let link = s.parent!
            let owner = analysis.index.scopes[link.scope].node(link.node)
            return Subgraph(path: analysis.index.path(of: s.id), op: owner.opType, attribute: link.attribute,
                            nodes: s.nodeCount, outerReferences: s.outerReferences.map(\.name))
        }
        quantization = QuantizationReport(analysis.quantization)
        customDomains = Array(Set(model.opsetImports.map(\.domain).filter { !$0.isEmpty && $0 != "ai.onnx" }
            + analysis.index.scopes.flatMap { $0.graph.nodes.filter { !$0.isDefaultDomain }.map(\.domain) })).sorted()
        functions = model.functions.map { $0.domain.isEmpty ? $0.name : $0.domain + "." + $0.name }
        problems = analysis.issues.sorted { $0.severity > $1.severity }.map { issue in
            Problem(severity: issue.severity.description, kind: issue.kind.rawValue, message: issue.message,
                    nodes: issue.nodes.map { analysis.index.scopes[issue.scope].displayName($0) },
                    tensors: issue.values, graph: analysis.index.path(of: issue.scope))
        }
    }

    /// Stable, pretty JSON (sorted keys, snake_case).
    public func json() throws -> String {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(self), as: UTF8.self)
    }
}
