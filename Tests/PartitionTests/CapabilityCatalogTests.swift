import Foundation
import Testing
@testable import Partition

/// The catalogs against the tables they were taken from, as ORT's usability checker parses them.
@Suite("Capability catalogs")
struct CapabilityCatalogTests {
    static let tables: [PartitionTarget: String] = [
        .nnapi: "nnapi_supported_ops.md",
        .coreml: "coreml_supported_neuralnetwork_ops.md",
        .coremlMLProgram: "coreml_supported_mlprogram_ops.md",
    ]

    /// `domain:op` → caveat text, from the wheel's table through the checker's own parser.
    static func checkerTable(_ target: PartitionTarget) throws -> [String: String] {
        let script = """
        import json, pathlib, sys
        from onnxruntime.tools.mobile_helpers import usability_checker as uc
        c = uc._SupportedOpsChecker(pathlib.Path(uc.__file__).parent / sys.argv[1])
        print(json.dumps(c._ops))
        """
        return try #require(try Reference.json(["-c", script, tables[target]!]) as? [String: String])
    }

    @Test("Every op the checker reads from the table is in the catalog, and only those (table typos named)",
          arguments: PartitionTarget.usabilityCheckerTargets)
    func sameOps(target: PartitionTarget) throws {
        let table = try Self.checkerTable(target)
        let catalog = target.catalog
        let matched = Set(catalog.ops.values.filter { $0.checkerMisses == nil }.map(\.key))
        let typos: Set<String> = target == .coremlMLProgram ? ["ai.onnx:Argmax"] : []
        #expect(Set(table.keys).subtracting(typos) == matched)
        // Ops the checker misses are in the table under another spelling.
        for op in catalog.ops.values where op.checkerMisses != nil {
            #expect(table[op.key] == nil, "\(op.key) is matched after all: drop checkerMisses")
        }
    }

    @Test("Every rule's caveat is the table's own words for that op", arguments: PartitionTarget.usabilityCheckerTargets)
    func caveatsFromTable(target: PartitionTarget) throws {
        let table = try Self.checkerTable(target)
        // Markdown links keep their text, not their target.
        func normalized(_ s: String) -> String {
            s.replacing(/\]\([^)]*\)/, with: "").lowercased().filter { $0.isLetter || $0.isNumber }
        }
        for op in target.catalog.ops.values {
            guard let text = table[op.key] else { continue }
            for rule in op.rules {
                #expect(normalized(text).contains(normalized(rule.caveat)), "\(op.key): '\(rule.caveat)' is not in '\(text)'")
            }
        }
    }
}
