import GraphLayout
import Quantization
import Workbench
import OnnxRuntimeKit
import OnnxGraph
import OnnxModel
import Terminal

/// Where the panes were drawn in the last frame, for mouse hit-testing and paging.
struct ScreenRects {
    var tabs: [(view: ViewKind, x: Int, width: Int)] = []
    var graph: Rect = .zero
    /// The graph pane's drawing area (inside its border).
    var graphViewport: Rect = .zero
    var inspector: Rect = .zero
    var opTypes: Rect = .zero
    var opNodes: Rect = .zero
    var model: Rect = .zero
    var runtimeList: Rect = .zero
    var deployList: Rect = .zero
    var errorList: Rect = .zero
}

/// How the graph camera should follow the selection at the next frame (it needs the viewport size).
enum CameraRequest {
    case scrollIntoView, center
}

/// The explorer: owns the state, the loaded document and the caches, turns events into state
/// changes and state into frames.
///
/// The same object drives the real terminal (``run(terminal:)``) and the in-memory backend of
/// the tests, which call ``handle(_:)`` and render frames themselves.
public final class ExplorerApp {
    public internal(set) var document: Document
    public internal(set) var state = AppState()
    public var theme: Theme
    public let glyphs: GlyphSet
    public let lineStyle: LineStyle
    public internal(set) var layouts: LayoutCache
    public internal(set) var statistics = StatisticsCache()
    let opsRows = OpsRowsCache()
    var screen = ScreenRects()
    /// Predictions per deployment target for the current document (built on first use).
    var deployment = DeploymentCache()
    /// Weight code histograms for the inspector, by layer (weights can be millions of values).
    var weightHistograms: [String: WeightCodeHistogram] = [:]
    var cameraRequest: CameraRequest? = .scrollIntoView
    var clearRequested = false
    /// Makes the live runner on the first `r` (loading ORT only then); set by `view`.
    public var makeLiveRuntime: (@Sendable () throws -> any LiveRuntimeControl)?
    /// The live runner, once made.
    public internal(set) var liveRuntime: (any LiveRuntimeControl)?
    /// Makes the quantization loop (calibration, int8 variants) on the first `Q` or `quantize`
    /// command; set by `view --calibration`.
    public var makeQuantizationJob: (@Sendable () throws -> QuantizationJob)?
    /// Makes the quantization loop for calibration and evaluation paths given later (the
    /// palette's `calibrate PATH… [eval PATH…]`); set by `view` when ORT can be loaded.
    public var makeQuantizationJobForData: (@Sendable (_ calibration: [String], _ evaluation: [String]) throws -> QuantizationJob)?
    /// Actions to perform once the terminal is ours (`--run`, calibrating at launch). Background
    /// jobs capture fd 1 and 2 while ORT runs (``NativeOutputCapture``); started before the
    /// terminal is set up, ncurses would find a pipe where the terminal was and fail.
    public var launchActions: [Action] = []
    /// The quantization loop, once made.
    public internal(set) var quantizationJob: QuantizationJob?
    /// The session settings of the command line (`view --ep/--opt-level/…`), for what is
    /// asked of ORT before a live run exists (`O`).
    public var launchConfiguration: SessionConfiguration?
    /// Makes the job that has ORT write its optimized graph (`O`); set by `view`.
    public var makeOptimizedGraphJob: (@Sendable () throws -> OptimizedGraphJob)?
    /// That job, once made.
    public internal(set) var optimizedGraphJob: OptimizedGraphJob?
    /// ORT's optimized graph while it is shown in place of the model.
    var ortGraph: OrtGraphMode?
    /// Where ORT's messages are collected; the run loop copies it into
    /// ``AppState/runtimeMessages`` (see RuntimeMessages.swift).
    public var runtimeLog: OrtLog?
    var runtimeLogSeen = -1

    /// - Parameters:
    ///   - ascii: draw boxes, edges and marks with ASCII only (`--ascii`, non-UTF-8 terminals).
    ///   - layoutThreshold: scenes with more boxes than this are laid out in the background.
    public init(document: Document, theme: Theme = .builtinDark, ascii: Bool = false, layoutThreshold: Int = 4000) {
        self.document = document
        self.theme = theme
        self.glyphs = ascii ? .ascii : .unicode
        self.lineStyle = ascii ? .ascii : .unicode
        self.layouts = LayoutCache(backgroundThreshold: layoutThreshold)
        state.collapsed[0] = document.groupings[0].defaultCollapsed
    }

    // MARK: Scene access

