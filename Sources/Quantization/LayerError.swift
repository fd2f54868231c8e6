import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Per quantized value, how far it is from float on the eval samples, in two ways
/// (ORT's qdq_loss_debug calls them qdq_err and xmodel_err):
/// - local: the float activation against its own quantize→dequantize (this layer's Q/DQ alone);
/// - propagated: the float activation against the int8 model's value at the same place (every
///   error upstream included).
public struct LayerError: Sendable, Equatable, Codable {
    /// The node that writes the value ("" for a graph input).
    public var node: String
    public var tensor: String
    /// The int8 nodes that make the value quantized (its int8 writer and readers): keeping all
    /// of them float is what removes this value's Q/DQ.
    public var int8Nodes: [String] = []
    public var localSQNR: Double?
    public var propagatedSQNR: Double

    /// A node that computes in int8 (or a Relu/Clip folded into one).
    public static func isInt8Compute(_ i: Int, _ plan: QuantizationPlan) -> Bool {
        if case .compute = plan.decisions[i].role { return plan.decisions[i].precision == .int8 }
        return plan.decisions[i].precision == .int8 && plan.decisions[i].role == .foldableActivation
    }

    /// Each quantized value of a written model with the int8 nodes that keep it quantized: its
    /// writer (through a folded Relu, the node before it) and its int8 compute readers, and
    /// where its readers saturate (``SaturatingReaders``): errors are measured as they see it.
    public static func quantizedValues(plan: QuantizationPlan, analysis: GraphAnalysis, activations: [String: QuantizationParameters])
        -> [MeasuredValue] {
        let scope = analysis.index.main
        let saturating = SaturatingReaders.intervals(in: analysis)
        var producerOf: [String: Int] = [:]
        for i in 0..<scope.nodeCount { for o in scope.node(i).outputs where !o.isEmpty { producerOf[o] = i } }
        return activations.sorted { $0.key < $1.key }.map { tensor, p in
            var writer = producerOf[tensor]
            if let w = writer, plan.decisions[w].role == .foldableActivation, plan.decisions[w].precision == .int8 {
                writer = producerOf[scope.node(w).inputs[0]]
            }
            var tied: [String] = []
            if let w = writer, isInt8Compute(w, plan), plan.decisions[w].role != .sharedScale { tied.append(plan.decisions[w].name) }
            for r in scope.consumers(of: tensor) where isInt8Compute(r, plan) && plan.decisions[r].role != .foldableActivation {
                tied.append(plan.decisions[r].name)
            }
            return (tensor, writer.map { plan.decisions[$0].name } ?? "", tied, p, saturating[tensor])
        }
    }

    /// A quantized value to measure: its writer, the int8 nodes tied to it, its parameters and
    /// the interval outside which every reader saturates (nil: they read all of it).
    public typealias MeasuredValue = (tensor: String, writer: String, int8Nodes: [String], parameters: QuantizationParameters, readersSee: ClosedRange<Double>?)

    /// Sessions on the float and the int8 model with `tensors` made graph outputs, so a run of
    /// each returns the same values side by side (the float model's external data found beside it).
    static func sessions(exposing tensors: [String], floatModel: Model, int8Model: Model, library: OrtLibrary,
                         configuration: SessionConfiguration) throws -> (float: Session, int8: Session) {
        func exposing(_ m: Model) -> Model {
            var a = m
            let have = Set(m.graph.outputs.map(\.name))
            // Only what the model computes: a value only a rescale read has no DequantizeLinear left.
            let computed = Set(m.graph.nodes.flatMap(\.outputs)).union(m.graph.inputs.map(\.name))
            for t in tensors where !have.contains(t) && computed.contains(t) { a.graph.outputs.append(ValueInfo(name: t, type: .tensor(.float, nil))) }
            return a
        }
        var config = configuration
        if let base = floatModel.baseDirectory { config.configEntries.append(("session.model_external_initializers_file_folder_path", base)) }
        return (try Session(modelBytes: exposing(floatModel).serialized(), configuration: config, library: library),
                try ModelImage(exposing(int8Model)).session(configuration: configuration, library: library))
    }

    /// Runs the float model and the int8 model with every layer output made a graph output.
    /// The int8 model's DequantizeLinear outputs keep the float names, so values line up.
    /// - Parameter values: the quantized values (``MeasuredValue``).
    public static func measure(floatModel: Model, int8Model: Model, values: [MeasuredValue],
                               samples: CalibrationSamples, library: OrtLibrary, configuration: SessionConfiguration) throws -> [LayerError] {
        let targets = values.map { ($0.writer, $0.tensor, Optional($0.parameters)) }
        // Both sides compared as the readers see them: a value its readers clip is clipped first.
        let seen = values.map { v in v.readersSee.map { (Float(Swift.max($0.lowerBound, -Double(Float.greatestFiniteMagnitude))),
                                                          Float(Swift.min($0.upperBound, Double(Float.greatestFiniteMagnitude)))) } }
        let tied = Dictionary(values.map { ($0.tensor, $0.int8Nodes) }, uniquingKeysWith: { a, _ in a })
        guard !targets.isEmpty else { return [] }
        let (f, q) = try sessions(exposing: targets.map(\.1), floatModel: floatModel, int8Model: int8Model, library: library, configuration: configuration)
        var signal = [Double](repeating: 0, count: targets.count), local = signal, propagated = signal
        var measured = Set<String>()
        for k in 0..<samples.count {
            let feeds = try samples.load(k)
            if CalibrationSamples.nonFiniteCount(feeds) > 0 { continue }
            let fo = try f.run(feeds), qo = try q.run(feeds)
            for (i, (_, t, p)) in targets.enumerated() {
                guard let a = fo[t], let b = qo[t], a.elementType == .float, b.elementType == .float, a.shape == b.shape else { continue }
                measured.insert(t)
                let x = a.values(as: Float.self), y = b.values(as: Float.self)
                var sig = 0.0, prop = 0.0, loc = 0.0
                // The local error uses the per-tensor (S, Z) of an activation.
                let s = p?.scales[0] ?? 1, z = Float(p?.zeroPoints[0] ?? 0)
                let (qmin, qmax) = p.map { $0.type.range(symmetric: false) } ?? (0, 255)
                let lo = Float(qmin), hi = Float(qmax)
                let (clipLo, clipHi) = seen[i] ?? (-Float.infinity, Float.infinity)
                x.withUnsafeBufferPointer { xs in
                    y.withUnsafeBufferPointer { ys in
                        for j in 0..<xs.count {
                            let xj = Swift.min(clipHi, Swift.max(clipLo, xs[j])), yj = Swift.min(clipHi, Swift.max(clipLo, ys[j]))
                            let v = Double(xj)
                            sig += v * v
                            let d = v - Double(yj); prop += d * d
                            let q = Swift.min(hi, Swift.max(lo, (xj / s).rounded(.toNearestOrEven) + z))
                            let r = Double(s * (q - z)); loc += (v - r) * (v - r)
                        }
                    }
                }
                signal[i] += sig; propagated[i] += prop; local[i] += loc
            }
        }
        func sqnr(_ s: Double, _ n: Double) -> Double { n == 0 ? .infinity : 10 * log10(max(s, 1e-30) / n) }
        return targets.enumerated().filter { measured.contains($0.element.1) }.map { i, t in
            LayerError(node: t.0, tensor: t.1, int8Nodes: tied[t.1] ?? [], localSQNR: t.2 == nil ? nil : sqnr(signal[i], local[i]),
                       propagatedSQNR: sqnr(signal[i], propagated[i]))
        }
    }
}
