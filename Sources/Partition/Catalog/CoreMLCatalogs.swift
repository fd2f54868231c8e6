import OnnxModel

extension CapabilityCatalog {
    static let coreMLSubgraphs = "the CoreML EP takes no nodes inside If/Loop/Scan bodies unless ORT is given COREML_FLAG_ENABLE_ON_SUBGRAPH (EnableOnSubgraphs)"

    /// CoreML NeuralNetwork format, as ORT 1.32.0's table
    /// `onnxruntime/tools/mobile_helpers/coreml_supported_neuralnetwork_ops.md` lists it; inputs of
    /// rank above 5 are refused (the checker's `max_rank`).
    public static let coreML = CapabilityCatalog(
        target: .coreml, ortRelease: "1.32.0",
        source: "onnxruntime wheel: onnxruntime/tools/mobile_helpers/coreml_supported_neuralnetwork_ops.md",
        maxRank: 5, requiresFixedShapes: true, subgraphLimitation: coreMLSubgraphs,
        ops: [
            OpCapability("Add"), OpCapability("ArgMax"),
            OpCapability("AveragePool", [.pool2D]),
            OpCapability("BatchNormalization"), OpCapability("Cast"), OpCapability("Clip"), OpCapability("Concat"),
            OpCapability("Conv", [.rank(of: 1, in: [3, 4], "Only 1D/2D Conv is supported."),
                                  .constant([1, 2], "Weights and bias should be constant.")]),
            OpCapability("DepthToSpace", [.attribute("mode", default: "DCR", in: ["DCR"], "Only DCR mode DepthToSpace is supported.")]),
            OpCapability("Div"), OpCapability("Flatten"),
            OpCapability("Gather", [.indicesNotScalar]),
            OpCapability("Gemm", [.constant([1], "Input B should be constant.")]),
            OpCapability("GlobalAveragePool", [.pool2D]), OpCapability("GlobalMaxPool", [.pool2D]),
            OpCapability("LeakyRelu"), OpCapability("LRN"),
            OpCapability("MatMul", [.constant([1], "Input B should be constant.")]),
            OpCapability("MaxPool", [.pool2D]), OpCapability("Mul"),
            OpCapability("Pad", [.attribute("mode", default: "constant", in: ["constant"], "Only constant mode and last two dim padding is supported."),
                                 .padsLastTwoDims,
                                 .constant([1, 2, 3], "Input pads and constant_value should be constant. If provided, axes should be constant.")]),
            OpCapability("Pow", [.types([0, 1], in: [.float], "Only supports cases when both inputs are fp32.")]),
            OpCapability("PRelu", [.constant([1], "Input slope should be constant."), .slopeShape]),
            OpCapability("Reciprocal"),
            OpCapability("ReduceSum", checkerMisses: "the table writes it 'ai.onnx.ReduceSum' (a '.' for the ':'), so the checker never matches it"),
            OpCapability("Relu"), OpCapability("Reshape"),
            OpCapability("Resize", [.rank(of: 0, in: [4], "4D input."),
                                    .attribute("coordinate_transformation_mode", default: "half_pixel", in: ["asymmetric"], "`coordinate_transformation_mode` == `asymmetric`."),
                                    .attribute("mode", default: "nearest", in: ["linear", "nearest"], "`mode` == `linear` or `nearest`."),
                                    .nearestModeFloor,
                                    .attribute("exclude_outside", default: 0, in: [0], "`exclude_outside` == false"),
                                    .resizeScalesOrSizesConstant]),
            OpCapability("Shape", [.attribute("start", default: 0, in: [0], "Attribute `start` with non-default value is not supported."),
                                   .absent("end", "Attribute `end` is not supported.")]),
            OpCapability("Sigmoid"),
            OpCapability("Slice", [.constant([1, 2, 3, 4], "Inputs `starts`, `ends`, `axes`, and `steps` should be constant."),
                                   .unchecked("Empty slice is not supported.")]),
            OpCapability("Softmax"),
            OpCapability("Split", [.constant([1], "If provided, `splits` must be constant.")]),
            OpCapability("Squeeze"), OpCapability("Sqrt"), OpCapability("Sub"), OpCapability("Tanh"), OpCapability("Transpose"),
        ])

