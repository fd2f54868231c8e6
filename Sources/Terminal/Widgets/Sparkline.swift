/// Tiny bar charts in one row of text (`▁▂▅█▃`), e.g. a weight histogram in the inspector.
public struct Sparkline: Widget, Sendable {
    public var values: [Double]
    public var style: Style
    public var bars: [Character]
    /// The value drawn as a full bar; `nil` uses the largest value.
    public var maximum: Double?

    public init(_ values: [Double], style: Style = .none, glyphs: GlyphSet = .unicode, maximum: Double? = nil) {
        self.values = values
        self.style = style
        self.bars = glyphs.bars
        self.maximum = maximum
    }

    /// The bars as a string, one character per value (resampled to `width` values when given).
    ///
    /// Values are scaled from 0 (or the minimum, when some are negative) to the maximum; any
    /// non-zero value gets at least the lowest bar so that rare bins stay visible, and a zero
    /// is a space. NaN and infinities are shown as spaces.
    public static func string(_ values: [Double], width: Int? = nil, bars: [Character] = GlyphSet.unicode.bars, maximum: Double? = nil) -> String {
        let data = width.map { resample(values, to: $0) } ?? values
        let finite = data.filter { $0.isFinite }
        guard !finite.isEmpty, !bars.isEmpty else { return String(repeating: " ", count: data.count) }
        let low = min(0, finite.min()!)
        let high = maximum ?? finite.max()!
        let span = high - low
        var out = ""
        for v in data {
            guard v.isFinite else { out.append(" "); continue }
            if span <= 0 { out.append(v > low ? bars[bars.count - 1] : " "); continue }
            let t = (min(v, high) - low) / span
            if t <= 0 { out.append(" "); continue }
            let index = min(bars.count - 1, max(0, Int((t * Double(bars.count)).rounded()) - 1))
            out.append(bars[index])
        }
        return out
    }

    /// Averages (or repeats) values into exactly `width` buckets.
    static func resample(_ values: [Double], to width: Int) -> [Double] {
        guard width > 0, !values.isEmpty else { return [] }
        if values.count == width { return values }
        return (0..<width).map { i in
            let start = i * values.count / width
            let end = max(start + 1, (i + 1) * values.count / width)
            let slice = values[start..<min(end, values.count)]
            return slice.reduce(0, +) / Double(slice.count)
        }
    }

    public func render(in area: Rect, buffer: inout Buffer) {
        guard !area.isEmpty else { return }
        let text = Sparkline.string(values, width: min(area.width, values.count), bars: bars, maximum: maximum)
        buffer.setString(text, x: area.x, y: area.y, style: style, maxWidth: area.width)
    }
}