    /// Folded groups of `scope` (the default folding until the user changes it).
    func collapsedGroups(_ scope: Int) -> Set<Int> {
        state.collapsed[scope] ?? document.groupings[scope].defaultCollapsed
    }

    var sceneKey: SceneKey { SceneKey(scope: state.scope, collapsed: collapsedGroups(state.scope), zoom: state.zoom) }

    /// The current scene, or nil while it is being laid out in the background.
    public var scene: Scene? {
        let s = layouts.scene(for: sceneKey, document: document)
        if let s { normalizeSelection(in: s) }
        return s
    }

    /// Whether background work is running (layouts, tensor statistics).
    public var isBusy: Bool { layouts.isBusy || statistics.isBusy || isLive || isQuantizing || state.ortGraphPending }

    /// A live run is starting or running: the screen refreshes as snapshots arrive.
    var isLive: Bool { state.runtime.phase == .running || state.runtime.phase == .starting || state.runtime.isStale }

    /// Blocks until background work is done (tests and benchmarks).
    public func waitForBackgroundWork() {
        layouts.waitForPending()
        statistics.waitForPending()
    }

    /// The selected node, if a node (not a group) is selected.
    public var selectedNode: NodeKey? {
        if case .node(let n)? = state.selection { return NodeKey(scope: state.scope, node: n) }
        return nil
    }

    /// Makes the selection something the scene shows: a node hidden in a folded group becomes
    /// that group; a group that is no longer folded becomes its first node.
    func normalizeSelection(in scene: Scene) {
        guard scene.key.scope == state.scope else { return }
        if let item = state.selection {
            if let v = scene.vertex(of: item) {
                let shown = scene.item(ofVertex: v)
                if shown != item { state.selection = shown }
                return
            }
            if case .group(let g) = item {
                let tree = document.groupings[state.scope].tree
                let scope = document.scope(state.scope)
                if let first = tree.nodes(in: g).min(by: { scope.topologicalRank(of: $0) < scope.topologicalRank(of: $1) }),
                   let v = scene.vertex(of: .node(first)) {
                    state.selection = scene.item(ofVertex: v)
                    return
                }
            }
        }
        if let v = Navigation.first(in: scene) { state.selection = scene.item(ofVertex: v) }
    }

    // MARK: Events

    /// Applies one input event to the state.
    public func handle(_ event: Event) {
        switch event {
        case .key(let key): handle(key: key)
        case .mouse(let m): handle(mouse: m)
        case .resize: cameraRequest = cameraRequest ?? .scrollIntoView
        }
    }

    /// Applies a sequence of key presses (tests, scripted benchmarks).
    public func press(_ keys: Key...) { for k in keys { handle(.key(k)) } }

    /// Types text as individual key presses.
    public func type(_ text: String) { for c in text { handle(.key(.char(c))) } }

    func handle(key: Key) {
        state.message = nil
        if state.search.isEditing { return handleSearchKey(key) }
        if state.palette != nil { return handlePaletteKey(key) }
        if state.showHelp { return handleHelpKey(key) }
        if state.settings != nil { return handleSettingsKey(key) }
        if key == .escape {
            if !state.search.matches.isEmpty || !state.search.query.isEmpty { state.search = SearchState() }
            return
        }
        guard let action = KeyBindings.action(for: key) else {
            state.message = StatusMessage("no key \(KeyBindings.name(of: key, glyphs: glyphs)) — press ? for help", kind: .warning)
            return
        }
        perform(action)
    }

    func handleHelpKey(_ key: Key) {
        switch key {
        case .down, .char("j"): state.helpScroll += 1
        case .up, .char("k"): state.helpScroll = max(0, state.helpScroll - 1)
        case .pageDown: state.helpScroll += 10
        case .pageUp: state.helpScroll = max(0, state.helpScroll - 10)
        case .char("q"), .ctrl("c"):
            state.showHelp = false
            state.quitRequested = key == .ctrl("c")
        default: state.showHelp = false
        }
    }

