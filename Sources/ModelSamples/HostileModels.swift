import Foundation
import OnnxModel

/// Small broken models, each breaking one rule that `onnx.checker` or ONNX Runtime enforces,
/// plus a few valid ones that sit right next to a rule (so a check that is too strict shows).
///
/// Tests write every case to disk, run `info` on it and compare with what the reference tools
/// say about the same file. Cases that need files beside the model (external data, symbolic
/// links) create them: each case gets its own folder, and the model sits in a `model/`
/// sub-folder so that a location like `../secret.bin` points at a real file outside it.
public enum HostileModels {
    /// One model and the files around it.
    public struct Case: Sendable, CustomStringConvertible {
        /// Short kebab-case name, unique in ``all``.
        public let name: String
        /// What is wrong with it (or, for valid cases, which rule it sits next to).
        public let summary: String
        /// True for the valid models: neither tool refuses them.
        public let isValid: Bool
        let build: @Sendable (_ folder: String) throws -> Model

        /// Writes the model and its side files under `folder` (which must exist); returns the
        /// path of the model file.
        public func write(in folder: String) throws -> String {
            let dir = folder + "/model"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let path = dir + "/model.onnx"
            try build(dir).write(to: path)
            return path
        }

        public var description: String { name }
    }

    /// Every case, valid ones last.
    public static let all: [Case] = tensorCases + externalCases + graphCases + versionCases + validCases

    // MARK: - Building blocks

    /// `y = Identity(w)`, the initializer `w` read by a node (ORT drops unused initializers
    /// before checking them). `y` is declared with `w`'s type, and its dims when they are sane.
    static func reading(_ w: Tensor, opset: Int64 = 17, ir: Int64 = 8) -> Model {
        var b = GraphBuilder(name: "main", opset: opset, irVersion: ir)
        b.initializer(w)
        b.node("Identity", [w.name], name: "read", outputNames: ["y"])
        let dims = w.dims.allSatisfy { $0 >= 0 && $0 < 1 << 20 } ? w.dims : [2]
        let type = w.dataType.isKnown && w.dataType != .undefined ? w.dataType : .float
        b.output("y", type, dims.map { .value($0) })
        return b.model(producer: "onnxscope hostile")
    }

    /// `y = Add(x, w)` over float `[2]`, the shape most version and graph cases start from.
    static func adding(opset: Int64 = 17, ir: Int64 = 8, nodes: ((inout GraphBuilder) -> Void)? = nil) -> GraphBuilder {
        var b = GraphBuilder(name: "main", opset: opset, irVersion: ir)
        b.input("x", .float, [.value(2)])
        b.initializer("w", floats: [1, 2], dims: [2])
        if let nodes { nodes(&b) } else { b.node("Add", ["x", "w"], name: "add", outputNames: ["y"]) }
        b.output("y", .float, [.value(2)])
        return b
    }

    /// `y = If(cond)` over float `[2]` input `x`: the then-branch is what `then` builds (it
    /// must produce `then_y`), the else-branch returns `x`. The If node is named `branch`.
    static func branching(_ then: (inout GraphBuilder) -> Void) -> Model {
        var thenB = GraphBuilder(name: "then")
        then(&thenB)
        thenB.output("then_y", .float, [.value(2)])
        var otherwise = GraphBuilder(name: "else")
        otherwise.node("Identity", ["x"], name: "else_id", outputNames: ["else_y"])
        otherwise.output("else_y", .float, [.value(2)])
        var b = GraphBuilder(name: "main")
        b.input("x", .float, [.value(2)])
        b.input("cond", .bool, [])
        b.node("If", ["cond"], name: "branch", outputNames: ["y"],
               attributes: [.graph("then_branch", thenB.graph), .graph("else_branch", otherwise.graph)])
        b.output("y", .float, [.value(2)])
        return b.model(producer: "onnxscope hostile")
    }

    static func tensor(_ name: String = "w", _ type: DataType = .float, _ dims: [Int64] = [2], raw: Int? = nil) -> Tensor {
        var t = Tensor(); t.name = name; t.dataType = type; t.dims = dims
        if let raw { t.rawData = ByteSlice([UInt8](repeating: 0, count: raw)) }
        return t
    }

    /// A float `[2]` initializer stored in `data.bin` beside the model (offset 0 unless given).
    static func external(_ entries: [(String, String)], dataLocation: Int32 = 1) -> Tensor {
        var t = tensor()
        t.dataLocation = dataLocation
        t.externalData = entries.map { StringStringEntry(key: $0.0, value: $0.1) }
        return t
    }

