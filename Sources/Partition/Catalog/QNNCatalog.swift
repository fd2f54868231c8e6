import OnnxGraph
import OnnxModel

extension CapabilityCatalog {
    /// QNN on the HTP backend (Qualcomm NPU, `backend_type=htp`), as the QNN execution provider
    /// decides it in `onnxruntime/onnxruntime-qnn` at cee6c0d (2026-03-13, the v2.0.0 plugin EP,
    /// built on ORT 1.24.1; the repository carries microsoft/onnxruntime's history and its QNN EP
    /// was moved there from `onnxruntime/core/providers/qnn`).
    ///
    /// `GetCapabilityImpl` (qnn_execution_provider.cc) returns nothing for a graph with a parent
    /// node, groups nodes into QDQ node units, and asks each unit's op builder (looked up by op
    /// type alone, whatever the domain: `GetOpBuilder(op_type)`) through `IsOpSupported`. Every
    /// input and output goes through `QnnModelWrapper::GetTensorInfo`, whose `GetOnnxShape`
    /// rejects a dim < 0 (ORT reports symbolic dims as -1): shapes must be fixed. What the
    /// builders check from the graph is modelled here; the QNN SDK's own op validation
    /// (`QnnGraphOpValidation`, run for every node, and again on NHWC-transposed layout-sensitive
    /// ops) cannot be predicted. A partition that is a single QuantizeLinear or DequantizeLinear
    /// is dropped (``CapabilityCatalog/Partitioning/ortGroupsWithoutLoneQDQ``). Not modelled:
    /// QNN fusions (Erf-based Gelu, DQ→Q,
    /// HardSigmoid·Mul…) take nodes, such as Erf, that have no builder of their own.
    public static let qnnHTP = CapabilityCatalog(
        target: .qnn, ortRelease: "1.24.1 (onnxruntime-qnn 2.0.0)",
        source: "onnxruntime/core/providers/qnn/builder/op_builder_factory.cc, builder/opbuilder/*.cc, "
            + "builder/qnn_model_wrapper.cc, builder/qnn_utils.cc, qnn_execution_provider.cc (onnxruntime/onnxruntime-qnn@cee6c0d)",
        requiresFixedShapes: true,
        subgraphLimitation: "the QNN EP takes no nodes inside If/Loop/Scan bodies (GetCapability returns early for a graph with a parent node)",
        placement: .compiledPartitions, partitioning: .ortGroupsWithoutLoneQDQ,
        matchesOpNameInAnyDomain: true,
        commonRules: [.qnnElementTypes, .qnnOutputShapesFixed, .qnnHTPFloat],
        ops: qnnOps)

