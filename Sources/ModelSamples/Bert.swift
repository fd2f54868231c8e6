import Foundation
import OnnxModel

/// Sizes of a BERT encoder (the Hugging Face `BertConfig` fields that shape the graph).
public struct BertConfig: Sendable, Equatable {
    /// Encoder layers (`num_hidden_layers`).
    public var layers: Int
    /// Hidden size; a multiple of `heads`.
    public var hidden: Int
    /// Attention heads; head size is `hidden / heads`.
    public var heads: Int
    /// Feed-forward inner size (`intermediate_size`).
    public var intermediate: Int
    /// Rows of the word-embedding table.
    public var vocab: Int
    /// Rows of the position-embedding table: the longest sequence the model accepts.
    public var maxPositions: Int
    /// Rows of the token-type table (`type_vocab_size`).
    public var typeVocab: Int = 2
    /// Seed of the weights; the same config and seed always give the same bytes.
    public var seed: UInt64 = 0xBE27

    public init(layers: Int, hidden: Int, heads: Int, intermediate: Int, vocab: Int, maxPositions: Int,
                typeVocab: Int = 2, seed: UInt64 = 0xBE27) {
        precondition(layers > 0 && heads > 0 && hidden % heads == 0, "hidden must be a multiple of heads")
        self.layers = layers; self.hidden = hidden; self.heads = heads; self.intermediate = intermediate
        self.vocab = vocab; self.maxPositions = maxPositions; self.typeVocab = typeVocab; self.seed = seed
    }

    /// bert-base-uncased: 12 × 768, 12 heads, ~110 M parameters (~440 MB).
    public static let base = BertConfig(layers: 12, hidden: 768, heads: 12, intermediate: 3072, vocab: 30522, maxPositions: 512)
    /// The size of google/bert_uncased_L-2_H-128_A-2, with a 256-token vocabulary and 64
    /// positions instead of 30522 and 512 so the file (~1.8 MB) can be committed; the graph is
    /// the same.
    public static let tiny = BertConfig(layers: 2, hidden: 128, heads: 2, intermediate: 512, vocab: 256, maxPositions: 64)
    /// bert-large: 24 × 1024, 16 heads, ~335 M parameters (~1.34 GB); the benchmark model.
    public static let large = BertConfig(layers: 24, hidden: 1024, heads: 16, intermediate: 4096, vocab: 30522, maxPositions: 512)
}

extension SampleModels {
    /// A BERT encoder shaped like `torch.onnx.export` of Hugging Face `BertModel` at opset 17.
    ///
    /// Inputs `input_ids`, `attention_mask`, `token_type_ids` (int64 `[batch, seq]`); outputs
    /// `last_hidden_state` `[batch, seq, hidden]` and `pooler_output` `[batch, hidden]`.
    /// The graph has what makes real BERT exports hard to deploy: position ids sliced from the
    /// `embeddings.position_ids` buffer by a Shape→Gather→Unsqueeze→Slice chain, the
    /// extended attention mask `(1 - mask) * -10000` from Unsqueeze/Cast/Sub/Mul, and per head
    /// split the Shape/Gather/Unsqueeze/Concat/Reshape chains feeding Reshape + Transpose.
    /// Linear layers are MatMul + Add with the weight stored as `[in, out]` (the exporter's
    /// transposed copy) under the state-dict name (`encoder.layer.0.attention.self.query.weight`).
    /// GELU is the exact Erf form `x·0.5·(1 + erf(x/√2))`. Weights are N(0, 0.02) as in
    /// BERT's initialiser, with small random biases and LayerNorm parameters.
    ///
    /// - Parameter external: when given, initializers of 1 KB or more are streamed into it
    ///   instead of being kept in the model; write the model into `external.directory` and
    ///   call `external.commit()` first (``writeBert(_:to:dataFileName:)`` does both).
    public static func bert(_ config: BertConfig, external: ExternalDataWriter? = nil) throws -> Model {
        var e = ExportBuilder(name: "main_graph", seed: config.seed, external: external)
        try e.buildBert(config)
        let c = config
        return e.model(doc: "BERT encoder (\(c.layers) layers, hidden \(c.hidden), \(c.heads) heads, intermediate \(c.intermediate), vocab \(c.vocab)) with seeded weights (onnxscope sample)")
    }

    /// ``bert(_:external:)`` with the sizes spelled out.
    public static func bert(layers: Int, hidden: Int, heads: Int, intermediate: Int, vocab: Int, maxPositions: Int,
                            seed: UInt64 = 0xBE27) throws -> Model {
        try bert(BertConfig(layers: layers, hidden: hidden, heads: heads, intermediate: intermediate, vocab: vocab,
                            maxPositions: maxPositions, seed: seed))
    }

