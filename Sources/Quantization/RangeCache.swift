import Foundation
import OnnxModel

/// Calibration results on disk, so a new plan, method or setting never re-runs the samples.
///
/// The key hashes the model bytes, the samples' bytes and the calibrated value list. Binned
/// histograms serve every ``CalibrationMethod``; a MinMax calibration stores min/max only, and
/// a later percentile or entropy run over it calibrates once more (then serves all methods).
public struct RangeCache {
    public let path: String

    /// `~/.cache/onnxscope/ranges-<key>.json` (XDG_CACHE_HOME is honoured).
    public static func defaultPath(key: String) -> String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
        return base + "/onnxscope/ranges-\(key).json"
    }

    public init(path: String) { self.path = path }

    struct Stored: Codable {
        var version: Int
        var key: String
        var samplesUsed: Int
        var skipped: [CalibrationResult.Skipped]
        /// Per value: min, max, count, nonFinite, limit, bins, and the non-empty bins as pairs.
        var values: [String: StoredHistogram]
    }
    struct StoredHistogram: Codable {
        var min: Double, max: Double, count: Int, nonFinite: Int, limit: Double, bins: Int
        var binned: Bool?
        var nonEmpty: [[UInt64]]
    }

    /// The cached result for `key`, if the file holds it (with histograms, when `needsBins`).
    public func load(key: String, needsBins: Bool = false) -> CalibrationResult? {
        guard let data = FileManager.default.contents(atPath: path),
              let s = try? JSONDecoder().decode(Stored.self, from: data), s.version == 1, s.key == key else { return nil }
        var hs: [String: RangeHistogram] = [:]
        for (name, h) in s.values {
            guard let r = RangeHistogram(restoring: h.min, h.max, h.count, h.nonFinite, h.limit, h.bins, h.nonEmpty, binned: h.binned ?? true) else { return nil }
            if needsBins && !r.binned { return nil }
            hs[name] = r
        }
        return CalibrationResult(histograms: hs, samplesUsed: s.samplesUsed, skipped: s.skipped)
    }

    public func store(_ r: CalibrationResult, key: String) throws {
        var values: [String: StoredHistogram] = [:]
        for (name, h) in r.histograms where !h.isEmpty {
            let pairs = h.counts.enumerated().compactMap { $1 > 0 ? [UInt64($0), $1] : nil }
            values[name] = StoredHistogram(min: h.minimum, max: h.maximum, count: h.count, nonFinite: h.nonFinite, limit: h.limit, bins: h.bins, binned: h.binned, nonEmpty: pairs)
        }
        let data = try JSONEncoder().encode(Stored(version: 1, key: key, samplesUsed: r.samplesUsed, skipped: r.skipped, values: values))
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        try AtomicFile.write([UInt8](data), to: path)
    }

    /// The cache key of a calibration: model bytes, sample file bytes, value list.
    public static func key(modelBytes: [UInt8], samples: CalibrationSamples, values: [String]) throws -> String {
        var h = StableHash()
        h.add(modelBytes)
        for k in 0..<samples.count {
            let path = samples.describe(k)
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            let files = isDir.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for f in files {
                guard let d = FileManager.default.contents(atPath: f) else { continue }
                h.add(Array(f.utf8.suffix(64))); h.add([UInt8](d))
            }
        }
        for v in values { h.add(Array(v.utf8)); h.add([0]) }
        return String(h.value, radix: 16)
    }
}

/// FNV-1a, 64 bits, over 8-byte words (fast enough for model-sized inputs; not cryptographic:
/// it only tells caches apart).
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                value = (value ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x100_0000_01b3
                value ^= value >> 29
            }
            for i in (words * 8)..<raw.count { value = (value ^ UInt64(raw[i])) &* 0x100_0000_01b3 }
            value = (value ^ UInt64(raw.count)) &* 0x100_0000_01b3
        }
    }
}

extension RangeHistogram {
    init?(restoring minimum: Double, _ maximum: Double, _ count: Int, _ nonFinite: Int, _ limit: Double, _ bins: Int, _ nonEmpty: [[UInt64]], binned: Bool) {
        guard bins >= 2, bins % 2 == 0 else { return nil }
        self.init(bins: bins, binned: binned)
        var c = [UInt64](repeating: 0, count: bins)
        for p in nonEmpty { guard p.count == 2, p[0] < UInt64(bins) else { return nil }; c[Int(p[0])] = p[1] }
        restore(minimum: minimum, maximum: maximum, count: count, nonFinite: nonFinite, limit: limit, counts: c, binned: binned)
    }
}
