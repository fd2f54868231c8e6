/// Values for a model's open input dimensions: the user's `--dim` values, and where the user
/// gave none, a hint — the model's own metadata (`imgsz` of Ultralytics exports), a typical
/// size for image-like inputs, 1 for a batch, 128 for a sequence. Every value says where it
/// came from, so output can state "at batch=1, height=320, width=320 (imgsz from metadata)"
/// instead of silently generating a 1×1 image.
///
/// This is the one source of truth for a dim's value: shape inference substitutes these
/// numbers at the graph inputs, so every derived dim, shape and MAC count follows from it.
public struct DimensionBinding: Sendable, Hashable {
    /// Where a value came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// `--dim NAME=VALUE` (or the explorer's dims command).
        case user
        /// The model's metadata, by key (`imgsz`).
        case metadata(String)
        /// A typical size for the spatial axes of an image-like input (NCHW/NHWC, 1 or 3 channels).
        case typicalImage
        /// Batch axes default to 1.
        case batch
        /// Sequence-like names default to ``DimensionBinding/typicalSequence``.
        case sequence
        /// The graph itself fixes it: a node broadcasts the dim against a number (BERT-tiny's
        /// position table makes `seq` 64), named by that node.
        case graph(String)
        /// Nothing suggested a value; 1 was used.
        case fallback

        public var description: String {
            switch self {
            case .user: "given"
            case .metadata(let k): "\(k) from metadata"
            case .typicalImage: "typical image size"
            case .batch: "batch default"
            case .sequence: "typical sequence length"
            case .graph(let node):
                node.hasSuffix(" (at most)") ? "at most what \(node.dropLast(10)) allows" : "fixed by \(node)"
            case .fallback: "no hint, 1"
            }
        }
    }

    /// Side of the square image used for image-like inputs without metadata.
    public static let typicalImageSide: Int64 = 224
    /// Length used for sequence-like dims without a value.
    public static let typicalSequence: Int64 = 128

    /// Value per free dim name.
    public private(set) var values: [String: Int64] = [:]
    /// Where each value came from.
    public private(set) var sources: [String: Source] = [:]
    /// The free dims, in input/axis order.
    public private(set) var dimensions: [FreeDimension] = []

    public init() {}

    /// Binds every free dim of `model`'s main graph: the user's values first, then hints.
    ///
    /// - Throws: ``UnknownDimensionError`` when a user-given name is not a free dim of the model.
    public init(model: Model, user: [String: Int64] = [:]) throws(UnknownDimensionError) {
        let free = model.graph.freeDimensions
        dimensions = free
        let names = Set(free.map(\.name))
        let unknown = user.keys.filter { !names.contains($0) }.sorted()
        if !unknown.isEmpty { throw UnknownDimensionError(names: unknown, modelDims: free.map(\.name)) }
        for (k, v) in user { set(k, v, .user) }
        hintImages(model)
        for d in free where values[d.name] == nil {
            let lower = d.name.lowercased()
            if lower.contains("batch") || (d.axis == 0 && !Self.isSequenceName(lower)) {
                set(d.name, 1, .batch)
            } else if Self.isSequenceName(lower) {
                set(d.name, Self.typicalSequence, .sequence)
            } else {
                set(d.name, 1, .fallback)
            }
        }
    }

    /// The binding with dims the graph fixes (found by shape inference on the unbound graph)
    /// taking those values instead of a hint; the user's values are never replaced.
    public func refined(by fixed: [String: (value: Int64, node: String)]) -> DimensionBinding {
        var out = self
        for (name, f) in fixed where out.sources[name] != nil && out.sources[name] != .user {
            // An upper bound ("(at most)") only lowers a hint that is too big.
            if f.node.hasSuffix("(at most)"), let v = out.values[name], v <= f.value { continue }
            out.values[name] = f.value
            out.sources[name] = .graph(f.node)
        }
        return out
    }

    /// Only the user's values, for views that keep the other dims symbolic.
    public var userValues: [String: Int64] { values.filter { sources[$0.key] == .user } }

    /// `batch=1, height=320, width=320 (imgsz from metadata)`: every free dim with its value,
    /// and the hint behind each value that the user did not give. Empty for a model without
    /// free dims.
    public var note: String {
        guard !dimensions.isEmpty else { return "" }
        let parts = dimensions.map { "\($0.name)=\(values[$0.name] ?? 1)" }
        var reasons: [String] = []
        for d in dimensions {
            guard let s = sources[d.name], s != .user, s != .batch else { continue }
            let r = s.description
            if !reasons.contains(r) { reasons.append(r) }
        }
        return parts.joined(separator: ", ") + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
    }

    mutating func set(_ name: String, _ value: Int64, _ source: Source) {
        guard values[name] == nil else { return }
        values[name] = value
        sources[name] = source
    }

    static func isSequenceName(_ lower: String) -> Bool {
        ["seq", "sequence", "length", "len", "token", "time", "frames"].contains { lower.contains($0) }
    }

    /// Height and width of image-like inputs: `imgsz` metadata (`[320, 320]`, `640`), else the
    /// typical side.
    mutating func hintImages(_ model: Model) {
        let imgsz = model.metadataProps.first { $0.key == "imgsz" }.flatMap { Self.parseSizes($0.value) }
        for v in model.graph.runtimeInputs {
            guard let t = v.type, case .tensor(let e, let shape?) = t.kind, shape.dims.count == 4,
                  e == .float || e == .float16 || e == .double || e == .uint8 || e == .bfloat16 else { continue }
            let dims = Graph.namedDims(shape.dims, input: v.name)
            let channels: Set<Int64> = [1, 3]
            let spatial: [Int]
            if let c = dims[1].intValue, channels.contains(c) { spatial = [2, 3] }
            else if let c = dims[3].intValue, channels.contains(c) { spatial = [1, 2] }
            else { continue }
            for (k, axis) in spatial.enumerated() {
                guard case .param(let name) = dims[axis] else { continue }
                if let imgsz { set(name, imgsz[min(k, imgsz.count - 1)], .metadata("imgsz")) }
                else { set(name, Self.typicalImageSide, .typicalImage) }
            }
        }
    }

    /// `[320, 320]`, `(640, 480)`, `640` → numbers; nil when it is not a list of positive ints.
    static func parseSizes(_ s: String) -> [Int64]? {
        let parts = s.split { "[](), ".contains($0) }.map { Int64($0) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.compactMap { $0 }
    }
}

