import Foundation

/// One dimension of a session input or output as ORT reports it.
public enum SessionDim: Sendable, Equatable, CustomStringConvertible {
    case fixed(Int64)
    /// A named symbolic dimension (`batch`, `seq`).
    case symbolic(String)
    /// Dynamic with no name.
    case unknown

    public var description: String {
        switch self {
        case .fixed(let v): "\(v)"
        case .symbolic(let s): s
        case .unknown: "?"
        }
    }
}

/// Name and type of a session input or output.
public struct SessionIOInfo: Sendable, Equatable {
    public let name: String
    /// True for tensors; sequences/maps/optionals are listed but cannot be fed by onnxscope.
    public let isTensor: Bool
    public let elementType: TensorElementType
    public let dims: [SessionDim]
}

/// An ORT inference session, released when the Swift object dies.
public final class Session: @unchecked Sendable {
    public let library: OrtLibrary
    public let configuration: SessionConfiguration
    public let inputs: [SessionIOInfo]
    public let outputs: [SessionIOInfo]
    let handle: OrtHandle

    /// Opens a model file.
    public convenience init(modelPath: String, configuration: SessionConfiguration = .init(), library: OrtLibrary) throws {
        let options = try SessionOptionsHandle(configuration, library: library)
        var out: OrtHandle?
        try library.api.check(modelPath.withCString { library.api.CreateSession(library.env, $0, options.handle, &out) },
                              "creating a session for \(modelPath)")
        try self.init(handle: out!, configuration: configuration, library: library)
    }

    /// Opens a model from bytes in memory (quantized variants never touch disk).
    public convenience init(modelBytes: [UInt8], configuration: SessionConfiguration = .init(), library: OrtLibrary) throws {
        let options = try SessionOptionsHandle(configuration, library: library)
        var out: OrtHandle?
        try modelBytes.withUnsafeBytes { raw in
            try library.api.check(library.api.CreateSessionFromArray(library.env, raw.baseAddress, raw.count, options.handle, &out),
                                  "creating a session from \(raw.count) model bytes")
        }
        try self.init(handle: out!, configuration: configuration, library: library)
    }

    /// Opens a model file or bytes.
    public convenience init(source: ModelRunner.Source, configuration: SessionConfiguration = .init(), library: OrtLibrary) throws {
        switch source {
        case .path(let p): try self.init(modelPath: p, configuration: configuration, library: library)
        case .bytes(let b): try self.init(modelBytes: b, configuration: configuration, library: library)
        }
    }

    private init(handle: OrtHandle, configuration: SessionConfiguration, library: OrtLibrary) throws {
        self.handle = handle
        self.library = library
        self.configuration = configuration
        do {
            inputs = try Session.ioInfo(handle, library: library, inputs: true)
            outputs = try Session.ioInfo(handle, library: library, inputs: false)
        } catch {
            library.api.ReleaseSession(handle)
            throw error
        }
    }

    deinit { library.api.ReleaseSession(handle) }

