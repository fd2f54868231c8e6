import Foundation
import GraphLayout
import OnnxRuntimeKit
import OnnxGraph
import OnnxModel
import Terminal

/// What each ``Action`` does to the state, per view and pane.
extension ExplorerApp {
    /// Runs an action as if its key had been pressed.
    public func perform(_ action: Action) {
        switch action {
        case .quit: state.quitRequested = true
        case .help: state.showHelp = true; state.helpScroll = 0
        case .palette: state.palette = PaletteState()
        case .redraw: clearRequested = true
        case .search:
            state.search = SearchState()
            state.search.isEditing = true
            state.search.origin = state.location
        case .searchNext: stepSearch(by: 1)
        case .searchPrevious: stepSearch(by: -1)
        case .showGraph: show(.graph)
        case .showOps: show(.ops)
        case .showModel: show(.model)
        case .showRuntime: show(.runtime)
        case .showError: show(.error)
        case .showDeploy: show(.deploy)
        case .cycleTarget: cycleDeployTarget()
        case .toggleRun: toggleLiveRun()
        case .liveSettings: openSettings()
        case .toggleQuantization:
            if refusedInOrtGraph("Q") { return }
            state.view == .error ? toggleErrorRow() : toggleQuantization()
        case .saveQuantized:
            if refusedInOrtGraph("w") { return }
            saveQuantized([])
        case .ortGraph: toggleOrtGraph()
        case .cycleTint:
            state.tint = Tint(rawValue: (state.tint.rawValue + 1) % Tint.allCases.count)!
            // The int8 tints only once there is a plan to show (Q, or `:quantize all`).
            while (state.tint == .quantization || state.tint == .error) && state.quantization?.plan == nil {
                state.tint = Tint(rawValue: (state.tint.rawValue + 1) % Tint.allCases.count)!
            }
            if state.tint == .predicted {
                state.message = StatusMessage("tint: predicted placement on \(state.deployTarget.displayName), model as written (T: next target)")
            } else {
                state.message = StatusMessage("tint: \(state.tint.name)" + (state.runtime.hasProfile || state.tint == .category ? "" : " (nothing measured yet: r starts a live run)"))
            }
        case .cycleFocus, .cycleFocusBack:
            let panes = Pane.panes(of: state.view)
            let i = panes.firstIndex(of: state.focus) ?? 0
            state.focus = panes[(i + (action == .cycleFocus ? 1 : panes.count - 1)) % panes.count]
        case .sortOps where state.view == .runtime:
            state.runtimeSort = RuntimeSortKey(rawValue: (state.runtimeSort.rawValue + 1) % RuntimeSortKey.allCases.count)!
            state.runtimeList = ScrollStateBox()
            state.message = StatusMessage("runtime nodes sorted by \(state.runtimeSort.title)")
        case .sortOps:
            state.opsSort = OpsSortKey(rawValue: (state.opsSort.rawValue + 1) % OpsSortKey.allCases.count)!
            state.message = StatusMessage("ops sorted by \(state.opsSort.title)")
        case .toggleMinimap: state.showMinimap.toggle()
        case .zoomIn, .zoomOut:
            let z = state.zoom.rawValue + (action == .zoomIn ? 1 : -1)
            guard let zoom = ZoomLevel(rawValue: z) else {
                state.message = StatusMessage("zoom is already \(state.zoom.name)")
                return
            }
            state.zoom = zoom
            state.message = StatusMessage("zoom: \(zoom.name)")
            cameraRequest = .center
        case .back, .forward:
            let target = action == .back ? state.history.back(current: state.location) : state.history.forward(current: state.location)
            guard let target else {
                state.message = StatusMessage(action == .back ? "no earlier location" : "no later location")
                return
            }
            go(to: target, recordJump: false)
        default:
            performInPane(action)
        }
    }

    /// Line and page moves of a scrolled text pane (Inspector, Model); false for other actions.
    static func scroll(_ offset: inout Int, by action: Action, page: Int) -> Bool {
        switch action {
        case .moveDown: offset += 1
        case .moveUp: offset = max(0, offset - 1)
        case .pageDown: offset += max(1, page)
        case .pageUp: offset = max(0, offset - max(1, page))
        case .first: offset = 0
        case .last: offset = Int.max / 2   // clamped to the content when drawn
        default: return false
        }
        return true
    }

