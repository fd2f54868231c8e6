import OnnxGraph
import OnnxModel

extension CapabilityCatalog {
    /// XNNPACK (`XnnpackExecutionProvider`), as ORT's `onnxruntime/core/providers/xnnpack/` decides it.
    ///
    /// `GetCapability` walks the graph's NodeUnits (a QDQ group counts as one unit) and asks
    /// `NodeSupportChecker::IsNodeSupported`, which only looks at ai.onnx units and calls the op's
    /// `IsOnnxNodeSupported`: Conv, ConvTranspose, QLinearConv, MaxPool, AveragePool, Softmax,
    /// Resize, Gemm, MatMul. Each supported node gets its own ComputeCapability and runs on a
    /// statically registered kernel (NHWC-domain kernels for the layout-sensitive ops, after ORT's
    /// layout transformer rewrites them). Relu and Clip have no kernel: they are taken only when
    /// `IsNodeSupportedWithFusion` folds them into the NHWC Conv/MaxPool/AveragePool feeding them.
    ///
    /// Element types: the per-op checks and kernel registrations read here take float (and
    /// uint8/int8 where noted); newer stored versions of `gemm.cc`, `matmul.cc` and
    /// `conv_transpose.cc` also register float16 (built with `XNNPACK_FP16_SUPPORTED`), so float16
    /// on those ops is reported as not verified rather than refused.
    ///
    /// QDQ groups (DequantizeLinear → op → QuantizeLinear) are judged by ORT as the quantized unit;
    /// onnxscope does not rebuild NodeUnits, so such nodes are reported as not verified and the
    /// DequantizeLinear/QuantizeLinear nodes themselves are not listed.
    public static let xnnpack: CapabilityCatalog = CapabilityCatalog(
        target: PartitionTarget.xnnpack,
        ortRelease: "main",
        source: "onnxruntime/core/providers/xnnpack/: xnnpack_execution_provider.cc @1b38b582, "
            + "detail/node_support_checker.cc @6479e4bc, detail/utils.cc @b5bd7e28, nn/conv_base.cc @d6efbe49, "
            + "nn/conv.cc @4bd17315, nn/conv_transpose.cc @90948cdb, nn/max_pool.cc @6479e4bc, "
            + "nn/average_pool.cc @d6efbe49, math/softmax.cc @d018c978, math/gemm.cc @2944c6f4, "
            + "math/matmul.cc @d6efbe49, tensor/resize.cc @590497b3",
        requiresFixedShapes: false, subgraphLimitation: nil, placement: .kernelPerNode,
        ops: [
            OpCapability("Conv", xnnpackConvRules(transpose: false)),
            OpCapability("ConvTranspose", xnnpackConvRules(transpose: true)),
            OpCapability("QLinearConv", [
                // conv.cc: kernels typed uint8_t and int8_t (T1 = T2 = T3), T4 int32.
                .types([0], in: [.uint8, .int8], "x must be uint8 or int8."),
                .xnnpackNCHWKnown(0, "Only 2D QLinearConv (4-D input) with known C, H and W is supported."),
                .xnnpackConstantWeight(3, "Weights must be a constant initializer of rank 4."),
                .xnnpackQLinearConvQuant,
                .xnnpackConvAutoPad,
            ]),
            OpCapability("MaxPool", xnnpackMaxPoolRules),
            OpCapability("AveragePool", xnnpackAveragePoolRules),
            OpCapability("Softmax", [
                .xnnpackQDQUnit,
                // math/softmax.cc: kernels 1-10, 11-12, 13+ take float; uint8 only through a QDQ group.
                .xnnpackUnlessQDQ(.types([0], in: [.float], "Input must be float.")),
                .xnnpackUnlessQDQ(.xnnpackSoftmaxAxis),
            ]),
            OpCapability("Resize", [
                .xnnpackQDQUnit,
                .xnnpackUnlessQDQ(.xnnpackSince(atLeast: 10, of: CapabilityRule.xnnpackResizeVersions,
                                                "Resize must be version 10 or later.")),
                .xnnpackUnlessQDQ(.types([0], in: [.float, .uint8, .int8], "Input must be float, uint8 or int8.")),
                .xnnpackUnlessQDQ(.xnnpackResizeInputShape),
                .xnnpackUnlessQDQ(.xnnpackResizeScalesOrSizes),
                .xnnpackUnlessQDQ(.attribute("mode", default: "nearest", in: ["linear"], "Only linear (bilinear) mode is supported.")),
                .xnnpackUnlessQDQ(.attribute("antialias", default: 0, in: [0], "antialias must be 0.")),
                .xnnpackUnlessQDQ(.xnnpackResizeNoAxes),
                .xnnpackUnlessQDQ(.attribute("keep_aspect_ratio_policy", default: "stretch", in: ["stretch"],
                                             "keep_aspect_ratio_policy must be stretch.")),
                .xnnpackUnlessQDQ(.xnnpackResizeExtrapolation),
                .xnnpackUnlessQDQ(.xnnpackResizeCoordinates),
                .xnnpackUnlessQDQ(.attribute("exclude_outside", default: 0, in: [0], "exclude_outside must be 0.")),
            ]),
            OpCapability("Gemm", [
                // math/gemm.cc registers 7-8, 9-10, 11-12 and 13+.
                .xnnpackSince(atLeast: 7, of: CapabilityRule.xnnpackGemmVersions, "Gemm must be version 7 or later."),
                .xnnpackFloatInput(0, "A must be float (float16 in newer ORT builds)."),
                .xnnpackFloatAttribute("alpha", "alpha must be 1."),
                .xnnpackFloatAttribute("beta", "beta must be 1."),
                .constant([1], "B must be a constant initializer."),
                .xnnpackRankBelow3([0, 1], "A and B must have a known shape of rank 1 or 2."),
                .xnnpackGemmC,
            ]),
            OpCapability("MatMul", [
                .xnnpackFloatInput(0, "A must be float (float16 in newer ORT builds)."),
                .xnnpackMatMulOperand(0, "A must have rank 1 or 2 with known, non-zero dims."),
                .xnnpackMatMulOperand(1, "B must have rank 1 or 2 with known, non-zero dims."),
                .constant([1], "B must be a constant initializer."),
            ]),
            OpCapability("Relu", [.xnnpackFusedIntoProducer]),
            OpCapability("Clip", [.xnnpackClipBoundsConstant, .xnnpackFusedIntoProducer]),
        ])

