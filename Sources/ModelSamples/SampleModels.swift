import Foundation
import OnnxModel

/// Deterministic generated ONNX models: realistic topologies for browsing, benchmarks and tests.
///
/// Every sample is built in code with seeded weights, so the same name always gives the same
/// bytes (IR version 8 so older ONNX Runtime builds load them, opset 17). The big ones
/// (`resnet50`, `bert-base`, `bert-large`) are generated on demand rather than committed.
public enum SampleModels {
    /// Every sample name ``make(_:)`` and ``write(_:to:)`` accept, smallest first.
    public static let names: [String] = [
        "tiny-mlp", "if-branch", "loop", "functions", "bert-tiny", "mobilenetv2", "resnet50", "bert-base", "bert-large",
    ]

    /// Samples small enough to keep in the repository's `samples/` folder (under 2 MB together).
    public static let committedNames: [String] = ["tiny-mlp", "if-branch", "loop", "functions", "bert-tiny"]

    /// Samples written with their weights in an external-data file beside the model, because
    /// their weights are too big to hold comfortably in memory twice or to exceed protobuf's 2 GB.
    public static let externalDataNames: Set<String> = ["bert-large"]

    /// Builds the sample called `name` in memory.
    ///
    /// `bert-large` works too but holds about 1.3 GB of weights; prefer ``write(_:to:)`` for it,
    /// which streams the weights to disk.
    /// - Throws: ``UnknownSampleError`` (listing the valid names) for an unknown name.
    public static func make(_ name: String) throws -> Model {
        switch name {
        case "tiny-mlp": return tinyMLP()
        case "if-branch": return ifBranch()
        case "loop": return loop()
        case "functions": return functions()
        case "bert-tiny": return try bert(.tiny)
        case "mobilenetv2": return mobileNetV2()
        case "resnet50": return resnet50()
        case "bert-base": return try bert(.base)
        case "bert-large": return try bert(.large)
        default: throw UnknownSampleError(name: name)
        }
    }

    /// Generates the sample called `name` and writes it to `path` atomically.
    ///
    /// Samples in ``externalDataNames`` stream their weights into `<model file name>.data`
    /// beside `path` (offsets aligned to 4096 bytes), so memory stays small however big the
    /// model is; the others are written as one self-contained file.
    /// - Returns: the paths written (the model, then the data file if any).
    @discardableResult
    public static func write(_ name: String, to path: String) throws -> [String] {
        guard names.contains(name) else { throw UnknownSampleError(name: name) }
        if externalDataNames.contains(name) {
            let dataName = URL(fileURLWithPath: path).lastPathComponent + ".data"
            try writeBert(.large, to: path, dataFileName: dataName)
            return [path, URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(dataName).path]
        }
        try make(name).write(to: path)
        return [path]
    }
}

/// A sample name that ``SampleModels`` does not know.
public struct UnknownSampleError: Error, CustomStringConvertible, Sendable {
    public let name: String
    public var description: String {
        "unknown sample '\(name.escapedForDisplay)'; valid names: " + SampleModels.names.joined(separator: ", ")
    }
}

// MARK: - Shared building blocks

/// A ``GraphBuilder`` wrapper that names nodes the way PyTorch's ONNX exporter does
/// (`/layer1/layer1.0/conv1/Conv`, then `..._1`, `..._2` for repeats in one scope), creates
/// seeded weights, and can stream large initializers to an external-data file as it goes.
struct ExportBuilder {
    var b: GraphBuilder
    var rng: SeededRandom
    /// When set, initializers of at least ``externalThreshold`` bytes go to this file instead
    /// of the model, so a BERT-large-sized model never sits in memory.
    var external: ExternalDataWriter?
    var externalThreshold = 1024
    private var counts: [String: Int] = [:]

    init(name: String, seed: UInt64, external: ExternalDataWriter? = nil) {
        b = GraphBuilder(name: name, opset: 17, irVersion: 8)
        rng = SeededRandom(seed: seed)
        self.external = external
    }