    private static func ioInfo(_ session: OrtHandle, library: OrtLibrary, inputs: Bool) throws -> [SessionIOInfo] {
        let api = library.api
        var count = 0
        try api.check(inputs ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count))
        var result: [SessionIOInfo] = []
        for i in 0..<count {
            var namePtr: UnsafeMutablePointer<CChar>?
            try api.check(inputs ? api.SessionGetInputName(session, i, library.allocator, &namePtr)
                                 : api.SessionGetOutputName(session, i, library.allocator, &namePtr))
            let name = namePtr.map { String(cString: $0) } ?? ""
            library.free(namePtr)
            var typeInfo: OrtHandle?
            try api.check(inputs ? api.SessionGetInputTypeInfo(session, i, &typeInfo) : api.SessionGetOutputTypeInfo(session, i, &typeInfo))
            defer { api.ReleaseTypeInfo(typeInfo) }
            var onnxType: Int32 = 0
            try api.check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType))
            guard onnxType == 1 else {
                result.append(SessionIOInfo(name: name, isTensor: false, elementType: .undefined, dims: []))
                continue
            }
            // The tensor info is borrowed from the type info; do not release it.
            var tensorInfo: OrtHandle?
            try api.check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo))
            var type: Int32 = 0
            try api.check(api.GetTensorElementType(tensorInfo, &type))
            var rank = 0
            try api.check(api.GetDimensionsCount(tensorInfo, &rank))
            var dims = [Int64](repeating: 0, count: rank)
            try api.check(api.GetDimensions(tensorInfo, &dims, rank))
            var symbolic = [UnsafePointer<CChar>?](repeating: nil, count: rank)
            try api.check(api.GetSymbolicDimensions(tensorInfo, &symbolic, rank))
            let sd: [SessionDim] = (0..<rank).map { d in
                if dims[d] >= 0 { return .fixed(dims[d]) }
                if let s = symbolic[d].map({ String(cString: $0) }), !s.isEmpty { return .symbolic(s) }
                return .unknown
            }
            result.append(SessionIOInfo(name: name, isTensor: true, elementType: TensorElementType(rawValue: type) ?? .undefined, dims: sd))
        }
        return result
    }

    /// Runs the model once on host tensors and returns every output, copied out.
    public func run(_ feeds: [String: HostTensor]) throws -> [String: HostTensor] {
        let prepared = try PreparedRun(session: self, feeds: feeds)
        let values = try prepared.run()
        var result: [String: HostTensor] = [:]
        for (i, v) in values.enumerated() { result[outputs[i].name] = try v.toHostTensor() }
        return result
    }

    /// Ends profiling and returns the path of the JSON file ORT wrote.
    public func endProfiling() throws -> String {
        var out: UnsafeMutablePointer<CChar>?
        try library.api.check(library.api.SessionEndProfiling(handle, library.allocator, &out), "ending profiling")
        defer { library.free(out) }
        return out.map { String(cString: $0) } ?? ""
    }

    /// ORT's own report of which EP runs which original node, or nil when the library predates
    /// it (ORT < 1.24) or the session was created without `recordAssignment`.
    public func assignmentInfo() throws -> [AssignedSubgraph]? {
        let api = library.api
        guard configuration.recordAssignment,
              let getInfo = api.Session_GetEpGraphAssignmentInfo, let getEp = api.EpAssignedSubgraph_GetEpName,
              let getNodes = api.EpAssignedSubgraph_GetNodes, let nodeName = api.EpAssignedNode_GetName,
              let nodeDomain = api.EpAssignedNode_GetDomain, let nodeOp = api.EpAssignedNode_GetOperatorType
        else { return nil }
        var subgraphs: UnsafePointer<OrtHandle?>?
        var count = 0
        try api.check(getInfo(handle, &subgraphs, &count), "reading EP graph assignment")
        func str(_ f: (UnsafeMutablePointer<CStr?>) -> OrtHandle?) throws -> String {
            var s: CStr?
            try api.check(f(&s))
            return s.map { String(cString: $0) } ?? ""
        }
        var result: [AssignedSubgraph] = []
        for i in 0..<count {
            let sg = subgraphs![i]
            let ep = try str { getEp(sg, $0) }
            var nodes: UnsafePointer<OrtHandle?>?
            var n = 0
            try api.check(getNodes(sg, &nodes, &n))
            var list: [AssignedSubgraph.Node] = []
            for j in 0..<n {
                let node = nodes![j]
                list.append(.init(name: try str { nodeName(node, $0) }, domain: try str { nodeDomain(node, $0) },
                                  opType: try str { nodeOp(node, $0) }))
            }
            result.append(AssignedSubgraph(index: i, provider: ep, nodes: list))
        }
        return result
    }
}

/// One subgraph ORT assigned to an execution provider (ORT ≥ 1.24), in ORT's order.
public struct AssignedSubgraph: Sendable, Equatable {
    /// Original model node as ORT names it.
    public struct Node: Sendable, Equatable, Hashable {
        public let name: String
        public let domain: String
        public let opType: String
    }
    /// Position in ORT's list; onnxscope's partition number.
    public let index: Int
    /// Provider name, e.g. "OpenVINOExecutionProvider".
    public let provider: String
    public let nodes: [Node]
}

/// `OrtSessionOptions` built from a ``SessionConfiguration``; lives only while a session is
/// created.
final class SessionOptionsHandle {
    let library: OrtLibrary
    let handle: OrtHandle

    init(_ c: SessionConfiguration, library: OrtLibrary) throws {
        self.library = library
        let api = library.api
        var h: OrtHandle?
        try api.check(api.CreateSessionOptions(&h), "creating session options")
        handle = h!
        if let t = c.intraOpThreads { try api.check(api.SetIntraOpNumThreads(handle, Int32(t)), "setting intra-op threads") }
        if let t = c.interOpThreads { try api.check(api.SetInterOpNumThreads(handle, Int32(t)), "setting inter-op threads") }
        try api.check(api.SetSessionGraphOptimizationLevel(handle, c.optimizationLevel.rawValue), "setting the optimization level")
        if let level = c.logLevel {
            try api.check(api.SetSessionLogSeverityLevel(handle, level.rawValue), "setting the session's log level")
        }
        for (name, value) in c.freeDimensionOverrides.sorted(by: { $0.key < $1.key }) {
            try api.check(name.withCString { api.AddFreeDimensionOverrideByName(handle, $0, value) }, "overriding dimension \(name)")
        }
        if let prefix = c.profilingPrefix {
            try api.check(prefix.withCString { api.EnableProfiling(handle, $0) }, "enabling profiling")
        }
        if let path = c.optimizedModelPath {
            try api.check(path.withCString { api.SetOptimizedModelFilePath(handle, $0) }, "setting the optimized model path")
        }
        var entries = c.configEntries
        if c.recordAssignment && library.supportsAssignmentInfo {
            entries.insert(("session.record_ep_graph_assignment_info", "1"), at: 0)
        }
        if !c.cpuFallback { entries.insert(("session.disable_cpu_ep_fallback", "1"), at: 0) }
        for (k, v) in entries {
            try api.check(k.withCString { kp in v.withCString { api.AddSessionConfigEntry(handle, kp, $0) } }, "setting \(k)=\(v)")
        }
        for ep in c.providers where !ep.isCPU {
            let keys = ep.options.map { strdup($0.key) }
            let values = ep.options.map { strdup($0.value) }
            defer { (keys + values).forEach { free($0) } }
            let kp: [CStr?] = keys.map { UnsafePointer($0) }
            let vp: [CStr?] = values.map { UnsafePointer($0) }
            try api.check(ep.name.withCString { api.SessionOptionsAppendExecutionProvider(handle, $0, kp, vp, kp.count) },
                          "adding execution provider \(ep)")
        }
    }

