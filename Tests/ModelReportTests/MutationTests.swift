import Foundation
import ModelReport
import OnnxGraph
import OnnxModel
import Testing

/// Flipped and cut bytes of real sample models, through everything `info` does: decode,
/// index, shape inference, metrics, summary. Every outcome must be a value or a thrown error.
@Suite("Mutated sample models never crash info")
struct MutationTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    @Test(arguments: ["bert-tiny", "if-branch", "loop", "tiny-mlp"])
    func mutate(sample: String) throws {
        let original = try [UInt8](Data(contentsOf: Self.samples.appendingPathComponent("\(sample).onnx")))
        var rng = SeededRandom(seed: 0x5eed)
        var outcomes = (decoded: 0, rejected: 0)
        // Big samples get fewer rounds: each decoded mutant runs the whole analysis.
        let rounds = original.count > 100_000 ? 150 : 1500
        for _ in 0..<rounds {
            var b = original
            let pos = Int(rng.next() % UInt64(b.count))
            switch rng.next() % 5 {
            case 0: b[pos] ^= UInt8(1 << (rng.next() % 8))
            case 1: b[pos] = UInt8(truncatingIfNeeded: rng.next())
            case 2: b = Array(b.prefix(pos))
            case 3: b.removeSubrange(pos..<min(b.count, pos + Int(rng.next() % 32)))
            default: b.insert(contentsOf: b[pos..<min(b.count, pos + Int(rng.next() % 64))], at: pos)
            }
            guard let m = try? Model.decode(b) else { outcomes.rejected += 1; continue }
            outcomes.decoded += 1
            let s = ModelSummary(model: m, path: nil, analysis: GraphAnalysis(model: m))
            _ = s.text()
            _ = try s.json()
        }
        #expect(outcomes.decoded + outcomes.rejected == rounds)
        #expect(outcomes.rejected > 0)
    }
}
