import OnnxGraph
import OnnxModel

extension CapabilityCatalog {
    /// OpenVINO on the CPU device (`--ep openvino`, `device_type=CPU`), as the
    /// `onnxruntime-openvino` 1.24.1 wheel (OpenVINO 2025.4) decides it.
    ///
    /// The EP's `DataOps::node_is_supported` (`ov_versions/data_ops.cc`) checks, in order: the
    /// op's name is in its list, whatever the node's domain; every input and output has an
    /// element type it handles; no input (constant initializers aside) or output is a scalar,
    /// unless the op is one that takes scalars, and none has a zero-sized dim; then a few
    /// "unsupported modes" of ai.onnx ops (ReduceMax on 8-bit input, an Unsqueeze reading a
    /// value named `axes`, Reshape to an empty shape). What differs most from the other
    /// EPs is the partitioning (``OpenVINOClustering``). The list was read from ORT's source of
    /// that generation and checked against the wheel's strings; the agreement tests measure
    /// every rule with the EP's real assignment (`partition --measure` does it on any model).
    ///
    /// OpenVINO can still refuse a graph it was given when it compiles it, failing the whole
    /// session instead of falling back (silero-vad on this release): the prediction cannot see
    /// that, the measurement does.
    public static let openVINOCPU = CapabilityCatalog(
        target: .openvino, ortRelease: "1.24.1 (OpenVINO 2025.4)",
        source: "onnxruntime/core/providers/openvino/ov_versions/data_ops.cc, capability.cc and utils.cc (ORT 1.24)",
        requiresFixedShapes: false, subgraphLimitation: nil,
        partitioning: .openVINOClusters, matchesOpNameInAnyDomain: true, compilesBodiesWithNode: true,
        commonRules: [.openVINOElementTypes, .openVINODims],
        ops: openVINOOpNames.map { name in OpCapability(name, openVINOModes[name] ?? []) })

    /// `op_list_`: the ai.onnx ops with an unsupported mode on this OpenVINO version.
    static let openVINOModes: [String: [CapabilityRule]] = [
        "ReduceMax": [.onnxDomainOnly(CapabilityRule("ReduceMax on int8 or uint8 input is not supported.") { c in
            for i in c.node.inputs.indices where c.hasInput(i) {
                if let t = c.facts(i)?.elementType, t == .int8 || t == .uint8 { return .fails("input '\(c.node.inputs[i])' is \(t.name)") }
            }
            return .holds
        })],
        "Reshape": [.onnxDomainOnly(CapabilityRule("Reshape to an empty shape is not supported.") { c in
            let i = c.node.inputs.count > 1 ? 1 : 0
            guard let dims = c.facts(i)?.dims else { return .holds }
            return dims.contains { $0.intValue == 0 } ? .fails("shape '\(c.node.inputs[i])' is empty") : .holds
        })],
        "Unsqueeze": [.onnxDomainOnly(CapabilityRule("Unsqueeze must not read a value named 'axes'.") { c in
            // data_ops.cc tests the input's name, not whether it is constant.
            c.node.inputs.contains("axes") ? .fails("it reads a value named 'axes'") : .holds
        })],
        // data_ops.cc also lists an Upsample mode (rank 1 or 4, scaling N or C); the 1.24.1 wheel
        // takes rank-4 Upsample all the same (measured: openvino_cases.py, upsample_rank4).
    ]

    /// `no_dimension_supported_` on the CPU device: the ops that may read or produce scalars.
    static let openVINOScalarOps: Set<String> = [
        "Add", "And", "Cast", "Ceil", "Clip", "Div", "DequantizeLinear", "Equal", "Expand", "Floor", "Gather",
        "Greater", "Identity", "If", "Less", "Loop", "Max", "Min", "Mul", "Neg", "Pow", "QuantizeLinear", "Range",
        "ReduceMax", "ReduceMin", "ReduceProd", "Reshape", "Shape", "Sqrt", "Squeeze", "Sub", "Unsqueeze", "Where",
    ]

    /// Ops whose values may have a zero-sized dim on the CPU device.
    static let openVINOZeroDimOps: Set<String> = ["Expand", "Equal", "Slice", "Concat", "Shape", "Cast", "Resize"]

    /// `supported_types_cpu_` (`supported_types_initializer_` adds nothing the CPU set lacks).
    static let openVINOElementTypes: Set<DataType> = [.bool, .float, .int32, .int16, .uint16, .int8, .uint8, .int64, .float16, .int4, .uint4]