    /// Every op type `op_builder_factory.cc` registers, with its builder's checks.
    static let qnnOps: [OpCapability] = {
        // SimpleOpBuilder ops without an op-specific check.
        let plain = ["Add", "Asin", "Atan", "Mul", "Abs", "And", "Ceil", "Cos", "Sign", "Div", "Equal", "Exp", "Floor",
                     "Greater", "GreaterOrEqual", "LeakyRelu", "Less", "LessOrEqual", "Log", "Neg", "Not", "Or", "Pow",
                     "PRelu", "Relu", "Gelu", "Elu", "Round", "Where", "Sigmoid", "Sin", "Sqrt", "Sub", "Tanh",
                     "HardSwish", "HardSigmoid", "DepthToSpace", "SpaceToDepth"]
        var ops = plain.map { OpCapability($0) }
        ops += [
            // simple_op_builder.cc ExplicitOpCheck
            OpCapability("Max", [.qnnInputCount(2, "QNN Max takes exactly 2 inputs.")]),
            OpCapability("Min", [.qnnInputCount(2, "QNN Min takes exactly 2 inputs.")]),
            OpCapability("Sum", [.qnnInputCount(2, "QNN Sum (ElementWiseAdd) takes exactly 2 inputs.")]),
            OpCapability("ScatterND", [.attribute("reduction", default: "none", in: ["none", "add", "mul"], "ScatterND reduction must be none, add or mul.")]),
            OpCapability("ScatterElements", [.attribute("reduction", default: "none", in: ["none", "add", "mul", "max"], "ScatterElements reduction must be none, add, mul or max.")]),
            OpCapability("GridSample", [.attribute("mode", default: "linear", in: ["bilinear", "nearest", "linear"], "GridSample mode must be bilinear, linear or nearest."),
                                        .attribute("padding_mode", default: "zeros", in: ["zeros", "border", "reflection"], "GridSample padding_mode must be zeros, border or reflection.")]),
            OpCapability("LpNormalization", [.attribute("p", default: 2, in: [2], "QNN LpNormalization takes p = 2 only.")]),
            OpCapability("QuantizeLinear", [.qnnQNotOnGraphInput, .qnnStandaloneQDQPerTensor(scale: 1)]),
            OpCapability("DequantizeLinear", [.qnnDQNotOnGraphOutput, .qnnStandaloneQDQPerTensor(scale: 1)]),
            // concat_op_builder.cc: inputs with a 0 dim are dropped; one must remain.
            OpCapability("Concat", [.qnnConcatHasNonEmptyInput]),
            // softmax_op_builder.cc
            OpCapability("Softmax", [.qnnNotInitializer0]),
            OpCapability("LogSoftmax", [.qnnNotInitializer0]),
            OpCapability("Cast"),
            // reduce_op_builder.cc
            OpCapability("ReduceMax", [.qnnReduceAxes]),
            OpCapability("ReduceMean", [.qnnReduceAxes]),
            OpCapability("ReduceMin", [.qnnReduceAxes]),
            OpCapability("ReduceProd", [.qnnNeverOnHTP("ReduceProd is not supported by the HTP backend.")]),
            OpCapability("ReduceSum", [.qnnReduceAxes]),
            OpCapability("ReduceL2", [.qnnReduceAxes, .qnnInputNotQuantized(0, "ReduceL2 does not take a quantized input.")]),
            // conv_op_builder.cc IsOpSupported
            OpCapability("Conv", [.rank(of: 0, in: [3, 4, 5], "QNN Conv takes 1D, 2D or 3D input (rank 3, 4 or 5)."),
                                  .qnnConvWeightQuantAxis(0)]),
            OpCapability("ConvTranspose", [.rank(of: 0, in: [3, 4, 5], "QNN ConvTranspose takes 1D, 2D or 3D input (rank 3, 4 or 5)."),
                                           .qnnIntsAllOne("dilations", "QNN TransposeConv only takes dilations of 1."),
                                           .qnnConvWeightQuantAxis(1)]),
            // pool_op_builder.cc IsOpSupported
            OpCapability("GlobalAveragePool", [.qnnPoolRank, .qnnSingleOutput("QNN Pool has 1 output."), .qnnIntsAllOne("dilations", "QNN Pool only takes dilations of 1.")]),
            OpCapability("AveragePool", [.qnnPoolRank, .qnnSingleOutput("QNN Pool has 1 output."), .qnnIntsAllOne("dilations", "QNN Pool only takes dilations of 1.")]),
            OpCapability("MaxPool", [.qnnPoolRank, .qnnSingleOutput("QNN Pool has 1 output (no Indices)."), .qnnIntsAllOne("dilations", "QNN Pool only takes dilations of 1."), .qnnNoMaxPool3D]),
            OpCapability("GlobalMaxPool", [.qnnPoolRank, .qnnSingleOutput("QNN Pool has 1 output."), .qnnNoMaxPool3D]),
            // reshape_op_builder.cc: only input 0 is read (the output shape is used).
            OpCapability("Reshape", [.qnnReshapeAllowZero]),
            OpCapability("Flatten"), OpCapability("Squeeze"), OpCapability("Unsqueeze"),
            // gemm_op_builder.cc ExplictOpCheck
            OpCapability("Gemm", [.qnnFloatAttribute("alpha", default: 1, equals: 1, "QNN FullyConnected takes alpha = 1 only."),
                                  .qnnFloatAttribute("beta", default: 1, equals: 1, "QNN FullyConnected takes beta = 1 only."),
                                  .qnnGemmBiasShape]),
            OpCapability("Gather"), OpCapability("GatherElements"),
            // argmax_argmin_op_builder.cc
            OpCapability("ArgMax", [.attribute("select_last_index", default: 0, in: [0], "QNN ArgMax takes select_last_index = 0 only.")]),
            OpCapability("ArgMin", [.attribute("select_last_index", default: 0, in: [0], "QNN ArgMin takes select_last_index = 0 only.")]),
            // clip_op_builder.cc ExplicitOpCheck
            OpCapability("Clip", [.constant([1, 2], "Clip min and max must be constant.")]),
            // slice_op_builder.cc ExplictOpCheck
            OpCapability("Slice", [.constant(from: 1, "Slice starts, ends, axes and steps must be constant.")]),
            // split_op_builder.cc
            OpCapability("Split", [.constant([1], "Split's split input must be constant.")]),
            OpCapability("Resize", [.qnnResize]),
            OpCapability("Upsample", [.qnnUpsample]),
            // topk_op_builder.cc ExplictOpCheck
            OpCapability("TopK", [.constant([1], "TopK's k must be constant."), .qnnOutputCount(2, "QNN TopK produces exactly 2 outputs.")]),
            // tile_op_builder.cc
            OpCapability("Tile", [.constant([1], "Tile's repeats must be constant.")]),
            OpCapability("InstanceNormalization", [.rank(of: 0, in: [3, 4], "QNN InstanceNorm takes rank 3 or 4 input."),
                                                   .qnnChannelVectors([1, 2], "InstanceNorm scale and bias must have shape [C]."),
                                                   .qnnPositiveFloat("epsilon", default: 1e-5, "InstanceNorm epsilon must be > 0.")]),
            OpCapability("BatchNormalization", [.qnnBatchNorm]),
            OpCapability("LayerNormalization", [.qnnSingleOutput("QNN LayerNorm has 1 output (no Mean, InvStdDev)."),
                                                .qnnAxisIsLast(default: -1, "QNN LayerNorm on HTP normalizes the last axis only.")]),
            OpCapability("RMSNormalization", qnnRMSNormRules),
            OpCapability("SimplifiedLayerNormalization", qnnRMSNormRules),
            OpCapability("LRN", [.rank(of: 0, in: [3, 4], "QNN LRN takes rank 3 or 4 input."), .qnnLRNAttributes]),
            OpCapability("Transpose"), OpCapability("Reciprocal"),
            OpCapability("Pad", [.qnnPad]),
            // expand_op_builder.cc
            OpCapability("Expand", [.constant([1], "Expand's shape must be constant.")]),
            OpCapability("Einsum", [.qnnEinsum]),
            OpCapability("MatMul"),
            // mean_op_builder.cc
            OpCapability("Mean", [CapabilityRule("QNN Mean takes at least 2 inputs.") { c in
                c.node.inputs.count >= 2 ? .holds : .fails("it has \(c.node.inputs.count) input")
            }]),
            OpCapability("LSTM", [.qnnLSTM]),
            // cumsum_op_builder.cc
            OpCapability("CumSum", [.constant([1], "CumSum's axis must be constant."),
                                    .attribute("exclusive", default: 0, in: [0], "QNN CumSum takes exclusive = 0 only."),
                                    .attribute("reverse", default: 0, in: [0], "QNN CumSum takes reverse = 0 only.")]),
            OpCapability("RandomUniformLike"),
            OpCapability("GatherND"),
            // mod_op_builder.cc
            OpCapability("Mod", [.attribute("fmod", default: 0, in: [0], "QNN Mod takes fmod = 0 only.")]),
            OpCapability("ThresholdedRelu", [.qnnThresholdedReluType]),
            OpCapability("STFT"),
            OpCapability("Inverse", domain: "com.microsoft", [.qnnInverse]),
            // matmulnbits_op_builder.cc: RETURN_IF_NOT(is_gpu_backend)
            OpCapability("MatMulNBits", domain: "com.microsoft", [.qnnNeverOnHTP("MatMulNBits is supported on the QNN GPU backend only.")]),
            OpCapability("QuickGelu", domain: "com.microsoft"),
            // fusedmatmul_op_builder.cc
            OpCapability("FusedMatMul", domain: "com.microsoft", [.qnnInputCount(2, "QNN FusedMatMul takes exactly 2 inputs.")]),
            // isnan_op_builder.cc
            OpCapability("IsNaN", [.qnnIsNaNTypes]),
            OpCapability("GroupNormalization", [.qnnGroupNorm]),
            // tan_op_builder.cc
            OpCapability("Tan", [.types([0], in: [.float, .float16], "QNN Tan takes float32 or float16 input.")]),
            OpCapability("RoiAlign", [.qnnRoiAlign]),
        ]
        return ops
    }()