    func performInPane(_ action: Action) {
        switch state.focus {
        case .graph: performInGraph(action)
        case .inspector:
            if !Self.scroll(&state.inspectorScroll, by: action, page: screen.inspector.height - 3) { performInGraph(action) }
        case .opTypes, .opNodes:
            switch action {
            case .moveDown: moveList(by: 1)
            case .moveUp: moveList(by: -1)
            case .pageDown: moveList(by: max(1, screen.opTypes.height - 3))
            case .pageUp: moveList(by: -max(1, screen.opTypes.height - 3))
            case .first: moveList(by: Int.min / 2)
            case .last: moveList(by: Int.max / 2)
            case .moveRight: state.focus = .opNodes
            case .moveLeft: state.focus = .opTypes
            case .toggle:
                if state.focus == .opTypes {
                    state.focus = .opNodes
                } else if let key = OpsTable(app: self).selectedNode() {
                    show(.graph)
                    go(to: Location(scope: key.scope, item: .node(key.node)), recordJump: true)
                }
            default: break
            }
        case .model:
            _ = Self.scroll(&state.modelScroll, by: action, page: screen.model.height - 3)
        case .runtime:
            let rows = RuntimeView(app: self).nodeRows()
            let page = max(1, screen.runtimeList.height - 3)
            var i = state.runtimeList.selected
            switch action {
            case .moveDown: i += 1
            case .moveUp: i -= 1
            case .pageDown: i += page
            case .pageUp: i -= page
            case .first: i = 0
            case .last: i = rows.count - 1
            case .toggle:
                if rows.indices.contains(i) {
                    show(.graph)
                    go(to: Location(scope: 0, item: .node(rows[i].node)), recordJump: true)
                }
                return
            case .sortOps:
                return
            default: return
            }
            state.runtimeList.selected = max(0, min(rows.count - 1, i))
        case .errors:
            let rows = ErrorView(app: self).rows()
            if let i = Self.moveInList(&state.errorList, count: rows.count, page: max(1, screen.errorList.height - 3), action: action) {
                guard !rows[i].node.isEmpty else {
                    state.message = StatusMessage("\(rows[i].tensor.escapedForDisplay) is a graph input")
                    return
                }
                guard let n = shownNode(forModelNode: rows[i].node) else { return }
                show(.graph)
                go(to: Location(scope: 0, item: .node(n)), recordJump: true)
                state.tint = .error
            }
        case .deploy:
            let rows = DeployView(app: self).rows()
            if let i = Self.moveInList(&state.deployList, count: rows.count, page: max(1, screen.deployList.height - 3), action: action) {
                show(.graph)
                go(to: Location(scope: rows[i].scope, item: .node(rows[i].node)), recordJump: true)
                state.tint = .predicted
            }
        }
    }

    /// Moves in a table window of `count` rows; returns the row to open on Enter (`.toggle`).
    /// (Opening is left to the caller: it changes the state `list` lives in.)
    static func moveInList(_ list: inout ScrollStateBox, count: Int, page: Int, action: Action) -> Int? {
        var i = list.selected
        switch action {
        case .moveDown: i += 1
        case .moveUp: i -= 1
        case .pageDown: i += page
        case .pageUp: i -= page
        case .first: i = 0
        case .last: i = count - 1
        case .toggle: return (0..<count).contains(i) ? i : nil
        default: return nil
        }
        list.selected = max(0, min(count - 1, i))
        return nil
    }

    func moveList(by delta: Int) {
        let table = OpsTable(app: self)
        if state.focus == .opNodes {
            let n = table.nodeRows().count
            state.opNodesList.selected = max(0, min(n - 1, state.opNodesList.selected + delta))
        } else {
            let n = table.typeRows().count
            let before = state.opTypesList.selected
            state.opTypesList.selected = max(0, min(n - 1, before + delta))
            if state.opTypesList.selected != before { state.opNodesList = ScrollStateBox() }
        }
    }

