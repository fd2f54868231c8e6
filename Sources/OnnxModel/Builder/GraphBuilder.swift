/// Builds models in code: the samples (`onnxscope sample`) and test fixtures use it.
///
/// Names are generated from a prefix so a builder reads like the network it builds:
/// `let y = b.node("Relu", [x], name: "layer1/relu")`.
public struct GraphBuilder {
    public private(set) var graph: Graph
    public var opsets: [OperatorSetId]
    public var irVersion: Int64
    private var counter = 0

    public init(name: String = "main", opset: Int64 = 17, irVersion: Int64 = 8) {
        graph = Graph(name: name)
        opsets = [OperatorSetId(domain: "", version: opset)]
        self.irVersion = irVersion
    }

    /// A fresh value name based on `hint`.
    public mutating func uniqueName(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// Declares a graph input.
    @discardableResult
    public mutating func input(_ name: String, _ type: DataType, _ dims: [Dimension]) -> String {
        graph.inputs.append(ValueInfo(name: name, type: .tensor(type, dims)))
        return name
    }

    /// Declares a graph output (type optional: shape inference can fill it).
    public mutating func output(_ name: String, _ type: DataType, _ dims: [Dimension]?) {
        graph.outputs.append(ValueInfo(name: name, type: dims.map { .tensor(type, $0) } ?? ValueType(.tensor(type, nil))))
    }

    /// Adds an initializer from Float32 values and returns its name.
    @discardableResult
    public mutating func initializer(_ name: String, floats: [Float], dims: [Int64]) -> String {
        precondition(Int(dims.reduce(1, *)) == floats.count, "\(name): \(floats.count) values for dims \(dims)")
        let raw = floats.withUnsafeBufferPointer { ByteSlice(UnsafeRawBufferPointer($0)) }
        graph.initializers.append(Tensor(name: name, dataType: .float, dims: dims, rawData: raw))
        return name
    }

    /// Adds an int64 initializer (shapes, axes, indices) and returns its name.
    @discardableResult
    public mutating func initializer(_ name: String, int64s: [Int64], dims: [Int64]? = nil) -> String {
        let raw = int64s.withUnsafeBufferPointer { ByteSlice(UnsafeRawBufferPointer($0)) }
        graph.initializers.append(Tensor(name: name, dataType: .int64, dims: dims ?? [Int64(int64s.count)], rawData: raw))
        return name
    }

    /// Adds any prepared tensor as an initializer.
    public mutating func initializer(_ t: Tensor) { graph.initializers.append(t) }

    /// Adds a node; returns its output names (`outputs` of them, named after the node).
    @discardableResult
    public mutating func node(_ op: String, _ inputs: [String], name: String? = nil, outputs: Int = 1,
                              outputNames: [String]? = nil, domain: String = "", attributes: [Attribute] = []) -> [String] {
        let nodeName = name ?? uniqueName(op)
        let outs = outputNames ?? (outputs == 1 ? [nodeName + "_output_0"] : (0..<outputs).map { "\(nodeName)_output_\($0)" })
        graph.nodes.append(Node(opType: op, name: nodeName, domain: domain, inputs: inputs, outputs: outs, attributes: attributes))
        return outs
    }

    /// Single-output convenience for ``node(_:_:name:outputs:outputNames:domain:attributes:)``.
    public mutating func op(_ op: String, _ inputs: [String], name: String? = nil, domain: String = "", _ attributes: Attribute...) -> String {
        node(op, inputs, name: name, domain: domain, attributes: attributes)[0]
    }

    /// Adds an opset import for a custom domain.
    public mutating func importDomain(_ domain: String, version: Int64) {
        opsets.append(OperatorSetId(domain: domain, version: version))
    }

    /// The finished model.
    public func model(producer: String = "onnxscope", docString: String = "") -> Model {
        var m = Model(irVersion: irVersion, opsetImports: opsets, graph: graph)
        m.producerName = producer
        m.producerVersion = "0.1.0"
        m.docString = docString
        return m
    }
}

/// Deterministic pseudo-random numbers (SplitMix64) so generated samples are identical
/// on every machine and every run.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    /// Standard normal (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = max(unit(), 1e-300), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    public mutating func normals(_ n: Int, std: Double, mean: Double = 0) -> [Float] {
        (0..<n).map { _ in Float(mean + std * normal()) }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
