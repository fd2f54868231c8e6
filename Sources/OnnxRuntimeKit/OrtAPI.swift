// The slice of ORT's `OrtApi` function table that onnxscope calls, declared by hand.
//
// There is no ORT header in the build: the table is an append-only array of C function
// pointers (see ../shared/reference/ort-c-api-slots.md), so each function we use is a slot
// number plus a `@convention(c)` type. Keeping every slot in this one file means a reviewer can
// check the whole binding against the slot table in one sitting.

/// Raw pointer to an ORT C object (`OrtEnv*`, `OrtSession*`, `OrtStatus*`, ...). ORT's handle
/// types are all opaque, so one Swift type is enough.
public typealias OrtHandle = OpaquePointer

typealias CStr = UnsafePointer<CChar>
typealias OutHandle = UnsafeMutablePointer<OrtHandle?>

/// `OrtLoggingFunction`: `(param, severity, category, logid, code_location, message)`.
typealias OrtLoggingFunction = @convention(c) (UnsafeMutableRawPointer?, Int32, CStr?, CStr?, CStr?, CStr?) -> Void

/// Typed function pointers for the `OrtApi` slots onnxscope uses.
///
/// Built once per loaded library. Slots newer than the negotiated API version are `nil`, so a
/// feature that needs them degrades instead of calling into a table that is too short.
struct OrtAPI: @unchecked Sendable {
    /// The highest `OrtApi` version this binding knows the layout of (slot table up to slot 425).
    static let maxKnownVersion: UInt32 = 30
    /// The oldest API version we accept: ORT 1.20.
    static let minSupportedVersion: UInt32 = 20

    /// Last slot index of each API version (from the slot table), used to know whether a slot
    /// exists in the table ORT handed us.
    static func lastSlot(ofVersion v: UInt32) -> Int {
        switch v {
        case ..<20: return 279
        case 20, 21: return 284
        case 22: return 317
        case 23: return 389
        case 24: return 414
        case 25, 26: return 418
        case 27: return 421
        case 28: return 423
        case 29: return 424
        default: return 425
        }
    }

    let version: UInt32

    // Status (slots 1, 2, 93)
    let GetErrorCode: @convention(c) (OrtHandle?) -> Int32
    let GetErrorMessage: @convention(c) (OrtHandle?) -> CStr?
    let ReleaseStatus: @convention(c) (OrtHandle?) -> Void

    // Env (4, 92, 226)
    let CreateEnvWithCustomLogger: @convention(c) (OrtLoggingFunction?, UnsafeMutableRawPointer?, Int32, CStr?, OutHandle?) -> OrtHandle?
    let ReleaseEnv: @convention(c) (OrtHandle?) -> Void
    let UpdateEnvWithCustomLogLevel: @convention(c) (OrtHandle?, Int32) -> OrtHandle?

    // Sessions (7, 8, 9, 95)
    let CreateSession: @convention(c) (OrtHandle?, CStr?, OrtHandle?, OutHandle?) -> OrtHandle?
    let CreateSessionFromArray: @convention(c) (OrtHandle?, UnsafeRawPointer?, Int, OrtHandle?, OutHandle?) -> OrtHandle?
    let Run: @convention(c) (OrtHandle?, OrtHandle?, UnsafePointer<CStr?>?, UnsafePointer<OrtHandle?>?, Int,
                             UnsafePointer<CStr?>?, Int, UnsafeMutablePointer<OrtHandle?>?) -> OrtHandle?
    let ReleaseSession: @convention(c) (OrtHandle?) -> Void

    // Session options (10, 11, 13, 14, 22, 23, 24, 25, 100, 124, 130, 216)
    let CreateSessionOptions: @convention(c) (OutHandle?) -> OrtHandle?
    let SetOptimizedModelFilePath: @convention(c) (OrtHandle?, CStr?) -> OrtHandle?
    let SetSessionExecutionMode: @convention(c) (OrtHandle?, Int32) -> OrtHandle?
    let EnableProfiling: @convention(c) (OrtHandle?, CStr?) -> OrtHandle?
    let SetSessionLogSeverityLevel: @convention(c) (OrtHandle?, Int32) -> OrtHandle?
    let SetSessionGraphOptimizationLevel: @convention(c) (OrtHandle?, Int32) -> OrtHandle?
    let SetIntraOpNumThreads: @convention(c) (OrtHandle?, Int32) -> OrtHandle?
    let SetInterOpNumThreads: @convention(c) (OrtHandle?, Int32) -> OrtHandle?
    let ReleaseSessionOptions: @convention(c) (OrtHandle?) -> Void
    let AddFreeDimensionOverrideByName: @convention(c) (OrtHandle?, CStr?, Int64) -> OrtHandle?
    let AddSessionConfigEntry: @convention(c) (OrtHandle?, CStr?, CStr?) -> OrtHandle?
    let SessionOptionsAppendExecutionProvider: @convention(c) (OrtHandle?, CStr?, UnsafePointer<CStr?>?, UnsafePointer<CStr?>?, Int) -> OrtHandle?

