import OnnxModel

extension ShapeRules {
    /// Spectral ops and window generators (opset 17+).
    static let signal: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        // DFT(input [batch, n..., 1|2], dft_length?, axis?) → [..., 2]; onesided halves the axis.
        t["DFT"] = { c in
            guard var x = c.dims(0), x.count >= 2 else { c.set(0, c.type(0), nil); return }
            let rank = x.count
            let axisValue = c.opset >= 20 ? (c.ints(2)?.first ?? -2) : c.int("axis", 1)
            guard let axis = c.axis(axisValue, rank: rank), axis < rank - 1 else { c.set(0, c.type(0), nil); return }
            if c.hasInput(1) { x[axis] = c.values(1)?.first ?? .unknown }
            if c.int("onesided", 0) != 0 { x[axis] = halfPlusOne(x[axis]) }
            x[rank - 1] = .value(2)
            c.set(0, c.type(0), x)
        }
        // STFT(signal [batch, length, 1|2], frame_step, window?, frame_length?) →
        // [batch, frames, bins, 2], frames = (length − frame_length)/step + 1.
        t["STFT"] = { c in
            guard let x = c.dims(0), x.count == 3 else { c.set(0, c.type(0), nil); return }
            let step = c.ints(1)?.first
            let frame: Dimension = c.hasInput(3) ? (c.values(3)?.first ?? .unknown) : (c.dims(2)?.first ?? .unknown)
            var frames: Dimension = .unknown
            if let n = x[1].intValue, let f = frame.intValue, let s = step, s > 0, n >= f { frames = .value((n - f) / s + 1) }
            let bins = c.int("onesided", 1) != 0 ? halfPlusOne(frame) : frame
            c.set(0, c.type(0), [x[0], frames, bins, .value(2)])
        }
        for op in ["HannWindow", "HammingWindow", "BlackmanWindow"] {
            t[op] = { c in
                let dtype = c.dataType("output_datatype") ?? .float
                c.set(0, dtype, [c.values(0)?.first ?? .unknown])
            }
        }
        // MelWeightMatrix(num_mel_bins, dft_length, sample_rate, lower, upper) → [dft_length/2+1, mel_bins].
        t["MelWeightMatrix"] = { c in
            let dtype = c.dataType("output_datatype") ?? .float
            c.set(0, dtype, [halfPlusOne(c.values(1)?.first ?? .unknown), c.values(0)?.first ?? .unknown])
        }
        return t
    }()

    /// `n/2 + 1` (the one-sided spectrum length), numbers only.
    static func halfPlusOne(_ d: Dimension) -> Dimension {
        d.intValue.map { .value($0 / 2 + 1) } ?? .unknown
    }
}
