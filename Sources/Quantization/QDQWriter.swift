import Foundation
import OnnxGraph
import OnnxModel

/// Rewrites a float model into standard QDQ form following a plan: QuantizeLinear →
/// DequantizeLinear on every value an int8 node reads or writes, weights stored as int8 with a
/// DequantizeLinear, biases as int32 with scale S_x·S_w. ORT's graph optimizer then fuses each
/// DQ → op → Q group into the integer kernel the plan names.
public struct QDQWriter {
    public let model: Model
    public let analysis: GraphAnalysis
    public let plan: QuantizationPlan
    public let ranges: [String: ValueRange]
    public let settings: QuantizationSettings

    public struct Output: Sendable {
        public var model: Model
        public var layers: [LayerArithmetic]
        /// Every activation carrying Q/DQ, with its parameters (graph inputs included).
        public var activations: [String: QuantizationParameters] = [:]
        /// Notes for the user (an opset upgrade, say).
        public var notes: [String]
    }

    public init(model: Model, analysis: GraphAnalysis, plan: QuantizationPlan, ranges: [String: ValueRange], settings: QuantizationSettings) {
        self.model = model; self.analysis = analysis; self.plan = plan; self.ranges = ranges; self.settings = settings
    }

    public func write() throws -> Output {
        var notes: [String] = []
        var out = model
        try OpsetUpgrade.prepare(&out, perChannel: settings.perChannel, notes: &notes)
        let scope = analysis.index.main
        let graph = model.graph
        let decisions = plan.decisions
        let isInt8 = { (i: Int) in decisions[i].precision == .int8 }

        // Relu/Clip folded away: the producer writes the activation's output directly.
        var alias: [String: String] = [:]
        var removed = Set<Int>()
        for d in decisions where d.precision == .int8 && d.role == .foldableActivation {
            let n = scope.node(d.node)
            alias[n.inputs[0]] = n.outputs[0]
            removed.insert(d.node)
        }
        func constant(_ v: String) -> Tensor? { v.isEmpty ? nil : scope.constantTensor(named: v) }

        // Which values carry Q/DQ.
        var quantized = Set<String>()
        for d in decisions where isInt8(d.node) && !removed.contains(d.node) {
            let n = scope.node(d.node)
            switch d.role {
            case .compute:
                for v in n.inputs where !v.isEmpty && constant(v) == nil { quantized.insert(v) }
                for o in n.outputs where !o.isEmpty {
                    let t = alias[o] ?? o
                    // QGemm and MatMulIntegerToFloat can write float: a result only float
                    // nodes (or the graph's output) read keeps its precision.
                    let readByInt8 = scope.consumers(of: o).contains { isInt8($0) && !removed.contains($0) }
                        || (alias[o].map { y in scope.consumers(of: y).contains { isInt8($0) } } ?? false)
                    if (n.opType == "Gemm" || n.opType == "MatMul") && alias[o] == nil && !readByInt8 { continue }
                    quantized.insert(t)
                }
            case .rescale(_, let slot):
                quantized.insert(n.inputs[slot])
            case .sharedScale:
                quantized.insert(n.inputs[0])
                for o in n.outputs where !o.isEmpty { quantized.insert(o) }
            default: break
            }
        }

        // Parameters per quantized value; data movement reuses its input's.
        var producer: [String: Int] = [:]
        for i in 0..<scope.nodeCount { for o in scope.node(i).outputs where !o.isEmpty { producer[alias[o] ?? o] = i } }
        var params: [String: (QuantizationParameters, scale: String, zero: String)] = [:]
        var newInitializers: [Tensor] = []
        let saturating = SaturatingReaders.intervals(in: analysis)
        var narrowed: [(value: String, from: ValueRange, to: ValueRange)] = []
        func activationParameters(_ v: String) throws -> (QuantizationParameters, scale: String, zero: String) {
            if let p = params[v] { return p }
            if let p = producer[v], decisions[p].role == .sharedScale, isInt8(p) {
                let r = try activationParameters(scope.node(p).inputs[0])
                params[v] = r
                return r
            }
            guard var range = ranges[v] else {
                throw QuantizationError("no calibrated range for '\(v)' (the range cache does not match this model; delete it or pass --cache)")
            }
            if let active = saturating[v] {
                let cut = SaturatingReaders.narrow(range, to: active)
                if cut != range { narrowed.append((v, range, cut)); range = cut }
            }
            let q = QuantizationParameters.forRange(min: range.min, max: range.max, type: settings.activations, symmetric: settings.symmetricActivations)
            let base = Self.safeName(v)
            newInitializers.append(.floats(base + "_scale", q.scales, dims: []))
            newInitializers.append(.quantized(base + "_zero_point", q.zeroPoints, type: settings.activations, dims: []))
            let r = (q, scale: base + "_scale", zero: base + "_zero_point")
            params[v] = r
            return r
        }

        var nodes: [Node] = []
        var inputRename: [String: String] = [:]
        // The integer tensor behind each quantized value: its QuantizeLinear's output, or for a
        // folded rescale (Mul/Div by a constant) that of the rescaled input.
        var integerOf: [String: String] = [:]
        func emitQDQ(from source: String, to target: String, value: String) throws {
            let (_, s, z) = try activationParameters(value)
            let base = Self.safeName(value)
            integerOf[value] = base + "_quantized"
            nodes.append(Node(opType: "QuantizeLinear", name: base + "_QuantizeLinear", inputs: [source, s, z], outputs: [base + "_quantized"]))
            nodes.append(Node(opType: "DequantizeLinear", name: base + "_DequantizeLinear", inputs: [base + "_quantized", s, z], outputs: [target]))
        }
        let initializerNames = Set(graph.initializers.map(\.name))
        for input in graph.inputs where quantized.contains(input.name) && !initializerNames.contains(input.name) {
            let dq = Self.safeName(input.name) + "_dequantized"
            try emitQDQ(from: input.name, to: dq, value: input.name)
            inputRename[input.name] = dq
        }

        var weightCache: [String: String] = [:]
        var layers: [LayerArithmetic] = []
        for i in scope.topologicalOrder where !removed.contains(i) {
            var node = scope.node(i)
            node.inputs = node.inputs.map { inputRename[$0] ?? $0 }
            let d = decisions[i]
            if isInt8(i), case .rescale(let factor, let slot) = d.role {
                // y = x · k becomes DequantizeLinear(x's integers, S_x · k, Z_x): no node runs.
                let original = scope.node(i)
                let x = original.inputs[slot], y = original.outputs[0]
                let (px, _, zx) = try activationParameters(x)
                guard let integers = integerOf[x] else { throw QuantizationError("internal: '\(x)' has no integer tensor before the rescale \(d.name)") }
                let py = QuantizationParameters(type: px.type, scales: [Float(Double(px.scales[0]) * factor)], zeroPoints: px.zeroPoints)
                let base = Self.safeName(y)
                newInitializers.append(.floats(base + "_scale", py.scales, dims: []))
                params[y] = (py, scale: base + "_scale", zero: zx)
                integerOf[y] = integers
                nodes.append(Node(opType: "DequantizeLinear", name: base + "_DequantizeLinear", inputs: [integers, base + "_scale", zx], outputs: [y]))
                continue
            }
            if isInt8(i), case .compute(let kernel) = d.role {
                var layer = LayerArithmetic(node: d.name, opType: node.opType, kernel: kernel, multipliers: [])
                let original = scope.node(i)
                // Activation operands.
                var activationOperands: [LayerArithmetic.Operand] = []
                for v in original.inputs where !v.isEmpty && constant(v) == nil {
                    activationOperands.append(.init(tensor: v, parameters: try activationParameters(v).0))
                }
                layer.input = activationOperands.first
                if activationOperands.count > 1 { layer.weight = activationOperands[1] }
                // Constant operands.
                for (slot, v) in original.inputs.enumerated() where !v.isEmpty {
                    guard let t = constant(v) else { continue }
                    let role = Self.constantRole(op: node.opType, slot: slot, node: original, tensor: t, settings: settings)
                    switch role {
                    case .weight(let axis):
                        let reduced = settings.weightBits == .seven || (settings.weightBits == .sevenWhereOffset && Self.inputHasOffset(layer.input?.parameters))
                        let key = "\(v)|w|\(axis ?? -1)|\(reduced)"
                        let (name, q) = try quantizeWeight(t, axis: axis, cacheKey: key, cache: &weightCache, into: &nodes, initializers: &newInitializers,
                                                           reduced: reduced)
                        node.inputs[slot] = name
                        layer.weight = .init(tensor: v, parameters: q)
                        layer.weightBits = reduced ? 7 : 8
                    case .bias:
                        guard let x = layer.input?.parameters, let w = layer.weight?.parameters else { continue }
                        let (name, scales) = try quantizeBias(t, input: x, weight: w, node: d.name, into: &nodes, initializers: &newInitializers)
                        node.inputs[slot] = name
                        layer.biasScales = scales
                    case .activationConstant:
                        let key = "\(v)|a"
                        let (name, q) = try quantizeWeight(t, axis: nil, cacheKey: key, cache: &weightCache, into: &nodes, initializers: &newInitializers, type: settings.activations, symmetric: settings.symmetricActivations)
                        node.inputs[slot] = name
                        if layer.input == nil { layer.input = .init(tensor: v, parameters: q) } else if layer.weight == nil { layer.weight = .init(tensor: v, parameters: q) }
                    case .keep: break
                    }
                }
                // Output and multipliers.
                if let o = original.outputs.first, quantized.contains(alias[o] ?? o) {
                    let t = alias[o] ?? o
                    layer.output = .init(tensor: t, parameters: try activationParameters(t).0)
                }
                if let x = layer.input?.parameters, let w = layer.weight?.parameters {
                    let sy = Double(layer.output?.parameters.scales[0] ?? 1)
                    layer.multipliers = w.scales.map { FixedPointMultiplier(Double(x.scales[0]) * Double($0) / sy) }
                }
                layers.append(layer)
            }
            // Outputs: a quantized value is written under a new name, then Q → DQ restores it.
            var after: [(String, String)] = []
            for (k, o) in node.outputs.enumerated() where !o.isEmpty {
                let t = alias[o] ?? o
                if quantized.contains(t) {
                    let pre = Self.safeName(t) + "_prequant"
                    node.outputs[k] = pre
                    after.append((pre, t))
                } else if t != o {
                    node.outputs[k] = t
                }
            }
            nodes.append(node)
            for (pre, t) in after { try emitQDQ(from: pre, to: t, value: t) }
        }
        if let first = narrowed.first {
            func r(_ x: ValueRange) -> String { String(format: "[%.3g, %.3g]", x.min, x.max) }
            notes.append("\(narrowed.count) value(s) read only by nodes that saturate (HardSigmoid, HardSwish, Clip, Relu) keep their 8-bit levels where "
                         + "those readers tell values apart, e.g. '\(first.value)' \(r(first.from)) → \(r(first.to))")
        }
        out.graph.nodes = nodes
        out.graph.initializers += newInitializers
        Self.dropUnused(&out.graph)
        try Self.inlineExternalData(&out.graph, from: model)
        return Output(model: out, layers: layers, activations: params.mapValues(\.0), notes: notes)
    }

