// libFuzzer entry for the ONNX reader and the graph layer: any input must either decode or
// throw; what decoded must index, infer shapes and count metrics without crashing, and
// writing it back must re-decode to the same model. Built by `make fuzz` (see Makefile).
import OnnxGraph
import OnnxModel

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = ByteSlice(UnsafeBufferPointer(start: data, count: size))
    guard let model = try? Model.decode(bytes) else { return 0 }
    let written = model.serialized()
    guard let again = try? Model.decode(written), again == model else {
        fatalError("round trip changed a decoded model")
    }
    let analysis = GraphAnalysis(model: model)
    _ = analysis.issues.map(\.description)
    for t in model.graph.initializers.prefix(64) { _ = try? model.tensorValues(t, limit: 64) }
    return 0
}
