import Foundation
import OnnxModel

/// Makes plausible inputs for a model so it can be run without data files.
///
/// "Plausible" matters: random floats in a token-id input crash embedding lookups, and a zero
/// attention mask gives NaNs in BERT. The rules, by input name and type: ids get integers below
/// the vocabulary size (read from the `Gather` table the input indexes, else 100), masks get
/// ones, token type / segment ids get zeros, position ids count up, floats are standard normal,
/// uint8 is uniform over 0...255, bool is true, strings are a fixed word. Everything is seeded.
public struct InputGenerator: Sendable {
    /// Values for symbolic dimensions (`--dim seq=128`).
    public var dimValues: [String: Int64]
    /// Size of the embedding table each int input indexes, when known.
    public var vocabularySizes: [String: Int64]
    public var seed: UInt64
    /// Symbolic dimensions that had no value and defaulted to 1 (for a note to the user).
    public private(set) var defaultedDims: Set<String> = []

    public init(dimValues: [String: Int64] = [:], vocabularySizes: [String: Int64] = [:], seed: UInt64 = 0) {
        self.dimValues = dimValues
        self.vocabularySizes = vocabularySizes
        self.seed = seed
    }

    /// Vocabulary sizes found in `graph`: for each graph input, the first dimension of an
    /// initializer that a `Gather` uses as its table while indexing with that input (directly or
    /// through Cast/Reshape/Unsqueeze/Squeeze/Flatten).
    public static func vocabularySizes(in graph: Graph) -> [String: Int64] {
        let initializers = Dictionary(graph.initializers.map { ($0.name, $0.dims) }, uniquingKeysWith: { a, _ in a })
        var consumers: [String: [Node]] = [:]
        for n in graph.nodes { for i in n.inputs where !i.isEmpty { consumers[i, default: []].append(n) } }
        let passThrough: Set<String> = ["Cast", "Reshape", "Unsqueeze", "Squeeze", "Flatten", "Identity"]
        var result: [String: Int64] = [:]
        for input in graph.inputs where initializers[input.name] == nil {
            var frontier = [input.name]
            var seen = Set<String>()
            search: while let t = frontier.popLast() {
                guard seen.insert(t).inserted else { continue }
                for n in consumers[t] ?? [] {
                    if n.opType == "Gather", n.inputs.count > 1, n.inputs[1] == t,
                       let dims = initializers[n.inputs[0]], let v = dims.first, v > 0 {
                        result[input.name] = v
                        break search
                    }
                    if passThrough.contains(n.opType), n.inputs.first == t { frontier += n.outputs }
                }
            }
        }
        return result
    }

    /// Concrete shape for an input, resolving symbolic dims.
    /// Unnamed axes (no name, `?`, or a negative size) are looked up by the name
    /// ``FreeDimension/generatedName(input:axis:)`` gives them, as `--dim` spells them.
    public mutating func shape(for info: SessionIOInfo) -> [Int64] {
        info.dims.enumerated().map { axis, d in
            let unnamed = FreeDimension.generatedName(input: info.name, axis: axis)
            switch d {
            case .fixed(let v) where v >= 0: return v
            case .symbolic(let name) where !name.isEmpty && name != "?":
                if let v = dimValues[name] { return v }
                defaultedDims.insert(name)
                return 1
            default:
                if let v = dimValues[unnamed] { return v }
                defaultedDims.insert(unnamed)
                return 1
            }
        }
    }

    /// Generates every tensor input of a session.
    public mutating func inputs(for session: Session) throws -> [String: HostTensor] {
        var feeds: [String: HostTensor] = [:]
        for (i, info) in session.inputs.enumerated() {
            guard info.isTensor else {
                throw RuntimeError.unsupported("input '\(info.name)' is not a tensor; give it with --input")
            }
            feeds[info.name] = try tensor(for: info, stream: UInt64(i))
        }
        return feeds
    }

    /// One generated input.
    public mutating func tensor(for info: SessionIOInfo, stream: UInt64 = 0) throws -> HostTensor {
        let shape = self.shape(for: info)
        let count = shape.reduce(1) { $0 * Int($1) }
        var rng = SplitMix64(seed: seed &+ stream &* 0x9E37_79B9_7F4A_7C15)
        let name = info.name.lowercased()
        let isMask = name.contains("mask")
        let isTokenType = name.contains("token_type") || name.contains("segment")
        let isPosition = name.contains("position")
        func ints<T: FixedWidthInteger & TensorScalar & BitwiseCopyable>(_: T.Type) -> HostTensor {
            let values: [T]
            if isMask { values = Array(repeating: 1, count: count) }
            else if isTokenType { values = Array(repeating: 0, count: count) }
            else if isPosition {
                let last = Int(shape.last ?? 1)
                values = (0..<count).map { T(truncatingIfNeeded: last > 0 ? $0 % last : 0) }
            } else {
                let vocab = UInt64(max(1, vocabularySizes[info.name] ?? 100))
                let upper = min(vocab, UInt64(T.max))
                values = (0..<count).map { _ in T(truncatingIfNeeded: rng.next() % upper) }
            }
            return HostTensor(values, shape: shape)
        }
        switch info.elementType {
        case .float, .double, .float16, .bfloat16:
            let values: [Float] = isMask ? Array(repeating: 1, count: count) : (0..<count).map { _ in rng.normal() }
            switch info.elementType {
            case .float: return HostTensor(values, shape: shape)
            case .double: return HostTensor(values.map(Double.init), shape: shape)
            case .float16: return HostTensor(elementType: .float16, shape: shape, bytes: HostTensor(values.map(floatToHalf), shape: shape).bytes)
            default:
                let bf = values.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
                return HostTensor(elementType: .bfloat16, shape: shape, bytes: HostTensor(bf, shape: shape).bytes)
            }
        case .int64: return ints(Int64.self)
        case .int32: return ints(Int32.self)
        case .int16: return ints(Int16.self)
        case .int8: return ints(Int8.self)
        case .uint16: return ints(UInt16.self)
        case .uint32: return ints(UInt32.self)
        case .uint64: return ints(UInt64.self)
        case .uint8:
            if isMask || isTokenType || isPosition || vocabularySizes[info.name] != nil { return ints(UInt8.self) }
            return HostTensor((0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, shape: shape)
        case .bool: return HostTensor(bools: Array(repeating: true, count: count), shape: shape)
        case .string: return HostTensor(strings: Array(repeating: "onnxscope", count: count), shape: shape)
        default:
            throw RuntimeError.unsupported("cannot generate \(info.elementType) input '\(info.name)'; give it with --input \(info.name)=FILE.npy")
        }
    }
}

/// Seeded generator for inputs: OnnxModel's ``SeededRandom`` (SplitMix64, the same stream the
/// samples use) plus a Box–Muller normal that keeps its second value, so generated inputs are
/// identical across runs and machines.
public struct SplitMix64: Sendable {
    private var base: SeededRandom
    private var spare: Float?

    public init(seed: UInt64) { base = SeededRandom(seed: seed) }

    public mutating func next() -> UInt64 { base.next() }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { base.unit() }

    /// Standard normal (Box–Muller).
    public mutating func normal() -> Float {
        if let s = spare { spare = nil; return s }
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spare = Float(r * sin(2 * .pi * u2))
        return Float(r * cos(2 * .pi * u2))
    }
}