    enum ConstantRole { case weight(axis: Int?), bias, activationConstant, keep }

    static func constantRole(op: String, slot: Int, node: Node, tensor: Tensor, settings: QuantizationSettings) -> ConstantRole {
        let pc = settings.perChannel
        switch op {
        case "Conv": return slot == 1 ? .weight(axis: pc ? 0 : nil) : slot == 2 ? .bias : .keep
        case "Gemm":
            let transB = (node.attribute("transB")?.i ?? 0) != 0
            if slot == 1 { return .weight(axis: pc && tensor.dims.count == 2 ? (transB ? 0 : 1) : nil) }
            return slot == 2 ? .bias : .weight(axis: nil)
        case "MatMul":
            return .weight(axis: pc && slot == 1 && tensor.dims.count == 2 ? 1 : nil)
        default:
            return .activationConstant
        }
    }

    /// Stores a constant as 8-bit integers plus a DequantizeLinear; returns the DQ output name.
    func quantizeWeight(_ t: Tensor, axis: Int?, cacheKey: String, cache: inout [String: String],
                        into nodes: inout [Node], initializers: inout [Tensor],
                        type: QuantizedType? = nil, symmetric: Bool? = nil, reduced: Bool? = nil) throws -> (String, QuantizationParameters) {
        // Weights (no type given) take 7 bits where the CPU needs it; activation constants never.
        let reduced = reduced ?? (type == nil && settings.weightBits == .seven)
        let type = type ?? settings.weights
        let symmetric = symmetric ?? settings.symmetricWeights
        let values = try model.floatValues(t)
        let dims = t.dims
        let channels = axis.map { Int(dims[$0]) } ?? 1
        // Elements of channel c along `axis` are the blocks of `inner` consecutive values.
        let inner = axis.map { a in dims[(a + 1)...].reduce(1) { $0 * Int($1) } } ?? values.count
        var lo = [Double](repeating: .infinity, count: channels), hi = [Double](repeating: -.infinity, count: channels)
        for (k, v) in values.enumerated() {
            let c = axis == nil ? 0 : (k / inner) % channels
            lo[c] = min(lo[c], Double(v)); hi[c] = max(hi[c], Double(v))
        }
        var scales: [Float] = [], zeros: [Int32] = []
        for c in 0..<channels {
            let (s, z) = QuantizationParameters.scaleAndZeroPoint(min: lo[c].isFinite ? lo[c] : 0, max: hi[c].isFinite ? hi[c] : 0, type: type, symmetric: symmetric, reduced: reduced)
            scales.append(s); zeros.append(z)
        }
        let q = QuantizationParameters(type: type, scales: scales, zeroPoints: zeros, axis: axis)
        let base = Self.safeName(t.name) + (axis == nil ? "" : "_per_channel")
        let dqOut = base + "_dequantized"
        if let existing = cache[cacheKey] { return (existing, q) }
        var ints = [Int32](repeating: 0, count: values.count)
        for (k, v) in values.enumerated() {
            let c = axis == nil ? 0 : (k / inner) % channels
            ints[k] = q.quantize(v, channel: c, symmetric: symmetric, reduced: reduced)
        }
        let paramDims: [Int64] = axis == nil ? [] : [Int64(channels)]
        initializers.append(.quantized(base + "_quantized", ints, type: type, dims: dims))
        initializers.append(.floats(base + "_scale", scales, dims: paramDims))
        initializers.append(.quantized(base + "_zero_point", zeros, type: type, dims: paramDims))
        var dq = Node(opType: "DequantizeLinear", name: base + "_DequantizeLinear",
                      inputs: [base + "_quantized", base + "_scale", base + "_zero_point"], outputs: [dqOut])
        if let axis { dq.attributes = [.int("axis", Int64(axis))] }
        nodes.append(dq)
        cache[cacheKey] = dqOut
        return (dqOut, q)
    }

