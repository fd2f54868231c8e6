import OnnxModel

extension SampleModels {
    /// A graph that calls model-local functions, as PyTorch's dynamo exporter writes them:
    /// `local.Block(x, axis = 1)` calls `local.ScaledSoftmax` (Softmax(2·x) along the
    /// attribute-referenced `axis`), then flattens. x is `float[batch, 4, 6]`, y `[batch, 24]`.
    static func functions() -> Model {
        var b = GraphBuilder(name: "functions")
        b.importDomain("local", version: 1)
        let x = b.input("x", .float, [.param("batch"), .value(4), .value(6)])
        _ = b.node("Block", [x], name: "block0", outputNames: ["y"], domain: "local", attributes: [.int("axis", 1)])
        b.output("y", .float, [.param("batch"), .param("features")])
        var m = b.model(docString: "model-local functions: Block calls ScaledSoftmax")

        var axisRef = Attribute()
        axisRef.name = "axis"; axisRef.refAttrName = "axis"; axisRef.type = .int

        var softmax = Function()
        softmax.name = "ScaledSoftmax"; softmax.domain = "local"
        softmax.inputs = ["a"]; softmax.outputs = ["s"]; softmax.attributeNames = ["axis"]
        softmax.nodes = [
            Node(opType: "Constant", inputs: [], outputs: ["two"], attributes: [.int("value_int", 2)]),
            Node(opType: "Cast", inputs: ["two"], outputs: ["twoF"], attributes: [.int("to", Int64(DataType.float.rawValue))]),
            Node(opType: "Mul", inputs: ["a", "twoF"], outputs: ["scaled"]),
            Node(opType: "Softmax", inputs: ["scaled"], outputs: ["s"], attributes: [axisRef]),
        ]
        softmax.opsetImports = [OperatorSetId(domain: "", version: 17)]

        var block = Function()
        block.name = "Block"; block.domain = "local"
        block.inputs = ["u"]; block.outputs = ["v"]; block.attributeNames = ["axis"]
        block.nodes = [
            Node(opType: "ScaledSoftmax", domain: "local", inputs: ["u"], outputs: ["w"], attributes: [axisRef]),
            Node(opType: "Flatten", inputs: ["w"], outputs: ["v"], attributes: [.int("axis", 1)]),
        ]
        block.opsetImports = [OperatorSetId(domain: "", version: 17), OperatorSetId(domain: "local", version: 1)]
        m.functions = [softmax, block]
        return m
    }
}
