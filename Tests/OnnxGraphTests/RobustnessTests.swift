import Testing
import OnnxModel
@testable import OnnxGraph

/// Shape rules read dims, attributes and constants straight from untrusted files. These tests
/// throw extreme and nonsensical values at every rule; the only requirement is no trap
/// (integer overflow, bad conversions, out-of-range indexing) and no runaway allocation.
@Suite("Robustness of shape rules and metrics")
struct RobustnessTests {
    static let numbers: [Int64] = [.max, .min, .max - 1, .min + 1, -1, 0, 1, 2, 3, 7, 64, 1 << 31, -(1 << 31), 1 << 40]
    static let doubles: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, 0, 0.5, 2, -3]

    struct Fuzzer {
        var rng: SeededRandom
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        mutating func chance(_ p: Double) -> Bool { rng.unit() < p }
        mutating func int() -> Int64 { chance(0.5) ? pick(RobustnessTests.numbers) : Int64(rng.next() % 9) - 4 }
        mutating func dim() -> Dimension {
            switch rng.next() % 6 {
            case 0: return .param(pick(["batch", "seq", "2*batch", "99999999999999999999*x", "a*b*c", ""]))
            case 1: return .unknown
            default: return .value(int())
            }
        }
        mutating func dims() -> [Dimension]? {
            chance(0.1) ? nil : (0..<Int(rng.next() % 6)).map { _ in dim() }
        }
        mutating func facts() -> ValueFacts? {
            if chance(0.1) { return nil }
            var f = ValueFacts(pick([DataType.float, .int64, .int8, .uint8, .bool, DataType(rawValue: 999)]), dims())
            if chance(0.5) {
                let n = Int(rng.next() % 6)
                f.value = SymbolicTensor(dims: chance(0.5) ? [Int64(n)] : [int()], elements: (0..<n).map { _ in dim() })
            }
            return f
        }
        mutating func attributes() -> [Attribute] {
            var out: [Attribute] = []
            for name in ["axis", "group", "to", "blocksize", "num_scan_inputs", "keepdims", "allowzero", "start", "end",
                         "transA", "transB", "ceil_mode", "k", "dtype", "output_dtype", "noop_with_empty_axes", "stash_type"] where chance(0.3) {
                out.append(.int(name, int()))
            }
            for name in ["axes", "perm", "kernel_shape", "strides", "pads", "dilations", "split", "output_padding",
                         "output_shape", "starts", "ends", "shape", "scan_input_axes", "paddings"] where chance(0.3) {
                out.append(.ints(name, (0..<Int(rng.next() % 7)).map { _ in int() }))
            }
            if chance(0.2) { out.append(.string("auto_pad", pick(["SAME_UPPER", "VALID", "NOTSET", "bogus"]))) }
            if chance(0.1) { out.append(.floats("scales", [Float.nan, .infinity, 1e30, 2].shuffled(using: &rng))) }
            if chance(0.1) {
                let n = Int(rng.next() % 4)
                let raw = (0..<n).flatMap { _ in withUnsafeBytes(of: int().littleEndian, Array.init) }
                out.append(.tensor("value", Tensor(name: "", dataType: .int64, dims: [Int64(n)], rawData: ByteSlice(raw))))
            }
            return out
        }
    }

    @Test("every shape rule survives extreme dims, attributes and constants")
    func rules() {
        var f = Fuzzer(rng: SeededRandom(seed: 0x5EED))
        for (op, rule) in ShapeRules.all.sorted(by: { $0.key < $1.key }) {
            for _ in 0..<300 {
                let inputs = (0..<Int(f.rng.next() % 9)).map { _ in f.facts() }
                let node = Node(opType: op, name: "n", inputs: inputs.indices.map { f.chance(0.1) ? "" : "i\($0)" },
                                outputs: (0..<Int(1 + f.rng.next() % 3)).map { "o\($0)" }, attributes: f.attributes())
                let subs = (0..<Int(f.rng.next() % 3)).map { _ in (0..<Int(f.rng.next() % 4)).map { _ in f.facts() } }
                let constants = (0..<inputs.count).map { _ in (0..<Int(f.rng.next() % 5)).map { _ in f.pick(Self.doubles) } }
                var ctx = ShapeRuleContext(node: node, opset: f.pick([7, 11, 13, 17, 18, 21]), inputs: inputs,
                                           subgraphOutputs: subs, baseDirectory: nil) { i in constants[i] }
                rule(&ctx)
                #expect(ctx.outputs.count == node.outputs.count)
            }
        }
    }

    @Test("rewired and mutated sample graphs (cycles, dangling values, wrong ranks) analyse without trapping",
          arguments: ["bert-tiny", "if-branch", "loop"])
    func mutatedSamples(_ name: String) {
        let original = Samples.named(name)
        var f = Fuzzer(rng: SeededRandom(seed: 0xF00D))
        let values = original.graph.nodes.flatMap(\.outputs) + original.graph.inputs.map(\.name) + ["nowhere", ""]
        for round in 0..<40 {
            var model = original
            for _ in 0..<(1 + round % 8) {
                let n = Int(f.rng.next() % UInt64(model.graph.nodes.count))
                var node = model.graph.nodes[n]
                switch f.rng.next() % 4 {
                case 0 where !node.inputs.isEmpty: node.inputs[Int(f.rng.next() % UInt64(node.inputs.count))] = f.pick(values)
                case 1: node.attributes = f.attributes()
                case 2: node.outputs.append(f.pick(values))
                default: model.graph.nodes.swapAt(n, Int(f.rng.next() % UInt64(model.graph.nodes.count)))
                }
                model.graph.nodes[n] = node
            }
            if f.chance(0.3), !model.graph.inputs.isEmpty {
                model.graph.inputs[0].type = .tensor(.int64, f.dims())
            }
            let a = GraphAnalysis(model: model)
            #expect(a.index.main.topologicalOrder.count == model.graph.nodes.count)
            #expect(a.metrics.nodes[0].count == model.graph.nodes.count)
        }
    }

    @Test("absurd dims in a whole model give numbers (saturated) or unknowns, never a trap")
    func absurdModel() {
        var b = GraphBuilder()
        let x = b.input("x", .float, [.value(.max), .value(3), .value(1 << 40), .value(-5)])
        let w = b.input("w", .float, [.value(1 << 40), .value(.max), .value(3), .value(3)])
        let c = b.op("Conv", [x, w], .ints("strides", [.max, 1]), .ints("pads", [.max, .max, .max, .max]))
        let m = b.op("MatMul", [x, w])
        let p = b.op("MaxPool", [c], .ints("kernel_shape", [.max, .max]), .int("ceil_mode", 1))
        let r = b.op("Reshape", [m, b.initializer("shape", int64s: [-1, .max, 0])])
        _ = b.op("Softmax", [b.op("Add", [r, p])])
        b.initializer(Tensor(name: "huge", dataType: .float, dims: [1 << 61, 1], rawData: ByteSlice([])))
        let a = GraphAnalysis(model: b.model())
        #expect(a.metrics.totals[0].nodes == 6)
        #expect(a.metrics.totals[0].unusedInitializers == 1)
        // 2^61 float32 elements: the byte count saturates instead of wrapping negative.
        #expect(a.metrics.totals[0].parameterBytes > 1 << 60)
        #expect(a.metrics.totals[0].macs >= 0)
    }
}
