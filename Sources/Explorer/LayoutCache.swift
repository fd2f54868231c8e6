import Foundation
import GraphLayout

/// Work done on a background thread whose result the UI thread picks up when it is ready.
///
/// The run loop polls ``result`` between key presses (it wakes up periodically while a job is
/// pending), so the UI never waits on a lock held for long: the lock only guards the hand-over.
final class BackgroundJob<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?
    private let done = DispatchSemaphore(value: 0)
    let started = ContinuousClock.now

    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let v = work()
            lock.lock()
            value = v
            lock.unlock()
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The result if the work has finished.
    var result: Value? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Blocks until the work has finished (tests and benchmarks only).
    func wait() -> Value {
        done.wait()
        done.signal()
        return result!
    }
}

/// Layouts by (scope, folded groups, zoom), computed once each.
///
/// Small scenes are laid out on the spot; scenes with more than ``backgroundThreshold`` nodes
/// are laid out on a background thread while the graph pane shows progress, so opening a
/// 30k-node export never freezes the terminal.
public final class LayoutCache: @unchecked Sendable {
    /// Node count above which layout moves off the UI thread.
    public var backgroundThreshold: Int
    private var scenes: [SceneKey: Scene] = [:]
    private var pending: [SceneKey: BackgroundJob<Scene>] = [:]
    /// Most recently used keys last; old scenes are dropped beyond ``capacity``.
    private var recent: [SceneKey] = []
    public var capacity = 12

    public init(backgroundThreshold: Int = 4000) {
        self.backgroundThreshold = backgroundThreshold
    }

    /// The scene if it is ready; otherwise starts (or keeps) computing it and returns nil.
    public func scene(for key: SceneKey, document: Document) -> Scene? {
        if let s = scenes[key] {
            touch(key)
            return s
        }
        if let job = pending[key] {
            guard let s = job.result else { return nil }
            pending[key] = nil
            store(s)
            return s
        }
        if document.scope(key.scope).nodeCount - hiddenEstimate(key, document) <= backgroundThreshold {
            let s = Scene.build(document: document, key: key)
            store(s)
            return s
        }
        pending[key] = BackgroundJob { Scene.build(document: document, key: key) }
        return nil
    }

    /// Whether some layout is being computed (the run loop then polls instead of blocking).
    public var isBusy: Bool { !pending.isEmpty }

    /// Seconds since the pending layout for `key` started, if one is running.
    public func pendingSeconds(for key: SceneKey) -> Double? {
        guard let job = pending[key] else { return nil }
        let d = ContinuousClock.now - job.started
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Waits for every pending layout (tests and benchmarks).
    public func waitForPending() {
        for (key, job) in pending {
            store(job.wait())
            pending[key] = nil
        }
    }

    /// Nodes hidden inside folded groups, minus one box per group: how much smaller the
    /// scene is than the scope.
    private func hiddenEstimate(_ key: SceneKey, _ document: Document) -> Int {
        let tree = document.groupings[key.scope].tree
        var hidden = 0
        for g in key.collapsed {
            var p = tree.parent(of: g)
            var nested = false
            while let cur = p { if key.collapsed.contains(cur) { nested = true; break }; p = tree.parent(of: cur) }
            if !nested { hidden += tree.nodeCount(of: g) - 1 }
        }
        return hidden
    }

    private func store(_ scene: Scene) {
        scenes[scene.key] = scene
        touch(scene.key)
        while recent.count > capacity {
            scenes[recent.removeFirst()] = nil
        }
    }

    private func touch(_ key: SceneKey) {
        recent.removeAll { $0 == key }
        recent.append(key)
    }
}
