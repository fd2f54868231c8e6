import Testing
import OnnxModel
@testable import OnnxGraph

private let batch = Dimension.param("batch"), seq = Dimension.param("seq")

private func analyse(_ b: GraphBuilder) -> (GraphIndex, ShapeInferenceResult) {
    let model = b.model()
    let index = GraphIndex(model: model)
    return (index, ShapeInference.infer(model, index: index))
}

@Suite("Shape inference")
struct ShapeInferenceTests {
    @Test("ResNet stem: Conv 7×7/2 pad 3, MaxPool 3×3/2 pad 1, global pool, flatten, Gemm")
    func convStem() {
        var b = GraphBuilder()
        let x = b.input("x", .float, [batch, .value(3), .value(224), .value(224)])
        let w = b.initializer("w", floats: Array(repeating: 0, count: 64 * 3 * 49), dims: [64, 3, 7, 7])
        let c = b.op("Conv", [x, w], .ints("kernel_shape", [7, 7]), .ints("strides", [2, 2]), .ints("pads", [3, 3, 3, 3]))
        let p = b.op("MaxPool", [c], .ints("kernel_shape", [3, 3]), .ints("strides", [2, 2]), .ints("pads", [1, 1, 1, 1]))
        let s = b.op("Conv", [p, b.initializer("w2", floats: Array(repeating: 0, count: 64 * 64 * 9), dims: [64, 64, 3, 3])],
                     .ints("pads", [1, 1, 1, 1]))
        let same = b.op("AveragePool", [s], .ints("kernel_shape", [3, 3]), .ints("strides", [2, 2]), .string("auto_pad", "SAME_UPPER"))
        let g = b.op("GlobalAveragePool", [same])
        let f = b.op("Flatten", [g])
        let fc = b.op("Gemm", [f, b.initializer("fcw", floats: Array(repeating: 0, count: 10 * 64), dims: [10, 64])], .int("transB", 1))
        let (_, r) = analyse(b)
        #expect(r.facts(c)?.dims == [batch, .value(64), .value(112), .value(112)])
        #expect(r.facts(p)?.dims == [batch, .value(64), .value(56), .value(56)])
        #expect(r.facts(s)?.dims == [batch, .value(64), .value(56), .value(56)])
        #expect(r.facts(same)?.dims == [batch, .value(64), .value(28), .value(28)])
        #expect(r.facts(g)?.dims == [batch, .value(64), .value(1), .value(1)])
        #expect(r.facts(f)?.dims == [batch, .value(64)])
        #expect(r.facts(fc)?.dims == [batch, .value(10)])
        #expect(r.facts(fc)?.elementType == .float)
        #expect(r.issues.isEmpty)
    }

    @Test("ORT's NCHWc ops (its level-all graph): ReorderInput/Output (channels, channels_last), blocked Conv and pooling, integer Upsample")
    func nchwc() {
        var b = GraphBuilder()
        b.importDomain("com.microsoft.nchwc", version: 1)
        let x = b.input("x", .float, [batch, .value(32), .value(28), .value(28)])
        let r = b.op("ReorderInput", [x], domain: "com.microsoft.nchwc")
        let w = b.initializer("w", floats: Array(repeating: 0, count: 64 * 32 * 9), dims: [64, 32, 3, 3])
        let c = b.op("Conv", [r, w], domain: "com.microsoft.nchwc", .ints("pads", [1, 1, 1, 1]), .ints("strides", [2, 2]))
        let p = b.op("MaxPool", [c], domain: "com.microsoft.nchwc", .ints("kernel_shape", [2, 2]), .ints("strides", [2, 2]))
        let u = b.op("Upsample", [p], domain: "com.microsoft.nchwc", .ints("scales", [1, 1, 2, 2]))
        let o = b.op("ReorderOutput", [u], domain: "com.microsoft.nchwc", .int("channels", 60))
        let nhwc = b.op("ReorderOutput", [u], domain: "com.microsoft.nchwc", .int("channels", 60), .int("channels_last", 1))
        let back = b.op("ReorderInput", [nhwc], domain: "com.microsoft.nchwc", .int("channels_last", 1))
        let (_, res) = analyse(b)
        #expect(res.facts(r)?.dims == [batch, .value(32), .value(28), .value(28)])
        #expect(res.facts(c)?.dims == [batch, .value(64), .value(14), .value(14)])
        #expect(res.facts(p)?.dims == [batch, .value(64), .value(7), .value(7)])
        #expect(res.facts(u)?.dims == [batch, .value(64), .value(14), .value(14)])
        #expect(res.facts(o)?.dims == [batch, .value(60), .value(14), .value(14)], "the real channel count, not the blocked one")
        #expect(res.facts(nhwc)?.dims == [batch, .value(14), .value(14), .value(60)])
        #expect(res.facts(back)?.dims == [batch, .unknown, .value(14), .value(14)], "60 channels are padded to ORT's block, 8 or 16 by CPU")
        #expect(res.unsupportedOps.isEmpty, "\(res.unsupportedOps)")
    }

