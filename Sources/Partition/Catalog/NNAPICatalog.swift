import OnnxModel

extension CapabilityCatalog {
    /// NNAPI (Android), as ORT 1.32.0's table `onnxruntime/tools/mobile_helpers/nnapi_supported_ops.md`
    /// lists it (kept in sync with ORT's NNAPI-ExecutionProvider docs); caveats turned into rules.
    /// Sub-graphs: `nnapi_execution_provider.cc` returns no capability for a sub-graph viewer.
    public static let nnapi = CapabilityCatalog(
        target: .nnapi, ortRelease: "1.32.0",
        source: "onnxruntime wheel: onnxruntime/tools/mobile_helpers/nnapi_supported_ops.md",
        requiresFixedShapes: true,
        subgraphLimitation: "the NNAPI EP takes no nodes inside If/Loop/Scan bodies",
        ops: [
            OpCapability("Abs"), OpCapability("Add"),
            OpCapability("AveragePool", [.pool2D]),
            OpCapability("BatchNormalization"), OpCapability("Cast"), OpCapability("Clip"), OpCapability("Concat"),
            OpCapability("Conv", [.rank(of: 1, in: [4], "Only 2D Conv is supported."),
                                  .constant([1, 2], "Weights and bias should be constant.")]),
            OpCapability("DepthToSpace", [.attribute("mode", default: "DCR", in: ["DCR"], "Only DCR mode DepthToSpace is supported.")]),
            OpCapability("DequantizeLinear", [.constant([1, 2], "All quantization scales and zero points should be constant.")]),
            OpCapability("Div"), OpCapability("Elu"), OpCapability("Exp"), OpCapability("Flatten"), OpCapability("Floor"),
            OpCapability("Gather", [.gatherIndicesConstantUnlessInt32]),
            OpCapability("Gemm", [.gemmTransBUnlessConstant]),
            OpCapability("GlobalAveragePool", [.pool2D]), OpCapability("GlobalMaxPool", [.pool2D]),
            OpCapability("Identity"), OpCapability("LeakyRelu"), OpCapability("Log"), OpCapability("LRN"),
            OpCapability("MatMul"), OpCapability("MaxPool", [.pool2D]), OpCapability("Max"), OpCapability("Min"),
            OpCapability("Mul"), OpCapability("Neg"),
            OpCapability("Pad", [.attribute("mode", default: "constant", in: ["constant"], "Only constant mode Pad is supported."),
                                 .constant([1, 2], "Input pads and constant_value should be constant."),
                                 .padsNonNegative]),
            OpCapability("Pow"), OpCapability("PRelu"),
            OpCapability("QLinearConv", [.rank(of: 0, in: [4], "Only 2D Conv is supported."),
                                         .constant([3, 8], "Weights and bias should be constant."),
                                         .constant([1, 2, 4, 5, 6, 7], "All quantization scales and zero points should be constant.")]),
            OpCapability("QLinearMatMul", [.constant([1, 2, 4, 5, 6, 7], "All quantization scales and zero points should be constant.")]),
            OpCapability("QuantizeLinear", [.constant([1, 2], "All quantization scales and zero points should be constant.")]),
            OpCapability("ReduceMean"), OpCapability("Relu"), OpCapability("Reshape"),
            OpCapability("Resize", [.rank(of: 0, in: [4], "Only 2D Resize is supported.")]),
            OpCapability("Sigmoid"), OpCapability("Sin"), OpCapability("Slice"), OpCapability("Softmax"),
            OpCapability("Split", [.splitEvenlyOrConstant]),
            OpCapability("Sqrt"),
            OpCapability("Squeeze", [.constant([1], "Input axes should be constant.")]),
            OpCapability("Sub"), OpCapability("Tanh"), OpCapability("Transpose"),
            OpCapability("Unsqueeze", [.constant([1], "Input axes should be constant.")]),
            OpCapability("QLinearAdd", domain: "com.microsoft", [.constant([1, 2, 4, 5, 6, 7], "All quantization scales and zero points should be constant.")]),
            OpCapability("QLinearAveragePool", domain: "com.microsoft", [.pool2D, .constant([1, 2, 3, 4], "All quantization scales and zero points should be constant.")]),
            OpCapability("QLinearSigmoid", domain: "com.microsoft", [.constant([1, 2, 3, 4], "All quantization scales and zero points should be constant.")]),
        ])
}

extension CapabilityRule {
    static let gatherIndicesConstantUnlessInt32 = CapabilityRule("Input indices should be constant if not int32 type.") { c in
        guard c.hasInput(1), !c.isConstant(c.node.inputs[1]) else { return .holds }
        guard let t = c.facts(1)?.elementType else { return .unknown("type of indices '\(c.node.inputs[1])' unknown") }
        return t == .int32 ? .holds : .fails("indices '\(c.node.inputs[1])' are \(t.name) and computed at run time")
    }

    static let gemmTransBUnlessConstant = CapabilityRule("If input B is not constant, transB should be 1.") { c in
        guard c.hasInput(1), !c.isConstant(c.node.inputs[1]) else { return .holds }
        return (c.node.attribute("transB")?.i ?? 0) == 1 ? .holds : .fails("B '\(c.node.inputs[1])' is computed at run time and transB is 0")
    }

    static let padsNonNegative = CapabilityRule("Input pads values should be non-negative.") { c in
        guard c.hasInput(1) else { return .holds }
        guard let pads = c.facts(1)?.value?.integers else { return .unknown("values of pads '\(c.node.inputs[1])' unknown") }
        return pads.allSatisfy { $0 >= 0 } ? .holds : .fails("pads \(pads) has a negative value")
    }

    static let splitEvenlyOrConstant = CapabilityRule("Number of splits must evenly divide split axis size. Input split should be constant if provided.") { c in
        let given = c.hasInput(1) || c.node.attribute("split") != nil
        if c.hasInput(1) && !c.isConstant(c.node.inputs[1]) { return .fails("split '\(c.node.inputs[1])' is computed at run time") }
        if given { return .holds }
        guard let dims = c.facts(0)?.dims else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        var axis = Int(c.node.attribute("axis")?.i ?? 0)
        if axis < 0 { axis += dims.count }
        guard axis >= 0, axis < dims.count, let size = dims[axis].intValue else { return .unknown("size of the split axis unknown") }
        let parts = c.node.attribute("num_outputs")?.i ?? Int64(c.node.outputs.count)
        return parts > 0 && size % parts == 0 ? .holds : .fails("\(parts) splits do not divide axis size \(size)")
    }
}
