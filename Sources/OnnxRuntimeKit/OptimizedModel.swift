import Foundation
import OnnxModel

/// The graph ORT's optimizer makes of a model at a given level on the CPU EP, as ORT writes it
/// (`SetOptimizedModelFilePath`). This is the graph ORT hands to execution providers, so
/// placement predictions start from it (ORT's usability checker does the same at level basic).
///
/// The file lives in a private temporary folder, weights over 1 KB in a side file, until this
/// object goes away; the user's model is only read.
public final class OptimizedModel: Sendable {
    public let model: Model
    public let level: GraphOptimizationLevel
    private let directory: URL

    /// Opens `modelPath` in ORT at `level` (CPU EP, errors-only log) and loads what ORT wrote.
    public convenience init(modelPath: String, level: GraphOptimizationLevel = .basic, library: OrtLibrary,
                            freeDimensionOverrides: [String: Int64] = [:]) throws {
        var config = SessionConfiguration()
        config.optimizationLevel = level
        config.intraOpThreads = 1
        config.freeDimensionOverrides = freeDimensionOverrides
        try self.init(source: .path(modelPath), configuration: config, library: library)
    }

    /// Opens `source` in ORT with `configuration` (its level, providers and fixed dims; the
    /// assignment report and profiling are left off) and loads the graph ORT wrote. A
    /// compiling EP (OpenVINO, TensorRT…) makes ORT refuse to write the graph; the error says so.
    public init(source: ModelRunner.Source, configuration: SessionConfiguration, library: OrtLibrary) throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("onnxscope-optimized-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var config = configuration
        config.recordAssignment = false
        config.profilingPrefix = nil
        config.logLevel = max(library.log.level, .error)
        config.optimizedModelPath = dir.appendingPathComponent("optimized.onnx").path
        config.configEntries += [("session.optimized_model_external_initializers_file_name", "optimized.bin"),
                                 ("session.optimized_model_external_initializers_min_size_in_bytes", "1024")]
        do {
            _ = try NativeOutputCapture.capture(into: library.log) {
                switch source {
                case .path(let path): try Session(modelPath: path, configuration: config, library: library)
                case .bytes(let bytes): try Session(modelBytes: bytes, configuration: config, library: library)
                }
            }
            model = try Model.load(path: config.optimizedModelPath!)
        } catch {
            try? FileManager.default.removeItem(at: dir)
            throw error
        }
        level = configuration.optimizationLevel
        directory = dir
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes ORT's optimized graph of `modelPath` at `level`, with `freeDimensionOverrides`
    /// fixed, to `outputPath`: the inputs get the numbers and ORT's constant folding removes the
    /// shape computations the fixed dims settle. The file appears complete or not at all (ORT
    /// writes beside it, then it is renamed); weights stay inline unless the model keeps them
    /// in external data, then they go to `<output>.data`. The input is only read.
    /// - Returns: the paths written.
    @discardableResult
    public static func write(modelPath: String, to outputPath: String, level: GraphOptimizationLevel = .basic,
                             library: OrtLibrary, freeDimensionOverrides: [String: Int64]) throws -> [String] {
        let out = URL(fileURLWithPath: outputPath)
        let temporary = out.deletingLastPathComponent()
            .appendingPathComponent(".onnxscope-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-" + out.lastPathComponent).path
        var config = SessionConfiguration()
        config.optimizationLevel = level
        config.recordAssignment = false
        config.intraOpThreads = 1
        config.freeDimensionOverrides = freeDimensionOverrides
        config.logLevel = max(library.log.level, .error)
        config.optimizedModelPath = temporary
        var written = [outputPath]
        let source = try Model.load(path: modelPath)
        if source.graph.initializers.contains(where: \.isExternal) {
            let dataName = out.lastPathComponent + ".data"
            config.configEntries = [("session.optimized_model_external_initializers_file_name", dataName),
                                    ("session.optimized_model_external_initializers_min_size_in_bytes", "1024")]
            written.append(out.deletingLastPathComponent().appendingPathComponent(dataName).path)
        }
        do {
            _ = try NativeOutputCapture.capture(into: library.log) {
                try Session(modelPath: modelPath, configuration: config, library: library)
            }
            guard rename(temporary, outputPath) == 0 else {
                throw FileError(path: outputPath, reason: "cannot move the written model into place: \(String(cString: strerror(errno)))")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        return written
    }
}
