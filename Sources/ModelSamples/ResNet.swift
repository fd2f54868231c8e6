import OnnxModel

extension SampleModels {
    /// torchvision ResNet-50 (v1.5: stride on the 3×3 conv) as `torch.onnx.export` writes it
    /// at opset 17 with BatchNormalization kept (no constant folding into the convs).
    ///
    /// Stem Conv 7×7/2 → BN → Relu → MaxPool 3×3/2, then 3-4-6-3 bottlenecks (16 blocks; the
    /// first of each stage has a `downsample` Conv 1×1 + BN), GlobalAveragePool, Flatten and
    /// Gemm 2048→1000. Input `input` float `[batch,3,224,224]`, output `output` `[batch,1000]`.
    /// Node names follow the exporter (`/layer1/layer1.0/conv1/Conv`,
    /// `/layer1/layer1.0/relu_2/Relu`, `/fc/Gemm`), initializers the state-dict keys
    /// (`layer1.0.bn1.running_mean`).
    ///
    /// Weights are He-normal (std √(2/fan_in)), which keeps the second moment of ReLU
    /// activations constant from layer to layer inside a branch, so most BN statistics are
    /// near identity (mean ≈ 0, var ≈ 1). The residual stream is different: each block adds
    /// its branch to it, so the BNs reading it (`bn1`, `downsample.1`) get `running_var` from
    /// a tracked estimate of its second moment — what a trained network's statistics would
    /// say — and the last BN of every branch has gamma ≈ 0.5. Without this the logits grow
    /// about 6× over the 16 blocks; with it every stage stays O(1), as in a trained model.
    public static func resnet50(seed: UInt64 = 50, batch: Dimension = .param("batch")) -> Model {
        var e = ExportBuilder(name: "main_graph", seed: seed)
        var x = e.b.input("input", .float, [batch, .value(3), .value(224), .value(224)])

        x = e.resnetConv(x, scope: "/conv1", param: "conv1", cin: 3, cout: 64, k: 7, stride: 2, pad: 3)
        // Conv of a unit-variance image with He weights has variance 2.
        x = e.resnetBN(x, scope: "/bn1", param: "bn1", c: 64, variance: 2)
        x = e.op("Relu", [x], scope: "/relu")
        x = e.op("MaxPool", [x], scope: "/maxpool", .int("ceil_mode", 0), .ints("dilations", [1, 1]),
                 .ints("kernel_shape", [3, 3]), .ints("pads", [1, 1, 1, 1]), .ints("strides", [2, 2]))

        var inplanes = 64
        // Second moment of the residual stream (block input). A 3×3 max over ReLU'd unit
        // normals has E[x²] ≈ 2.5.
        var moment: Float = 2.5
        for (stage, (blocks, planes)) in [(3, 64), (4, 128), (6, 256), (3, 512)].enumerated() {
            let layer = "layer\(stage + 1)"
            for i in 0..<blocks {
                let stride = (i == 0 && stage > 0) ? 2 : 1
                (x, moment) = e.bottleneck(x, scope: "/\(layer)/\(layer).\(i)", param: "\(layer).\(i)", inplanes: inplanes,
                                           planes: planes, stride: stride, downsample: i == 0, inputMoment: moment)
                inplanes = planes * 4
            }
        }

        x = e.op("GlobalAveragePool", [x], scope: "/avgpool")
        x = e.op("Flatten", [x], scope: "", .int("axis", 1))
        // Linear layers initialise uniformly in ±1/√fan_in in PyTorch; a normal of the same
        // scale keeps logits O(1) for O(1) pooled features.
        let w = try! e.normal("fc.weight", dims: [1000, 2048], std: 1 / Float(2048).squareRoot())
        let bias = try! e.normal("fc.bias", dims: [1000], std: 0.01)
        e.op("Gemm", [x, w, bias], scope: "/fc", output: "output",
             .float("alpha", 1), .float("beta", 1), .int("transB", 1))
        e.b.output("output", .float, [batch, .value(1000)])
        return e.model(doc: "torchvision ResNet-50 topology with seeded weights (onnxscope sample resnet50)")
    }
}

