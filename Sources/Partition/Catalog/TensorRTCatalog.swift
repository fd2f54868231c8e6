import OnnxGraph
import OnnxModel

extension CapabilityCatalog {
    /// TensorRT (`TensorrtExecutionProvider`), as ORT's EP and the onnx-tensorrt parser decide it.
    ///
    /// The EP's `GetCapability` (`tensorrt_execution_provider.cc`) leaves out, before the parser
    /// runs, only two kinds of node: an If/Loop/Scan whose bodies did not all go to TensorRT,
    /// and an op type named in the `trt_op_types_to_exclude` option (empty by default). Every
    /// other node goes, in groups, to the parser's `supportsModel(V2)`, which tries to import
    /// each node and splits the group where one fails; groups smaller than `trt_min_subgraph_size`
    /// (default 1) are dropped. The parser picks an importer by op type alone, whatever the
    /// node's domain (`ModelImporter.cpp` `parseNode`), so names are matched in any domain.
    /// The op list and restrictions are those of onnx-tensorrt's `docs/operators.md` for
    /// TensorRT 10.15 GA; a node the parser fails at import time on something the graph
    /// cannot show (a shape it cannot resolve, a dynamic scale tensor) is not predicted.
    ///
    /// Nodes inside If/Loop/Scan bodies are taken: ORT calls `GetCapability` on each body and
    /// the EP assigns what the parser accepts there.
    public static let tensorRT = CapabilityCatalog(
        target: .tensorrt, ortRelease: "main (TensorRT EP), onnx-tensorrt 10.15 GA",
        source: "onnx/onnx-tensorrt docs/operators.md (TensorRT 10.15 GA), ModelImporter.cpp and importerUtils.cpp "
            + "(10.1-GA 96e7811); onnxruntime/core/providers/tensorrt/tensorrt_execution_provider.cc GetCapability",
        requiresFixedShapes: false, subgraphLimitation: nil,
        placement: .compiledPartitions, matchesOpNameInAnyDomain: true,
        compilesBodiesWithNode: true, controlFlowNeedsWholeBodies: true,
        commonRules: [.tensorRTElementTypes, .tensorRTUInt8Intermediate],
        ops: tensorRTOpNames.map { name in OpCapability(name, tensorRTRestrictions[name] ?? []) })

    /// The ops `docs/operators.md` (TensorRT 10.15 GA) marks supported ("Y").
    static let tensorRTOpNames: [String] = [
        "Abs", "Acos", "Acosh", "Add", "And", "ArgMax", "ArgMin", "Asin", "Asinh", "Atan", "Atanh", "Attention",
        "AveragePool", "BatchNormalization", "BlackmanWindow", "Cast", "CastLike", "Ceil", "Celu", "Clip", "Concat",
        "Constant", "ConstantOfShape", "Conv", "ConvTranspose", "Cos", "Cosh", "CumSum", "DeformConv", "DepthToSpace",
        "DequantizeLinear", "Div", "Dropout", "Einsum", "Elu", "Equal", "Erf", "Exp", "Expand", "EyeLike", "Flatten",
        "Floor", "Gather", "GatherElements", "GatherND", "Gelu", "Gemm", "GlobalAveragePool", "GlobalLpPool",
        "GlobalMaxPool", "Greater", "GreaterOrEqual", "GridSample", "GroupNormalization", "GRU", "HammingWindow",
        "HannWindow", "HardSigmoid", "HardSwish", "Hardmax", "Identity", "If", "ImageScaler", "InstanceNormalization",
        "IsInf", "IsNaN", "LayerNormalization", "LeakyRelu", "Less", "LessOrEqual", "Log", "LogSoftmax", "Loop", "LRN",
        "LSTM", "LpNormalization", "LpPool", "MatMul", "Max", "MaxPool", "Mean", "MeanVarianceNormalization", "Min",
        "Mish", "Mod", "Mul", "Neg", "NonMaxSuppression", "NonZero", "Not", "OneHot", "Or", "Pad", "ParametricSoftplus",
        "Pow", "PRelu", "QuantizeLinear", "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike",
        "Range", "Reciprocal", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean",
        "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize", "ReverseSequence",
        "RMSNormalization", "RNN", "RoiAlign", "RotaryEmbedding", "Round", "STFT", "ScaledTanh", "Scan", "Scatter",
        "ScatterElements", "ScatterND", "Selu", "Shape", "Shrink", "Sigmoid", "Sign", "Sin", "Sinh", "Size", "Slice",
        "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Split", "Sqrt", "Squeeze", "Sub", "Sum", "Tan", "Tanh",
        "TensorScatter", "ThresholdedRelu", "Tile", "TopK", "Transpose", "Trilu", "Unsqueeze", "Upsample", "Where", "Xor",
    ]

