import OnnxModel

extension SampleModels {
    /// Conv → Relu → Unique → Sigmoid on a 1×3×8×8 input: the OpenVINO EP takes every node but
    /// `Unique`, which falls back to CPU, so ORT splits it into OpenVINO and CPU partitions on a
    /// plain x86 CPU. A test fixture (not in ``names``): the runtime tests of `run` and of the
    /// live runner use it for a real two-provider partition.
    public static func convUnique() -> Model {
        var b = GraphBuilder(name: "conv_unique")
        let x = b.input("x", .float, [.value(1), .value(3), .value(8), .value(8)])
        var rng = SeededRandom(seed: 7)
        let w = b.initializer("W", floats: rng.normals(4 * 3 * 3 * 3, std: 0.2), dims: [4, 3, 3, 3])
        let c = b.op("Conv", [x, w], name: "conv1", .ints("pads", [1, 1, 1, 1]))
        let r = b.op("Relu", [c], name: "relu1")
        let u = b.op("Unique", [r], name: "unique1")
        let s = b.op("Sigmoid", [u], name: "sig1")
        b.output(s, .float, nil)
        return b.model()
    }
}