    deinit { library.api.ReleaseSessionOptions(handle) }
}

/// Inputs bound once, then run many times: the timed loop does nothing but call `Run` and
/// release the outputs, so onnxscope's latency is ORT's latency.
public final class PreparedRun: @unchecked Sendable {
    public let session: Session
    private let inputValues: [OrtValue]
    private let inputHandles: [OrtHandle?]
    private let inputNames: [UnsafeMutablePointer<CChar>?]
    private let outputNames: [UnsafeMutablePointer<CChar>?]
    private let runOptions: OrtHandle

    /// Converts `feeds` to ORT values. Every session input must be present.
    public init(session: Session, feeds: [String: HostTensor]) throws {
        self.session = session
        let lib = session.library
        var values: [OrtValue] = []
        for info in session.inputs {
            guard let t = feeds[info.name] else {
                throw RuntimeError.invalidInput("no value for model input '\(info.name)'")
            }
            if info.isTensor, info.elementType != t.elementType {
                throw RuntimeError.invalidInput("input '\(info.name)' is \(info.elementType) but the given tensor is \(t.elementType)")
            }
            values.append(try OrtValue(t, library: lib))
        }
        let unknown = Set(feeds.keys).subtracting(session.inputs.map(\.name))
        if !unknown.isEmpty {
            throw RuntimeError.invalidInput("model has no input named \(unknown.sorted().joined(separator: ", ")); inputs are \(session.inputs.map(\.name).joined(separator: ", "))")
        }
        inputValues = values
        inputHandles = values.map { $0.handle }
        inputNames = session.inputs.map { strdup($0.name) }
        outputNames = session.outputs.map { strdup($0.name) }
        var ro: OrtHandle?
        try lib.api.check(lib.api.CreateRunOptions(&ro), "creating run options")
        runOptions = ro!
    }

    deinit {
        (inputNames + outputNames).forEach { free($0) }
        session.library.api.ReleaseRunOptions(runOptions)
    }

    /// Profiles the runs that follow, until ``disableRunProfiling()``, each into a file of its
    /// own, `<prefix>_<timestamp>.json` (ORT ≥ 1.25, `RunOptionsEnableProfiling`). ORT ignores
    /// the request, with a warning, when the session itself profiles (``SessionConfiguration/profilingPrefix``).
    ///
    /// - Throws: ``RuntimeError/unsupported(_:)`` on an older ORT.
    public func enableRunProfiling(prefix: String) throws {
        let lib = session.library
        guard let enable = lib.api.RunOptionsEnableProfiling else {
            throw RuntimeError.unsupported("run-level profiling needs ONNX Runtime 1.25 or newer (this is \(lib.version))")
        }
        try lib.api.check(prefix.withCString { enable(runOptions, $0) }, "enabling run-level profiling")
    }

    /// Stops profiling runs started with ``enableRunProfiling(prefix:)``.
    public func disableRunProfiling() throws {
        let lib = session.library
        guard let disable = lib.api.RunOptionsDisableProfiling else { return }
        try lib.api.check(disable(runOptions), "disabling run-level profiling")
    }

    /// Runs once; outputs in the session's output order.
    public func run() throws -> [OrtValue] {
        let api = session.library.api
        var outs = [OrtHandle?](repeating: nil, count: outputNames.count)
        try inputNames.withUnsafeBufferPointer { inNames in
            try outputNames.withUnsafeBufferPointer { outNames in
                try api.check(api.Run(session.handle, runOptions,
                                      inNames.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CStr?.self) },
                                      inputHandles, inputHandles.count,
                                      outNames.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CStr?.self) },
                                      outNames.count, &outs), "running the model")
            }
        }
        return outs.map { OrtValue(library: session.library, handle: $0!) }
    }

    /// Runs once and drops the outputs; returns the wall time of the `Run` call in nanoseconds.
    @discardableResult
    public func timedRun() throws -> UInt64 {
        let api = session.library.api
        var outs = [OrtHandle?](repeating: nil, count: outputNames.count)
        let start = DispatchTime.now().uptimeNanoseconds
        let status = inputNames.withUnsafeBufferPointer { inNames in
            outputNames.withUnsafeBufferPointer { outNames in
                api.Run(session.handle, runOptions,
                        inNames.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CStr?.self) },
                        inputHandles, inputHandles.count,
                        outNames.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CStr?.self) },
                        outNames.count, &outs)
            }
        }
        for o in outs { api.ReleaseValue(o) }
        let end = DispatchTime.now().uptimeNanoseconds
        try api.check(status, "running the model")
        return end - start
    }
}
