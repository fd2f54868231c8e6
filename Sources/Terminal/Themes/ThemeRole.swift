/// What a themed style is used for. The raw value is the key in theme files.
public enum ThemeRole: String, CaseIterable, Sendable {
    /// Screen background (its background color) and default text (its foreground).
    case background = "background"
    case text = "text"
    /// Secondary text: hints, units, inactive items.
    case textDim = "text.dim"
    case border = "border"
    /// Border of the pane that has the keyboard focus.
    case borderFocused = "border.focused"
    case title = "title"
    /// Headings, highlighted numbers, links.
    case accent = "accent"
    case selection = "selection"
    case statusBar = "status"
    /// Key names in the status bar's hints.
    case statusKey = "status.key"
    case searchMatch = "search.match"
    case error = "error"
    case warning = "warning"
    case success = "success"
    /// Graph edges.
    case edge = "edge"

    case opConv = "op.conv"
    case opMatMul = "op.matmul"
    case opActivation = "op.activation"
    case opNormalization = "op.normalization"
    case opPooling = "op.pooling"
    case opShape = "op.shape"
    case opQuantization = "op.quantization"
    case opControlFlow = "op.control"
    case opElementwise = "op.elementwise"
    case opReduction = "op.reduction"
    case opOther = "op.other"

    /// The op-category roles, for legends and for mapping an op catalog onto colors.
    public static let opCategories: [ThemeRole] = [
        .opConv, .opMatMul, .opActivation, .opNormalization, .opPooling, .opShape,
        .opQuantization, .opControlFlow, .opElementwise, .opReduction, .opOther,
    ]
}
