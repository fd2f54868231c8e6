import OnnxGraph
import OnnxModel

/// The shape computations exporters emit for dynamic dims (BERT's `Shape → Gather → Unsqueeze
/// → Concat → Reshape`, masks built with `ConstantOfShape`/`Range`/`Expand`): nodes that only
/// compute small integer tensors from the shapes of run-time values. Accelerator EPs take none
/// of them (Shape is not in their tables, their inputs are dynamic), so each one cuts the
/// graph; fixing the dims they read lets ORT fold them away.
public struct ShapeComputation: Sendable {
    /// Nodes of the computation (Shape/Size readers and the arithmetic on their results).
    public let nodes: [NodeRef]
    /// Node count per op type, most first.
    public let ops: [(op: String, count: Int)]
    /// Free input dims the computed shapes depend on, with how many Shape/Size nodes read
    /// a value whose shape holds that dim.
    public let dependsOn: [(dim: String, readers: Int)]
    /// Where the computed shapes are used: op type of the consuming node, with a count.
    public let usedBy: [(op: String, count: Int)]

    public var isEmpty: Bool { nodes.isEmpty }

    /// Ops whose output is still a small integer tensor when every input is one (or a constant).
    static let arithmetic: Set<String> = ["Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "Add", "Sub", "Mul",
                                          "Div", "Floor", "Ceil", "Equal", "Less", "Greater", "Where", "Min", "Max", "Neg",
                                          "Abs", "ReduceProd", "ReduceMin", "ReduceMax", "Reshape", "Identity", "Not", "And", "Or", "Mod"]

    /// Finds the shape computations in every scope of `index`. `shapes` give the inputs' dims
    /// (with the user's dims bound); `freeDims` are the model's free input dims by name.
    public static func find(index: GraphIndex, shapes: ShapeInferenceResult, freeDims: Set<String>) -> ShapeComputation {
        var members: [NodeRef] = []
        var ops: [String: Int] = [:], used: [String: Int] = [:], depends: [String: Int] = [:]
        for scope in index.scopes {
            var shapeValues = Set<String>()
            var inComputation = Set<Int>()
            func constant(_ name: String) -> Bool {
                var s: Int? = scope.id
                while let cur = s {
                    if index.scopes[cur].constantTensor(named: name) != nil { return true }
                    s = index.scopes[cur].parent?.scope
                }
                return false
            }
            for n in scope.topologicalOrder {
                let node = scope.node(n)
                guard node.isDefaultDomain else { continue }
                let inputs = node.inputs.filter { !$0.isEmpty }
                var member = false
                if node.opType == "Shape" || node.opType == "Size" {
                    member = true
                    if let dims = shapes.facts(node.inputs.first ?? "", scope: scope.id)?.dims {
                        for dim in Set(dims.flatMap { symbols(in: $0, of: freeDims) }) { depends[dim, default: 0] += 1 }
                    }
                } else if arithmetic.contains(node.opType), inputs.contains(where: shapeValues.contains),
                          inputs.allSatisfy({ shapeValues.contains($0) || constant($0) }) {
                    member = true
                }
                if member {
                    inComputation.insert(n)
                    shapeValues.formUnion(node.outputs.filter { !$0.isEmpty })
                    members.append(NodeRef(scope: scope.id, node: n))
                    ops[node.opType, default: 0] += 1
                }
            }
            // Consumers outside the computation that read a computed shape.
            for n in 0..<scope.nodeCount where !inComputation.contains(n) {
                let node = scope.node(n)
                if node.inputs.contains(where: shapeValues.contains) { used[node.opType, default: 0] += 1 }
            }
        }
        func sorted(_ d: [String: Int]) -> [(String, Int)] { d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) } }
        return ShapeComputation(nodes: members, ops: sorted(ops).map { (op: $0.0, count: $0.1) },
                                dependsOn: sorted(depends).map { (dim: $0.0, readers: $0.1) },
                                usedBy: sorted(used).map { (op: $0.0, count: $0.1) })
    }

    /// The free dims a dim mentions: itself, or the identifiers of an expression like
    /// `floor((sequence + 64)/128)` or a product `12*batch*seq`.
    static func symbols(in d: Dimension, of free: Set<String>) -> [String] {
        guard case .param(let p) = d else { return [] }
        if free.contains(p) { return [p] }
        var out: [String] = [], token = ""
        for ch in p + " " {
            if !ch.isWhitespace && !"()+-*/%".contains(ch) { token.append(ch); continue }
            if free.contains(token) { out.append(token) }
            token = ""
        }
        return out
    }
}
