import Foundation
import ModelReport
import ModelSamples
@testable import OnnxGraph
import OnnxModel
import Testing

/// `info`'s validation: every hostile model gets the problem it was built to have, named by
/// the tensor or node it concerns, and the real model-zoo networks and the samples get none.
@Suite("Validation names what onnx and ONNX Runtime refuse")
struct ValidationTests {
    /// What each ``HostileModels`` case must produce: kind, severity and words the message
    /// must contain (the tensor or node, and the numbers or names that say what is wrong).
    static let expected: [String: (kind: GraphIssue.Kind, severity: GraphIssue.Severity, mentions: [String])] = [
        "raw-data-short": (.tensorDataSize, .error, ["initializer 'w'", "raw_data has 4 bytes", "need 8"]),
        "raw-data-long": (.tensorDataSize, .error, ["initializer 'w'", "raw_data has 12 bytes", "need 8"]),
        "conv-weight-3-bytes": (.tensorDataSize, .error, ["'conv.weight'", "3 bytes", "[2,2]", "need 16"]),
        "typed-data-short": (.tensorDataSize, .error, ["'w'", "float_data has 1 value", "need 2"]),
        "typed-data-long": (.tensorDataSize, .error, ["'w'", "float_data has 3 values", "need 2"]),
        "int64-data-short": (.tensorDataSize, .error, ["'w'", "int64_data has 2 values", "need 3"]),
        "no-data": (.tensorDataSize, .error, ["'w'", "has no data"]),
        "wrong-typed-field": (.tensorDataLayout, .error, ["'w'", "int64_data", "float_data"]),
        "two-data-fields": (.tensorDataLayout, .warning, ["'w'", "has data in float_data and raw_data"]),
        "string-in-raw-data": (.tensorDataLayout, .error, ["'w'", "string", "raw_data"]),
        "string-data-short": (.tensorDataSize, .error, ["'w'", "string_data has 1 value", "need 2"]),
        "undefined-data-type": (.tensorDataLayout, .error, ["'w'", "no data_type"]),
        "unknown-data-type": (.tensorDataLayout, .error, ["'w'", "data_type 99"]),
        "zero-elements-with-data": (.tensorDataSize, .error, ["'w'", "4 bytes", "[0]", "need 0"]),
        "negative-dim": (.invalidDims, .error, ["'w'", "negative", "[-3,4]"]),
        "dims-overflow-2-80": (.invalidDims, .error, ["'w'", "2^80 elements", "64 bits"]),
        "dims-overflow-int64-max": (.invalidDims, .error, ["'w'", "[9223372036854775807,2]", "64 bits"]),
        "constant-value-short": (.tensorDataSize, .error, ["tensor 'value' of node 'const'", "4 bytes", "need 8"]),
        "subgraph-initializer-short": (.tensorDataSize, .error, ["'branch.w'", "branch/then_branch", "4 bytes"]),
        "external-etc-passwd": (.externalData, .error, ["'w'", "'../../etc/passwd'", "leaves the model's folder"]),
        "external-parent": (.externalData, .error, ["'../secret.bin'", "leaves the model's folder"]),
        "external-climbs-through-sub": (.externalData, .error, ["'sub/../../secret.bin'", "leaves the model's folder"]),
        "external-absolute": (.externalData, .error, ["'/etc/passwd'", "absolute"]),
        "external-symlink-out": (.externalData, .error, ["'link.bin'", "outside the model's folder"]),
        "external-symlink-in": (.externalData, .warning, ["'in.bin'", "symbolic link"]),
        "external-missing": (.externalData, .error, ["'missing.bin'", "not found"]),
        "external-short": (.externalData, .error, ["'data.bin' has 4 bytes", "past its end"]),
        "external-offset-past-end": (.externalData, .error, ["64 bytes", "offset 60", "past its end"]),
        "external-length-mismatch": (.externalData, .error, ["length 4", "need 8 bytes"]),
        "external-bad-offset": (.externalData, .error, ["offset 'abc'"]),
        "external-unknown-key": (.externalData, .error, ["'basepath'"]),
        "external-no-location": (.externalData, .error, ["'w'", "no location"]),
        "external-folder": (.externalData, .error, ["'.'", "not a regular file"]),
        "external-with-raw-data": (.tensorDataLayout, .warning, ["'w'", "externally", "raw_data"]),
        "external-entries-not-external": (.tensorDataSize, .error, ["'w'", "no data", "data_location is not EXTERNAL"]),
        "duplicate-node-names": (.duplicateNodeName, .error, ["'n'", "ONNX Runtime refuses"]),
        "duplicate-node-names-in-branch": (.duplicateNodeName, .error, ["'twin'"]),
        "dangling-input": (.danglingInput, .error, ["'nowhere'", "add"]),
        "unsorted-nodes": (.nodeOrder, .warning, ["'add' reads 't' before 'relu' produces it"]),
        "graph-without-name": (.missingField, .warning, ["main graph has no name"]),
        "input-without-type": (.missingField, .error, ["graph input 'x' has no type"]),
        "output-without-type": (.missingField, .warning, ["graph output 'y' has no type"]),
        "empty-op-type": (.unknownOperator, .error, ["'nameless-op'", "no op_type"]),
        "ir-version-15": (.irVersion, .error, ["ir_version 15", "1.32", "IR 14"]),
        "opset-29": (.opsetImport, .error, ["opset 29 of ai.onnx", "1.32", "opset 28"]),
        "ml-opset-6": (.opsetImport, .error, ["opset 6 of ai.onnx.ml", "opset 5"]),
        "microsoft-opset-2": (.opsetImport, .error, ["opset 2 of com.microsoft", "opset 1"]),
        "old-opset-without-kernel": (.unknownOperator, .error, ["no kernel for Mul-6", "opset 6", "'mul'"]),
        "no-opset-import": (.opsetImport, .error, ["no opsets"]),
        "domain-without-import": (.opsetImport, .error, ["'foo'", "'com.unknown'", "no opset import"]),
        "custom-domain": (.unknownDomain, .warning, ["'com.unknown'", "Foo", "'foo'", "custom-op library"]),
        "unknown-operator": (.unknownOperator, .error, ["Frobnicate", "ai.onnx", "'frob'"]),
        "operator-too-new": (.unknownOperator, .error, ["Gelu", "opset 11", "opset 20", "'gelu'"]),
        "deprecated-operator": (.unknownOperator, .error, ["Upsample", "deprecated", "opset 10", "'up'"]),
        "unknown-microsoft-operator": (.unknownOperator, .error, ["Frobnicate", "com.microsoft", "'frob'"]),
        "domain-spelled-ai-onnx": (.opsetImport, .warning, ["'add'", "'ai.onnx'"]),
        "ir3-initializer-not-input": (.missingField, .warning, ["initializer 'w'", "graph input"]),
    ]