    /// Whether a layer's uint8 input carries an offset that makes u8s8 pair sums overflow
    /// int16 with 8-bit weights: its codes sit at Z for a real 0, so with Z ≥ 64 every product
    /// carries Z·w (PP-OCR's image-fed first Conv, Z 125, kept 16.7 dB); a non-negative input
    /// (after ReLU, Z 0) reaches large codes only at its rare maxima.
    static func inputHasOffset(_ input: QuantizationParameters?) -> Bool {
        guard let input, input.type == .uint8 else { return false }
        return (input.zeroPoints.first ?? 0) >= 64
    }

    /// Bias as int32 with scale S_x·S_w (per channel when the weight is), zero point 0.
    func quantizeBias(_ t: Tensor, input: QuantizationParameters, weight: QuantizationParameters, node: String,
                      into nodes: inout [Node], initializers: inout [Tensor]) throws -> (String, [Double]) {
        let values = try model.floatValues(t)
        let perChannel = weight.scales.count > 1
        guard !perChannel || weight.scales.count == values.count else {
            throw QuantizationError("\(node): bias has \(values.count) values but the weight has \(weight.scales.count) channels")
        }
        let scales = (0..<(perChannel ? values.count : 1)).map { Double(input.scales[0]) * Double(weight.scales[$0]) }
        let ints: [Int32] = values.enumerated().map { k, v in
            let s = scales[perChannel ? k : 0]
            let q = s > 0 ? (Double(v) / s).rounded(.toNearestOrEven) : 0
            return Int32(max(Double(Int32.min), min(Double(Int32.max), q)))
        }
        let base = Self.safeName(node) + "_bias"
        let paramDims: [Int64] = perChannel ? [Int64(values.count)] : []
        initializers.append(.int32s(base + "_quantized", ints, dims: t.dims))
        initializers.append(.floats(base + "_scale", scales.map(Float.init), dims: paramDims))
        initializers.append(.int32s(base + "_zero_point", [Int32](repeating: 0, count: perChannel ? values.count : 1), dims: paramDims))
        var dq = Node(opType: "DequantizeLinear", name: base + "_DequantizeLinear",
                      inputs: [base + "_quantized", base + "_scale", base + "_zero_point"], outputs: [base + "_dequantized"])
        if perChannel { dq.attributes = [.int("axis", 0)] }
        nodes.append(dq)
        return (base + "_dequantized", scales)
    }

