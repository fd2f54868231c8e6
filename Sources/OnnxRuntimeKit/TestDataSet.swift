import Foundation
import OnnxModel

/// A model-zoo `test_data_set_N` folder: `input_K.pb` and `output_K.pb` TensorProto files,
/// matched to the session's inputs and outputs by position (as ONNX's test runner does), or by
/// the tensor's own name when it has one that matches.
public struct TestDataSet: Sendable {
    public let directory: String
    /// Inputs keyed by session input name.
    public let inputs: [String: HostTensor]
    /// Expected outputs keyed by session output name.
    public let expectedOutputs: [String: HostTensor]
    /// Tolerances: from a `data.json` beside the folder (ONNX's convention), else ONNX's
    /// defaults (rtol 1e-3, atol 1e-7).
    public let rtol: Double
    public let atol: Double

    public init(directory: String, session: Session) throws {
        self.directory = directory
        let fm = FileManager.default
        func files(_ prefix: String) -> [String] {
            var result: [String] = []
            var k = 0
            while fm.fileExists(atPath: "\(directory)/\(prefix)_\(k).pb") {
                result.append("\(directory)/\(prefix)_\(k).pb")
                k += 1
            }
            return result
        }
        let inFiles = files("input"), outFiles = files("output")
        guard !inFiles.isEmpty || !outFiles.isEmpty else {
            throw RuntimeError.invalidInput("\(directory) has no input_0.pb / output_0.pb (expected a model-zoo test_data_set folder)")
        }
        func assign(_ paths: [String], to infos: [SessionIOInfo], what: String) throws -> [String: HostTensor] {
            var result: [String: HostTensor] = [:]
            let names = Set(infos.map(\.name))
            for (k, path) in paths.enumerated() {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                let proto = try Tensor.decode([UInt8](data))
                let name = names.contains(proto.name) ? proto.name : (k < infos.count ? infos[k].name : nil)
                guard let name else {
                    throw RuntimeError.invalidInput("\(path): the model has only \(infos.count) \(what)s")
                }
                result[name] = try TensorProtoFile.hostTensor(from: proto)
            }
            return result
        }
        inputs = try assign(inFiles, to: session.inputs, what: "input")
        expectedOutputs = try assign(outFiles, to: session.outputs, what: "output")
        var rtol = 1e-3, atol = 1e-7
        let json = URL(fileURLWithPath: directory).deletingLastPathComponent().appendingPathComponent("data.json").path
        if let d = fm.contents(atPath: json), let obj = try? JSONSerialization.jsonObject(with: d) as? [String: Any] {
            rtol = (obj["rtol"] as? NSNumber)?.doubleValue ?? rtol
            atol = (obj["atol"] as? NSNumber)?.doubleValue ?? atol
        }
        self.rtol = rtol
        self.atol = atol
    }

    /// Compares `outputs` with the expected ones, in session output order, with this set's
    /// tolerances unless others are given.
    public func check(_ outputs: [String: HostTensor], order: [String], rtol: Double? = nil, atol: Double? = nil) -> [TensorComparison] {
        let rtol = rtol ?? self.rtol, atol = atol ?? self.atol
        return order.compactMap { name -> TensorComparison? in
            guard let expected = expectedOutputs[name] else { return nil }
            guard let actual = outputs[name] else {
                return TensorComparison(name: name, passed: false, maxAbsError: .infinity, maxRelError: .infinity,
                                        mismatches: expected.elementCount, elementCount: expected.elementCount,
                                        structuralProblem: "no such output")
            }
            return TensorComparison.compare(name: name, actual: actual, expected: expected, rtol: rtol, atol: atol)
        }
    }
}
