import GraphLayout
import OnnxModel
import OnnxRuntimeKit
import Workbench

/// ORT's optimized graph shown in place of the model (`O`): the graph ORT really runs for the
/// live session's settings, with its fused, NCHWc and inserted nodes. Live figures land on it
/// by kernel name; each of its nodes is linked to the model nodes it stands for, and `O` goes
/// back to the model at the node selected.
///
/// While it is shown, ``ExplorerApp/document`` is ORT's graph and the model's document and
/// navigation wait in ``saved``, so every view reads ORT's graph as it would any model.
struct OrtGraphMode {
    /// A document with the caches and navigation that belong to it: the model's, saved when
    /// `O` is pressed and restored by the next `O`, or a fresh one for ORT's graph. The one list
    /// of what switching documents swaps.
    struct Saved {
        var document: Document
        var layouts: LayoutCache
        var statistics: StatisticsCache
        var deployment: DeploymentCache
        var scopeStack: [Int]
        var selections: [Int: SceneItem]
        var cameras: [Int: GridPoint]
        var collapsed: [Int: Set<Int>]
        var history: History

        /// What `app` shows now.
        init(of app: ExplorerApp) {
            document = app.document; layouts = app.layouts; statistics = app.statistics; deployment = app.deployment
            scopeStack = app.state.scopeStack; selections = app.state.selections; cameras = app.state.cameras
            collapsed = app.state.collapsed; history = app.state.history
        }

        /// `document` with empty caches, at the top of its main graph, default folding.
        init(fresh document: Document, layoutThreshold: Int) {
            self.document = document
            layouts = LayoutCache(backgroundThreshold: layoutThreshold); statistics = StatisticsCache(); deployment = DeploymentCache()
            scopeStack = [0]; selections = [:]; cameras = [:]
            collapsed = [0: document.groupings[0].defaultCollapsed]; history = History()
        }

        /// Makes `app` show this; the search and the ops table's rows, which belong to the
        /// document shown, start over.
        func restore(into app: ExplorerApp) {
            app.document = document; app.layouts = layouts; app.statistics = statistics; app.deployment = deployment
            app.state.scopeStack = scopeStack; app.state.selections = selections; app.state.cameras = cameras
            app.state.collapsed = collapsed; app.state.history = history
            app.state.search = SearchState()
            app.opsRows.types = nil
            app.opsRows.nodes = nil
        }
    }

    let result: OptimizedGraphJob.Result
    var saved: Saved

    /// The title bar's name for it: `ORT graph (all, CPU)`.
    var title: String {
        let providers = result.providers.isEmpty ? "CPU" : result.providers.map { RuntimeFigures.short($0) }.joined(separator: "+")
        return "ORT graph (\(result.level.name), \(providers))"
    }
}

extension ExplorerApp {
    /// The model as opened, whether or not ORT's graph is shown.
    var modelDocument: Document { ortGraph?.saved.document ?? document }

    /// `O`: shows ORT's optimized graph (asking ORT to write it first), or goes back to the model.
    func toggleOrtGraph(level: GraphOptimizationLevel? = nil) {
        if ortGraph != nil, level == nil { return leaveOrtGraph() }
        // The graph is written for the model file: a live run on an int8 or dequantized variant
        // has other kernels, whose times would land on the wrong nodes.
        if let live = liveRuntime, state.runtime.phase != .idle, (state.liveModels[live.snapshot.modelRevision] ?? .document).isVariant {
            state.message = StatusMessage("the live run is on a variant: ORT's graph is the model file's (:live float first)", kind: .warning)
            return
        }
        if ortGraph != nil { leaveOrtGraph() }
        guard let job = optimizedGraphJobOrExplain() else { return }
        // The live session's settings when there is one (else the command line's): the graph
        // ORT runs for it.
        var config = liveRuntime?.configuration ?? launchConfiguration ?? SessionConfiguration()
        if let level { config.optimizationLevel = level }
        if let r = job.snapshot.result, job.snapshot.phase == .ready, r.isWritten(for: config) {
            return enterOrtGraph(r)
        }
        if job.request(configuration: config) {
            state.ortGraphPending = true
            state.message = StatusMessage("ORT is writing its optimized graph (\(config.optimizationLevel.name))" + glyphs.ellipsis)
        } else {
            state.message = StatusMessage("ORT is still writing its optimized graph" + glyphs.ellipsis)
        }
    }