    /// Problems found by validation and the graph index, as `info` reports them; shape
    /// inference's findings are left out (they are another module's business).
    static let validationKinds = Set(GraphIssue.Kind.allCases.filter { $0 != .shapeMismatch && $0 != .invalidShape }.map(\.rawValue))

    func summary(_ c: HostileModels.Case) throws -> (ModelSummary, GraphAnalysis, TempFolder) {
        let dir = TempFolder()
        let path = try c.write(in: dir.path)
        let model = try Model.load(path: path)
        let analysis = GraphAnalysis(model: model)
        return (ModelSummary(model: model, path: path, analysis: analysis), analysis, dir)
    }

    @Test("every hostile case has an expectation, and every valid one none")
    func catalogue() {
        let names = Set(HostileModels.all.map(\.name))
        #expect(names.count == HostileModels.all.count, "case names must be unique")
        for c in HostileModels.all {
            #expect(c.isValid == (Self.expected[c.name] == nil), "\(c.name)")
        }
        #expect(Set(Self.expected.keys).isSubset(of: names))
    }

    @Test("each hostile model gets its problem, naming the tensor or node", arguments: HostileModels.all.filter { !$0.isValid })
    func hostile(_ c: HostileModels.Case) throws {
        let (s, analysis, _) = try summary(c)
        let want = try #require(Self.expected[c.name])
        let found = s.problems.filter { $0.kind == want.kind.rawValue && $0.severity == want.severity.description }
        #expect(!found.isEmpty, "\(c.name): no \(want.severity) of kind \(want.kind) in \(s.problems.map(\.message))")
        if let p = found.first {
            for w in want.mentions { #expect(p.message.contains(w), "\(c.name): '\(p.message)' should mention \(w)") }
            // The JSON carries the tensor or node too, not only the message.
            #expect(!p.tensors.isEmpty || !p.nodes.isEmpty || [.irVersion, .opsetImport, .missingField].contains(want.kind), "\(c.name): \(p)")
        }
        // Errors are what make `info` exit 2.
        let refuses = (try? analysis.validate()) == nil
        #expect(refuses == s.problems.contains { $0.severity == "error" && Self.validationKinds.contains($0.kind) })
        #expect(s.text().contains("problems\n"), "the text summary lists the problems")
    }

    @Test("valid neighbours of the hostile cases give no problems", arguments: HostileModels.all.filter(\.isValid))
    func valid(_ c: HostileModels.Case) throws {
        let (s, _, _) = try summary(c)
        #expect(s.problems.filter { Self.validationKinds.contains($0.kind) }.isEmpty, "\(c.name): \(s.problems.map(\.message))")
    }

    @Test("no validation problem on the model zoo and the samples", arguments: InfoAgainstOnnxTests.models)
    func noFalsePositives(path: String) throws {
        let model = try Model.load(path: path)
        let analysis = GraphAnalysis(model: model)
        #expect(analysis.validation.problems.isEmpty, "\(analysis.validation.problems.map(\.message))")
        #expect(throws: Never.self) { try analysis.validate() }
    }

    @Test("the generated samples validate clean")
    func samples() throws {
        for name in ["tiny-mlp", "if-branch", "loop", "bert-tiny", "mobilenetv2"] {
            let v = GraphAnalysis(model: try SampleModels.make(name)).validation
            #expect(v.problems.isEmpty, "\(name): \(v.problems.map(\.message))")
        }
    }

    @Test("external data is stat'ed, not read: a 64 GiB sparse file validates at once")
    func lazyExternalData() throws {
        let dir = TempFolder()
        let data = dir.path + "/huge.bin"
        FileManager.default.createFile(atPath: data, contents: nil)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: data))
        try h.truncate(atOffset: 1 << 36)
        try h.close()
        var t = Tensor(); t.name = "huge"; t.dataType = .float; t.dims = [1 << 34]; t.dataLocation = 1
        t.externalData = [StringStringEntry(key: "location", value: "huge.bin")]
        var b = GraphBuilder(name: "main")
        b.initializer(t)
        b.node("Identity", ["huge"], name: "read", outputNames: ["y"])
        b.output("y", .float, [.value(1 << 34)])
        try b.model().write(to: dir.path + "/m.onnx")
        let start = Date()
        let analysis = GraphAnalysis(model: try Model.load(path: dir.path + "/m.onnx"))
        #expect(analysis.validation.problems.isEmpty, "\(analysis.validation.problems.map(\.message))")
        #expect(Date().timeIntervalSince(start) < 5, "validation must not read the data")
        t.externalData.append(StringStringEntry(key: "offset", value: "4"))
        b = GraphBuilder(name: "main"); b.initializer(t)
        b.node("Identity", ["huge"], name: "read", outputNames: ["y"])
        b.output("y", .float, [.value(1 << 34)])
        try b.model().write(to: dir.path + "/m.onnx")
        let short = GraphAnalysis(model: try Model.load(path: dir.path + "/m.onnx")).validation.problems
        #expect(short.contains { $0.message.contains("offset 4 + 68719476736 bytes runs past its end") }, "\(short.map(\.message))")
    }

    @Test("problems land in the JSON problems array with kind, tensors and graph")
    func json() throws {
        let c = try #require(HostileModels.all.first { $0.name == "subgraph-initializer-short" })
        let (s, _, _) = try summary(c)
        let obj = try JSONSerialization.jsonObject(with: Data(try s.json().utf8)) as! [String: Any]
        let problems = try #require(obj["problems"] as? [[String: Any]])
        let p = try #require(problems.first { $0["kind"] as? String == "tensorDataSize" })
        #expect(p["severity"] as? String == "error")
        #expect(p["tensors"] as? [String] == ["branch.w"])
        #expect(p["graph"] as? String == "branch/then_branch")
    }
}

/// A temporary folder removed when the value dies.
final class TempFolder {
    let path: String
    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("onnxscope-validation-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