    /// rms_norm_op_builder.cc IsOpSupported (RMSNormalization and SimplifiedLayerNormalization).
    static let qnnRMSNormRules: [CapabilityRule] = [
        .qnnSingleOutput("QNN RMSNorm has 1 output (no inv_std_var)."),
        CapabilityRule("QNN RMSNorm requires the scale input.") { c in c.hasInput(1) ? .holds : .fails("it has no scale input") },
        .rank(of: 0, in: [0, 1, 2, 3, 4], "QNN RMSNorm takes input rank <= 4."),
        .qnnOutputRankAtMost(4, "QNN RMSNorm produces output rank <= 4."),
        .qnnAxisIsLast(default: -1, "QNN RMSNorm on HTP normalizes the last axis only."),
    ]
}

extension CapabilityRule {
    // MARK: Helpers

    /// The node producing input `i` in the node's own scope.
    static func qnnProducer(_ c: NodeContext, _ i: Int) -> Node? {
        guard c.hasInput(i) else { return nil }
        let g = c.index.scopes[c.scope]
        guard let n = g.producerNode(of: c.node.inputs[i]) else { return nil }
        return g.node(n)
    }

    /// The DequantizeLinear feeding input `i`, if one does: ORT's QDQ selectors then make the
    /// input quantized in the node unit (modelled loosely: the selectors' own checks are not).
    static func qnnDQ(_ c: NodeContext, _ i: Int) -> Node? {
        guard let p = qnnProducer(c, i), p.opType == "DequantizeLinear" else { return nil }
        return p
    }

    static func qnnElementCount(_ c: NodeContext, _ name: String) -> Int? {
        if let t = c.constant(name) { return t.dims.reduce(1) { $0 * Int($1) } }
        guard let dims = c.shapes.facts(name, scope: c.scope)?.dims else { return nil }
        var n = 1
        for d in dims {
            guard let v = d.intValue else { return nil }
            n *= Int(v)
        }
        return n
    }

    static func qnnDims(_ c: NodeContext, _ name: String) -> [Int64]? {
        if let t = c.constant(name) { return t.dims }
        guard let dims = c.shapes.facts(name, scope: c.scope)?.dims else { return nil }
        var out: [Int64] = []
        for d in dims {
            guard let v = d.intValue else { return nil }
            out.append(v)
        }
        return out
    }

    static func qnnInputDims(_ c: NodeContext, _ i: Int) -> [Int64]? {
        c.hasInput(i) ? qnnDims(c, c.node.inputs[i]) : nil
    }

    static func qnnOutputDims(_ c: NodeContext, _ i: Int) -> [Int64]? {
        c.hasOutput(i) ? qnnDims(c, c.node.outputs[i]) : nil
    }

    static func qnnString(_ c: NodeContext, _ name: String, _ fallback: String) -> String {
        c.node.attribute(name)?.s?.string ?? fallback
    }

    static func qnnInt(_ c: NodeContext, _ name: String, _ fallback: Int64) -> Int64 {
        c.node.attribute(name)?.i ?? fallback
    }

    static func qnnFloat(_ c: NodeContext, _ name: String, _ fallback: Float) -> Float {
        c.node.attribute(name)?.f ?? fallback
    }

    /// Axis `axis` normalized like `ProcessAxisAttribute` (negative + rank), nil when out of range.
    static func qnnNormalizedAxis(_ axis: Int64, rank: Int) -> Int? {
        let a = axis < 0 ? Int(axis) + rank : Int(axis)
        return a >= 0 && a < rank ? a : nil
    }

    static func qnnIsGraphOutput(_ c: NodeContext, _ name: String) -> Bool {
        c.index.scopes[c.scope].graph.outputs.contains { $0.name == name }
    }

    static func qnnIsGraphInput(_ c: NodeContext, _ name: String) -> Bool {
        !c.isConstant(name) && c.index.scopes[c.scope].graph.inputs.contains { $0.name == name }
    }

    // MARK: Common rules

    /// qnn_utils.cc OnnxDataTypeToQnnDataType: the ONNX types QNN maps; int4/uint4 only as
    /// quantized data (a DequantizeLinear's input, a QuantizeLinear's output).
    static let qnnPlainTypes: Set<DataType> = [.int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float16, .float, .bool]

