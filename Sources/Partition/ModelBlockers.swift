import OnnxGraph
import OnnxModel

/// Deployment problems of the model as a whole, each at a node and with the fix: what no
/// per-EP table says on its own.
public struct ModelBlocker: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// An op in a domain no ORT build knows: it loads only with a custom-op library.
        case customDomain = "custom domain"
        /// An output whose shape depends on the data (NonZero, Unique…): fixing the input dims
        /// cannot make what follows fixed-shape.
        case dataDependentShape = "data-dependent shape"
        /// float64 values: no mobile or NPU EP computes in double.
        case float64
        /// The ONNX Runtime at hand refuses to load the model (IR version or opset too new).
        case runtimeRefuses = "runtime refuses"
        /// An ONNX Runtime release asked about (`--ort-release`) would refuse it.
        case releaseTooOld = "release too old"
        /// If/Loop/Scan bodies nested so deep that some ORT builds take exponential time to
        /// create the session.
        case deepNesting = "deep If nesting"
        /// An ATen op: `torch.onnx.export` with the ATen fallback wrote a PyTorch operator
        /// instead of ONNX; ORT's release builds have no ATen op (only training builds do).
        case atenFallback = "ATen fallback"
        /// A Reshape whose target shape is all constants while its input has a dynamic dim:
        /// the tracing exporter recorded the example's size, so any other size fails.
        case tracedShape = "traced shape"
    }
    public let kind: Kind
    /// The node, as the report names it.
    public let node: String
    public let op: String
    public let problem: String
    public let fix: String
}

public enum ModelBlockers {
    /// Domains ORT's own builds register kernels or schemas for.
    static let knownDomains: Set<String> = ["", "ai.onnx", "ai.onnx.ml", "com.microsoft", "com.microsoft.nchwc",
                                            "ai.onnx.preview.training", "com.ms.internal.nhwc"]
    /// Ops whose output shape is computed from the values of their input.
    static let dataDependent: Set<String> = ["NonZero", "Unique", "NonMaxSuppression", "Compress", "StringSplit"]

