import Terminal

/// Everything the user can do by key, by mouse or from the command palette.
public enum Action: String, CaseIterable, Sendable {
    case moveUp, moveDown, moveLeft, moveRight
    case pageUp, pageDown, first, last, center
    case jumpToProducer, back, forward
    case search, searchNext, searchPrevious
    case toggle, expand, collapse, expandAll, collapseAll, leaveScope, nextBranch
    case zoomIn, zoomOut
    case cycleFocus, cycleFocusBack
    case showGraph, showOps, showModel, showRuntime, showError, showDeploy
    case toggleRun, liveSettings, cycleTint, toggleQuantization, saveQuantized, cycleTarget, ortGraph
    case sortOps, toggleMinimap
    case help, palette, redraw, quit

    /// Name shown in the help overlay and matched by the command palette.
    public var title: String {
        switch self {
        case .moveUp: return "select producer (up)"
        case .moveDown: return "select consumer (down)"
        case .moveLeft: return "select left neighbour"
        case .moveRight: return "select right neighbour"
        case .pageUp: return "page up"
        case .pageDown: return "page down"
        case .first: return "go to top"
        case .last: return "go to bottom"
        case .center: return "center on selection"
        case .jumpToProducer: return "jump to producer of input"
        case .back: return "back (history)"
        case .forward: return "forward (history)"
        case .search: return "search name / op / tensor"
        case .searchNext: return "next match"
        case .searchPrevious: return "previous match"
        case .toggle: return "expand group / enter sub-graph"
        case .expand: return "expand group"
        case .collapse: return "collapse enclosing group"
        case .expandAll: return "expand all groups"
        case .collapseAll: return "collapse repeated blocks"
        case .leaveScope: return "leave sub-graph"
        case .nextBranch: return "next branch of If/Loop"
        case .zoomIn: return "zoom in (more detail)"
        case .zoomOut: return "zoom out (compact)"
        case .cycleFocus: return "next pane"
        case .cycleFocusBack: return "previous pane"
        case .showGraph: return "graph view"
        case .showOps: return "ops table view"
        case .showModel: return "model view"
        case .showRuntime: return "runtime view"
        case .showError: return "error view (int8 error per value)"
        case .showDeploy: return "deploy view (predicted EP placement)"
        case .cycleTarget: return "deploy target: next EP (NNAPI, CoreML, QNN, XNNPACK, TensorRT, OpenVINO, CPU)"
        case .toggleRun: return "start / stop the live run"
        case .liveSettings: return "live settings: EP, threads, optimization, fallback"
        case .ortGraph: return "ORT's optimized graph (what it runs) / back to the model"
        case .toggleQuantization: return "int8 / float for the selected node"
        case .saveQuantized: return "write the int8 variant and its plan to new files"
        case .cycleTint: return "tint: category, time, provider, partition, predicted, int8 plan, int8 error"
        case .sortOps: return "sort the ops table or runtime nodes"
        case .toggleMinimap: return "toggle overview"
        case .help: return "help"
        case .palette: return "command palette"
        case .redraw: return "redraw screen"
        case .quit: return "quit"
        }
    }

    /// Section of the help overlay.
    public var section: String {
        switch self {
        case .moveUp, .moveDown, .moveLeft, .moveRight, .pageUp, .pageDown, .first, .last, .center,
             .jumpToProducer, .back, .forward:
            return "Navigate"
        case .search, .searchNext, .searchPrevious: return "Search"
        case .toggle, .expand, .collapse, .expandAll, .collapseAll, .leaveScope, .nextBranch, .zoomIn, .zoomOut, .toggleMinimap:
            return "Graph"
        case .cycleFocus, .cycleFocusBack, .showGraph, .showOps, .showModel, .showRuntime, .showError, .showDeploy, .sortOps: return "Views"
        case .toggleRun, .liveSettings, .cycleTint, .toggleQuantization, .saveQuantized, .cycleTarget, .ortGraph: return "Runtime"
        case .help, .palette, .redraw, .quit: return "General"
        }
    }
}

/// One row of the key table: the keys that trigger an action.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public init(_ keys: [Key], _ action: Action) {
        self.keys = keys
        self.action = action
    }
}

