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

    // Runtime tints: kernel time from cool to hot, and one color per execution provider.
    case heat1 = "heat.1"
    case heat2 = "heat.2"
    case heat3 = "heat.3"
    case heat4 = "heat.4"
    case heat5 = "heat.5"
    case provider1 = "provider.1"
    case provider2 = "provider.2"
    case provider3 = "provider.3"
    case provider4 = "provider.4"

    /// The op-category roles, for legends and for mapping an op catalog onto colors.
    public static let opCategories: [ThemeRole] = [
        .opConv, .opMatMul, .opActivation, .opNormalization, .opPooling, .opShape,
        .opQuantization, .opControlFlow, .opElementwise, .opReduction, .opOther,
    ]

    /// Kernel-time tints, coolest first.
    public static let heat: [ThemeRole] = [.heat1, .heat2, .heat3, .heat4, .heat5]

    /// Provider tints, in the order providers are first met.
    public static let providers: [ThemeRole] = [.provider1, .provider2, .provider3, .provider4]
}
