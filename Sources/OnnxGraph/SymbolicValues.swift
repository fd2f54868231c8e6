import OnnxModel

/// The known contents of a small integer tensor, element by element: each element is a
/// number or a symbolic dimension.
///
/// PyTorch exports compute reshape targets at run time (`Shape → Gather → Unsqueeze → Concat
/// → Reshape`). Tracking those few int64 values, with `batch` and `seq` as symbols, is what
/// lets Reshape produce `[batch, seq, 12, 64]` instead of an unknown shape.
public struct SymbolicTensor: Sendable, Hashable, CustomStringConvertible {
    /// The tensor's own shape (rank 0 for a scalar, rank 1 for a shape vector).
    public var dims: [Int64]
    /// Elements in row-major order; `.unknown` where the value is not known.
    public var elements: [Dimension]

    public init(dims: [Int64], elements: [Dimension]) { self.dims = dims; self.elements = elements }

    /// A rank-1 tensor.
    public init(vector: [Dimension]) { self.init(dims: [Int64(vector.count)], elements: vector) }

    /// A scalar.
    public init(scalar: Dimension) { self.init(dims: [], elements: [scalar]) }

    /// Tensors larger than this are not tracked (they are data, not shapes).
    public static let maximumElements = 64

    /// All elements as numbers, if they all are.
    public var integers: [Int64]? {
        var out: [Int64] = []
        out.reserveCapacity(elements.count)
        for e in elements { guard let v = e.intValue else { return nil }; out.append(v) }
        return out
    }

    public var description: String { "[" + elements.map(\.description).joined(separator: ",") + "]" }
}

/// A product `coefficient × s1 × s2 × …` of symbols: the only symbolic arithmetic shapes need
/// (batch·seq after a flattening Reshape, and dividing it back out for a `-1` dim).
///
/// A monomial with one symbol and coefficient 1 is that symbol; any other product with symbols
/// is written as a `param` string `12*batch*seq`, which parses back into the same monomial, so
/// products survive being stored as ``Dimension/param(_:)``.
public struct Monomial: Sendable, Hashable {
    public var coefficient: Int64
    /// Symbol names, sorted, with repetition.
    public var symbols: [String]

    public init(coefficient: Int64, symbols: [String] = []) {
        self.coefficient = coefficient
        self.symbols = symbols.sorted()
    }

    /// Reads a dimension; nil for `.unknown`.
    public init?(_ d: Dimension) {
        switch d {
        case .value(let v): self.init(coefficient: v)
        case .param(let p):
            var coefficient: Int64 = 1
            var symbols: [String] = []
            let parts = p.split(separator: "*", omittingEmptySubsequences: false)
            // Only parse what we produce ourselves; anything else is one opaque symbol.
            var parsed = parts.count > 1 && parts.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            if parsed {
                for part in parts {
                    if let v = Int64(part) {
                        guard let m = Checked.multiply(coefficient, v) else { parsed = false; break }
                        coefficient = m
                    } else {
                        symbols.append(String(part))
                    }
                }
            }
            if !parsed { coefficient = 1; symbols = [p] }
            self.init(coefficient: coefficient, symbols: symbols)
        case .unknown: return nil
        }
    }

    public var dimension: Dimension {
        if symbols.isEmpty { return .value(coefficient) }
        if coefficient == 1 && symbols.count == 1 { return .param(symbols[0]) }
        if coefficient == 0 { return .value(0) }
        let head = coefficient == 1 ? [] : [String(coefficient)]
        // A factor that is itself a sum (`floor((h - 1)/2) + 1`) is parenthesized.
        return .param((head + symbols.map { $0.contains(" ") ? "(\($0))" : $0 }).joined(separator: "*"))
    }

    public static func * (a: Monomial, b: Monomial) -> Monomial? {
        let (c, o) = a.coefficient.multipliedReportingOverflow(by: b.coefficient)
        if o { return nil }
        return Monomial(coefficient: c, symbols: a.symbols + b.symbols)
    }

    /// Exact division: nil unless every symbol of `b` is in `a` and the coefficients divide.
    public static func / (a: Monomial, b: Monomial) -> Monomial? {
        guard b.coefficient != 0, let q = Checked.divide(a.coefficient, b.coefficient), a.coefficient % b.coefficient == 0 else { return nil }
        var rest = a.symbols
        for s in b.symbols {
            guard let i = rest.firstIndex(of: s) else { return nil }
            rest.remove(at: i)
        }
        return Monomial(coefficient: q, symbols: rest)
    }
}