    // Session introspection (30, 31, 33, 34, 36, 37)
    let SessionGetInputCount: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int>?) -> OrtHandle?
    let SessionGetOutputCount: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int>?) -> OrtHandle?
    let SessionGetInputTypeInfo: @convention(c) (OrtHandle?, Int, OutHandle?) -> OrtHandle?
    let SessionGetOutputTypeInfo: @convention(c) (OrtHandle?, Int, OutHandle?) -> OrtHandle?
    let SessionGetInputName: @convention(c) (OrtHandle?, Int, OrtHandle?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OrtHandle?
    let SessionGetOutputName: @convention(c) (OrtHandle?, Int, OrtHandle?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OrtHandle?

    // Run options (39, 97)
    let CreateRunOptions: @convention(c) (OutHandle?) -> OrtHandle?
    let ReleaseRunOptions: @convention(c) (OrtHandle?) -> Void

    // Values and tensors (48, 49, 51, 52, 53, 54, 65, 67, 96)
    let CreateTensorAsOrtValue: @convention(c) (OrtHandle?, UnsafePointer<Int64>?, Int, Int32, OutHandle?) -> OrtHandle?
    let CreateTensorWithDataAsOrtValue: @convention(c) (OrtHandle?, UnsafeMutableRawPointer?, Int, UnsafePointer<Int64>?, Int, Int32, OutHandle?) -> OrtHandle?
    let GetTensorMutableData: @convention(c) (OrtHandle?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> OrtHandle?
    let FillStringTensor: @convention(c) (OrtHandle?, UnsafePointer<CStr?>?, Int) -> OrtHandle?
    let GetStringTensorDataLength: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int>?) -> OrtHandle?
    let GetStringTensorContent: @convention(c) (OrtHandle?, UnsafeMutableRawPointer?, Int, UnsafeMutablePointer<Int>?, Int) -> OrtHandle?
    let GetTensorTypeAndShape: @convention(c) (OrtHandle?, OutHandle?) -> OrtHandle?
    let GetValueType: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int32>?) -> OrtHandle?
    let ReleaseValue: @convention(c) (OrtHandle?) -> Void

    // Type info (55, 56, 60, 61, 62, 63, 98, 99)
    let CastTypeInfoToTensorInfo: @convention(c) (OrtHandle?, OutHandle?) -> OrtHandle?
    let GetOnnxTypeFromTypeInfo: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int32>?) -> OrtHandle?
    let GetTensorElementType: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int32>?) -> OrtHandle?
    let GetDimensionsCount: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int>?) -> OrtHandle?
    let GetDimensions: @convention(c) (OrtHandle?, UnsafeMutablePointer<Int64>?, Int) -> OrtHandle?
    let GetSymbolicDimensions: @convention(c) (OrtHandle?, UnsafeMutablePointer<CStr?>?, Int) -> OrtHandle?
    let ReleaseTypeInfo: @convention(c) (OrtHandle?) -> Void
    let ReleaseTensorTypeAndShapeInfo: @convention(c) (OrtHandle?) -> Void

    // Memory (69, 76, 78, 94)
    let CreateCpuMemoryInfo: @convention(c) (Int32, Int32, OutHandle?) -> OrtHandle?
    let AllocatorFree: @convention(c) (OrtHandle?, UnsafeMutableRawPointer?) -> OrtHandle?
    let GetAllocatorWithDefaultOptions: @convention(c) (OutHandle?) -> OrtHandle?
    let ReleaseMemoryInfo: @convention(c) (OrtHandle?) -> Void

    // Profiling (110)
    let SessionEndProfiling: @convention(c) (OrtHandle?, OrtHandle?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OrtHandle?

    // Providers and build info (125, 126, 254)
    let GetAvailableProviders: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?, UnsafeMutablePointer<Int32>?) -> OrtHandle?
    let ReleaseAvailableProviders: @convention(c) (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32) -> OrtHandle?
    let GetBuildInfoString: @convention(c) () -> CStr?

    // EP graph assignment (407..412, API 24); nil on older libraries.
    let Session_GetEpGraphAssignmentInfo: (@convention(c) (OrtHandle?, UnsafeMutablePointer<UnsafePointer<OrtHandle?>?>?, UnsafeMutablePointer<Int>?) -> OrtHandle?)?
    let EpAssignedSubgraph_GetEpName: (@convention(c) (OrtHandle?, UnsafeMutablePointer<CStr?>?) -> OrtHandle?)?
    let EpAssignedSubgraph_GetNodes: (@convention(c) (OrtHandle?, UnsafeMutablePointer<UnsafePointer<OrtHandle?>?>?, UnsafeMutablePointer<Int>?) -> OrtHandle?)?
    let EpAssignedNode_GetName: (@convention(c) (OrtHandle?, UnsafeMutablePointer<CStr?>?) -> OrtHandle?)?
    let EpAssignedNode_GetDomain: (@convention(c) (OrtHandle?, UnsafeMutablePointer<CStr?>?) -> OrtHandle?)?
    let EpAssignedNode_GetOperatorType: (@convention(c) (OrtHandle?, UnsafeMutablePointer<CStr?>?) -> OrtHandle?)?

    // Run-level profiling (415, 416, API 25 / ORT 1.25); nil on older libraries.
    let RunOptionsEnableProfiling: (@convention(c) (OrtHandle?, CStr?) -> OrtHandle?)?
    let RunOptionsDisableProfiling: (@convention(c) (OrtHandle?) -> OrtHandle?)?

    /// Reads the slots from the table `GetApi(version)` returned.
    init(table: UnsafeRawPointer, version: UInt32) {
        self.version = version
        let last = OrtAPI.lastSlot(ofVersion: version)
        let slots = table.assumingMemoryBound(to: UnsafeRawPointer?.self)
        func fn<T>(_ i: Int, _: T.Type = T.self) -> T {
            precondition(i <= last, "slot \(i) is beyond API \(version)")
            guard let p = slots[i] else { fatalError("ORT left slot \(i) empty") }
            return unsafeBitCast(p, to: T.self)
        }
        func optional<T>(_ i: Int, _: T.Type = T.self) -> T? {
            guard i <= last, let p = slots[i] else { return nil }
            return unsafeBitCast(p, to: T.self)
        }
        GetErrorCode = fn(1); GetErrorMessage = fn(2); ReleaseStatus = fn(93)
        CreateEnvWithCustomLogger = fn(4); ReleaseEnv = fn(92); UpdateEnvWithCustomLogLevel = fn(226)
        CreateSession = fn(7); CreateSessionFromArray = fn(8); Run = fn(9); ReleaseSession = fn(95)
        CreateSessionOptions = fn(10); SetOptimizedModelFilePath = fn(11); SetSessionExecutionMode = fn(13)
        EnableProfiling = fn(14); SetSessionLogSeverityLevel = fn(22); SetSessionGraphOptimizationLevel = fn(23)
        SetIntraOpNumThreads = fn(24); SetInterOpNumThreads = fn(25); ReleaseSessionOptions = fn(100)
        AddFreeDimensionOverrideByName = fn(124); AddSessionConfigEntry = fn(130)
        SessionOptionsAppendExecutionProvider = fn(216)
        SessionGetInputCount = fn(30); SessionGetOutputCount = fn(31)
        SessionGetInputTypeInfo = fn(33); SessionGetOutputTypeInfo = fn(34)
        SessionGetInputName = fn(36); SessionGetOutputName = fn(37)
        CreateRunOptions = fn(39); ReleaseRunOptions = fn(97)
        CreateTensorAsOrtValue = fn(48); CreateTensorWithDataAsOrtValue = fn(49); GetTensorMutableData = fn(51)
        FillStringTensor = fn(52); GetStringTensorDataLength = fn(53); GetStringTensorContent = fn(54)
        GetTensorTypeAndShape = fn(65); GetValueType = fn(67); ReleaseValue = fn(96)
        CastTypeInfoToTensorInfo = fn(55); GetOnnxTypeFromTypeInfo = fn(56); GetTensorElementType = fn(60)
        GetDimensionsCount = fn(61); GetDimensions = fn(62); GetSymbolicDimensions = fn(63)
        ReleaseTypeInfo = fn(98); ReleaseTensorTypeAndShapeInfo = fn(99)
        CreateCpuMemoryInfo = fn(69); AllocatorFree = fn(76); GetAllocatorWithDefaultOptions = fn(78)
        ReleaseMemoryInfo = fn(94)
        SessionEndProfiling = fn(110)
        GetAvailableProviders = fn(125); ReleaseAvailableProviders = fn(126); GetBuildInfoString = fn(254)
        Session_GetEpGraphAssignmentInfo = optional(407)
        EpAssignedSubgraph_GetEpName = optional(408)
        EpAssignedSubgraph_GetNodes = optional(409)
        EpAssignedNode_GetName = optional(410)
        EpAssignedNode_GetDomain = optional(411)
        EpAssignedNode_GetOperatorType = optional(412)
        RunOptionsEnableProfiling = optional(415)
        RunOptionsDisableProfiling = optional(416)
    }

    /// Turns a returned `OrtStatus*` into a thrown ``OrtError`` (and frees the status).
    @inline(__always)
    func check(_ status: OrtHandle?, _ context: @autoclosure () -> String = "") throws {
        guard let status else { return }
        let code = GetErrorCode(status)
        let message = GetErrorMessage(status).map { String(cString: $0) } ?? "(no message)"
        ReleaseStatus(status)
        throw OrtError(code: OrtErrorCode(rawValue: code) ?? .fail, message: message, context: context())
    }
}
