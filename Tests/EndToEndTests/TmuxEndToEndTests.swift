import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Runs the real binary in a real terminal (tmux): the ncurses path, key decoding, resize
/// handling and terminal restore that the in-memory golden screens cannot cover.
@Suite("End to end in tmux", .serialized)
struct TmuxEndToEndTests {
    /// `ONNXSCOPE_TEST_BINARY` (set by `make test`), else `.build/debug/onnxscope` of this checkout.
    static func binary() throws -> String {
        if let env = ProcessInfo.processInfo.environment["ONNXSCOPE_TEST_BINARY"], !env.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: env) else {
                throw E2EError("ONNXSCOPE_TEST_BINARY=\(env) is not an executable; build it with `swift build --product onnxscope`")
            }
            return env
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent(".build/debug/onnxscope").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw E2EError("no onnxscope binary at \(path): run `swift build --product onnxscope` first (or set ONNXSCOPE_TEST_BINARY)")
        }
        return path
    }

    static func tmuxPath() throws -> String {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw E2EError("tmux is not installed (the end-to-end test needs it: `make deps` or `apt-get install tmux`)")
    }

    @Test("Open ResNet-50, search a node, read the inspector, resize, quit, terminal sane")
    func searchInspectResizeQuit() throws {
        let bin = try Self.binary()
        let tmux = Tmux(path: try Self.tmuxPath())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer {
            tmux.killServer()
            try? FileManager.default.removeItem(at: dir)
        }
        let model = dir.appendingPathComponent("resnet50.onnx").path
        let gen = try run(bin, ["sample", "resnet50", "-o", model])
        try #require(gen.status == 0, "sample generation failed: \(gen.output)")

        // A plain shell with a recognizable prompt, so "back at the prompt" can be checked.
        try tmux.start(width: 120, height: 40, command: "env -i PATH=/usr/bin:/bin HOME=\(dir.path) TERM=xterm-256color LANG=C.UTF-8 PS1='E2E$ ' sh")
        try tmux.waitFor("prompt", timeout: 10) { $0.contains("E2E$") }
        tmux.sendLiteral("'\(bin)' '\(model)'")
        tmux.sendKeys("Enter")
        var screen = try tmux.waitFor("the explorer's first frame", timeout: 30) { $0.contains("Inspector") && $0.contains("/conv1/Conv") }
        #expect(screen.contains("resnet50.onnx"))
        #expect(screen.contains("kernel 7×7  stride 2  pads 3"))

        tmux.sendLiteral("/layer3.2/conv2")
        screen = try tmux.waitFor("the search line", timeout: 10) { $0.contains("/layer3.2/conv2") }
        tmux.sendKeys("Enter")
        screen = try tmux.waitFor("the inspector of the match", timeout: 10) { $0.contains("name    /layer3/layer3.2/conv2/Conv") }
        #expect(screen.contains("kernel 3×3  stride 1  pads 1"))
        #expect(screen.contains("float32[256,256,3,3]"))
        #expect(screen.contains("match 1 of"))

        try tmux.resize(width: 90, height: 30)
        screen = try tmux.waitFor("a redraw at 90×30", timeout: 10) { s in
            let lines = s.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 30 && lines.prefix(30).allSatisfy { $0.count <= 90 } && s.contains("Inspector")
                && (lines.first { $0.contains("help") && $0.contains("quit") } != nil)
        }
        #expect(screen.contains("/layer3/layer3.2/conv2/Conv"))

        try tmux.quitAndExpectSaneTerminal()
    }

    @Test("BERT-tiny: 6 opens the Deploy view, T switches the target, Enter shows a blocked node in the graph with its reasons")
    func deployView() throws {
        let bin = try Self.binary()
        let tmux = Tmux(path: try Self.tmuxPath())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-e2e-deploy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer {
            tmux.killServer()
            try? FileManager.default.removeItem(at: dir)
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        try tmux.start(width: 140, height: 44, command: "env -i PATH=/usr/bin:/bin HOME=\(dir.path) TERM=xterm-256color LANG=C.UTF-8 PS1='E2E$ ' sh")
        try tmux.waitFor("prompt", timeout: 10) { $0.contains("E2E$") }
        tmux.sendLiteral("'\(bin)' '\(root)/samples/bert-tiny.onnx'")
        tmux.sendKeys("Enter")
        try tmux.waitFor("the explorer's first frame", timeout: 30) { $0.contains("Inspector") }
        tmux.sendKeys("6")
        var screen = try tmux.waitFor("the Deploy view", timeout: 10) { $0.contains("Deploy: NNAPI") && $0.contains("Not taken (") }
        #expect(screen.contains("with the dims fixed (batch=1, seq=64)"))
        tmux.sendKeys("T")
        screen = try tmux.waitFor("CoreML", timeout: 10) { $0.contains("Deploy: CoreML NeuralNetwork") }
        tmux.sendKeys("Tab")
        tmux.sendKeys("Enter")
        // The reasons are drawn in the same frame as the heading, but a capture can land while
        // the terminal is part-way through that frame: wait for both.
        _ = try tmux.waitFor("the node in the graph with its reasons", timeout: 10) {
            $0.contains("Deploy: CoreML NeuralNetwork (predicted)") && ($0.contains("operator:") || $0.contains("dynamic shape:") || $0.contains("condition:"))
        }
        try tmux.quitAndExpectSaneTerminal()
    }

    @Test("A model that cannot be opened exits 2 with a message, without touching the terminal")
    func badModel() throws {
        let bin = try Self.binary()
        let r = try run(bin, ["/nonexistent/model.onnx"])
        #expect(r.status == 2)
        #expect(r.output.contains("cannot open /nonexistent/model.onnx"))
        #expect(!r.output.contains("\u{1b}["), "escape sequences were written: \(r.output.debugDescription)")
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) {
        description = d
        // swift-testing's issue lines can be lost while another suite's ORT output capture holds
        // fd 1/2: a copy goes to the file `make test` prints when the run fails.
        if let path = ProcessInfo.processInfo.environment["ONNXSCOPE_E2E_LOG"] {
            let line = Data("--- \(Date()): \(d)\n".utf8)
            if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(line); try? h.close() }
            else { FileManager.default.createFile(atPath: path, contents: line) }
        }
    }
}