/// Arithmetic on dimensions that keeps symbols symbolic where the result is still a product.
public enum SymbolicArithmetic {
    public static func multiply(_ a: Dimension, _ b: Dimension) -> Dimension {
        if case .value(0) = a { return .value(0) }
        if case .value(0) = b { return .value(0) }
        // An expression (a sum) times a number stays an expression: 2·(h + 1) = 2*h + 2.
        if let k = b.intValue, isSum(a) { return DimExpression(a)?.scaled(by: k)?.dimension ?? .unknown }
        if let k = a.intValue, isSum(b) { return DimExpression(b)?.scaled(by: k)?.dimension ?? .unknown }
        guard let x = Monomial(a), let y = Monomial(b), let p = x * y else { return .unknown }
        return p.dimension
    }

    /// Exact division; `.unknown` when the result is not a whole product (or b is 0).
    public static func divide(_ a: Dimension, _ b: Dimension) -> Dimension {
        if let k = b.intValue, k > 0, isSum(a), let e = DimExpression(a),
           e.constant % k == 0, e.terms.values.allSatisfy({ $0 % k == 0 }) {
            return e.floorDivided(by: k)?.dimension ?? .unknown
        }
        guard let x = Monomial(a), let y = Monomial(b), let q = x / y else { return .unknown }
        return q.dimension
    }

    /// Integer division with ONNX Div semantics for integers (truncation). A symbolic size
    /// divided by a positive number is `floor(a/k)` (sizes are not negative, so truncation
    /// and floor agree); other symbolic quotients divide exactly or give unknown.
    public static func integerDivide(_ a: Dimension, _ b: Dimension) -> Dimension {
        if let x = a.intValue, let y = b.intValue { return Checked.divide(x, y).map { .value($0) } ?? .unknown }
        let exact = divide(a, b)
        if exact != .unknown { return exact }
        if let k = b.intValue, k > 0, let e = DimExpression(a) { return e.floorDivided(by: k)?.dimension ?? .unknown }
        return .unknown
    }

    public static func add(_ a: Dimension, _ b: Dimension) -> Dimension {
        if let x = a.intValue, let y = b.intValue {
            let (s, o) = x.addingReportingOverflow(y)
            return o ? .unknown : .value(s)
        }
        if b.intValue == 0 { return a }
        if a.intValue == 0 { return b }
        guard let x = DimExpression(a), let y = DimExpression(b), let s = x + y else { return .unknown }
        return s.dimension
    }

    public static func subtract(_ a: Dimension, _ b: Dimension) -> Dimension {
        if let x = a.intValue, let y = b.intValue {
            let (s, o) = x.subtractingReportingOverflow(y)
            return o ? .unknown : .value(s)
        }
        if b.intValue == 0 { return a }
        if a == b, case .param = a { return .value(0) }
        guard let x = DimExpression(a), let y = DimExpression(b), let s = x - y else { return .unknown }
        return s.dimension
    }

    /// `floor((a + pad − extent + (ceil ? stride − 1 : 0)) / stride) + 1`: the output size of
    /// a window over a symbolic axis.
    static func windowOutput(_ a: Dimension, offset: Int64, stride: Int64) -> Dimension {
        guard stride > 0, let e = DimExpression(a), let shifted = e + DimExpression(constant: offset),
              let q = shifted.floorDivided(by: stride), let out = q + DimExpression(constant: 1) else { return .unknown }
        return out.dimension
    }

    /// True for a dim that is a registered sum expression (not a plain symbol or product).
    static func isSum(_ d: Dimension) -> Bool {
        guard case .param(let p) = d, let e = DimExpression.registered(p) else { return false }
        return e.terms.count > 1 || e.constant != 0 || e.terms.values.contains { $0 != 1 }
            || e.terms.keys.contains { if case .floorDiv = $0 { return true }; return false }
    }

    /// Product of all dims (the element count), symbolic where needed.
    public static func product(_ dims: [Dimension]) -> Dimension {
        var acc = Monomial(coefficient: 1)
        for d in dims {
            if d.intValue == 0 { return .value(0) }
            guard let m = Monomial(d), let p = acc * m else { return .unknown }
            acc = p
        }
        return acc.dimension
    }
}

/// Numpy-style broadcasting of shapes, symbol aware.
public enum Broadcast {
    /// The broadcast shape of `shapes`, or nil when two known dims disagree (neither is 1).
    ///
    /// A symbol against 1 stays the symbol; a symbol against a number n > 1 becomes n (the
    /// model is only valid if the symbol is n or 1); two different symbols give `.unknown`.
    public static func shape(_ shapes: [[Dimension]]) -> [Dimension]? {
        let rank = shapes.map(\.count).max() ?? 0
        var out = [Dimension](repeating: .value(1), count: rank)
        for s in shapes {
            let offset = rank - s.count
            for (i, d) in s.enumerated() {
                guard let merged = merge(out[offset + i], d) else { return nil }
                out[offset + i] = merged
            }
        }
        return out
    }

