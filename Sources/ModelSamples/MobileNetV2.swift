import OnnxModel

extension SampleModels {
    /// torchvision MobileNetV2 (width 1.0) as `torch.onnx.export` writes it at opset 17, with
    /// BatchNormalization kept (not folded), like ``resnet50(seed:batch:)``.
    ///
    /// Stem Conv 3×3/2 → BN → ReLU6, 17 inverted residual blocks (expand 1×1 → depthwise 3×3
    /// with `group` = channels → linear projection 1×1, residual Add when stride 1 and the
    /// channel count is unchanged), a final 1×1 conv to 1280, GlobalAveragePool, Flatten and
    /// the classifier Gemm 1280→1000 (dropout disappears in eval export). ReLU6 is `Clip`
    /// with `min`/`max` as `Constant` inputs, as opset ≥ 11 exports write it.
    /// Input `input` float `[batch,3,224,224]`, output `output` `[batch,1000]`.
    public static func mobileNetV2(seed: UInt64 = 2, batch: Dimension = .param("batch")) -> Model {
        var e = ExportBuilder(name: "main_graph", seed: seed)
        var x = e.b.input("input", .float, [batch, .value(3), .value(224), .value(224)])

        // features.0: Conv2dNormActivation(3, 32, stride 2)
        x = e.convBNReLU6(x, scope: "/features/features.0", param: "features.0", cin: 3, cout: 32, k: 3, stride: 2)
        var cin = 32, index = 1
        // (expand ratio t, channels c, repeats n, first stride s) from the paper and torchvision.
        for (t, c, n, s) in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)] {
            for i in 0..<n {
                x = e.invertedResidual(x, index: index, cin: cin, cout: c, stride: i == 0 ? s : 1, expand: t)
                cin = c
                index += 1
            }
        }
        x = e.convBNReLU6(x, scope: "/features/features.18", param: "features.18", cin: 320, cout: 1280, k: 1, stride: 1)
        x = e.op("GlobalAveragePool", [x], scope: "")
        x = e.op("Flatten", [x], scope: "", .int("axis", 1))
        let w = try! e.normal("classifier.1.weight", dims: [1000, 1280], std: 1 / Float(1280).squareRoot())
        let bias = try! e.normal("classifier.1.bias", dims: [1000], std: 0.01)
        e.op("Gemm", [x, w, bias], scope: "/classifier/classifier.1", output: "output",
             .float("alpha", 1), .float("beta", 1), .int("transB", 1))
        e.b.output("output", .float, [batch, .value(1000)])
        return e.model(doc: "torchvision MobileNetV2 topology with seeded weights (onnxscope sample mobilenetv2)")
    }
}

extension ExportBuilder {
    /// `Conv2dNormActivation`: Conv (no bias) `.0`, BN `.1`, ReLU6 `.2` exported as Clip(0, 6).
    mutating func convBNReLU6(_ x: String, scope: String, param: String, cin: Int, cout: Int, k: Int,
                              stride: Int, group: Int = 1) -> String {
        let last = scope.split(separator: "/").last.map(String.init) ?? ""
        var y = resnetConv(x, scope: "\(scope)/\(last).0", param: "\(param).0", cin: cin, cout: cout, k: k,
                           stride: stride, pad: (k - 1) / 2, group: group)
        y = resnetBN(y, scope: "\(scope)/\(last).1", param: "\(param).1", c: cout)
        return relu6(y, scope: "\(scope)/\(last).2")
    }

    mutating func relu6(_ x: String, scope: String) -> String {
        let lo = constant(scope, float: 0), hi = constant(scope, float: 6)
        return op("Clip", [x, lo, hi], scope: scope)
    }

    /// torchvision `InvertedResidual`. Submodule numbering inside `conv` shifts by one when
    /// there is no expansion layer (t = 1), which the names reproduce.
    mutating func invertedResidual(_ input: String, index: Int, cin: Int, cout: Int, stride: Int, expand: Int) -> String {
        let scope = "/features/features.\(index)/conv", param = "features.\(index).conv"
        let hidden = cin * expand
        var x = input, sub = 0
        if expand != 1 {
            x = convBNReLU6(x, scope: "\(scope)/conv.\(sub)", param: "\(param).\(sub)", cin: cin, cout: hidden, k: 1, stride: 1)
            sub += 1
        }
        x = convBNReLU6(x, scope: "\(scope)/conv.\(sub)", param: "\(param).\(sub)", cin: hidden, cout: hidden, k: 3,
                        stride: stride, group: hidden)
        sub += 1
        x = resnetConv(x, scope: "\(scope)/conv.\(sub)", param: "\(param).\(sub)", cin: hidden, cout: cout, k: 1, stride: 1, pad: 0)
        let residual = stride == 1 && cin == cout
        // A smaller gamma on the projection BN of residual blocks keeps the running sum of
        // branches from growing over the 10 residual additions.
        x = resnetBN(x, scope: "\(scope)/conv.\(sub + 1)", param: "\(param).\(sub + 1)", c: cout, gamma: residual ? 0.5 : 1)
        if residual { x = op("Add", [input, x], scope: "/features/features.\(index)") }
        return x
    }
}
