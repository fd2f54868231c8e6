import Foundation
import OnnxRuntimeKit

/// Runs a model continuously on a thread of its own and publishes what it measures as
/// ``LiveSnapshot`` values: end-to-end latency of unprofiled runs (the real figure), per-kernel
/// times from profiled runs, ORT's placement.
///
/// The explorer starts it, reads ``snapshot`` when it draws (``onPublish`` tells it when to),
/// and never touches ORT itself. Every method returns at once; the work happens on the runner
/// thread: creating the session (timed), then batches of unprofiled runs with a profiled run
/// or window now and then (see ``LiveProfilingMethod``). Everything ORT and its libraries log
/// or print goes to the library's ``OrtLog`` (runs happen inside ``NativeOutputCapture``), so
/// nothing reaches the terminal the explorer draws on. Thread-safe: state shared with the
/// runner thread sits behind one lock.
public final class LiveRunner: @unchecked Sendable {
    /// What the runner thread asks between runs.
    enum Command {
        case proceed
        case stop
        case reconfigure(SessionConfiguration)
    }

    /// Called on the runner thread after each publication, with the value just published.
    public let onPublish: (@Sendable (LiveSnapshot) -> Void)?

    private let state = NSCondition()
    private var published = LiveSnapshot()
    private var requested: SessionConfiguration
    private var reconfigurePending = false
    private var wanted = false
    private var threadRunning = false
    /// `start()` calls, and how many the runner thread has seen: a start() that arrives while
    /// a failing thread winds down makes it open the session again instead of being lost.
    private var startRequests = 0
    private var startsSeen = 0
    private var loop: LiveLoop!

    /// - Parameters:
    ///   - model: the model file or bytes.
    ///   - library: the ORT to run with; its ``OrtLibrary/log`` receives ORT's messages.
    ///   - configuration: session settings; intra-op threads left to ORT become max(1, cores − 1)
    ///     (see ``LiveConfiguration/effective(_:cores:)``).
    ///   - inputs: the tensors to feed, or a generator for them.
    ///   - schedule: windows and rhythm; the defaults suit the explorer.
    ///   - onPublish: called on the runner thread after each publication (at most about
    ///     4 times a second, plus phase changes); keep it short, e.g. wake the UI.
    public init(model: ModelRunner.Source, library: OrtLibrary, configuration: SessionConfiguration,
                inputs: LiveInputs, schedule: LiveSchedule = LiveSchedule(),
                onPublish: (@Sendable (LiveSnapshot) -> Void)? = nil) {
        requested = configuration
        self.onPublish = onPublish
        loop = LiveLoop(runner: self, source: model, library: library, inputs: inputs, schedule: schedule)
    }

    /// A runner for a model file fed with `feeds`.
    public convenience init(modelPath: String, library: OrtLibrary, configuration: SessionConfiguration,
                            feeds: [String: HostTensor], schedule: LiveSchedule = LiveSchedule(),
                            onPublish: (@Sendable (LiveSnapshot) -> Void)? = nil) {
        self.init(model: .path(modelPath), library: library, configuration: configuration, inputs: .feeds(feeds),
                  schedule: schedule, onPublish: onPublish)
    }

    /// The latest published snapshot (a copy).
    public var snapshot: LiveSnapshot {
        state.lock(); defer { state.unlock() }
        return published
    }

    /// The configuration last given (at init or to ``update(configuration:)``), as asked,
    /// before the thread policy.
    public var configuration: SessionConfiguration {
        state.lock(); defer { state.unlock() }
        return requested
    }

    /// Starts, or resumes after ``stop()``, on the runner thread. The first start creates the
    /// session; a resume reuses it and keeps the figures. After `.failed`, starts over with a
    /// new session. Does nothing while running.
    public func start() {
        state.lock()
        wanted = true
        startRequests += 1
        guard !threadRunning else { state.unlock(); return }
        threadRunning = true
        startsSeen = startRequests
        state.unlock()
        let thread = Thread { [self] in loop.run() }
        thread.name = "onnxscope.live"
        // ORT runs kernels on the calling thread too (its intra-op pool has threads − 1 workers).
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the loop to stop after the run in progress; returns at once. The snapshot keeps the
    /// last figures, with phase `.stopped`, and the session is kept for ``start()``.
    public func stop() {
        state.lock()
        wanted = false
        state.unlock()
    }

    /// Waits until the runner thread has ended (after ``stop()`` or a failure); false on
    /// timeout. For quitting cleanly, and for tests.
    @discardableResult
    public func waitUntilStopped(timeout seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        state.lock(); defer { state.unlock() }
        while threadRunning {
            if !state.wait(until: deadline) { break }
        }
        return !threadRunning
    }

    /// Re-creates the session(s) with `configuration`, in the background. Until the new
    /// session publishes its own figures, the old ones stay, marked ``LiveSnapshot/isStale``.
    /// While stopped, the new session is made at the next ``start()``.
    public func update(configuration: SessionConfiguration) {
        state.lock()
        requested = configuration
        reconfigurePending = true
        if !threadRunning && published.latency != nil && !published.isStale {
            // Nobody will publish before the next start: mark the figures here.
            published.isStale = true
            published.generation += 1
        }
        state.unlock()
    }

    // MARK: The runner thread's side

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

    /// Called by the runner thread when it would end: false if a ``start()`` came meanwhile
    /// (the loop goes on), true once the thread is marked ended.
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
