import OnnxGraph
import OnnxModel

/// A reason the target's EP would accept the nodes at partitioning and then fail the whole
/// session when it compiles them, instead of falling back to the CPU EP. OpenVINO does this;
/// a table of ops cannot show it, the graph can.
public struct CompileRisk: Sendable, Hashable {
    /// The node it comes from, as the report names it.
    public let node: String
    /// The value at fault (the EP's error names it).
    public let value: String
    /// What goes wrong.
    public let problem: String
    /// What to change.
    public let fix: String
}

/// The compile-time failures of the OpenVINO CPU plug-in that the graph shows.
enum OpenVINOCompileRisks {
    /// An If whose branches give an output of different ranks makes that output's rank dynamic,
    /// and the CPU plug-in refuses values of dynamic rank ("CPU plug-in doesn't support
    /// Parameter operation with dynamic rank", measured on silero-vad). Only Ifs the EP is
    /// given count: in its partitions, or inside the bodies of nodes it takes.
    static func find(_ nodes: [NodeSupport], index: GraphIndex, shapes: ShapeInferenceResult) -> [CompileRisk] {
        var risks: [CompileRisk] = []
        for n in nodes where n.supported && n.op == "ai.onnx:If" {
            for (output, rt, re) in IfBranches.rankMismatches(scope: n.scope, node: n.node, index: index, shapes: shapes) {
                risks.append(CompileRisk(
                    node: n.name, value: output,
                    problem: "'\(output)' has rank \(rt) from then_branch and rank \(re) from else_branch, so its rank is dynamic and "
                        + "the OpenVINO CPU plug-in refuses it when it compiles the graph: the session fails, nothing falls back",
                    fix: "make both branches give '\(output)' the same rank (move the Squeeze/Unsqueeze after the If in the exporting code), "
                        + "or leave the model to the CPU EP"))
            }
        }
        return risks
    }

}

/// The two branches of an If, compared output by output.
enum IfBranches {
    /// Outputs whose rank differs between then_branch and else_branch (both known): the
    /// If's output name and the two ranks.
    static func rankMismatches(scope s: Int, node n: Int, index: GraphIndex, shapes: ShapeInferenceResult) -> [(String, Int, Int)] {
        let scope = index.scopes[s]
        let node = scope.node(n)
        guard node.opType == "If" else { return [] }
        let bodies = scope.subgraphScopes(of: n).map { index.scopes[$0] }
        guard let thenBody = bodies.first(where: { $0.parent?.attribute == "then_branch" }),
              let elseBody = bodies.first(where: { $0.parent?.attribute == "else_branch" }) else { return [] }
        var out: [(String, Int, Int)] = []
        for (k, (t, e)) in zip(thenBody.graph.outputs, elseBody.graph.outputs).enumerated() {
            guard let rt = rank(t.name, in: thenBody, shapes: shapes), let re = rank(e.name, in: elseBody, shapes: shapes), rt != re else { continue }
            out.append((k < node.outputs.count ? node.outputs[k] : "output \(k)", rt, re))
        }
        return out
    }

    static func rankMismatch(scope: Int, node: Int, index: GraphIndex, shapes: ShapeInferenceResult) -> (String, Int, Int)? {
        rankMismatches(scope: scope, node: node, index: index, shapes: shapes).first
    }

    /// The rank of a body output: declared on the body's outputs, or inferred.
    static func rank(_ name: String, in scope: GraphScope, shapes: ShapeInferenceResult) -> Int? {
        if let declared = scope.graph.outputs.first(where: { $0.name == name }), let r = declared.type?.shape?.rank { return r }
        return shapes.facts(name, scope: scope.id)?.rank
    }
}
