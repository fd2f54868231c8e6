import OnnxGraph
import OnnxModel

/// What ONNX Runtime releases say of a model as a whole: which release loads it first, and why
/// a given release refuses it, with the fix. The limits are OnnxGraph's ``RuntimeRelease``
/// table (measured on the wheels of 1.10–1.32), the one `info` validates against too.
public enum OrtReleases {
    /// `1.17`, `1.17.3` or `v1.17` to its row; nil for a release the table does not have.
    public static func release(named name: String) -> RuntimeRelease? {
        var n = name.lowercased()
        if n.hasPrefix("v") { n.removeFirst() }
        let parts = n.split(separator: ".").map { Int($0) }
        guard parts.count >= 2, let major = parts[0], let minor = parts[1] else { return nil }
        return RuntimeRelease.known.first { $0.major == major && $0.minor == minor }
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

    /// The first release in the table that loads what the model needs; nil when none does.
    public static func oldest(loading needs: Needs) -> RuntimeRelease? {
        RuntimeRelease.known.first { r in
            (needs.opset ?? 0) <= r.maxOpset && needs.irVersion <= r.maxIRVersion && (needs.mlOpset ?? 0) <= r.maxMLOpset
        }
    }

    /// Why `release` would refuse the model (opset, ML opset or IR version too new), each with
    /// the fix; empty when it loads it.
    public static func problems(_ needs: Needs, on release: RuntimeRelease) -> [ModelBlocker] {
        let first = oldest(loading: needs).map { "ONNX Runtime ≥ \($0)" } ?? "a newer ONNX Runtime than \(RuntimeRelease.newestKnown)"
        var out: [ModelBlocker] = []
        if let o = needs.opset, o > release.maxOpset {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release) loads ai.onnx up to opset \(release.maxOpset); the model imports opset \(o)",
                                    fix: "export at opset ≤ \(release.maxOpset) (torch.onnx.export(..., opset_version=\(release.maxOpset))) or convert it down "
                                        + "(onnx.version_converter.convert_version(model, \(release.maxOpset))), or deploy \(first)"))
        }
        if needs.irVersion > release.maxIRVersion {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release) loads IR versions up to \(release.maxIRVersion); the model is IR \(needs.irVersion)",
                                    fix: "save it with model.ir_version = \(release.maxIRVersion) when it uses nothing newer (an older onnx package writes it so), or deploy \(first)"))
        }
        if let m = needs.mlOpset, m > release.maxMLOpset {
            out.append(ModelBlocker(kind: .releaseTooOld, node: "(model)", op: "",
                                    problem: "ONNX Runtime \(release) loads ai.onnx.ml up to opset \(release.maxMLOpset); the model imports \(m)",
                                    fix: "re-export with ai.onnx.ml opset ≤ \(release.maxMLOpset) (skl2onnx/onnxmltools target_opset), or deploy \(first)"))
        }
        return out
    }
}
