import Foundation
import OnnxModel
import OnnxRuntimeKit

/// What ORT really built for each node planned int8: the int8 model is opened in ORT, which
/// writes its optimized graph; a planned node ran int8 when the node carrying its name there is
/// an integer kernel.
public struct IntegerKernelCheck: Sendable {
    public struct Entry: Sendable, Equatable, Codable {
        public var node: String
        public var planned: String
        /// The op ORT built for the node ("QLinearConv", or "Conv" when it stayed float).
        public var built: String?
        public var ranInt8: Bool
        /// Why not, in words a user can act on.
        public var why: String?
    }
    public var entries: [Entry]
    public var ranInt8Count: Int { entries.filter(\.ranInt8).count }

    /// Opens the model in ORT (extended optimizations, CPU EP) and compares with the plan.
    public static func run(model source: ModelRunner.Source, layers: [LayerArithmetic], settings: QuantizationSettings,
                           library: OrtLibrary, configuration: SessionConfiguration) throws -> IntegerKernelCheck {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-kernels-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = configuration
        // Level 2 (extended) runs the QDQ fusions; level 3 only adds layout changes (NCHWc)
        // that rename nodes and make ORT warn about hardware-specific files.
        config.optimizationLevel = .extended
        config.optimizedModelPath = dir.appendingPathComponent("optimized.onnx").path
        if case .path = source {
            // A model past 2 GB: ORT can write its optimized form only with external data.
            config.configEntries.append(("session.optimized_model_external_initializers_file_name", "optimized.onnx.data"))
        }
        _ = try Session(source: source, configuration: config, library: library)
        let optimized = try Model.load(path: config.optimizedModelPath!)
        return check(optimized: optimized.graph, layers: layers, settings: settings)
    }

    static func check(optimized: Graph, layers: [LayerArithmetic], settings: QuantizationSettings) -> IntegerKernelCheck {
        var byName: [String: Node] = [:]
        for n in optimized.nodes where !n.name.isEmpty { byName[n.name] = n }
        let entries = layers.map { layer -> Entry in
            // ORT keeps the target's name on the fused node; layout passes may add a suffix.
            let node = byName[layer.node] ?? optimized.nodes.first { $0.name.hasPrefix(layer.node + "_") && !$0.opType.hasPrefix("Reorder") }
            guard let node else {
                return Entry(node: layer.node, planned: layer.kernel, built: nil, ranInt8: false,
                             why: "ORT's optimized graph has no node named like it (fused into a neighbour or removed)")
            }
            if QuantizableOps.integerKernels.contains(node.opType) {
                return Entry(node: layer.node, planned: layer.kernel, built: node.opType, ranInt8: true, why: nil)
            }
            var why = "ORT kept \(node.opType) in float between DequantizeLinear/QuantizeLinear"
            if settings.activations == .int8 && ["Conv", "MatMul"].contains(layer.opType) {
                why += ": ORT's CPU EP fuses \(layer.opType) with int8 activations only on ARM; use --activations uint8 (or auto) on x86"
            } else if layer.output == nil && layer.opType != "Gemm" && layer.opType != "MatMul" {
                why += ": its output is not quantized, and \(layer.kernel) needs a QuantizeLinear after it"
            } else {
                why += ": the Q/DQ around it did not match ORT's selector (a neighbour changed shape or type)"
            }
            return Entry(node: layer.node, planned: layer.kernel, built: node.opType, ranInt8: false, why: why)
        }
        return IntegerKernelCheck(entries: entries)
    }
}