    /// ConvBase::IsOnnxNodeSupported (nn/conv_base.cc), shared by Conv and ConvTranspose.
    static func xnnpackConvRules(transpose: Bool) -> [CapabilityRule] {
        var rules: [CapabilityRule] = [.xnnpackQDQUnit]
        if !transpose {
            // xnnpack_execution_provider.cc registers only KERNEL_CREATE_INFO(11, Conv).
            rules.append(.xnnpackUnlessQDQ(.xnnpackSince(atLeast: 11, of: CapabilityRule.xnnpackConvVersions,
                                                         "Conv must be version 11 or later (the only kernel registered).")))
        }
        rules += [
            .xnnpackUnlessQDQ(.xnnpackNCHWKnown(0, "Only 2D convolution (4-D input) with known C, H and W is supported.")),
            .xnnpackUnlessQDQ(.xnnpackFloatInput(0, "Input must be float (float16 in newer ORT builds).")),
            .xnnpackUnlessQDQ(.xnnpackConstantWeight(1, "Weights must be a constant initializer of rank 4.")),
            .xnnpackUnlessQDQ(.constant([2], "Bias, if given, must be a constant initializer.")),
            .xnnpackUnlessQDQ(.xnnpackConvAutoPad),
        ]
        return rules
    }

    /// max_pool.cc MaxPool::IsOnnxNodeSupported.
    static let xnnpackMaxPoolRules: [CapabilityRule] = [
        .xnnpackQDQUnit,
        .xnnpackUnlessQDQ(.xnnpackSince(atLeast: 8, of: CapabilityRule.xnnpackMaxPoolVersions,
                                        "MaxPool must be version 8 or later.")),
        .xnnpackUnlessQDQ(.types([0], in: [.float, .uint8, .int8], "Input must be float, uint8 or int8.")),
        .xnnpackUnlessQDQ(.xnnpackNCHWKnown(0, "Only 2D MaxPool (4-D input) with known C, H and W is supported.")),
        .xnnpackUnlessQDQ(.xnnpackNoIndicesOutput),
        // "xnnpack doesn't appear to support using 'ceil' to calculate the output shape"
        .xnnpackUnlessQDQ(.attribute("ceil_mode", default: 0, in: [0], "ceil_mode must be 0.")),
        // utils.cc IsPaddingTypeSupported
        .xnnpackUnlessQDQ(.attribute("auto_pad", default: "NOTSET", in: ["NOTSET", "VALID", "SAME_UPPER"],
                                     "auto_pad must be NOTSET, VALID or SAME_UPPER.")),
        .xnnpackUnlessQDQ(.xnnpackPoolKernel),
    ]