    /// `supported_op_mode` of ORT 1.24's `data_ops.cc`, the entries that hold on the CPU device.
    static let openVINOOpNames: [String] = [
        "Abs", "Acos", "Acosh", "Add", "And", "ArgMax", "ArgMin", "Asin", "Asinh", "Atan", "Atanh",
        "Attention", "AveragePool", "BatchNormalization", "BiasGelu", "BitShift", "Cast", "CastLike", "Ceil", "Celu",
        "Clip", "Compress", "Concat", "Constant", "ConstantOfShape", "Conv", "ConvInteger", "ConvTranspose",
        "Cos", "Cosh", "CumSum", "DepthToSpace", "DequantizeLinear", "Div", "Dropout", "DynamicQuantizeLinear",
        "DynamicQuantizeMatMul", "Einsum", "Elu", "EmbedLayerNormalization", "EPContext", "Equal", "Erf", "Exp",
        "Expand", "EyeLike", "Flatten", "Floor", "FusedConv", "FusedGemm", "FusedMatMul", "Gather",
        "GatherElements", "GatherND", "Gelu", "Gemm", "GlobalAveragePool", "GlobalLpPool", "GlobalMaxPool",
        "Greater", "GreaterOrEqual", "GridSample", "GroupQueryAttention", "GRU", "HardMax", "HardSigmoid",
        "HardSwish", "Identity", "If", "ImageScaler", "InstanceNormalization", "LayerNormalization", "LeakyRelu",
        "Less", "LessOrEqual", "Log", "LogSoftMax", "LogSoftmax", "Loop", "LpNormalization", "LRN", "LSTM",
        "MatMul", "MatMulInteger", "MatMulNBits", "Max", "MaxPool", "Mean", "MeanVarianceNormalization", "Min",
        "Mod", "Mul", "Neg", "NonMaxSuppression", "NonZero", "Not", "OneHot", "Or", "Pad", "Pow", "PRelu",
        "QLinearMatMul", "QuantizeLinear", "QuickGelu", "RandomNormal", "RandomNormalLike", "Range", "Reciprocal",
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin",
        "ReduceProd", "ReduceSum", "ReduceSumSquare", "Relu", "Reshape", "Resize", "ReverseSequence", "RNN",
        "RoiAlign", "Round", "Scatter", "ScatterElements", "ScatterND", "Selu", "Shape", "Shrink", "Sigmoid",
        "Sign", "SimplifiedLayerNormalization", "Sin", "Sinh", "Size", "SkipLayerNormalization",
        "SkipSimplifiedLayerNormalization", "Slice", "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Split",
        "Sqrt", "Squeeze", "Sub", "Sum", "Tan", "Tanh", "ThresholdedRelu", "Tile", "TopK", "Transpose", "Trilu",
        "Unsqueeze", "Upsample", "Where", "Xor",
    ]
}

extension CapabilityRule {
    /// The rule applies to ai.onnx nodes only (`data_ops.cc` checks modes for that domain).
    static func onnxDomainOnly(_ rule: CapabilityRule) -> CapabilityRule {
        CapabilityRule(rule.caveat) { c in
            c.node.domain.isEmpty || c.node.domain == "ai.onnx" ? rule.evaluate(c) : .holds
        }
    }

    /// Check 1 of `node_is_supported`: every input and output of a type the EP handles.
    static let openVINOElementTypes = CapabilityRule("Inputs and outputs must be bool, float32, float16, int64, int32, int16, uint16, int8, uint8, int4 or uint4.") { c in
        let allowed = CapabilityCatalog.openVINOElementTypes
        for i in c.node.inputs.indices where c.hasInput(i) {
            if let t = c.facts(i)?.elementType, !allowed.contains(t) { return .fails("input '\(c.node.inputs[i])' is \(t.name)") }
        }
        for i in c.node.outputs.indices where c.hasOutput(i) {
            if let t = c.outputFacts(i)?.elementType, !allowed.contains(t) { return .fails("output '\(c.node.outputs[i])' is \(t.name)") }
        }
        return .holds
    }

    /// Check 2 of `node_is_supported`: no scalar (unless the op takes them) and no zero-sized
    /// dim, over the outputs and the inputs that are not constant initializers.
    static let openVINODims = CapabilityRule("No input or output may be a scalar (except for ops that take them) or have a zero-sized dim.") { c in
        let op = c.node.opType
        func check(_ name: String, _ facts: ValueFacts?) -> RuleOutcome? {
            guard let dims = facts?.dims, !(facts?.isSequence ?? false) else { return nil }
            if dims.isEmpty && !CapabilityCatalog.openVINOScalarOps.contains(op) { return .fails("'\(name)' is a scalar") }
            if dims.contains(where: { $0.intValue == 0 }) && !CapabilityCatalog.openVINOZeroDimOps.contains(op) {
                return .fails("'\(name)' has a zero-sized dim")
            }
            return nil
        }
        for i in c.node.inputs.indices where c.hasInput(i) && !c.isConstant(c.node.inputs[i]) {
            if let r = check(c.node.inputs[i], c.facts(i)) { return r }
        }
        for i in c.node.outputs.indices where c.hasOutput(i) {
            if let r = check(c.node.outputs[i], c.outputFacts(i)) { return r }
        }
        return .holds
    }
}
