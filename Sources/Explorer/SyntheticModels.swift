import OnnxModel

/// Generated models for scale tests and the frame benchmark.
public enum SyntheticModels {
    /// An LLM-export-like model: embedding, then `blocks` decoder blocks named as the exporters
    /// name them (`/model/layers.N/self_attn/q_proj/MatMul`), each with pre-norm attention
    /// (Q/K/V projections, a shape side-computation, scaled softmax) and a gated MLP, joined by
    /// residual adds. 29 nodes per block; 1034 blocks make the 30k-node benchmark graph.
    /// Weights are tiny placeholder tensors (the structure is what matters for the explorer).
    public static func decoderChain(blocks: Int, hidden: Int64 = 8) -> Model {
        var b = GraphBuilder(name: "decoder_chain")
        let ids = b.input("input_ids", .int64, [.param("batch"), .param("seq")])
        let w = b.initializer("model.embed_tokens.weight", floats: [Float](repeating: 0.01, count: Int(32 * hidden)), dims: [32, hidden])
        var x = b.node("Gather", [w, ids], name: "/model/embed_tokens/Gather")[0]
        let square = b.initializer("model.weight.square", floats: [Float](repeating: 0.02, count: Int(hidden * hidden)), dims: [hidden, hidden])
        let shape4 = b.initializer("model.shape4", int64s: [1, -1, 2, hidden / 2])
        let shape3 = b.initializer("model.shape3", int64s: [1, -1, hidden])
        let scale = b.initializer("model.scale", floats: [0.5], dims: [])
        for i in 0..<blocks {
            let p = "/model/layers.\(i)"
            func n(_ op: String, _ inputs: [String], _ name: String, _ attrs: [Attribute] = []) -> String {
                b.node(op, inputs, name: "\(p)/\(name)", attributes: attrs)[0]
            }
            let norm1 = n("SimplifiedLayerNormalization", [x], "input_layernorm/LayerNorm")
            let q = n("MatMul", [norm1, square], "self_attn/q_proj/MatMul")
            let k = n("MatMul", [norm1, square], "self_attn/k_proj/MatMul")
            let v = n("MatMul", [norm1, square], "self_attn/v_proj/MatMul")
            let shape = n("Shape", [norm1], "self_attn/Shape")
            let idx = n("Constant", [], "self_attn/Constant", [.tensor("value", Tensor(name: "", dataType: .int64, dims: [], rawData: ByteSlice([0, 0, 0, 0, 0, 0, 0, 0])))])
            let gathered = n("Gather", [shape, idx], "self_attn/Gather")
            _ = gathered
            let qr = n("Reshape", [q, shape4], "self_attn/Reshape")
            let kr = n("Reshape", [k, shape4], "self_attn/Reshape_1")
            let vr = n("Reshape", [v, shape4], "self_attn/Reshape_2")
            let qt = n("Transpose", [qr], "self_attn/Transpose", [.ints("perm", [0, 2, 1, 3])])
            let kt = n("Transpose", [kr], "self_attn/Transpose_1", [.ints("perm", [0, 2, 3, 1])])
            let vt = n("Transpose", [vr], "self_attn/Transpose_2", [.ints("perm", [0, 2, 1, 3])])
            let scores = n("MatMul", [qt, kt], "self_attn/MatMul")
            let scaled = n("Mul", [scores, scale], "self_attn/Mul")
            let probs = n("Softmax", [scaled], "self_attn/Softmax", [.int("axis", -1)])
            let ctx = n("MatMul", [probs, vt], "self_attn/MatMul_1")
            let ctxT = n("Transpose", [ctx], "self_attn/Transpose_3", [.ints("perm", [0, 2, 1, 3])])
            let merged = n("Reshape", [ctxT, shape3], "self_attn/Reshape_3")
            let o = n("MatMul", [merged, square], "self_attn/o_proj/MatMul")
            let res1 = n("Add", [x, o], "Add")
            let norm2 = n("SimplifiedLayerNormalization", [res1], "post_attention_layernorm/LayerNorm")
            let gate = n("MatMul", [norm2, square], "mlp/gate_proj/MatMul")
            let sig = n("Sigmoid", [gate], "mlp/act_fn/Sigmoid")
            let silu = n("Mul", [gate, sig], "mlp/act_fn/Mul")
            let up = n("MatMul", [norm2, square], "mlp/up_proj/MatMul")
            let prod = n("Mul", [silu, up], "mlp/Mul")
            let down = n("MatMul", [prod, square], "mlp/down_proj/MatMul")
            x = n("Add", [res1, down], "Add_1")
        }
        let final = b.node("SimplifiedLayerNormalization", [x], name: "/model/norm/LayerNorm")[0]
        let logits = b.node("MatMul", [final, square], name: "/lm_head/MatMul", outputNames: ["logits"])[0]
        b.output(logits, .float, nil)
        return b.model(docString: "synthetic decoder chain, \(blocks) blocks (onnxscope benchmark)")
    }
}
