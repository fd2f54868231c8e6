import OnnxGraph
import OnnxModel

/// Float-to-float rewrites done before quantizing, so the int8 model has fewer, fusable nodes:
/// BatchNormalization after Conv folded into the Conv's weight and bias, and the decomposed
/// normalisation exporters emit (Conv → Mul by a per-channel constant → Add/Sub a constant,
/// as tf2onnx writes BN) folded the same way. The model computes the same function.
public enum Preprocessing {
    public struct Report: Sendable, Equatable {
        /// Folded node names, with the Conv each went into.
        public var folded: [(node: String, into: String)] = []
        /// Constant sub-graph nodes computed into initializers.
        public var constantsFolded: [String] = []
        public static func == (a: Report, b: Report) -> Bool { a.folded.map(\.node) == b.folded.map(\.node) }
    }

    public static func run(_ model: Model) throws -> (Model, Report) {
        var m = model
        var report = Report()
        report.constantsFolded = try ConstantFolding.run(&m)
        var changed = true
        while changed {
            changed = false
            let index = GraphIndex(model: m)
            let scope = index.main
            for i in scope.topologicalOrder {
                let conv = scope.node(i)
                guard conv.opType == "Conv", conv.isDefaultDomain, let out = conv.outputs.first,
                      let w = scope.constantTensor(named: conv.inputs[1]), w.dims.count >= 3 else { continue }
                let readers = scope.consumers(of: out)
                guard readers.count == 1, !m.graph.outputs.contains(where: { $0.name == out }) else { continue }
                let next = scope.node(readers[0])
                guard next.isDefaultDomain, let fold = try channelAffine(next, input: out, scope: scope, model: m, channels: Int(w.dims[0]), outputRank: w.dims.count) else { continue }
                // New weight and bias: W'[c] = W[c]·a[c], b'[c] = b[c]·a[c] + d[c].
                var weight = try m.floatValues(w)
                let channels = Int(w.dims[0]), per = weight.count / channels
                for c in 0..<channels { for k in 0..<per { weight[c * per + k] *= fold.scale[c] } }
                var bias = [Float](repeating: 0, count: channels)
                if conv.inputs.count > 2, !conv.inputs[2].isEmpty {
                    guard let b = scope.constantTensor(named: conv.inputs[2]) else { continue }
                    bias = try m.floatValues(b)
                    guard bias.count == channels else { continue }
                }
                for c in 0..<channels { bias[c] = bias[c] * fold.scale[c] + fold.shift[c] }
                let base = (conv.name.isEmpty ? out : conv.name)
                let wName = base + "_folded_weight", bName = base + "_folded_bias"
                m.graph.initializers.removeAll { $0.name == wName || $0.name == bName }
                m.graph.initializers.append(.floats(wName, weight, dims: w.dims))
                m.graph.initializers.append(.floats(bName, bias, dims: [Int64(channels)]))
                var newConv = conv
                newConv.inputs = [conv.inputs[0], wName, bName]
                newConv.outputs = [next.outputs[0]]
                let convPos = m.graph.nodes.firstIndex(of: conv)!, nextPos = m.graph.nodes.firstIndex(of: next)!
                m.graph.nodes[convPos] = newConv
                m.graph.nodes.remove(at: nextPos)
                report.folded.append((scope.displayName(readers[0]), scope.displayName(i)))
                QDQWriter.dropUnused(&m.graph)
                changed = true
                break
            }
        }
        return (m, report)
    }

    /// y = a[c]·x + d[c] per output channel, when `node` is one (BatchNormalization in
    /// inference form, or Mul/Add/Sub by a constant that is a scalar or per-channel [C,1,1…]).
    static func channelAffine(_ node: Node, input: String, scope: GraphScope, model: Model, channels: Int, outputRank: Int) throws -> (scale: [Float], shift: [Float])? {
        func const(_ v: String) throws -> [Float]? {
            guard let t = scope.constantTensor(named: v), t.dataType == .float else { return nil }
            let values = try model.floatValues(t)
            if values.count == 1 { return [Float](repeating: values[0], count: channels) }
            // Per channel only when the constant lines up with the channel axis under
            // broadcasting ([C,1,1] or [1,C,1,1] for a 2-D Conv); a [C] would hit the last axis.
            guard values.count == channels, let c = t.dims.firstIndex(of: Int64(channels)),
                  t.dims.count - 1 - c == outputRank - 2 else { return nil }
            return values
        }
        switch node.opType {
        case "BatchNormalization":
            guard node.inputs.count >= 5, node.inputs[0] == input, node.outputs.count == 1 || node.outputs.dropFirst().allSatisfy(\.isEmpty),
                  (node.attribute("training_mode")?.i ?? 0) == 0,
                  let g = scope.constantTensor(named: node.inputs[1]), let b = scope.constantTensor(named: node.inputs[2]),
                  let mean = scope.constantTensor(named: node.inputs[3]), let variance = scope.constantTensor(named: node.inputs[4]) else { return nil }
            let eps = node.attribute("epsilon")?.f ?? 1e-5
            let gv = try model.floatValues(g), bv = try model.floatValues(b), mv = try model.floatValues(mean), vv = try model.floatValues(variance)
            guard [gv, bv, mv, vv].allSatisfy({ $0.count == channels }) else { return nil }
            let a = (0..<channels).map { gv[$0] / (vv[$0] + eps).squareRoot() }
            return (a, (0..<channels).map { bv[$0] - mv[$0] * a[$0] })
        case "Mul", "Add", "Sub":
            guard node.inputs.count == 2 else { return nil }
            let other = node.inputs[0] == input ? node.inputs[1] : node.inputs[1] == input ? node.inputs[0] : nil
            guard let other, other != input, let c = try const(other) else { return nil }
            switch node.opType {
            case "Mul": return (c, [Float](repeating: 0, count: channels))
            case "Add": return ([Float](repeating: 1, count: channels), c)
            default:
                // x − c folds; c − x would flip the sign of the weight: a·x + d with a = −1.
                return node.inputs[0] == input ? ([Float](repeating: 1, count: channels), c.map { -$0 })
                    : ([Float](repeating: -1, count: channels), c)
            }
        default: return nil
        }
    }
}