    func performInGraph(_ action: Action) {
        guard let scene else {
            state.message = StatusMessage("still laying out the graph")
            return
        }
        let current = state.selection.flatMap { scene.vertex(of: $0) }
        let viewport = (width: max(1, screen.graphViewport.width), height: max(1, screen.graphViewport.height))
        switch action {
        case .moveUp, .moveDown, .moveLeft, .moveRight:
            guard let v = current else { return }
            let dir: Navigation.Direction = action == .moveUp ? .up : action == .moveDown ? .down : action == .moveLeft ? .left : .right
            if let next = Navigation.move(dir, from: v, in: scene) {
                select(scene.item(ofVertex: next), recordJump: false)
            } else {
                let what = ["no producer in this graph (a graph input or initializer feeds it)",
                            "no consumer in this graph (it feeds a graph output)", "nothing to the left", "nothing to the right"]
                state.message = StatusMessage(what[[Action.moveUp, .moveDown, .moveLeft, .moveRight].firstIndex(of: action)!])
            }
        case .pageUp, .pageDown:
            let step = max(1, viewport.height - 2) * (action == .pageUp ? -1 : 1)
            var cam = state.camera
            cam.y += step
            cam = Navigation.clamped(cam, scene: scene, viewport: viewport)
            state.camera = cam
            let anchorY = current.map { scene.rect(ofVertex: $0).y + step } ?? cam.y + viewport.height / 2
            let anchorX = current.map { scene.rect(ofVertex: $0).x } ?? cam.x + viewport.width / 2
            if let v = Navigation.nearest(to: GridPoint(x: anchorX, y: min(max(anchorY, cam.y), cam.y + viewport.height - 1)), in: scene) {
                select(scene.item(ofVertex: v), recordJump: false)
            }
        case .first, .last:
            if let v = action == .first ? Navigation.first(in: scene) : Navigation.last(in: scene) {
                select(scene.item(ofVertex: v), recordJump: true)
            }
        case .center: cameraRequest = .center
        case .jumpToProducer: jumpToProducer(scene: scene, vertex: current)
        case .toggle:
            switch state.selection {
            case .group?: perform(.expand)
            case .node(let n)?:
                if !document.scope(state.scope).subgraphScopes(of: n).isEmpty { enterSubgraph(of: n) } else {
                    state.message = StatusMessage("Enter expands a group or enters an If/Loop/Scan or function body; this node has neither")
                }
            case nil: break
            }
        case .expand:
            guard case .group(let g)? = state.selection else {
                state.message = StatusMessage("select a folded group (double border) to expand it")
                return
            }
            var folded = collapsedGroups(state.scope)
            folded.remove(g)
            // Unfold nested groups too, except repeated blocks, which stay one box each.
            let grouping = document.groupings[state.scope]
            var stack = grouping.tree.children(of: g)
            while let c = stack.popLast() {
                if !grouping.defaultCollapsed.contains(c) { folded.remove(c) }
                stack.append(contentsOf: grouping.tree.children(of: c))
            }
            state.collapsed[state.scope] = folded
            cameraRequest = .center
        case .collapse:
            let grouping = document.groupings[state.scope]
            let folded = collapsedGroups(state.scope)
            var candidate: Int?
            switch state.selection {
            case .node(let n)?: candidate = grouping.tree.group(ofNode: n)
            case .group(let g)?: candidate = grouping.tree.parent(of: g)
            case nil: break
            }
            while let c = candidate, folded.contains(c) { candidate = grouping.tree.parent(of: c) }
            guard let g = candidate else {
                state.message = StatusMessage("not inside a named group")
                return
            }
            state.collapsed[state.scope] = folded.union([g])
            state.selection = .group(g)
            cameraRequest = .center
        case .expandAll:
            state.collapsed[state.scope] = []
            cameraRequest = .center
        case .collapseAll:
            state.collapsed[state.scope] = document.groupings[state.scope].defaultCollapsed
            cameraRequest = .center
        case .leaveScope:
            guard state.scopeStack.count > 1 else {
                state.message = StatusMessage("already in the main graph")
                return
            }
            let from = state.location
            state.scopeStack.removeLast()
            if let from { state.history.recordJump(from: from) }
            cameraRequest = .center
        case .nextBranch:
            guard let link = document.scope(state.scope).parent else {
                state.message = StatusMessage("not inside a sub-graph")
                return
            }
            let siblings = document.scope(link.scope).subgraphScopes(of: link.node)
            guard siblings.count > 1, let i = siblings.firstIndex(of: state.scope) else {
                state.message = StatusMessage("this node has a single sub-graph")
                return
            }
            state.scopeStack[state.scopeStack.count - 1] = siblings[(i + 1) % siblings.count]
            cameraRequest = .center
        default:
            break
        }
    }

    func enterSubgraph(of node: Int) {
        let children = document.scope(state.scope).subgraphScopes(of: node)
        guard let child = children.first else { return }
        if let here = state.location { state.history.recordJump(from: here) }
        state.scopeStack.append(child)
        cameraRequest = .center
        if children.count > 1 { state.message = StatusMessage("\(children.count) sub-graphs: > shows the next, Backspace leaves") }
    }

