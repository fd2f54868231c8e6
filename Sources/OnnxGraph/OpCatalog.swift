import OnnxModel

/// The broad family an operator belongs to. Views color nodes by it; metrics decide how to
/// count work by it.
public enum OpCategory: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    case convolution = "conv"
    case matmul = "matmul/gemm"
    case activation
    case normalization
    case pooling
    case elementwise
    case shape = "shape manipulation"
    case quantization
    case controlFlow = "control flow"
    case reduction
    case other

    public var description: String { rawValue }
}

/// What an operator input is for, so metrics can tell learned weights from running
/// statistics and the quantizer can tell weights from activations.
public enum InputRole: String, Sendable, Hashable {
    /// Data flowing through the network.
    case activation
    /// A learned weight (Conv/Gemm/MatMul kernels, embedding tables, norm scales).
    case weight
    /// A learned bias.
    case bias
    /// BatchNormalization's running mean and variance: stored with the model but not learned
    /// by gradient descent. PyTorch calls them buffers and leaves them out of its parameter
    /// count; so do we (they are reported separately as buffers).
    case runningStatistic
    /// Scale or zero point of a (de)quantizer or a QLinear op.
    case quantizationParameter
    /// A small tensor that steers the op (shape, axes, pads, indices…), not data.
    case control
}

/// Catalog entry for one operator type.
public struct OpInfo: Sendable, Hashable {
    public var category: OpCategory
    /// Role of input slot `i` (slots beyond the list are activations).
    public var inputRoles: [InputRole]

    public init(_ category: OpCategory, _ roles: [InputRole] = []) {
        self.category = category
        self.inputRoles = roles
    }

    /// Role of input slot `index`.
    public func role(ofInput index: Int) -> InputRole {
        index < inputRoles.count ? inputRoles[index] : .activation
    }

    /// Input slots that hold weights or biases (learned parameters) when fed by initializers.
    public var weightInputs: [Int] {
        inputRoles.indices.filter { inputRoles[$0] == .weight || inputRoles[$0] == .bias }
    }
}

/// Category and input roles of the ONNX operators (and the common `com.microsoft` ones).
///
/// Unknown operators are `.other` with all-activation inputs; custom domains are looked up by
/// op type only, because contrib ops reuse standard names with the same meaning.
public enum OpCatalog {
    /// Catalog entry for `opType` (never fails: unknown ops are `.other`).
    public static func info(_ opType: String, domain: String = "") -> OpInfo {
        table[opType] ?? OpInfo(.other)
    }

    /// Category of `node`.
    public static func category(of node: Node) -> OpCategory { info(node.opType, domain: node.domain).category }

    /// Role of `node`'s input slot `index`.
    public static func role(of node: Node, input index: Int) -> InputRole {
        info(node.opType, domain: node.domain).role(ofInput: index)
    }

    /// True for the ops whose inputs carry real quantization (QDQ and QOperator formats).
    public static func isQuantizationOp(_ opType: String) -> Bool {
        table[opType]?.category == .quantization || opType.hasPrefix("QLinear") || opType.hasSuffix("Integer")
    }

    private static let w = InputRole.weight, b = InputRole.bias, a = InputRole.activation
    private static let c = InputRole.control, q = InputRole.quantizationParameter
    private static let s = InputRole.runningStatistic