    /// A float `[2]` initializer read from `data.bin`, a file of `bytes` zero bytes beside the
    /// model, with `entries` after its location.
    static func beside(_ bytes: Int, _ entries: [(String, String)] = []) -> @Sendable (String) throws -> Model {
        return { dir in
            try file(dir + "/data.bin", bytes: bytes)
            return reading(external([("location", "data.bin")] + entries))
        }
    }

    static func file(_ path: String, bytes: Int) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(count: bytes)) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    static func make(_ name: String, _ summary: String, valid: Bool = false, _ build: @escaping @Sendable (String) throws -> Model) -> Case {
        Case(name: name, summary: summary, isValid: valid, build: build)
    }

    // MARK: - Tensor data

    static let tensorCases: [Case] = [
        make("raw-data-short", "raw_data of 4 bytes for float32[2] (8 needed)") { _ in reading(tensor(raw: 4)) },
        make("raw-data-long", "raw_data of 12 bytes for float32[2]: ORT refuses, the checker does not") { _ in reading(tensor(raw: 12)) },
        make("conv-weight-3-bytes", "the bad-input test's conv.weight: float32[2,2] in 3 bytes") { _ in reading(tensor("conv.weight", .float, [2, 2], raw: 3)) },
        make("typed-data-short", "float_data with 1 value for float32[2]") { _ in
            var t = tensor(); t.floatData = .floats([1]); return reading(t)
        },
        make("typed-data-long", "float_data with 3 values for float32[2]") { _ in
            var t = tensor(); t.floatData = .floats([1, 2, 3]); return reading(t)
        },
        make("int64-data-short", "int64_data with 2 values for int64[3] (varints are counted, not decoded)") { _ in
            var t = tensor("w", .int64, [3]); t.int64Data = .varints([7, -1]); return reading(t)
        },
        make("no-data", "float32[2] without any data field") { _ in reading(tensor()) },
        make("wrong-typed-field", "int64[2] whose values are in float_data") { _ in
            var t = tensor("w", .int64, [2]); t.floatData = .floats([1, 2]); return reading(t)
        },
        make("two-data-fields", "raw_data and float_data both set: the checker refuses, ORT reads raw_data") { _ in
            var t = tensor(raw: 8); t.floatData = .floats([1, 2]); return reading(t)
        },
        make("string-in-raw-data", "a string tensor with raw_data") { _ in reading(tensor("w", .string, [2], raw: 2)) },
        make("string-data-short", "string_data with 1 value for string[2]") { _ in
            var t = tensor("w", .string, [2]); t.stringData = [ByteSlice(Array("a".utf8))]; return reading(t)
        },
        make("undefined-data-type", "an initializer without data_type") { _ in reading(tensor("w", .undefined, [2], raw: 8)) },
        make("unknown-data-type", "data_type 99") { _ in reading(tensor("w", DataType(rawValue: 99), [2], raw: 8)) },
        make("zero-elements-with-data", "float32[0] with 4 bytes of raw_data") { _ in reading(tensor("w", .float, [0], raw: 4)) },
        make("negative-dim", "dims [-3,4]") { _ in reading(tensor("w", .float, [-3, 4], raw: 4)) },
        make("dims-overflow-2-80", "dims [2^40, 2^40]: 2^80 elements") { _ in reading(tensor("w", .float, [1 << 40, 1 << 40], raw: 4)) },
        make("dims-overflow-int64-max", "dims [Int64.max, 2]") { _ in reading(tensor("w", .float, [Int64.max, 2], raw: 4)) },
        make("constant-value-short", "a Constant node whose value tensor is float32[2] in 4 bytes") { _ in
            var b = GraphBuilder(name: "main")
            b.input("x", .float, [.value(2)])
            b.node("Constant", [], name: "const", outputNames: ["c"], attributes: [.tensor("value", tensor("c", raw: 4))])
            b.node("Add", ["x", "c"], name: "add", outputNames: ["y"])
            b.output("y", .float, [.value(2)])
            return b.model(producer: "onnxscope hostile")
        },
        make("subgraph-initializer-short", "an If branch with its own initializer float32[2] in 4 bytes") { _ in
            branching { then in
                then.initializer(tensor("branch.w", raw: 4))
                then.node("Add", ["x", "branch.w"], name: "then_add", outputNames: ["then_y"])
            }
        },
    ]

    // MARK: - External data

    static let externalCases: [Case] = [
        make("external-etc-passwd", "location ../../etc/passwd") { _ in reading(external([("location", "../../etc/passwd")])) },
        make("external-parent", "location ../secret.bin, a real file next to the model's folder") { dir in
            try file(dir + "/../secret.bin", bytes: 8)
            return reading(external([("location", "../secret.bin")]))
        },
        make("external-climbs-through-sub", "location sub/../../secret.bin") { dir in
            try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
            try file(dir + "/../secret.bin", bytes: 8)
            return reading(external([("location", "sub/../../secret.bin")]))
        },
        make("external-absolute", "location /etc/passwd") { _ in reading(external([("location", "/etc/passwd")])) },
        make("external-symlink-out", "link.bin, a symbolic link to ../secret.bin") { dir in
            try file(dir + "/../secret.bin", bytes: 8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/link.bin", withDestinationPath: "../secret.bin")
            return reading(external([("location", "link.bin")]))
        },
        make("external-symlink-in", "in.bin, a symbolic link to data.bin in the same folder: the checker refuses links, ORT follows it") { dir in
            try file(dir + "/data.bin", bytes: 8)
            try FileManager.default.createSymbolicLink(atPath: dir + "/in.bin", withDestinationPath: "data.bin")
            return reading(external([("location", "in.bin")]))
        },
        make("external-missing", "location missing.bin, which does not exist") { _ in reading(external([("location", "missing.bin")])) },
        make("external-short", "data.bin of 4 bytes for float32[2]", beside(4)),
        make("external-offset-past-end", "offset 60 into a 64-byte file for 8 bytes", beside(64, [("offset", "60")])),
        make("external-length-mismatch", "length 4 for float32[2] (8 bytes)", beside(64, [("length", "4")])),
        make("external-bad-offset", "offset 'abc'", beside(64, [("offset", "abc")])),
        make("external-unknown-key", "a 'basepath' key, which ORT does not accept", beside(64, [("basepath", ".")])),
        make("external-no-location", "data_location EXTERNAL without a location") { _ in reading(external([("offset", "0")])) },
        make("external-folder", "location '.', the model's folder itself") { _ in reading(external([("location", ".")])) },
        make("external-with-raw-data", "external data plus raw_data: the checker refuses, ORT reads the file") { dir in
            try file(dir + "/data.bin", bytes: 8)
            var t = external([("location", "data.bin")]); t.rawData = ByteSlice([UInt8](repeating: 0, count: 8))
            return reading(t)
        },
        make("external-entries-not-external", "external_data entries but data_location DEFAULT, so no data") { dir in
            try file(dir + "/data.bin", bytes: 8)
            return reading(external([("location", "data.bin")], dataLocation: 0))
        },
    ]

    // MARK: - Graph structure

    static let graphCases: [Case] = [
        make("duplicate-node-names", "two nodes named 'n'") { _ in
            adding { b in
                b.node("Relu", ["x"], name: "n", outputNames: ["t"])
                b.node("Add", ["t", "w"], name: "n", outputNames: ["y"])
            }.model(producer: "onnxscope hostile")
        },
        make("duplicate-node-names-in-branch", "two nodes named 'twin' inside an If branch") { _ in
            branching { then in
                then.node("Relu", ["x"], name: "twin", outputNames: ["t"])
                then.node("Neg", ["t"], name: "twin", outputNames: ["then_y"])
            }
        },
        make("dangling-input", "a node reading 'nowhere', which nothing produces") { _ in
            adding { b in b.node("Add", ["x", "nowhere"], name: "add", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
        },
        make("unsorted-nodes", "a node listed before the producer of its input: the checker refuses, ORT sorts") { _ in
            adding { b in
                b.node("Add", ["t", "w"], name: "add", outputNames: ["y"])
                b.node("Relu", ["x"], name: "relu", outputNames: ["t"])
            }.model(producer: "onnxscope hostile")
        },
        make("graph-without-name", "a main graph with an empty name: the checker refuses, ORT does not care") { _ in
            var m = adding().model(producer: "onnxscope hostile"); m.graph.name = ""; return m
        },
        make("input-without-type", "graph input 'x' without a type") { _ in
            var m = adding().model(producer: "onnxscope hostile"); m.graph.inputs[0].type = nil; return m
        },
        make("output-without-type", "graph output 'y' without a type: the checker refuses, ORT infers it") { _ in
            var m = adding().model(producer: "onnxscope hostile"); m.graph.outputs[0].type = nil; return m
        },
        make("empty-op-type", "a node without op_type") { _ in
            adding { b in b.node("", ["x", "w"], name: "nameless-op", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
        },
    ]

    // MARK: - Versions, domains, operators

    static let versionCases: [Case] = [
        make("ir-version-15", "ir_version 15, newer than any release knows") { _ in adding(ir: 15).model(producer: "onnxscope hostile") },
        make("opset-29", "ai.onnx opset 29") { _ in adding(opset: 29, ir: 10).model(producer: "onnxscope hostile") },
        make("ml-opset-6", "an ai.onnx.ml opset 6 import") { _ in
            var b = adding(); b.importDomain("ai.onnx.ml", version: 6); return b.model(producer: "onnxscope hostile")
        },
        make("microsoft-opset-2", "a com.microsoft opset 2 import") { _ in
            var b = adding(); b.importDomain("com.microsoft", version: 2); return b.model(producer: "onnxscope hostile")
        },
        make("old-opset-without-kernel", "Mul at opset 6 (IR 3) resolves to Mul-6, which ORT's CPU provider cannot run") { _ in
            var m = adding(opset: 6, ir: 3) { b in b.node("Mul", ["x", "w"], name: "mul", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
            m.graph.inputs.append(ValueInfo(name: "w", type: .tensor(.float, [.value(2)])))   // IR 3: initializers are inputs
            return m
        },
        make("no-opset-import", "an empty opset_import") { _ in
            var m = adding().model(producer: "onnxscope hostile"); m.opsetImports = []; return m
        },
        make("domain-without-import", "a com.unknown node without an opset import for the domain") { _ in
            adding { b in b.node("Foo", ["x", "w"], name: "foo", outputNames: ["y"], domain: "com.unknown") }.model(producer: "onnxscope hostile")
        },
        make("custom-domain", "a com.unknown node (imported): ORT needs a custom-op library") { _ in
            var b = adding { b in b.node("Foo", ["x", "w"], name: "foo", outputNames: ["y"], domain: "com.unknown") }
            b.importDomain("com.unknown", version: 1)
            return b.model(producer: "onnxscope hostile")
        },
        make("unknown-operator", "Frobnicate in ai.onnx") { _ in
            adding { b in b.node("Frobnicate", ["x", "w"], name: "frob", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
        },
        make("operator-too-new", "Gelu at opset 11 (it arrived in 20)") { _ in
            adding(opset: 11) { b in b.node("Gelu", ["x"], name: "gelu", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
        },
        make("deprecated-operator", "Upsample at opset 11 (deprecated in 10)") { _ in
            adding(opset: 11) { b in b.node("Upsample", ["x", "w"], name: "up", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
        },
        make("unknown-microsoft-operator", "com.microsoft.Frobnicate: not an ORT contrib op") { _ in
            var b = adding { b in b.node("Frobnicate", ["x", "w"], name: "frob", outputNames: ["y"], domain: "com.microsoft") }
            b.importDomain("com.microsoft", version: 1)
            return b.model(producer: "onnxscope hostile")
        },
        make("domain-spelled-ai-onnx", "a node whose domain is written 'ai.onnx': ORT resolves it, the checker does not") { _ in
            adding { b in b.node("Add", ["x", "w"], name: "add", outputNames: ["y"], domain: "ai.onnx") }.model(producer: "onnxscope hostile")
        },
        make("ir3-initializer-not-input", "an IR 3 model whose initializer is not a graph input: the checker refuses, ORT does not") { _ in
            adding(opset: 9, ir: 3).model(producer: "onnxscope hostile")
        },
    ]

    // MARK: - Valid neighbours

    static let validCases: [Case] = [
        make("valid", "the model the others break", valid: true) { _ in adding().model(producer: "onnxscope hostile") },
        make("valid-external", "float32[2] at offset 8 of data.bin", valid: true, beside(16, [("offset", "8"), ("length", "8")])),
        make("valid-external-dotdot-inside", "location sub/../data.bin, which stays inside the folder", valid: true) { dir in
            try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
            try file(dir + "/data.bin", bytes: 8)
            return reading(external([("location", "sub/../data.bin")]))
        },
        make("valid-same-name-in-branch", "a node and a node of its If branch share a name (allowed)", valid: true) { _ in
            branching { then in
                then.node("Relu", ["x"], name: "branch", outputNames: ["then_y"])
            }
        },
        make("valid-newest-versions", "IR 14, ai.onnx 28, ai.onnx.ml 5 and com.microsoft 1: the newest ORT 1.32 loads", valid: true) { _ in
            var b = adding(opset: 28, ir: 14)
            b.importDomain("ai.onnx.ml", version: 5)
            b.importDomain("com.microsoft", version: 1)
            return b.model(producer: "onnxscope hostile")
        },
        make("valid-old-opset-with-kernel", "Relu at opset 6 (IR 3): Relu-6 has a CPU kernel", valid: true) { _ in
            var m = adding(opset: 6, ir: 3) { b in b.node("Relu", ["x"], name: "relu", outputNames: ["y"]) }.model(producer: "onnxscope hostile")
            m.graph.inputs.append(ValueInfo(name: "w", type: .tensor(.float, [.value(2)])))
            return m
        },
        make("valid-zero-elements", "float32[0] without data", valid: true) { _ in reading(tensor("w", .float, [0])) },
    ]
}
