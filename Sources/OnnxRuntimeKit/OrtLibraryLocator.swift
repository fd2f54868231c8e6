import Foundation

/// Finds `libonnxruntime` on the machine, in the order DESIGN.md fixes: an explicit path, the
/// `ONNXSCOPE_ORT_LIB` variable, the project's `.venv`, an `onnxruntime*` Python package, then the
/// system library paths.
///
/// Locating is separate from loading so `onnxscope runtime` can say *where* it looked when
/// nothing is found, and tests can check the order without loading anything.
public struct OrtLibraryLocator: Sendable {
    /// Where a candidate came from; shown by `onnxscope runtime`.
    public enum Source: String, Sendable {
        case option = "--ort"
        case environment = "ONNXSCOPE_ORT_LIB"
        case projectVenv = "project .venv"
        case pythonPackage = "python onnxruntime package"
        case system = "system library path"
    }

    /// A library file that exists, with where it came from.
    public struct Candidate: Sendable, Equatable {
        public let path: String
        public let source: Source
    }

    /// Library file names, newest naming first. The pip wheels ship only the versioned name
    /// (`libonnxruntime.so.1.32.0`), so directories are globbed rather than probed by name.
    #if os(macOS)
    static let libraryPrefix = "libonnxruntime"
    static let librarySuffix = ".dylib"
    #else
    static let libraryPrefix = "libonnxruntime.so"
    static let librarySuffix = ""
    #endif

    public var explicitPath: String?
    public var environment: [String: String]
    /// Directories whose `.venv` (and ancestors' `.venv`) count as "the project's".
    public var projectRoots: [String]
    /// Whether to ask `python3` where its `onnxruntime` package lives (spawns a process).
    public var askPython: Bool

    public init(explicitPath: String? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                projectRoots: [String]? = nil,
                askPython: Bool = true) {
        self.explicitPath = explicitPath
        self.environment = environment
        self.projectRoots = projectRoots ?? OrtLibraryLocator.defaultProjectRoots()
        self.askPython = askPython
    }

    /// The current directory and the directory of the running executable: a binary under
    /// `<repo>/.build/debug/` finds `<repo>/.venv` by walking up.
    static func defaultProjectRoots() -> [String] {
        var roots = [FileManager.default.currentDirectoryPath]
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        roots.append(exe.deletingLastPathComponent().path)
        return roots
    }

    /// Result of a search: the first usable candidate, or every place that was tried.
    public enum Outcome: Sendable {
        case found(Candidate)
        /// An explicit path (option or variable) was given but points at nothing usable. We do
        /// not fall back silently: the user asked for that library.
        case explicitMissing(path: String, source: Source)
        case notFound(searched: [String])
    }

    /// Runs the search.
    public func locate() -> Outcome {
        if let p = explicitPath {
            if let lib = OrtLibraryLocator.resolve(p) { return .found(.init(path: lib, source: .option)) }
            return .explicitMissing(path: p, source: .option)
        }
        if let p = environment["ONNXSCOPE_ORT_LIB"], !p.isEmpty {
            if let lib = OrtLibraryLocator.resolve(p) { return .found(.init(path: lib, source: .environment)) }
            return .explicitMissing(path: p, source: .environment)
        }
        var searched: [String] = []
        for venv in venvDirectories() {
            searched.append(venv)
            for sp in OrtLibraryLocator.sitePackages(in: venv) {
                if let lib = OrtLibraryLocator.libraryInPackages(sp) {
                    return .found(.init(path: lib, source: .projectVenv))
                }
            }
        }
        if venvDirectories().isEmpty {
            searched.append("a .venv in \(projectRoots.joined(separator: " or ")) or their parents (none exists)")
        }
        if askPython {
            guard let dir = pythonPackageDirectory() else {
                searched.append("python3 -c 'import onnxruntime' (no such module)")
                return searchSystem(searched)
            }
            searched.append("python3: \(dir)")
            if let lib = OrtLibraryLocator.libraryIn(directory: dir + "/capi") ?? OrtLibraryLocator.libraryIn(directory: dir) {
                return .found(.init(path: lib, source: .pythonPackage))
            }
        }
        return searchSystem(searched)
    }