    static let qnnElementTypes = CapabilityRule("Inputs and outputs must be int8-64, uint8-64, float16, float32 or bool (int4/uint4 as quantized data).") { c in
        let op = c.node.opType
        for i in c.node.inputs.indices where c.hasInput(i) {
            guard let t = c.facts(i)?.elementType else { continue }
            if qnnPlainTypes.contains(t) { continue }
            if op == "DequantizeLinear" && i == 0 && (t == .int4 || t == .uint4) { continue }
            return .fails("input '\(c.node.inputs[i])' is \(t.name)")
        }
        for i in c.node.outputs.indices where c.hasOutput(i) {
            guard let t = c.outputFacts(i)?.elementType else { continue }
            if qnnPlainTypes.contains(t) { continue }
            if op == "QuantizeLinear" && i == 0 && (t == .int4 || t == .uint4) { continue }
            return .fails("output '\(c.node.outputs[i])' is \(t.name)")
        }
        return .holds
    }

    /// qnn_model_wrapper.cc GetOnnxShape rejects a dim < 0 on outputs too (GetTensorInfo runs
    /// on every output in ProcessDataTypes); the fixed-shape check only sees inputs.
    static let qnnOutputShapesFixed = CapabilityRule("Outputs must have fixed shapes.") { c in
        for i in c.node.outputs.indices where c.hasOutput(i) {
            guard let f = c.outputFacts(i), !f.isSequence else { continue }
            guard let dims = f.dims else { return .unknown("shape of output '\(c.node.outputs[i])' unknown") }
            let shown = dims.map(\.description).joined(separator: ",")
            if dims.contains(where: { if case .param = $0 { return true }; return false }) {
                return .fails("output '\(c.node.outputs[i])' has a dynamic shape [\(shown)]")
            }
            if dims.contains(.unknown) { return .unknown("output '\(c.node.outputs[i])' has unknown dims [\(shown)]") }
        }
        return .holds
    }

    /// On HTP the EP maps float32 tensors to QNN_DATATYPE_FLOAT_32 and leaves the decision to the
    /// QNN SDK's op validation (`CheckHtpDataTypes` accepts all; fp16 execution needs
    /// `enable_htp_fp16_precision`, default "0" in qnn_execution_provider.cc). A float32 value
    /// inside a QDQ unit (from a DequantizeLinear, into QuantizeLinears) is quantized instead.
    static let qnnHTPFloat = CapabilityRule("Float32 tensors outside QDQ units are validated by the QNN HTP backend itself.") { c in
        let op = c.node.opType
        if op == "QuantizeLinear" || op == "DequantizeLinear" { return .holds }
        let g = c.index.scopes[c.scope]
        for i in c.node.inputs.indices where c.hasInput(i) {
            guard c.facts(i)?.elementType == .float, !c.isConstant(c.node.inputs[i]) else { continue }
            if qnnDQ(c, i) == nil {
                return .unknown("float32 input '\(c.node.inputs[i])' outside a QDQ unit: the HTP backend's op validation decides")
            }
        }
        for i in c.node.outputs.indices where c.hasOutput(i) {
            guard c.outputFacts(i)?.elementType == .float else { continue }
            let consumers = g.consumers(of: c.node.outputs[i])
            let quantized = !consumers.isEmpty && consumers.allSatisfy { g.node($0).opType == "QuantizeLinear" }
            if !quantized {
                return .unknown("float32 output '\(c.node.outputs[i])' outside a QDQ unit: the HTP backend's op validation decides")
            }
        }
        return .holds
    }

    // MARK: Small rules