    func optimizedGraphJobOrExplain() -> OptimizedGraphJob? {
        if let job = optimizedGraphJob { return job }
        guard let make = makeOptimizedGraphJob else {
            state.message = StatusMessage("ORT's graph needs ONNX Runtime (the explorer was opened without it)", kind: .warning)
            return nil
        }
        do {
            let job = try make()
            optimizedGraphJob = job
            return job
        } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
            return nil
        }
    }

    /// Takes the job's result when one was asked for (called every loop turn).
    func refreshOrtGraph() {
        guard state.ortGraphPending, let job = optimizedGraphJob else { return }
        let s = job.snapshot
        switch s.phase {
        case .working, .idle: return
        case .failed(let m):
            state.ortGraphPending = false
            state.message = StatusMessage("ORT could not write its graph: " + m.escapedForDisplay, kind: .error)
        case .ready:
            state.ortGraphPending = false
            if let r = s.result { enterOrtGraph(r) }
        }
    }

    func enterOrtGraph(_ result: OptimizedGraphJob.Result) {
        state.ortGraphPending = false
        // Already shown (a second O raced the job's result): the model's state is saved once.
        guard ortGraph == nil else { return }
        let from = selectedNode.flatMap { $0.scope == 0 ? result.links.coveringNode[$0.node] : nil }
        let saved = OrtGraphMode.Saved(of: self)
        let mode = OrtGraphMode(result: result, saved: saved)
        OrtGraphMode.Saved(fresh: Document(model: result.optimized.model, path: nil), layoutThreshold: layouts.backgroundThreshold).restore(into: self)
        state.inspectorScroll = 0
        cameraRequest = .scrollIntoView
        ortGraph = mode
        if let o = from { go(to: Location(scope: 0, item: .node(o)), recordJump: false) }
        show(.graph)
        reapplyLiveFigures()
        let fused = result.links.covered.filter { $0.count > 1 }.count
        state.message = StatusMessage("\(mode.title): \(document.scope(0).nodeCount) nodes for the model's \(saved.document.scope(0).nodeCount), "
                                      + "\(fused) fused; O goes back" + (result.note.map { " — " + $0 } ?? ""))
    }

    func leaveOrtGraph() {
        guard let mode = ortGraph else { return }
        let target = selectedNode.flatMap { $0.scope == 0 ? mode.result.links.covered[$0.node].first : nil }
        ortGraph = nil
        mode.saved.restore(into: self)
        if let n = target { go(to: Location(scope: 0, item: .node(n)), recordJump: true) } else { cameraRequest = .center }
        reapplyLiveFigures()
        state.message = StatusMessage("back to the model" + (target.map { " at " + document.scope(0).displayName($0) } ?? ""))
    }

    /// Maps the live run's latest figures onto the document now shown.
    private func reapplyLiveFigures() {
        guard liveRuntime != nil, state.runtime.phase != .idle else { state.annotations = Annotations(); return }
        refreshLiveRuntime(remap: true)
    }

    /// The node of the graph shown that stands for the model's node `name`: itself, or while
    /// ORT's graph is shown the ORT node it runs in. Nil (with a message) when there is none.
    func shownNode(forModelNode name: String) -> Int? {
        let model = ortGraph?.saved.document.scope(0) ?? document.scope(0)
        guard let n = (0..<model.nodeCount).first(where: { model.displayName($0) == name }) else {
            state.message = StatusMessage("no node \(name.escapedForDisplay) in the model", kind: .warning)
            return nil
        }
        guard let mode = ortGraph else { return n }
        if let o = mode.result.links.coveringNode[n] { return o }
        let why = mode.result.links.constantFolded.contains(n) ? "constant-folded" : "removed"
        state.message = StatusMessage("\(name.escapedForDisplay) is \(why) in ORT's graph: O goes back to the model", kind: .warning)
        return nil
    }

    /// Why an action that changes the model is not taken while ORT's graph is shown; nil when it can be.
    func refusedInOrtGraph(_ what: String) -> Bool {
        guard ortGraph != nil else { return false }
        state.message = StatusMessage("\(what) works on the model, not on ORT's graph: O goes back", kind: .warning)
        return true
    }
}
