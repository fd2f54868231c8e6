import OnnxModel

extension ShapeRules {
    /// Einsum: the output's letters (explicit `->`, or the implicit form: letters that occur
    /// once, in alphabetical order), each taking the size of an operand axis with that letter;
    /// `...` broadcasts the operands' leading axes.
    static let einsum: [String: ShapeRule] = {
        ["Einsum": { c in
            let type = c.type(0)
            guard let equation = c.string("equation")?.filter({ !$0.isWhitespace }) else { c.set(0, type, nil); return }
            let sides = equation.components(separatedBy: "->")
            let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard terms.count == c.node.inputs.count, sides.count <= 2 else {
                c.fail("equation '\(equation)' does not match \(c.node.inputs.count) inputs"); c.set(0, type, nil); return
            }
            var size: [Character: Dimension] = [:]
            var count: [Character: Int] = [:]
            var ellipses: [[Dimension]] = []
            for (i, term) in terms.enumerated() {
                guard let dims = c.dims(i) else { c.set(0, type, nil); return }
                let letters = term.replacingOccurrences(of: "...", with: ".")
                let named = letters.filter { $0 != "." }.count
                guard letters.contains(".") ? dims.count >= named : dims.count == named else {
                    c.fail("term '\(term)' does not match rank \(dims.count)"); c.set(0, type, nil); return
                }
                var axis = 0
                for ch in letters {
                    if ch == "." {
                        let n = dims.count - named
                        ellipses.append(Array(dims[axis..<(axis + n)]))
                        axis += n
                        continue
                    }
                    count[ch, default: 0] += 1
                    let d = dims[axis]
                    if let old = size[ch] { size[ch] = Broadcast.merge(old, d) ?? old } else { size[ch] = d }
                    axis += 1
                }
            }
            guard let ellipsis = Broadcast.shape(ellipses) else { c.fail("cannot broadcast the '...' axes"); c.set(0, type, nil); return }
            let output: String
            if sides.count == 2 { output = sides[1].replacingOccurrences(of: "...", with: ".") }
            else { output = (ellipses.isEmpty ? "" : ".") + String(count.filter { $0.value == 1 }.keys.sorted()) }
            var out: [Dimension] = []
            for ch in output {
                if ch == "." { out += ellipsis } else { out.append(size[ch] ?? .unknown) }
            }
            c.set(0, type, out)
        }]
    }()
}
