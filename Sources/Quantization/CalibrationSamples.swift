import Foundation
import OnnxModel
import OnnxRuntimeKit

/// A model input as calibration data must match it.
public struct ModelInputSpec: Sendable, Equatable {
    public var name: String
    public var type: DataType
    /// Declared dims; symbolic dims accept any size.
    public var dims: [OnnxModel.Dimension]?

    /// The real inputs of a model (graph inputs that are not initializers).
    public static func inputs(of model: Model) -> [ModelInputSpec] {
        let initialized = Set(model.graph.initializers.map(\.name))
        return model.graph.inputs.filter { !initialized.contains($0.name) }.map {
            ModelInputSpec(name: $0.name, type: $0.type?.elementType ?? .undefined, dims: $0.type?.shape?.dims)
        }
    }
}

/// Where calibration (or evaluation) samples come from, one entry per sample, loaded one at a
/// time so memory does not grow with the number of samples.
///
/// Accepted: an `.npz` per sample (keys are input names) or a folder of them; model-zoo
/// `test_data_set_N` folders (`input_K.pb`), or a folder holding several; a `.npy` (or a folder
/// of `.npy` files) for a single-input model; PNG/JPEG photographs (a file or a folder) for a
/// single image input, turned into tensors as ``ImageOptions`` says.
public struct CalibrationSamples: Sendable {
    public enum Source: Sendable, Equatable {
        case npz(String)
        case npy(String)
        case testDataSet(String)
        case image(String)
    }

    public struct SampleError: Error, CustomStringConvertible, Sendable {
        public let description: String
        public init(_ d: String) { description = d }
    }

    public let sources: [Source]
    public let inputs: [ModelInputSpec]
    public let imageOptions: ImageOptions

    public var count: Int { sources.count }

    /// Finds the samples under `paths` (files or folders) for a model with `inputs`.
    public init(paths: [String], inputs: [ModelInputSpec], imageOptions: ImageOptions = ImageOptions()) throws {
        self.inputs = inputs
        self.imageOptions = imageOptions
        var found: [Source] = []
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw SampleError("\(path): no such file or folder") }
            if !isDir.boolValue {
                found.append(try Self.source(file: path))
                continue
            }
            if fm.fileExists(atPath: path + "/input_0.pb") { found.append(.testDataSet(path)); continue }
            let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted { $0.localizedStandardCompare($1) == .orderedAscending }
            var here: [Source] = []
            for n in names where !n.hasPrefix(".") {
                let full = path + "/" + n
                var sub: ObjCBool = false
                fm.fileExists(atPath: full, isDirectory: &sub)
                if sub.boolValue {
                    if fm.fileExists(atPath: full + "/input_0.pb") { here.append(.testDataSet(full)) }
                } else if n.hasSuffix(".npz") { here.append(.npz(full)) }
                else if n.hasSuffix(".npy") { here.append(.npy(full)) }
                else if ImageOptions.isImage(n) { here.append(.image(full)) }
            }
            guard !here.isEmpty else {
                throw SampleError("\(path): no samples found (expected .npz, .npy, .png or .jpg files, or test_data_set_N folders)")
            }
            found += here
        }
        if found.contains(where: { if case .npy = $0 { return true }; return false }), inputs.count != 1 {
            throw SampleError(".npy samples need a single-input model; this one has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))): use one .npz per sample with those keys")
        }
        if found.contains(where: { if case .image = $0 { return true }; return false }), inputs.count != 1 {
            throw SampleError("image samples need a single-input model; this one has \(inputs.count) inputs (\(inputs.map(\.name).joined(separator: ", "))): use one .npz per sample with those keys")
        }
        guard !found.isEmpty else { throw SampleError("no calibration samples given") }
        sources = found
    }

    static func source(file path: String) throws -> Source {
        if path.hasSuffix(".npz") { return .npz(path) }
        if path.hasSuffix(".npy") { return .npy(path) }
        if ImageOptions.isImage(path) { return .image(path) }
        throw SampleError("\(path): not a sample file (expected .npz, .npy, .png/.jpg or a test_data_set folder)")
    }

    /// The path a sample was read from, for messages.
    public func describe(_ k: Int) -> String {
        switch sources[k] { case .npz(let p), .npy(let p), .testDataSet(let p), .image(let p): return p }
    }

    /// Sample `k`, checked against the model's inputs.
    public func load(_ k: Int) throws -> [String: HostTensor] {
        let feeds: [String: HostTensor]
        switch sources[k] {
        case .npz(let p): feeds = try NpzArchive.read(path: p)
        case .npy(let p): feeds = [inputs[0].name: try NpyFile.read(path: p)]
        case .testDataSet(let dir): feeds = try Self.readTestDataSet(dir, inputs: inputs)
        case .image(let p): feeds = [inputs[0].name: try imageOptions.tensor(path: p, for: inputs[0])]
        }
        try check(feeds, from: describe(k))
        return feeds
    }

    static func readTestDataSet(_ dir: String, inputs: [ModelInputSpec]) throws -> [String: HostTensor] {
        var result: [String: HostTensor] = [:]
        var k = 0
        while FileManager.default.fileExists(atPath: "\(dir)/input_\(k).pb") {
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/input_\(k).pb"))
            let proto = try Tensor.decode([UInt8](data))
            let name = inputs.contains { $0.name == proto.name } ? proto.name : (k < inputs.count ? inputs[k].name : nil)
            guard let name else { throw SampleError("\(dir)/input_\(k).pb: the model has only \(inputs.count) inputs") }
            result[name] = try TensorProtoFile.hostTensor(from: proto)
            k += 1
        }
        return result
    }

    /// Names, dtypes and shapes must match the model; the message names the input.
    func check(_ feeds: [String: HostTensor], from path: String) throws {
        for key in feeds.keys where !inputs.contains(where: { $0.name == key }) {
            throw SampleError("\(path): '\(key)' is not an input of the model (its inputs: \(inputs.map(\.name).joined(separator: ", ")))")
        }
        for spec in inputs {
            guard let t = feeds[spec.name] else { throw SampleError("\(path): no value for input '\(spec.name)'") }
            if spec.type != .undefined, let want = TensorElementType(rawValue: numericCast(spec.type.rawValue)), want != t.elementType {
                throw SampleError("\(path): input '\(spec.name)' is \(t.elementType) but the model takes \(want)")
            }
            if let dims = spec.dims {
                guard dims.count == t.shape.count else {
                    throw SampleError("\(path): input '\(spec.name)' has shape \(t.shape) but the model takes rank \(dims.count) \(Shape(dims))")
                }
                for (d, n) in zip(dims, t.shape) { if let v = d.intValue, v > 0, v != n {
                    throw SampleError("\(path): input '\(spec.name)' has shape \(t.shape) but the model takes \(Shape(dims))")
                } }
            }
        }
    }

    /// Elements of a float input that are NaN or infinite (such samples are skipped).
    public static func nonFiniteCount(_ feeds: [String: HostTensor]) -> Int {
        feeds.values.reduce(0) { total, t in
            guard t.elementType == .float else { return total }
            return total + t.bytes.withUnsafeBytes { raw in raw.bindMemory(to: Float.self).reduce(0) { $0 + ($1.isFinite ? 0 : 1) } }
        }
    }
}
