import OnnxModel

extension ShapeRules {
    /// Unary ops (same shape and type), broadcasting binary and variadic ops, comparisons,
    /// Where, Cast. Integer arithmetic also propagates known values, for shape computations
    /// such as `seq * 12` or `hidden / heads`.
    static let elementwise: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        let sameAsInput: ShapeRule = { c in
            c.set(0, c.type(0), c.dims(0))
        }
        for op in ["Relu", "LeakyRelu", "Sigmoid", "Tanh", "Erf", "Sqrt", "Exp", "Log", "Abs", "Neg", "Reciprocal",
                   "Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh",
                   "Asinh", "Acosh", "Atanh", "HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Softplus", "Softsign",
                   "Gelu", "FastGelu", "QuickGelu", "Mish", "ThresholdedRelu", "Shrink", "Clip", "Softmax", "LogSoftmax",
                   "Hardmax", "BitwiseNot", "CumSum", "Trilu", "LRN", "LpNormalization", "MeanVarianceNormalization"] {
            t[op] = sameAsInput
        }
        // Integer negation and absolute value show up in shape arithmetic now and then.
        t["Neg"] = { c in
            c.set(0, c.type(0), c.dims(0), value: c.input(0)?.value.map { v in
                SymbolicTensor(dims: v.dims, elements: v.elements.map { e in e.intValue.flatMap { Checked.subtract(0, $0) }.map { .value($0) } ?? .unknown })
            })
        }
        t["Identity"] = { c in c.set(0, c.type(0), c.dims(0), value: c.input(0)?.value) }
        t["Dropout"] = { c in
            c.set(0, c.type(0), c.dims(0), value: c.input(0)?.value)
            c.set(1, .bool, c.dims(0))
        }
        for op in ["IsNaN", "IsInf"] { t[op] = { c in c.set(0, .bool, c.dims(0)) } }
        t["PRelu"] = { c in broadcast(&c, type: c.type(0), inputs: [0, 1]) }

