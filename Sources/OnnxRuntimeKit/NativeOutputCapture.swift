import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches what native code prints straight to the process's stdout and stderr while ORT
/// works, and files it in an ``OrtLog`` like any other message.
///
/// The custom logger gets ORT's own messages, but the libraries it loads do not all use it:
/// the OpenVINO EP writes to `std::cout` (`ORT_OPENVINO_ENABLE_CI_LOG=1` prints a line per
/// inference) and OpenVINO links `std::cerr`. Those bytes would land in `run --json` output or
/// on the explorer's screen. During ``capture(into:_:)`` file descriptors 1 and 2 point into
/// pipes; each line read back becomes an entry of category `stdout` or `stderr`, cleaned and
/// deduplicated by the same ``OrtLog`` rules.
///
/// Everything the process writes to fd 1 and 2 meanwhile is captured, onnxscope's own output
/// too, from any thread, so callers print nothing inside the closure; a progress line can write
/// to a duplicate of the real stderr made beforehand (``duplicateStandardError()``), and a
/// full-screen UI must draw through its own duplicate of stdout while a background job
/// captures. If the process dies inside the closure, what was captured is lost with it.
public enum NativeOutputCapture {
    /// The categories captured lines are filed under.
    public static let categories: Set<String> = ["stdout", "stderr"]

    private static let lock = NSLock()
    /// Captures in progress, on any thread, and the redirections the first of them set up.
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var redirected: [Redirection] = []

    /// Runs `body` with fd 1 and 2 redirected into `log`. Nested and concurrent calls share one
    /// capture: the first points the descriptors into pipes (filing into its log; in practice
    /// every caller passes the library's, ``OrtLog/shared``), the last to finish puts them back.
    /// So two jobs at once (the live runner and a `run`-like job in the explorer) are both
    /// covered, whichever ends first. If the pipes cannot be set up, `body` runs uncaptured.
    public static func capture<T>(into log: OrtLog, _ body: () throws -> T) rethrows -> T {
        begin(log)
        defer { end() }
        return try body()
    }

    private static func begin(_ log: OrtLog) {
        lock.lock(); defer { lock.unlock() }
        depth += 1
        guard depth == 1 else { return }
        // Our own buffered output belongs to the real streams, not to the log.
        fflush(nil)
        redirected = [(1, "stdout"), (2, "stderr")].compactMap { Redirection(fd: $0.0, category: $0.1, log: log) }
    }

    private static func end() {
        lock.lock(); defer { lock.unlock() }
        depth -= 1
        // Whatever this capture's work printed through stdio (std::cout is synced with it, and
        // fully buffered on a pipe) goes into the pipes now, even while another capture keeps
        // them open: else it would reach the log only when the last capture ends.
        fflush(nil)
        guard depth == 0 else { return }
        // Native stdio buffers (std::cout is synced with stdio) must reach the pipes before
        // the descriptors are put back, or their text would come out on the terminal later.
        fflush(nil)
        for r in redirected { r.restore() }
        redirected = []
    }

    /// A handle on the real stderr that stays valid while it is captured (for progress lines).
    public static func duplicateStandardError() -> FileHandle {
        let fd = dup(2)
        return fd >= 0 ? FileHandle(fileDescriptor: fd, closeOnDealloc: true) : FileHandle.standardError
    }

    /// One descriptor pointed into a pipe, with a reader turning the pipe's lines into entries.
    private final class Redirection {
        let fd: Int32
        let saved: Int32
        let done = DispatchSemaphore(value: 0)

        init?(fd: Int32, category: String, log: OrtLog) {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { return nil }
            let saved = dup(fd)
            guard saved >= 0, dup2(ends[1], fd) >= 0 else {
                close(ends[0]); close(ends[1])
                if saved >= 0 { close(saved) }
                return nil
            }
            close(ends[1])
            self.fd = fd
            self.saved = saved
            let readEnd = ends[0]
            let done = self.done
            // A thread of its own, not a GCD worker: it blocks in read() for the whole capture.
            let thread = Thread {
                Redirection.readLines(from: readEnd) { line in
                    log.record(severity: Redirection.severity(of: line), category: category, message: line)
                }
                close(readEnd)
                done.signal()
            }
            thread.name = "onnxscope.capture.\(category)"
            thread.start()
        }

        /// Puts the descriptor back; the pipe's last writer closes, so the reader sees the end
        /// and normally finishes before this returns. Someone else in the process may still
        /// hold a copy of the pipe's write end (a `dup(1)` taken during the capture, a child
        /// that inherited it): then the end never comes while they keep it, so the wait is
        /// bounded and the reader is left to finish, and close its end, when they let go.
        /// Waiting for ever here once deadlocked every later capture (the lock is held).
        func restore() {
            dup2(saved, fd)
            close(saved)
            _ = done.wait(timeout: .now() + Redirection.drainTimeout)
        }

        /// How long ``restore()`` waits for the reader to drain the pipe.
        static let drainTimeout: DispatchTimeInterval = .seconds(2)

        static func readLines(from fd: Int32, _ line: (String) -> Void) {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { break }
                pending.append(contentsOf: buffer[0..<n])
                while let nl = pending.firstIndex(of: 0x0a) {
                    line(String(decoding: pending[..<nl], as: UTF8.self))
                    pending.removeSubrange(...nl)
                }
            }
            if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
        }

        /// Printed text has no severity; words that mean failure make it an error so that
        /// `--ort-log error` still shows it, anything else is a warning.
        static func severity(of line: String) -> OrtLogLevel {
            let lower = line.lowercased()
            return ["error", "exception", "fatal", "abort"].contains { lower.contains($0) } ? .error : .warning
        }
    }
}
