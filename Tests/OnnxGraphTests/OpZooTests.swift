import Foundation
import Testing
import OnnxModel
@testable import OnnxGraph

/// The shape rules added for real exports (recurrent, Einsum, detection, signal, sequences…)
/// against what ONNX Runtime computes: each small graph runs through
/// `Tests/RealModels/reference.py`, which makes every value an output of a real run.
@Suite("Op rules against ORT")
struct OpZooTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One graph per family, fixed input dims.
    static func zoo() -> [(String, Model)] {
        var out: [(String, Model)] = []
        do {  // LSTM, GRU, RNN (bidirectional, layout 0)
            var b = GraphBuilder(name: "recurrent")
            let x = b.input("x", .float, [.value(5), .value(2), .value(8)])
            var e = SeededRandom(seed: 1)
            func w(_ name: String, _ dims: [Int64]) -> String {
                let n = dims.reduce(1, *)
                return b.initializer(name, floats: (0..<n).map { _ in Float(e.normal() * 0.1) }, dims: dims)
            }
            _ = b.node("LSTM", [x, w("lw", [2, 64, 8]), w("lr", [2, 64, 16])], name: "lstm", outputs: 3,
                       attributes: [.int("hidden_size", 16), .string("direction", "bidirectional")])
            _ = b.node("GRU", [x, w("gw", [1, 48, 8]), w("gr", [1, 48, 16])], name: "gru", outputs: 2, attributes: [.int("hidden_size", 16)])
            _ = b.node("RNN", [x, w("rw", [1, 16, 8]), w("rr", [1, 16, 16])], name: "rnn", outputs: 2, attributes: [.int("hidden_size", 16)])
            for o in ["lstm_output_0", "gru_output_0", "rnn_output_1"] { b.output(o, .float, nil) }
            out.append(("recurrent", b.model()))
        }
        do {  // Einsum (explicit and implicit), NonZero, Unique, TopK
            var b = GraphBuilder(name: "einsum")
            let a = b.input("a", .float, [.value(2), .value(3), .value(4)])
            let c = b.input("c", .float, [.value(4), .value(5)])
            let e1 = b.op("Einsum", [a, c], name: "dense", .string("equation", "bsi,io->bso"))
            let e2 = b.op("Einsum", [a], name: "trace", .string("equation", "bij"))
            let nz = b.op("NonZero", [a], name: "nz")
            let u = b.node("Unique", [c], name: "uniq", outputs: 4, attributes: [.int("sorted", 1)])
            for o in [e1, e2, u[0]] { b.output(o, .float, nil) }
            b.output(nz, .int64, nil)
            out.append(("einsum", b.model()))
        }
        do {  // RoiAlign, GridSample, SplitToSequence → ConcatFromSequence, DFT
            var b = GraphBuilder(name: "vision")
            let x = b.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
            let rois = b.input("rois", .float, [.value(4), .value(4)])
            let idx = b.initializer("idx", int64s: [0, 0, 0, 0])
            let grid = b.input("grid", .float, [.value(1), .value(5), .value(6), .value(2)])
            let r = b.op("RoiAlign", [x, rois, idx], name: "roi", .int("output_height", 3), .int("output_width", 2))
            let g = b.op("GridSample", [x, grid], name: "grid")
            let seq = b.op("SplitToSequence", [x], name: "split", .int("axis", 1))
            let cat = b.op("ConcatFromSequence", [seq], name: "cat", .int("axis", 2))
            let sig = b.input("sig", .float, [.value(2), .value(16), .value(1)])
            let dft = b.op("DFT", [sig], name: "dft", .int("onesided", 1))
            for o in [r, g, cat, dft] { b.output(o, .float, nil) }
            out.append(("vision", b.model()))
        }
        return out
    }

    @Test("every value's dtype and shape equal ORT's", arguments: zoo().map(\.0))
    func againstOrt(_ name: String) throws {
        let model = Self.zoo().first { $0.0 == name }!.1
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run `make venv` first")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-opzoo-\(getpid())-\(name)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.onnx").path, ref = dir.appendingPathComponent("ref.json").path
        try model.write(to: path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [Self.root.appendingPathComponent("Tests/RealModels/reference.py").path, path, "--out", ref, "--no-onnx-tool"]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "reference.py failed: \(problem)")
        struct Ref: Decodable { struct V: Decodable { var dtype: String?; var shape: [Int]? }; var values: [String: V] }
        let reference = try JSONDecoder().decode(Ref.self, from: Data(contentsOf: URL(fileURLWithPath: ref)))
        let a = GraphAnalysis(model: model)
        var wrong: [String] = []
        for (v, real) in reference.values.sorted(by: { $0.key < $1.key }) {
            let f = a.shapes.facts(v)
            let dims = f?.dims
            // A sequence has no one shape in ORT's output; ours must know it is one.
            guard let realShape = real.shape else {
                if f?.isSequence != true { wrong.append("\(v): ORT gives a sequence, ours \(f?.summary ?? "nothing")") }
                continue
            }
            // A data-dependent dim (NonZero's count) is a symbol of its own: any number is right.
            let agrees = dims?.count == realShape.count && zip(dims ?? [], realShape).allSatisfy { d, r in
                if let x = d.intValue { return x == Int64(r) }
                if case .param(let p) = d { return a.shapes.dataDependentDims[p] != nil }
                return false
            }
            if f?.elementType?.name != real.dtype || !agrees { wrong.append("\(v): ours \(f?.summary ?? "nothing"), ORT \(real.dtype ?? "?")\(realShape)") }
        }
        #expect(wrong.isEmpty, "\(wrong.joined(separator: "\n"))")
        #expect(!reference.values.isEmpty)
    }

    @Test("every op of the default domain up to opset 21 has a shape rule")
    func coverage() throws {
        let python = Self.root.appendingPathComponent(".venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python), "run `make venv` first")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", "import onnx.defs as D; print('\\n'.join(sorted({s.name for s in D.get_all_schemas_with_history() if s.domain == '' and s.since_version <= 21 and not s.deprecated})))"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let names = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n").map(String.init)
        p.waitUntilExit()
        #expect(names.count > 150)
        let missing = names.filter { ShapeRules.all[$0] == nil }
        #expect(missing.isEmpty, "no rule for \(missing)")
    }
}
