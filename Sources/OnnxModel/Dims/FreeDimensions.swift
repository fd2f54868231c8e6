/// A dimension of a graph input that the model leaves open: a named symbol (`batch`,
/// `height`), or an axis with no name or a negative size, which gets the name
/// `<input>_dim<axis>` so that it can be bound like any other (`--dim x_dim2=48`).
public struct FreeDimension: Sendable, Hashable, CustomStringConvertible {
    /// The symbol, or the generated name of an unnamed axis.
    public var name: String
    /// The graph input it belongs to (the first one, when several inputs share a symbol).
    public var input: String
    public var axis: Int
    /// True when the model gave the axis no name (or a negative size) and onnxscope named it.
    public var isGeneratedName: Bool

    public var description: String { name }

    /// The name onnxscope gives an unnamed axis of a graph input.
    public static func generatedName(input: String, axis: Int) -> String { "\(input)_dim\(axis)" }
}

extension Graph {
    /// Inputs that are real inputs, not initializers listed as inputs (IR < 4 style).
    public var runtimeInputs: [ValueInfo] {
        let weights = Set(initializers.map(\.name))
        return inputs.filter { !weights.contains($0.name) }
    }

    /// The open dimensions of the graph's runtime inputs, in input then axis order, each
    /// symbol once.
    public var freeDimensions: [FreeDimension] {
        var seen = Set<String>()
        var out: [FreeDimension] = []
        for v in runtimeInputs {
            guard let dims = v.type?.shape?.dims else { continue }
            for (axis, d) in dims.enumerated() {
                guard let name = Self.freeName(d, input: v.name, axis: axis) else { continue }
                if seen.insert(name.name).inserted {
                    out.append(FreeDimension(name: name.name, input: v.name, axis: axis, isGeneratedName: name.generated))
                }
            }
        }
        return out
    }

    /// The input's dims with every open axis written as its symbol (generated for unnamed
    /// axes), so one name stands for it everywhere.
    public static func namedDims(_ dims: [Dimension], input: String) -> [Dimension] {
        dims.enumerated().map { axis, d in
            if let name = freeName(d, input: input, axis: axis) { return .param(name.name) }
            return d
        }
    }

    static func freeName(_ d: Dimension, input: String, axis: Int) -> (name: String, generated: Bool)? {
        switch d {
        case .param(let p) where !p.isEmpty && p != "?": return (p, false)  // "?" is what some exporters write for "no name"
        case .param, .unknown: return (FreeDimension.generatedName(input: input, axis: axis), true)
        case .value(let v) where v < 0: return (FreeDimension.generatedName(input: input, axis: axis), true)
        case .value: return nil
        }
    }
}
