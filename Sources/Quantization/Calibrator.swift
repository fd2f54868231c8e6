import Foundation
import OnnxGraph
import OnnxModel
import OnnxRuntimeKit

/// Runs calibration samples through ONNX Runtime and keeps a ``RangeHistogram`` per value.
///
/// The values are made extra outputs of an in-memory copy of the model (the user's file is
/// never touched); each sample is loaded, run and folded into the histograms, then dropped,
/// so memory is one sample's activations plus a fixed-size histogram per value.
public struct Calibrator {
    public let model: Model
    /// The values whose ranges are needed.
    public let values: [String]
    public var configuration: SessionConfiguration
    /// Keep histograms (percentile and entropy need them; MinMax does not).
    public var binned = true

    public typealias Progress = (_ done: Int, _ total: Int) -> Void

    public init(model: Model, values: [String], configuration: SessionConfiguration = .init()) {
        self.model = model; self.values = values; self.configuration = configuration
    }

    /// Every float value an int8 node could read or write in some plan: the inputs and outputs
    /// of quantizable nodes that are not constants. Calibrating all of them once means a new
    /// plan never needs a new calibration.
    public static func candidateValues(analysis: GraphAnalysis) -> [String] {
        let scope = analysis.index.main
        var seen = Set<String>(), out: [String] = []
        for i in scope.topologicalOrder {
            let node = scope.node(i)
            guard QuantizableOps.role(of: node, in: scope, facts: { analysis.shapes.facts($0) }).isQuantizable else { continue }
            for v in node.inputs + node.outputs where !v.isEmpty && !seen.contains(v) && scope.constantTensor(named: v) == nil {
                guard (analysis.shapes.facts(v)?.elementType ?? .float) == .float else { continue }
                seen.insert(v); out.append(v)
            }
        }
        return out
    }

    /// Histograms of every value over the usable samples.
    public func run(samples: CalibrationSamples, library: OrtLibrary, progress: Progress? = nil) throws -> CalibrationResult {
        var augmented = model
        let existing = Set(model.graph.outputs.map(\.name))
        for v in values where !existing.contains(v) {
            augmented.graph.outputs.append(ValueInfo(name: v, type: .tensor(.float, nil)))
        }
        var config = configuration
        if let base = model.baseDirectory {
            // External data of an in-memory model resolves against the original folder.
            config.configEntries.append(("session.model_external_initializers_file_folder_path", base))
        }
        let session = try Session(modelBytes: augmented.serialized(), configuration: config, library: library)
        var histograms = Dictionary(uniqueKeysWithValues: values.map { ($0, RangeHistogram(binned: binned)) })
        var skipped: [CalibrationResult.Skipped] = []
        var used = 0
        for k in 0..<samples.count {
            let feeds = try samples.load(k)
            let bad = CalibrationSamples.nonFiniteCount(feeds)
            if bad > 0 {
                skipped.append(.init(sample: samples.describe(k), reason: "\(bad) NaN or infinite input values"))
                progress?(k + 1, samples.count)
                continue
            }
            // The activations are read where ORT wrote them, never copied (tens of MB a sample).
            // The run holds the input buffers: a graph input asked for as an output is one of them.
            let run: PreparedRun, outputs: [OrtValue]
            do {
                run = try PreparedRun(session: session, feeds: feeds)
                outputs = try run.run()
            } catch {
                throw QuantizationError("calibration sample \(samples.describe(k)): \(error)")
            }
            try withExtendedLifetime(run) {
                for (i, info) in session.outputs.enumerated() where histograms[info.name] != nil {
                    try outputs[i].withFloats { histograms[info.name]!.add($0) }
                }
            }
            used += 1
            progress?(k + 1, samples.count)
        }
        guard used > 0 else {
            throw QuantizationError("no usable calibration sample: \(skipped.map { "\($0.sample): \($0.reason)" }.joined(separator: "; "))")
        }
        return CalibrationResult(histograms: histograms, samplesUsed: used, skipped: skipped)
    }
}

/// What calibration measured.
public struct CalibrationResult: Sendable, Equatable, Codable {
    public struct Skipped: Sendable, Equatable, Codable {
        public var sample: String
        public var reason: String
    }
    public var histograms: [String: RangeHistogram]
    public var samplesUsed: Int
    public var skipped: [Skipped]

    /// The range of every value for a method.
    public func ranges(_ method: CalibrationMethod) -> [String: ValueRange] {
        histograms.compactMapValues { $0.isEmpty ? nil : method.range(of: $0) }
    }
}
