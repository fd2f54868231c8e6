import Foundation
import OnnxModel
import OnnxGraph

/// The manifest `Tests/RealModels/models.json` and the files `make real-models` puts in
/// `.models/` (models) and `.models/ref/` (what ORT computed on them).
enum RealModels {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Entry: Decodable {
        var name: String
        var file: String
        var exporter: String
        var dims: [String: Int64]
        /// Values whose dims depend on which branch of an If runs, when the condition is a
        /// runtime value: onnxscope may leave the disputed dims unknown (never wrong).
        var branchDependent: BranchDependent?
        struct BranchDependent: Decodable { var reason: String; var values: [String] }
    }

    struct Reference: Decodable {
        struct Value: Decodable { var dtype: String; var shape: [Int] }
        struct OnnxInference: Decodable { var exact: Int; var partial: Int; var missing: Int }
        var nodeKey: String
        var values: [String: Value]
        var macs: [String: Int64]
        var macsFromOrtShapes: [String: Int64]
        var onnxShapeInference: OnnxInference
    }

    struct Loaded {
        var entry: Entry
        var model: Model
        var analysis: GraphAnalysis
        var reference: Reference

        /// The node a reference key names: its name, or `<op>_<position in graph.node>` for
        /// exports with empty or repeated names.
        func node(_ key: String) -> Int? {
            let nodes = model.graph.nodes
            if reference.nodeKey == "name" { return nodes.firstIndex { $0.name == key } }
            guard let us = key.lastIndex(of: "_"), let i = Int(key[key.index(after: us)...]), i < nodes.count,
                  nodes[i].opType == String(key[..<us]) else { return nil }
            return i
        }
    }

    static let entries: [Entry] = {
        let url = root.appendingPathComponent("Tests/RealModels/models.json")
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        guard let data = try? Data(contentsOf: url), let e = try? dec.decode([Entry].self, from: data) else { return [] }
        return e
    }()

    static func load(_ name: String) throws -> Loaded {
        guard let entry = entries.first(where: { $0.name == name }) else { throw Missing("no model \(name) in Tests/RealModels/models.json") }
        let path = root.appendingPathComponent(".models/\(entry.file)").path
        let refPath = root.appendingPathComponent(".models/ref/\(entry.file).json")
        guard FileManager.default.fileExists(atPath: path), let refData = try? Data(contentsOf: refPath) else {
            throw Missing("\(path) or its reference is missing: run `make real-models` (the test command does)")
        }
        let model = try Model.load(path: path)
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        let reference = try dec.decode(Reference.self, from: refData)
        let analysis = GraphAnalysis(model: model, binding: try DimensionBinding(model: model, user: entry.dims))
        return Loaded(entry: entry, model: model, analysis: analysis, reference: reference)
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
