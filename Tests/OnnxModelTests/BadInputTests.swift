import Foundation
import Testing
@testable import OnnxModel

/// Broken files, generated here: each must give a clear error, never a crash or a hang.
@Suite("Bad input gives clear errors")
struct BadInputTests {
    func expectLoadError(_ bytes: [UInt8], mentions words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try Model.decode(bytes)
            Issue.record("decoded without error", sourceLocation: sourceLocation)
        } catch {
            let text = String(describing: error)
            for w in words { #expect(text.contains(w), "error '\(text)' should mention '\(w)'", sourceLocation: sourceLocation) }
        }
    }

    @Test func emptyFile() { expectLoadError([], mentions: ["empty"]) }

    @Test func emptyFileOnDisk() throws {
        let dir = TempDir()
        FileManager.default.createFile(atPath: dir.file("e.onnx"), contents: Data())
        #expect(throws: ModelLoadError.self) { try Model.load(path: dir.file("e.onnx")) }
        #expect(throws: ModelLoadError.self) { try Model.load(path: dir.file("missing.onnx")) }
        #expect(throws: ModelLoadError.self) { try Model.load(path: dir.path) }  // a folder
    }

    @Test func randomBytes() {
        var rng = SeededRandom(seed: 7)
        for n in [1, 7, 100, 4096] {
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: (any Error).self) { try Model.decode(bytes) }
        }
    }

    @Test("truncated files name the truncation")
    func truncated() {
        let bytes = kitchenSinkModel().serialized()
        for cut in [3, bytes.count / 4, bytes.count / 2, bytes.count - 5] {
            expectLoadError(Array(bytes.prefix(cut)), mentions: ["byte"])
        }
    }

    @Test("a valid protobuf that is not a model")
    func notAModel() {
        let t = Tensor(name: "t", dataType: .float, dims: [1], rawData: ByteSlice([0, 0, 128, 63]))
        expectLoadError(t.serialized(), mentions: ["not an ONNX model"])
    }

    @Test("negative and absurd dims are refused when data is read")
    func badDims() {
        for dims: [Int64] in [[-3, 4], [Int64.max, 2], [1 << 40, 1 << 40]] {
            let t = Tensor(name: "w", dataType: .float, dims: dims, rawData: ByteSlice([0, 0, 0, 0]))
            #expect(throws: TensorDataError.self) { try Model.tensorData(t, baseDirectory: nil) }
        }
    }

    @Test("raw_data length disagreeing with dims names the tensor and both sizes")
    func rawLengthMismatch() {
        let t = Tensor(name: "conv.weight", dataType: .float, dims: [2, 2], rawData: ByteSlice([1, 2, 3]))
        do { _ = try Model.tensorData(t, baseDirectory: nil); Issue.record("no error") } catch {
            let s = String(describing: error)
            #expect(s.contains("conv.weight") && s.contains("3 bytes") && s.contains("16"))
        }
    }

    func externalTensor(_ location: String, length: Int = 16) -> Tensor {
        var t = Tensor(); t.name = "ext"; t.dataType = .float; t.dims = [4]
        t.dataLocation = 1
        t.externalData = [StringStringEntry(key: "location", value: location), StringStringEntry(key: "length", value: "\(length)")]
        return t
    }

    @Test("external data outside the model's folder is refused")
    func externalEscapes() throws {
        let root = TempDir()
        let modelDir = root.file("model")
        try FileManager.default.createDirectory(atPath: modelDir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root.file("secret.bin"), contents: Data(count: 16))
        try FileManager.default.createSymbolicLink(atPath: modelDir + "/link.bin", withDestinationPath: root.file("secret.bin"))
        for loc in ["../secret.bin", "/etc/passwd", "sub/../../secret.bin", "link.bin"] {
            do { _ = try Model.tensorData(externalTensor(loc), baseDirectory: modelDir); Issue.record("\(loc) accepted") } catch {
                #expect(String(describing: error).contains("folder"), "\(error)")
            }
        }
        #expect(throws: TensorDataError.self) { try Model.tensorData(self.externalTensor("missing.bin"), baseDirectory: modelDir) }
        // Inside the folder but too short.
        FileManager.default.createFile(atPath: modelDir + "/short.bin", contents: Data(count: 8))
        do { _ = try Model.tensorData(externalTensor("short.bin"), baseDirectory: modelDir); Issue.record("short accepted") } catch {
            #expect(String(describing: error).contains("past its end"))
        }
        FileManager.default.createFile(atPath: modelDir + "/ok.bin", contents: Data(count: 16))
        #expect(try Model.tensorData(externalTensor("ok.bin"), baseDirectory: modelDir).count == 16)
    }

    @Test("200-deep nested sub-graphs give a nesting error, not a stack overflow")
    func deepNesting() {
        var inner = Graph(name: "leaf")
        for i in 0..<200 {
            var g = Graph(name: "level\(i)")
            g.nodes = [Node(opType: "If", name: "if\(i)", inputs: ["c"], outputs: ["o"], attributes: [.graph("then_branch", inner), .graph("else_branch", Graph())])]
            inner = g
        }
        let m = Model(graph: inner)
        expectLoadError(m.serialized(), mentions: ["nested deeper"])
    }

    @Test("names with control characters and ANSI escapes are shown escaped")
    func escapedNames() {
        let hostile = "conv\u{1b}[2J\u{1b}]0;pwned\u{07}\r\n\u{9b}31m\u{202e}x"
        let shown = hostile.escapedForDisplay
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value) || $0.value == 0x202e })
        #expect(shown.hasPrefix("conv\\e[2J"))
    }

    @Test("wrong wire types are reported with the field and message")
    func wrongWireType() {
        var w = WireWriter()
        w.string(1, "eight")   // ir_version as a string
        expectLoadError(w.bytes, mentions: ["field 1", "ModelProto"])
    }

    @Test("mutated models never crash the reader", .timeLimit(.minutes(2)))
    func mutations() throws {
        let original = kitchenSinkModel().serialized()
        var rng = SeededRandom(seed: 42)
        var decoded = 0
        for _ in 0..<4000 {
            var b = original
            switch rng.next() % 4 {
            case 0: b[Int(rng.next() % UInt64(b.count))] ^= UInt8(1 << (rng.next() % 8))
            case 1: b[Int(rng.next() % UInt64(b.count))] = UInt8(truncatingIfNeeded: rng.next())
            case 2: b = Array(b.prefix(Int(rng.next() % UInt64(b.count))))
            default:
                let at = Int(rng.next() % UInt64(b.count)), n = Int(rng.next() % 16)
                b.insert(contentsOf: b[at..<min(b.count, at + n)], at: at)
            }
            guard let m = try? Model.decode(b) else { continue }
            decoded += 1
            _ = m.serialized()
            for t in m.graph.initializers { _ = try? m.tensorValues(t, limit: 16) }
        }
        #expect(decoded > 0)   // some mutations hit harmless bytes; the rest must fail cleanly
    }
}
