import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A loaded `libonnxruntime`: its `OrtApi` table at the negotiated version and the process's
/// one `OrtEnv` for it.
///
/// ORT wants one environment per process (it owns the logging and the global thread pools), so
/// each library is loaded once and kept for the life of the process: ``load(explicitPath:)``
/// caches by path and the library is never `dlclose`d (ORT does not support being unloaded).
/// The environment logs through a callback into ``log`` (``OrtLog/shared``), never to stderr.
public final class OrtLibrary: @unchecked Sendable {
    /// Absolute path of the loaded library file.
    public let path: String
    /// How the library was found.
    public let source: OrtLibraryLocator.Source
    /// `GetVersionString()`, e.g. "1.32.0".
    public let version: String
    /// The `OrtApi` version we asked for and got (highest both sides know).
    public let apiVersion: UInt32
    /// Where this library's log messages go (see ``OrtLog``).
    public let log: OrtLog
    let api: OrtAPI
    let env: OrtHandle
    /// ORT's default CPU allocator; owned by ORT, never released.
    let allocator: OrtHandle
    /// CPU memory info used to wrap Swift-owned buffers as tensors.
    let cpuMemoryInfo: OrtHandle

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: OrtLibrary] = [:]

    /// Finds and loads ORT (see ``OrtLibraryLocator``), reusing an already loaded library.
    ///
    /// - Throws: ``RuntimeError/libraryNotFound(searched:)`` when nothing is found,
    ///   ``RuntimeError/libraryUnusable(path:reason:)`` when the file is not a usable ORT.
    public static func load(explicitPath: String? = nil,
                            locator: OrtLibraryLocator? = nil) throws -> OrtLibrary {
        let loc = locator ?? OrtLibraryLocator(explicitPath: explicitPath)
        switch loc.locate() {
        case .found(let c): return try load(candidate: c)
        case .explicitMissing(let p, let source):
            throw RuntimeError.libraryUnusable(path: p, reason: "no such file or no libonnxruntime in that directory (from \(source.rawValue))")
        case .notFound(let searched): throw RuntimeError.libraryNotFound(searched: searched)
        }
    }

    /// Loads a specific candidate (cached by resolved path).
    public static func load(candidate: OrtLibraryLocator.Candidate) throws -> OrtLibrary {
        let resolved = URL(fileURLWithPath: candidate.path).resolvingSymlinksInPath().path
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let lib = cache[resolved] { return lib }
        let lib = try OrtLibrary(path: resolved, source: candidate.source)
        cache[resolved] = lib
        return lib
    }

    private typealias GetApiBaseFn = @convention(c) () -> UnsafeRawPointer?
    private typealias GetApiFn = @convention(c) (UInt32) -> UnsafeRawPointer?
    private typealias GetVersionStringFn = @convention(c) () -> UnsafePointer<CChar>?

    private init(path: String, source: OrtLibraryLocator.Source, log: OrtLog = .shared) throws {
        self.path = path
        self.source = source
        // RTLD_LOCAL: two different ORT builds (CPU and OpenVINO wheels) may be loaded side by
        // side, and neither must resolve symbols against the other.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "dlopen failed"
            throw RuntimeError.libraryUnusable(path: path, reason: reason)
        }
        guard let sym = dlsym(handle, "OrtGetApiBase") else {
            throw RuntimeError.libraryUnusable(path: path, reason: "not an ONNX Runtime library (no OrtGetApiBase symbol)")
        }
        let getApiBase = unsafeBitCast(sym, to: GetApiBaseFn.self)
        guard let base = getApiBase() else {
            throw RuntimeError.libraryUnusable(path: path, reason: "OrtGetApiBase returned NULL")
        }
        let baseSlots = base.assumingMemoryBound(to: UnsafeRawPointer?.self)
        guard let getApiPtr = baseSlots[0], let versionPtr = baseSlots[1] else {
            throw RuntimeError.libraryUnusable(path: path, reason: "OrtApiBase is incomplete")
        }
        let getApi = unsafeBitCast(getApiPtr, to: GetApiFn.self)
        let getVersion = unsafeBitCast(versionPtr, to: GetVersionStringFn.self)
        version = getVersion().map { String(cString: $0) } ?? "unknown"

        // Ask first for the API version matching the library's minor release (API N ships in
        // ORT 1.N), so an older ORT is not asked for versions it will refuse with a stderr
        // notice each time; then walk down to the oldest we support.
        let parts = version.split(separator: ".").compactMap { UInt32($0) }
        var start = OrtAPI.maxKnownVersion
        if parts.count >= 2, parts[0] == 1 { start = min(start, max(parts[1], OrtAPI.minSupportedVersion)) }
        var table: UnsafeRawPointer?
        var chosen: UInt32 = 0
        var v = start
        while v >= OrtAPI.minSupportedVersion {
            if let t = getApi(v) { table = t; chosen = v; break }
            v -= 1
        }
        guard let table else {
            throw RuntimeError.libraryUnusable(
                path: path,
                reason: "ONNX Runtime \(version) is too old: onnxscope needs C API version \(OrtAPI.minSupportedVersion) (ORT 1.20) or newer")
        }
        apiVersion = chosen
        let api = OrtAPI(table: table, version: chosen)
        self.api = api

        var env: OrtHandle?
        // ORT's default logger writes to stderr, which would tear the explorer's screen and
        // puts color codes into the command line's output: every message goes to the store.
        self.log = log
        try api.check("onnxscope".withCString {
            api.CreateEnvWithCustomLogger(ortLogCallback, log.callbackParameter, log.level.rawValue, $0, &env)
        }, "creating the ORT environment")
        self.env = env!
        var alloc: OrtHandle?
        try api.check(api.GetAllocatorWithDefaultOptions(&alloc), "getting the default allocator")
        allocator = alloc!
        var mem: OrtHandle?
        // OrtArenaAllocator (1), OrtMemTypeDefault (0): what ORT's own samples use for CPU input.
        try api.check(api.CreateCpuMemoryInfo(1, 0, &mem), "creating CPU memory info")
        cpuMemoryInfo = mem!
    }

    /// Sets the lowest severity ORT reports, for sessions created from now on, and the
    /// store's filter. ORT formats every message at or above its level, so a low level costs
    /// time even when nothing is shown: the level is ORT's, not only the store's.
    public func setLogLevel(_ level: OrtLogLevel) throws {
        try api.check(api.UpdateEnvWithCustomLogLevel(env, level.rawValue), "setting ORT's log level")
        log.level = level
    }

    /// Providers compiled into this library (`GetAvailableProviders`), in ORT's order.
    public func availableProviders() throws -> [String] {
        var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try api.check(api.GetAvailableProviders(&list, &count), "listing providers")
        defer { _ = api.ReleaseAvailableProviders(list, count) }
        return (0..<Int(count)).compactMap { i in list?[i].map { String(cString: $0) } }
    }

    /// ORT's build description (`GetBuildInfoString`), e.g. git commit and build type.
    public var buildInfo: String {
        api.GetBuildInfoString().map { String(cString: $0) } ?? ""
    }

    /// Whether ORT can report its EP graph assignment (API 24 / ORT 1.24 and newer).
    public var supportsAssignmentInfo: Bool { api.Session_GetEpGraphAssignmentInfo != nil }

    /// Whether single runs can be profiled through their run options (API 25 / ORT 1.25 and
    /// newer; see ``PreparedRun/enableRunProfiling(prefix:)``).
    public var supportsRunProfiling: Bool { api.RunOptionsEnableProfiling != nil && api.RunOptionsDisableProfiling != nil }

    /// Frees a string ORT allocated with the default allocator.
    func free(_ p: UnsafeMutableRawPointer?) {
        guard let p else { return }
        _ = api.AllocatorFree(allocator, p)
    }
}