    /// The blockers of the main graph and its bodies (one per node, the most serious first).
    public static func find(model: Model, index: GraphIndex, shapes: ShapeInferenceResult) -> [ModelBlocker] {
        let functions = Set(model.functions.map { $0.domain + ":" + $0.name })
        // Named dims of the graph inputs: what --fix-dims can fix (not names made up for unnamed axes).
        let inputDims = Set(model.graph.freeDimensions.filter { !$0.isGeneratedName }.map(\.name))
        var out: [ModelBlocker] = []
        for scope in index.scopes {
            for n in 0..<scope.nodeCount {
                let node = scope.node(n)
                let name = scope.displayName(n)
                let domain = node.domain
                if domain == "org.pytorch.aten" {
                    let aten = node.attributes.first { $0.name == "operator" }.flatMap { a -> String? in
                        if case .string(let s) = a.value { return s.string.escapedForDisplay }
                        return nil
                    } ?? node.opType
                    out.append(ModelBlocker(kind: .atenFallback, node: name, op: domain + ":" + node.opType,
                                            problem: "aten::\(aten) was exported as a PyTorch operator (torch.onnx.export's ATen fallback): "
                                                + "only onnxruntime-training builds have an ATen op, so ORT's release builds fail to load the model",
                                            fix: "re-export without the fallback (operator_export_type=ONNX), at an opset where aten::\(aten) has an ONNX form, "
                                                + "or give it an ONNX symbolic (torch.onnx.register_custom_op_symbolic)"))
                    continue
                }
                if !knownDomains.contains(domain) && !functions.contains(domain + ":" + node.opType) {
                    out.append(ModelBlocker(kind: .customDomain, node: name, op: domain + ":" + node.opType,
                                            problem: "\(node.opType) is in domain '\(domain)', which no ONNX Runtime build has kernels for",
                                            fix: "ship its custom-op library and register it (SessionOptions.register_custom_ops_library); "
                                                + "no EP's table takes it, so it runs on the CPU EP only"))
                    continue
                }
                if node.isDefaultDomain, dataDependent.contains(node.opType) || isDataDependentTopK(node, scope: scope) {
                    let readers = node.outputs.reduce(0) { $0 + scope.consumers(of: $1).count }
                    out.append(ModelBlocker(kind: .dataDependentShape, node: name, op: "ai.onnx:" + node.opType,
                                            problem: "the shape of its output depends on the data, so \(readers) node\(readers == 1 ? "" : "s") reading it "
                                                + "have dynamic shapes even with every input dim fixed: fixed-shape EPs (NNAPI, CoreML, QNN) leave them to the CPU",
                                            fix: "keep it at the end of the graph (post-processing on the CPU), or pad to a fixed size in the export "
                                                + "(e.g. a fixed max count with a validity mask)"))
                    continue
                }
                if let traced = tracedReshape(node, scope: scope, shapes: shapes, inputDims: inputDims) {
                    out.append(ModelBlocker(kind: .tracedShape, node: name, op: "ai.onnx:Reshape", problem: traced.problem, fix: traced.fix))
                    continue
                }
                if let input = node.inputs.enumerated().first(where: { !$0.element.isEmpty && shapes.facts($0.element, scope: scope.id)?.elementType == .double })?.element {
                    out.append(ModelBlocker(kind: .float64, node: name, op: (domain.isEmpty ? "ai.onnx" : domain) + ":" + node.opType,
                                            problem: "it computes in float64 ('\(input)'): NNAPI, CoreML, QNN, XNNPACK and OpenVINO have no double kernels",
                                            fix: "export in float32 (cast the inputs or the weights), or keep the node on the CPU EP"))
                }
            }
        }
        if let deep = deepestControlFlow(index: index), deep.depth >= deepNestingThreshold {
            out.append(ModelBlocker(kind: .deepNesting, node: deep.outermost, op: "ai.onnx:" + deep.op,
                                    problem: "control flow nested \(deep.depth) deep under it: onnxruntime-openvino 1.24.1 takes time doubling with each level to create "
                                        + "the session (a chain of Ifs, measured: 16 deep 1.2 s on its CPU EP and 2.3 s with OpenVINO, 18 deep 3.3 s and 7.2 s, "
                                        + "20 deep 14.5 s and 31 s); onnxruntime 1.32.0 creates it in 0.01 s",
                                    fix: "flatten the chain (exporters write nested Ifs for if/elif chains: compute the cases and pick with Where), "
                                        + "or deploy ONNX Runtime ≥ 1.32"))
        }
        return out
    }

    /// Nesting from which the blocker is raised: about a second of session creation on the
    /// builds that have the problem, doubling with each level (`Benchmarks/nested_if.py`).
    static let deepNestingThreshold = 16

    /// The deepest chain of If/Loop/Scan bodies: its depth, and the main-graph node it starts at.
    static func deepestControlFlow(index: GraphIndex) -> (depth: Int, outermost: String, op: String)? {
        var best: (depth: Int, outermost: String, op: String)?
        for scope in index.scopes {
            var depth = 0
            var link = scope.parent
            var top: ScopeLink?
            while let l = link {
                if ["If", "Loop", "Scan"].contains(index.scopes[l.scope].node(l.node).opType) { depth += 1 }
                top = l
                link = index.scopes[l.scope].parent
            }
            guard depth > (best?.depth ?? 0), let t = top else { continue }
            best = (depth, index.scopes[t.scope].displayName(t.node), index.scopes[t.scope].node(t.node).opType)
        }
        return best
    }

    /// ORT's refusal to load the model, when `error` is one (an IR version or opset newer than
    /// the release supports), with what to change; nil for any other error.
    public static func runtimeRefusal(error: String, runtime: String) -> ModelBlocker? {
        func number(after marker: String) -> Int? {
            guard let r = error.range(of: marker) else { return nil }
            return Int(error[r.upperBound...].prefix { $0.isNumber })
        }
        if let ir = number(after: "Unsupported model IR version: ") {
            let max = number(after: "max supported IR version: ")
            return ModelBlocker(kind: .runtimeRefuses, node: "(model)", op: "",
                                problem: "ONNX Runtime \(runtime) refuses to load it: IR version \(ir)" + (max.map { " is above the \($0) it supports" } ?? " is not supported"),
                                fix: "save it with an IR version ORT knows (onnx: model.ir_version = \(max.map(String.init) ?? "N"), when it uses nothing newer), or deploy a newer ONNX Runtime")
        }
        if let opset = number(after: "Opset "), let max = number(after: "is till opset ") {
            return ModelBlocker(kind: .runtimeRefuses, node: "(model)", op: "",
                                problem: "ONNX Runtime \(runtime) refuses to load it: opset \(opset) is newer than the \(max) it supports",
                                fix: "convert it down (onnx.version_converter.convert_version(model, \(max))) or export at opset ≤ \(max), or deploy a newer ONNX Runtime")
        }
        return nil
    }