    /// Generates a BERT model straight to disk with its weights in `dataFileName` beside `path`,
    /// streaming each weight as it is generated, so even BERT-large needs little memory.
    /// The data file is renamed into place before the model is written (both atomically).
    public static func writeBert(_ config: BertConfig, to path: String, dataFileName: String) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writer = try ExternalDataWriter(directory: dir, fileName: dataFileName)
        let model = try bert(config, external: writer)
        try writer.commit()
        try model.write(to: path)
    }
}

extension ExportBuilder {
    mutating func buildBert(_ c: BertConfig) throws {
        let H = Int64(c.hidden), dims: [OnnxModel.Dimension] = [.param("batch"), .param("seq")]
        let ids = b.input("input_ids", .int64, dims)
        let mask = b.input("attention_mask", .int64, dims)
        let types = b.input("token_type_ids", .int64, dims)

        // get_extended_attention_mask: mask[:, None, None, :], to float, (1 - m) * -10000.
        var m = op("Unsqueeze", [mask, constant("", int64s: [1], dims: [1])], scope: "")
        m = op("Unsqueeze", [m, constant("", int64s: [2], dims: [1])], scope: "")
        m = op("Cast", [m], scope: "", .int("to", Int64(DataType.float.rawValue)))
        m = op("Sub", [constant("", float: 1), m], scope: "")
        let extendedMask = op("Mul", [m, constant("", float: -10000)], scope: "")

        // Embeddings: position ids are self.position_ids[:, :seq_length].
        let emb = "/embeddings"
        let positionIds = try initializer("embeddings.position_ids", int64s: (0..<Int64(c.maxPositions)).map { $0 },
                                          dims: [1, Int64(c.maxPositions)])
        let wordTable = try normal("embeddings.word_embeddings.weight", dims: [Int64(c.vocab), H], std: 0.02)
        let posTable = try normal("embeddings.position_embeddings.weight", dims: [Int64(c.maxPositions), H], std: 0.02)
        let typeTable = try normal("embeddings.token_type_embeddings.weight", dims: [Int64(c.typeVocab), H], std: 0.02)
        let shape = op("Shape", [ids], scope: emb)
        let seqLen = op("Gather", [shape, constant(emb, int64s: [1], dims: [])], scope: emb, .int("axis", 0))
        let end = op("Unsqueeze", [seqLen, constant(emb, int64s: [0], dims: [1])], scope: emb)
        let posIds = op("Slice", [positionIds, constant(emb, int64s: [0], dims: [1]), end,
                                  constant(emb, int64s: [1], dims: [1]), constant(emb, int64s: [1], dims: [1])], scope: emb)
        let words = op("Gather", [wordTable, ids], scope: "\(emb)/word_embeddings")
        let typeEmb = op("Gather", [typeTable, types], scope: "\(emb)/token_type_embeddings")
        var x = op("Add", [words, typeEmb], scope: emb)
        let pos = op("Gather", [posTable, posIds], scope: "\(emb)/position_embeddings")
        x = op("Add", [x, pos], scope: emb)
        x = try layerNorm(x, scope: "\(emb)/LayerNorm", param: "embeddings.LayerNorm", hidden: c.hidden)

        for i in 0..<c.layers {
            x = try bertLayer(x, c, index: i, extendedMask: extendedMask, isLast: i == c.layers - 1)
        }

        // Pooler: dense + tanh on the first token.
        let first = op("Gather", [x, constant("/pooler", int64s: [0], dims: [])], scope: "/pooler", .int("axis", 1))
        let pooled = try linear(first, scope: "/pooler/dense", param: "pooler.dense", cin: c.hidden, cout: c.hidden)
        op("Tanh", [pooled], scope: "/pooler/activation", output: "pooler_output")
        b.output("last_hidden_state", .float, dims + [.value(H)])
        b.output("pooler_output", .float, [.param("batch"), .value(H)])
    }

    /// `nn.Linear` on a 3-D input: MatMul with the transposed weight, then Add of the bias
    /// (the exporter puts the bias first).
    mutating func linear(_ x: String, scope: String, param: String, cin: Int, cout: Int) throws -> String {
        let w = try normal("\(param).weight", dims: [Int64(cin), Int64(cout)], std: 0.02)
        let bias = try normal("\(param).bias", dims: [Int64(cout)], std: 0.02)
        let y = op("MatMul", [x, w], scope: scope)
        return op("Add", [bias, y], scope: scope)
    }

    mutating func layerNorm(_ x: String, scope: String, param: String, hidden: Int, output: String? = nil) throws -> String {
        let g = try normal("\(param).weight", dims: [Int64(hidden)], std: 0.02, mean: 1)
        let beta = try normal("\(param).bias", dims: [Int64(hidden)], std: 0.02)
        return op("LayerNormalization", [x, g, beta], scope: scope, output: output, .int("axis", -1), .float("epsilon", 1e-12))
    }

