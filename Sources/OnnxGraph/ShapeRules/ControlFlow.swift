import OnnxModel

extension ShapeRules {
    /// If, Loop and Scan: output facts come from the inferred sub-graph outputs.
    static let controlFlow: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        t["If"] = { c in
            // Both branches must agree for a shape to be certain; dims that differ become unknown.
            guard c.subgraphOutputs.count == 2 else { return }
            var a = c.subgraphOutputs[0], b = c.subgraphOutputs[1]
            // A condition computed from shapes (PyTorch's `if x.dim() == 3`) is known: only
            // the branch that runs decides, values included.
            if let k = c.values(0)?.first?.intValue {
                let taken = k != 0 ? a : b
                for o in 0..<c.node.outputs.count where o < taken.count {
                    if let f = taken[o] { c.set(o, f.elementType, f.dims, value: f.value) }
                }
                return
            }
            for o in 0..<c.node.outputs.count {
                let x = o < a.count ? a[o] : nil, y = o < b.count ? b[o] : nil
                guard let x, let y else { continue }
                let type = x.elementType == y.elementType ? x.elementType : nil
                var dims: [Dimension]?
                if let dx = x.dims, let dy = y.dims, dx.count == dy.count {
                    dims = zip(dx, dy).map { $0 == $1 ? $0 : .unknown }
                }
                c.set(o, type, dims)
            }
        }
        t["Loop"] = { c in
            // Body outputs: cond, N carried values, K scan outputs. The node's outputs are the N
            // final carried values, then the K scan outputs stacked along a new leading axis
            // whose length is the (unknown unless constant) trip count.
            guard let body = c.subgraphOutputs.first, !body.isEmpty else { return }
            let carried = max(0, c.node.inputs.count - 2)
            let trips: Dimension = c.values(0)?.first ?? .unknown
            for o in 0..<c.node.outputs.count {
                let b = 1 + o
                guard b < body.count, let f = body[b] else { continue }
                if o < carried { c.set(o, f.elementType, f.dims) }
                else { c.set(o, f.elementType, f.dims.map { [trips] + $0 }) }
            }
        }
        t["Scan"] = { c in
            // Body outputs: N state values, then K scan outputs (one slice per iteration).
            guard let body = c.subgraphOutputs.first else { return }
            // The first N inputs are initial states; the scan length is the first scan input's
            // scan axis (axis 0 unless scan_input_axes says otherwise).
            let scanInputs = Int(min(max(c.int("num_scan_inputs", 0), 0), Int64(c.node.inputs.count)))
            let n = c.node.inputs.count - scanInputs
            var length: Dimension = .unknown
            if let first = c.dims(n) {
                let axis = Int(c.ints("scan_input_axes")?.first ?? 0)
                let a = axis < 0 ? axis + first.count : axis
                if a >= 0 && a < first.count { length = first[a] }
            }
            for o in 0..<min(c.node.outputs.count, body.count) {
                guard let f = body[o] else { continue }
                if o < n { c.set(o, f.elementType, f.dims) } else { c.set(o, f.elementType, f.dims.map { [length] + $0 }) }
            }
        }
        return t
    }()
}