    /// CoreML ML Program format, as ORT 1.32.0's table
    /// `onnxruntime/tools/mobile_helpers/coreml_supported_mlprogram_ops.md` lists it.
    public static let coreMLProgram = CapabilityCatalog(
        target: .coremlMLProgram, ortRelease: "1.32.0",
        source: "onnxruntime wheel: onnxruntime/tools/mobile_helpers/coreml_supported_mlprogram_ops.md",
        maxRank: 5, requiresFixedShapes: true, subgraphLimitation: coreMLSubgraphs,
        ops: [
            OpCapability("Add"),
            OpCapability("And", [.types([0, 1], in: [.bool], "Both inputs must be bool.")]),
            OpCapability("ArgMax", checkerMisses: "the table writes it 'ai.onnx:Argmax', so the checker never matches op type ArgMax"),
            OpCapability("AveragePool", [.pool2D]),
            OpCapability("Cast"), OpCapability("Clip"), OpCapability("Concat"),
            OpCapability("Conv", [.rank(of: 1, in: [3, 4], "Only 1D/2D Conv is supported."),
                                  .constant([2], "Bias if provided must be constant.")]),
            OpCapability("ConvTranspose", [.constant([1, 2], "Weight and bias must be constant."),
                                           .attribute("auto_pad", default: "NOTSET", in: ["NOTSET", "VALID"], "padding_type of SAME_UPPER/SAME_LOWER is not supported."),
                                           .unchecked("kernel_shape must have default values."),
                                           .absent("output_shape", "output_shape is not supported."),
                                           .absent("output_padding", allowingZeros: true, "output_padding must have default values.")]),
            OpCapability("Cos"),
            OpCapability("DepthToSpace", [.crdNeedsFixedShape]),
            OpCapability("Ceil"), OpCapability("Div"), OpCapability("Elu"), OpCapability("Erf"), OpCapability("Exp"),
            OpCapability("GatherND", [.attribute("batch_dims", default: 0, in: [0], "batch_dims must be 0.")]),
            OpCapability("Gemm", [.constant([1], "Input B must be constant.")]),
            OpCapability("Gelu"),
            OpCapability("GlobalAveragePool", [.pool2D]), OpCapability("GlobalMaxPool", [.pool2D]),
            OpCapability("GridSample", [.rank(of: 0, in: [4], "4D input."), .unchecked("'mode' of 'linear' or 'zeros'.")]),
            OpCapability("GroupNormalization"), OpCapability("HardSigmoid"), OpCapability("Identity"),
            OpCapability("InstanceNormalization"), OpCapability("LayerNormalization"), OpCapability("LeakyRelu"),
            OpCapability("MatMul"),
            OpCapability("MaxPool", [.pool2D]), OpCapability("Max"), OpCapability("Mul"),
            OpCapability("Pow", [.types([0, 1], in: [.float], "Only supports cases when both inputs are fp32.")]),
            OpCapability("PRelu"), OpCapability("Reciprocal"),
            OpCapability("ReduceSum"), OpCapability("ReduceMean"), OpCapability("ReduceMax"),
            OpCapability("Relu"), OpCapability("Reshape"),
            OpCapability("Resize", [.unchecked("See resize_op_builder.cc implementation. There are too many permutations to describe the valid combinations.")]),
            OpCapability("Round"), OpCapability("Shape"), OpCapability("Sin"),
            OpCapability("Slice", [.constant([1, 2, 3, 4], "starts/ends/axes/steps must be constant initializers.")]),
            OpCapability("Softplus"),
            OpCapability("Split", [.constant([1], "If provided, `splits` must be constant.")]),
            OpCapability("Sub"), OpCapability("Sigmoid"), OpCapability("Softmax"), OpCapability("Sqrt"), OpCapability("Squeeze"),
            OpCapability("Tanh"), OpCapability("Tile"), OpCapability("Transpose"), OpCapability("Unsqueeze"),
            OpCapability("Where", [.types([1, 2], in: [.float, .float16], "`X`/`Y` branches must be float or float16.")]),
            OpCapability("QuickGelu", domain: "com.microsoft"),
            OpCapability("FusedConv", domain: "com.microsoft"),
        ])
}

extension CapabilityRule {
    static let indicesNotScalar = CapabilityRule("Input `indices` with scalar value is not supported.") { c in
        guard c.hasInput(1) else { return .holds }
        guard let r = c.rank(1) else { return .unknown("rank of indices '\(c.node.inputs[1])' unknown") }
        return r == 0 ? .fails("indices '\(c.node.inputs[1])' is a scalar") : .holds
    }

    static let padsLastTwoDims = CapabilityRule("Only constant mode and last two dim padding is supported.") { c in
        guard c.hasInput(1) else { return .holds }
        guard let pads = c.facts(1)?.value?.integers, pads.count % 2 == 0 else { return .unknown("values of pads '\(c.node.inputs[1])' unknown") }
        if c.hasInput(3) { return .unknown("axes given: which dims are padded not checked") }
        let rank = pads.count / 2
        let padded = (0..<rank).filter { pads[$0] != 0 || pads[$0 + rank] != 0 }
        return padded.allSatisfy { $0 >= rank - 2 } ? .holds : .fails("pads \(pads) pad a dim before the last two")
    }

    static let slopeShape = CapabilityRule("Input slope should either have shape [C, 1, 1] or have 1 element.") { c in
        guard let dims = c.facts(1)?.dims else { return .unknown("shape of slope unknown") }
        let values = dims.compactMap(\.intValue)
        guard values.count == dims.count else { return .unknown("shape of slope not fixed") }
        if values.reduce(1, *) == 1 { return .holds }
        return values.count == 3 && values[1] == 1 && values[2] == 1 ? .holds : .fails("slope has shape \(values)")
    }

    static let nearestModeFloor = CapabilityRule("`nearest_mode` == `floor`.") { c in
        let mode = c.node.attribute("mode")?.s?.string ?? "nearest"
        guard mode == "nearest" else { return .holds }
        let n = c.node.attribute("nearest_mode")?.s?.string ?? "round_prefer_floor"
        return n == "floor" ? .holds : .fails("nearest_mode is '\(n)'")
    }

    static let resizeScalesOrSizesConstant = CapabilityRule("`scales` or `sizes` must be constant.") { c in
        let scales = c.hasInput(2) && c.isConstant(c.node.inputs[2]) && (c.facts(2)?.dims?.first?.intValue ?? 0) > 0
        let sizes = c.hasInput(3) && c.isConstant(c.node.inputs[3])
        return scales || sizes ? .holds : .fails("neither scales nor sizes is a constant")
    }

    static let crdNeedsFixedShape = CapabilityRule("If 'mode' is 'CRD' the input must have a fixed shape.") { c in
        guard (c.node.attribute("mode")?.s?.string ?? "DCR") == "CRD" else { return .holds }
        guard let dims = c.facts(0)?.dims, dims.allSatisfy({ ($0.intValue ?? 0) > 0 }) else {
            return .fails("mode is CRD and the input shape is not fixed")
        }
        return .holds
    }
}
