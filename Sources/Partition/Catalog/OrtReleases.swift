import OnnxModel

/// What one ONNX Runtime release loads: the newest `ai.onnx` opset, IR version and
/// `ai.onnx.ml` opset its session creation accepts.
///
/// Measured, not copied from the docs: `Tests/PartitionTests/python/ort_releases.py` downloads
/// the newest patch wheel of every minor release from 1.10, opens one-node models at each
/// opset and IR version through ORT's C API, and writes `ort_releases.tsv`, which
/// `OrtReleaseTableTests` compares with this table. (ORT's compatibility page disagrees in
/// three places: ML opset of 1.11 and 1.18–1.20, IR of 1.15; the error texts side with the
/// measurement.)
public struct OrtRelease: Sendable, Hashable {
    /// `1.17`.
    public let release: String
    /// The wheel measured, `1.17.3`.
    public let patch: String
    public let maxOpset: Int64
    public let maxIRVersion: Int64
    public let maxMLOpset: Int64
}

/// The release table and what it says of a model.
public enum OrtReleases {
    public static let all: [OrtRelease] = [
        OrtRelease(release: "1.10", patch: "1.10.0", maxOpset: 15, maxIRVersion: 8, maxMLOpset: 2),
        OrtRelease(release: "1.11", patch: "1.11.1", maxOpset: 16, maxIRVersion: 8, maxMLOpset: 3),
        OrtRelease(release: "1.12", patch: "1.12.1", maxOpset: 17, maxIRVersion: 8, maxMLOpset: 3),
        OrtRelease(release: "1.13", patch: "1.13.1", maxOpset: 17, maxIRVersion: 8, maxMLOpset: 3),
        OrtRelease(release: "1.14", patch: "1.14.1", maxOpset: 18, maxIRVersion: 8, maxMLOpset: 3),
        OrtRelease(release: "1.15", patch: "1.15.1", maxOpset: 19, maxIRVersion: 9, maxMLOpset: 3),
        OrtRelease(release: "1.16", patch: "1.16.3", maxOpset: 19, maxIRVersion: 9, maxMLOpset: 3),
        OrtRelease(release: "1.17", patch: "1.17.3", maxOpset: 20, maxIRVersion: 9, maxMLOpset: 4),
        OrtRelease(release: "1.18", patch: "1.18.1", maxOpset: 21, maxIRVersion: 10, maxMLOpset: 5),
        OrtRelease(release: "1.19", patch: "1.19.2", maxOpset: 21, maxIRVersion: 10, maxMLOpset: 5),
        OrtRelease(release: "1.20", patch: "1.20.1", maxOpset: 21, maxIRVersion: 10, maxMLOpset: 5),
        OrtRelease(release: "1.21", patch: "1.21.1", maxOpset: 22, maxIRVersion: 10, maxMLOpset: 5),
        OrtRelease(release: "1.22", patch: "1.22.1", maxOpset: 22, maxIRVersion: 10, maxMLOpset: 5),
        OrtRelease(release: "1.23", patch: "1.23.2", maxOpset: 23, maxIRVersion: 11, maxMLOpset: 5),
        OrtRelease(release: "1.24", patch: "1.24.4", maxOpset: 25, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.25", patch: "1.25.1", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.26", patch: "1.26.0", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.27", patch: "1.27.0", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.28", patch: "1.28.0", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.29", patch: "1.29.0", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.30", patch: "1.30.0", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.31", patch: "1.31.1", maxOpset: 26, maxIRVersion: 13, maxMLOpset: 5),
        OrtRelease(release: "1.32", patch: "1.32.0", maxOpset: 28, maxIRVersion: 14, maxMLOpset: 5),
    ]

    /// `1.17`, `1.17.3` or `v1.17` to its row.
    public static func release(named name: String) -> OrtRelease? {
        var n = name.lowercased()
        if n.hasPrefix("v") { n.removeFirst() }
        let parts = n.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        return all.first { $0.release == "\(parts[0]).\(parts[1])" }
    }

    /// What the model asks of a runtime.
    public struct Needs: Sendable, Hashable {
        public let opset: Int64?
        public let irVersion: Int64
        public let mlOpset: Int64?
        public init(model: Model) {
            opset = model.opsetVersion(for: "")
            irVersion = model.irVersion
            mlOpset = model.opsetVersion(for: "ai.onnx.ml")
        }
        public var description: String {
            let parts = (opset.map { ["ai.onnx opset \($0)"] } ?? []) + ["IR \(irVersion)"] + (mlOpset.map { ["ai.onnx.ml opset \($0)"] } ?? [])
            return parts.joined(separator: ", ")
        }
    }

    /// Why `release` would refuse the model (opset, ML opset or IR version too new), each with
    /// the fix; empty when it loads it.
    public static func problems(_ needs: Needs, on release: OrtRelease) -> [ModelBlocker] {
        let first = oldest(loading: needs).map { "ONNX Runtime ≥ \($0.release)" } ?? "a newer ONNX Runtime than 1.32"
        var out: [ModelBlocker] = []
        if let o = needs.opset, o > release.maxOpset {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release.release) loads ai.onnx up to opset \(release.maxOpset); the model imports opset \(o)",
                                    fix: "export at opset ≤ \(release.maxOpset) (torch.onnx.export(..., opset_version=\(release.maxOpset))) or convert it down "
                                        + "(onnx.version_converter.convert_version(model, \(release.maxOpset))), or deploy \(first)"))
        }
        if needs.irVersion > release.maxIRVersion {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release.release) loads IR versions up to \(release.maxIRVersion); the model is IR \(needs.irVersion)",
                                    fix: "save it with model.ir_version = \(release.maxIRVersion) when it uses nothing newer (an older onnx package writes it so), or deploy \(first)"))
        }
        if let m = needs.mlOpset, m > release.maxMLOpset {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release.release) loads ai.onnx.ml up to opset \(release.maxMLOpset); the model imports \(m)",
                                    fix: "re-export with ai.onnx.ml opset ≤ \(release.maxMLOpset) (skl2onnx/onnxmltools target_opset), or deploy \(first)"))
        }
        return out
    }

    /// The first release in the table that loads what the model needs; nil when none does.
    public static func oldest(loading needs: Needs) -> OrtRelease? {
        all.first { r in
            (needs.opset ?? 0) <= r.maxOpset && needs.irVersion <= r.maxIRVersion && (needs.mlOpset ?? 0) <= r.maxMLOpset
        }
    }
}