    static func qnnInputCount(_ n: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            c.node.inputs.count == n ? .holds : .fails("it has \(c.node.inputs.count) inputs")
        }
    }

    static func qnnOutputCount(_ n: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let k = c.node.outputs.filter { !$0.isEmpty }.count
            return k == n ? .holds : .fails("it has \(k) outputs")
        }
    }

    /// `node_unit.Outputs().size() > 1` (optional outputs left empty are not counted here).
    static func qnnSingleOutput(_ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let k = c.node.outputs.filter { !$0.isEmpty }.count
            return k <= 1 ? .holds : .fails("it has \(k) outputs")
        }
    }

    static func qnnNeverOnHTP(_ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { _ in .fails("the HTP backend does not take it") }
    }

    static func qnnIntsAllOne(_ name: String, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let v = c.node.attribute(name)?.ints else { return .holds }
            return v.allSatisfy { $0 == 1 } ? .holds : .fails("\(name) is \(v)")
        }
    }

    static func qnnFloatAttribute(_ name: String, default fallback: Float, equals value: Float, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let v = qnnFloat(c, name, fallback)
            return v == value ? .holds : .fails("\(name) is \(v)")
        }
    }

    static func qnnPositiveFloat(_ name: String, default fallback: Float, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let v = qnnFloat(c, name, fallback)
            return v > 0 ? .holds : .fails("\(name) is \(v)")
        }
    }

    static func qnnInputNotQuantized(_ i: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            qnnDQ(c, i) == nil ? .holds : .fails("input '\(c.node.inputs[i])' comes from a DequantizeLinear")
        }
    }

    static func qnnOutputRankAtMost(_ limit: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let r = c.outputFacts(0)?.rank else { return .unknown("rank of output unknown") }
            return r <= limit ? .holds : .fails("output has rank \(r)")
        }
    }

    /// layer_norm / rms_norm builders: on HTP, the normalized axis must be the last one.
    static func qnnAxisIsLast(default fallback: Int64, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
            let axis = qnnInt(c, "axis", fallback)
            guard let a = qnnNormalizedAxis(axis, rank: r) else { return .fails("axis \(axis) is out of range for rank \(r)") }
            return a == r - 1 ? .holds : .fails("axis is \(axis) of rank \(r)")
        }
    }

    /// Scale/bias-like inputs must be 1-D of size C (input 0's dim 1, NCHW before layout change).
    static func qnnChannelVectors(_ inputs: [Int], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let x = qnnInputDims(c, 0), x.count > 1 else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
            for i in inputs where c.hasInput(i) {
                guard let d = qnnInputDims(c, i) else { return .unknown("shape of '\(c.node.inputs[i])' unknown") }
                if d != [x[1]] { return .fails("input '\(c.node.inputs[i])' has shape \(d), not [\(x[1])]") }
            }
            return .holds
        }
    }

    // MARK: Op rules

    /// simple_op_builder.cc: with offload_graph_io_quantization (default 1) a Q reading a graph
    /// input is left to the CPU EP.
    static let qnnQNotOnGraphInput = CapabilityRule("A QuantizeLinear reading a graph input is left to the CPU EP (offload_graph_io_quantization).") { c in
        guard c.hasInput(0) else { return .holds }
        return qnnIsGraphInput(c, c.node.inputs[0]) ? .fails("it quantizes graph input '\(c.node.inputs[0])'") : .holds
    }

    /// simple_op_builder.cc: likewise a DQ producing a graph output.
    static let qnnDQNotOnGraphOutput = CapabilityRule("A DequantizeLinear producing a graph output is left to the CPU EP (offload_graph_io_quantization).") { c in
        guard c.hasOutput(0) else { return .holds }
        return qnnIsGraphOutput(c, c.node.outputs[0]) ? .fails("it produces graph output '\(c.node.outputs[0])'") : .holds
    }

    /// simple_op_builder.cc: a standalone Q/DQ node unit must be per-tensor. Whether a node is
    /// standalone depends on ORT's QDQ selectors, so a per-channel one is left unsettled.
    static func qnnStandaloneQDQPerTensor(scale: Int) -> CapabilityRule {
        CapabilityRule("A standalone Q/DQ must use per-tensor quantization.") { c in
            guard c.hasInput(scale) else { return .holds }
            guard let n = qnnElementCount(c, c.node.inputs[scale]) else { return .unknown("size of scale '\(c.node.inputs[scale])' unknown") }
            return n <= 1 ? .holds : .unknown("per-channel Q/DQ is taken only inside a QDQ node unit")
        }
    }

    static let qnnConcatHasNonEmptyInput = CapabilityRule("Concat needs at least one input without a 0 dim.") { c in
        var unknown = false
        for i in c.node.inputs.indices where c.hasInput(i) {
            guard let d = qnnInputDims(c, i) else { unknown = true; continue }
            if !d.contains(0) { return .holds }
        }
        return unknown ? .unknown("input shapes unknown") : .fails("every input has a 0 dim")
    }

    static let qnnNotInitializer0 = CapabilityRule("(Log)Softmax input must not be an initializer.") { c in
        c.hasInput(0) && c.isConstant(c.node.inputs[0]) ? .fails("input '\(c.node.inputs[0])' is constant") : .holds
    }

    /// reduce_op_builder.cc GetAxesSet: an `axes` input must be 1-D; if non-empty it must be an
    /// initializer; empty axes with noop_with_empty_axes = 1 is refused.
    static let qnnReduceAxes = CapabilityRule("Reduce axes input must be a 1-D initializer; no no-op with empty axes.") { c in
        guard c.hasInput(1) else { return .holds }
        let name = c.node.inputs[1]
        guard let d = qnnInputDims(c, 1) else { return .unknown("shape of axes '\(name)' unknown") }
        if d.count != 1 { return .fails("axes '\(name)' has shape \(d)") }
        if d[0] == 0 {
            return qnnInt(c, "noop_with_empty_axes", 0) != 0 ? .fails("axes are empty and noop_with_empty_axes is 1") : .holds
        }
        return c.isConstant(name) ? .holds : .fails("axes '\(name)' are computed at run time")
    }

    /// conv_op_builder.cc IsOpSupported on NPU: a per-channel quantized weight must use axis 0
    /// (Conv) or 1 (ConvTranspose); ProcessInputs: a non-constant weight must be per-tensor.
    static func qnnConvWeightQuantAxis(_ expected: Int) -> CapabilityRule {
        CapabilityRule("A per-channel quantized weight must use axis \(expected) and be constant.") { c in
            guard let dq = qnnDQ(c, 1), dq.inputs.count > 1, !dq.inputs[1].isEmpty else { return .holds }
            guard let n = qnnElementCount(c, dq.inputs[1]) else { return .unknown("size of weight scale '\(dq.inputs[1])' unknown") }
            if n <= 1 { return .holds }
            var axis = dq.attribute("axis")?.i ?? 1
            if axis < 0 {
                guard let r = c.rank(1) else { return .unknown("rank of weight '\(c.node.inputs[1])' unknown") }
                axis += Int64(r)
            }
            if axis != Int64(expected) { return .fails("weight is quantized per channel on axis \(axis)") }
            if !c.isConstant(dq.inputs[0]) { return .fails("per-channel weight '\(dq.inputs[0])' is computed at run time") }
            return .holds
        }
    }

    static let qnnPoolRank = CapabilityRule.rank(of: 0, in: [3, 4, 5], "QNN Pool takes rank 3, 4 or 5 input.")

    static let qnnNoMaxPool3D = CapabilityRule("The HTP backend has no 3-D max pool.") { c in
        guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
        return r == 5 ? .fails("input has rank 5") : .holds
    }

    /// reshape_op_builder.cc: allowzero = 1 needs a constant shape without zeros.
    static let qnnReshapeAllowZero = CapabilityRule("Reshape with allowzero = 1 needs a constant shape without 0.") { c in
        guard qnnInt(c, "allowzero", 0) != 0 else { return .holds }
        guard c.hasInput(1), c.isConstant(c.node.inputs[1]) else { return .fails("allowzero is 1 and the shape is not constant") }
        guard let v = c.facts(1)?.value?.integers else { return .unknown("values of shape '\(c.node.inputs[1])' unknown") }
        return v.contains(0) ? .fails("allowzero is 1 and the shape \(v) has a 0") : .holds
    }

    /// gemm_op_builder.cc ExplictOpCheck: C must be [M] or [N, M] (quantized: [1, M]).
    static let qnnGemmBiasShape = CapabilityRule("Gemm C must have shape [M] or [N, M] ([1, M] when quantized).") { c in
        guard c.hasInput(2) else { return .holds }
        guard let b = qnnInputDims(c, 1), b.count == 2 else { return .unknown("shape of B '\(c.node.inputs[1])' unknown") }
        guard let cs = qnnInputDims(c, 2) else { return .unknown("shape of C '\(c.node.inputs[2])' unknown") }
        let m = qnnInt(c, "transB", 0) == 0 ? b[1] : b[0]
        if cs.isEmpty || (cs.count == 1 && cs[0] != m) || (cs.count == 2 && cs[1] != m) {
            return .fails("C has shape \(cs), M is \(m)")
        }
        if cs.count == 2 && qnnDQ(c, 2) != nil && cs[0] != 1 { return .fails("quantized C has shape \(cs)") }
        return .holds
    }

    /// resize_op_builder.cc IsOpSupported (first, NCHW pass), HTP branch, QNN API >= 2.14.
    static let qnnResize = CapabilityRule("Resize: no antialias; mode nearest/linear/cubic; coordinate mode half_pixel/pytorch_half_pixel/align_corners/asymmetric; HTP nearest_mode limits; rank 3-5; only spatial dims resized.") { c in
        if (c.opsetVersion ?? 0) >= 18 && qnnInt(c, "antialias", 0) != 0 { return .fails("antialias is set") }
        let mode = qnnString(c, "mode", "nearest")
        guard ["nearest", "linear", "cubic"].contains(mode) else { return .fails("mode is '\(mode)'") }
        let ct = qnnString(c, "coordinate_transformation_mode", "half_pixel")
        guard ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"].contains(ct) else {
            return .fails("coordinate_transformation_mode is '\(ct)'")
        }
        guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
        if mode == "nearest" {
            let nm = qnnString(c, "nearest_mode", "round_prefer_floor")
            guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nm) else { return .fails("nearest_mode is '\(nm)'") }
            if r != 4 {
                if nm != "round_prefer_ceil" && nm != "floor" { return .fails("nearest_mode '\(nm)' on rank \(r)") }
                if nm == "round_prefer_ceil" && ct != "align_corners" { return .fails("round_prefer_ceil without align_corners") }
                if nm == "floor" && ct == "pytorch_half_pixel" { return .fails("floor with pytorch_half_pixel") }
            } else if (nm == "ceil" || nm == "round_prefer_floor") && ct == "asymmetric" {
                return .fails("nearest_mode '\(nm)' with asymmetric on rank 4")
            }
        }
        if r < 3 || r > 5 { return .fails("input has rank \(r)") }
        if mode == "cubic" && c.hasInput(2) && !c.isConstant(c.node.inputs[2]) { return .fails("cubic scales are computed at run time") }
        guard let x = qnnInputDims(c, 0), let y = qnnOutputDims(c, 0), y.count == x.count else { return .unknown("input or output shape unknown") }
        if x[0] != y[0] || x[1] != y[1] { return .fails("it resizes N or C (\(x) -> \(y))") }
        return .holds
    }

    /// upsample_op_builder.cc IsOpSupported / ProcessInputs.
    static let qnnUpsample = CapabilityRule("Upsample: mode nearest/linear/cubic; rank 3-5 on HTP; only spatial dims; constant scales.") { c in
        let mode = qnnString(c, "mode", "nearest")
        guard ["nearest", "linear", "cubic"].contains(mode) else { return .fails("mode is '\(mode)'") }
        if (c.opsetVersion ?? 0) >= 9 && c.hasInput(1) && !c.isConstant(c.node.inputs[1]) { return .fails("scales are computed at run time") }
        guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
        if r < 3 || r > 5 { return .fails("input has rank \(r)") }
        guard let x = qnnInputDims(c, 0), let y = qnnOutputDims(c, 0), y.count == x.count else { return .unknown("input or output shape unknown") }
        if x[0] != y[0] || x[1] != y[1] { return .fails("it resizes N or C (\(x) -> \(y))") }
        return .holds
    }

    /// batch_norm_op_builder.cc IsOpSupported (NCHW pass) and CheckHtpDataTypes (float case).
    static let qnnBatchNorm = CapabilityRule("BatchNorm: 5 inputs, rank <= 4, constant [C] scale/bias/mean/var, 1 output, matching float types.") { c in
        guard c.node.inputs.count == 5 else { return .fails("it has \(c.node.inputs.count) inputs") }
        if c.node.outputs.filter({ !$0.isEmpty }).count > 1 { return .fails("it has more than 1 output") }
        for i in 1...4 where c.hasInput(i) {
            let name = c.node.inputs[i]
            let constant = c.isConstant(name) || (qnnDQ(c, i).map { !$0.inputs.isEmpty && c.isConstant($0.inputs[0]) } ?? false)
            if !constant { return .fails("input '\(name)' is computed at run time") }
        }
        guard let x = qnnInputDims(c, 0) else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        if x.count > 4 { return .fails("input has rank \(x.count)") }
        guard x.count > 1 else { return .fails("input has rank \(x.count)") }
        for i in 1...4 {
            guard let d = qnnInputDims(c, i) else { return .unknown("shape of '\(c.node.inputs[i])' unknown") }
            if d != [x[1]] { return .fails("input '\(c.node.inputs[i])' has shape \(d), not [\(x[1])]") }
        }
        // Unquantized: X, scale, B and Y must all be float32 or all float16.
        if qnnDQ(c, 0) == nil, let tx = c.facts(0)?.elementType, tx == .float || tx == .float16 {
            let ts = [c.facts(1)?.elementType, c.facts(2)?.elementType, c.outputFacts(0)?.elementType]
            if ts.contains(where: { $0 != nil && $0 != tx }) { return .fails("scale, B or Y is not \(tx.name) like X") }
        }
        return .holds
    }

    /// lrn_op_builder.cc: size odd, alpha > 0, beta > 0.
    static let qnnLRNAttributes = CapabilityRule("LRN size must be odd, alpha and beta > 0.") { c in
        let size = qnnInt(c, "size", 0)
        if size % 2 == 0 { return .fails("size is \(size)") }
        let alpha = qnnFloat(c, "alpha", 0.0001), beta = qnnFloat(c, "beta", 0.75)
        if alpha <= 0 { return .fails("alpha is \(alpha)") }
        if beta <= 0 { return .fails("beta is \(beta)") }
        return .holds
    }

    /// pad_op_builder.cc ProcessInputs / ProcessAttributesAndOutputs.
    static let qnnPad = CapabilityRule("Pad: constant pads and constant_value, no axes, rank <= 5, mode constant/reflect/edge, reflect pads within the dims.") { c in
        let msDomain = c.node.domain == "com.microsoft"
        let opset = c.opsetVersion ?? 0
        let n = c.node.inputs.count
        if msDomain {
            if n < 2 { return .fails("it has no pads input") }
        } else {
            if opset < 2 { return .fails("opset \(opset) Pad") }
            if opset < 11 && n > 1 { return .fails("opset < 11 Pad with inputs") }
            if opset >= 11 && n > 3 { return .fails("it has an axes input") }
            if opset >= 11 && n < 2 { return .fails("it has no pads input") }
        }
        guard let r = c.rank(0) else { return .unknown("rank of '\(c.node.inputs[0])' unknown") }
        if r > 5 { return .fails("input has rank \(r)") }
        let fromInput = opset >= 11 || msDomain
        if fromInput {
            if !c.isConstant(c.node.inputs[1]) { return .fails("pads '\(c.node.inputs[1])' are computed at run time") }
            if c.hasInput(2) && !c.isConstant(c.node.inputs[2]) { return .fails("constant_value '\(c.node.inputs[2])' is computed at run time") }
        }
        let mode = qnnString(c, "mode", "constant")
        guard ["constant", "reflect", "edge"].contains(mode) else { return .fails("mode is '\(mode)'") }
        if mode == "reflect" {
            let pads = fromInput ? c.facts(1)?.value?.integers : c.node.attribute("pads")?.ints
            guard let pads else { return .unknown("pads values unknown") }
            if pads.contains(where: { $0 < 0 }) { return .fails("reflect with negative pads") }
            guard let x = qnnInputDims(c, 0), pads.count == 2 * x.count else { return .unknown("input shape unknown") }
            for i in x.indices where pads[i] > x[i] - 1 || pads[i + x.count] > x[i] - 1 {
                return .fails("reflect pad on axis \(i) exceeds dim \(x[i]) - 1")
            }
        }
        return .holds
    }

    /// einsum_op_builder.cc ParseEquation and the five supported forms.
    static let qnnEinsum = CapabilityRule("Einsum: two operands and an equation of a MatMul-like form QNN translates.") { c in
        guard c.node.inputs.count >= 2 else { return .fails("it has fewer than 2 inputs") }
        let eq = qnnString(c, "equation", "")
        guard let (t1, t2, res) = qnnParseEinsum(eq) else { return .fails("equation '\(eq)' is not supported") }
        let reduceSum = qnnEinsumReduceSumMulBroadcastX(t1, t2, res)
        guard qnnEinsumMatMul(t1, t2, res, transposeY: false) || qnnEinsumMatMul(t1, t2, res, transposeY: true)
            || qnnEinsumMatMulBroadcastTransposeY(t1, t2, res) || qnnEinsumMatMulTransposeAll(t1, t2, res) || reduceSum else {
            return .fails("equation '\(eq)' is not supported")
        }
        if reduceSum && qnnDQ(c, 0) != nil { return .fails("equation '\(eq)' with quantized inputs") }
        return .holds
    }

    static func qnnParseEinsum(_ s: String) -> ([Character], [Character], [Character])? {
        let e = Array(s.filter { $0 != " " })
        guard let arrow = e.indices.first(where: { $0 + 1 < e.count && e[$0] == "-" && e[$0 + 1] == ">" }) else { return nil }
        let lhs = Array(e[..<arrow]), r = Array(e[(arrow + 2)...])
        guard let comma = lhs.firstIndex(of: ",") else { return nil }
        let t1 = Array(lhs[..<comma]), t2 = Array(lhs[(comma + 1)...])
        guard t1.count >= 2, t2.count >= 2, r.count >= 2 else { return nil }
        let alpha: (Character) -> Bool = { $0.isASCII && $0.isLetter }
        guard t1.allSatisfy(alpha), t2.allSatisfy(alpha), r.allSatisfy(alpha) else { return nil }
        return (t1, t2, r)
    }

    /// IsEquationMatMul / IsEquationMatMulTransposeY ("ij,jk->ik", "id,jd->ij"); indexes past
    /// a shorter term count as a mismatch.
    static func qnnEinsumMatMul(_ a: [Character], _ b: [Character], _ r: [Character], transposeY: Bool) -> Bool {
        let n = a.count
        guard b.count >= n, r.count >= n else { return false }
        for i in 0..<(n - 2) where !(a[i] == b[i] && a[i] == r[i]) { return false }
        let am = a[n - 2], bk = b[n - 2], rm = r[n - 2], ak = a[n - 1], bn = b[n - 1], rn = r[n - 1]
        if am != rm { return false }
        return transposeY ? (ak == bn && bk == rn) : (ak == bk && bn == rn)
    }

    static func qnnEinsumMatMulTransposeAll(_ a: [Character], _ b: [Character], _ r: [Character]) -> Bool {
        guard a.count == 4, b.count >= 4, r.count >= 4 else { return false }
        if a[0] != b[0] || a[0] != r[0] { return false }
        return a[3] == r[3] && a[1] == b[3] && b[1] == r[1]
    }

    static func qnnEinsumMatMulBroadcastTransposeY(_ a: [Character], _ b: [Character], _ r: [Character]) -> Bool {
        guard a.count == 4, b.count == 3, r.count == 4 else { return false }
        return a[2] == r[2] && a[3] == b[2] && b[1] == r[3] && a[0] == r[0] && a[1] == r[1] && b[0] == r[1]
    }

    static func qnnEinsumReduceSumMulBroadcastX(_ a: [Character], _ b: [Character], _ r: [Character]) -> Bool {
        guard a.count == 4, b.count == 3, r.count == 4 else { return false }
        return a[3] == b[2] && a[2] == b[0] && a[2] == r[2] && b[1] == r[3] && a[0] == r[0] && a[1] == r[1]
    }

    /// lstm_op_builder.cc IsOpSupported (the activations test is copied as written, [5] twice).
    static let qnnLSTM = CapabilityRule("LSTM: constant equal sequence_lens, clip 0, default activations, layout 0.") { c in
        if c.hasInput(4) {
            guard c.isConstant(c.node.inputs[4]) else { return .fails("sequence_lens are computed at run time") }
            if let v = c.facts(4)?.value?.integers, let first = v.first, v.contains(where: { $0 != first }) {
                return .fails("sequence_lens differ")
            }
        }
        let clip = qnnFloat(c, "clip", 0)
        if clip != 0 { return .fails("clip is \(clip)") }
        let acts = (c.node.attribute("activations")?.strings ?? []).map(\.string)
        if (acts.count >= 3 && (acts[0] != "sigmoid" || acts[1] != "tanh" || acts[2] != "tanh"))
            || (acts.count == 6 && (acts[3] != "sigmoid" || acts[5] != "tanh")) {
            return .fails("activations are \(acts)")
        }
        let layout = qnnInt(c, "layout", 0)
        return layout == 0 ? .holds : .fails("layout is \(layout)")
    }

    /// thresholdedrelu_op_builder.cc: input must be a type QNN Greater takes.
    static let qnnThresholdedReluType = CapabilityRule("ThresholdedRelu input must be float32, float16, int32 or quantized 8/16-bit.") { c in
        guard let t = c.facts(0)?.elementType else { return .unknown("type of '\(c.node.inputs[0])' unknown") }
        if t == .float && qnnDQ(c, 0) != nil { return .holds }
        return [.float, .float16, .int32].contains(t) ? .holds : .fails("input is \(t.name)")
    }

    /// inverse_op_builder.cc: float32 input of shape [..., 2, 2].
    static let qnnInverse = CapabilityRule("QNN Inverse takes float32 [..., 2, 2] input.") { c in
        guard let t = c.facts(0)?.elementType else { return .unknown("type of '\(c.node.inputs[0])' unknown") }
        if t != .float || qnnDQ(c, 0) != nil { return .fails("input is not unquantized float32") }
        guard let x = qnnInputDims(c, 0) else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        return x.count >= 2 && x[x.count - 1] == 2 && x[x.count - 2] == 2 ? .holds : .fails("input has shape \(x)")
    }

    /// isnan_op_builder.cc: float32/float16 input (not quantized), bool output.
    static let qnnIsNaNTypes = CapabilityRule("QNN IsNaN takes float32 or float16 input.") { c in
        guard let t = c.facts(0)?.elementType else { return .unknown("type of '\(c.node.inputs[0])' unknown") }
        if qnnDQ(c, 0) != nil { return .fails("input is quantized") }
        return t == .float || t == .float16 ? .holds : .fails("input is \(t.name)")
    }

    /// group_norm_op_builder.cc IsOpSupported (NCHW pass).
    static let qnnGroupNorm = CapabilityRule("GroupNorm: 1 output, rank > 2, [C] scale and bias, epsilon > 0, num_groups > 0 dividing C.") { c in
        if c.node.outputs.filter({ !$0.isEmpty }).count > 1 { return .fails("it has more than 1 output") }
        guard let x = qnnInputDims(c, 0) else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        if x.count <= 2 { return .fails("input has rank \(x.count)") }
        for i in [1, 2] {
            guard let d = qnnInputDims(c, i) else { return .unknown("shape of input \(i) unknown") }
            if d != [x[1]] { return .fails("input '\(c.node.inputs[i])' has shape \(d), not [\(x[1])]") }
        }
        let eps = qnnFloat(c, "epsilon", 1e-5)
        if eps <= 0 { return .fails("epsilon is \(eps)") }
        let groups = qnnInt(c, "num_groups", 1)
        if groups <= 0 { return .fails("num_groups is \(groups)") }
        return x[1] % groups == 0 ? .holds : .fails("\(x[1]) channels are not divisible by \(groups) groups")
    }

    /// roialign_op_builder.cc IsOpSupported (NCHW pass).
    static let qnnRoiAlign = CapabilityRule("RoiAlign on HTP: output_half_pixel, avg mode, sampling_ratio != 0, 4-D output matching output_height/width, spatial_scale != 0.") { c in
        let ct = qnnString(c, "coordinate_transformation_mode", "half_pixel")
        if ct != "output_half_pixel" { return .fails("coordinate_transformation_mode is '\(ct)'") }
        let mode = qnnString(c, "mode", "avg")
        if mode != "avg" { return .fails("mode is '\(mode)'") }
        if qnnInt(c, "sampling_ratio", 0) == 0 { return .fails("sampling_ratio is 0") }
        if qnnFloat(c, "spatial_scale", 1) == 0 { return .fails("spatial_scale is 0") }
        guard let y = qnnOutputDims(c, 0) else { return .unknown("output shape unknown") }
        if y.count != 4 { return .fails("output has rank \(y.count)") }
        if y[2] != qnnInt(c, "output_height", 1) || y[3] != qnnInt(c, "output_width", 1) {
            return .fails("output shape \(y) does not match output_height/output_width")
        }
        return .holds
    }
}
