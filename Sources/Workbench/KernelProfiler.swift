import Foundation
import OnnxGraph
import OnnxModel

/// Where per-kernel times come from for one live session (see ``LiveProfilingMethod``): the
/// loop asks after every unprofiled run whether a profiled run is due, and if so lets the
/// profiler take over the thread for it.
protocol KernelProfiler: AnyObject {
    var method: LiveProfilingMethod { get }
    /// ORT's optimized graph once known, for exact kernel coverage (``ProfileAttribution``).
    var optimizedGraph: Graph? { get }
    /// Whether to profile now; `runsSinceLast` counts unprofiled runs since the last profile.
    func isDue(now: UInt64, runsSinceLast: Int) -> Bool
    /// Profiles one or more runs, stopping early when `keepGoing` turns false.
    func profile(keepGoing: () -> Bool) throws -> [ProfiledRun]
}

/// A scratch folder for one live session's profile files, removed with it.
final class ProfileDirectory {
    let path: String
    private var counter = 0

    init() throws {
        path = NSTemporaryDirectory() + "/onnxscope-live-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A file-name prefix no earlier profile used (ORT appends `_<timestamp>.json`).
    func nextPrefix(_ stem: String) -> String {
        counter += 1
        return "\(stem)\(counter)"
    }

    /// Reads and removes the files ORT wrote for `prefix`, oldest first.
    func take(prefix: String) throws -> [Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix(prefix + "_") }.sorted()
        return names.compactMap { name in
            let p = path + "/" + name
            defer { try? FileManager.default.removeItem(atPath: p) }
            return FileManager.default.contents(atPath: p)
        }
    }
}

/// Nanoseconds as milliseconds.
func milliseconds(_ ns: UInt64) -> Double { Double(ns) / 1e6 }

/// Monotonic now, ns.
func monotonicNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