    /// Jumps to the node producing the selected node's first input that a node produces,
    /// looking through enclosing scopes for values a sub-graph captures.
    func jumpToProducer(scene: Scene, vertex: Int?) {
        switch state.selection {
        case .group?:
            if let v = vertex, let p = scene.predecessors[v].first {
                select(scene.item(ofVertex: p), recordJump: true)
            } else {
                state.message = StatusMessage("this group reads only graph inputs")
            }
        case .node(let n)?:
            let scope = document.scope(state.scope)
            var reasons: [String] = []
            for input in scope.node(n).inputs + scope.implicitInputs(of: n) where !input.isEmpty {
                guard let def = document.index.resolve(input, in: state.scope) else {
                    reasons.append("'\(input.escapedForDisplay)' has no producer")
                    continue
                }
                if case .node(let p, _) = def.producer {
                    go(to: Location(scope: def.scope, item: .node(p)), recordJump: true)
                    return
                }
                if case .initializer = def.producer { continue }
                reasons.append("'\(input.escapedForDisplay)' is a graph input")
            }
            state.message = StatusMessage(reasons.first ?? "all inputs are initializers or graph inputs")
        case nil: break
        }
    }

    // MARK: Search

    func handleSearchKey(_ key: Key) {
        switch key {
        case .escape, .ctrl("c"):
            let origin = state.search.origin
            state.search = SearchState()
            if let origin { go(to: origin, recordJump: false, reveal: false) }
        case .enter:
            state.search.isEditing = false
            if let i = state.search.current {
                go(to: Location(scope: state.search.matches[i].scope, item: .node(state.search.matches[i].node)), recordJump: false)
                if let origin = state.search.origin, origin != state.location { state.history.recordJump(from: origin) }
                state.message = StatusMessage("match \(i + 1) of \(state.search.matches.count) — n/N for next/previous")
            } else if !state.search.query.isEmpty {
                state.message = StatusMessage("no node matches '\(state.search.query)'", kind: .warning)
            }
        case .backspace, .char("\u{7f}"), .ctrl("h"):
            if state.search.query.isEmpty {
                state.search.isEditing = false
            } else {
                state.search.query.removeLast()
                updateSearch()
            }
        case .ctrl("u"):
            state.search.query = ""
            updateSearch()
        case .char(let c):
            state.search.query.append(c)
            updateSearch()
        case .down, .tab: stepSearch(by: 1)
        case .up, .backTab: stepSearch(by: -1)
        default: break
        }
    }

    /// Recomputes matches and previews the first one: the selection moves to the box showing
    /// it, without unfolding anything until the search is confirmed.
    func updateSearch() {
        state.search.matches = Search.matches(state.search.query, in: document, currentScope: state.search.origin?.scope ?? state.scope)
        state.search.current = state.search.matches.isEmpty ? nil : 0
        previewMatch()
    }

    func previewMatch() {
        if let i = state.search.current {
            let m = state.search.matches[i]
            go(to: Location(scope: m.scope, item: .node(m.node)), recordJump: false, reveal: false)
        } else if let origin = state.search.origin {
            go(to: origin, recordJump: false, reveal: false)
        }
    }

    func stepSearch(by delta: Int) {
        let count = state.search.matches.count
        guard count > 0 else {
            state.message = StatusMessage(state.search.query.isEmpty ? "no search yet — press / to search" : "no matches", kind: .warning)
            return
        }
        let i = ((state.search.current ?? -delta) + delta + count) % count
        state.search.current = i
        if state.search.isEditing {
            previewMatch()
        } else {
            let m = state.search.matches[i]
            go(to: Location(scope: m.scope, item: .node(m.node)), recordJump: true)
            state.message = StatusMessage("match \(i + 1) of \(count)")
        }
    }

    // MARK: Palette

