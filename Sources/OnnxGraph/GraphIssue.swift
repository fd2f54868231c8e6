import OnnxModel

/// A problem found while indexing or analysing a graph.
///
/// Indexing never stops at the first problem: a model with a cycle or a dangling input can
/// still be browsed, and the issue list tells the user what is wrong and where. Names inside
/// `message` are already escaped for display.
public struct GraphIssue: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
        case info, warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
        public var description: String { ["info", "warning", "error"][rawValue] }
    }

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Nodes depend on each other in a loop; `nodes` lists one cycle in data-flow order.
        case cycle
        /// A node input names a value that no node, input or initializer in scope produces.
        case danglingInput
        /// A graph output names a value that nothing produces.
        case danglingOutput
        /// Two producers (nodes, inputs or initializers) define the same value name.
        case duplicateProducer
        /// Two nodes share a non-empty name.
        case duplicateNodeName
        /// Sub-graphs nest deeper than ``GraphIndex/maximumNestingDepth``; deeper ones are not indexed.
        case nestingTooDeep
        /// Inferred type or shape contradicts the declared one (value_info or graph output).
        case shapeMismatch
        /// A shape rule found inputs it cannot accept (wrong rank, incompatible broadcast…).
        case invalidShape

        // Kinds found by ``ModelValidation``: what onnx.checker or ONNX Runtime refuses.

        /// A tensor's dims are negative, or their element or byte count does not fit in 64 bits.
        case invalidDims
        /// A tensor's data (raw_data, a typed field, external data) holds more or fewer
        /// elements than its dims say.
        case tensorDataSize
        /// A tensor's data is in the wrong place: no or an unknown data type, no data, the
        /// wrong typed field for its type, several data fields, strings in raw_data.
        case tensorDataLayout
        /// External data that cannot be read safely: no location, outside the model's folder,
        /// an absolute path, a missing or short file, unknown keys.
        case externalData
        /// The model's IR version is newer than the runtime loads, or older than what it uses.
        case irVersion
        /// An opset import is missing (for a domain nodes use) or newer than the runtime supports.
        case opsetImport
        /// An operator that does not exist in its domain at the imported opset version, was
        /// deprecated there, has no CPU kernel at the version it resolves to, or is empty.
        case unknownOperator
        /// Nodes of a domain ONNX Runtime has no operators for (a custom-op library is needed).
        case unknownDomain
        /// Nodes are not in topological order (the onnx checker requires file order to be one).
        case nodeOrder
        /// A required field is missing: a graph name, the type or shape of a graph input or
        /// output, an IR 3 initializer's graph input.
        case missingField
    }

    public var severity: Severity
    public var kind: Kind
    public var message: String
    /// Scope (``GraphScope/id``) the issue is in; 0 is the main graph.
    public var scope: Int
    /// Node ids (within `scope`) the issue is about.
    public var nodes: [Int]
    /// Value names the issue is about (raw, not escaped).
    public var values: [String]

    public init(_ severity: Severity, _ kind: Kind, _ message: String, scope: Int, nodes: [Int] = [], values: [String] = []) {
        self.severity = severity; self.kind = kind; self.message = message
        self.scope = scope; self.nodes = nodes; self.values = values
    }

    public var description: String { "\(severity): \(message)" }
}