    func handle(mouse m: MouseEvent) {
        state.message = nil
        if state.showHelp || state.palette != nil {
            if case .press = m.kind { state.showHelp = false; state.palette = nil }
            return
        }
        switch m.kind {
        case .press(.left):
            if m.y == 0, let tab = screen.tabs.first(where: { m.x >= $0.x && m.x < $0.x + $0.width }) {
                show(tab.view)
                return
            }
            if screen.graphViewport.contains(x: m.x, y: m.y), state.view == .graph {
                state.focus = .graph
                guard let scene else { return }
                let p = GridPoint(x: state.camera.x + m.x - screen.graphViewport.x, y: state.camera.y + m.y - screen.graphViewport.y)
                if let v = Navigation.hit(p, in: scene) {
                    select(scene.item(ofVertex: v), recordJump: false)
                    cameraRequest = nil
                }
            } else if screen.inspector.contains(x: m.x, y: m.y), state.view == .graph {
                state.focus = .inspector
            } else if screen.opTypes.contains(x: m.x, y: m.y), state.view == .ops {
                state.focus = .opTypes
                let row = m.y - screen.opTypes.y - 2
                if row >= 0 { state.opTypesList.selected = state.opTypesList.offset + row; state.opNodesList = ScrollStateBox() }
            } else if screen.opNodes.contains(x: m.x, y: m.y), state.view == .ops {
                state.focus = .opNodes
                let row = m.y - screen.opNodes.y - 2
                if row >= 0 { state.opNodesList.selected = state.opNodesList.offset + row }
            }
        case .wheelUp, .wheelDown:
            let delta = m.kind == .wheelUp ? -3 : 3
            if state.view == .graph && screen.graphViewport.contains(x: m.x, y: m.y) {
                var c = state.camera
                c.y = max(0, c.y + delta)
                if let scene { c = Navigation.clamped(c, scene: scene, viewport: (screen.graphViewport.width, screen.graphViewport.height)) }
                state.camera = c
                cameraRequest = nil
            } else if state.view == .graph && screen.inspector.contains(x: m.x, y: m.y) {
                state.inspectorScroll = max(0, state.inspectorScroll + delta)
            } else if state.view == .ops {
                moveList(by: delta / 3)
            } else if state.view == .model {
                state.modelScroll = max(0, state.modelScroll + delta)
            }
        default:
            break
        }
    }

    // MARK: Selection and locations

    /// Selects `item` in the current scope; jumps are recorded for back/forward.
    func select(_ item: SceneItem, recordJump: Bool) {
        if recordJump, let here = state.location, here.item != item { state.history.recordJump(from: here) }
        if state.selection != item { state.inspectorScroll = 0 }
        state.selection = item
        cameraRequest = .scrollIntoView
    }

    /// Goes to a location in any scope, unfolding groups that hide a node so it is visible.
    func go(to location: Location, recordJump: Bool, reveal: Bool = true) {
        if recordJump, let here = state.location, here != location { state.history.recordJump(from: here) }
        state.scopeStack = scopePath(to: location.scope)
        if reveal, case .node(let n) = location.item {
            var folded = collapsedGroups(location.scope)
            for g in document.groupings[location.scope].ancestors(ofNode: n) { folded.remove(g) }
            state.collapsed[location.scope] = folded
        }
        if state.selection != location.item { state.inspectorScroll = 0 }
        state.selection = location.item
        cameraRequest = .center
    }

    /// Scope ids from the main graph down to `scope`.
    func scopePath(to scope: Int) -> [Int] {
        var path = [scope]
        var s = scope
        while let link = document.scope(s).parent {
            path.append(link.scope)
            s = link.scope
        }
        return path.reversed()
    }

    func show(_ view: ViewKind) {
        state.view = view
        state.focus = Pane.panes(of: view)[0]
    }

    // MARK: Run loop

    /// Runs until the user quits: draw, wait for input (polling while background work runs),
    /// apply every queued event, draw again.
    public func run<B: Backend>(terminal: Terminal<B>) {
        var idleFailures = 0
        for action in launchActions { perform(action) }
        launchActions = []
        while !state.quitRequested {
            if clearRequested {
                terminal.clear()
                clearRequested = false
            }
            refreshRuntimeMessages()
            refreshLiveRuntime()
            refreshQuantization()
            refreshOrtGraph()
            requestComparisonIfNeeded()
            terminal.draw { render(&$0) }
            let busy = isBusy
            guard let event = terminal.readEvent(timeoutMilliseconds: busy ? 40 : nil) else {
                // A blocking read that keeps failing means the terminal went away (closed pty).
                if !busy { idleFailures += 1; if idleFailures > 200 { return } }
                continue
            }
            idleFailures = 0
            handle(event)
            // Apply key-repeat bursts before drawing again, so scrolling over SSH never lags.
            var drained = 0
            while drained < 64, !state.quitRequested, let next = terminal.readEvent(timeoutMilliseconds: 0) {
                handle(next)
                drained += 1
            }
        }
    }
}