/// Runs a process to completion; stdout and stderr together.
///
/// Spawned with `posix_spawn` and reaped with `waitpid` rather than through `Process`:
/// `tmux new-session` forks its server from the client, and Foundation's `Process` was seen
/// never to notice such a client exit, hanging the test. Output goes through a temporary file,
/// not a pipe, because the server inherits the client's descriptors and a pipe would never
/// reach end-of-file.
func run(_ path: String, _ args: [String]) throws -> (status: Int32, output: String) {
    let log = temporaryOutputPath("out")
    defer { unlink(log) }
    let status = try spawnAndWait(path, args, stdoutPath: log, stderrPath: nil, environment: [:])
    return (status, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
}

/// Runs a process to completion with stdout and stderr kept apart, as raw bytes (to check
/// exactly what reaches a terminal); `environment` is added to this process's.
func runSeparated(_ path: String, _ args: [String], environment: [String: String] = [:]) throws
    -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
    let out = temporaryOutputPath("stdout"), err = temporaryOutputPath("stderr")
    defer { unlink(out); unlink(err) }
    let status = try spawnAndWait(path, args, stdoutPath: out, stderrPath: err, environment: environment)
    func bytes(_ p: String) -> [UInt8] { (try? Data(contentsOf: URL(fileURLWithPath: p))).map { [UInt8]($0) } ?? [] }
    return (status, bytes(out), bytes(err))
}

private func temporaryOutputPath(_ tag: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-e2e-\(tag)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
}

/// stdin from /dev/null, fd 1 to `stdoutPath`, fd 2 to `stderrPath` (or to fd 1 when nil).
private func spawnAndWait(_ path: String, _ args: [String], stdoutPath: String, stderrPath: String?,
                          environment: [String: String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if let stderrPath {
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    } else {
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
    }
    // The test harness's own pipes must not leak into a long-lived tmux server.
    let openFDs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
    for fd in openFDs where fd > 2 && fcntl(fd, F_GETFD) != -1 { posix_spawn_file_actions_addclose(&actions, fd) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + args).map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for e in envp { free(e) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard rc == 0 else { throw E2EError("cannot start \(path): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var waited: pid_t
    repeat { waited = waitpid(pid, &status, 0) } while waited == -1 && errno == EINTR
    guard waited == pid else { return -1 }
    // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
}

/// One private tmux server (its own socket) with one session, killed when the test ends.
struct Tmux {
    let path: String
    let socket = "onnxscope-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let session = "e2e"

    @discardableResult
    func tmux(_ args: [String]) -> (status: Int32, output: String) {
        (try? run(path, ["-L", socket] + args)) ?? (-1, "")
    }

    func start(width: Int, height: Int, command: String) throws {
        let r = tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
        guard r.status == 0 else { throw E2EError("tmux new-session failed: \(r.output)") }
    }

    func sendKeys(_ keys: String...) { tmux(["send-keys", "-t", session] + keys) }
    func sendLiteral(_ text: String) { tmux(["send-keys", "-t", session, "-l", text]) }

    func resize(width: Int, height: Int) throws {
        let r = tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
        guard r.status == 0 else { throw E2EError("tmux resize-window failed: \(r.output)") }
    }

    func capture() -> String { tmux(["capture-pane", "-p", "-t", session]).output }

    /// Presses q, waits for the shell prompt (`E2E$`), and checks with `stty -a` that the
    /// explorer left the terminal in cooked mode with echo.
    func quitAndExpectSaneTerminal(timeout: Double = 15) throws {
        sendKeys("q")
        try waitFor("the shell prompt after quitting", timeout: timeout) { s in
            s.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?.hasPrefix("E2E$") == true
                && !s.contains("Inspector")
        }
        sendLiteral("stty -a; echo STTY-DONE")
        sendKeys("Enter")
        // The typed command line also contains STTY-DONE; wait for echo's own output line.
        let stty = try waitFor("stty output", timeout: 10) { $0.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "STTY-DONE" } }
        let words = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(words.contains("icanon") && !words.contains("-icanon"), "terminal left in raw mode:\n\(stty)")
        #expect(words.contains("echo") && !words.contains("-echo"), "terminal left without echo:\n\(stty)")
    }

    /// Polls the pane until `ready` holds; fails with the last screen when it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: Double, _ ready: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = capture()
            if ready(last) { return last }
            usleep(100_000)
        }
        throw E2EError("timed out after \(timeout) s waiting for \(what); the pane shows:\n\(last)")
    }

    /// Kills the session's server and the pane's process. `kill-server` alone was seen to leave
    /// the server running, so both are also signalled by pid.
    func killServer() {
        let pids = tmux(["display-message", "-p", "-t", session, "#{pid} #{pane_pid}"]).output
            .split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }.filter { $0 > 1 }
        tmux(["kill-server"])
        usleep(100_000)
        for pid in pids.reversed() { kill(pid, SIGKILL) }
    }
}
