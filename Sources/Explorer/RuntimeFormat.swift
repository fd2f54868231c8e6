import Foundation

/// How runtime figures read on screen: times with a unit that fits, shares as percents,
/// sparklines of recent latencies.
enum RuntimeFormat {
    /// `1.23 ms`, `850 µs` (`us` in ASCII mode), `-` when unknown.
    static func time(microseconds t: Double?, ascii: Bool) -> String {
        guard let t else { return "-" }
        if t >= 1000 { return String(format: "%.2f ms", t / 1000) }
        return String(format: ascii ? "%.0f us" : "%.0f µs", t)
    }

    /// Milliseconds with three significant digits: `38.2 ms`, `8.80 ms`, `0.412 ms`.
    static func ms(_ v: Double?) -> String {
        guard let v else { return "-" }
        if v >= 100 { return String(format: "%.0f ms", v) }
        if v >= 10 { return String(format: "%.1f ms", v) }
        if v >= 1 { return String(format: "%.2f ms", v) }
        return String(format: "%.3f ms", v)
    }

    /// `12.3 %`.
    static func percent(_ share: Double?) -> String {
        guard let share else { return "-" }
        return String(format: "%.1f %%", share * 100)
    }

    /// One character per value, scaled between the values' min and max.
    static func sparkline(_ values: [Double], width: Int, ascii: Bool) -> String {
        let bars: [Character] = ascii ? Array("_.-=+*#@") : Array("▁▂▃▄▅▆▇█")
        let shown = values.suffix(max(0, width))
        guard let lo = shown.min(), let hi = shown.max() else { return "" }
        let span = hi - lo
        return String(shown.map { v in
            let i = span > 0 ? Int(((v - lo) / span) * Double(bars.count - 1) + 0.5) : 0
            return bars[max(0, min(bars.count - 1, i))]
        })
    }

    /// One character per bin of a histogram, from empty (a space: no value there) to the
    /// fullest bin; any non-empty bin shows at least the lowest bar.
    static func histogram(_ counts: [Int], ascii: Bool) -> String {
        let marks: [Character] = ascii ? Array(" .:-=+*#") : Array(" ▁▂▃▄▅▆▇█")
        let top = max(1, counts.max() ?? 1)
        return String(counts.map { n in n == 0 ? marks[0] : marks[max(1, Int((Double(n) / Double(top) * Double(marks.count - 1)).rounded(.up)))] })
    }

    /// Heat level 0...4 of a share of the kernel time: logarithmic, since a few kernels take
    /// most of the time and the rest should still tell apart.
    static func heat(share: Double) -> Int {
        switch share {
        case ..<0.002: return 0
        case ..<0.01: return 1
        case ..<0.03: return 2
        case ..<0.08: return 3
        default: return 4
        }
    }
}
