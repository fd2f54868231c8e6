import Foundation
import OnnxModel

/// A model built in memory (an int8 variant, say), in the form ORT can open and a file can
/// hold: its protobuf bytes, or — when its tensors pass protobuf's 2 GB limit, which neither
/// ORT nor `onnx` can parse past — a private temporary folder holding the model with its
/// tensors in an external-data file.
///
/// Sessions open whichever form there is; ``write(to:)`` writes the same form to its final
/// place (`OUT.onnx`, plus `OUT.onnx.data` past the limit), model last, so a reader never sees
/// a model pointing at data that is not there yet.
public final class ModelImage: @unchecked Sendable {
    /// Protobuf's limit on one message: 2 GiB − 1 byte.
    public static let protobufLimit = Int(Int32.max)
    /// Room left below the limit for everything that is not tensor data (nodes, names, shapes).
    public static let structureAllowance = 64 << 20

    public let model: Model
    /// The serialized model when it fits in one protobuf message.
    public let bytes: [UInt8]?
    /// The temporary folder and model path otherwise (removed with this image).
    public let temporaryDirectory: String?
    public let temporaryPath: String?
    /// Bytes of the model file, plus its external data when it has some.
    public let byteCount: Int

    /// Serializes `model`, or writes it with external data to a temporary folder when its
    /// inline tensors pass `limit` bytes (protobuf's, less room for the graph, by default).
    public init(_ model: Model, limit: Int = ModelImage.protobufLimit - ModelImage.structureAllowance) throws {
        self.model = model
        if model.inlineTensorBytes <= limit {
            let b = model.serialized()
            bytes = b; temporaryDirectory = nil; temporaryPath = nil; byteCount = b.count
            return
        }
        var template = Array((NSTemporaryDirectory() + "/onnxscope-model-XXXXXX").utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw FileError(path: NSTemporaryDirectory(), reason: "cannot create a temporary folder for a model over 2 GB: \(String(cString: strerror(errno)))")
        }
        let dir = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        Self.temporary.insert(dir)
        let path = dir + "/model.onnx"
        do {
            try writeWithExternalData(model: model, to: path, dataFileName: "model.onnx.data")
        } catch {
            try? FileManager.default.removeItem(atPath: dir)
            Self.temporary.remove(dir)
            throw error
        }
        bytes = nil; temporaryDirectory = dir; temporaryPath = path
        byteCount = Self.fileSize(path) + Self.fileSize(path + ".data")
    }

    deinit {
        if let temporaryDirectory {
            try? FileManager.default.removeItem(atPath: temporaryDirectory)
            Self.temporary.remove(temporaryDirectory)
        }
    }

    /// Removes every temporary folder images still hold: for a process about to `exit` (Ctrl-C),
    /// where no deinit runs and each folder can hold gigabytes.
    public static func removeTemporaryFiles() {
        for dir in temporary.drain() { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// The temporary folders of live images.
    private static let temporary = FolderSet()

    private final class FolderSet: @unchecked Sendable {
        private var folders = Set<String>()
        private let lock = NSLock()
        func insert(_ d: String) { lock.lock(); folders.insert(d); lock.unlock() }
        func remove(_ d: String) { lock.lock(); folders.remove(d); lock.unlock() }
        func drain() -> Set<String> { lock.lock(); defer { folders = []; lock.unlock() }; return folders }
    }

    /// True when the model lives in a file with external data (it passed the limit).
    public var hasExternalData: Bool { bytes == nil }

    /// What ``ModelRunner`` and sessions open.
    public var source: ModelRunner.Source { bytes.map { .bytes($0) } ?? .path(temporaryPath!) }

    /// A session on this model.
    public func session(configuration: SessionConfiguration, library: OrtLibrary) throws -> Session {
        try Session(source: source, configuration: configuration, library: library)
    }

    /// The name of the external-data file written beside `path`, when there is one.
    public static func dataFileName(for path: String) -> String { (path as NSString).lastPathComponent + ".data" }

    /// Writes the model to `path` atomically; past the limit its tensors go to
    /// ``dataFileName(for:)`` in the same folder, written and renamed into place first.
    /// - Returns: the external-data file's path, when one was written.
    @discardableResult
    public func write(to path: String) throws -> String? {
        if let bytes { try AtomicFile.write(bytes, to: path); return nil }
        let name = Self.dataFileName(for: path)
        try writeWithExternalData(model: model, to: path, dataFileName: name)
        return (path as NSString).deletingLastPathComponent.isEmpty ? name : (path as NSString).deletingLastPathComponent + "/" + name
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

extension Model {
    /// Bytes of tensor data held inside the model (initializers of every graph and `Constant`
    /// values; external data not counted): what decides whether it fits one protobuf message.
    public var inlineTensorBytes: Int {
        var n = 0
        for g in graph.withSubgraphs {
            for t in g.initializers where !t.isExternal { n += t.inlineByteCount }
            for node in g.nodes { for a in node.attributes { if let t = a.t { n += t.inlineByteCount } } }
        }
        return n
    }

    /// Bytes of tensor data the model keeps in external-data files (what its file size leaves out).
    public var externalTensorBytes: Int {
        var n = 0
        for g in graph.withSubgraphs {
            for t in g.initializers where t.isExternal {
                if let ref = try? ExternalDataReference(t), let length = ref.length { n += Int(length) }
                else if let e = t.elementCount { n += t.dataType.byteCount(elements: e) ?? 0 }
            }
        }
        return n
    }
}

extension Tensor {
    /// Bytes of the data stored in this tensor's own fields.
    var inlineByteCount: Int {
        if let raw = rawData, !raw.isEmpty { return raw.count }
        guard dataType != .string, let n = elementCount else { return 0 }
        return dataType.byteCount(elements: n) ?? 0
    }
}
