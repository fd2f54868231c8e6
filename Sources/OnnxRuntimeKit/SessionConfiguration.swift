/// ORT's graph optimization levels (`GraphOptimizationLevel`).
public enum GraphOptimizationLevel: Int32, Sendable, CaseIterable {
    case disableAll = 0, basic = 1, extended = 2, layout = 3, all = 99

    /// Parses `0|1|2|3|99` or `disable|basic|extended|layout|all`.
    public init?(parsing s: String) {
        switch s.lowercased() {
        case "0", "disable", "disable_all", "none": self = .disableAll
        case "1", "basic": self = .basic
        case "2", "extended": self = .extended
        case "3", "layout": self = .layout
        case "99", "all": self = .all
        default: return nil
        }
    }

    /// `disable`, `basic`, `extended`, `layout` or `all`, as ``init(parsing:)`` reads them.
    public var name: String {
        switch self {
        case .disableAll: return "disable"
        case .basic: return "basic"
        case .extended: return "extended"
        case .layout: return "layout"
        case .all: return "all"
        }
    }
}

/// Everything that shapes a session, as a plain value so the UI can keep one per model variant
/// and the command line can build one from flags.
public struct SessionConfiguration: Sendable {
    /// Intra-op threads; nil lets ORT choose (one per physical core).
    public var intraOpThreads: Int?
    /// Inter-op threads (only used in parallel execution mode); nil lets ORT choose.
    public var interOpThreads: Int?
    public var optimizationLevel: GraphOptimizationLevel = .all
    /// Providers in priority order; CPU is always ORT's last resort and need not be listed.
    public var providers: [ExecutionProviderSpec] = []
    /// When false, sets `session.disable_cpu_ep_fallback` so ORT fails instead of quietly
    /// running unsupported nodes on CPU.
    public var cpuFallback = true
    /// Values for symbolic dimensions (`AddFreeDimensionOverrideByName`).
    public var freeDimensionOverrides: [String: Int64] = [:]
    /// When set, ORT profiles every run into `<prefix>_<timestamp>.json`.
    public var profilingPrefix: String?
    /// Record which EP runs which node (ORT ≥ 1.24; ignored on older builds).
    public var recordAssignment = true
    /// Where ORT should write the optimized model (not possible with compiling EPs).
    public var optimizedModelPath: String?
    /// Lowest severity this session's logger reports; nil follows the environment's level
    /// (``OrtLibrary/setLogLevel(_:)``).
    public var logLevel: OrtLogLevel?
    /// Extra session config entries, applied last.
    public var configEntries: [(key: String, value: String)] = []

    public init() {}
}
