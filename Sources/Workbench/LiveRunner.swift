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
/// or print goes to the library's ``OrtLog`` (batches run inside ``NativeOutputCapture``), so
/// nothing reaches the terminal the explorer draws on. Thread-safe; dropping the last
/// reference stops it like ``stop()``.
public final class LiveRunner: Sendable {
    private let control: LiveControl
    private let loop: LiveLoop
    private let library: OrtLibrary

    /// - Parameters:
    ///   - model: the model file or bytes.
    ///   - library: the ORT to run with; its ``OrtLibrary/log`` receives ORT's messages.
    ///   - configuration: session settings; intra-op threads left to ORT become max(1, cores − 1)
    ///     (see ``LiveConfiguration/effective(_:cores:)``).
    ///   - inputs: the tensors to feed, or a generator for them.
    ///   - schedule: windows and rhythm; the defaults suit the explorer.
    ///   - onPublish: called on the runner thread after each publication (at most about
    ///     4 times a second, plus phase changes) with the value published; keep it short, e.g.
    ///     wake the UI.
    public init(model: ModelRunner.Source, library: OrtLibrary, configuration: SessionConfiguration,
                inputs: LiveInputs, schedule: LiveSchedule = LiveSchedule(),
                onPublish: (@Sendable (LiveSnapshot) -> Void)? = nil) {
        self.library = library
        control = LiveControl(configuration: configuration, onPublish: onPublish)
        loop = LiveLoop(control: control, source: model, library: library, inputs: inputs, schedule: schedule)
    }

    /// A runner for a model file fed with `feeds`.
    public convenience init(modelPath: String, library: OrtLibrary, configuration: SessionConfiguration,
                            feeds: [String: HostTensor], schedule: LiveSchedule = LiveSchedule(),
                            onPublish: (@Sendable (LiveSnapshot) -> Void)? = nil) {
        self.init(model: .path(modelPath), library: library, configuration: configuration, inputs: .feeds(feeds),
                  schedule: schedule, onPublish: onPublish)
    }

    deinit { control.requestStop() }

    /// The latest published snapshot (a copy).
    public var snapshot: LiveSnapshot { control.snapshot }

    /// The configuration last given (at init or to ``update(configuration:)``), as asked,
    /// before the thread policy.
    public var configuration: SessionConfiguration { control.configuration }

    /// Starts, or resumes after ``stop()``, on the runner thread. The first start creates the
    /// session; a resume reuses it and keeps the figures. After `.failed`, starts over with a
    /// new session. Does nothing while running.
    public func start() {
        guard control.requestStart() else { return }
        let thread = Thread { [loop] in loop.run() }
        thread.name = "onnxscope.live"
        // ORT runs kernels on the calling thread too (its intra-op pool has threads − 1 workers).
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Asks the loop to stop after the run in progress (or the session creation in progress);
    /// returns at once. The snapshot keeps the last figures, with phase `.stopped`, and the
    /// session is kept for ``start()``.
    public func stop() { control.requestStop() }

    /// Waits until the runner thread has ended (after ``stop()`` or a failure); false on
    /// timeout. For quitting cleanly, and for tests.
    @discardableResult
    public func waitUntilStopped(timeout seconds: Double) -> Bool { control.waitUntilStopped(timeout: seconds) }

    /// Re-creates the session(s) with `configuration`, in the background. Until the new
    /// session publishes its own figures, the old ones stay, marked ``LiveSnapshot/isStale``.
    /// While stopped, the new session is made at the next ``start()``.
    public func update(configuration: SessionConfiguration) { control.requestReconfiguration(configuration) }

    /// The execution providers the loaded ORT has (`GetAvailableProviders`), for a settings UI.
    public var availableProviders: [String] { (try? library.availableProviders()) ?? [] }

    /// Switches to another model (the explorer's int8 variant, or back to the float file) with
    /// the same settings, in the background, as ``update(configuration:)`` does.
    /// - Returns: the ``LiveSnapshot/modelRevision`` that the new model's figures will carry, so
    ///   a caller switching often knows which model a snapshot measured.
    @discardableResult
    public func update(model: ModelRunner.Source) -> Int { control.requestModel(model) }
}
