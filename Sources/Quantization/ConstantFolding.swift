import OnnxGraph
import OnnxModel

/// Folds the small constant sub-graphs exporters leave in front of weights — Transpose, Cast to
/// float, Identity, DequantizeLinear of stored integers, and shape-only ops (Reshape, Flatten,
/// Squeeze, Unsqueeze) — into initializers, so the quantizer sees a constant weight (and can
/// store it as int8) instead of a value computed at run time.
enum ConstantFolding {
    static let foldable: Set<String> = ["Transpose", "Cast", "Identity", "DequantizeLinear", "Reshape", "Flatten", "Squeeze", "Unsqueeze"]

    /// Folds until nothing changes; returns the folded node names.
    static func run(_ m: inout Model) throws -> [String] {
        var folded: [String] = []
        var changed = true
        while changed {
            changed = false
            let scope = GraphIndex(model: m).main
            let outputs = Set(m.graph.outputs.map(\.name))
            for i in scope.topologicalOrder {
                let node = scope.node(i)
                guard node.isDefaultDomain, foldable.contains(node.opType), node.outputs.count == 1, !outputs.contains(node.outputs[0]),
                      let x = scope.constantTensor(named: node.inputs[0]),
                      node.inputs.dropFirst().allSatisfy({ $0.isEmpty || scope.constantTensor(named: $0) != nil }),
                      let values = try? fold(node, x, scope: scope, model: m) else { continue }
                let t = Tensor.floats(node.outputs[0], values.data, dims: values.dims)
                m.graph.nodes.removeAll { $0 == node }
                m.graph.initializers.append(t)
                folded.append(scope.displayName(i))
                QDQWriter.dropUnused(&m.graph)
                changed = true
                break
            }
        }
        return folded
    }

    /// The folded value as float32, or nil when the op is not one this folds (a Cast to int).
    static func fold(_ node: Node, _ x: Tensor, scope: GraphScope, model: Model) throws -> (data: [Float], dims: [Int64])? {
        func ints(_ k: Int) throws -> [Int64]? {
            guard k < node.inputs.count, !node.inputs[k].isEmpty, let t = scope.constantTensor(named: node.inputs[k]) else { return nil }
            return try model.tensorValues(t).map { Int64($0) }
        }
        let dims = x.dims
        let rank = dims.count
        switch node.opType {
        case "Identity":
            guard x.dataType == .float else { return nil }
            return (try model.floatValues(x), dims)
        case "Cast":
            guard node.attribute("to")?.i == 1, x.dataType != .string else { return nil }
            return (try model.floatValues(x), dims)
        case "DequantizeLinear":
            guard let s = scope.constantTensor(named: node.inputs[1]) else { return nil }
            let q = try model.tensorValues(x), scales = try model.floatValues(s)
            let zeros = try (node.inputs.count > 2 && !node.inputs[2].isEmpty ? scope.constantTensor(named: node.inputs[2]).map { try model.tensorValues($0) } : nil)
                ?? [Double](repeating: 0, count: scales.count)
            guard node.attribute("block_size") == nil, zeros.count == scales.count else { return nil }
            let axis = Int(node.attribute("axis")?.i ?? 1), a = axis < 0 ? axis + rank : axis
            let inner = scales.count > 1 && a < rank ? dims[(a + 1)...].reduce(1) { $0 * Int($1) } : q.count
            return (q.enumerated().map { k, v in
                let c = scales.count > 1 ? (k / inner) % scales.count : 0
                return Float((v - zeros[c]) * Double(scales[c]))
            }, dims)
        case "Transpose":
            guard x.dataType == .float else { return nil }
            let v = try model.floatValues(x)
            let perm = node.attribute("perm")?.ints.map(Int.init) ?? Array((0..<rank).reversed())
            guard perm.count == rank, Set(perm) == Set(0..<rank) else { return nil }
            let outDims = perm.map { dims[$0] }
            var inStrides = [Int](repeating: 1, count: rank)
            for k in stride(from: rank - 2, through: 0, by: -1) { inStrides[k] = inStrides[k + 1] * Int(dims[k + 1]) }
            var out = [Float](repeating: 0, count: v.count)
            var index = [Int](repeating: 0, count: rank)
            for o in 0..<v.count {
                var src = 0
                for k in 0..<rank { src += index[k] * inStrides[perm[k]] }
                out[o] = v[src]
                var k = rank - 1
                while k >= 0 { index[k] += 1; if index[k] < Int(outDims[k]) { break }; index[k] = 0; k -= 1 }
            }
            return (out, outDims)
        case "Reshape", "Flatten", "Squeeze", "Unsqueeze":
            guard x.dataType == .float else { return nil }
            let v = try model.floatValues(x)
            var outDims: [Int64]
            switch node.opType {
            case "Reshape":
                guard var shape = try ints(1) else { return nil }
                for k in shape.indices where shape[k] == 0 && (node.attribute("allowzero")?.i ?? 0) == 0 { shape[k] = k < rank ? dims[k] : 1 }
                if let m = shape.firstIndex(of: -1) {
                    let known = shape.enumerated().filter { $0.offset != m }.map(\.element).reduce(1, *)
                    guard known > 0 else { return nil }
                    shape[m] = Int64(v.count) / known
                }
                outDims = shape
            case "Flatten":
                let a0 = Int(node.attribute("axis")?.i ?? 1), a = a0 < 0 ? a0 + rank : a0
                outDims = [dims[..<a].reduce(1, *), dims[a...].reduce(1, *)]
            case "Squeeze":
                let axes = (try ints(1) ?? node.attribute("axes")?.ints)?.map { $0 < 0 ? $0 + Int64(rank) : $0 }
                outDims = dims.enumerated().filter { e in axes.map { !$0.contains(Int64(e.offset)) } ?? (e.element != 1) }.map(\.element)
            default:
                guard let raw = try ints(1) ?? node.attribute("axes")?.ints else { return nil }
                let outRank = rank + raw.count
                let axes = Set(raw.map { $0 < 0 ? $0 + Int64(outRank) : $0 })
                var it = dims.makeIterator()
                outDims = (0..<outRank).map { axes.contains(Int64($0)) ? 1 : (it.next() ?? 1) }
            }
            guard outDims.reduce(1, *) == Int64(v.count) else { return nil }
            return (v, outDims)
        default: return nil
        }
    }
}
