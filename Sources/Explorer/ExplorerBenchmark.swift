import Foundation
import OnnxModel
import Terminal

/// Frame timings for the benchmark script (`Benchmarks/run_layout.sh`): how long the first
/// frame takes from the file (load, analysis, layout, render) and how long a redraw after a
/// key press takes. Timing lives here rather than in unit tests, which must not depend on
/// machine speed.
public enum ExplorerBenchmark {
    public struct Result: Codable, Sendable {
        public var model: String
        public var nodes: Int
        public var width: Int
        public var height: Int
        public var loadSeconds: Double
        public var analysisSeconds: Double
        /// Layout of the first scene (with the default folding).
        public var layoutSeconds: Double
        public var boxes: Int
        /// Drawing the first frame once the layout exists.
        public var renderSeconds: Double
        /// From reading the file to the first frame flushed.
        public var firstFrameSeconds: Double
        /// Per key press (handle + draw) over the scripted keys: median, 90th percentile, worst.
        public var redrawMedianSeconds: Double
        public var redrawP90Seconds: Double
        public var redrawMaxSeconds: Double
        public var keyPresses: Int
        /// Layout of the whole scope with every group expanded (the worst case), if measured.
        public var expandedLayoutSeconds: Double?
        public var expandedBoxes: Int?
        /// The scripted key whose redraw took longest (names the outlier behind `redrawMaxSeconds`).
        public var slowestKey: String = ""
        /// With `--run`: the keys were replayed while the live run went on; its p50 then.
        public var liveLatencyP50Ms: Double?
        /// Live snapshots taken in while the keys were replayed.
        public var livePublications: Int?
    }

    /// Presses every scripted key, drawing a frame after each; returns the sorted per-key
    /// times and the key that took longest.
    static func replayScriptedKeys<B: Backend>(app: ExplorerApp, terminal: Terminal<B>, rounds: Int = 1,
                                               pause: Double = 0) -> (samples: [Double], slowest: String) {
        let clock = ContinuousClock()
        var timed: [(key: Key, seconds: Double)] = []
        // A pause between keys (as a user types) lets live snapshots arrive between frames.
        for key in Array(repeating: scriptedKeys, count: max(1, rounds)).joined() {
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
            let s = clock.now
            app.handle(.key(key))
            // As the run loop does: a new live snapshot is taken in before the frame.
            app.refreshLiveRuntime()
            terminal.draw { app.render(&$0) }
            timed.append((key, seconds(clock.now - s)))
        }
        let slowest = timed.max { $0.seconds < $1.seconds }.map { "\($0.key)" } ?? ""
        return (timed.map(\.seconds).sorted(), slowest)
    }

    /// The keys the redraw measurement presses: moves along edges and siblings, pages, search
    /// steps, zoom and view switches — what a user does most.
    public static let scriptedKeys: [Key] =
        Array(repeating: .char("j"), count: 12) + [.char("l"), .char("h"), .char("k"), .char("k"), .pageDown, .pageUp,
        .char("G"), .char("g"), .char("c"), .tab, .char("j"), .tab, .char("2"), .char("j"), .char("1"), .char("?"), .escape,
        .char("m"), .char("m")]

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Measures one model. `load` reads or builds it (timed as the load phase).
    public static func run(name: String, width: Int = 200, height: Int = 60, expanded: Bool = true,
                           load: () throws -> Model) rethrows -> Result {
        let clock = ContinuousClock()
        let t0 = clock.now
        let model = try load()
        let t1 = clock.now
        let document = Document(model: model, path: name)
        let t2 = clock.now
        let app = ExplorerApp(document: document, layoutThreshold: Int.max)
        let backend = TestBackend(width: width, height: height)
        let terminal = Terminal(backend: backend)
        let layoutStart = clock.now
        let scene = app.scene
        let t3 = clock.now
        terminal.draw { app.render(&$0) }
        let t4 = clock.now
        let (samples, slowest) = replayScriptedKeys(app: app, terminal: terminal)
        var result = Result(model: name, nodes: document.index.scopes.reduce(0) { $0 + $1.nodeCount }, width: width, height: height,
                            loadSeconds: seconds(t1 - t0), analysisSeconds: seconds(t2 - t1),
                            layoutSeconds: seconds(t3 - layoutStart), boxes: scene?.vertexCount ?? 0,
                            renderSeconds: seconds(t4 - t3), firstFrameSeconds: seconds(t4 - t0),
                            redrawMedianSeconds: samples[samples.count / 2],
                            redrawP90Seconds: samples[samples.count * 9 / 10], redrawMaxSeconds: samples.last!,
                            keyPresses: samples.count)
        result.slowestKey = slowest
        if expanded {
            let s = clock.now
            let full = Scene.build(document: document, key: SceneKey(scope: 0, collapsed: [], zoom: .normal))
            result.expandedLayoutSeconds = seconds(clock.now - s)
            result.expandedBoxes = full.vertexCount
        }
        return result
    }

    /// The same measurements against the real terminal (ncurses), for `--bench-report`: the
    /// first frame is timed from process start, then the scripted keys are replayed.
    public static func runInTerminal<B: Backend>(app: ExplorerApp, terminal: Terminal<B>, processStart: ContinuousClock.Instant,
                                                  loadSeconds: Double, analysisSeconds: Double) -> Result {
        let clock = ContinuousClock()
        let layoutStart = clock.now
        let scene = app.scene
        let t3 = clock.now
        terminal.draw { app.render(&$0) }
        let t4 = clock.now
        // `--run`: replay the keys while the live run goes on, once it has kernel times.
        var livePublications: Int?
        if !app.launchActions.isEmpty {
            for action in app.launchActions { app.perform(action) }
            app.launchActions = []
            let end = clock.now + .seconds(180)
            while clock.now < end, !(app.state.runtime.hasProfile && app.state.runtime.latency != nil) {
                app.refreshLiveRuntime()
                if case .failed = app.state.runtime.phase { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            livePublications = app.state.runtime.generation
        }
        let (samples, slowest) = livePublications == nil ? replayScriptedKeys(app: app, terminal: terminal)
            : replayScriptedKeys(app: app, terminal: terminal, rounds: 4, pause: 0.05)
        if let before = livePublications { livePublications = app.state.runtime.generation - before }
        let size = terminal.size
        var result = Result(model: app.document.path ?? "", nodes: app.document.index.scopes.reduce(0) { $0 + $1.nodeCount },
                      width: size.width, height: size.height, loadSeconds: loadSeconds, analysisSeconds: analysisSeconds,
                      layoutSeconds: seconds(t3 - layoutStart), boxes: scene?.vertexCount ?? 0, renderSeconds: seconds(t4 - t3),
                      firstFrameSeconds: seconds(t4 - processStart), redrawMedianSeconds: samples[samples.count / 2],
                      redrawP90Seconds: samples[samples.count * 9 / 10], redrawMaxSeconds: samples.last!, keyPresses: samples.count)
        result.slowestKey = slowest
        result.livePublications = livePublications
        result.liveLatencyP50Ms = livePublications == nil ? nil : app.state.runtime.latency?.p50
        return result
    }

    public static func json(_ r: Result) -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(r)) ?? Data(), as: UTF8.self)
    }
}