    /// The last two steps: well-known site-packages, then system library directories.
    private func searchSystem(_ searchedSoFar: [String]) -> Outcome {
        var searched = searchedSoFar
        for sp in globalSitePackages() {
            if let lib = OrtLibraryLocator.libraryInPackages(sp) {
                return .found(.init(path: lib, source: .pythonPackage))
            }
        }
        searched.append("python site-packages (system, /usr/local, ~/.local)")
        for dir in systemLibraryDirectories() {
            searched.append(dir)
            if let lib = OrtLibraryLocator.libraryIn(directory: dir) {
                return .found(.init(path: lib, source: .system))
            }
        }
        return .notFound(searched: searched)
    }

    /// A path the user gave may be the library itself, a directory holding it, a Python package
    /// directory (`.../onnxruntime`) or a venv.
    public static func resolve(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        if !isDir.boolValue { return path }
        if let lib = libraryIn(directory: path) ?? libraryIn(directory: path + "/capi")
            ?? libraryIn(directory: path + "/lib") { return lib }
        for sp in sitePackages(in: path) { if let lib = libraryInPackages(sp) { return lib } }
        return nil
    }

    /// `<venv>/lib/python3.*/site-packages`.
    static func sitePackages(in venv: String) -> [String] {
        let lib = venv + "/lib"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        return entries.filter { $0.hasPrefix("python3") }.sorted().reversed().map { "\(lib)/\($0)/site-packages" }
    }

    /// `onnxruntime/capi/libonnxruntime*` inside a site-packages directory.
    static func libraryInPackages(_ sitePackages: String) -> String? {
        libraryIn(directory: sitePackages + "/onnxruntime/capi")
    }

    /// The newest-looking `libonnxruntime.so*` (or `.dylib`) file directly inside `directory`.
    static func libraryIn(directory: String) -> String? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let libs = entries.filter {
            $0.hasPrefix(libraryPrefix) && $0.hasSuffix(librarySuffix)
                && !$0.contains("providers") && !$0.hasSuffix(".py")
        }
        // Prefer the real file with the longest (most specific) version suffix.
        guard let best = libs.sorted(by: { ($0.count, $0) > ($1.count, $1) }).first else { return nil }
        return directory + "/" + best
    }

    /// `.venv` in each project root and its ancestors, nearest first, without duplicates.
    func venvDirectories() -> [String] {
        var result: [String] = []
        for root in projectRoots {
            var url = URL(fileURLWithPath: root).standardizedFileURL
            for _ in 0..<8 {
                let v = url.appendingPathComponent(".venv").path
                if FileManager.default.fileExists(atPath: v), !result.contains(v) { result.append(v) }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        return result
    }

    /// Asks `python3` (or `python`) where `onnxruntime` is installed; nil if Python or the
    /// package is absent.
    func pythonPackageDirectory() -> String? {
        for python in ["python3", "python"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [python, "-c", "import onnxruntime,os;print(os.path.dirname(onnxruntime.__file__))"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            do { try p.run() } catch { continue }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if p.terminationStatus == 0,
               let s = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
               !s.isEmpty { return s }
        }
        return nil
    }

    /// Common site-packages directories, for machines where `python3` is not on PATH.
    func globalSitePackages() -> [String] {
        var bases = ["/usr/lib", "/usr/local/lib", "/opt/homebrew/lib"]
        if let home = environment["HOME"] { bases.append(home + "/.local/lib") }
        var result: [String] = []
        for base in bases {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
            for e in entries.sorted().reversed() where e.hasPrefix("python3") {
                result.append("\(base)/\(e)/site-packages")
                result.append("\(base)/\(e)/dist-packages")
            }
        }
        return result
    }

    /// `LD_LIBRARY_PATH` (or `DYLD_LIBRARY_PATH`) then the usual system directories.
    func systemLibraryDirectories() -> [String] {
        var dirs: [String] = []
        for key in ["LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"] {
            dirs += (environment[key] ?? "").split(separator: ":").map(String.init)
        }
        dirs += ["/usr/local/lib", "/usr/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                 "/usr/lib64", "/opt/onnxruntime/lib", "/opt/homebrew/lib"]
        return dirs
    }
}
