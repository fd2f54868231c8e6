/// What one ONNX Runtime release can load: the newest IR version and the newest opset of the
/// domains whose limits change between releases.
///
/// ORT refuses a model whose `ir_version` or opset imports are newer than these, even when no
/// node uses the newer opset ("Unsupported model IR version: 15, max supported IR version:
/// 14"; "Current official support for domain ai.onnx is till opset 28").
public struct RuntimeRelease: Sendable, Hashable, CustomStringConvertible {
    /// Major and minor version (`1.20`); patch releases do not change these limits.
    public var major: Int
    public var minor: Int
    /// Newest `ir_version` it loads.
    public var maxIRVersion: Int64
    /// Newest `ai.onnx` opset it loads.
    public var maxOpset: Int64
    /// Newest `ai.onnx.ml` opset it loads.
    public var maxMLOpset: Int64
    /// The wheel the limits were measured on (`1.17.3`); nil for rows taken from the docs.
    public var measuredWheel: String?

    public init(_ major: Int, _ minor: Int, ir: Int64, opset: Int64, ml: Int64, measuredWheel: String? = nil) {
        self.major = major; self.minor = minor
        maxIRVersion = ir; maxOpset = opset; maxMLOpset = ml
        self.measuredWheel = measuredWheel
    }

    public var description: String { "\(major).\(minor)" }

    /// Newest version this release accepts in an opset import of `domain` (`""` is ai.onnx),
    /// or nil when ORT does not know the domain (it then ignores the import; nodes of such a
    /// domain need a custom-op library).
    ///
    /// The domains other than ai.onnx and ai.onnx.ml have stayed at version 1 in every release
    /// (measured on 1.32: `com.microsoft` 2 is refused, 1 is accepted).
    public func maxVersion(ofDomain domain: String) -> Int64? {
        switch domain {
        case "", "ai.onnx": return maxOpset
        case "ai.onnx.ml": return maxMLOpset
        case "com.microsoft", "com.microsoft.nchwc", "ai.onnx.preview.training": return 1
        // ORT's internal NHWC copy of ai.onnx; models do not contain it, but ORT checks it.
        case "com.ms.internal.nhwc": return maxOpset
        default: return nil
        }
    }

    /// The releases this build knows, oldest first.
    ///
    /// Sources:
    /// - 1.10 … 1.32: measured on the newest patch wheel of each release by
    ///   `Tests/PartitionTests/python/ort_releases.py` (`make ort-releases`), which opens
    ///   one-node models at every opset and IR version through the release's C API and writes
    ///   `ort_releases.tsv`; `OrtReleaseTableTests` checks these rows against that file, and
    ///   `ValidationCrossCheckTests` the newest one against the installed ORT. ORT's
    ///   compatibility page differs in three places (ML opset of 1.11 and 1.18–1.20, IR of
    ///   1.15); ORT's own error texts agree with the measurement.
    /// - 1.0 … 1.9: the version matrix of ORT's compatibility page,
    ///   https://onnxruntime.ai/docs/reference/compatibility.html (no wheel of theirs was probed).
    public static let known: [RuntimeRelease] = [
        RuntimeRelease(1, 0, ir: 6, opset: 11, ml: 2),
        RuntimeRelease(1, 1, ir: 6, opset: 11, ml: 2),
        RuntimeRelease(1, 2, ir: 6, opset: 11, ml: 2),
        RuntimeRelease(1, 3, ir: 7, opset: 12, ml: 2),
        RuntimeRelease(1, 4, ir: 7, opset: 12, ml: 2),
        RuntimeRelease(1, 5, ir: 7, opset: 12, ml: 2),
        RuntimeRelease(1, 6, ir: 7, opset: 13, ml: 2),
        RuntimeRelease(1, 7, ir: 7, opset: 13, ml: 2),
        RuntimeRelease(1, 8, ir: 7, opset: 14, ml: 2),
        RuntimeRelease(1, 9, ir: 8, opset: 15, ml: 2),
        RuntimeRelease(1, 10, ir: 8, opset: 15, ml: 2, measuredWheel: "1.10.0"),
        RuntimeRelease(1, 11, ir: 8, opset: 16, ml: 3, measuredWheel: "1.11.1"),
        RuntimeRelease(1, 12, ir: 8, opset: 17, ml: 3, measuredWheel: "1.12.1"),
        RuntimeRelease(1, 13, ir: 8, opset: 17, ml: 3, measuredWheel: "1.13.1"),
        RuntimeRelease(1, 14, ir: 8, opset: 18, ml: 3, measuredWheel: "1.14.1"),
        RuntimeRelease(1, 15, ir: 9, opset: 19, ml: 3, measuredWheel: "1.15.1"),
        RuntimeRelease(1, 16, ir: 9, opset: 19, ml: 3, measuredWheel: "1.16.3"),
        RuntimeRelease(1, 17, ir: 9, opset: 20, ml: 4, measuredWheel: "1.17.3"),
        RuntimeRelease(1, 18, ir: 10, opset: 21, ml: 5, measuredWheel: "1.18.1"),
        RuntimeRelease(1, 19, ir: 10, opset: 21, ml: 5, measuredWheel: "1.19.2"),
        RuntimeRelease(1, 20, ir: 10, opset: 21, ml: 5, measuredWheel: "1.20.1"),
        RuntimeRelease(1, 21, ir: 10, opset: 22, ml: 5, measuredWheel: "1.21.1"),
        RuntimeRelease(1, 22, ir: 10, opset: 22, ml: 5, measuredWheel: "1.22.1"),
        RuntimeRelease(1, 23, ir: 11, opset: 23, ml: 5, measuredWheel: "1.23.2"),
        RuntimeRelease(1, 24, ir: 13, opset: 25, ml: 5, measuredWheel: "1.24.4"),
        RuntimeRelease(1, 25, ir: 13, opset: 26, ml: 5, measuredWheel: "1.25.1"),
        RuntimeRelease(1, 26, ir: 13, opset: 26, ml: 5, measuredWheel: "1.26.0"),
        RuntimeRelease(1, 27, ir: 13, opset: 26, ml: 5, measuredWheel: "1.27.0"),
        RuntimeRelease(1, 28, ir: 13, opset: 26, ml: 5, measuredWheel: "1.28.0"),
        RuntimeRelease(1, 29, ir: 13, opset: 26, ml: 5, measuredWheel: "1.29.0"),
        RuntimeRelease(1, 30, ir: 13, opset: 26, ml: 5, measuredWheel: "1.30.0"),
        RuntimeRelease(1, 31, ir: 13, opset: 26, ml: 5, measuredWheel: "1.31.1"),
        RuntimeRelease(1, 32, ir: 14, opset: 28, ml: 5, measuredWheel: "1.32.0"),
    ]

    /// The newest release in ``known``: what `info` validates against.
    public static let newestKnown = known[known.count - 1]

    /// The oldest known release that loads IR `ir` with opset `version` of `domain`, or nil
    /// when none does (or ORT does not know the domain).
    public static func firstSupporting(ir: Int64? = nil, domain: String = "", version: Int64? = nil) -> RuntimeRelease? {
        known.first { r in
            if let ir, ir > r.maxIRVersion { return false }
            if let version {
                guard let max = r.maxVersion(ofDomain: domain), version <= max else { return false }
            }
            return true
        }
    }
}