/// The single key table: dispatch looks keys up here and the help overlay lists it, so the
/// two cannot disagree.
public enum KeyBindings {
    public static let table: [KeyBinding] = [
        KeyBinding([.up, .char("k")], .moveUp),
        KeyBinding([.down, .char("j")], .moveDown),
        KeyBinding([.left, .char("h")], .moveLeft),
        KeyBinding([.right, .char("l")], .moveRight),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp),
        KeyBinding([.pageDown, .ctrl("f")], .pageDown),
        KeyBinding([.char("g"), .home], .first),
        KeyBinding([.char("G"), .end], .last),
        KeyBinding([.char("c")], .center),
        KeyBinding([.char("p")], .jumpToProducer),
        KeyBinding([.char("["), .ctrl("o")], .back),
        KeyBinding([.char("]")], .forward),
        KeyBinding([.char("/")], .search),
        KeyBinding([.char("n")], .searchNext),
        KeyBinding([.char("N")], .searchPrevious),
        KeyBinding([.enter, .char(" ")], .toggle),
        KeyBinding([.char("+"), .char("=")], .expand),
        KeyBinding([.char("-")], .collapse),
        KeyBinding([.char("E")], .expandAll),
        KeyBinding([.char("C")], .collapseAll),
        KeyBinding([.backspace], .leaveScope),
        KeyBinding([.char(">")], .nextBranch),
        KeyBinding([.char("z")], .zoomIn),
        KeyBinding([.char("Z")], .zoomOut),
        KeyBinding([.tab], .cycleFocus),
        KeyBinding([.backTab], .cycleFocusBack),
        KeyBinding([.char("1"), .function(1)], .showGraph),
        KeyBinding([.char("2"), .function(2)], .showOps),
        KeyBinding([.char("3"), .function(3)], .showModel),
        KeyBinding([.char("4"), .function(4)], .showRuntime),
        KeyBinding([.char("5"), .function(5)], .showError),
        KeyBinding([.char("6"), .function(6)], .showDeploy),
        KeyBinding([.char("r")], .toggleRun),
        KeyBinding([.char("o")], .liveSettings),
        KeyBinding([.char("O")], .ortGraph),
        KeyBinding([.char("t")], .cycleTint),
        KeyBinding([.char("Q")], .toggleQuantization),
        KeyBinding([.char("w")], .saveQuantized),
        KeyBinding([.char("T")], .cycleTarget),
        KeyBinding([.char("s")], .sortOps),
        KeyBinding([.char("m")], .toggleMinimap),
        KeyBinding([.char("?"), .function(10)], .help),
        KeyBinding([.char(":")], .palette),
        KeyBinding([.ctrl("l")], .redraw),
        KeyBinding([.char("q"), .ctrl("c")], .quit),
    ]

    private static let lookup: [Key: Action] = {
        var m: [Key: Action] = [:]
        for b in table { for k in b.keys where m[k] == nil { m[k] = b.action } }
        return m
    }()

    /// The action bound to `key`, if any.
    public static func action(for key: Key) -> Action? {
        if let a = lookup[key] { return a }
        // Terminals send Backspace as DEL or Ctrl-H.
        if key == .char("\u{7f}") || key == .ctrl("h") { return .leaveScope }
        return nil
    }

    /// The keys bound to an action, as shown to the user ("j ↓").
    public static func keys(for action: Action) -> [Key] {
        table.filter { $0.action == action }.flatMap(\.keys)
    }

    /// A key as the help overlay writes it.
    public static func name(of key: Key, glyphs: GlyphSet = .unicode) -> String {
        switch key {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "Ctrl-" + String(c).uppercased()
        case .alt(let k): return "Alt-" + name(of: k, glyphs: glyphs)
        case .up: return String(glyphs.arrowUp)
        case .down: return String(glyphs.arrowDown)
        case .left: return String(glyphs.arrowLeft)
        case .right: return String(glyphs.arrowRight)
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .insert: return "Ins"
        case .delete: return "Del"
        case .backspace: return "Backspace"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .function(let n): return "F\(n)"
        }
    }
}
