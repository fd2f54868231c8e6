import OnnxModel
import Synchronization

/// A derived dim as an integer expression of the input symbols: `Σ cᵢ·atomᵢ + k`, where an
/// atom is a symbol or `floor(expression / d)`.
///
/// That is the arithmetic unbound shapes need: a strided Conv or pool gives
/// `floor((height - 1)/2) + 1`, a Pad `height + 2`, a Concat `seq + 1`. Simplification keeps
/// them short (`floor((2·h + 2)/2)` is `h + 1`), so a chain of layers reads as it should.
///
/// Expressions travel through shape rules as ``Dimension/param(_:)`` strings (what the rest
/// of the tree, the views and JSON already handle); every string made here is registered, so
/// arithmetic on it finds the expression again instead of treating it as an opaque name.
struct DimExpression: Hashable, Sendable, CustomStringConvertible {
    indirect enum Atom: Hashable, Sendable, Comparable {
        case symbol(String)
        case floorDiv(DimExpression, Int64)

        static func < (a: Atom, b: Atom) -> Bool { a.description < b.description }

        var description: String {
            switch self {
            case .symbol(let s): return s
            case .floorDiv(let e, let d):
                let inner = e.terms.count + (e.constant == 0 ? 0 : 1) > 1 ? "(\(e))" : e.description
                return "floor(\(inner)/\(d))"
            }
        }
    }

    var constant: Int64 = 0
    /// Non-zero coefficients.
    var terms: [Atom: Int64] = [:]

    init(constant: Int64) { self.constant = constant }
    init(atom: Atom) { terms = [atom: 1] }

    /// The expression a dim stands for; nil for `.unknown`.
    init?(_ d: Dimension) {
        switch d {
        case .value(let v): self.init(constant: v)
        case .param(let p):
            if let e = DimExpression.registered(p) { self = e; return }
            // A product `2*h` (how Monomial writes k·symbols) is a coefficient on one atom.
            guard let m = Monomial(d), !m.symbols.isEmpty else { self = DimExpression(atom: .symbol(p)); return }
            self.init(constant: 0)
            terms[.symbol(m.symbols.count == 1 ? m.symbols[0] : Monomial(coefficient: 1, symbols: m.symbols).dimension.description)] = m.coefficient
        case .unknown: return nil
        }
    }

    /// Back to a dim: a number, a plain symbol, or a registered expression string.
    var dimension: Dimension {
        if terms.isEmpty { return .value(constant) }
        if constant == 0, terms.count == 1, let (a, c) = terms.first, c == 1, case .symbol(let s) = a { return .param(s) }
        let text = description
        DimExpression.register(text, self)
        return .param(text)
    }

    var description: String {
        var out = ""
        for (atom, c) in terms.sorted(by: { $0.key < $1.key }) {
            let magnitude = c.magnitude == 1 ? atom.description : "\(c.magnitude)*\(atom.description)"
            if out.isEmpty { out = c < 0 ? "-" + magnitude : magnitude } else { out += (c < 0 ? " - " : " + ") + magnitude }
        }
        if constant != 0 || out.isEmpty {
            if out.isEmpty { out = String(constant) } else { out += (constant < 0 ? " - " : " + ") + String(constant.magnitude) }
        }
        return out
    }

    // MARK: Arithmetic (nil on overflow)

    static func + (a: DimExpression, b: DimExpression) -> DimExpression? {
        guard let k = Checked.add(a.constant, b.constant) else { return nil }
        var out = a
        out.constant = k
        for (atom, c) in b.terms {
            guard let s = Checked.add(out.terms[atom] ?? 0, c) else { return nil }
            out.terms[atom] = s == 0 ? nil : s
        }
        return out
    }

    func scaled(by k: Int64) -> DimExpression? {
        if k == 0 { return DimExpression(constant: 0) }
        guard let c = Checked.multiply(constant, k) else { return nil }
        var out = DimExpression(constant: c)
        for (atom, v) in terms {
            guard let m = Checked.multiply(v, k) else { return nil }
            out.terms[atom] = m
        }
        return out
    }

    static func - (a: DimExpression, b: DimExpression) -> DimExpression? {
        b.scaled(by: -1).flatMap { a + $0 }
    }

    /// `floor(self / d)` for d > 0: terms whose coefficients d divides come out exactly
    /// (`floor((d·n + r)/d) = n + floor(r/d)`), the rest stays inside one floor.
    func floorDivided(by d: Int64) -> DimExpression? {
        guard d > 0 else { return nil }
        if d == 1 { return self }
        var whole = DimExpression(constant: 0)
        var rest = DimExpression(constant: 0)
        for (atom, c) in terms {
            if c % d == 0 { whole.terms[atom] = c / d } else { rest.terms[atom] = c }
        }
        // Move whole multiples of d out of the constant too (floor division, not truncation).
        let q = constant >= 0 ? constant / d : -((-constant + d - 1) / d)
        whole.constant = q
        rest.constant = constant - q * d
        if rest.terms.isEmpty { return whole }  // 0 ≤ rest.constant < d: floor is 0
        return whole + DimExpression(atom: .floorDiv(rest, d))
    }

    // MARK: The registry of strings made here

    private static let registry = Mutex<[String: DimExpression]>([:])

    static func register(_ text: String, _ e: DimExpression) {
        registry.withLock { if $0.count < 100_000 { $0[text] = e } }
    }

    static func registered(_ text: String) -> DimExpression? { registry.withLock { $0[text] } }
}