extension ExportBuilder {
    /// Conv without bias (every torchvision ResNet conv feeds a BN), He-normal weights.
    mutating func resnetConv(_ x: String, scope: String, param: String, cin: Int, cout: Int, k: Int,
                             stride: Int, pad: Int, group: Int = 1) -> String {
        let fanIn = cin / group * k * k
        let w = try! normal("\(param).weight", dims: [Int64(cout), Int64(cin / group), Int64(k), Int64(k)],
                            std: (2 / Float(fanIn)).squareRoot())
        let K = Int64(k), S = Int64(stride), P = Int64(pad)
        return op("Conv", [x, w], scope: scope, .ints("dilations", [1, 1]), .int("group", Int64(group)),
                  .ints("kernel_shape", [K, K]), .ints("pads", [P, P, P, P]), .ints("strides", [S, S]))
    }

    /// BatchNormalization in inference form; `variance` is the expected variance of its input
    /// (running_var is drawn around it), `gamma` the typical output scale (0.5 on the last BN
    /// of a residual branch).
    mutating func resnetBN(_ x: String, scope: String, param: String, c: Int, gamma: Float = 1, variance: Float = 1) -> String {
        let C = Int64(c)
        let weight = try! initializer("\(param).weight", rng.gaussianFloats(c, std: 0.1 * gamma, mean: gamma), dims: [C])
        let bias = try! normal("\(param).bias", dims: [C], std: 0.05)
        let mean = try! normal("\(param).running_mean", dims: [C], std: 0.05)
        let variance = try! initializer("\(param).running_var", rng.uniformFloats(c, 0.8, 1.25).map { $0 * variance }, dims: [C])
        // PyTorch exports momentum as 1 - torch momentum (0.1).
        return op("BatchNormalization", [x, weight, bias, mean, variance], scope: scope,
                  .float("epsilon", 1e-5), .float("momentum", 0.9))
    }

    /// torchvision `Bottleneck`: 1×1 → 3×3 (stride here, v1.5) → 1×1 ×4, plus identity or
    /// downsample, Add, Relu. The module's single `relu` is called three times, so the
    /// exporter names the calls `relu`, `relu_1`, `relu_2`.
    ///
    /// `inputMoment` is E[x²] of the block input; returns the output and its estimated E[x²]:
    /// branch (variance gamma² = 0.25) plus identity (E = inputMoment, or a normalised
    /// downsample with variance 1), through a ReLU.
    mutating func bottleneck(_ input: String, scope: String, param: String, inplanes: Int, planes: Int,
                             stride: Int, downsample: Bool, inputMoment: Float) -> (String, Float) {
        var x = resnetConv(input, scope: "\(scope)/conv1", param: "\(param).conv1", cin: inplanes, cout: planes, k: 1, stride: 1, pad: 0)
        // He conv of an input with second moment q has variance 2q.
        x = resnetBN(x, scope: "\(scope)/bn1", param: "\(param).bn1", c: planes, variance: 2 * inputMoment)
        x = op("Relu", [x], scope: "\(scope)/relu")
        x = resnetConv(x, scope: "\(scope)/conv2", param: "\(param).conv2", cin: planes, cout: planes, k: 3, stride: stride, pad: 1)
        x = resnetBN(x, scope: "\(scope)/bn2", param: "\(param).bn2", c: planes)
        x = op("Relu", [x], scope: "\(scope)/relu_1")
        x = resnetConv(x, scope: "\(scope)/conv3", param: "\(param).conv3", cin: planes, cout: planes * 4, k: 1, stride: 1, pad: 0)
        x = resnetBN(x, scope: "\(scope)/bn3", param: "\(param).bn3", c: planes * 4, gamma: 0.5)
        var identity = input
        if downsample {
            identity = resnetConv(input, scope: "\(scope)/downsample/downsample.0", param: "\(param).downsample.0",
                                  cin: inplanes, cout: planes * 4, k: 1, stride: stride, pad: 0)
            identity = resnetBN(identity, scope: "\(scope)/downsample/downsample.1", param: "\(param).downsample.1", c: planes * 4,
                                variance: 2 * inputMoment)
        }
        x = op("Add", [x, identity], scope: scope)
        // Zero-mean sum through ReLU keeps half; a non-negative identity keeps most of it.
        let moment: Float = downsample ? (1 + 0.25) / 2 : inputMoment + 0.2
        return (op("Relu", [x], scope: "\(scope)/relu_2"), moment)
    }
}