    /// `scope/op`, `scope/op_1`, ... exactly like the exporter's per-scope counters.
    mutating func nodeName(_ scope: String, _ op: String) -> String {
        let key = scope + "/" + op
        let n = counts[key, default: 0]
        counts[key] = n + 1
        return n == 0 ? key : "\(key)_\(n)"
    }

    /// Adds a node in `scope` and returns its single output (`<node name>_output_0`), or the
    /// given `output` name when the value is a graph output.
    @discardableResult
    mutating func op(_ type: String, _ inputs: [String], scope: String, output: String? = nil, _ attrs: Attribute...) -> String {
        let name = nodeName(scope, type)
        return b.node(type, inputs, name: name, outputNames: output.map { [$0] }, attributes: attrs)[0]
    }

    /// A `Constant` node holding int64 values (scalar when `dims` is empty), as the exporter
    /// emits for shape arithmetic.
    mutating func constant(_ scope: String, int64s: [Int64], dims: [Int64]) -> String {
        let raw = int64s.withUnsafeBufferPointer { ByteSlice(UnsafeRawBufferPointer($0)) }
        return op("Constant", [], scope: scope, .tensor("value", Tensor(name: "", dataType: .int64, dims: dims, rawData: raw)))
    }

    /// A scalar float `Constant` node.
    mutating func constant(_ scope: String, float: Float) -> String {
        let raw = withUnsafeBytes(of: float.bitPattern.littleEndian) { ByteSlice($0) }
        return op("Constant", [], scope: scope, .tensor("value", Tensor(name: "", dataType: .float, dims: [], rawData: raw)))
    }

    /// Adds a float initializer, to the external file if one is set and the tensor is big enough.
    @discardableResult
    mutating func initializer(_ name: String, _ values: [Float], dims: [Int64]) throws -> String {
        if let external, values.count * 4 >= externalThreshold {
            let t = try values.withUnsafeBytes { try external.append(name: name, dataType: .float, dims: dims, bytes: $0) }
            b.initializer(t)
            return name
        }
        return b.initializer(name, floats: values, dims: dims)
    }

    /// Adds an int64 initializer, external under the same rule as float ones.
    @discardableResult
    mutating func initializer(_ name: String, int64s: [Int64], dims: [Int64]) throws -> String {
        if let external, int64s.count * 8 >= externalThreshold {
            let t = try int64s.withUnsafeBytes { try external.append(name: name, dataType: .int64, dims: dims, bytes: $0) }
            b.initializer(t)
            return name
        }
        return b.initializer(name, int64s: int64s, dims: dims)
    }

    /// A normally distributed weight (`mean + std·N(0,1)`).
    @discardableResult
    mutating func normal(_ name: String, dims: [Int64], std: Float, mean: Float = 0) throws -> String {
        let n = Int(dims.reduce(1, *))
        return try initializer(name, rng.gaussianFloats(n, std: std, mean: mean), dims: dims)
    }

    func model(doc: String) -> Model {
        var m = b.model(producer: "onnxscope", docString: doc)
        if let external { m.baseDirectory = external.directory }
        return m
    }
}

extension SeededRandom {
    /// `n` Gaussian floats using both Box–Muller outputs (half the transcendental calls of
    /// ``SeededRandom/normals(_:std:mean:)``; this matters for the 335 M weights of BERT-large).
    mutating func gaussianFloats(_ n: Int, std: Float, mean: Float = 0) -> [Float] {
        let s = Double(std), m = Double(mean)
        return [Float](unsafeUninitializedCapacity: n) { buf, count in
            var i = 0
            while i < n {
                let u1 = max(unit(), 1e-300), u2 = unit()
                let r = (-2 * log(u1)).squareRoot(), a = 2 * Double.pi * u2
                buf[i] = Float(m + s * r * cos(a))
                if i + 1 < n { buf[i + 1] = Float(m + s * r * sin(a)) }
                i += 2
            }
            count = n
        }
    }

    /// Uniform floats in [lo, hi).
    mutating func uniformFloats(_ n: Int, _ lo: Float, _ hi: Float) -> [Float] {
        (0..<n).map { _ in lo + (hi - lo) * Float(unit()) }
    }
}
