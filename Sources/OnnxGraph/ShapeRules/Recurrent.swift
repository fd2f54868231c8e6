import OnnxModel

extension ShapeRules {
    /// LSTM, GRU and RNN (ONNX layout 0: `[seq, batch, input]`; layout 1: batch first).
    ///
    /// Outputs: Y `[seq, dirs, batch, hidden]` (layout 1: `[batch, seq, dirs, hidden]`),
    /// Y_h and Y_c `[dirs, batch, hidden]` (layout 1: `[batch, dirs, hidden]`). `hidden_size`
    /// is an attribute; when it is missing, the recurrence weight R `[dirs, gates·hidden,
    /// hidden]` tells it.
    static let recurrent: [String: ShapeRule] = {
        var t: [String: ShapeRule] = [:]
        for op in ["LSTM", "GRU", "RNN"] {
            t[op] = { c in
                let type = c.type(0)
                if let x = c.dims(0), x.count != 3 { for o in 0..<c.outputs.count { c.set(o, type, nil) }; return }
                // X's shape unknown: seq and batch are, but the ranks, directions and hidden
                // size still follow from the attributes (as onnx infers them).
                let x = c.dims(0) ?? [.unknown, .unknown, .unknown]
                let batchFirst = c.int("layout", 0) != 0
                let seq = batchFirst ? x[1] : x[0], batch = batchFirst ? x[0] : x[1]
                let direction = c.string("direction") ?? "forward"
                let dirs: Dimension = .value(direction == "bidirectional" ? 2 : 1)
                let hidden: Dimension = c.int("hidden_size").map { .value($0) } ?? (c.dims(2).flatMap { $0.count == 3 ? $0[2] : nil } ?? .unknown)
                c.set(0, type, batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden])
                let state: [Dimension] = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden]
                c.set(1, type, state)
                if op == "LSTM" { c.set(2, type, state) }
            }
        }
        return t
    }()
}