    @Test("ConvTranspose: stride 2 upsampling, output_padding, grouped channels; MACs per input element")
    func convTranspose() throws {
        var b = GraphBuilder()
        let x = b.input("x", .float, [batch, .value(8), .value(4), .value(4)])
        let w = b.initializer("w", floats: Array(repeating: 0, count: 8 * 2 * 9), dims: [8, 2, 3, 3])
        let y = b.op("ConvTranspose", [x, w], .ints("strides", [2, 2]), .ints("pads", [1, 1, 1, 1]),
                     .ints("output_padding", [1, 1]), .int("group", 2))
        let same = b.op("ConvTranspose", [x, w], .ints("strides", [2, 2]), .string("auto_pad", "SAME_UPPER"))
        let a = GraphAnalysis(model: b.model())
        // 2·(4−1) + 1 + 3 − 2 = 8; channels = W.dims[1] · group = 4.
        #expect(a.shapes.facts(y)?.dims == [batch, .value(4), .value(8), .value(8)])
        #expect(a.shapes.facts(same)?.dims == [batch, .value(2), .value(8), .value(8)])  // group 1
        // Each of the 8·4·4 input elements scatters into Cout/group · 3·3 = 18 outputs.
        #expect(a.metrics.nodes[0][0].macs == 8 * 16 * 18)
        #expect(a.metrics.nodes[0][0].parameters == 8 * 2 * 9)
    }

    @Test("BERT head split: Shape→Gather→Unsqueeze→Concat→Reshape keeps batch and seq symbolic")
    func symbolicReshape() {
        var b = GraphBuilder(opset: 17)
        let x = b.input("x", .float, [batch, seq, .value(768)])
        let shape = b.op("Shape", [x])
        let i0 = b.op("Gather", [shape, b.initializer("zero", int64s: [0], dims: [])], .int("axis", 0))
        let i1 = b.op("Gather", [shape, b.initializer("one", int64s: [1], dims: [])], .int("axis", 0))
        let axes = b.initializer("axes0", int64s: [0])
        let u0 = b.op("Unsqueeze", [i0, axes]), u1 = b.op("Unsqueeze", [i1, axes])
        let target = b.op("Concat", [u0, u1, b.initializer("heads", int64s: [12]), b.initializer("hd", int64s: [64])], .int("axis", 0))
        let r = b.op("Reshape", [x, target])
        let t = b.op("Transpose", [r], .ints("perm", [0, 2, 1, 3]))
        let kt = b.op("Transpose", [r], .ints("perm", [0, 2, 3, 1]))
        let scores = b.op("MatMul", [t, kt])
        let flat = b.op("Reshape", [x, b.initializer("flat", int64s: [-1, 768])])
        let back = b.op("Reshape", [flat, b.op("Shape", [x])])
        let seqTimes = b.op("Mul", [i1, b.initializer("twelve", int64s: [12], dims: [])])
        let (_, res) = analyse(b)
        #expect(res.facts(shape)?.value?.elements == [batch, seq, .value(768)])
        #expect(res.facts(target)?.value?.elements == [batch, seq, .value(12), .value(64)])
        #expect(res.facts(r)?.dims == [batch, seq, .value(12), .value(64)])
        #expect(res.facts(t)?.dims == [batch, .value(12), seq, .value(64)])
        #expect(res.facts(scores)?.dims == [batch, .value(12), seq, seq])
        #expect(res.facts(flat)?.dims == [.param("batch*seq"), .value(768)])
        #expect(res.facts(back)?.dims == [batch, seq, .value(768)])
        #expect(res.facts(seqTimes)?.value?.elements == [.param("12*seq")])
        #expect(res.issues.isEmpty, "\(res.issues)")
    }

