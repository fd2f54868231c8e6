import Foundation

/// `ModelProto`: the root of an ONNX file.
public struct Model: Sendable, Equatable {
    public var irVersion: Int64 = 0
    public var presence = FieldPresence()
    public var producerName: String = ""
    public var producerVersion: String = ""
    public var domain: String = ""
    public var modelVersion: Int64 = 0
    public var docString: String = ""
    public var graph = Graph()
    public var opsetImports: [OperatorSetId] = []
    public var metadataProps: [StringStringEntry] = []
    public var trainingInfo: [TrainingInfo] = []
    public var functions: [Function] = []
    /// Kept as unknown fields: `configuration` (field 26) and anything newer.
    public var unknownFields = UnknownFields()

    /// Folder that relative external-data locations resolve against (not serialized).
    public var baseDirectory: String?

    public init(irVersion: Int64 = 8, opsetImports: [OperatorSetId] = [OperatorSetId(version: 17)], graph: Graph = Graph()) {
        self.irVersion = irVersion; self.opsetImports = opsetImports; self.graph = graph
    }

    /// The opset version imported for `domain` (`""` and `"ai.onnx"` are the same domain).
    public func opsetVersion(for domain: String) -> Int64? {
        let d = domain == "ai.onnx" ? "" : domain
        return opsetImports.first { ($0.domain == "ai.onnx" ? "" : $0.domain) == d }?.version
    }

    public static func == (a: Model, b: Model) -> Bool {
        a.irVersion == b.irVersion && a.producerName == b.producerName && a.producerVersion == b.producerVersion
            && a.domain == b.domain && a.modelVersion == b.modelVersion && a.docString == b.docString && a.graph == b.graph
            && a.opsetImports == b.opsetImports && a.metadataProps == b.metadataProps && a.trainingInfo == b.trainingInfo
            && a.functions == b.functions && a.unknownFields == b.unknownFields
    }
}

/// Why a file could not be opened as an ONNX model.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    /// True when the file could not be opened at all (missing, unreadable, a folder), as
    /// opposed to bytes that are not a valid model.
    public var isFileProblem = false
    public var description: String { "cannot read \(path): \(reason)" }
}

extension Model {
    /// Opens an ONNX file by mapping it; tensor data is not read or copied.
    public static func load(path: String) throws -> Model {
        let storage: ByteStorage
        do { storage = try MappedFile.map(path: path) } catch let e as FileError {
            throw ModelLoadError(path: path, reason: e.reason, isFileProblem: true)
        }
        do {
            var m = try decode(ByteSlice(storage: storage, offset: 0, count: storage.count))
            m.baseDirectory = (URL(fileURLWithPath: path).deletingLastPathComponent().path)
            return m
        } catch let e as WireError {
            throw ModelLoadError(path: path, reason: e.description)
        } catch let e as ModelFormatError {
            throw ModelLoadError(path: path, reason: e.description)
        }
    }

    /// Decodes model bytes; the model keeps references into `bytes`.
    public static func decode(_ bytes: ByteSlice) throws -> Model {
        if bytes.count == 0 { throw ModelFormatError("the file is empty") }
        var r = WireReader(bytes)
        do {
            let m = try Model(reading: &r)
            try m.checkLooksLikeModel()
            return m
        } catch WireError.wrongWireType(let f, let got, "ModelProto", let o) {
            // Another kind of protobuf (a TensorProto .pb, say) fails on its very first fields.
            throw ModelFormatError("not an ONNX model: top-level field \(f) has wire type \(got) at byte \(o), which ModelProto does not allow")
        }
    }

    public static func decode(_ bytes: [UInt8]) throws -> Model { try decode(ByteSlice(bytes)) }

    /// The model as ONNX protobuf bytes.
    public func serialized() -> [UInt8] {
        var w = WireWriter(reservingCapacity: 1 << 16)
        write(to: &w)
        return w.bytes
    }

    /// Writes the model to `path` atomically (a temporary file renamed into place), so a
    /// failure never leaves a half-written file and never touches an existing one until done.
    public func write(to path: String) throws {
        try AtomicFile.write(serialized(), to: path)
    }

    /// A valid protobuf that is not a model (a TensorProto, say) decodes without error but
    /// has nothing a model must have; say so instead of showing an empty graph.
    func checkLooksLikeModel() throws {
        if irVersion <= 0 && opsetImports.isEmpty && graph.nodes.isEmpty && graph.inputs.isEmpty && graph.outputs.isEmpty {
            throw ModelFormatError("not an ONNX model: no ir_version, opset_import or graph")
        }
        if irVersion <= 0 { throw ModelFormatError("ir_version is missing") }
    }

    init(reading r: inout WireReader) throws {
        self.init(irVersion: 0, opsetImports: [])
        let m = "ModelProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: irVersion = try r.int64(f, in: m)
            case 2: producerName = try r.string(f, in: m)
            case 3: producerVersion = try r.string(f, in: m)
            case 4: domain = try r.string(f, in: m)
            case 5: modelVersion = try r.int64(f, in: m)
            case 6: docString = try r.string(f, in: m)
            case 7: var s = try r.message(f, in: m); graph = try Graph(reading: &s)
            case 8: var s = try r.message(f, in: m); opsetImports.append(try OperatorSetId(reading: &s))
            case 14: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            case 20: var s = try r.message(f, in: m); trainingInfo.append(try TrainingInfo(reading: &s))
            case 25: var s = try r.message(f, in: m); functions.append(try Function(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.int64(1, irVersion, always: presence.contains(1))
        w.string(2, producerName, always: presence.contains(2))
        w.string(3, producerVersion, always: presence.contains(3))
        w.string(4, domain, always: presence.contains(4))
        w.int64(5, modelVersion, always: presence.contains(5))
        w.string(6, docString, always: presence.contains(6))
        w.message(7) { graph.write(to: &$0) }
        for o in opsetImports { w.message(8) { o.write(to: &$0) } }
        w.entries(14, metadataProps)
        for t in trainingInfo { w.message(20) { t.write(to: &$0) } }
        for f in functions { w.message(25) { f.write(to: &$0) } }
        unknownFields.write(to: &w)
    }
}

/// A model that decodes as protobuf but breaks ONNX's rules.
public struct ModelFormatError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ d: String) { description = d }
}
