/// How one output compares to a reference, as ONNX's test runner judges it:
/// `|actual - expected| <= atol + rtol * |expected|` for every element (numpy's `assert_allclose`).
public struct TensorComparison: Sendable, Equatable {
    public let name: String
    public let passed: Bool
    public let maxAbsError: Double
    public let maxRelError: Double
    /// Elements outside tolerance.
    public let mismatches: Int
    public let elementCount: Int
    /// Why the comparison failed before looking at values (shape or type differ), if it did.
    public let structuralProblem: String?

    /// Compares `actual` with `expected` under numpy's allclose rule. Strings and bools must be
    /// equal; NaN equals NaN (as `assert_allclose` with its default `equal_nan`).
    public static func compare(name: String, actual: HostTensor, expected: HostTensor,
                               rtol: Double = 1e-3, atol: Double = 1e-7) -> TensorComparison {
        func fail(_ why: String) -> TensorComparison {
            TensorComparison(name: name, passed: false, maxAbsError: .infinity, maxRelError: .infinity,
                             mismatches: expected.elementCount, elementCount: expected.elementCount, structuralProblem: why)
        }
        guard actual.elementType == expected.elementType else {
            return fail("type \(actual.elementType), expected \(expected.elementType)")
        }
        guard actual.shape == expected.shape else {
            // Model-zoo files sometimes drop leading 1-dims; accept equal element counts with a
            // shape equal after squeezing ones, like numpy broadcasting would.
            let sq = { (s: [Int64]) in s.filter { $0 != 1 } }
            if sq(actual.shape) != sq(expected.shape) {
                return fail("shape \(actual.shape), expected \(expected.shape)")
            }
            return compare(name: name, actual: HostTensor(reshaping: actual, to: expected.shape), expected: expected, rtol: rtol, atol: atol)
        }
        if actual.elementType == .string {
            let bad = zip(actual.strings, expected.strings).filter { $0 != $1 }.count
            return TensorComparison(name: name, passed: bad == 0, maxAbsError: bad == 0 ? 0 : 1, maxRelError: bad == 0 ? 0 : 1,
                                    mismatches: bad, elementCount: expected.elementCount, structuralProblem: nil)
        }
        let a = actual.doubles(), e = expected.doubles()
        var maxAbs = 0.0, maxRel = 0.0, bad = 0
        for (x, y) in zip(a, e) {
            if x.isNaN && y.isNaN { continue }
            if x == y { continue }
            let d = abs(x - y)
            if d.isNaN { bad += 1; maxAbs = .nan; continue }
            maxAbs = max(maxAbs, d)
            if y != 0 { maxRel = max(maxRel, d / abs(y)) } else { maxRel = max(maxRel, d == 0 ? 0 : .infinity) }
            if d > atol + rtol * abs(y) { bad += 1 }
        }
        return TensorComparison(name: name, passed: bad == 0, maxAbsError: maxAbs, maxRelError: maxRel,
                                mismatches: bad, elementCount: expected.elementCount, structuralProblem: nil)
    }
}

extension HostTensor {
    /// Same data with another shape of equal element count.
    init(reshaping t: HostTensor, to shape: [Int64]) {
        self = t
        self.shape = shape
    }
}
