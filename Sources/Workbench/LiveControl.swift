import Foundation
import OnnxRuntimeKit

/// What a ``LiveRunner`` and its runner thread share, behind one lock: the published snapshot,
/// the configuration asked for, and whether the loop should run.
///
/// The thread holds this (and the loop), never the runner itself, so dropping the last
/// reference to a running ``LiveRunner`` stops it instead of leaving it running unreachable.
final class LiveControl: @unchecked Sendable {
    /// What the runner thread asks between runs.
    enum Command {
        case proceed
        case stop
        case reconfigure(SessionConfiguration)
    }

    let onPublish: (@Sendable (LiveSnapshot) -> Void)?
    private let state = NSCondition()
    private var published = LiveSnapshot()
    private var requested: SessionConfiguration
    private var reconfigurePending = false
    /// A model to switch to at the next reconfiguration (the explorer's int8 variant), and the
    /// revision its figures will carry.
    private var requestedSource: ModelRunner.Source?
    private var modelRequests = 0
    private var wanted = false
    private var threadRunning = false
    /// `start()` calls, and how many the runner thread has seen: a start() that arrives while
    /// a failing thread winds down makes it open the session again instead of being lost.
    private var startRequests = 0
    private var startsSeen = 0

    init(configuration: SessionConfiguration, onPublish: (@Sendable (LiveSnapshot) -> Void)?) {
        requested = configuration
        self.onPublish = onPublish
    }

    // MARK: The caller's side (LiveRunner)

    var snapshot: LiveSnapshot {
        state.lock(); defer { state.unlock() }
        return published
    }

    var configuration: SessionConfiguration {
        state.lock(); defer { state.unlock() }
        return requested
    }

    /// Marks the loop wanted; true when the caller must spawn the thread (none is running).
    func requestStart() -> Bool {
        state.lock(); defer { state.unlock() }
        wanted = true
        startRequests += 1
        guard !threadRunning else { return false }
        threadRunning = true
        startsSeen = startRequests
        return true
    }

    func requestStop() {
        state.lock()
        wanted = false
        state.unlock()
    }

    func waitUntilStopped(timeout seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        state.lock(); defer { state.unlock() }
        while threadRunning {
            if !state.wait(until: deadline) { break }
        }
        return !threadRunning
    }

    func requestReconfiguration(_ configuration: SessionConfiguration) {
        state.lock(); defer { state.unlock() }
        requested = configuration
        reconfigurePending = true
        if !threadRunning && published.latency != nil && !published.isStale {
            // Nobody will publish before the next start: mark the figures here.
            published.isStale = true
            published.generation += 1
        }
    }

    /// Asks for a session on `source` instead of the current model (same configuration);
    /// returns the ``LiveSnapshot/modelRevision`` its figures will carry.
    func requestModel(_ source: ModelRunner.Source) -> Int {
        state.lock()
        requestedSource = source
        modelRequests += 1
        let revision = modelRequests
        state.unlock()
        requestReconfiguration(configuration)
        return revision
    }

    /// The model asked for by ``requestModel(_:)`` and its revision, once (nil: keep the
    /// current one). Of several requests before the loop looks, the last one wins.
    func takeRequestedModel() -> (source: ModelRunner.Source, revision: Int)? {
        state.lock(); defer { state.unlock() }
        guard let s = requestedSource else { return nil }
        requestedSource = nil
        return (s, modelRequests)
    }

    // MARK: The runner thread's side (LiveLoop)

    func command() -> Command {
        state.lock(); defer { state.unlock() }
        if !wanted { return .stop }
        if reconfigurePending {
            reconfigurePending = false
            return .reconfigure(requested)
        }
        return .proceed
    }

    /// Whether the loop should leave its batch (a stop or a new configuration is waiting).
    var isInterrupted: Bool {
        state.lock(); defer { state.unlock() }
        return !wanted || reconfigurePending
    }

    /// Stores `snapshot` as the latest (with the next generation) and calls ``onPublish``.
    func publish(_ snapshot: LiveSnapshot) {
        state.lock()
        var s = snapshot
        s.generation = published.generation + 1
        published = s
        state.unlock()
        onPublish?(s)
    }

    /// Called by the runner thread when it would end: false if a start() came meanwhile (the
    /// loop goes on), true once the thread is marked ended.
    func threadShouldExit(afterFailure: Bool) -> Bool {
        state.lock(); defer { state.unlock() }
        let restarted = afterFailure ? startRequests > startsSeen : wanted
        if restarted {
            wanted = true
            startsSeen = startRequests
            return false
        }
        wanted = false
        threadRunning = false
        state.broadcast()
        return true
    }
}