    @Test("Unsqueeze/Squeeze take axes from an attribute before opset 13 and from an input after")
    func unsqueezeOpsets() {
        for opset: Int64 in [11, 13] {
            var b = GraphBuilder(opset: opset)
            let x = b.input("x", .float, [batch, .value(5)])
            let u = opset >= 13 ? b.op("Unsqueeze", [x, b.initializer("a", int64s: [1, -1])])
                                : b.op("Unsqueeze", [x], .ints("axes", [1, -1]))
            let s = opset >= 13 ? b.op("Squeeze", [u, b.initializer("s", int64s: [3])]) : b.op("Squeeze", [u], .ints("axes", [3]))
            let all = b.op("Squeeze", [u])
            let (_, r) = analyse(b)
            #expect(r.facts(u)?.dims == [batch, .value(1), .value(5), .value(1)], "opset \(opset)")
            #expect(r.facts(s)?.dims == [batch, .value(1), .value(5)], "opset \(opset)")
            // batch might be 1, so squeezing every 1 is not certain.
            #expect(r.facts(all)?.dims == nil)
        }
    }

    @Test("broadcasting: symbols against 1 and numbers, incompatible dims reported")
    func broadcasting() throws {
        #expect(Broadcast.shape([[batch, .value(1), .value(1), seq], [batch, .value(12), seq, seq]]) == [batch, .value(12), seq, seq])
        #expect(Broadcast.shape([[.value(3), .value(1)], [.value(4)]]) == [.value(3), .value(4)])
        #expect(Broadcast.shape([[seq], [.value(8)]]) == [.value(8)])
        #expect(Broadcast.shape([[seq], [batch]]) == [.unknown])
        #expect(Broadcast.shape([[.value(3)], [.value(4)]]) == nil)
        var b = GraphBuilder()
        let x = b.input("x", .float, [.value(3)]), y = b.input("y", .float, [.value(4)])
        _ = b.op("Add", [x, y])
        let mask = b.input("m", .int64, [batch, seq])
        let cond = b.op("Equal", [mask, b.initializer("z", int64s: [0], dims: [])])
        let w = b.op("Where", [cond, b.initializer("f", floats: [0], dims: []), b.input("v", .float, [batch, .value(1), seq])])
        let (_, r) = analyse(b)
        let issue = try #require(r.issues.first)
        #expect(issue.kind == .invalidShape && issue.message.contains("cannot broadcast [3] with [4]"))
        #expect(r.facts(cond)?.elementType == .bool)
        // cond [batch, seq] aligns right against v [batch, 1, seq].
        #expect(r.facts(w)?.dims == [batch, batch, seq])
    }