        for (op, f) in [("Add", SymbolicArithmetic.add), ("Sub", SymbolicArithmetic.subtract),
                        ("Mul", SymbolicArithmetic.multiply), ("Div", SymbolicArithmetic.integerDivide)] {
            t[op] = { c in
                broadcast(&c, type: c.type(0) ?? c.type(1), inputs: [0, 1])
                if c.type(0).map(isInteger) ?? false { propagate(&c, f) }
            }
        }
        for op in ["Pow", "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor"] {
            t[op] = { c in broadcast(&c, type: c.type(0), inputs: [0, 1]) }
        }
        t["Max"] = { c in
            broadcast(&c, type: c.type(0), inputs: Array(c.node.inputs.indices))
            if c.node.inputs.count == 2 { propagate(&c) { a, b in
                if let x = a.intValue, let y = b.intValue { return .value(max(x, y)) }
                return a == b ? a : .unknown
            } }
        }
        t["Min"] = { c in
            broadcast(&c, type: c.type(0), inputs: Array(c.node.inputs.indices))
            if c.node.inputs.count == 2 { propagate(&c) { a, b in
                if let x = a.intValue, let y = b.intValue { return .value(min(x, y)) }
                return a == b ? a : .unknown
            } }
        }
        for op in ["Sum", "Mean"] {
            t[op] = { c in broadcast(&c, type: c.type(0), inputs: Array(c.node.inputs.indices)) }
        }
        // Comparisons and logic on known numbers (PyTorch's `if x.dim() > 2`) keep their values,
        // so an If on them knows its branch.
        let predicates: [(String, @Sendable (Int64, Int64) -> Bool)] = [
            ("And", { $0 != 0 && $1 != 0 }), ("Or", { $0 != 0 || $1 != 0 }), ("Xor", { ($0 != 0) != ($1 != 0) }),
            ("Less", { $0 < $1 }), ("Greater", { $0 > $1 }), ("LessOrEqual", { $0 <= $1 }), ("GreaterOrEqual", { $0 >= $1 }),
        ]
        for (op, f) in predicates {
            t[op] = { c in
                broadcast(&c, type: .bool, inputs: [0, 1])
                propagate(&c) { a, b in
                    guard let x = a.intValue, let y = b.intValue else { return .unknown }
                    return .value(f(x, y) ? 1 : 0)
                }
            }
        }
        t["Not"] = { c in
            c.set(0, .bool, c.dims(0), value: c.input(0)?.value.map { v in
                SymbolicTensor(dims: v.dims, elements: v.elements.map { e in e.intValue.map { .value($0 == 0 ? 1 : 0) } ?? .unknown })
            })
        }
        t["Equal"] = { c in
            broadcast(&c, type: .bool, inputs: [0, 1])
            propagate(&c) { a, b in
                if let x = a.intValue, let y = b.intValue { return .value(x == y ? 1 : 0) }
                if a == b, case .param = a { return .value(1) }
                return .unknown
            }
        }
        t["Where"] = { c in
            broadcast(&c, type: c.type(1) ?? c.type(2), inputs: [0, 1, 2])
            // Known condition and branches: pick element by element (same-size or scalar operands).
            guard let cond = c.input(0)?.value, let x = c.input(1)?.value, let y = c.input(2)?.value,
                  let out = c.outputs.first ?? nil, let dims = out.dims, let n = concreteCount(dims), n <= SymbolicTensor.maximumElements
            else { return }
            func at(_ v: SymbolicTensor, _ i: Int) -> Dimension? {
                v.elements.count == 1 ? v.elements[0] : (v.elements.count == n ? v.elements[i] : nil)
            }
            var elements: [Dimension] = []
            for i in 0..<n {
                guard let k = at(cond, i)?.intValue, let a = at(x, i), let b = at(y, i) else { return }
                elements.append(k != 0 ? a : b)
            }
            c.outputs[0]?.value = SymbolicTensor(dims: dims.compactMap(\.intValue), elements: elements)
        }
        t["Cast"] = { c in
            let to = c.int("to").map { DataType(rawValue: Int32(truncatingIfNeeded: $0)) }
            var value = c.input(0)?.value
            // To bool only numbers survive; to float a size stays that size (YOLO builds its
            // anchor grid with Range over Cast(width) to float), other targets drop the value.
            if let v = value, let to, !isInteger(to) {
                if to == .bool { value = v.integers.map { SymbolicTensor(dims: v.dims, elements: $0.map { .value($0 != 0 ? 1 : 0) }) } }
                else if ![DataType.float, .double, .float16, .bfloat16].contains(to) { value = nil }
            }
            c.set(0, to ?? c.type(0), c.dims(0), value: value)
        }
        t["CastLike"] = { c in c.set(0, c.type(1), c.dims(0), value: c.input(0)?.value) }
        return t
    }()

    static func isInteger(_ t: DataType) -> Bool {
        [DataType.int64, .int32, .int16, .int8, .uint8, .uint16, .uint32, .uint64].contains(t)
    }

    static func concreteCount(_ dims: [Dimension]) -> Int? {
        var n = 1
        for d in dims {
            guard let v = d.intValue, v >= 0 else { return nil }
            let (m, o) = n.multipliedReportingOverflow(by: Int(v))
            if o { return nil }
            n = m
        }
        return n
    }

    /// Output 0 gets the numpy broadcast of the listed inputs' shapes.
    static func broadcast(_ c: inout ShapeRuleContext, type: DataType?, inputs: [Int]) {
        var shapes: [[Dimension]] = []
        for i in inputs where c.hasInput(i) {
            guard let d = c.dims(i) else { c.set(0, type, nil); return }
            shapes.append(d)
        }
        guard let out = Broadcast.shape(shapes) else {
            c.fail("cannot broadcast " + shapes.map { Shape($0).description }.joined(separator: " with "))
            c.set(0, type, nil)
            return
        }
        c.set(0, type, out)
    }

    /// Element-wise values of output 0 from two known inputs (same size, or one of size 1).
    static func propagate(_ c: inout ShapeRuleContext, _ f: (Dimension, Dimension) -> Dimension) {
        guard let a = c.input(0)?.value, let b = c.input(1)?.value, c.outputs.first != nil, c.outputs[0] != nil else { return }
        let n = max(a.elements.count, b.elements.count)
        guard a.elements.count == n || a.elements.count == 1, b.elements.count == n || b.elements.count == 1,
              n <= SymbolicTensor.maximumElements else { return }
        let elements = (0..<n).map { i in
            f(a.elements[a.elements.count == 1 ? 0 : i], b.elements[b.elements.count == 1 ? 0 : i])
        }
        // The broadcast output shape, when concrete, is the tensor's own shape.
        let outDims = c.outputs[0]?.dims ?? []
        let concrete = outDims.compactMap(\.intValue)
        let dims = concrete.count == outDims.count && concreteCount(outDims) == n ? concrete : [Int64(n)]
        c.outputs[0]?.value = SymbolicTensor(dims: dims, elements: elements)
    }
}
