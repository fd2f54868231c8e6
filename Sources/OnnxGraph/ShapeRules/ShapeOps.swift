import OnnxModel

extension ShapeRules {
    /// Shape manipulation and data movement. These are also the ops that carry symbolic
    /// values (Shape → Gather → Unsqueeze → Concat → Reshape), so most of them pass known
    /// elements through as well as shapes.
    static let shapeOps: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["Shape"] = { c in
            guard let x = c.dims(0) else { c.set(0, .int64, [.unknown]); return }
            // opset 15 start/end slice the shape vector (clamped, negatives from the end).
            let r = Int64(x.count)
            func clamp(_ v: Int64) -> Int { Int(min(max(v < 0 ? v + r : v, 0), r)) }
            let lo = clamp(c.int("start", 0)), hi = max(lo, clamp(c.int("end", r)))
            let v = Array(x[lo..<hi])
            c.set(0, .int64, [.value(Int64(v.count))], value: SymbolicTensor(vector: v))
        }
        t["Size"] = { c in
            c.set(0, .int64, [], value: c.dims(0).map { SymbolicTensor(scalar: SymbolicArithmetic.product($0)) })
        }
        t["Gather"] = { c in gather(&c) }
        t["GatherElements"] = { c in c.set(0, c.type(0), c.dims(1)) }
        t["GatherND"] = { c in
            guard let data = c.dims(0), let idx = c.dims(1), let last = idx.last?.intValue else { c.set(0, c.type(0), nil); return }
            let b = Int(c.int("batch_dims", 0))
            guard b >= 0, last >= 0, last <= Int64(data.count), b + Int(last) <= data.count else { c.fail("indices reach past the data rank"); c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), Array(idx.dropLast()) + Array(data[(b + Int(last))...]))
        }
        for op in ["ScatterElements", "ScatterND", "Scatter"] { t[op] = { c in c.set(0, c.type(0), c.dims(0)) } }
        t["Slice"] = { c in slice(&c) }
        t["Unsqueeze"] = { c in
            let axes = c.opset >= 13 ? c.ints(1) : c.ints("axes")
            guard let x = c.dims(0), let axes else { c.set(0, c.type(0), nil); return }
            let rank = x.count + axes.count
            var positions = Set<Int>()
            for a in axes { if let i = c.axis(a, rank: rank) { positions.insert(i) } }
            guard positions.count == axes.count else { c.fail("repeated or invalid axes \(axes)"); c.set(0, c.type(0), nil); return }
            var out: [Dimension] = []
            var it = x.makeIterator()
            for i in 0..<rank { out.append(positions.contains(i) ? .value(1) : (it.next() ?? .unknown)) }
            c.set(0, c.type(0), out, value: c.input(0)?.value.map { SymbolicTensor(dims: out.compactMap(\.intValue), elements: $0.elements) })
            fixValueDims(&c)
        }
        t["Squeeze"] = { c in
            let axes: [Int64]?
            if c.opset >= 13 { axes = c.hasInput(1) ? c.ints(1) : [] } else { axes = c.ints("axes") ?? [] }
            guard let x = c.dims(0), let axes else { c.set(0, c.type(0), nil); return }
            var drop = Set<Int>()
            if axes.isEmpty {
                // Without axes every size-1 dim goes; a symbolic dim might be 1, so the result
                // is only certain when no dim is symbolic or unknown.
                if x.contains(where: { $0.intValue == nil }) { c.set(0, c.type(0), nil); return }
                drop = Set(x.indices.filter { x[$0] == .value(1) })
            } else {
                for a in axes { if let i = c.axis(a, rank: x.count) { drop.insert(i) } }
            }
            for i in drop where x[i].intValue.map({ $0 != 1 }) ?? false { c.fail("cannot squeeze axis \(i) of size \(x[i])") }
            let out = x.indices.filter { !drop.contains($0) }.map { x[$0] }
            c.set(0, c.type(0), out, value: c.input(0)?.value.map { SymbolicTensor(dims: [], elements: $0.elements) })
            fixValueDims(&c)
        }
        t["Concat"] = { c in
            var shapes: [[Dimension]] = []
            for i in c.node.inputs.indices where c.hasInput(i) {
                guard let d = c.dims(i) else { c.set(0, c.type(0), nil); return }
                shapes.append(d)
            }
            guard let first = shapes.first else { c.set(0, c.type(0), nil); return }
            guard shapes.allSatisfy({ $0.count == first.count }) else {
                c.fail("inputs have different ranks: " + shapes.map { Shape($0).description }.joined(separator: ", "))
                c.set(0, c.type(0), nil); return
            }
            guard let axis = c.axis(c.int("axis", 0), rank: first.count) else { c.set(0, c.type(0), nil); return }
            var out = first
            out[axis] = shapes.dropFirst().reduce(first[axis]) { SymbolicArithmetic.add($0, $1[axis]) }
            for i in out.indices where i != axis {
                for s in shapes {
                    // Concat does not broadcast: the other axes are equal, so of two spellings
                    // of one size (YOLO's upsampled 2*floor(h/2) next to h') keep the shorter.
                    if case .param(let a) = out[i], case .param(let b) = s[i], a != b { out[i] = b.count < a.count ? s[i] : out[i]; continue }
                    if let m = Broadcast.merge(out[i], s[i]) { out[i] = m }
                }
            }
            var value: SymbolicTensor?
            if first.count == 1 {
                var elements: [Dimension] = []
                var known = true
                for i in c.node.inputs.indices where c.hasInput(i) {
                    guard let v = c.values(i) else { known = false; break }
                    elements += v
                }
                if known && elements.count <= SymbolicTensor.maximumElements { value = SymbolicTensor(vector: elements) }
            }
            c.set(0, c.type(0), out, value: value)
        }
        t["Reshape"] = { c in reshape(&c) }
        t["Transpose"] = { c in
            guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
            let perm = c.ints("perm") ?? Array((0..<Int64(x.count)).reversed())
            guard perm.count == x.count, Set(perm) == Set(0..<Int64(x.count)) else {
                c.fail("perm \(perm) is not a permutation of rank \(x.count)"); c.set(0, c.type(0), nil); return
            }
            c.set(0, c.type(0), perm.map { x[Int($0)] }, value: c.input(0)?.value?.transposed(perm.map { Int($0) }))
        }
        t["Flatten"] = { c in
            guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
            let a = c.int("axis", 1)
            let r = Int64(x.count)
            guard a >= -r && a <= r else { c.fail("axis \(a) out of range"); c.set(0, c.type(0), nil); return }
            let axis = Int(a < 0 ? a + r : a)
            c.set(0, c.type(0), [SymbolicArithmetic.product(Array(x[..<axis])), SymbolicArithmetic.product(Array(x[axis...]))])
        }
        t["Expand"] = { c in
            guard let x = c.dims(0), let shape = c.values(1) else {
                // The result has the larger of the two ranks, whatever the values.
                let rank = rankOnly(c.dims(1)).map { max($0.count, c.dims(0)?.count ?? 0) }
                c.set(0, c.type(0), c.dims(0) == nil ? nil : rank.map { Array(repeating: .unknown, count: $0) }); return
            }
            guard let out = Broadcast.shape([x, shape]) else {
                c.fail("cannot expand \(Shape(x)) to \(Shape(shape))"); c.set(0, c.type(0), nil); return
            }
            var value: SymbolicTensor?
            if let v = c.input(0)?.value, v.elements.count == 1, let n = concreteCount(out), n <= SymbolicTensor.maximumElements {
                value = SymbolicTensor(dims: out.compactMap(\.intValue), elements: Array(repeating: v.elements[0], count: n))
            }
            c.set(0, c.type(0), out, value: value)
        }
        t["Tile"] = { c in
            guard let x = c.dims(0), let reps = c.ints(1), reps.count == x.count else {
                c.set(0, c.type(0), c.dims(0).map { Array(repeating: .unknown, count: $0.count) }); return
            }
            c.set(0, c.type(0), zip(x, reps).map { SymbolicArithmetic.multiply($0, .value($1)) })
        }
        t["Split"] = { c in split(&c) }
        t["ConstantOfShape"] = { c in
            let fill = c.tensor("value")
            let type = fill?.dataType ?? .float
            // Values unknown: the shape vector's length still gives the rank.
            guard let shape = c.values(0) else { c.set(0, type, rankOnly(c.dims(0))); return }
            var value: SymbolicTensor?
            if let n = concreteCount(shape), n <= SymbolicTensor.maximumElements {
                let v = fill.flatMap { c.numbers(of: $0) }?.first ?? 0
                if v == v.rounded(), let k = Checked.int64(v) { value = SymbolicTensor(dims: shape.compactMap(\.intValue), elements: Array(repeating: .value(k), count: n)) }
            }
            c.set(0, type, shape, value: value)
        }
        t["Constant"] = { c in constant(&c) }
        t["Range"] = { c in
            let type = c.type(0) ?? c.type(1)
            if let s = c.values(0)?.first, let l = c.values(1)?.first, let d = c.values(2)?.first {
                if let a = s.intValue, let b = l.intValue, let k = d.intValue, k != 0 {
                    // n = max(0, ceil((limit − start) / delta)), in Double: exact enough for a
                    // length and free of Int64 overflow.
                    guard let n = Checked.int64(max(0, ((Double(b) - Double(a)) / Double(k)).rounded(.up))) else {
                        c.set(0, type, [.unknown]); return
                    }
                    var value: SymbolicTensor?
                    if n <= Int64(SymbolicTensor.maximumElements) {
                        let elements = (0..<n).map { i in Checked.multiply(i, k).flatMap { Checked.add(a, $0) } }
                        if elements.allSatisfy({ $0 != nil }) { value = SymbolicTensor(vector: elements.map { .value($0!) }) }
                    }
                    c.set(0, type, [.value(n)], value: value); return
                }
                if s.intValue == 0 && d.intValue == 1 { c.set(0, type, [l]); return }
            }
            if let s = c.doubles(0)?.first, let l = c.doubles(1)?.first, let d = c.doubles(2)?.first, d != 0,
               let n = Checked.int64(max(0, ((l - s) / d).rounded(.up))) {
                c.set(0, type, [.value(n)]); return
            }
            c.set(0, type, [.unknown])
        }
        t["Pad"] = { c in
            guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
            let pads = c.opset >= 11 ? c.ints(1) : c.ints("pads") ?? c.ints("paddings")
            var axes = Array(0..<x.count)
            if c.opset >= 18, c.hasInput(3) {
                guard let a = c.ints(3) else { c.set(0, c.type(0), Array(repeating: .unknown, count: x.count)); return }
                axes = a.compactMap { c.axis($0, rank: x.count) }
            }
            guard let pads, pads.count == 2 * axes.count else { c.set(0, c.type(0), Array(repeating: .unknown, count: x.count)); return }
            var out = x
            for (k, a) in axes.enumerated() {
                out[a] = Checked.add(pads[k], pads[k + axes.count]).map { SymbolicArithmetic.add(x[a], .value($0)) } ?? .unknown
            }
            c.set(0, c.type(0), out)
        }
        t["Resize"] = { c in resize(&c, scalesInput: c.opset >= 11 ? 2 : 1, sizesInput: c.opset >= 11 ? 3 : nil) }
        t["Upsample"] = { c in
            if c.opset >= 9 { resize(&c, scalesInput: 1, sizesInput: nil); return }
            guard let x = c.dims(0), let s = c.node.attribute("scales")?.floats, s.count == x.count else { c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), zip(x, s).map { d, f in scaled(d, Double(f)) })
        }
        t["DepthToSpace"] = { c in
            guard let x = c.dims(0), x.count == 4 else { c.set(0, c.type(0), nil); return }
            let b = c.int("blocksize", 1)
            guard b > 0, let bb = Checked.multiply(b, b) else { c.fail("bad blocksize \(b)"); c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), [x[0], SymbolicArithmetic.divide(x[1], .value(bb)),
                                 SymbolicArithmetic.multiply(x[2], .value(b)), SymbolicArithmetic.multiply(x[3], .value(b))])
        }
        t["SpaceToDepth"] = { c in
            guard let x = c.dims(0), x.count == 4 else { c.set(0, c.type(0), nil); return }
            let b = c.int("blocksize", 1)
            guard b > 0, let bb = Checked.multiply(b, b) else { c.fail("bad blocksize \(b)"); c.set(0, c.type(0), nil); return }
            c.set(0, c.type(0), [x[0], SymbolicArithmetic.multiply(x[1], .value(bb)),
                                 SymbolicArithmetic.divide(x[2], .value(b)), SymbolicArithmetic.divide(x[3], .value(b))])
        }
        t["OneHot"] = { c in
            guard let idx = c.dims(0) else { c.set(0, c.type(2), nil); return }
            let depth = c.values(1)?.first ?? .unknown
            guard let axis = c.axis(c.int("axis", -1), rank: idx.count + 1) else { c.set(0, c.type(2), nil); return }
            var out = idx
            out.insert(depth, at: axis)
            c.set(0, c.type(2), out)
        }
        t["EyeLike"] = { c in
            let dtype = c.int("dtype").map { DataType(rawValue: Int32(truncatingIfNeeded: $0)) }
            c.set(0, dtype ?? c.type(0), c.dims(0))
        }
        t["NonZero"] = { c in c.set(0, .int64, c.dims(0).map { [.value(Int64($0.count)), c.dataDependentDim(0)] }) }
        t["Compress"] = { c in
            guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
            guard let a = c.int("axis") else { c.set(0, c.type(0), [c.dataDependentDim(0)]); return }
            guard let axis = c.axis(a, rank: x.count) else { return }
            var out = x
            out[axis] = c.dataDependentDim(0)
            c.set(0, c.type(0), out)
        }
        return t
    }()

    /// Keeps a value's own dims in step with the output shape when that shape is concrete.
    static func fixValueDims(_ c: inout ShapeRuleContext) {
        guard let out = c.outputs.first ?? nil, let v = out.value, let dims = out.dims else { return }
        let concrete = dims.compactMap(\.intValue)
        if concrete.count == dims.count && concreteCount(dims) == v.elements.count {
            c.outputs[0]?.value?.dims = concrete
        } else {
            c.outputs[0]?.value = nil
        }
    }

    static func gather(_ c: inout ShapeRuleContext) {
        guard let data = c.dims(0), let idx = c.dims(1) else { c.set(0, c.type(0), nil); return }
        guard let axis = c.axis(c.int("axis", 0), rank: data.count) else { c.set(0, c.type(0), nil); return }
        let out = Array(data[..<axis]) + idx + Array(data[(axis + 1)...])
        var value: SymbolicTensor?
        // Gathering from a known vector (a shape) with known indices: the common BERT case.
        if data.count == 1, let v = c.values(0), let ii = c.ints(1) {
            let n = Int64(v.count)
            var elements: [Dimension] = []
            for i in ii {
                let j = i < 0 ? i + n : i
                guard j >= 0 && j < n else { c.fail("index \(i) is out of range for \(n) elements"); break }
                elements.append(v[Int(j)])
            }
            if elements.count == ii.count { value = SymbolicTensor(dims: idx.compactMap(\.intValue), elements: elements) }
        }
        c.set(0, c.type(0), out, value: value)
    }

    /// Slice output length for one axis, or `.unknown`.
    static func sliceLength(_ d: Dimension, start: Dimension, end: Dimension, step: Int64) -> Dimension {
        guard step != 0 else { return .unknown }
        let big: Int64 = 1 << 31  // PyTorch writes INT64_MAX (or INT32_MAX) for "to the end"
        if let n = d.intValue, n >= 0, let s0 = start.intValue, let e0 = end.intValue {
            // After clamping, start and end lie in [-1, n], so the differences cannot overflow.
            var s = s0 < 0 ? s0 + n : s0, e = e0 < 0 ? e0 + n : e0
            if step > 0 {
                s = min(max(s, 0), n); e = min(max(e, 0), n)
                return .value(e > s ? Checked.ceilDivide(e - s, step) ?? 0 : 0)
            } else {
                guard step != .min else { return .value(s > e ? 1 : 0) }
                s = min(max(s, -1), n - 1); e = min(max(e, -1), n - 1)
                return .value(s > e ? Checked.ceilDivide(s - e, -step) ?? 0 : 0)
            }
        }
        // Symbolic size: only the usual patterns are certain (assuming the size is in range).
        guard step == 1, let s = start.intValue else { return .unknown }
        if s == 0, let e = end.intValue, e >= big { return d }
        if s == 0, case .param = end { return end }
        if s == 0, let e = end.intValue, e >= 0 { return .unknown }  // min(e, d) unknown
        if s < 0, s > Int64.min, let e = end.intValue, e >= big { return .value(-s) }
        if s < 0, let e = end.intValue, e < 0, e > s { return Checked.subtract(e, s).map { .value($0) } ?? .unknown }
        return .unknown
    }

    static func slice(_ c: inout ShapeRuleContext) {
        guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
        let starts: [Dimension]?, ends: [Dimension]?
        var axes: [Int64]?, steps: [Int64]?
        if c.opset >= 10 {
            starts = c.values(1); ends = c.values(2)
            axes = c.hasInput(3) ? c.ints(3) : Array(0..<Int64(starts?.count ?? 0))
            steps = c.hasInput(4) ? c.ints(4) : starts.map { Array(repeating: 1, count: $0.count) }
        } else {
            starts = c.ints("starts")?.map { .value($0) }; ends = c.ints("ends")?.map { .value($0) }
            axes = c.ints("axes") ?? Array(0..<Int64(starts?.count ?? 0))
            steps = starts.map { Array(repeating: 1, count: $0.count) }
        }
        guard let starts, let ends, let ax = axes, let steps, starts.count == ends.count,
              ax.count == starts.count, steps.count == starts.count else {
            // Unknown bounds: the rank survives; sliced axes (all, if unknown) lose their size.
            var out = x
            for i in out.indices where axes.map({ $0.contains(Int64(i)) || $0.contains(Int64(i - x.count)) }) ?? true { out[i] = .unknown }
            c.set(0, c.type(0), out); return
        }
        var out = x
        var normalized: [Int] = []
        for k in ax.indices {
            guard let a = c.axis(ax[k], rank: x.count) else { c.set(0, c.type(0), nil); return }
            normalized.append(a)
            out[a] = sliceLength(x[a], start: starts[k], end: ends[k], step: steps[k])
        }
        // Known elements (a shape vector, or PyTorch's [pads, 2] reversal of pads) are sliced too.
        var value: SymbolicTensor?
        if let v = c.input(0)?.value, v.dims.count == x.count {
            var ranges = v.dims.map { (start: Int64(0), step: Int64(1), count: $0) }
            var ok = true
            for (k, a) in normalized.enumerated() {
                guard let n = out[a].intValue, let s0 = starts[k].intValue, steps[k] != 0 else { ok = false; break }
                let len = v.dims[a]
                var s = s0 < 0 ? s0 + len : s0
                s = steps[k] > 0 ? min(max(s, 0), len) : min(max(s, -1), len - 1)
                ranges[a] = (s, steps[k], n)
            }
            if ok { value = v.sliced(ranges) }
        }
        c.set(0, c.type(0), out, value: value)
    }

    static func reshape(_ c: inout ShapeRuleContext) {
        let x = c.dims(0)
        guard let target = c.opset >= 5 ? c.values(1) : c.ints("shape")?.map({ .value($0) }) else {
            // Known target length gives the rank even when its values are unknown.
            if let n = c.dims(1)?.first?.intValue, n >= 0, n <= 1024 { c.set(0, c.type(0), Array(repeating: .unknown, count: Int(n))) }
            else { c.set(0, c.type(0), nil) }
            return
        }
        let allowZero = c.int("allowzero", 0) != 0
        var out = target
        var inferAt: Int?
        for (i, d) in target.enumerated() {
            if d == .value(0) && !allowZero {
                guard let x, i < x.count else { c.fail("0 at position \(i) copies a dim the input does not have"); out[i] = .unknown; continue }
                out[i] = x[i]
            } else if d == .value(-1) {
                if inferAt != nil { c.fail("more than one -1 in the target shape") }
                inferAt = i
            }
        }
        if let k = inferAt {
            out[k] = .unknown
            if let x {
                var rest = out
                rest.remove(at: k)
                if !rest.contains(.unknown) {
                    out[k] = SymbolicArithmetic.divide(SymbolicArithmetic.product(x), SymbolicArithmetic.product(rest))
                }
            }
        }
        if let x, let a = SymbolicArithmetic.product(x).intValue, let b = SymbolicArithmetic.product(out).intValue, a != b {
            c.fail("cannot reshape \(Shape(x)) (\(a) elements) to \(Shape(out)) (\(b) elements)")
        }
        var value: SymbolicTensor?
        if let v = c.input(0)?.value, let n = concreteCount(out), n == v.elements.count {
            value = SymbolicTensor(dims: out.compactMap(\.intValue), elements: v.elements)
        }
        c.set(0, c.type(0), out, value: value)
    }

    /// `[?, ?, …]` of the length a 1-D shape vector with dims `dims` holds, nil when not known.
    static func rankOnly(_ dims: [Dimension]?) -> [Dimension]? {
        guard let dims, dims.count == 1, let n = dims[0].intValue, n >= 0, n <= 64 else { return nil }
        return Array(repeating: .unknown, count: Int(n))
    }

    static func split(_ c: inout ShapeRuleContext) {
        let outputs = c.node.outputs.count
        guard let x = c.dims(0), let axis = c.axis(c.int("axis", 0), rank: x.count) else {
            for o in 0..<outputs { c.set(o, c.type(0), nil) }
            return
        }
        var sizes: [Dimension]
        if let s = c.opset >= 13 ? (c.hasInput(1) ? c.ints(1) : nil) : c.ints("split"), s.count == outputs {
            sizes = s.map { .value($0) }
        } else if c.opset >= 13 && c.hasInput(1) {
            sizes = Array(repeating: .unknown, count: outputs)
        } else if let n = x[axis].intValue, n >= 0, outputs > 0, let chunk = Checked.ceilDivide(n, Int64(outputs)) {
            // Equal parts, the last one smaller when the size does not divide (opset 18).
            sizes = (0..<outputs).map { i in
                guard let used = Checked.multiply(Int64(i), chunk) else { return .value(0) }
                return .value(max(0, min(chunk, n - used)))
            }
        } else {
            sizes = Array(repeating: SymbolicArithmetic.divide(x[axis], .value(Int64(outputs))), count: outputs)
        }
        for o in 0..<outputs {
            var d = x
            d[axis] = sizes[o]
            c.set(o, c.type(0), d)
        }
    }

    static func resize(_ c: inout ShapeRuleContext, scalesInput: Int, sizesInput: Int?) {
        guard let x = c.dims(0) else { c.set(0, c.type(0), nil); return }
        var axes = Array(0..<x.count)
        if let a = c.ints("axes") { axes = a.compactMap { c.axis($0, rank: x.count) } }
        var out = x
        if let si = sizesInput, c.hasInput(si) {
            guard let sizes = c.values(si), sizes.count == axes.count else {
                c.set(0, c.type(0), x.map { _ in Dimension.unknown }); return
            }
            // keep_aspect_ratio_policy changes sizes; only "stretch" (default) is taken literally.
            let policy = c.string("keep_aspect_ratio_policy") ?? "stretch"
            for (k, a) in axes.enumerated() { out[a] = policy == "stretch" ? sizes[k] : .unknown }
            c.set(0, c.type(0), out); return
        }
        guard let scales = c.doubles(scalesInput), scales.count == axes.count else {
            c.set(0, c.type(0), x.map { _ in Dimension.unknown }); return
        }
        for (k, a) in axes.enumerated() { out[a] = scaled(x[a], scales[k]) }
        c.set(0, c.type(0), out)
    }

    /// `floor(d × scale)`; symbolic dims survive whole-number scales. Scales are untrusted
    /// floats (NaN, 1e300), so the conversion is checked.
    static func scaled(_ d: Dimension, _ scale: Double) -> Dimension {
        if let x = d.intValue { return Checked.int64((Double(x) * scale).rounded(.down)).map { .value($0) } ?? .unknown }
        if scale == 1 { return d }
        if scale == scale.rounded(), let k = Checked.int64(scale) { return SymbolicArithmetic.multiply(d, .value(k)) }
        return .unknown
    }

    static func constant(_ c: inout ShapeRuleContext) {
        if let t = c.tensor("value") {
            let value = c.integers(of: t).map { SymbolicTensor(dims: t.dims, elements: $0.map { .value($0) }) }
            c.set(0, t.dataType, t.dims.map { .value($0) }, value: value)
        } else if let a = c.node.attribute("value_int") {
            c.set(0, .int64, [], value: SymbolicTensor(scalar: .value(a.i)))
        } else if let a = c.node.attribute("value_ints") {
            c.set(0, .int64, [.value(Int64(a.ints.count))], value: a.ints.count <= SymbolicTensor.maximumElements ? SymbolicTensor(vector: a.ints.map { .value($0) }) : nil)
        } else if c.node.attribute("value_float") != nil {
            c.set(0, .float, [])
        } else if let a = c.node.attribute("value_floats") {
            c.set(0, .float, [.value(Int64(a.floats.count))])
        } else if c.node.attribute("value_string") != nil {
            c.set(0, .string, [])
        } else if let a = c.node.attribute("value_strings") {
            c.set(0, .string, [.value(Int64(a.strings.count))])
        } else if let s = c.node.attribute("sparse_value")?.sparseTensor {
            c.set(0, s.values.dataType, s.dims.map { .value($0) })
        }
    }
}