    @Test("Slice with a symbolic end, Range and ConstantOfShape from known values, Split, Expand")
    func shapeOps() {
        var b = GraphBuilder()
        let ids = b.input("ids", .int64, [batch, seq])
        let table = b.initializer("pos", int64s: Array(0..<512), dims: [1, 512])
        let seqLen = b.op("Gather", [b.op("Shape", [ids]), b.initializer("i1", int64s: [1], dims: [])], .int("axis", 0))
        let end = b.op("Unsqueeze", [seqLen, b.initializer("ax", int64s: [0])])
        let sl = b.op("Slice", [table, b.initializer("st", int64s: [0]), end, b.initializer("axes", int64s: [1])])
        let tail = b.op("Slice", [ids, b.initializer("m1", int64s: [-1]), b.initializer("big", int64s: [Int64.max]), b.initializer("a1", int64s: [1])])
        let range = b.op("Range", [b.initializer("r0", int64s: [0], dims: []), seqLen, b.initializer("r1", int64s: [1], dims: [])])
        let known = b.op("Range", [b.initializer("k0", int64s: [2], dims: []), b.initializer("k1", int64s: [11], dims: []), b.initializer("k2", int64s: [3], dims: [])])
        let cos = b.op("ConstantOfShape", [b.op("Shape", [ids])])
        let parts = b.node("Split", [b.input("h", .float, [batch, .value(10)]), b.initializer("sp", int64s: [4, 6])], outputs: 2, attributes: [.int("axis", 1)])
        let ex = b.op("Expand", [b.input("one", .float, [.value(1), .value(1)]), b.op("Shape", [ids])])
        let (_, r) = analyse(b)
        #expect(r.facts(sl)?.dims == [.value(1), seq])
        #expect(r.facts(tail)?.dims == [batch, .value(1)])
        #expect(r.facts(range)?.dims == [seq])
        #expect(r.facts(known)?.value?.elements == [.value(2), .value(5), .value(8)])
        #expect(r.facts(cos)?.dims == [batch, seq] && r.facts(cos)?.elementType == .float)
        #expect(r.facts(parts[0])?.dims == [batch, .value(4)] && r.facts(parts[1])?.dims == [batch, .value(6)])
        #expect(r.facts(ex)?.dims == [batch, seq])
    }

    @Test("declared shapes fill unknowns; contradictions become issues")
    func declared() throws {
        var b = GraphBuilder()
        let x = b.input("x", .float, [batch, .value(8)])
        let y = b.op("Relu", [x], name: "relu")
        let z = b.op("CustomThing", [y], name: "custom", domain: "my.domain")
        b.output(y, .float, [batch, .value(9)])
        b.output(z, .float, [batch, .value(3)])
        let (_, r) = analyse(b)
        let issue = try #require(r.issues.first { $0.kind == .shapeMismatch })
        #expect(issue.values == [y] && issue.nodes == [0])
        #expect(issue.message.contains("dim 1 is 8 but declared 9"))
        #expect(r.facts(y)?.dims == [batch, .value(8)])
        #expect(r.facts(z)?.dims == [batch, .value(3)] && r.facts(z)?.origin == .declared)
        #expect(r.unsupportedOps == ["my.domain.CustomThing": 1])
    }

    @Test("If: outputs from the branches, which see outer values")
    func ifBranches() {
        let g = GraphIndexTests.nestedModel(ifFirstInFile: false)
        let model = Model(graph: g)
        let index = GraphIndex(model: model)
        let r = ShapeInference.infer(model, index: index)
        #expect(r.facts("t_out", scope: 1)?.dims == [.value(4)])
        #expect(r.facts("carried_out", scope: 3)?.dims == [.value(4)])
        #expect(r.facts("e_out", scope: 2)?.dims == [.value(4)])
        #expect(r.facts("y")?.dims == [.value(4)] && r.facts("y")?.origin == .inferred)
        #expect(r.facts("a", scope: 3)?.dims == [.value(4)])
    }

    @Test("symbolic arithmetic: products parse back, exact division cancels symbols")
    func monomials() {
        let bs = SymbolicArithmetic.multiply(batch, seq)
        #expect(bs == .param("batch*seq"))
        let big = SymbolicArithmetic.multiply(bs, .value(12))
        #expect(big == .param("12*batch*seq"))
        #expect(SymbolicArithmetic.divide(big, .param("batch*seq")) == .value(12))
        #expect(SymbolicArithmetic.divide(big, .value(12)) == bs)
        #expect(SymbolicArithmetic.divide(batch, .value(2)) == .unknown)
        #expect(SymbolicArithmetic.product([batch, seq, .value(768)]) == .param("768*batch*seq"))
        let bound: Int64? = SymbolBinding.standard.evaluate(.param("768*batch*seq"))
        #expect(bound == 98_304)
        // A param with spaces or other punctuation is one opaque symbol.
        #expect(Monomial(.param("a * b"))?.symbols == ["a * b"])
    }
}