    /// Value names become node and tensor names; keep them as they are but never empty.
    static func safeName(_ v: String) -> String { v.isEmpty ? "unnamed" : v }

    /// Removes initializers and Constant nodes nothing reads any more (the float weights).
    static func dropUnused(_ g: inout Graph) {
        var changed = true
        while changed {
            changed = false
            var read = Set(g.outputs.map(\.name))
            for n in g.nodes {
                for v in n.inputs { read.insert(v) }
                for a in n.attributes { for sub in a.subgraphs { read.formUnion(Self.outerReads(sub)) } }
            }
            let before = g.initializers.count + g.nodes.count
            g.initializers.removeAll { !read.contains($0.name) }
            // Constants and Q/DQ nobody reads (a rescale reads its input's integers, not its
            // DequantizeLinear): ORT would still run them, and move them through its layout passes.
            g.nodes.removeAll { ["Constant", "DequantizeLinear", "QuantizeLinear"].contains($0.opType) && $0.isDefaultDomain && $0.outputs.allSatisfy { !read.contains($0) } }
            changed = g.initializers.count + g.nodes.count != before
        }
    }

    /// Copies the bytes of initializers still in the source's external-data file into the new
    /// model: its `location` is relative to the source's folder, and the output goes elsewhere.
    static func inlineExternalData(_ g: inout Graph, from source: Model) throws {
        for i in g.initializers.indices where g.initializers[i].isExternal {
            let t = g.initializers[i]
            let data = try source.tensorData(t)
            var inline = Tensor(name: t.name, dataType: t.dataType, dims: t.dims, rawData: ByteSlice(data.withUnsafeBytes { Array($0) }))
            inline.docString = t.docString
            g.initializers[i] = inline
        }
    }

    /// Every name a sub-graph reads (a superset of its outer references; enough to keep them).
    static func outerReads(_ g: Graph) -> Set<String> {
        var s = Set<String>()
        for n in g.nodes {
            s.formUnion(n.inputs)
            for a in n.attributes { for sub in a.subgraphs { s.formUnion(outerReads(sub)) } }
        }
        return s
    }
}

/// A quantization step failed; the message names the value or node.
public struct QuantizationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
