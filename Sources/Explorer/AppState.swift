import Quantization
import Workbench
import GraphLayout
import OnnxRuntimeKit
import Partition

/// A node of the model: the scope (main graph or a sub-graph) and its id in that scope.
public struct NodeKey: Hashable, Sendable, Comparable {
    public var scope: Int
    public var node: Int
    public init(scope: Int, node: Int) {
        self.scope = scope
        self.node = node
    }
    public static func < (a: NodeKey, b: NodeKey) -> Bool { (a.scope, a.node) < (b.scope, b.node) }
}

/// What can be selected in the graph of one scope: a node, or the box of a collapsed group.
public enum SceneItem: Hashable, Sendable {
    case node(Int)
    case group(Int)
}

/// How much each box of the graph shows.
public enum ZoomLevel: Int, CaseIterable, Sendable, Comparable {
    /// Op type only, three rows per box: the most of the graph on one screen.
    case compact
    /// Op type and node name.
    case normal
    /// Op type, name and output shape.
    case detailed

    public static func < (a: ZoomLevel, b: ZoomLevel) -> Bool { a.rawValue < b.rawValue }
    public var name: String { ["compact", "normal", "detailed"][rawValue] }
}

/// The top-level screens.
public enum ViewKind: Int, CaseIterable, Sendable {
    case graph, ops, model, runtime, error, deploy
    public var title: String { ["Graph", "Ops", "Model", "Runtime", "Error", "Deploy"][rawValue] }
    /// The number key that shows it.
    public var key: Int { [1, 2, 3, 4, 5, 6][rawValue] }
}

/// What colors the graph's boxes (`t` cycles).
public enum Tint: Int, CaseIterable, Sendable {
    /// The op category (the default, before anything ran).
    case category
    /// Kernel time, cool to hot.
    case time
    /// The execution provider running the node.
    case provider
    /// The partition (maximal run of one provider), alternating colors.
    case partition
    /// Whether the deployment target (``AppState/deployTarget``) is predicted to take the node.
    case predicted
    /// The quantization plan: int8, float but quantizable, not quantizable.
    case quantization
    /// The quantization error of the node's output (propagated SQNR on the eval samples).
    case error
    public var name: String { ["op category", "kernel time", "provider", "partition", "predicted placement", "int8 plan", "int8 error"][rawValue] }
}

/// The pane that receives movement keys.
public enum Pane: Hashable, Sendable {
    case graph, inspector, opTypes, opNodes, model, runtime, errors, deploy

    /// Panes of a view, in Tab order.
    public static func panes(of view: ViewKind) -> [Pane] {
        switch view {
        case .graph: return [.graph, .inspector]
        case .ops: return [.opTypes, .opNodes]
        case .model: return [.model]
        case .runtime: return [.runtime]
        case .error: return [.errors]
        case .deploy: return [.deploy]
        }
    }
}

/// One place in the model, as remembered by the back/forward history.
public struct Location: Hashable, Sendable {
    public var scope: Int
    public var item: SceneItem
    public init(scope: Int, item: SceneItem) {
        self.scope = scope
        self.item = item
    }
}

/// A browser-like back/forward list of locations the user jumped between (searches, jumps to
/// producers, entering sub-graphs): moving with the arrows is not a jump, as in vim's jumplist.
public struct History: Hashable, Sendable {
    /// Older locations, most recent last.
    public private(set) var backStack: [Location] = []
    /// Locations left with ``back(current:)``, most recent last.
    public private(set) var forwardStack: [Location] = []
    /// Oldest entries are dropped beyond this.
    public var limit = 200

    public init() {}

    /// Records that the user jumps away from `from`; the forward list is discarded, as in a browser.
    public mutating func recordJump(from: Location) {
        if backStack.last != from { backStack.append(from) }
        if backStack.count > limit { backStack.removeFirst(backStack.count - limit) }
        forwardStack.removeAll()
    }

    /// The previous location; `current` is remembered so ``forward(current:)`` can return to it.
    public mutating func back(current: Location?) -> Location? {
        while let previous = backStack.popLast() {
            // A stale entry equal to where we are would make the key press do nothing.
            if previous == current { continue }
            if let current { forwardStack.append(current) }
            return previous
        }
        return nil
    }

    /// The location the user went back from.
    public mutating func forward(current: Location?) -> Location? {
        guard let next = forwardStack.popLast() else { return nil }
        if let current { backStack.append(current) }
        return next
    }

    public var canGoBack: Bool { !backStack.isEmpty }
    public var canGoForward: Bool { !forwardStack.isEmpty }
}

/// The incremental search: what is typed, what matches, which match is current.
public struct SearchState: Hashable, Sendable {
    public var query = ""
    /// True while the user is typing in the search line.
    public var isEditing = false
    /// Matching nodes, current scope first then by scope and file order.
    public var matches: [NodeKey] = []
    public var current: Int?
    /// Where the search started, restored if it is cancelled with Esc.
    public var origin: Location?
    public init() {}
}

/// The `:` command palette: the typed filter and the highlighted entry.
public struct PaletteState: Hashable, Sendable {
    public var query = ""
    public var selected = 0
    public init() {}
}