    /// The "Restrictions" column of `docs/operators.md` (10.15 GA), as rules.
    static let tensorRTRestrictions: [String: [CapabilityRule]] = {
        var r: [String: [CapabilityRule]] = [
            "Attention": [
                .tensorRTRank([0, 1, 2, 3], 4, "`Q`, `K`, `V` and `attn_mask` must be 4D."),
                .tensorRTInputsAbsent([4, 5, 6], "`past_key`, `past_value` and `nonpad_kv_seqlen` inputs are unsupported."),
                .tensorRTOutputsAbsent([1, 2, 3], "`present_key`, `present_value` and `qk_matmul_output` outputs are unsupported."),
                .tensorRTAttributeAtDefault(["qk_matmul_output_mode", "softcap"], "`qk_matmul_output_mode` and `softcap` attributes are unsupported."),
            ],
            "AveragePool": [.tensorRTPool2D3D, .tensorRTDilationsOnes],
            "Constant": [.tensorRTAttributesAbsent(["sparse_value", "value_string", "value_strings"],
                                                   "`sparse_value`, `value_string`, and `value_strings` attributes are unsupported.")],
            "CumSum": [.constant([1], "`axis` must be a build-time constant.")],
            "DeformConv": [.rank(of: 0, in: [3, 4], "`input` must have 1D or 2D spatial dimensions."), .tensorRTSymmetricPads],
            "DequantizeLinear": [.tensorRTZeroPointZero("`x_zero_point` must be zero.")],
            "Dropout": [.tensorRTDropoutNotTraining],
            "EyeLike": [.tensorRTStaticDims(0, "`input` must have static dimensions.")],
            "GridSample": [.rank(of: 0, in: [4], "Input must be 4D input.")],
            "GRU": [.tensorRTBidirectionalActivations(perDirection: 2)],
            "Hardmax": [.tensorRTHardmaxAxisStatic],
            "If": [.tensorRTBranchRanksAgree],
            "LayerNormalization": [.tensorRTOutputsAbsent([1, 2], "Only the first output `Y` is supported.")],
            "Loop": [.unchecked("Scan output length cannot be dynamic. The shape of Loop carried dependencies must be the same across all loop iterations.")],
            "LpPool": [.tensorRTDilationsOnes],
            "LSTM": [.tensorRTBidirectionalActivations(perDirection: 3),
                     .attribute("input_forget", default: 0, in: [0], "`input_forget` attribute must be 0."),
                     .attribute("layout", default: 0, in: [0], "`layout` attribute must be 0.")],
            "MaxPool": [.tensorRTPool2D3D,
                        .tensorRTOutputsAbsent([1], "`Indices` output tensor unsupported."),
                        .tensorRTDilationsOnes],
            "OneHot": [.constant([1], "`depth` must be a build-time constant.")],
            "QuantizeLinear": [.tensorRTZeroPointZero("`y_zero_point` must be 0.")],
            "Resize": [.tensorRTResizeModes,
                       .attribute("keep_aspect_ratio_policy", default: "stretch", in: ["stretch"], "Supported aspect ratio policy: `stretch`."),
                       .tensorRTResizeAxesIota,
                       .attribute("antialias", default: 0, in: [0], "Antialiasing is not supported.")],
            "RNN": [.tensorRTBidirectionalActivations(perDirection: 1)],
            "RotaryEmbedding": [.types([3], in: [.int64], "`position_ids` must be INT64.")],
            "Scan": [],
            "ScatterND": [.attribute("reduction", default: "none", in: ["none"], "`reduction` other than `none` is not supported.")],
            "STFT": [.constant([1, 2], "`frame_step` and `window` must be an initializer."), .tensorRTSTFTRealInput],
            "Squeeze": [.tensorRTResolvableConstant(1, "`axes` must be resolvable to a constant.")],
            "TensorScatter": [.tensorRTRank([0, 1], 4, "`past_cache` and `update` must be 4D."), .tensorRTTensorScatterAxis],
            "TopK": [.attribute("sorted", default: 1, in: [1], "`sorted` must be 1."), .tensorRTTopKBelow3840],
            "Unsqueeze": [.tensorRTResolvableConstant(1, "`axes` must be resolvable to a constant.")],
        ]
        for op in ["ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin",
                   "ReduceProd", "ReduceSum", "ReduceSumSquare"] {
            // Before opset 18 (13 for ReduceSum) axes is an attribute and input 1 does not exist.
            r[op] = [.constant([1], "`axes` must be an initializer.")]
        }
        return r
    }()

