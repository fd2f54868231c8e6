/// A set of styles by role, loaded from a theme file (see ``ThemeParser``) or built in.
public struct Theme: Hashable, Sendable {
    /// The theme's name as given in the file (`name = ...`) or the file's base name.
    public var name: String
    /// A style for every ``ThemeRole``.
    public private(set) var styles: [ThemeRole: Style]

    /// A theme with the given styles; roles left out take ``builtinDark``'s style, so every role
    /// always has one.
    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        var all = Theme.builtinDarkStyles
        for (role, style) in styles { all[role] = style }
        self.styles = all
    }

    public subscript(role: ThemeRole) -> Style {
        get { styles[role] ?? .none }
        set { styles[role] = newValue }
    }

    /// The style of the whole screen: default text color on the background color.
    public var base: Style {
        let bg = self[.background]
        return Style(fg: bg.fg ?? self[.text].fg, bg: bg.bg)
    }

    /// The theme onnxscope uses when no theme file can be found; identical to `themes/dark.theme`
    /// (a test keeps the two in step).
    public static let builtinDark = Theme(name: "dark", styles: [:])

    static let builtinDarkStyles: [ThemeRole: Style] = {
        func rgb(_ hex: UInt32) -> Color { .rgb(UInt8(hex >> 16), UInt8((hex >> 8) & 0xFF), UInt8(hex & 0xFF)) }
        return [
            .background: Style(fg: rgb(0xD4D4D4), bg: rgb(0x1E1E1E)),
            .text: Style(fg: rgb(0xD4D4D4)),
            .textDim: Style(fg: rgb(0x858585)),
            .border: Style(fg: rgb(0x4E4E4E)),
            .borderFocused: Style(fg: rgb(0x569CD6)),
            .title: Style(fg: rgb(0xDCDCAA), attributes: .bold),
            .accent: Style(fg: rgb(0x4EC9B0)),
            .selection: Style(fg: rgb(0xFFFFFF), bg: rgb(0x264F78), attributes: .bold),
            .statusBar: Style(fg: rgb(0x1E1E1E), bg: rgb(0x569CD6)),
            .statusKey: Style(fg: rgb(0x1E1E1E), bg: rgb(0x9CDCFE), attributes: .bold),
            .searchMatch: Style(fg: rgb(0x1E1E1E), bg: rgb(0xD7BA7D)),
            .error: Style(fg: rgb(0xF44747), attributes: .bold),
            .warning: Style(fg: rgb(0xD7BA7D)),
            .success: Style(fg: rgb(0x6A9955)),
            .edge: Style(fg: rgb(0x6E7681)),
            .opConv: Style(fg: rgb(0x4FC1FF)),
            .opMatMul: Style(fg: rgb(0xC586C0)),
            .opActivation: Style(fg: rgb(0xB5CEA8)),
            .opNormalization: Style(fg: rgb(0xDCDCAA)),
            .opPooling: Style(fg: rgb(0x4EC9B0)),
            .opShape: Style(fg: rgb(0x9CDCFE)),
            .opQuantization: Style(fg: rgb(0xCE9178)),
            .opControlFlow: Style(fg: rgb(0xF44747)),
            .opElementwise: Style(fg: rgb(0xD4D4D4)),
            .opReduction: Style(fg: rgb(0xD7BA7D)),
            .opOther: Style(fg: rgb(0x858585)),
            .heat1: Style(fg: rgb(0x3A6EA5)),
            .heat2: Style(fg: rgb(0x4EC9B0)),
            .heat3: Style(fg: rgb(0xDCDCAA)),
            .heat4: Style(fg: rgb(0xCE9178)),
            .heat5: Style(fg: rgb(0xF44747), attributes: .bold),
            .provider1: Style(fg: rgb(0x569CD6)),
            .provider2: Style(fg: rgb(0xC586C0)),
            .provider3: Style(fg: rgb(0xB5CEA8)),
            .provider4: Style(fg: rgb(0xD7BA7D)),
        ]
    }()
}
