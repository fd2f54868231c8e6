import Foundation
import OnnxModel
import OnnxRuntimeKit

/// Makes ORT write the graph it really runs (``OptimizedModel``: fusions, layout changes,
/// constant folding at the chosen level and providers) off the UI thread, and links its nodes to
/// the model's (``OptimizedGraphLinks``). Publishes immutable ``Snapshot`` values.
///
/// A compiling EP (OpenVINO, TensorRT…) makes ORT refuse to write the graph ("Unable to
/// serialize model as it contains compiled nodes"); the job then writes the CPU EP's graph at
/// the same level and says so in ``Result/note``.
public final class OptimizedGraphJob: @unchecked Sendable {
    public struct Result: Sendable {
        /// Keeps ORT's files (weights in a side file) alive as long as the graph is shown.
        public let optimized: OptimizedModel
        public let links: OptimizedGraphLinks
        public let level: GraphOptimizationLevel
        /// The providers the graph was written with (empty: the CPU EP alone).
        public let providers: [String]
        /// Why the graph is not exactly the live session's (a compiling EP), if it is not.
        public let note: String?
        public let seconds: Double
        /// The settings it was asked for (level, providers with their options, fixed dims).
        public let requested: SessionConfiguration

        /// Whether this graph is the one ORT writes for `configuration`: same level, providers
        /// and options, and fixed dims (threads and the like change nothing in the graph).
        public func isWritten(for configuration: SessionConfiguration) -> Bool {
            requested.optimizationLevel == configuration.optimizationLevel && requested.providers == configuration.providers
                && requested.freeDimensionOverrides == configuration.freeDimensionOverrides && requested.cpuFallback == configuration.cpuFallback
        }
    }

    public struct Snapshot: Sendable {
        public enum Phase: Sendable, Equatable {
            case idle, working
            case ready
            case failed(String)
        }
        public var phase: Phase = .idle
        public var generation = 0
        public var result: Result?
        public init() {}
    }

    private let lock = NSLock()
    private var current = Snapshot()
    private let library: OrtLibrary
    private let source: ModelRunner.Source
    private let graph: Graph

    /// - Parameters:
    ///   - source: the model ORT opens (the explorer's file, or its bytes).
    ///   - graph: the same model's main graph as onnxscope read it, to link the nodes to.
    public init(library: OrtLibrary, source: ModelRunner.Source, graph: Graph) {
        self.library = library
        self.source = source
        self.graph = graph
    }

    public var snapshot: Snapshot { lock.lock(); defer { lock.unlock() }; return current }

    /// Writes ORT's graph for `configuration` in the background; a request while one runs is
    /// refused (returns false).
    @discardableResult
    public func request(configuration: SessionConfiguration) -> Bool {
        lock.lock()
        guard current.phase != .working else { lock.unlock(); return false }
        current.phase = .working
        current.generation += 1
        lock.unlock()
        let thread = Thread { [self] in self.work(configuration) }
        thread.name = "onnxscope.ortgraph"
        thread.stackSize = 8 << 20
        thread.start()
        return true
    }

    /// Blocks until the job is not working (tests); false on timeout.
    @discardableResult
    public func waitUntilIdle(timeout: Double) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if snapshot.phase != .working { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    private func work(_ configuration: SessionConfiguration) {
        let start = Date()
        let requested = configuration
        var config = configuration
        // One thread is enough to optimize; the session never runs.
        config.intraOpThreads = 1
        config.interOpThreads = nil
        var note: String?
        do {
            let optimized: OptimizedModel
            do {
                optimized = try OptimizedModel(source: source, configuration: config, library: library)
            } catch where !config.providers.isEmpty && Self.refusesToSerialize(error) {
                let names = config.providers.map(\.name).joined(separator: ", ")
                note = "\(names) compiles its partitions, which ORT cannot write: this is the CPU EP's graph at the same level"
                config.providers = []
                optimized = try OptimizedModel(source: source, configuration: config, library: library)
            }
            let result = Result(optimized: optimized, links: OptimizedGraphLinks(source: graph, optimized: optimized.model.graph),
                                level: config.optimizationLevel, providers: config.providers.map(\.name), note: note,
                                seconds: Date().timeIntervalSince(start), requested: requested)
            publish { $0.phase = .ready; $0.result = result }
        } catch {
            publish { $0.phase = .failed(String(describing: error)) }
        }
    }

    /// ORT's refusal to write a graph with compiled (EP) nodes.
    static func refusesToSerialize(_ error: Error) -> Bool {
        let text = String(describing: error).lowercased()
        return text.contains("compiled nodes") || text.contains("unable to serialize")
    }

    private func publish(_ change: (inout Snapshot) -> Void) {
        lock.lock()
        change(&current)
        current.generation += 1
        lock.unlock()
    }
}