    func handlePaletteKey(_ key: Key) {
        guard var p = state.palette else { return }
        let entries = CommandPalette.entries(matching: p.query)
        switch key {
        case .escape, .ctrl("c"): state.palette = nil; return
        case .enter:
            state.palette = nil
            if let args = PaletteArguments.words(p.query, command: "ort") {
                guard let level = GraphOptimizationLevel(parsing: args[0]) else {
                    state.message = StatusMessage("ort LEVEL: disable, basic, extended, layout or all", kind: .error); return
                }
                toggleOrtGraph(level: level); return
            }
            // Commands that change or save the model wait until O goes back to it (`fallback on|off`
            // is the live session's EP setting, not the int8 search, and works on either).
            let words = p.query.split(separator: " ").map(String.init)
            if let first = words.first, words.count > 1,
               ["dim", "dims", "quantize", "float", "save", "live", "calibrate"].contains(first) || (first == "fallback" && !["on", "off"].contains(words[1])),
               refusedInOrtGraph(":" + first) { return }
            if let args = DimsCommand.arguments(p.query) { rebindDims(args); return }
            if let args = PaletteArguments.words(p.query, command: "npy") { saveTensor(args); return }
            if let args = PaletteArguments.words(p.query, command: "export") { exportRuntime(args); return }
            if let args = PaletteArguments.words(p.query, command: "target") { chooseDeployTarget(args); return }
            if let args = PaletteArguments.words(p.query, command: "calibrate", "calibration") { calibrateCommand(args); return }
            // `fallback sqnr DB` / `fallback top1 X` is the int8 search; `fallback on|off` the EP setting below.
            if let args = PaletteArguments.words(p.query, command: "fallback"), let first = args.first?.lowercased(), ["sqnr", "top1", "top-1"].contains(first) {
                fallbackCommand(args); return
            }
            for command in ["quantize", "float", "save"] {
                if let args = PaletteArguments.words(p.query, command: command) { quantizationCommand(command, args); return }
            }
            if let args = PaletteArguments.words(p.query, command: "live") { liveModelCommand(args); return }
            for command in ["threads", "opt", "ep", "fallback"] {
                if let args = PaletteArguments.words(p.query, command: command) { changeSetting(command, args); return }
            }
            if entries.indices.contains(p.selected) { perform(entries[p.selected]) }
            return
        case .down, .tab: p.selected = min(entries.count - 1, p.selected + 1)
        case .up, .backTab: p.selected = max(0, p.selected - 1)
        case .backspace, .char("\u{7f}"), .ctrl("h"):
            if p.query.isEmpty { state.palette = nil; return }
            p.query.removeLast()
            p.selected = 0
        case .char(let c):
            p.query.append(c)
            p.selected = 0
        default: break
        }
        state.palette = p
    }

    // MARK: Dims

    /// `dim NAME=VALUE …` from the palette: binds the model's free dims (on top of those bound
    /// already) and re-analyses, so every shape, MAC count and the Model view follow; a live
    /// run is re-created at those dims. A name
    /// the model lacks, or a malformed value, is a status-line error and changes nothing.
    func rebindDims(_ args: [String]) {
        do {
            var user = document.analysis.binding.userValues
            for (k, v) in try DimArguments.parse(args) { user[k] = v }
            let binding = try DimensionBinding(model: document.model, user: user)
            document = Document(model: document.model, path: document.path, binding: binding)
            layouts = LayoutCache(backgroundThreshold: layouts.backgroundThreshold)
            opsRows.types = nil
            opsRows.nodes = nil
            state.message = StatusMessage("dims: " + binding.note)
            // A live run follows: its session is re-created with the dims fixed (in ORT and in
            // the generated inputs), the old figures staying, marked stale, until it runs.
            if let r = liveRuntime {
                var c = r.configuration
                c.freeDimensionOverrides.merge(binding.userValues) { $1 }   // dims the panel fixed stay
                r.update(configuration: c)
                state.runtime.isStale = true
                state.message = StatusMessage("dims: " + binding.note + "; live session re-created at these dims" + glyphs.ellipsis)
            }
        } catch {
            state.message = StatusMessage(String(describing: error), kind: .error)
        }
    }
}

/// The palette's commands with arguments: `dim NAME=VALUE …` (also `dims`),
/// `npy PATH [TENSOR]`, `export PATH.csv|PATH.json`, and the live run's settings
/// (`threads N`, `opt LEVEL`, `ep SPEC…`, `fallback on|off`).
enum PaletteArguments {
    /// The words after `command`, or nil when `query` is not that command with arguments.
    static func words(_ query: String, command: String...) -> [String]? {
        let words = query.split(separator: " ").map(String.init)
        guard let head = words.first, command.contains(head), words.count > 1 else { return nil }
        return Array(words.dropFirst())
    }
}

enum DimsCommand {
    /// The `NAME=VALUE` words of a dims command, or nil when `query` is not one.
    static func arguments(_ query: String) -> [String]? { PaletteArguments.words(query, command: "dim", "dims") }
}

extension ExplorerApp {
    /// `npy PATH [TENSOR]`: saves the named tensor, or the selected node's first weight.
    func saveTensor(_ args: [String]) {
        let path = (args[0] as NSString).expandingTildeInPath
        guard let (name, tensor) = TensorExport.tensor(named: args.count > 1 ? args[1] : nil, document: document, selected: selectedNode) else {
            state.message = StatusMessage(args.count > 1 ? "no initializer or constant named '\(args[1].escapedForDisplay)'"
                                                         : "select a node with a weight, or name the tensor: npy PATH TENSOR", kind: .error)
            return
        }
        do {
            try TensorExport.write(tensor, of: document, to: path)
            state.message = StatusMessage("saved '\(name.escapedForDisplay)' \(tensor.dataType.name)\(tensor.dims) to \(path.escapedForDisplay)")
        } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
        }
    }
}
