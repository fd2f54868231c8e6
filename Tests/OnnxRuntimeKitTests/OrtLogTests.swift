import Foundation
import XCTest
@testable import OnnxRuntimeKit

/// The store ORT's logging callback writes into: deduplication, the level filter, and text
/// that can never drive a terminal, including what the real ORT and native prints deliver.
final class OrtLogTests: XCTestCase {
    /// True when no scalar of `s` is a C0 control, DEL, a C1 control or ESC.
    func isPrintable(_ s: String) -> Bool {
        !s.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) }
    }

    func testRepeatsFoldIntoOneEntryWithACount() {
        let log = OrtLog(level: .verbose)
        for _ in 0..<3 { log.record(severity: .warning, category: "onnxruntime", message: "slow path") }
        log.record(severity: .error, category: "onnxruntime", message: "slow path")       // other severity
        log.record(severity: .warning, category: "VerboseOutput", message: "slow path")   // other category
        log.record(severity: .warning, category: "onnxruntime", message: "\u{1b}[0;93mslow path\u{1b}[m")  // same once cleaned
        let entries = log.snapshot()
        XCTAssertEqual(entries.map(\.count), [4, 1, 1])
        XCTAssertEqual(entries.map(\.severity), [.warning, .error, .warning])
        XCTAssertEqual(entries[0].displayLines, ["ort warning: slow path (×4)"])
        XCTAssertEqual(entries[1].displayLines, ["ort error: slow path"])
    }

    func testLevelFilterDropsLowerSeverities() {
        let log = OrtLog(level: .warning)
        log.record(severity: .verbose, category: "c", message: "v")
        log.record(severity: .info, category: "c", message: "i")
        log.record(severity: .warning, category: "c", message: "w")
        log.record(severity: .error, category: "c", message: "e")
        log.record(severity: .fatal, category: "c", message: "f")
        XCTAssertEqual(log.snapshot().map(\.message), ["w", "e", "f"])
        log.level = .error
        log.record(severity: .warning, category: "c", message: "w2")
        XCTAssertEqual(log.snapshot().map(\.message), ["w", "e", "f"])
        XCTAssertEqual(OrtLogLevel(parsing: "VERBOSE"), .verbose)
        XCTAssertEqual(OrtLogLevel(parsing: "warn"), .warning)
        XCTAssertNil(OrtLogLevel(parsing: "loud"))
        XCTAssertEqual(OrtLogLevel(reported: 7), .fatal)
    }

    func testColorCodesAreStrippedAndOtherControlsEscaped() {
        XCTAssertEqual(OrtLog.clean("\u{1b}[1;31m2026-01-01 [E:onnxruntime] boom\u{1b}[m"), ["2026-01-01 [E:onnxruntime] boom"])
        // Not colors: shown, escaped, so the user sees something odd was there.
        XCTAssertEqual(OrtLog.clean("a\u{1b}]0;pwned\u{07}b"), ["a\\e]0;pwned\\u{7}b"])
        XCTAssertEqual(OrtLog.clean("\u{1b}[2Jclear"), ["\\e[2Jclear"])
        XCTAssertEqual(OrtLog.clean("x\u{9b}31m\u{7f}\u{00}\ty"), ["x\\u{9b}31m\\u{7f}\\u{0}\\ty"])
        XCTAssertEqual(OrtLog.clean("bidi \u{202e}exe"), ["bidi \\u{202e}exe"])
        // Lines stay lines; blank ones and trailing blanks go.
        XCTAssertEqual(OrtLog.clean("first:\r\n  detail  \n\n\n\r\nlast\n"), ["first:", "  detail", "last"])
        XCTAssertEqual(OrtLog.clean(" \n\t\n"), [])

        let log = OrtLog(level: .verbose)
        log.record(severity: .error, category: "cat\u{1b}[5m\u{1b}]2;x\u{07}", message: "\u{1b}[1;31mline one\u{1b}[m\nline\u{1b}c two\u{08}\u{1b}[m\n")
        log.record(severity: .warning, category: "c", message: "\n \n")   // nothing left to show
        let entries = log.snapshot()
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries[0].category, "cat\\e]2;x\\u{7}")   // SGR (blink) removed, the title escape shown
        XCTAssertEqual(entries[0].displayLines, ["ort error: line one", "  line\\ec two\\u{8}"])
        for line in entries[0].displayLines { XCTAssertTrue(isPrintable(line), line.debugDescription) }
    }

    func testDrainReturnsWhatArrivedSinceTheLastDrain() {
        let log = OrtLog(level: .verbose)
        log.record(severity: .warning, category: "c", message: "a")
        log.record(severity: .warning, category: "c", message: "a")
        log.record(severity: .info, category: "c", message: "b")
        XCTAssertEqual(log.drain().map { "\($0.message)×\($0.count)" }, ["a×2", "b×1"])
        XCTAssertEqual(log.drain(), [])
        log.record(severity: .warning, category: "c", message: "a")
        XCTAssertEqual(log.drain().map { "\($0.message)×\($0.count)" }, ["a×1"])
        XCTAssertEqual(log.snapshot().map { "\($0.message)×\($0.count)" }, ["a×3", "b×1"])
        let before = log.changes
        log.record(severity: .warning, category: "c", message: "a")
        XCTAssertGreaterThan(log.changes, before)
    }

    func testCapacityBoundsDistinctMessages() {
        let log = OrtLog(level: .verbose, capacity: 2)
        for m in ["a", "b", "c", "d", "a"] { log.record(severity: .info, category: "c", message: m) }
        XCTAssertEqual(log.snapshot().map(\.message), ["a", "b"])
        XCTAssertEqual(log.snapshot()[0].count, 2)
        XCTAssertEqual(log.droppedCount, 2)
    }

    func testConcurrentRecordingLosesNothing() {
        let log = OrtLog(level: .verbose)
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<500 { log.record(severity: .warning, category: "c", message: "m\(i % 10)") }
            log.record(severity: .info, category: "thread", message: "\(t)")
        }
        let entries = log.snapshot()
        XCTAssertEqual(entries.filter { $0.category == "c" }.map(\.count).reduce(0, +), 4000)
        XCTAssertEqual(entries.filter { $0.category == "c" }.count, 10)
        XCTAssertEqual(entries.filter { $0.category == "thread" }.count, 8)
    }

    func testTheCCallbackFilesIntoTheStoreItIsGiven() {
        let log = OrtLog(level: .verbose)
        "onnxruntime".withCString { category in
            "\u{1b}[0;93mfrom C\u{1b}[m".withCString { message in
                ortLogCallback(log.callbackParameter, 2, category, nil, nil, message)
                ortLogCallback(log.callbackParameter, 2, category, nil, nil, message)
            }
        }
        ortLogCallback(log.callbackParameter, 3, nil, nil, nil, nil)   // ORT never does this; no crash
        ortLogCallback(nil, 3, nil, nil, nil, nil)
        XCTAssertEqual(log.snapshot().map(\.displayLines), [["ort warning: from C (×2)"]])
    }

    /// The real ORT: its messages reach the store instead of stderr, at the level asked for.
    func testRealOrtLogsIntoTheStore() throws {
        let lib = try RT.library()
        XCTAssertTrue(lib.log === OrtLog.shared)
        let model = try RT.model("conv_relu_sigmoid.onnx")
        try lib.setLogLevel(.verbose)
        defer { try? lib.setLogLevel(.warning) }
        _ = lib.log.drain()
        _ = try Session(modelPath: model, library: lib)
        let verbose = lib.log.drain()
        XCTAssertTrue(verbose.contains { $0.severity == .info || $0.severity == .verbose }, "\(verbose.prefix(5))")
        for e in verbose { for line in e.displayLines { XCTAssertTrue(isPrintable(line), line.debugDescription) } }

        try lib.setLogLevel(.warning)
        _ = try Session(modelPath: model, library: lib)
        XCTAssertFalse(lib.log.drain().contains { $0.severity < .warning })
    }

    /// Bytes native code writes straight to fd 1 and 2 land in the store, as lines.
    func testNativePrintsAreCapturedIntoTheStore() throws {
        let log = OrtLog(level: .verbose)
        let value = NativeOutputCapture.capture(into: log) { () -> Int in
            // print() goes through C stdio's buffer, as std::cout does: the capture must flush it.
            print("from stdio \u{1b}[1;31mred\u{1b}[m\npartial", terminator: "")
            let raw = Array("from fd 2: an Exception\n\n".utf8)
            _ = raw.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            return 42
        }
        XCTAssertEqual(value, 42)
        let entries = log.snapshot()
        XCTAssertEqual(Set(entries.map { "\($0.category)|\($0.severity)|\($0.message)" }),
                       ["stdout|warning|from stdio red", "stdout|warning|partial", "stderr|error|from fd 2: an Exception"])
        XCTAssertEqual(entries.first { $0.category == "stdout" }?.displayLines.first, "ort warning (stdout): from stdio red")
    }

    /// Two captures overlapping on different threads: the descriptors stay redirected until
    /// the last one ends, so what the second prints after the first ended is still caught.
    func testOverlappingCapturesOnTwoThreadsAreBothCovered() throws {
        let log = OrtLog(level: .verbose)
        let firstIn = DispatchSemaphore(value: 0), secondIn = DispatchSemaphore(value: 0)
        let firstOut = DispatchSemaphore(value: 0), secondDone = DispatchSemaphore(value: 0)
        let second = Thread {
            firstIn.wait()
            NativeOutputCapture.capture(into: log) {
                secondIn.signal()
                firstOut.wait()
                let raw = Array("from the second job, after the first ended\n".utf8)
                _ = raw.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
            }
            secondDone.signal()
        }
        second.start()
        NativeOutputCapture.capture(into: log) {
            firstIn.signal()
            secondIn.wait()  // the second capture begins inside this one
        }
        firstOut.signal()
        XCTAssertEqual(secondDone.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(log.snapshot().map(\.message), ["from the second job, after the first ended"])
    }

    /// Someone in the process keeps a copy of the redirected fd 1 past the capture (as a test
    /// that swapped fd 1 itself once did): the pipe then never reaches its end, and the capture
    /// must still finish rather than wait for ever holding the lock every later capture needs.
    func testACaptureEndsWhileSomeoneElseHoldsACopyOfTheDescriptor() throws {
        let log = OrtLog(level: .verbose)
        final class Copy: @unchecked Sendable { var fd: Int32 = -1 }   // written before `finished`
        let copy = Copy()
        let finished = DispatchSemaphore(value: 0)
        let job = Thread {
            NativeOutputCapture.capture(into: log) { copy.fd = dup(1) }
            finished.signal()
        }
        job.start()
        XCTAssertEqual(finished.wait(timeout: .now() + 20), .success, "the capture never ended")
        // A later capture works too (the lock was let go).
        let value = NativeOutputCapture.capture(into: log) { 7 }
        XCTAssertEqual(value, 7)
        if copy.fd >= 0 { close(copy.fd) }
    }
}