/// Columns the ops table can be sorted by, cycled with `s`.
public enum OpsSortKey: Int, CaseIterable, Sendable {
    case count, parameters, macs, time, name
    public var title: String { ["count", "params", "MACs", "time", "name"][rawValue] }
}

/// How the Runtime view orders its nodes (`s` cycles).
public enum RuntimeSortKey: Int, CaseIterable, Sendable {
    case p50, p90, partition, provider, graphOrder, name
    public var title: String { ["p50", "p90", "partition", "EP", "graph order", "name"][rawValue] }
}

/// A one-line message in the status bar (errors, "no producer: graph input"...).
public struct StatusMessage: Hashable, Sendable {
    public enum Kind: Sendable { case info, warning, error }
    public var text: String
    public var kind: Kind
    public init(_ text: String, kind: Kind = .info) {
        self.text = text
        self.kind = kind
    }
}

/// Everything the user can change, as plain data: views read it, actions transform it.
///
/// Nothing here refers to a terminal or a layout, so the state after a sequence of actions can
/// be asserted directly in tests.
public struct AppState: Sendable {
    public var view: ViewKind = .graph
    public var focus: Pane = .graph
    /// Scopes entered from the main graph, innermost last (scope 0 = main is always first).
    public var scopeStack: [Int] = [0]
    /// Selection per scope, so leaving a sub-graph returns to the If/Loop node it was entered from.
    public var selections: [Int: SceneItem] = [:]
    /// Top-left cell of the graph viewport per scope (layout coordinates).
    public var cameras: [Int: GridPoint] = [:]
    /// Collapsed groups per scope (group ids of ``ScopeGrouping``).
    public var collapsed: [Int: Set<Int>] = [:]
    public var zoom: ZoomLevel = .normal
    public var history = History()
    public var search = SearchState()
    public var palette: PaletteState?
    public var showHelp = false
    /// The live settings panel (`o`), while open.
    public var settings: SettingsPanelState?
    public var helpScroll = 0
    public var showMinimap = true
    public var inspectorScroll = 0
    public var opsSort: OpsSortKey = .count
    public var opTypesList = ScrollStateBox()
    public var opNodesList = ScrollStateBox()
    public var modelScroll = 0
    /// What later stages (runtime, quantizer) learned about nodes; views only read it.
    public var annotations = Annotations()
    /// ONNX Runtime's messages so far, already escaped and deduplicated (a copy of
    /// ``ExplorerApp/runtimeLog``'s snapshot): ORT never writes to the explorer's terminal.
    public var runtimeMessages: [OrtLogEntry] = []
    /// The live run as last published (empty until `r` starts one).
    public var runtime = RuntimeFigures()
    /// The quantization loop's latest snapshot (nil until it is started), and what is asked of it.
    public var quantization: QuantizationJob.Snapshot?
    public var planRequest = PlanRequest()
    /// An already-quantized (QDQ/QAT) model: the nodes `Q` turned back to float, and the
    /// dequantized variant's bytes (nil: the model as opened).
    public var qdqFloatNodes: Set<String> = []
    public var qdqVariant: [UInt8]?
    /// `:live int8`: the live run follows the int8 variants; the request of the one it runs.
    public var liveFollowsInt8 = false
    public var liveFedRequest: PlanRequest?
    /// What the live runner runs, by the model revision its snapshots carry (0: the document).
    public var liveModels: [Int: LiveModel] = [0: .document]
    /// Kernel times and errors measured so far with nodes float and int8 (the inspector's
    /// "int8 saves / would save" line).
    public var measured = PrecisionMeasurements()
    /// `O` asked ORT to write its optimized graph; it is shown when written.
    public var ortGraphPending = false
    public var tint: Tint = .category
    /// The execution provider the Deploy view and the predicted tint are about (`T` cycles).
    public var deployTarget: PartitionTarget = .nnapi
    /// The Deploy view's list of nodes not taken.
    public var deployList = ScrollStateBox()
    /// The Runtime view's node order.
    public var runtimeSort: RuntimeSortKey = .p50
    /// The Error view's list of quantized values, worst first.
    public var errorList = ScrollStateBox()
    /// The value whose float/int8 comparison was last asked for (once per selection).
    public var comparisonAsked: String?
    /// The Runtime view's node list and its sort.
    public var runtimeList = ScrollStateBox()
    public var message: StatusMessage?
    public var quitRequested = false

    public init() {}

    /// The scope whose graph is shown.
    public var scope: Int { scopeStack.last ?? 0 }

    /// The selection in the current scope.
    public var selection: SceneItem? {
        get { selections[scope] }
        set { selections[scope] = newValue }
    }

    /// The current location, if anything is selected.
    public var location: Location? { selection.map { Location(scope: scope, item: $0) } }

    public var camera: GridPoint {
        get { cameras[scope] ?? GridPoint(x: 0, y: 0) }
        set { cameras[scope] = newValue }
    }
}

/// Selection and offset of a list, stored in ``AppState`` (a value wrapper so the state stays
/// independent of the Terminal module's types in its public surface).
public struct ScrollStateBox: Hashable, Sendable {
    public var selected = 0
    public var offset = 0
    public init() {}
}