    /// average_pool.cc AveragePool::IsOnnxNodeSupported.
    static let xnnpackAveragePoolRules: [CapabilityRule] = [
        .xnnpackQDQUnit,
        // average_pool.cc registers the NHWC kernel from version 11 only (the checker does not look
        // at the version: an older node would be claimed with no kernel to run it).
        .xnnpackUnlessQDQ(.xnnpackSince(atLeast: 11, of: CapabilityRule.xnnpackAveragePoolVersions,
                                        "AveragePool must be version 11 or later (the only kernel registered).")),
        .xnnpackUnlessQDQ(.types([0], in: [.float], "Input must be float.")),
        .xnnpackUnlessQDQ(.xnnpackNCHWKnown(0, "Only 2D AveragePool (4-D input) with known C, H and W is supported.")),
        .xnnpackUnlessQDQ(.attribute("ceil_mode", default: 0, in: [0], "ceil_mode must be 0.")),
        .xnnpackUnlessQDQ(.attribute("auto_pad", default: "NOTSET", in: ["NOTSET", "VALID", "SAME_UPPER"],
                                     "auto_pad must be NOTSET, VALID or SAME_UPPER.")),
        .xnnpackUnlessQDQ(.xnnpackPoolKernel),
        // "fp32 should have count_include_pad false, while quant should have count_include_pad true"
        .xnnpackUnlessQDQ(.attribute("count_include_pad", default: 0, in: [0], "count_include_pad must be 0.")),
    ]
}

/// What `GetTensorQuantType` (detail/utils.cc) makes of one quantized tensor.
enum XNNPACKQuantType: Sendable, Equatable {
    case uint8, int8, int8PerChannel
    case invalid(String)
    case unknown(String)

    var label: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int8PerChannel: return "per-channel int8"
        case .invalid(let why), .unknown(let why): return why
        }
    }
}

extension CapabilityRule {
    // ONNX schema since-versions, to resolve the version a node's opset import gives it.
    static let xnnpackConvVersions: [Int64] = [1, 11, 22]
    static let xnnpackMaxPoolVersions: [Int64] = [1, 8, 10, 11, 12, 22]
    static let xnnpackAveragePoolVersions: [Int64] = [1, 7, 10, 11, 19, 22]
    static let xnnpackResizeVersions: [Int64] = [10, 11, 13, 18, 19]
    static let xnnpackGemmVersions: [Int64] = [1, 6, 7, 9, 11, 13]
    static let xnnpackSoftmaxVersions: [Int64] = [1, 11, 13]
    static let xnnpackClipVersions: [Int64] = [1, 6, 11, 12, 13]

    /// The since-version of the node's op at the model's opset (nil when not known).
    static func xnnpackSinceVersion(_ c: NodeContext, _ versions: [Int64]) -> Int64? {
        guard let opset = c.opsetVersion else { return nil }
        return versions.filter { $0 <= opset }.max()
    }

