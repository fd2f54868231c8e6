import Foundation
import OnnxGraph
import OnnxModel

extension ModelSummary {
    /// How many of the largest initializers to list.
    public static let largestTensorCount = 10

    /// Gathers the summary of `model` (loaded from `path`, if any). Tensor bytes are not read;
    /// only external-data files are stat'ed for their sizes.
    /// - Parameters:
    ///   - includeValues: fill ``values`` with every value of the main graph.
    ///   - includeNodes: fill ``nodes`` with every node of the main graph and its work.
    public init(model: Model, path: String?, analysis: GraphAnalysis, includeValues: Bool = false, includeNodes: Bool = false) {
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
        let free = Set(analysis.binding.dimensions.map(\.name))
        func value(_ v: ValueInfo) -> Value {
            let facts = analysis.shapes.facts(v.name)
            let declared = v.type
            var dims: [OnnxModel.Dimension]? = declared?.shape?.dims ?? facts?.dims
            // A declared name for a size inference pins down (`features` = 24) shows the number.
            if let d = dims, let inferred = facts?.dims, inferred.count == d.count {
                dims = zip(d, inferred).map { decl, inf in
                    if case .param(let p) = decl, !free.contains(p), inf.intValue != nil { return inf }
                    return decl
                }
            }
            let elem = declared?.elementType ?? facts?.elementType
            var type: String = declared.map(\.summary) ?? facts?.summary ?? "?"
            // Exporters write derived dims as long expressions (`floor(floor(height/2 - 1/2)/2)
            // + 1`…); the text shows their value at the bound dims instead (the note line
            // says which), JSON keeps them whole in `shape`.
            if let dims, case .tensor(let e, _)? = declared?.kind ?? facts.map({ ValueType.Kind.tensor($0.elementType ?? .undefined, nil) }) {
                let bound = analysis.boundShapes.facts(v.name)?.dims
                let shown = dims.enumerated().map { i, d -> String in
                    guard case .param(let p) = d, !free.contains(p), p.count > 24 else { return d.description }
                    return bound.flatMap { i < $0.count ? $0[i].intValue : nil }.map(String.init) ?? "?"
                }
                type = (e == .undefined ? "?" : e.name) + "[" + shown.joined(separator: ",") + "]"
            }
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
        // Counted under the bound dims: a value is "without a shape" only if the rules could not
        // tell it even with every input dim known.
        let unknownShapes = analysis.boundShapes.scopes.reduce(0) { $0 + $1.values.filter { !$0.isFullyKnown }.count }
        compute = Compute(parameters: totals.parameters, parameterBytes: totals.parameterBytes, macs: totals.macs,
                          activationBytes: totals.activationBytes,
                          binding: analysis.metrics.symbolsUsed.merging(analysis.binding.values) { _, b in b },
                          dims: analysis.binding.note,
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
        values = includeValues ? Self.valueShapes(main, shapes: analysis.shapes) : nil
        nodes = includeNodes ? main.topologicalOrder.map { n in
            let node = main.node(n)
            let m = analysis.metrics.nodes[0][n]
            return NodeWork(name: main.displayName(n), op: node.opType, inputs: node.inputs, outputs: node.outputs,
                            params: m.parameters, macs: m.macs)
        } : nil
        problems = analysis.issues.sorted { $0.severity > $1.severity }.map { issue in
            Problem(severity: issue.severity.description, kind: issue.kind.rawValue, message: issue.message,
                    nodes: issue.nodes.map { analysis.index.scopes[issue.scope].displayName($0) },
                    tensors: issue.values, graph: analysis.index.path(of: issue.scope))
        }
    }

    /// Graph inputs, initializers, then node outputs in topological order; each name once.
    static func valueShapes(_ scope: GraphScope, shapes: ShapeInferenceResult) -> [ValueShape] {
        var seen = Set<String>()
        var names: [String] = []
        func add(_ n: String) { if !n.isEmpty && seen.insert(n).inserted { names.append(n) } }
        scope.graph.inputs.forEach { add($0.name) }
        scope.graph.initializers.forEach { add($0.name) }
        for n in scope.topologicalOrder { scope.node(n).outputs.forEach(add) }
        return names.map { name in
            let f = shapes.facts(name, scope: scope.id)
            return ValueShape(name: name, dtype: f?.elementType?.name, shape: f?.dims?.map(JSONDim.init))
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