    /// `x.size()[:-1] + (heads, head_dim)` then view and permute: the exporter records each
    /// `size(i)` as Shape + Gather and builds the target shape with Unsqueeze + Concat.
    mutating func splitHeads(_ x: String, scope: String, heads: Int, headDim: Int, perm: [Int64]) -> String {
        var sizes: [String] = []
        for axis: Int64 in [0, 1] {
            let s = op("Shape", [x], scope: scope)
            sizes.append(op("Gather", [s, constant(scope, int64s: [axis], dims: [])], scope: scope, .int("axis", 0)))
        }
        let u = sizes.map { op("Unsqueeze", [$0, constant(scope, int64s: [0], dims: [1])], scope: scope) }
        let target = op("Concat", u + [constant(scope, int64s: [Int64(heads)], dims: [1]),
                                       constant(scope, int64s: [Int64(headDim)], dims: [1])], scope: scope, .int("axis", 0))
        let r = op("Reshape", [x, target], scope: scope)
        return op("Transpose", [r], scope: scope, .ints("perm", perm))
    }

    mutating func bertLayer(_ input: String, _ c: BertConfig, index i: Int, extendedMask: String, isLast: Bool) throws -> String {
        let L = "/encoder/layer.\(i)", P = "encoder.layer.\(i)", S = "\(L)/attention/self"
        let headDim = c.hidden / c.heads
        let q = try linear(input, scope: "\(S)/query", param: "\(P).attention.self.query", cin: c.hidden, cout: c.hidden)
        let kProj = try linear(input, scope: "\(S)/key", param: "\(P).attention.self.key", cin: c.hidden, cout: c.hidden)
        // transpose_for_scores(k) followed by k.transpose(-1, -2): the exporter's peephole pass
        // fuses the two permutations into one Transpose(0, 2, 3, 1).
        let k = splitHeads(kProj, scope: S, heads: c.heads, headDim: headDim, perm: [0, 2, 3, 1])
        let vProj = try linear(input, scope: "\(S)/value", param: "\(P).attention.self.value", cin: c.hidden, cout: c.hidden)
        let v = splitHeads(vProj, scope: S, heads: c.heads, headDim: headDim, perm: [0, 2, 1, 3])
        let qh = splitHeads(q, scope: S, heads: c.heads, headDim: headDim, perm: [0, 2, 1, 3])

        var scores = op("MatMul", [qh, k], scope: S)
        scores = op("Div", [scores, constant(S, float: Float(headDim).squareRoot())], scope: S)
        scores = op("Add", [scores, extendedMask], scope: S)
        let probs = op("Softmax", [scores], scope: S, .int("axis", -1))
        var ctx = op("MatMul", [probs, v], scope: S)
        ctx = op("Transpose", [ctx], scope: S, .ints("perm", [0, 2, 1, 3]))
        // context.size()[:-2] + (all_head_size,)
        var sizes: [String] = []
        for axis: Int64 in [0, 1] {
            let s = op("Shape", [ctx], scope: S)
            sizes.append(op("Gather", [s, constant(S, int64s: [axis], dims: [])], scope: S, .int("axis", 0)))
        }
        let u = sizes.map { op("Unsqueeze", [$0, constant(S, int64s: [0], dims: [1])], scope: S) }
        let target = op("Concat", u + [constant(S, int64s: [Int64(c.hidden)], dims: [1])], scope: S, .int("axis", 0))
        ctx = op("Reshape", [ctx, target], scope: S)

        let O = "\(L)/attention/output"
        var x = try linear(ctx, scope: "\(O)/dense", param: "\(P).attention.output.dense", cin: c.hidden, cout: c.hidden)
        x = op("Add", [x, input], scope: O)
        let attnOut = try layerNorm(x, scope: "\(O)/LayerNorm", param: "\(P).attention.output.LayerNorm", hidden: c.hidden)

        let I = "\(L)/intermediate"
        let h = try linear(attnOut, scope: "\(I)/dense", param: "\(P).intermediate.dense", cin: c.hidden, cout: c.intermediate)
        // GELU, exact form, in the order the tracer records x * 0.5 * (1.0 + erf(x / sqrt(2))).
        let A = "\(I)/intermediate_act_fn"
        let half = op("Mul", [h, constant(A, float: 0.5)], scope: A)
        var g = op("Div", [h, constant(A, float: Float(2).squareRoot())], scope: A)
        g = op("Erf", [g], scope: A)
        g = op("Add", [g, constant(A, float: 1)], scope: A)
        g = op("Mul", [half, g], scope: A)

        x = try linear(g, scope: "\(L)/output/dense", param: "\(P).output.dense", cin: c.intermediate, cout: c.hidden)
        x = op("Add", [x, attnOut], scope: "\(L)/output")
        return try layerNorm(x, scope: "\(L)/output/LayerNorm", param: "\(P).output.LayerNorm", hidden: c.hidden,
                             output: isLast ? "last_hidden_state" : nil)
    }
}