    /// `convertDtype` (`importerUtils.cpp`) plus the 10.15 doc's FP4: the ONNX types the parser
    /// maps to a TensorRT type (DOUBLE is cast down to FLOAT). FP8 is E4M3FN only.
    static let tensorRTElementTypes: Set<DataType> = [
        .double, .float, .float16, .bfloat16, .float8e4m3fn, .float4e2m1, .int32, .int64, .int8, .int4, .uint8, .bool,
    ]
}

extension CapabilityRule {
    /// Every input and output of a type the parser maps to TensorRT; no sequences (the
    /// Sequence* ops are all unsupported).
    static let tensorRTElementTypes = CapabilityRule(
        "Inputs and outputs must be DOUBLE (cast to FLOAT), FLOAT32, FLOAT16, BFLOAT16, FP8 (E4M3), FP4, INT32, INT64, INT8, INT4, UINT8 or BOOL tensors."
    ) { c in
        let allowed = CapabilityCatalog.tensorRTElementTypes
        func check(_ name: String, _ f: ValueFacts?) -> RuleOutcome? {
            guard let f else { return nil }
            if f.isSequence { return .fails("'\(name)' is a sequence") }
            if let t = f.elementType, !allowed.contains(t) { return .fails("'\(name)' is \(t.name)") }
            return nil
        }
        for i in c.node.inputs.indices where c.hasInput(i) {
            if let r = check(c.node.inputs[i], c.facts(i)) { return r }
        }
        for i in c.node.outputs.indices where c.hasOutput(i) {
            if let r = check(c.node.outputs[i], c.outputFacts(i)) { return r }
        }
        return .holds
    }

    /// `ModelImporter.cpp` `parseNode`: a UINT8 output is refused unless it is an output of the
    /// graph given to the parser. Which values end a TensorRT partition is not known here.
    static let tensorRTUInt8Intermediate = CapabilityRule(
        "UINT8 is only supported as network input or output tensor types."
    ) { c in
        let graphOutputs = c.index.scopes[c.scope].graph.outputs
        for i in c.node.outputs.indices where c.hasOutput(i) {
            guard c.outputFacts(i)?.elementType == .uint8 else { continue }
            let name = c.node.outputs[i]
            if graphOutputs.contains(where: { $0.name == name }) { continue }
            return .unknown("UINT8 output '\(name)' is accepted only if it ends the TensorRT partition")
        }
        return .holds
    }

