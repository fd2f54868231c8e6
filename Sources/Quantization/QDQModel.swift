import Foundation
import OnnxGraph
import OnnxModel

/// A model that is already quantized (QAT export, or a QDQ model from any quantizer): its
/// DequantizeLinear → op → QuantizeLinear groups read back as layers with their S, Z and M,
/// and chosen nodes turned back to float (`--dequantize`).
public enum QDQModel {
    /// The quantized layers: compute nodes whose inputs come from DequantizeLinear.
    public static func layers(of model: Model) throws -> [LayerArithmetic] {
        let index = GraphIndex(model: model)
        let scope = index.main
        func params(dq: Node) throws -> QuantizationParameters? {
            guard dq.inputs.count >= 2, let s = scope.constantTensor(named: dq.inputs[1]) else { return nil }
            let scales = try model.floatValues(s)
            var zeros = [Int32](repeating: 0, count: scales.count)
            var type = QuantizedType.uint8
            if dq.inputs.count > 2, !dq.inputs[2].isEmpty, let z = scope.constantTensor(named: dq.inputs[2]) {
                zeros = try model.tensorValues(z).map { Int32($0) }
                type = z.dataType == .int8 ? .int8 : .uint8
            } else if let x = scope.constantTensor(named: dq.inputs[0]) { type = x.dataType == .int8 ? .int8 : .uint8 }
            let axis = scales.count > 1 ? Int(dq.attribute("axis")?.i ?? 1) : nil
            return QuantizationParameters(type: type, scales: scales, zeroPoints: zeros, axis: axis)
        }
        var out: [LayerArithmetic] = []
        for i in scope.topologicalOrder {
            let node = scope.node(i)
            guard node.isDefaultDomain, let kernel = QuantizableOps.computeKernels[node.opType] else { continue }
            let dqs = node.inputs.map { v -> Node? in
                guard let p = scope.producerNode(of: v) else { return nil }
                let n = scope.node(p)
                return n.opType == "DequantizeLinear" ? n : nil
            }
            guard let first = dqs.first, let xdq = first else { continue }
            var layer = LayerArithmetic(node: scope.displayName(i), opType: node.opType, kernel: kernel, multipliers: [])
            if let p = try params(dq: xdq) { layer.input = .init(tensor: xdq.inputs[0], parameters: p) }
            if dqs.count > 1, let wdq = dqs[1], let p = try params(dq: wdq) { layer.weight = .init(tensor: wdq.inputs[0], parameters: p) }
            if let o = node.outputs.first, let q = scope.consumers(of: o).map({ scope.node($0) }).first(where: { $0.opType == "QuantizeLinear" }),
               let p = try params(dq: q) {
                layer.output = .init(tensor: o, parameters: p)
            }
            if let x = layer.input?.parameters, let w = layer.weight?.parameters {
                let sy = Double(layer.output?.parameters.scales[0] ?? 1)
                layer.multipliers = w.scales.map { FixedPointMultiplier(Double(x.scales[0]) * Double($0) / sy) }
            }
            if dqs.count > 2, let bdq = dqs[2], let p = try params(dq: bdq) { layer.biasScales = p.scales.map(Double.init) }
            // A float node that merely reads a dequantized value is not a quantized layer.
            guard layer.output != nil || (layer.weight != nil && dqs.count > 1 && dqs[1].map { scope.constantTensor(named: $0.inputs[0]) != nil } == true) else { continue }
            out.append(layer)
        }
        return out
    }

