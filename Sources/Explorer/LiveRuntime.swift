import OnnxRuntimeKit
import Workbench

/// What the explorer needs of a live runner: start, stop, and the latest snapshot. The
/// explorer never calls ORT; the runner (``Workbench/LiveRunner``) does, on its own thread.
public protocol LiveRuntimeControl: AnyObject, Sendable {
    func start()
    func stop()
    var snapshot: LiveSnapshot { get }
    /// The session settings last asked for.
    var configuration: SessionConfiguration { get }
    /// Re-creates the session with new settings in the background; the old figures stay,
    /// marked stale, until the new session publishes.
    func update(configuration: SessionConfiguration)
    /// Switches the live session to another model (same settings), in the background; returns
    /// the ``LiveSnapshot/modelRevision`` its figures will carry.
    @discardableResult
    func update(model: ModelRunner.Source) -> Int
    /// The execution providers the loaded ORT has.
    var availableProviders: [String] { get }
}

extension LiveRunner: LiveRuntimeControl {}

extension ExplorerApp {
    /// `r`: the first press makes the runner and starts it; later presses stop and resume.
    func toggleLiveRun() {
        if liveRuntime == nil {
            guard let make = makeLiveRuntime else {
                state.message = StatusMessage("no live runs here (the explorer was opened without ONNX Runtime)", kind: .warning)
                return
            }
            do { liveRuntime = try make() } catch {
                state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
                return
            }
        }
        guard let r = liveRuntime else { return }
        switch r.snapshot.phase {
        case .running, .starting:
            r.stop()
            state.message = StatusMessage("live run stopped; r resumes")
        default:
            r.start()
            state.runtime.phase = .starting
            state.message = StatusMessage("live run starting" + glyphs.ellipsis)
        }
    }

    /// Takes the runner's latest snapshot if it is new: figures for the views, annotations for
    /// the graph. The first profile switches the tint to kernel time.
    /// - Parameter remap: take it even when not new (the document shown changed: `O`).
    func refreshLiveRuntime(remap: Bool = false) {
        guard let r = liveRuntime else { return }
        let s = r.snapshot
        // Right after start() the runner thread may not have published yet: its snapshot still
        // says idle. Keep "starting" (and the polling it implies) instead of going back to idle.
        if s.phase == .idle && state.runtime.phase == .starting { return }
        guard remap || s.generation != state.runtime.generation || s.phase != state.runtime.phase || s.isStale != state.runtime.isStale else { return }
        apply(snapshot: s)
    }

    /// The status bar's live item: `live 38.2 ms p50, 25 runs/s`, `live: starting…`, or the failure.
    var liveStatus: String? {
        let r = state.runtime
        switch r.phase {
        case .idle: return nil
        case .starting: return "live: starting" + glyphs.ellipsis
        case .failed: return "live: failed (4 shows why)"
        case .running, .stopped:
            guard let l = r.latency else { return r.phase == .running ? "live: warming up" + glyphs.ellipsis : "live: stopped" }
            let rate = r.runsPerSecond.map { String(format: ", %.0f runs/s", $0) } ?? ""
            // Named after the model the figures are of, not the one asked for since.
            let model: String
            switch state.liveModels[r.modelRevision] ?? .document {
            case .document: model = ""
            case .int8Variant: model = "int8 "
            case .dequantized: model = "dequantized "
            }
            return "live " + model + RuntimeFormat.ms(l.p50) + " p50" + (r.phase == .stopped ? " (stopped)" : rate) + (r.isStale ? " (stale)" : "")
        }
    }

    /// Replaces the figures and annotations with those of `s` (also used by tests).
    public func apply(snapshot s: LiveSnapshot) {
        let hadProfile = state.runtime.hasProfile
        // The model these figures are of (not the one asked for since: that one is still loading).
        let model = state.liveModels[s.modelRevision] ?? .document
        // ORT's graph (O) is another model too: the live nodes and kernels are matched by name.
        let (figures, annotations) = RuntimeFigures.make(from: s, document: document, variant: model.isVariant || ortGraph != nil)
        state.runtime = figures
        state.annotations = annotations
        if !s.isStale, ortGraph == nil { state.measured.record(annotations, document: document, model: model) }
        if !hadProfile && figures.hasProfile && state.tint == .category { state.tint = .time }
        // The "starting" note has done its job once the runner reports; a failure is worth saying.
        if state.message?.text.hasPrefix("live run starting") == true, s.phase != .starting { state.message = nil }
        if case .failed(let m) = s.phase { state.message = StatusMessage("live run failed: " + m.escapedForDisplay, kind: .error) }
    }
}

extension ExplorerApp {
    /// Palette settings, applied without restarting: `threads N`, `opt LEVEL`,
    /// `ep NAME[:k=v,…] …` (or `ep cpu`), `fallback on|off`.
    func changeSetting(_ command: String, _ args: [String]) {
        guard let r = liveRuntime else {
            state.message = StatusMessage("start a live run first (r); settings apply to its session", kind: .warning)
            return
        }
        var c = r.configuration
        switch command {
        case "threads":
            guard let n = Int(args[0]), n >= 0 else { state.message = StatusMessage("threads N: N is 0 (ORT's choice) or more", kind: .error); return }
            c.intraOpThreads = n == 0 ? nil : n
        case "opt":
            guard let level = GraphOptimizationLevel(parsing: args[0]) else {
                state.message = StatusMessage("opt LEVEL: disable, basic, extended, layout or all", kind: .error); return
            }
            c.optimizationLevel = level
        case "ep":
            do { c.providers = args == ["cpu"] ? [] : try args.map(ExecutionProviderSpec.init(parsing:)) }
            catch { state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error); return }
        case "fallback":
            guard args[0] == "on" || args[0] == "off" else { state.message = StatusMessage("fallback on|off", kind: .error); return }
            c.cpuFallback = args[0] == "on"
        default: return
        }
        r.update(configuration: c)
        state.runtime.isStale = true
        state.message = StatusMessage("\(command) \(args.joined(separator: " ").escapedForDisplay): new session being made; figures stale until it runs")
    }
}
