import OnnxGraph
import OnnxModel

/// Dynamic quantization: weights stored as int8 offline, activations quantized at run time.
/// Each int8 MatMul becomes DynamicQuantizeLinear → MatMulInteger → Cast → Mul by
/// S_x·S_w, the pattern ORT fuses into DynamicQuantizeMatMul. Embedding tables read by Gather
/// are stored uint8 and dequantized after the Gather. Nothing is calibrated.
public struct DynamicWriter {
    public let model: Model
    public let analysis: GraphAnalysis
    public let plan: QuantizationPlan
    public let settings: QuantizationSettings

    public init(model: Model, analysis: GraphAnalysis, plan: QuantizationPlan, settings: QuantizationSettings) {
        self.model = model; self.analysis = analysis; self.plan = plan; self.settings = settings
    }

    /// The plan for dynamic mode: MatMul with a constant 2-D weight is int8; the rest float.
    public static func plan(analysis: GraphAnalysis, request: PlanRequest) throws -> QuantizationPlan {
        var p = try QuantizationPlan(analysis: analysis, request: request)
        let scope = analysis.index.main
        for k in p.decisions.indices {
            let node = scope.node(p.decisions[k].node)
            let weight = node.inputs.count == 2 ? scope.constantTensor(named: node.inputs[1]) : nil
            if node.opType == "MatMul", node.isDefaultDomain, let w = weight, w.dims.count == 2, w.dataType == .float {
                p.decisions[k].role = .compute(kernel: "DynamicQuantizeMatMul")
                if p.decisions[k].precision == .int8 { p.decisions[k].reason = .fusesInto(kernel: "DynamicQuantizeMatMul") }
            } else if isEmbedding(node, in: scope) {
                // An embedding table (BERT's word embeddings are most of its weights): stored
                // uint8 and dequantized after the Gather, as ORT's quantize_dynamic does.
                let name = p.decisions[k].name
                let userFloat = request.choice(for: name) == .float
                p.decisions[k].role = .compute(kernel: embeddingKernel)
                p.decisions[k].precision = userFloat ? .float : .int8
                p.decisions[k].reason = userFloat ? .user(.float) : .fusesInto(kernel: embeddingKernel)
            } else {
                let why = node.opType == "MatMul" ? "dynamic mode quantizes MatMul with a constant 2-D weight only"
                    : "dynamic mode quantizes MatMul only (Conv as ConvInteger is slower than float Conv on ORT's CPU EP)"
                p.decisions[k].role = .none(reason: why)
                p.decisions[k].precision = .float
                p.decisions[k].reason = .notQuantizable(why)
            }
        }
        return p
    }

    /// What an int8 Gather becomes: the table stored uint8, the rows dequantized after the Gather.
    static let embeddingKernel = "Gather of a uint8 table, then DequantizeLinear"

    /// A Gather reading rows of a constant float table of rank 2 or more.
    static func isEmbedding(_ node: Node, in scope: GraphScope) -> Bool {
        guard node.opType == "Gather", node.isDefaultDomain, node.inputs.count == 2,
              let table = scope.constantTensor(named: node.inputs[0]) else { return false }
        return table.dataType == .float && table.dims.count >= 2
    }

    public func write() throws -> QDQWriter.Output {
        var out = model
        var notes: [String] = []
        // DynamicQuantizeLinear and MatMulInteger exist from opset 10; per-column weights need nothing more.
        if let v = model.opsetVersion(for: ""), v < 11 {
            try OpsetUpgrade.prepare(&out, perChannel: false, notes: &notes)
        }
        let scope = analysis.index.main
        let helper = QDQWriter(model: model, analysis: analysis, plan: plan, ranges: [:], settings: settings)
        var nodes: [Node] = []
        var initializers: [Tensor] = []
        var dynamicOf: [String: (q: String, s: String, z: String)] = [:]
        var layers: [LayerArithmetic] = []
        for i in scope.topologicalOrder {
            let node = scope.node(i)
            let d = plan.decisions[i]
            if d.precision == .int8, Self.isEmbedding(node, in: scope), let table = scope.constantTensor(named: node.inputs[0]) {
                var cache: [String: String] = [:]
                var dqNodes: [Node] = []
                // Asymmetric uint8 over the table's own range, as ORT's quantize_dynamic stores it: embedding
                // values are not centred on zero, so a zero point buys about a bit of precision.
                _ = try helper.quantizeWeight(table, axis: nil, cacheKey: table.name, cache: &cache, into: &dqNodes,
                                              initializers: &initializers, type: .uint8, symmetric: false)
                let tq = dqNodes[0].inputs[0], ts = dqNodes[0].inputs[1], tz = dqNodes[0].inputs[2]
                let base = QDQWriter.safeName(d.name)
                var gather = node
                gather.inputs[0] = tq
                gather.outputs[0] = base + "_quantized"
                nodes.append(gather)
                nodes.append(Node(opType: "DequantizeLinear", name: base + "_DequantizeLinear", inputs: [base + "_quantized", ts, tz], outputs: [node.outputs[0]]))
                continue
            }
            guard d.precision == .int8, let w = scope.constantTensor(named: node.inputs[1]) else { nodes.append(node); continue }
            let a = node.inputs[0]
            if dynamicOf[a] == nil {
                let base = QDQWriter.safeName(a)
                let names = (q: base + "_quantized", s: base + "_scale", z: base + "_zero_point")
                nodes.append(Node(opType: "DynamicQuantizeLinear", name: base + "_DynamicQuantizeLinear", inputs: [a], outputs: [names.q, names.s, names.z]))
                dynamicOf[a] = names
            }
            let x = dynamicOf[a]!
            var cache: [String: String] = [:]
            var dqNodes: [Node] = []
            let (_, q) = try helper.quantizeWeight(w, axis: settings.perChannel ? 1 : nil, cacheKey: w.name, cache: &cache,
                                                   into: &dqNodes, initializers: &initializers)
            // MatMulInteger reads the int8 weight and its zero point directly (no DequantizeLinear).
            let wq = dqNodes[0].inputs[0], ws = dqNodes[0].inputs[1], wz = dqNodes[0].inputs[2]
            let base = QDQWriter.safeName(d.name)
            let y = node.outputs[0]
            nodes.append(Node(opType: "MatMulInteger", name: base + "_MatMulInteger", inputs: [x.q, wq, x.z, wz], outputs: [base + "_int32"]))
            nodes.append(Node(opType: "Cast", name: base + "_Cast", inputs: [base + "_int32"], outputs: [base + "_float"], attributes: [.int("to", 1)]))
            nodes.append(Node(opType: "Mul", name: base + "_scales_Mul", inputs: [x.s, ws], outputs: [base + "_scale"]))
            nodes.append(Node(opType: "Mul", name: base + "_output_Mul", inputs: [base + "_float", base + "_scale"], outputs: [y]))
            layers.append(LayerArithmetic(node: d.name, opType: node.opType, kernel: "DynamicQuantizeMatMul", input: nil,
                                          weight: .init(tensor: w.name, parameters: q), output: nil, multipliers: [], biasScales: nil))
        }
        out.graph.nodes = nodes
        out.graph.initializers += initializers
        QDQWriter.dropUnused(&out.graph)
        try QDQWriter.inlineExternalData(&out.graph, from: model)
        return QDQWriter.Output(model: out, layers: layers, notes: notes)
    }
}
