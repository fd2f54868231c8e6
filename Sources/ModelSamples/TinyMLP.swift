import OnnxModel

extension SampleModels {
    /// A three-layer perceptron (16 → 32 → 32 → 10, MatMul + Add + Relu), a few KB: the
    /// smallest realistic model for fast tests of reading, running and quantizing.
    ///
    /// Input `input` float `[batch, 16]`, output `output` float `[batch, 10]`. Weights are
    /// He-normal and stored `[in, out]` under PyTorch-style names (`fc1.weight`).
    public static func tinyMLP(seed: UInt64 = 1) -> Model {
        var e = ExportBuilder(name: "main_graph", seed: seed)
        let batch = Dimension.param("batch")
        var x = e.b.input("input", .float, [batch, .value(16)])
        let sizes = [16, 32, 32, 10]
        for i in 0..<3 {
            let scope = "/fc\(i + 1)", param = "fc\(i + 1)"
            let w = try! e.normal("\(param).weight", dims: [Int64(sizes[i]), Int64(sizes[i + 1])],
                                  std: (2 / Float(sizes[i])).squareRoot())
            let bias = try! e.normal("\(param).bias", dims: [Int64(sizes[i + 1])], std: 0.05)
            x = e.op("MatMul", [x, w], scope: scope)
            x = e.op("Add", [x, bias], scope: scope, output: i == 2 ? "output" : nil)
            if i < 2 { x = e.op("Relu", [x], scope: "/relu\(i + 1)") }
        }
        e.b.output("output", .float, [batch, .value(10)])
        return e.model(doc: "3-layer MLP with seeded weights (onnxscope sample tiny-mlp)")
    }
}
