import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Saving a weight as `.npy` from the explorer (palette `npy PATH [TENSOR]`).
///
/// The file is new and written atomically; the open model and existing files are never
/// overwritten. Tensor bytes are read from the mapping only now, when asked for.
enum TensorExport {
    /// The tensor to save: the one named, else the selected node's first weight (an
    /// initializer, or a Constant node's tensor, which paddle2onnx exports use for weights).
    static func tensor(named name: String?, document: Document, selected: NodeKey?) -> (name: String, tensor: Tensor)? {
        if let name {
            for scope in document.index.scopes { if let t = scope.constantTensor(named: name) { return (name, t) } }
            return nil
        }
        guard let key = selected else { return nil }
        let node = document.node(key)
        for input in node.inputs where !input.isEmpty {
            guard let def = document.index.resolve(input, in: key.scope),
                  let t = document.scope(def.scope).constantTensor(named: input) else { continue }
            return (input, t)
        }
        return nil
    }

    /// Writes `tensor` of `document` to `path` as `.npy`.
    /// - Throws: a ``TensorExportError`` naming the problem (existing file, the model itself,
    ///   unreadable data, a type `.npy` cannot hold).
    static func write(_ tensor: Tensor, of document: Document, to path: String) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        if let model = document.path, URL(fileURLWithPath: model).standardizedFileURL.path == target {
            throw TensorExportError("\(path) is the open model; choose a new file")
        }
        if FileManager.default.fileExists(atPath: target) { throw TensorExportError("\(path) exists; choose a new file") }
        guard let type = TensorElementType(rawValue: tensor.dataType.rawValue), type != .string else {
            throw TensorExportError("'\(tensor.name)' has element type \(tensor.dataType.name), which .npy cannot hold")
        }
        let data = try document.model.tensorData(tensor)
        let npy = try NpyFile.encode(HostTensor(elementType: type, shape: tensor.dims, bytes: data.bytes))
        try AtomicFile.write(npy, to: target)
    }
}

struct TensorExportError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
