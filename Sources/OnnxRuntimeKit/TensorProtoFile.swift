import Foundation
import OnnxModel

/// ONNX `TensorProto` files (`input_0.pb`, `output_0.pb` in model-zoo `test_data_set_N`
/// folders), read and written through OnnxModel's own protobuf codec.
public enum TensorProtoFile {
    /// Reads a serialized TensorProto.
    public static func read(path: String) throws -> HostTensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError.invalidInput("cannot read \(path)")
        }
        return try hostTensor(from: Tensor.decode([UInt8](data)))
    }

    /// Converts a decoded `Tensor` (raw_data, typed fields or string_data) into a host tensor.
    public static func hostTensor(from t: Tensor) throws -> HostTensor {
        guard let type = TensorElementType(rawValue: t.dataType.rawValue), type != .undefined else {
            throw RuntimeError.unsupported("tensor '\(t.name)' has unsupported data type \(t.dataType)")
        }
        if type == .string {
            return HostTensor(strings: t.stringData.map(\.string), shape: t.dims)
        }
        let data = try Model.tensorData(t, baseDirectory: nil)
        return HostTensor(elementType: type, shape: t.dims, bytes: data.bytes)
    }

    /// The tensor as a `Tensor` message with `raw_data` (strings use `string_data`).
    public static func tensor(from h: HostTensor, name: String) -> Tensor {
        if h.elementType == .string {
            var t = Tensor()
            t.name = name
            t.dataType = .string
            t.dims = h.shape
            t.stringData = h.strings.map { ByteSlice(Array($0.utf8)) }
            return t
        }
        return Tensor(name: name, dataType: DataType(rawValue: h.elementType.rawValue), dims: h.shape, rawData: ByteSlice(h.bytes))
    }

    /// Writes a tensor as a serialized TensorProto.
    public static func write(_ h: HostTensor, name: String, path: String) throws {
        let bytes = tensor(from: h, name: name).serialized()
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw RuntimeError.invalidInput("cannot write \(path)")
        }
    }
}