    /// TopK with K computed at run time: as many outputs as the data says.
    static func isDataDependentTopK(_ node: Node, scope: GraphScope) -> Bool {
        guard node.opType == "TopK", node.inputs.count > 1, !node.inputs[1].isEmpty else { return false }
        return scope.initializer(named: node.inputs[1]) == nil && scope.constantTensor(named: node.inputs[1]) == nil
            && scope.producer(of: node.inputs[1]) != nil
    }

    /// A Reshape that can only succeed for one value of a dynamic input dim: its target shape
    /// is all numbers (no `-1`, no `0` copying the dynamic dim), so its element count is fixed
    /// while its input's grows with the dim. `torch.onnx.export` writes this when the model
    /// turned a size into a Python int (its "TracerWarning: Converting a tensor to a Python
    /// integer"): the export declares the dim dynamic, and ORT fails at run time on any other
    /// size. A graph input dim without a name counts as dynamic (shape inference names it).
    /// Nil when the shapes do not show it for certain: an input dim shape inference could not
    /// follow, or a target whose values it does not know.
    static func tracedReshape(_ node: Node, scope: GraphScope, shapes: ShapeInferenceResult,
                              inputDims: Set<String>) -> (problem: String, fix: String)? {
        guard node.isDefaultDomain, node.opType == "Reshape", node.inputs.count >= 2, !node.inputs[1].isEmpty,
              let dims = shapes.facts(node.inputs[0], scope: scope.id)?.dims,
              let target = shapes.facts(node.inputs[1], scope: scope.id)?.value?.integers,
              !target.contains(-1) else { return nil }
        var input = Monomial(coefficient: 1)
        for d in dims {
            guard let m = Monomial(d), let p = input * m else { return nil }
            input = p
        }
        guard !input.symbols.isEmpty else { return nil }
        let allowZero = (node.attribute("allowzero")?.i ?? 0) != 0
        var output = Monomial(coefficient: 1)
        for (k, v) in target.enumerated() {
            let m: Monomial
            if v == 0 && !allowZero {
                guard k < dims.count, let d = Monomial(dims[k]) else { return nil }
                m = d
            } else {
                m = Monomial(coefficient: v)
            }
            guard let p = output * m else { return nil }
            output = p
        }
        guard output != input else { return nil }
        // The symbols the target does not carry over (by `0`) must all be fixed by the numbers.
        var rest = input.symbols
        for sym in output.symbols {
            guard let i = rest.firstIndex(of: sym) else { return nil }
            rest.remove(at: i)
        }
        guard !rest.isEmpty else { return nil }
        let free = Monomial(coefficient: 1, symbols: rest).dimension.description
        var only = "no value of \(free) makes them equal: ORT fails at run time"
        var fixDims = ""
        if input.coefficient > 0, output.coefficient % input.coefficient == 0 {
            let v = output.coefficient / input.coefficient
            only = "it runs only with \(free) = \(v), and ORT fails on any other"
            if rest.count == 1, inputDims.contains(free) { fixDims = "; if \(free) = \(v) is the only size you deploy, fix it (--fix-dims \(free)=\(v))" }
        }
        let summary = shapes.facts(node.inputs[0], scope: scope.id)?.summary ?? "?"
        let target_ = "[" + target.map(String.init).joined(separator: ",") + "]"
        let problem = "its target shape \(target_) is constant while its input '\(node.inputs[0])' is \(summary): "
            + "\(output.dimension) elements against \(input.dimension), so \(only) "
            + "(torch.onnx.export recorded the traced example's size: a TracerWarning at export)"
        let fix = "re-export with the size read from the tensor: -1 for the dynamic dim, or x.shape[i] kept as a tensor, not int()\(fixDims)"
        return (problem, fix)
    }
}