    static func merge(_ a: Dimension, _ b: Dimension) -> Dimension? {
        if a == b { return a }
        switch (a, b) {
        case (.value(1), _): return b
        case (_, .value(1)): return a
        case (.value, .value): return nil
        case (.value, _): return a
        case (_, .value): return b
        default: return .unknown
        }
    }
}

/// Checked arithmetic for numbers read from the model file. Dims, pads and strides come from
/// untrusted bytes; Swift traps on overflow, so every rule computes through these and turns
/// an overflow into an unknown dim instead of a crash.
enum Checked {
    static func add(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.addingReportingOverflow(b); return o ? nil : r
    }
    static func subtract(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.subtractingReportingOverflow(b); return o ? nil : r
    }
    static func multiply(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.multipliedReportingOverflow(by: b); return o ? nil : r
    }
    /// Truncating division; nil for division by zero and `Int64.min / -1`.
    static func divide(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, o) = a.dividedReportingOverflow(by: b); return o ? nil : r
    }
    static func sum(_ xs: Int64...) -> Int64? {
        var acc: Int64 = 0
        for x in xs { guard let s = add(acc, x) else { return nil }; acc = s }
        return acc
    }
    /// A Double as Int64 when it is finite and in range (converting NaN or 1e300 traps).
    static func int64(_ d: Double) -> Int64? {
        guard d.isFinite, d >= -9.2e18, d <= 9.2e18 else { return nil }
        return Int64(d)
    }
    /// Ceiling division for positive divisors.
    static func ceilDivide(_ a: Int64, _ b: Int64) -> Int64? {
        guard b > 0 else { return nil }
        let q = a / b, r = a % b
        return r > 0 ? add(q, 1) : q
    }
}

extension Int64 {
    /// `self × b`, clamped to `Int64.max` (metrics of absurd models stay numbers, never trap).
    func saturatingMultiply(_ b: Int64) -> Int64 {
        let (r, o) = multipliedReportingOverflow(by: b)
        return o ? ((self < 0) != (b < 0) ? .min : .max) : r
    }
    func saturatingAdd(_ b: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(b)
        return o ? (b < 0 ? .min : .max) : r
    }
}

extension SymbolicTensor {
    /// Row-major strides of ``dims``.
    var strides: [Int] {
        var s = [Int](repeating: 1, count: dims.count)
        var acc = 1
        for i in dims.indices.reversed() { s[i] = acc; acc *= Int(max(dims[i], 0)) }
        return s
    }

    /// Whether ``dims`` agree with the element count (values built from partial facts may not).
    var isConsistent: Bool {
        dims.allSatisfy { $0 >= 0 } && dims.reduce(1, { $0 * Int($1) }) == elements.count
    }

    /// The elements picked by a strided slice: per axis, `start` (already clamped, in range),
    /// `step` and output `count`. nil when the slice leaves the tensor.
    func sliced(_ ranges: [(start: Int64, step: Int64, count: Int64)]) -> SymbolicTensor? {
        guard isConsistent, ranges.count == dims.count else { return nil }
        let outDims = ranges.map(\.count)
        guard outDims.allSatisfy({ $0 >= 0 }), outDims.reduce(1, { $0 * Int($1) }) <= SymbolicTensor.maximumElements else { return nil }
        let st = strides
        var out: [Dimension] = []
        var index = [Int64](repeating: 0, count: dims.count)
        let total = outDims.reduce(1) { $0 * Int($1) }
        for _ in 0..<total {
            var offset = 0
            for a in dims.indices {
                let i = ranges[a].start + index[a] * ranges[a].step
                guard i >= 0, i < dims[a] else { return nil }
                offset += Int(i) * st[a]
            }
            out.append(elements[offset])
            // Odometer increment, last axis fastest.
            var a = dims.count - 1
            while a >= 0 {
                index[a] += 1
                if index[a] < outDims[a] { break }
                index[a] = 0
                a -= 1
            }
        }
        return SymbolicTensor(dims: outDims, elements: out)
    }

    /// The tensor with its axes permuted (`perm[i]` is the input axis of output axis i).
    func transposed(_ perm: [Int]) -> SymbolicTensor? {
        guard isConsistent, perm.count == dims.count else { return nil }
        let outDims = perm.map { dims[$0] }
        let ranges = dims.map { (start: Int64(0), step: Int64(1), count: $0) }
        guard let same = sliced(ranges) else { return nil }
        let st = same.strides
        var out: [Dimension] = []
        var index = [Int](repeating: 0, count: dims.count)
        for _ in 0..<elements.count {
            var offset = 0
            for (k, a) in perm.enumerated() { offset += index[k] * st[a] }
            out.append(elements[offset])
            var k = dims.count - 1
            while k >= 0 {
                index[k] += 1
                if index[k] < Int(outDims[k]) { break }
                index[k] = 0
                k -= 1
            }
        }
        return SymbolicTensor(dims: outDims, elements: out)
    }
}