/// `--dim NAME=…` named a dim the model does not have.
public struct UnknownDimensionError: Error, Sendable, CustomStringConvertible {
    public var names: [String]
    /// The model's free dims, to list in the message.
    public var modelDims: [String]

    public var description: String {
        let given = names.map { "'\($0.escapedForDisplay)'" }.joined(separator: ", ")
        let have = modelDims.isEmpty ? "the model has no symbolic dims"
            : "the model's symbolic dims are: " + modelDims.map(\.escapedForDisplay).joined(separator: ", ")
        return "--dim \(given): no such dim; \(have)"
    }
}

/// Parses `NAME=VALUE` arguments of `--dim` (values are positive integers).
public enum DimArguments {
    public static func parse(_ args: [String]) throws(InvalidDimArgument) -> [String: Int64] {
        var out: [String: Int64] = [:]
        for a in args {
            let kv = a.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, !kv[0].isEmpty, let v = Int64(kv[1]), v > 0 else { throw InvalidDimArgument(argument: a) }
            out[kv[0]] = v
        }
        return out
    }
}

/// A `--dim` argument that is not `NAME=POSITIVE_INTEGER`.
public struct InvalidDimArgument: Error, Sendable, CustomStringConvertible {
    public var argument: String
    public var description: String { "--dim expects NAME=POSITIVE_INTEGER (e.g. --dim batch=8), got '\(argument.escapedForDisplay)'" }
}
