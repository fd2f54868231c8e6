import Foundation
import Testing
@testable import OnnxModel

@Suite("Reading and writing ONNX models")
struct RoundTripTests {
    @Test("read → write → read is lossless and writing is stable")
    func lossless() throws {
        let m = kitchenSinkModel()
        let bytes = m.serialized()
        let back = try Model.decode(bytes)
        #expect(back == m)
        #expect(back.serialized() == bytes)
    }

    @Test("unknown fields survive a round trip")
    func unknownFieldsKept() throws {
        var w = WireWriter()
        w.raw(ByteSlice(kitchenSinkModel().serialized()))
        w.string(99, "from the future")            // unknown ModelProto field
        w.int64(26, 5)                              // a field we do not model
        let back = try Model.decode(w.bytes)
        #expect(back.unknownFields.raw.count == 2)
        #expect(try Model.decode(back.serialized()).unknownFields == back.unknownFields)
    }

    @Test("typed tensor fields convert to raw layout")
    func typedFields() throws {
        let m = kitchenSinkModel()
        let typed = m.graph.initializers.first { $0.name == "typed_i64" }!
        #expect(try m.tensorValues(typed) == [-1, 0, Double(1 << 40)])
        let half = m.graph.initializers.first { $0.name == "half" }!
        #expect(try m.tensorValues(half) == [1.5, -2])
        let w = m.graph.initializers.first { $0.name == "w" }!
        #expect(try m.tensorValues(w).prefix(3) == [-3, -2.5, -2])
    }

    @Test("opening a file maps it without copying tensor bytes")
    func zeroCopy() throws {
        let dir = TempDir()
        let path = dir.file("m.onnx")
        try kitchenSinkModel().write(to: path)
        let m = try Model.load(path: path)
        let w = m.graph.initializers.first { $0.name == "w" }!
        let raw = try #require(w.rawData)
        // The slice points into the mapping of the whole file, not into a private copy.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(raw.storage.count == size)
    }

    @Test("half-precision conversion matches IEEE 754 on edge values")
    func halfFloats() {
        for v: Float in [0, -0, 1, -1, 0.5, 65504, 6.1035156e-05, 5.9604645e-08, .infinity, -.infinity] {
            #expect(halfToFloat(floatToHalf(v)) == v)
        }
        #expect(halfToFloat(floatToHalf(.nan)).isNaN)
        #expect(floatToHalf(1e6) == 0x7c00)   // overflow → inf
    }

    @Test("Python onnx loads what we write, and we read what it writes", .timeLimit(.minutes(2)))
    func pythonInterop() throws {
        let dir = TempDir()
        let ours = dir.file("ours.onnx")
        var m = kitchenSinkModel()
        m.graph.nodes.removeAll { $0.opType == "CustomOp" }   // keep it checker-valid
        m.graph.outputs = [ValueInfo(name: "y", type: .tensor(.float, [.param("batch"), .value(4)]))]
        m.graph.inputs.removeAll { $0.name == "mapin" || $0.name == "optin" }
        m.graph.quantizationAnnotations = []
        try m.write(to: ours)
        // Python checks the file, then re-serializes it; protobuf's canonical output must equal ours
        // after our own round trip through the bytes Python wrote.
        let theirs = dir.file("theirs.onnx")
        let out = try ReferencePython.run("""
            import onnx, sys
            m = onnx.load(sys.argv[1])
            onnx.checker.check_model(m, full_check=True)
            onnx.save(m, sys.argv[2])
            print(len(m.graph.node), len(m.graph.initializer), m.functions[0].name, m.metadata_props[0].value)
            """, [ours, theirs])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "2 3 MyFn me")
        let back = try Model.load(path: theirs)
        #expect(back == (try Model.decode(m.serialized())))
    }

    @Test("external data written by onnx is read in place and lengths are checked")
    func externalDataFromPython() throws {
        let dir = TempDir()
        _ = try ReferencePython.run("""
            import onnx, numpy as np, sys
            from onnx import helper, numpy_helper, TensorProto
            w = numpy_helper.from_array(np.arange(4096, dtype=np.float32).reshape(64, 64), "w")
            g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "g",
                [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 64])],
                [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])], [w])
            m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
            m.ir_version = 8
            onnx.save(m, sys.argv[1] + "/ext.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                      location="ext.data", size_threshold=0)
            """, [dir.path])
        let m = try Model.load(path: dir.file("ext.onnx"))
        let w = m.graph.initializers[0]
        #expect(w.isExternal)
        let values = try m.tensorValues(w)
        #expect(values.count == 4096)
        #expect(values[4095] == 4095)
    }
}