    /// Turns `nodes` (display names; empty means every node) back to float: their
    /// DequantizeLinear inputs are bypassed (constant weights become float initializers,
    /// activations are read before their QuantizeLinear). The Q/DQ after a node stays when an
    /// int8 neighbour still reads it, so the neighbours keep their integer kernels.
    public static func dequantize(_ model: Model, nodes: Set<String>) throws -> Model {
        let index = GraphIndex(model: model)
        let scope = index.main
        let all = nodes.isEmpty
        let names = Set((0..<scope.nodeCount).map { scope.displayName($0) })
        for n in nodes where !names.contains(n) { throw QuantizationError("--dequantize: no node named '\(n)' in the main graph") }
        var m = model
        var added: [Tensor] = []
        var floatOf: [String: String] = [:]   // DQ output -> float value to read instead
        // A Q whose zero point is the integer minimum clamps at 0: exporters and quantizers
        // (ORT's among them) remove a ReLU into it. Reading before the Q keeps the clamp as a Relu.
        var clampAt: [Int: Node] = [:]         // DQ index -> Relu to put in its place
        func clamps(_ q: Node) -> Bool {
            guard q.inputs.count > 2, !q.inputs[2].isEmpty else { return true }   // no zero point: uint8, Z = 0
            guard let z = scope.constantTensor(named: q.inputs[2]), let zv = try? model.tensorValues(z).first else { return false }
            return (z.dataType == .uint8 && zv == 0) || (z.dataType == .int8 && zv == -128)
        }
        // Values that are ≥ 0 anyway (after a ReLU-like op, or moved/pooled from such a value),
        // where putting the clamp back would only add a node.
        func nonNegative(_ v: String, depth: Int = 0) -> Bool {
            guard depth < 64, let p = scope.producerNode(of: v) else { return false }
            let n = scope.node(p)
            switch n.opType {
            case "Relu", "Sigmoid", "Softmax": return true
            case "DequantizeLinear":
                guard let q = scope.producerNode(of: n.inputs[0]).map({ scope.node($0) }), q.opType == "QuantizeLinear" else { return false }
                return clamps(q) || nonNegative(q.inputs[0], depth: depth + 1)
            case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Concat":
                return n.inputs.filter { !$0.isEmpty && scope.constantTensor(named: $0) == nil }.allSatisfy { nonNegative($0, depth: depth + 1) }
            default: return false
            }
        }
        for i in 0..<scope.nodeCount {
            let dq = scope.node(i)
            guard dq.opType == "DequantizeLinear", dq.isDefaultDomain, let out = dq.outputs.first else { continue }
            if let x = scope.constantTensor(named: dq.inputs[0]) {
                // A stored weight: dequantize it offline.
                guard let s = scope.constantTensor(named: dq.inputs[1]) else { continue }
                let q = try model.tensorValues(x), scales = try model.floatValues(s)
                var zeros = [Double](repeating: 0, count: scales.count)
                if dq.inputs.count > 2, !dq.inputs[2].isEmpty, let z = scope.constantTensor(named: dq.inputs[2]) { zeros = try model.tensorValues(z) }
                let axis = Int(dq.attribute("axis")?.i ?? 1)
                let a = axis < 0 ? axis + x.dims.count : axis
                let inner = scales.count > 1 ? x.dims[(a + 1)...].reduce(1) { $0 * Int($1) } : q.count
                let values: [Float] = q.enumerated().map { k, v in
                    let c = scales.count > 1 ? (k / inner) % scales.count : 0
                    return Float((v - zeros[c]) * Double(scales[c]))
                }
                let name = out + "_float"
                added.append(.floats(name, values, dims: x.dims))
                floatOf[out] = name
            } else if let p = scope.producerNode(of: dq.inputs[0]), scope.node(p).opType == "QuantizeLinear" {
                let q = scope.node(p)
                let clampsAtZero = clamps(q)
                let before = q.inputs[0]
                if clampsAtZero && !nonNegative(before) {
                    let relu = Node(opType: "Relu", name: QDQWriter.safeName(before) + "_clamp_Relu", inputs: [before], outputs: [QDQWriter.safeName(before) + "_clamped"])
                    clampAt[i] = relu
                    floatOf[out] = relu.outputs[0]
                } else {
                    floatOf[out] = before
                }
            }
        }
        var nodesOut: [Node] = []
        for i in 0..<scope.nodeCount {
            if let relu = clampAt[i] { nodesOut.append(relu) }
            var node = scope.node(i)
            let target = all ? !["QuantizeLinear", "DequantizeLinear"].contains(node.opType) : nodes.contains(scope.displayName(i))
            if target { node.inputs = node.inputs.map { floatOf[$0] ?? $0 } }
            nodesOut.append(node)
        }
        m.graph.nodes = nodesOut
        m.graph.initializers += added
        if all {
            // Graph outputs written by a DQ read the float value directly.
            for o in m.graph.outputs {
                if let f = floatOf[o.name], let p = m.graph.nodes.firstIndex(where: { $0.outputs.contains(f) }) {
                    if let slot = m.graph.nodes[p].outputs.firstIndex(of: f) {
                        // Rename the float producer's output to the graph output and rewire readers.
                        for j in m.graph.nodes.indices { m.graph.nodes[j].inputs = m.graph.nodes[j].inputs.map { $0 == f ? o.name : $0 } }
                        m.graph.nodes[p].outputs[slot] = o.name
                        m.graph.nodes.removeAll { $0.opType == "DequantizeLinear" && $0.outputs == [o.name] && $0.inputs.first != o.name }
                    }
                }
            }
        }
        // Q/DQ nothing reads any more, and the int8 weights they held.
        var changed = true
        while changed {
            let read = Set(m.graph.nodes.flatMap(\.inputs) + m.graph.outputs.map(\.name))
            let before = m.graph.nodes.count
            m.graph.nodes.removeAll { ($0.opType == "QuantizeLinear" || $0.opType == "DequantizeLinear") && $0.outputs.allSatisfy { !read.contains($0) } }
            changed = m.graph.nodes.count != before
        }
        QDQWriter.dropUnused(&m.graph)
        return m
    }
}