    private static let table: [String: OpInfo] = {
        var t: [String: OpInfo] = [:]
        func put(_ category: OpCategory, _ roles: [InputRole], _ ops: String...) {
            for op in ops { t[op] = OpInfo(category, roles) }
        }
        // Convolution and linear algebra.
        put(.convolution, [a, w, b], "Conv", "ConvTranspose", "DeformConv")
        put(.convolution, [a, w, q, q], "ConvInteger")
        // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B)
        put(.convolution, [a, q, q, w, q, q, q, q, b], "QLinearConv")
        put(.matmul, [a, w, b], "Gemm")
        put(.matmul, [a, w], "MatMul")
        put(.matmul, [a, w, q, q], "MatMulInteger")
        put(.matmul, [a, q, q, w, q, q, q, q], "QLinearMatMul")
        put(.matmul, [a, w, q, q, b], "MatMulIntegerToFloat")
        put(.matmul, [a, w, q, q, c, b], "MatMulNBits")
        put(.matmul, [a, w, b, c], "Attention")
        put(.matmul, [a, a, a], "Einsum")
        // Activations (elementwise, non-linear).
        put(.activation, [], "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Erf", "Elu", "Selu", "Celu", "Softplus",
            "Softsign", "HardSigmoid", "HardSwish", "Gelu", "FastGelu", "BiasGelu", "Mish", "ThresholdedRelu",
            "Clip", "Softmax", "LogSoftmax", "Hardmax", "Shrink", "QuickGelu")
        put(.activation, [a, w], "PRelu")
        // Normalization.
        put(.normalization, [a, w, b, s, s], "BatchNormalization")
        put(.normalization, [a, w, b], "LayerNormalization", "InstanceNormalization", "GroupNormalization",
            "SimplifiedLayerNormalization", "RMSNormalization")
        put(.normalization, [a, a, w, b], "SkipLayerNormalization", "SkipSimplifiedLayerNormalization")
        put(.normalization, [], "LpNormalization", "MeanVarianceNormalization", "LRN")
        // Pooling.
        put(.pooling, [], "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool",
            "MaxRoiPool", "RoiAlign", "MaxUnpool")
        put(.pooling, [a, q, q, q, q], "QLinearAveragePool", "QLinearGlobalAveragePool")
        // Elementwise arithmetic and logic.
        put(.elementwise, [], "Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Sum", "Mean", "Abs", "Neg",
            "Sqrt", "Exp", "Log", "Reciprocal", "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos",
            "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "And", "Or", "Xor", "Not", "Equal", "Less", "Greater",
            "LessOrEqual", "GreaterOrEqual", "Where", "IsNaN", "IsInf", "BitShift", "BitwiseAnd", "BitwiseOr",
            "BitwiseXor", "BitwiseNot", "CumSum", "Trilu")
        put(.elementwise, [a, q, q, a, q, q, q, q], "QLinearAdd", "QLinearMul")
        put(.activation, [a, q, q, q, q], "QLinearSigmoid", "QLinearLeakyRelu")
        // Shape manipulation and data movement.
        put(.shape, [], "Shape", "Size", "Identity", "Flatten", "Transpose", "Concat", "Cast", "CastLike",
            "Constant", "Dropout", "DepthToSpace", "SpaceToDepth", "NonZero", "Compress", "SequenceConstruct",
            "SequenceAt", "SequenceInsert", "SplitToSequence", "ConcatFromSequence", "EyeLike", "Optional",
            "OptionalGetElement", "OptionalHasElement")
        put(.shape, [a, c], "Reshape", "Unsqueeze", "Squeeze", "Expand", "Tile", "Split")
        put(.shape, [c], "ConstantOfShape")
        put(.shape, [c, c, c], "Range")
        put(.shape, [a, c, c, c, c], "Slice")
        put(.shape, [a, c, c], "Pad")
        put(.shape, [a, c, c, c], "Resize")
        put(.shape, [a, c], "Upsample")
        put(.shape, [w, a], "Gather")          // Gather(embedding table, ids): the table is a weight
        put(.shape, [a, a], "GatherElements", "GatherND")
        put(.shape, [a, a, a], "ScatterElements", "ScatterND", "Scatter")
        put(.shape, [a, c, c], "OneHot")
        // Quantization.
        put(.quantization, [a, q, q], "QuantizeLinear", "DequantizeLinear")
        put(.quantization, [], "DynamicQuantizeLinear")
        // Control flow.
        put(.controlFlow, [], "If", "Loop", "Scan")
        // Reductions.
        put(.reduction, [a, c], "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
            "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare")
        put(.reduction, [], "ArgMax", "ArgMin")
        put(.reduction, [a, c], "TopK")
        return t
    }()
}