    static func xnnpackSince(atLeast minimum: Int64, of versions: [Int64], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard let since = CapabilityRule.xnnpackSinceVersion(c, versions) else {
                return .unknown("the version of \(c.node.opType) at the model's opset is not known")
            }
            return since >= minimum ? .holds : .fails("\(c.node.opType)-\(since) is older than version \(minimum)")
        }
    }

    // MARK: QDQ groups

    /// A DequantizeLinear feeds input 0 and every consumer of output 0 is a QuantizeLinear: the shape
    /// of ORT's QDQ node groups (`GetAllNodeUnits`), which XNNPACK judges as the quantized unit.
    static func xnnpackInQDQGroup(_ c: NodeContext) -> Bool {
        let scope = c.index.scopes[c.scope]
        guard c.hasInput(0), let p = scope.producerNode(of: c.node.inputs[0]),
              scope.node(p).opType == "DequantizeLinear", c.hasOutput(0) else { return false }
        let consumers = scope.consumers(of: c.node.outputs[0])
        return !consumers.isEmpty && consumers.allSatisfy { scope.node($0).opType == "QuantizeLinear" }
    }

    static let xnnpackQDQUnit = CapabilityRule("A node inside a DequantizeLinear/QuantizeLinear group is judged as the quantized unit (onnxscope does not model it).") { c in
        CapabilityRule.xnnpackInQDQGroup(c)
            ? .unknown("node sits in a DequantizeLinear → \(c.node.opType) → QuantizeLinear group; XNNPACK judges the quantized unit (uint8/int8 types, constant scales), which is not checked")
            : .holds
    }

    /// The float-node check, skipped for a node in a QDQ group (there ORT checks the unit's quantized
    /// inputs instead, which `xnnpackQDQUnit` reports as not verified).
    static func xnnpackUnlessQDQ(_ rule: CapabilityRule) -> CapabilityRule {
        CapabilityRule(rule.caveat) { c in CapabilityRule.xnnpackInQDQGroup(c) ? .holds : rule.evaluate(c) }
    }

    // MARK: shapes and types

    /// conv_base.cc / max_pool.cc / average_pool.cc: rank 4 and C, H, W with values ("require C, H, W
    /// to be known so we can construct the xnnpack kernel prior to Compute").
    static func xnnpackNCHWKnown(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .fails("input \(input) is missing") }
            let name = c.node.inputs[input]
            guard let dims = c.facts(input)?.dims else { return .unknown("shape of '\(name)' unknown") }
            guard dims.count == 4 else { return .fails("'\(name)' has rank \(dims.count), not 4") }
            var unknown = false
            for k in 1...3 {
                switch dims[k] {
                case .value: continue
                case .param(let p): return .fails("dim \(k) of '\(name)' is '\(p)', not a number")
                case .unknown: unknown = true
                }
            }
            return unknown ? .unknown("C, H or W of '\(name)' unknown") : .holds
        }
    }

    /// Float input; float16 only in newer ORT builds (not verified).
    static func xnnpackFloatInput(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .fails("input \(input) is missing") }
            guard let t = c.facts(input)?.elementType else { return .unknown("type of '\(c.node.inputs[input])' unknown") }
            if t == .float { return .holds }
            if t == .float16 {
                return .unknown("'\(c.node.inputs[input])' is float16: taken only by ORT builds whose XNNPACK EP registers float16 kernels")
            }
            return .fails("input '\(c.node.inputs[input])' is \(t.name)")
        }
    }

    /// conv_base.cc: "weight must be constant and also rank 4".
    static func xnnpackConstantWeight(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .fails("weight input \(input) is missing") }
            let name = c.node.inputs[input]
            guard let w = c.constant(name) else { return .fails("weights '\(name)' are computed at run time") }
            return w.dims.count == 4 ? .holds : .fails("weights '\(name)' have rank \(w.dims.count), not 4")
        }
    }

    /// conv_base.cc: when 'pads' is not given, auto_pad must pass IsPaddingTypeSupported.
    static let xnnpackConvAutoPad = CapabilityRule("If pads is not given, auto_pad must be NOTSET, VALID or SAME_UPPER.") { c in
        if c.node.attribute("pads") != nil { return .holds }
        let v = c.node.attribute("auto_pad")?.s?.string ?? "NOTSET"
        return ["NOTSET", "VALID", "SAME_UPPER"].contains(v) ? .holds : .fails("auto_pad is '\(v)'")
    }

    /// max_pool.cc: "we don't support creating the optional 'I' output".
    static let xnnpackNoIndicesOutput = CapabilityRule("The optional Indices output is not supported.") { c in
        c.hasOutput(1) ? .fails("output Indices '\(c.node.outputs[1])' is used") : .holds
    }

    /// max_pool.cc / average_pool.cc: a 2-D kernel_shape, and not 1x1.
    static let xnnpackPoolKernel = CapabilityRule("kernel_shape must be 2-D and not 1x1.") { c in
        guard let k = c.node.attribute("kernel_shape")?.ints else { return .fails("kernel_shape is not given") }
        if k.count != 2 { return .fails("kernel_shape \(k) is not 2-D") }
        return k == [1, 1] ? .fails("kernel_shape is 1x1") : .holds
    }

    /// math/softmax.cc: rank ≥ 1; from version 13 the axis must be the last one and its dim known.
    /// (For version ≤ 12 the check's loop over the reduced dims only breaks itself: nothing is refused.)
    static let xnnpackSoftmaxAxis = CapabilityRule("From version 13, axis must be the last dim, whose size must be known.") { c in
        guard c.hasInput(0) else { return .fails("input 0 is missing") }
        guard let dims = c.facts(0)?.dims else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        if dims.isEmpty { return .fails("input is a scalar") }
        guard let since = CapabilityRule.xnnpackSinceVersion(c, CapabilityRule.xnnpackSoftmaxVersions) else {
            return .unknown("the version of Softmax at the model's opset is not known")
        }
        if since <= 12 { return .holds }
        let axis = c.node.attribute("axis")?.i ?? -1
        if axis != -1 && axis != Int64(dims.count - 1) { return .fails("axis \(axis) is not the last dim") }
        switch dims[dims.count - 1] {
        case .value: return .holds
        case .param(let p): return .fails("the last dim is '\(p)', not a number")
        case .unknown: return .unknown("the last dim of '\(c.node.inputs[0])' unknown")
        }
    }

    // MARK: Resize (tensor/resize.cc)

    static let xnnpackResizeInputShape = CapabilityRule("Only 4-D input with a known channel dim is supported.") { c in
        guard c.hasInput(0) else { return .fails("input 0 is missing") }
        guard let dims = c.facts(0)?.dims else { return .unknown("shape of '\(c.node.inputs[0])' unknown") }
        guard dims.count == 4 else { return .fails("input has rank \(dims.count), not 4") }
        switch dims[1] {
        case .value(let v): return v > 0 ? .holds : .fails("channel dim is \(v)")
        case .param(let p): return .fails("channel dim is '\(p)', not a number")
        case .unknown: return .unknown("channel dim of '\(c.node.inputs[0])' unknown")
        }
    }

    static let xnnpackResizeScalesOrSizes = CapabilityRule("Scales or sizes must be a constant initializer that keeps the channel dim.") { c in
        guard let since = CapabilityRule.xnnpackSinceVersion(c, CapabilityRule.xnnpackResizeVersions) else {
            return .unknown("the version of Resize at the model's opset is not known")
        }
        // "opset 10 had `scales` as input 1 and no sizes"
        let scaleIndex = since == 10 ? 1 : 2
        let scales = c.hasInput(scaleIndex) ? c.constant(c.node.inputs[scaleIndex]) : nil
        let sizes = since > 10 && c.hasInput(3) ? c.constant(c.node.inputs[3]) : nil
        if scales == nil && sizes == nil { return .fails("neither scales nor sizes is a constant initializer") }
        if let scales {
            guard let v = CapabilityRule.xnnpackValues(scales, .float) else { return .unknown("values of scales '\(c.node.inputs[scaleIndex])' not readable") }
            // ORT reads element 1 whatever the count (an empty scales next to sizes reads past the end).
            guard v.count > 1 else { return .unknown("scales '\(c.node.inputs[scaleIndex])' has \(v.count) values; ORT reads its second anyway") }
            if v[1] != 1 { return .fails("the channel scale is \(v[1]), not 1") }
        }
        if let sizes {
            guard let v = CapabilityRule.xnnpackValues(sizes, .int64), v.count > 1 else { return .unknown("values of sizes '\(c.node.inputs[3])' not readable") }
            guard let dims = c.facts(0)?.dims, dims.count == 4, let ch = dims[1].intValue else { return .unknown("channel dim unknown") }
            if Int64(v[1]) != ch { return .fails("sizes changes the channel dim (\(ch) → \(Int64(v[1])))") }
        }
        return .holds
    }

    static let xnnpackResizeNoAxes = CapabilityRule("The axes attribute is not supported.") { c in
        let axes = c.node.attribute("axes")?.ints ?? []
        return axes.isEmpty ? .holds : .fails("axes is \(axes)")
    }

    static let xnnpackResizeExtrapolation = CapabilityRule("extrapolation_value must be 0.") { c in
        let v = c.node.attribute("extrapolation_value")?.f ?? 0
        return v == 0 ? .holds : .fails("extrapolation_value is \(v)")
    }

    static let xnnpackResizeCoordinates = CapabilityRule("coordinate_transformation_mode must be asymmetric, half_pixel, align_corners, or pytorch_half_pixel with an output H and W known and > 1.") { c in
        guard let since = CapabilityRule.xnnpackSinceVersion(c, CapabilityRule.xnnpackResizeVersions) else {
            return .unknown("the version of Resize at the model's opset is not known")
        }
        if since == 10 { return .holds }  // asymmetric was the only mode
        let mode = c.node.attribute("coordinate_transformation_mode")?.s?.string ?? "half_pixel"
        if ["asymmetric", "half_pixel", "align_corners"].contains(mode) { return .holds }
        guard mode == "pytorch_half_pixel" else { return .fails("coordinate_transformation_mode is '\(mode)'") }
        guard let dims = c.outputFacts(0)?.dims, dims.count == 4 else { return .unknown("output shape unknown") }
        var unknown = false
        for k in 2...3 {
            switch dims[k] {
            case .value(let v): if v <= 1 { return .fails("pytorch_half_pixel with output dim \(k) = \(v)") }
            case .param(let p): return .fails("pytorch_half_pixel with output dim \(k) '\(p)', not a number")
            case .unknown: unknown = true
            }
        }
        return unknown ? .unknown("output H or W unknown") : .holds
    }

    // MARK: Gemm / MatMul (math/gemm.cc, math/matmul.cc)

    /// gemm.cc: `alpha` / `beta` must be 1 (ORT fills the schema default 1 when absent).
    static func xnnpackFloatAttribute(_ name: String, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            let v = c.node.attribute(name)?.f ?? 1
            return v == 1 ? .holds : .fails("\(name) is \(v)")
        }
    }

    /// gemm.cc: shapes must be known with rank < 3.
    static func xnnpackRankBelow3(_ inputs: [Int], _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            for i in inputs {
                guard c.hasInput(i) else { return .fails("input \(i) is missing") }
                guard let r = c.rank(i) else { return .unknown("shape of '\(c.node.inputs[i])' unknown") }
                if r >= 3 { return .fails("'\(c.node.inputs[i])' has rank \(r)") }
            }
            return .holds
        }
    }

    /// gemm.cc: C constant, rank < 3, its first dim equal to one of B's (dim values; a symbolic dim
    /// reads as 0). With C absent the check dereferences C's missing NodeArg.
    static let xnnpackGemmC = CapabilityRule("C must be a constant initializer of rank < 3 whose first dim equals a dim of B.") { c in
        guard c.node.inputs.count >= 3 else {
            return .unknown("C is absent: ORT's Gemm check reads C's shape through a null pointer, so the outcome is not known")
        }
        let name = c.node.inputs[2]
        guard !name.isEmpty, c.isConstant(name) else { return .fails("C '\(name)' is not a constant initializer") }
        guard let cd = c.facts(2)?.dims else { return .unknown("shape of C '\(name)' unknown") }
        if cd.count >= 3 { return .fails("C has rank \(cd.count)") }
        guard let c0 = cd.first else { return .unknown("C is a scalar: ORT reads a first dim it does not have") }
        guard let bd = c.facts(1)?.dims, bd.count == 2 else { return .unknown("shape of B unknown") }
        let v = c0.intValue ?? 0
        return v == (bd[1].intValue ?? 0) || v == (bd[0].intValue ?? 0)
            ? .holds : .fails("C's first dim \(c0) matches neither dim of B \(bd)")
    }

    /// matmul.cc: exactly two inputs; the operand of rank 1 or 2 with dims known and non-zero
    /// (`dim_value() == 0` also refuses symbolic dims).
    static func xnnpackMatMulOperand(_ input: Int, _ caveat: String) -> CapabilityRule {
        CapabilityRule(caveat) { c in
            guard c.hasInput(input) else { return .fails("input \(input) is missing") }
            let name = c.node.inputs[input]
            guard let dims = c.facts(input)?.dims else { return .unknown("shape of '\(name)' unknown") }
            if dims.isEmpty { return .fails("'\(name)' is a scalar") }
            if dims.count > 2 { return .fails("'\(name)' has rank \(dims.count)") }
            var unknown = false
            for d in dims {
                switch d {
                case .value(let v): if v == 0 { return .fails("'\(name)' has a zero dim") }
                case .param(let p): return .fails("'\(name)' has dim '\(p)', not a number")
                case .unknown: unknown = true
                }
            }
            return unknown ? .unknown("dims of '\(name)' unknown") : .holds
        }
    }

    // MARK: QLinearConv (conv_base.cc IsValidQuantConv, utils.cc GetTensorQuantType)

    /// GetTensorQuantType for a tensor with element type `type`, shape `dims` and its scale and
    /// zero point at inputs `scaleIndex` / `zeroPointIndex`.
    static func xnnpackQuantType(_ c: NodeContext, type: DataType?, dims: [Dimension]?,
                                 scale scaleIndex: Int, zeroPoint zeroPointIndex: Int) -> XNNPACKQuantType {
        guard let type else { return .unknown("element type unknown") }
        guard c.hasInput(scaleIndex), let scale = c.constant(c.node.inputs[scaleIndex]) else {
            return .invalid("scale (input \(scaleIndex)) is not a constant initializer")
        }
        let zeroPointGiven = c.hasInput(zeroPointIndex)
        let zeroPoint = zeroPointGiven ? c.constant(c.node.inputs[zeroPointIndex]) : nil
        if let zeroPoint, zeroPoint.dataType != type { return .invalid("zero point (input \(zeroPointIndex)) is not \(type.name)") }
        let scalesDim = scale.dims.first ?? 1
        let zeroDim: Int64 = zeroPoint.map { $0.dims.first ?? 1 } ?? 0
        guard let dims else { return .unknown("shape unknown") }
        switch type {
        case .uint8:
            if zeroPointGiven && (scalesDim != 1 || zeroDim != 1) {
                return .invalid("uint8 needs one scale and one constant zero point (per-channel uint8 is not supported)")
            }
            return .uint8
        case .int8:
            if scalesDim != zeroDim && zeroDim != 0 { return .invalid("\(scalesDim) scales but \(zeroDim) zero points") }
            if scalesDim == 1 { return .int8 }
            guard let first = dims.first else { return .invalid("\(scalesDim) scales for a scalar") }
            switch first {
            case .value(let d0): return d0 == scalesDim ? .int8PerChannel : .invalid("\(scalesDim) scales do not match dim 0 (\(d0))")
            case .param: return .invalid("\(scalesDim) scales against a symbolic dim 0")
            case .unknown: return .unknown("dim 0 unknown")
            }
        default:
            return .invalid("\(type.name) is neither uint8 nor int8")
        }
    }

    static let xnnpackQLinearConvQuant = CapabilityRule("x, w and y must be all uint8 or all int8 (w may be per-channel int8) with constant scales; bias, if given, a constant int32.") { c in
        let x = CapabilityRule.xnnpackQuantType(c, type: c.facts(0)?.elementType, dims: c.facts(0)?.dims, scale: 1, zeroPoint: 2)
        let w = CapabilityRule.xnnpackQuantType(c, type: c.facts(3)?.elementType, dims: c.facts(3)?.dims, scale: 4, zeroPoint: 5)
        let y = CapabilityRule.xnnpackQuantType(c, type: c.outputFacts(0)?.elementType, dims: c.outputFacts(0)?.dims, scale: 6, zeroPoint: 7)
        for (label, q) in [("x", x), ("w", w), ("y", y)] {
            if case .invalid(let why) = q { return .fails("\(label): \(why)") }
        }
        for (label, q) in [("x", x), ("w", w), ("y", y)] {
            if case .unknown(let why) = q { return .unknown("\(label): \(why)") }
        }
        // TryGetConvBiasDtype: int32 and a constant initializer; GetConvCompType ignores the bias for
        // per-channel weights.
        var biasOK = true
        if c.hasInput(8) {
            biasOK = c.facts(8)?.elementType == DataType.int32 && c.isConstant(c.node.inputs[8])
        }
        switch (x, w, y) {
        case (.uint8, .uint8, .uint8), (.int8, .int8, .int8):
            return biasOK ? .holds : .fails("bias '\(c.node.inputs[8])' is not a constant int32 initializer")
        case (.int8, .int8PerChannel, .int8):
            return .holds
        default:
            return .fails("x \(x.label), w \(w.label), y \(y.label) is not a combination XNNPACK runs (no mixed uint8/int8)")
        }
    }

    // MARK: Relu / Clip fusion (node_support_checker.cc ClipReluChecker)

    /// ClipReluChecker: Clip's min and max inputs, when present, must be constant initializers
    /// (an input left out by an empty name fails the check too).
    static let xnnpackClipBoundsConstant = CapabilityRule("Clip's min and max, when given as inputs, must be constant initializers.") { c in
        guard let since = CapabilityRule.xnnpackSinceVersion(c, CapabilityRule.xnnpackClipVersions) else {
            return .unknown("the version of Clip at the model's opset is not known")
        }
        if since < 11 { return .holds }  // min/max are attributes
        for i in 1..<min(3, c.node.inputs.count) {
            let name = c.node.inputs[i]
            if name.isEmpty { return .fails("input \(i) is left out by an empty name, which ORT's constant check refuses") }
            if !c.isConstant(name) { return .fails("input \(i) '\(name)' is computed at run time") }
        }
        return .holds
    }

    /// ClipReluChecker: no kernel of their own; fused into the NHWC Conv/MaxPool/AveragePool feeding
    /// input 0, when XNNPACK takes that node and it is not in a QDQ group.
    static let xnnpackFusedIntoProducer: CapabilityRule = CapabilityRule("Taken only fused into the Conv, MaxPool or AveragePool (taken by XNNPACK) that feeds it.") { c in
        guard c.hasInput(0) else { return .fails("input 0 is missing") }
        let scope = c.index.scopes[c.scope]
        guard let p = scope.producerNode(of: c.node.inputs[0]) else {
            return .fails("input '\(c.node.inputs[0])' is not produced by a node")
        }
        let producer = scope.node(p)
        guard producer.isDefaultDomain, ["Conv", "MaxPool", "AveragePool"].contains(producer.opType) else {
            return .fails("input comes from \(producer.opType), not Conv, MaxPool or AveragePool")
        }
        let pc = NodeContext(node: producer, scope: c.scope, index: c.index, shapes: c.shapes, opsets: c.opsets)
        if CapabilityRule.xnnpackInQDQGroup(pc) { return .fails("the producing \(producer.opType) is in a QDQ group") }
        let catalog = CapabilityCatalog.xnnpack
        guard let capability = catalog.capability(for: producer) else { return .fails("XNNPACK does not take \(producer.opType)") }
        var unknown: String?
        for rule in capability.rules + catalog.commonRules {
            switch rule.evaluate(pc) {
            case .holds: continue
            case .fails(let detail): return .fails("XNNPACK does not take the producing \(producer.opType): \(detail)")
            case .unknown(let why): if unknown == nil { unknown = why }
            }
        }
        if let unknown { return .unknown("whether XNNPACK takes the producing \(producer.opType) is not known: \(unknown)") }
        return .holds
    }

    // MARK: tensor values

    /// A constant's values when it is `type` and held in the model (not external data).
    static func xnnpackValues(_ t: Tensor, _ type: DataType) -> [Double]? {
        guard t.dataType == type, !t.isExternal, let data = try? Model.tensorData(t, baseDirectory: nil) else { return nil }
        return try? Model.values(of: data, type: type, name: t.name)
    }
}
