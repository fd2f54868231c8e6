import OnnxModel

extension ShapeRules {
    /// MatMul (numpy semantics, batched broadcasting) and its integer and QLinear forms; Gemm.
    static let linearAlgebra: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["MatMul"] = { c in matmul(&c, a: 0, b: 1, type: c.type(0)) }
        t["MatMulInteger"] = { c in matmul(&c, a: 0, b: 1, type: .int32) }
        t["MatMulIntegerToFloat"] = { c in matmul(&c, a: 0, b: 1, type: c.type(2) ?? .float) }
        // QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp)
        t["QLinearMatMul"] = { c in matmul(&c, a: 0, b: 3, type: c.type(7) ?? c.type(0)) }
        t["Gemm"] = { c in
            guard let a = c.dims(0), let b = c.dims(1) else { c.set(0, c.type(0), nil); return }
            guard a.count == 2, b.count == 2 else {
                c.fail("Gemm needs rank-2 inputs, got \(Shape(a)) and \(Shape(b))")
                c.set(0, c.type(0), nil); return
            }
            let m = c.int("transA", 0) != 0 ? a[1] : a[0]
            let k1 = c.int("transA", 0) != 0 ? a[0] : a[1]
            let n = c.int("transB", 0) != 0 ? b[0] : b[1]
            let k2 = c.int("transB", 0) != 0 ? b[1] : b[0]
            if case .value(let x) = k1, case .value(let y) = k2, x != y {
                c.fail("inner dimensions differ: \(x) vs \(y)")
            }
            c.set(0, c.type(0), [m, n])
        }
        return t
    }()

    /// The contraction length of a MatMul-like node (K), for metrics.
    static func matmulShape(_ a: [Dimension], _ b: [Dimension]) -> (out: [Dimension], k: Dimension)? {
        guard !a.isEmpty, !b.isEmpty else { return nil }
        let a2 = a.count == 1 ? [.value(1)] + a : a
        let b2 = b.count == 1 ? b + [.value(1)] : b
        let k = a2[a2.count - 1]
        guard let batch = Broadcast.shape([Array(a2.dropLast(2)), Array(b2.dropLast(2))]) else { return nil }
        var out = batch
        if a.count > 1 { out.append(a2[a2.count - 2]) }
        if b.count > 1 { out.append(b2[b2.count - 1]) }
        return (out, k)
    }

    static func matmul(_ c: inout ShapeRuleContext, a: Int, b: Int, type: DataType?) {
        guard let x = c.dims(a), let y = c.dims(b) else { c.set(0, type, nil); return }
        guard let r = matmulShape(x, y) else {
            c.fail("cannot multiply \(Shape(x)) by \(Shape(y))")
            c.set(0, type, nil); return
        }
        let kb = y.count == 1 ? y[0] : y[y.count - 2]
        if case .value(let p) = r.k, case .value(let q) = kb, p != q {
            c.fail("inner dimensions differ: \(Shape(x)) × \(Shape(y))")
        }
        c.set(0, type, r.out)
    }
}
