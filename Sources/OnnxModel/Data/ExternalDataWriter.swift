import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why external data could not be written.
public struct ExternalDataWriteError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "cannot write external data \(path.escapedForDisplay): \(reason)" }
}

/// Streams tensor bytes into one ONNX external-data file and hands back tensors that refer to
/// them (`location`, `offset`, `length`, `data_location = EXTERNAL`).
///
/// Bytes go to a temporary file in the target folder; ``commit()`` flushes it and renames it
/// into place, so a failed or interrupted run never leaves a half-written data file under the
/// final name. Each tensor starts at a multiple of ``alignment`` (4096, a page) so readers can
/// map tensors page-aligned, as `onnx` does for large tensors.
public final class ExternalDataWriter {
    /// Folder holding both the data file and the model that refers to it.
    public let directory: String
    /// The data file's name, relative to ``directory`` (what `location` says).
    public let fileName: String
    public let alignment: Int
    private var fd: Int32
    private let tempPath: String
    private var size = 0
    private var committed = false

    /// Opens a temporary file in `directory` for `fileName`.
    /// - Throws: if `fileName` is not a plain file name (ONNX requires locations inside the
    ///   model's folder) or the file cannot be created.
    public init(directory: String, fileName: String, alignment: Int = 4096) throws {
        let target = directory + "/" + fileName
        guard !fileName.isEmpty, !fileName.contains("/"), fileName != ".", fileName != ".." else {
            throw ExternalDataWriteError(path: target, reason: "the data file name must be a plain name inside the model's folder")
        }
        precondition(alignment > 0)
        self.directory = directory
        self.fileName = fileName
        self.alignment = alignment
        var template = Array("\(directory)/.\(fileName)-XXXXXX".utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ExternalDataWriteError(path: target, reason: String(cString: strerror(errno))) }
        tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(tempPath) }
    }

    /// Appends `bytes` at the next aligned offset and returns the external tensor describing them.
    public func append(name: String, dataType: DataType, dims: [Int64], bytes: UnsafeRawBufferPointer) throws -> Tensor {
        guard !committed, fd >= 0 else { throw ExternalDataWriteError(path: tempPath, reason: "already committed") }
        let offset = (size + alignment - 1) / alignment * alignment
        if offset > size {
            let zeros = [UInt8](repeating: 0, count: offset - size)
            try zeros.withUnsafeBytes { try writeAll($0) }
            size = offset
        }
        try writeAll(bytes)
        size += bytes.count
        var t = Tensor()
        t.name = name
        t.dataType = dataType
        t.dims = dims
        t.dataLocation = Tensor.DataLocation.external.rawValue
        t.externalData = [
            StringStringEntry(key: "location", value: fileName),
            StringStringEntry(key: "offset", value: String(offset)),
            StringStringEntry(key: "length", value: String(bytes.count)),
        ]
        return t
    }

    /// Flushes the data and renames it to its final name. Call before writing the model.
    public func commit() throws {
        guard !committed else { return }
        let target = directory + "/" + fileName
        fchmod(fd, 0o644)
        guard fsync(fd) == 0, close(fd) == 0 else {
            throw ExternalDataWriteError(path: target, reason: "cannot flush: \(String(cString: strerror(errno)))")
        }
        fd = -1
        guard rename(tempPath, target) == 0 else {
            throw ExternalDataWriteError(path: target, reason: "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Bytes written so far (including alignment padding).
    public var bytesWritten: Int { size }

    private func writeAll(_ buf: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < buf.count {
            let n = Foundation.write(fd, buf.baseAddress! + done, buf.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExternalDataWriteError(path: tempPath, reason: String(cString: strerror(errno)))
            }
            done += n
        }
    }
}

/// Writes `model` to `path` with every initializer of at least `sizeThreshold` bytes moved to
/// one external-data file `dataFileName` beside it (sub-graph initializers included).
///
/// The data file is written and renamed into place first, then the model atomically, so the
/// model on disk never points at data that is not there yet. Tensors that already live in
/// external data are read through the model's `baseDirectory` and copied. Offsets are aligned
/// to 4096 bytes. `sizeThreshold` defaults to onnx's own (1024 bytes).
public func writeWithExternalData(model: Model, to path: String, dataFileName: String, sizeThreshold: Int = 1024) throws {
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    let writer = try ExternalDataWriter(directory: dir, fileName: dataFileName)
    var out = model
    func move(_ g: inout Graph) throws {
        for i in g.initializers.indices {
            let t = g.initializers[i]
            guard t.dataType != .string, let n = t.elementCount, let bytes = t.dataType.byteCount(elements: n),
                  bytes >= sizeThreshold else { continue }
            let data = try model.tensorData(t)
            var moved = try data.withUnsafeBytes { try writer.append(name: t.name, dataType: t.dataType, dims: t.dims, bytes: $0) }
            moved.docString = t.docString
            moved.metadataProps = t.metadataProps
            g.initializers[i] = moved
        }
        for n in g.nodes.indices {
            for a in g.nodes[n].attributes.indices {
                if var sub = g.nodes[n].attributes[a].g { try move(&sub); g.nodes[n].attributes[a].g = sub }
                for k in g.nodes[n].attributes[a].graphs.indices { try move(&g.nodes[n].attributes[a].graphs[k]) }
            }
        }
    }
    try move(&out.graph)
    try writer.commit()
    try out.write(to: path)
}
