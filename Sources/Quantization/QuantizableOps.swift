import OnnxGraph
import OnnxModel

/// What int8 means for an op: which ONNX Runtime kernel a DequantizeLinear → op →
/// QuantizeLinear group becomes on the CPU EP, following ORT's QDQ selector/action rules
/// (`qdq_selector_action_transformer.cc`). Q/DQ are only placed where one of these applies, so
/// the written model fuses instead of running float ops between extra conversions.
public enum QuantizationRole: Sendable, Equatable {
    /// Computes in integers: ORT replaces the group with `kernel` (QLinearConv, QGemm…).
    case compute(kernel: String)
    /// Moves data without changing values (Reshape, Transpose, MaxPool…): ORT drops the DQ/Q
    /// around it when both carry the same scale and zero point, so its output reuses its
    /// input's parameters. It is int8 exactly when its input is.
    case sharedScale
    /// Relu/Clip directly after an int8 node: removed, its clamp done by the output
    /// quantization of the node before (as ORT's quantizer does).
    case foldableActivation
    /// Mul or Div by a positive scalar constant (hard-swish's `/ 6`, a `* 0.125` attention
    /// scale): removed, the factor moved into the scale of a DequantizeLinear of input `input`.
    /// Exact (integers unchanged, no second rounding) and free: no kernel runs for it. It is
    /// int8 when its input is quantized and its result reaches an int8 compute node.
    case rescale(factor: Double, input: Int)
    /// No integer path in ORT's CPU EP.
    case none(reason: String)

    public var isQuantizable: Bool { if case .none = self { return false }; return true }
}

public enum QuantizableOps {
    /// Ops ORT fuses with their Q/DQ into an integer kernel, by op type.
    static let computeKernels: [String: String] = [
        "Conv": "QLinearConv", "MatMul": "QLinearMatMul", "Gemm": "QGemm",
        "Add": "QLinearAdd", "Mul": "QLinearMul", "Concat": "QLinearConcat",
        "AveragePool": "QLinearAveragePool", "GlobalAveragePool": "QLinearGlobalAveragePool",
        "LeakyRelu": "QLinearLeakyRelu", "Sigmoid": "QLinearSigmoid", "Softmax": "QLinearSoftmax",
    ]
    /// Ops whose DQ/Q ORT drops when scales match (data input is input 0).
    static let sharedScaleOps: Set<String> = [
        "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Gather", "GatherElements",
        "Slice", "Expand", "Tile", "MaxPool", "Resize", "Split",
    ]
    /// The op types a user can name in `--op-types` (compute ops; data movement follows).
    public static var computeOpTypes: [String] { computeKernels.keys.sorted() }

    /// The integer kernel names ORT uses for fused groups (for "what ran int8").
    public static let integerKernels: Set<String> = Set(computeKernels.values).union([
        "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "MatMulInteger", "ConvInteger", "QLinearWhere",
        "QLinearConvTranspose", "NhwcQLinearConv", "QLinearReduceMean",
    ])

    /// For `x · c`, `c · x` or `x / c` with c a positive finite scalar constant: the factor the
    /// scale of x takes (c, or 1/c) and the slot of x.
    static func scalarFactor(_ node: Node, constant: (Int) -> Tensor?) -> (Double, Int)? {
        func scalar(_ slot: Int) -> Double? {
            guard let t = constant(slot), t.dataType == .float, (t.elementCount ?? 0) == 1,
                  let v = (try? Model.tensorValues(t))?.first, v > 0, v.isFinite, Float(v).isNormal else { return nil }
            return v
        }
        if node.opType == "Div" { return scalar(1).map { (1 / $0, 0) } }
        if let c = scalar(1) { return (c, 0) }
        if let c = scalar(0) { return (c, 1) }
        return nil
    }

    /// The role of `node` in `scope` (main graph), given what is constant.
    public static func role(of node: Node, in scope: GraphScope, facts: (String) -> ValueFacts?) -> QuantizationRole {
        guard node.isDefaultDomain else { return .none(reason: "custom-domain op (\(node.domain)) has no QDQ integer kernel") }
        func isFloat(_ v: String) -> Bool { v.isEmpty || (facts(v)?.elementType ?? .float) == .float }
        func constant(_ i: Int) -> Tensor? { i < node.inputs.count && !node.inputs[i].isEmpty ? scope.constantTensor(named: node.inputs[i]) : nil }
        let op = node.opType
        if op == "Relu" { return isFloat(node.inputs[0]) ? .foldableActivation : .none(reason: "input is not float32") }
        if op == "Clip" {
            // Clip folds only with constant bounds (opset ≥ 11 inputs, or the old attributes).
            let boundsConstant = (1..<node.inputs.count).allSatisfy { node.inputs[$0].isEmpty || constant($0) != nil }
            return boundsConstant ? .foldableActivation : .none(reason: "Clip with run-time bounds does not fold into a quantized output")
        }
        if op == "Mul" || op == "Div", node.inputs.count == 2, let (factor, input) = scalarFactor(node, constant: constant),
           isFloat(node.inputs[input]), constant(input) == nil,
           // The result keeps x's shape only if the constant's rank does not exceed x's.
           let c = constant(1 - input), c.dims.isEmpty || (facts(node.inputs[input])?.rank ?? -1) >= c.dims.count {
            return .rescale(factor: factor, input: input)
        }
        if sharedScaleOps.contains(op) {
            if op == "MaxPool", node.outputs.count > 1, !node.outputs[1].isEmpty { return .none(reason: "MaxPool with indices output has no int8 kernel") }
            return isFloat(node.inputs.first ?? "") ? .sharedScale : .none(reason: "data input is not float32")
        }
        guard let kernel = computeKernels[op] else {
            return .none(reason: "\(op) has no integer kernel in ONNX Runtime's CPU EP (stays float)")
        }
        guard node.inputs.filter({ !$0.isEmpty }).allSatisfy(isFloat) || op == "Softmax" else {
            return .none(reason: "inputs are not all float32")
        }
        switch op {
        case "Conv":
            guard constant(1) != nil else { return .none(reason: "Conv weight is computed at run time, not a constant") }
            if node.inputs.count > 2, !node.inputs[2].isEmpty, constant(2) == nil { return .none(reason: "Conv bias is not a constant") }
        case "Gemm":
            guard constant(1) != nil else { return .none(reason: "Gemm B is computed at run time, not a constant") }
            if (node.attribute("transA")?.i ?? 0) != 0 { return .none(reason: "Gemm with transA has no QGemm fusion here") }
            if node.inputs.count > 2, !node.inputs[2].isEmpty {
                guard let c = constant(2), c.dims.count == 1 else { return .none(reason: "Gemm C is not a constant 1-D bias") }
            }
        case "Add", "Mul", "MatMul":
            // Both operands are quantized; a constant operand is stored quantized.
            break
        default: break
        }
        return .compute(kernel: kernel)
    }
}