    /// Inputs at these positions, when present, must have rank `rank`.
    static func tensorRTRank(_ inputs: [Int], _ rank: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in inputs where c.hasInput(i) {
                guard let r = c.rank(i) else { return .unknown("rank of '\(c.node.inputs[i])' unknown") }
                if r != rank { return .fails("input '\(c.node.inputs[i])' has rank \(r)") }
            }
            return .holds
        }
    }

    static func tensorRTInputsAbsent(_ inputs: [Int], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in inputs where c.hasInput(i) { return .fails("input \(i) '\(c.node.inputs[i])' is given") }
            return .holds
        }
    }

    static func tensorRTOutputsAbsent(_ outputs: [Int], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in outputs where c.hasOutput(i) { return .fails("output \(i) '\(c.node.outputs[i])' is used") }
            return .holds
        }
    }

    static func tensorRTAttributesAbsent(_ names: [String], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for n in names where c.node.attribute(n) != nil { return .fails("\(n) is set") }
            return .holds
        }
    }

    /// The attributes, when given, hold their ONNX default (0 for these int/float attributes).
    static func tensorRTAttributeAtDefault(_ names: [String], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for n in names {
                guard let a = c.node.attribute(n) else { continue }
                if a.i != 0 || a.f != 0 { return .fails("\(n) is set") }
            }
            return .holds
        }
    }

    static let tensorRTPool2D3D = CapabilityRule.rank(of: 0, in: [4, 5], "2D or 3D pooling only.")

    static let tensorRTDilationsOnes = CapabilityRule("`dilations` must be empty or all ones.") { c in
        let d = c.node.attribute("dilations")?.ints ?? []
        return d.allSatisfy { $0 == 1 } ? .holds : .fails("dilations are \(d)")
    }

    /// DeformConv `pads` is [x1_begin, x2_begin, …, x1_end, x2_end, …].
    static let tensorRTSymmetricPads = CapabilityRule(
        "`pads` for the beginning and end along each spatial axis must be the same."
    ) { c in
        let p = c.node.attribute("pads")?.ints ?? []
        guard !p.isEmpty else { return .holds }
        guard p.count % 2 == 0 else { return .fails("pads \(p) has an odd length") }
        let h = p.count / 2
        return (0..<h).allSatisfy { p[$0] == p[$0 + h] } ? .holds : .fails("pads \(p) differ at begin and end")
    }

    /// Q/DQ zero point (input 2), when given, all zeros. `QuantDequantLinearHelper`: constant
    /// zero points are checked at import; a computed one is passed on as a tensor.
    static func tensorRTZeroPointZero(_ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(2) else { return .holds }
            let name = c.node.inputs[2]
            guard c.isConstant(name) else { return .unknown("zero point '\(name)' is computed at run time") }
            guard let v = c.facts(2)?.value?.integers else { return .unknown("values of zero point '\(name)' unknown") }
            return v.allSatisfy { $0 == 0 } ? .holds : .fails("zero point '\(name)' is not all zeros")
        }
    }

    /// Dropout's `training_mode` (input 2): an initializer, false.
    static let tensorRTDropoutNotTraining = CapabilityRule(
        "`is_training` must be an initializer and evaluate to False."
    ) { c in
        guard c.hasInput(2) else { return .holds }
        let name = c.node.inputs[2]
        guard c.isConstant(name) else { return .fails("training_mode '\(name)' is computed at run time") }
        guard let v = c.facts(2)?.value?.integers else { return .unknown("value of training_mode '\(name)' unknown") }
        return v.allSatisfy { $0 == 0 } ? .holds : .fails("training_mode '\(name)' is true")
    }

    static func tensorRTStaticDims(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .holds }
            guard let dims = c.facts(input)?.dims else { return .unknown("shape of '\(c.node.inputs[input])' unknown") }
            if dims.allSatisfy({ $0.intValue != nil }) { return .holds }
            if dims.contains(where: { if case .param = $0 { return true } else { return false } }) {
                return .fails("'\(c.node.inputs[input])' has a dynamic dim")
            }
            return .unknown("some dims of '\(c.node.inputs[input])' unknown")
        }
    }

    /// Hardmax's `axis` (default 1 before opset 13, -1 from 13): that dim must be static.
    static let tensorRTHardmaxAxisStatic = CapabilityRule(
        "`axis` dimension of input must be a build-time constant."
    ) { c in
        guard let dims = c.facts(0)?.dims else { return .unknown("shape of '\(c.node.inputs.first ?? "")' unknown") }
        let fallback: Int64 = (c.opsetVersion ?? 13) >= 13 ? -1 : 1
        var axis = Int(c.node.attribute("axis")?.i ?? fallback)
        if axis < 0 { axis += dims.count }
        guard axis >= 0, axis < dims.count else { return .fails("axis out of range for rank \(dims.count)") }
        switch dims[axis] {
        case .value: return .holds
        case .param(let p): return .fails("the axis dim is dynamic ('\(p)')")
        case .unknown: return .unknown("size of the axis dim unknown")
        }
    }

    /// RNN/GRU/LSTM: for a bidirectional node the forward and reverse activations agree.
    static func tensorRTBidirectionalActivations(perDirection n: Int) -> CapabilityRule {
        CapabilityRule("For bidirectional RNNs, activation functions must be the same for both the forward and reverse pass.") { c in
            guard c.node.attribute("direction")?.s?.string == "bidirectional" else { return .holds }
            let a = (c.node.attribute("activations")?.strings ?? []).map { $0.string.lowercased() }
            guard a.count == 2 * n else { return .holds }  // absent: the defaults, the same both ways
            return Array(a[0..<n]) == Array(a[n...]) ? .holds : .fails("activations \(a) differ between directions")
        }
    }

    /// If: "Output tensors of the two conditional branches must have the same rank" (the
    /// doc); whether every body node goes to TensorRT is ``CapabilityCatalog/controlFlowNeedsWholeBodies``.
    static let tensorRTBranchRanksAgree = CapabilityRule("Output tensors of the two conditional branches must have the same rank.") { c in
        guard let id = c.nodeID else { return .unknown("node unknown") }
        if let (output, thenRank, elseRank) = IfBranches.rankMismatch(scope: c.scope, node: id, index: c.index, shapes: c.shapes) {
            return .fails("'\(output)' has rank \(thenRank) from then_branch and \(elseRank) from else_branch")
        }
        return .holds
    }

    static let tensorRTResizeModes = CapabilityRule(
        "Supported resize transformation modes: `half_pixel`, `pytorch_half_pixel`, `tf_half_pixel_for_nn`, `asymmetric`, and `align_corners`. Supported resize modes: `nearest`, `linear`."
    ) { c in
        let ctm = c.node.attribute("coordinate_transformation_mode")?.s?.string ?? "half_pixel"
        let supported: Set<String> = ["half_pixel", "pytorch_half_pixel", "tf_half_pixel_for_nn", "asymmetric", "align_corners"]
        if !supported.contains(ctm) { return .fails("coordinate_transformation_mode is '\(ctm)'") }
        let mode = c.node.attribute("mode")?.s?.string ?? "nearest"
        if mode == "nearest" || mode == "linear" { return .holds }
        // The doc leaves cubic out, yet the 10.1 importer maps it (InterpolationMode::kCUBIC).
        if mode == "cubic" { return .unknown("mode 'cubic' is not in the doc's list but the importer handles it") }
        return .fails("mode is '\(mode)'")
    }

    /// `axes` with a `scales` tensor must be 0…rank-1 (the importer cannot interlace them).
    static let tensorRTResizeAxesIota = CapabilityRule(
        "When `scales` is a tensor input, `axes` must be an iota vector of length rank(input)."
    ) { c in
        guard let axes = c.node.attribute("axes")?.ints, !axes.isEmpty else { return .holds }
        guard c.hasInput(2), !c.isConstant(c.node.inputs[2]) else { return .holds }
        guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
        let normal = axes.map { $0 < 0 ? $0 + Int64(r) : $0 }
        return normal == (0..<Int64(r)).map { $0 } ? .holds : .fails("axes \(axes) are not 0…\(r - 1)")
    }

    /// Squeeze/Unsqueeze axes: an initializer, or values onnxscope could fold.
    static func tensorRTResolvableConstant(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .holds }
            let name = c.node.inputs[input]
            if c.isConstant(name) || c.facts(input)?.value?.integers != nil { return .holds }
            return .unknown("'\(name)' is computed at run time")
        }
    }

    /// STFT: a real signal is [batch, length, 1] (a complex one ends in 2).
    static let tensorRTSTFTRealInput = CapabilityRule("Input must be real-valued.") { c in
        guard let dims = c.facts(0)?.dims, let last = dims.last else { return .unknown("shape of the signal unknown") }
        guard let v = last.intValue else { return .unknown("last dim of the signal unknown") }
        return v == 1 ? .holds : .fails("the signal's last dim is \(v) (complex)")
    }

    static let tensorRTTensorScatterAxis = CapabilityRule("`axis` must be -2.") { c in
        let axis = c.node.attribute("axis")?.i ?? -2
        if axis == -2 { return .holds }
        if let r = c.rank(0), axis == Int64(r - 2) { return .holds }
        return .fails("axis is \(axis)")
    }

    /// TopK's K: input 1 from opset 10, attribute `k` before.
    static let tensorRTTopKBelow3840 = CapabilityRule("`K` input must be less than 3840.") { c in
        if let k = c.node.attribute("k"), !c.hasInput(1) {
            return k.i < 3840 ? .holds : .fails("k is \(k.i)")
        }
        guard c.hasInput(1) else { return .holds }
        guard let v = c.facts(1)?.value?.integers, let k = v.first else {
            return .unknown("value of K '\(c.node.inputs[1])' unknown")
        }
        return k < 3840 ? .holds : .fails("K is \(k)")
    }
}
