import OnnxModel

extension ShapeRules {
    /// Random generators: the shape comes from an attribute or from the input (`*Like`).
    static let random: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        for op in ["RandomNormal", "RandomUniform"] {
            t[op] = { c in c.set(0, c.dataType("dtype") ?? .float, c.ints("shape").map { $0.map { .value($0) } }) }
        }
        for op in ["RandomNormalLike", "RandomUniformLike", "Bernoulli"] {
            t[op] = { c in c.set(0, c.dataType("dtype") ?? c.type(0), c.dims(0)) }
        }
        // Multinomial(input [batch, classes]) → int32 [batch, sample_size].
        t["Multinomial"] = { c in
            c.set(0, c.dataType("dtype") ?? .int32, c.dims(0).flatMap { $0.count == 2 ? [$0[0], .value(c.int("sample_size", 1))] : nil })
        }
        return t
    }()
}
