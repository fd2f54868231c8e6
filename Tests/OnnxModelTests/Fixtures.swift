import OnnxModel

/// A model that exercises every part of the schema the reader models: all attribute kinds,
/// sub-graphs, sparse initializers, functions, metadata, typed tensor fields and value types.
func kitchenSinkModel() -> Model {
    var b = GraphBuilder(name: "sink", opset: 17)
    b.input("x", .float, [.param("batch"), .value(4)])
    b.input("cond", .bool, [])
    b.initializer("w", floats: (0..<16).map { Float($0) * 0.5 - 3 }, dims: [4, 4])
    var typed = Tensor()
    typed.name = "typed_i64"; typed.dataType = .int64; typed.dims = [3]
    typed.int64Data = .varints([-1, 0, 1 << 40])
    b.initializer(typed)
    var f16 = Tensor()
    f16.name = "half"; f16.dataType = .float16; f16.dims = [2]
    f16.int32Data = .varints([Int64(floatToHalf(1.5)), Int64(floatToHalf(-2))])
    b.initializer(f16)
    let mm = b.op("MatMul", ["x", "w"], name: "mm")
    var thenB = GraphBuilder(name: "then")
    thenB.node("Relu", [mm], name: "then_relu", outputNames: ["then_out"])
    thenB.output("then_out", .float, nil)
    var elseB = GraphBuilder(name: "else")
    elseB.node("Neg", [mm], name: "else_neg", outputNames: ["else_out"])
    elseB.output("else_out", .float, nil)
    b.node("If", ["cond"], name: "branch", outputNames: ["y"], attributes: [.graph("then_branch", thenB.graph), .graph("else_branch", elseB.graph)])
    var attrs: [Attribute] = [.float("alpha", 0), .int("axis", -1), .string("mode", "constant"), .ints("pads", [0, 1, -2]),
                              .floats("scales", [1, 2.5]), .tensor("value", typed)]
    var strs = Attribute(); strs.name = "names"; strs.type = .strings; strs.strings = [ByteSlice(Array("a".utf8)), ByteSlice(Array("\u{1b}[31mred".utf8))]
    var tp = Attribute(); tp.name = "tp"; tp.type = .typeProto; tp.tp = ValueType(.sequence(.tensor(.float, [.value(2)])))
    var sp = Attribute(); sp.name = "sp"; sp.type = .sparseTensor
    var st = SparseTensor(); st.dims = [10]
    st.values = Tensor(name: "sv", dataType: .float, dims: [2], rawData: ByteSlice([0, 0, 128, 63, 0, 0, 0, 64]))
    st.indices = Tensor(name: "si", dataType: .int64, dims: [2], rawData: ByteSlice([1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0]))
    sp.sparseTensor = st
    var ref = Attribute(); ref.name = "ref"; ref.type = .float; ref.refAttrName = "outer_alpha"
    attrs += [strs, tp, sp, ref]
    b.node("CustomOp", ["y"], name: "custom", outputNames: ["z"], domain: "com.example", attributes: attrs)
    b.importDomain("com.example", version: 1)
    b.output("z", .float, [.param("batch"), .value(4)])
    var m = b.model(producer: "test")
    m.graph.sparseInitializers = [st]
    m.graph.valueInfo = [ValueInfo(name: "y", type: .tensor(.float, [.param("batch"), .unknown]))]
    m.graph.quantizationAnnotations = [TensorAnnotation(tensorName: "y", quantParameterTensorNames: [StringStringEntry(key: "SCALE_TENSOR", value: "s")])]
    m.metadataProps = [StringStringEntry(key: "author", value: "me")]
    m.modelVersion = 3
    m.domain = "org.test"
    var fn = Function()
    fn.name = "MyFn"; fn.domain = "com.example"; fn.inputs = ["a"]; fn.outputs = ["b"]; fn.attributeNames = ["k"]
    fn.nodes = [Node(opType: "Identity", inputs: ["a"], outputs: ["b"])]
    fn.opsetImports = [OperatorSetId(version: 17)]
    m.functions = [fn]
    m.graph.inputs.append(ValueInfo(name: "mapin", type: ValueType(.map(key: .int64, value: .tensor(.float, [])))))
    m.graph.inputs.append(ValueInfo(name: "optin", type: ValueType(.optional(.tensor(.int32, [.value(1)])))))
    return m
}
