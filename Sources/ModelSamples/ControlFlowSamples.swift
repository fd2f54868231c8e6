import OnnxModel

extension SampleModels {
    /// A small model with an `If` whose branches compute different things from outer-scope
    /// values — the shape of data-dependent control flow that many execution providers refuse.
    ///
    /// `y = x · proj.weight`; if `mean(y) > 0` the then-branch gives `relu(y) * then.scale`,
    /// otherwise the else-branch gives `else.shift - y`. Both branches read `y` and an
    /// initializer from the main graph. Input `x` float `[batch, 8]`, output `output`
    /// float `[batch, 8]`. Negating the input flips the branch taken.
    public static func ifBranch(seed: UInt64 = 7) -> Model {
        var e = ExportBuilder(name: "main_graph", seed: seed)
        let batch = Dimension.param("batch")
        let x = e.b.input("x", .float, [batch, .value(8)])
        let w = try! e.normal("proj.weight", dims: [8, 8], std: (1 / Float(8)).squareRoot())
        // Positive scale and shift keep the two branches distinguishable in tests:
        // the then-branch output is never negative.
        let scale = try! e.initializer("then.scale", e.rng.uniformFloats(8, 1, 2), dims: [8])
        let shift = try! e.normal("else.shift", dims: [8], std: 0.1)
        let y = e.op("MatMul", [x, w], scope: "/proj")
        let mean = e.op("ReduceMean", [y], scope: "", .int("keepdims", 0))
        let cond = e.op("Greater", [mean, e.constant("", float: 0)], scope: "")

        var then = GraphBuilder(name: "then_branch")
        let r = then.op("Relu", [y], name: "/then/Relu")
        then.node("Mul", [r, scale], name: "/then/Mul", outputNames: ["then_out"])
        then.output("then_out", .float, [batch, .value(8)])

        var otherwise = GraphBuilder(name: "else_branch")
        otherwise.node("Sub", [shift, y], name: "/else/Sub", outputNames: ["else_out"])
        otherwise.output("else_out", .float, [batch, .value(8)])

        e.op("If", [cond], scope: "", output: "output",
             .graph("then_branch", then.graph), .graph("else_branch", otherwise.graph))
        e.b.output("output", .float, [batch, .value(8)])
        return e.model(doc: "If with then/else sub-graphs reading outer-scope values (onnxscope sample if-branch)")
    }

    /// A `Loop` with a fixed trip count of 5 whose body accumulates the outer-scope input.
    ///
    /// Input `x` float `[4]`; outputs `final` (`5·x`, the loop-carried value) and `history`
    /// `[5, 4]` (the scan output: row k is `(k+1)·x`).
    public static func loop() -> Model {
        var b = GraphBuilder(name: "main_graph")
        let x = b.input("x", .float, [.value(4)])
        b.initializer(Tensor(name: "trip_count", dataType: .int64, dims: [], rawData: withUnsafeBytes(of: Int64(5).littleEndian) { ByteSlice($0) }))
        b.initializer(Tensor(name: "keep_going", dataType: .bool, dims: [], rawData: ByteSlice([UInt8(1)])))
        b.initializer("acc_init", floats: [0, 0, 0, 0], dims: [4])

        var body = GraphBuilder(name: "loop_body")
        body.input("iteration", .int64, [])
        let condIn = body.input("cond_in", .bool, [])
        let acc = body.input("acc_in", .float, [.value(4)])
        body.node("Identity", [condIn], name: "/body/Identity", outputNames: ["cond_out"])
        let next = body.node("Add", [acc, x], name: "/body/Add", outputNames: ["acc_out"])[0]
        body.node("Identity", [next], name: "/body/Identity_1", outputNames: ["acc_scan"])
        body.output("cond_out", .bool, [])
        body.output("acc_out", .float, [.value(4)])
        body.output("acc_scan", .float, [.value(4)])

        b.node("Loop", ["trip_count", "keep_going", "acc_init"], name: "/Loop", outputNames: ["final", "history"],
               attributes: [.graph("body", body.graph)])
        b.output("final", .float, [.value(4)])
        b.output("history", .float, [.value(5), .value(4)])
        return b.model(docString: "Loop with a body sub-graph reading an outer-scope value (onnxscope sample loop)")
    }
}
