import Foundation
import ModelReport
import OnnxGraph
import OnnxModel
import Quantization
import Terminal

/// The inspector pane: everything about the selected node or folded group.
struct InspectorView {
    let app: ExplorerApp

    func render(in area: Rect, buffer: inout Buffer) {
        let inner = app.pane(Line("Inspector", style: app.theme[.title]), focused: app.state.focus == .inspector, in: area, buffer: &buffer)
        guard !inner.isEmpty else { return }
        let lines = content(width: inner.width)
        let maxScroll = max(0, lines.count - inner.height)
        if app.state.inspectorScroll > maxScroll { app.state.inspectorScroll = maxScroll }
        Paragraph(lines, style: app.theme.base, scroll: app.state.inspectorScroll).render(in: inner, buffer: &buffer)
        if maxScroll > 0 {
            let more = "\(app.state.inspectorScroll + inner.height)/\(lines.count)"
            buffer.setString(more, x: area.right - 2 - more.count, y: area.bottom - 1, style: app.theme[.textDim])
        }
    }

    /// The pane's lines for the current selection.
    func content(width: Int) -> [Line] {
        switch app.state.selection {
        case .node(let n)?: return nodeLines(NodeKey(scope: app.state.scope, node: n), width: width)
        case .group(let g)?: return groupLines(g)
        case nil: return [Line("nothing selected", style: app.theme[.textDim])]
        }
    }

    private var theme: Theme { app.theme }

    private func heading(_ text: String) -> Line {
        Line([Span(text, style: theme[.title])])
    }

    private func field(_ name: String, _ value: String, style: Style? = nil) -> Line {
        Line([Span(name.padding(toLength: 8, withPad: " ", startingAt: 0), style: theme[.textDim]), Span(value, style: style ?? theme[.text])])
    }

    func nodeLines(_ key: NodeKey, width: Int) -> [Line] {
        let doc = app.document
        let scope = doc.scope(key.scope)
        let node = scope.node(key.node)
        let category = OpCatalog.category(of: node)
        let domain = node.isDefaultDomain ? "ai.onnx" : node.domain
        var out: [Line] = []
        out.append(Line([Span(node.opType.escapedForDisplay, style: theme[ExplorerApp.role(of: category)].bold),
                         Span("  " + domain.escapedForDisplay + (doc.model.opsetVersion(for: node.domain).map { " v\($0)" } ?? ""), style: theme[.textDim])]))
        out.append(field("name", scope.displayName(key.node)))
        let grouping = doc.groupings[key.scope]
        if let g = grouping.tree.group(ofNode: key.node) { out.append(field("scope", grouping.paths[g])) }
        out.append(field("kind", category.description))
        if !node.attributes.isEmpty {
            out.append(Line(""))
            out.append(heading("Attributes"))
            out.append(contentsOf: AttributeFormatter.lines(node, times: app.ascii ? "x" : "×", width: width - 2).map { Line("  " + $0) })
        }
        out.append(Line(""))
        out.append(heading("Inputs"))
        var weights: [(String, Tensor, Int)] = []
        for (i, input) in node.inputs.enumerated() {
            guard !input.isEmpty else {
                out.append(Line("  \(i) (absent)", style: theme[.textDim]))
                continue
            }
            var source = ""
            if let def = doc.index.resolve(input, in: key.scope) {
                switch def.producer {
                case .node(let p, _): source = "from " + doc.scope(def.scope).displayName(p)
                case .graphInput: source = "graph input"
                case .initializer:
                    source = "initializer"
                    if let t = doc.scope(def.scope).initializer(named: input) { weights.append((input, t, def.scope)) }
                case .sparseInitializer: source = "sparse initializer"
                }
            } else {
                source = "undefined"
            }
            out.append(Line([Span("  \(i) ", style: theme[.textDim]), Span(input.escapedForDisplay)]))
            out.append(Line([Span("    " + shape(input, scope: key.scope), style: theme[.accent]), Span("  " + source.escapedForDisplay, style: theme[.textDim])]))
        }
        for captured in scope.implicitInputs(of: key.node) {
            out.append(Line([Span(app.ascii ? "  <- " : "  ↳ ", style: theme[.textDim]), Span(captured.escapedForDisplay), Span("  captured by sub-graph", style: theme[.textDim])]))
        }
        out.append(Line(""))
        out.append(heading("Outputs"))
        for (i, output) in node.outputs.enumerated() where !output.isEmpty {
            let consumers = scope.consumers(of: output).count
            let isGraphOutput = scope.graph.outputs.contains { $0.name == output }
            let note = isGraphOutput ? "graph output" : "\(consumers) consumer\(consumers == 1 ? "" : "s")"
            out.append(Line([Span("  \(i) ", style: theme[.textDim]), Span(output.escapedForDisplay)]))
            out.append(Line([Span("    " + shape(output, scope: key.scope), style: theme[.accent]), Span("  " + note, style: theme[.textDim])]))
        }
        if !weights.isEmpty {
            out.append(Line(""))
            out.append(heading("Weights"))
            for (name, tensor, s) in weights { out.append(contentsOf: weightLines(name, tensor, scope: s, width: width)) }
        }
        let m = doc.metrics(key)
        out.append(Line(""))
        out.append(heading("Compute"))
        out.append(field("params", m.parameters == 0 ? "0" : "\(Format.count(m.parameters)) (\(Format.bytes(m.parameterBytes)))"))
        out.append(field("MACs", (m.macs == 0 ? "0" : Format.count(m.macs)) + (m.isEstimate ? " (estimate)" : "")))
        // A function call does its work in its body: show that, with the body's parameters.
        if let body = scope.subgraphScopes(of: key.node).first(where: { doc.scope($0).parent?.attribute == Function.callScopeLabel }) {
            let t = doc.analysis.metrics.totals(including: body, index: doc.index)
            out.append(field("in body", "\(Format.count(t.macs)) MACs, \(Format.count(t.parameters)) params, \(t.nodes) nodes"))
        }
        if m.outputBytes > 0 { out.append(field("output", Format.bytes(m.outputBytes))) }
        let subgraphs = scope.subgraphScopes(of: key.node)
        if !subgraphs.isEmpty {
            out.append(Line(""))
            out.append(heading("Sub-graphs"))
            for s in subgraphs {
                let link = doc.scope(s).parent!
                out.append(Line("  \(link.attribute.escapedForDisplay): \(doc.scope(s).nodeCount) nodes"))
            }
            out.append(Line("  Enter opens, Backspace leaves", style: theme[.textDim]))
        }
        if key.scope == 0 { out.append(contentsOf: planLines(scope.displayName(key.node), key: key)) }
        if key.scope == 0 { out.append(contentsOf: ortGraphLines(key.node)) }
        out.append(Line(""))
        out.append(contentsOf: annotationLines(key))
        if app.state.tint == .predicted { out.append(contentsOf: deployLines(key)) }
        return out
    }

    /// The deployment target's decision on the node, with every reason (shown with the predicted tint).
    private func deployLines(_ key: NodeKey) -> [Line] {
        guard let s = app.predictedSupport(key) else { return [] }
        var out = [Line(""), heading("Deploy: " + app.state.deployTarget.displayName + " (predicted)")]
        if s.supported {
            out.append(Line("  taken", style: theme[.success]))
        } else {
            for b in s.blockers {
                out.append(Line("  " + b.kind + ": " + b.description.escapedForDisplay, style: b.kind == "dynamic shape" ? theme[.warning] : theme[.error]))
            }
        }
        for u in s.unverified { out.append(Line("  not checked: " + u.escapedForDisplay, style: theme[.textDim])) }
        return out
    }

    /// The node in the quantization loop's current variant (int8 with its arithmetic and what ORT
    /// built, or float and why), else its arithmetic in an already-quantized model.
    private func planLines(_ name: String, key: NodeKey) -> [Line] {
        if let q = app.state.quantization, let plan = q.plan {
            var out = [Line("")]
            if let layer = q.layers[name] {
                out += quantizationLines(layer)
                if let k = q.kernels[name] {
                    out.append(k.ranInt8 ? field("ORT", "ran " + (k.built ?? "?").escapedForDisplay)
                               : Line("  not int8 in ORT: " + (k.why ?? "").escapedForDisplay, style: theme[.warning]))
                }
                out += tradeoffLines(name, key: key, int8Now: true)
            } else if let into = q.folded[name] {
                out.append(heading("Quantization"))
                out.append(Line("  folded into " + into.escapedForDisplay + " before quantizing", style: theme[.textDim]))
            } else if let d = plan.decision(named: name) {
                out.append(heading("Quantization"))
                out.append(field("plan", d.precision.rawValue + (d.role.isQuantizable ? " (Q switches)" : "")))
                out.append(Line("  " + d.reason.description.escapedForDisplay, style: theme[.textDim]))
                if d.precision == .float, d.role.isQuantizable { out += tradeoffLines(name, key: key, int8Now: false) }
            } else { return [] }
            if let e = app.quantizationError(ofNode: name) {
                // Local: this value's own Q/DQ alone; propagated: through the int8 model (ErrorView).
                let local = e.localSQNR.map { String(format: "local %.1f, ", $0) } ?? ""
                out.append(field("error", local + String(format: "propagated %.1f dB", e.propagatedSQNR), style: theme[ErrorView.role(e.propagatedSQNR)]))
            } else if q.measuringErrors {
                out.append(Line("  error: measuring" + app.glyphs.ellipsis, style: theme[.textDim]))
            }
            if q.isStale { out.append(Line("  (stale: a new variant is being built)", style: theme[.textDim])) }
            return out
        }
        if app.state.qdqFloatNodes.contains(name) {
            return [Line(""), heading("Quantization"), field("plan", "float (dequantized, Q: int8)")]
        }
        if let layer = app.document.quantizedLayers[name] { return [Line("")] + quantizationLines(layer) + [Line("  Q turns it back to float", style: theme[.textDim])] }
        return []
    }

    /// What int8 saves (the node is int8 now) or would save (it is float now), where known: the
    /// weight's bytes (from the model), the kernel's p50 float and int8 (from live runs that had
    /// the node each way: `:live int8`, then Q), and the error it had when last int8.
    private func tradeoffLines(_ name: String, key: NodeKey, int8Now: Bool) -> [Line] {
        var out: [Line] = []
        let arrow = app.ascii ? " -> " : " → "
        if let w = WeightFootprint(node: key, document: app.document) {
            out.append(field("size", "weight " + Format.bytes(w.floatBytes) + " float" + arrow + Format.bytes(w.int8Bytes) + " int8"))
        }
        let m = app.state.measured[name]
        let f = m?.floatMicroseconds, i = m?.int8Microseconds
        func t(_ us: Double) -> String { RuntimeFormat.time(microseconds: us, ascii: app.ascii) }
        if let f, let i, i > 0 {
            out.append(field("kernel", "float " + t(f) + arrow + "int8 " + t(i)))
            out.append(field("gain", f >= i ? String(format: "%.2f× faster as int8", f / i) : String(format: "%.2f× slower as int8", i / f),
                             style: theme[f >= i ? .success : .warning]))
        } else if let f {
            out.append(field("kernel", "float " + t(f) + ", int8 not run yet"))
        } else if let i {
            out.append(field("kernel", "int8 " + t(i) + ", float not run yet"))
        } else {
            out.append(Line("  kernel times: r runs the model,", style: theme[.textDim]))
            out.append(Line("  :live int8 then runs each variant", style: theme[.textDim]))
        }
        if !int8Now, let db = m?.int8PropagatedSQNR {
            out.append(field("if int8", String(format: "%.1f dB through model (last int8)", db), style: theme[ErrorView.role(db)]))
        }
        return out
    }

    /// The links between the model and ORT's optimized graph (`O`): in ORT's graph, the model
    /// nodes a node stands for; in the model, what ORT made of the node, once ORT's graph exists.
    private func ortGraphLines(_ node: Int) -> [Line] {
        if let mode = app.ortGraph {
            let model = mode.saved.document.scope(0)
            let covered = mode.result.links.covered[node]
            var out = [Line(""), heading("In the model")]
            guard let anchor = covered.first else {
                out.append(Line("  inserted by ORT: stands for no model node", style: theme[.textDim]))
                return out
            }
            out.append(field("covers", "\(covered.count) model node\(covered.count == 1 ? "" : "s")"))
            for n in covered.prefix(8) { out.append(Line("    " + model.displayName(n) + "  " + model.node(n).opType.escapedForDisplay, style: theme[.textDim])) }
            if covered.count > 8 { out.append(Line("    " + app.glyphs.ellipsis + " \(covered.count - 8) more", style: theme[.textDim])) }
            out.append(Line("  O: back to the model at " + model.displayName(anchor), style: theme[.textDim]))
            return out
        }
        guard let r = app.optimizedGraphJob?.snapshot.result else { return [] }
        let ort = r.optimized.model.graph
        var out = [Line(""), heading("In ORT's graph (\(r.level.name))")]
        if let o = r.links.coveringNode[node] {
            let n = ort.nodes[o]
            let name = n.name.isEmpty ? "\(n.opType)#\(o)" : n.name
            let others = r.links.covered[o].count - 1
            out.append(field("runs as", n.opType.escapedForDisplay + " " + name.escapedForDisplay))
            if others > 0 { out.append(Line("  with \(others) other model node\(others == 1 ? "" : "s") fused in", style: theme[.textDim])) }
            out.append(Line("  O shows it there", style: theme[.textDim]))
        } else if r.links.constantFolded.contains(node) {
            out.append(Line("  constant-folded: ORT computed it once, at load", style: theme[.textDim]))
        } else {
            out.append(Line("  removed by ORT's optimizer (no kernel runs it)", style: theme[.textDim]))
        }
        return out
    }

    /// S and Z of each operand, M = S_x·S_w/S_y as M0·2^-n, the int32 bias scale.
    private func quantizationLines(_ l: LayerArithmetic) -> [Line] {
        var out = [heading("Quantization")]
        out.append(field("kernel", l.kernel.escapedForDisplay + " (int8)"))
        func operand(_ label: String, _ o: LayerArithmetic.Operand?) {
            guard let p = o?.parameters else { return }
            let s: String
            if p.scales.count > 1 {
                s = "S " + num(Double(p.scales.min()!)) + (app.ascii ? ".." : "…") + num(Double(p.scales.max()!)) + " (\(p.scales.count) ch)"
            } else {
                s = "S " + num(Double(p.scales[0]))
            }
            let z = Set(p.zeroPoints).count == 1 ? "Z \(p.zeroPoints[0])" : "Z per ch"
            out.append(field(label, s + "  " + z + "  " + p.type.rawValue))
        }
        operand("x", l.input)
        operand(["Conv", "Gemm", "MatMul"].contains(l.opType) ? "w" : "x2", l.weight)
        if l.weightBits == 7 {
            // Why a weight uses half the codes: u8s8 pair sums would overflow on this CPU.
            out.append(Line("        7-bit weights (±64): chosen where u8s8 pair sums can overflow int16", style: theme[.textDim]))
        }
        if let w = l.weight, let h = weightHistogram(layer: l, weight: w) {
            out.append(field("w codes", RuntimeFormat.histogram(h.counts, ascii: app.ascii), style: theme[.accent]))
            out.append(Line("        \(h.range.lowerBound)…\(h.range.upperBound): \(h.distinctCodes) of \(h.range.count) codes used"
                            + (h.atLimits > 0 ? String(format: ", %.2f%% at the ends", Double(h.atLimits) / Double(max(1, h.total)) * 100) : ""),
                            style: theme[.textDim]))
        }
        operand("y", l.output)
        if let m = l.multipliers.first {
            let times = app.ascii ? "*" : "·"
            let channels: String = l.multipliers.count > 1 ? " ch0" : ""
            let form: String = String(format: "%.4f", m.normalized) + times + "2^-\(m.shift)"
            out.append(field("M", num(m.multiplier) + " = " + form + channels))
            out.append(field("M0", "\(m.q31) (Q31)"))
        }
        if let b = l.biasScales?.first {
            let more: String = l.biasScales!.count > 1 ? "…" : ""
            let dot: String = app.ascii ? "*" : "·"
            out.append(field("bias", "int32, scale S_x" + dot + "S_w = " + num(b) + more))
        }
        if l.output == nil { out.append(Line("  output stays float (no QuantizeLinear after it)", style: theme[.textDim])) }
        return out
    }

    /// The weight's int8 codes as a histogram (computed once per layer; nil when the weight
    /// is not a tensor of the open model).
    private func weightHistogram(layer l: LayerArithmetic, weight w: LayerArithmetic.Operand) -> WeightCodeHistogram? {
        if let h = app.weightHistograms[l.node] { return h }
        guard let t = app.document.scope(0).initializer(named: w.tensor),
              let h = try? WeightCodeHistogram.make(tensor: t, in: app.document.model, parameters: w.parameters) else { return nil }
        app.weightHistograms[l.node] = h
        return h
    }

    private func shape(_ value: String, scope: Int) -> String {
        app.document.analysis.shapes.facts(value, scope: scope)?.summary ?? "?"
    }

    private func weightLines(_ name: String, _ tensor: Tensor, scope: Int, width: Int) -> [Line] {
        var out: [Line] = []
        let count = tensor.elementCount ?? 0
        out.append(Line([Span("  " + name.escapedForDisplay)]))
        out.append(Line([Span("    " + AttributeFormatter.tensorType(tensor), style: theme[.accent]),
                         Span("  \(Format.count(Int64(count))) values" + (tensor.isExternal ? ", external" : ""), style: theme[.textDim])]))
        switch app.statistics.statistics(of: tensor, scope: scope, model: app.document.model) {
        case .computing:
            out.append(Line("    computing statistics\(app.glyphs.ellipsis)", style: theme[.textDim]))
        case .failed(let reason):
            out.append(Line("    " + reason.escapedForDisplay, style: theme[.warning]))
        case .ready(let s):
            out.append(Line([Span("    min ", style: theme[.textDim]), Span(num(s.minimum)),
                             Span("  max ", style: theme[.textDim]), Span(num(s.maximum))]))
            out.append(Line([Span("    mean ", style: theme[.textDim]), Span(num(s.mean)),
                             Span("  std ", style: theme[.textDim]), Span(num(s.standardDeviation))]))
            out.append(Line([Span("    zeros ", style: theme[.textDim]), Span(String(format: "%.1f%%", s.zeroFraction * 100))]
                            + (s.nonFinite > 0 ? [Span("  non-finite \(s.nonFinite)", style: theme[.warning])] : [])))
            let barWidth = min(s.histogram.count, max(4, width - 6))
            let bars = Sparkline.string(s.histogram, width: barWidth, bars: app.glyphs.bars)
            out.append(Line([Span("    "), Span(bars, style: theme[.accent]), Span(" histogram", style: theme[.textDim])]))
            // The value axis under the bars: minimum at the left end, maximum at the right.
            let lo = num(s.minimum), hi = num(s.maximum)
            let gap = max(1, barWidth - lo.count - hi.count)
            out.append(Line("    " + lo + String(repeating: " ", count: gap) + hi, style: theme[.textDim]))
            var first = ""
            for v in s.firstValues.map(num) where first.count + v.count + 1 <= max(8, width - 12) { first += (first.isEmpty ? "" : " ") + v }
            out.append(Line([Span("    first ", style: theme[.textDim]), Span(first + (s.count > 1 ? " " + app.glyphs.ellipsis : ""))]))
        }
        return out
    }

    private func num(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v == v.rounded() && abs(v) < 1e9 { return String(Int64(v)) }
        return String(format: "%.4g", v)
    }

    private func annotationLines(_ key: NodeKey) -> [Line] {
        var out = [heading("Runtime")]
        guard let a = app.state.annotations[key], !a.isEmpty else {
            out.append(Line("  not run yet", style: theme[.textDim]))
            out.append(Line("  provider, time and quantization", style: theme[.textDim]))
            out.append(Line("  appear here after a run", style: theme[.textDim]))
            return out
        }
        if let p = a.provider { out.append(field("EP", RuntimeFigures.short(p).escapedForDisplay + (a.providerIsPredicted ? " (predicted)" : " (reported by ORT)"))) }
        if let part = a.partition { out.append(field("part", "#\(part)" + (a.partitionSize.map { " of \($0) nodes" } ?? ""))) }
        if let t = a.kernelTimeMicroseconds {
            out.append(field("p50", RuntimeFormat.time(microseconds: t, ascii: app.ascii)))
            if let p90 = a.kernelTimeP90Microseconds { out.append(field("p90", RuntimeFormat.time(microseconds: p90, ascii: app.ascii))) }
            if let share = a.share { out.append(field("share", RuntimeFormat.percent(share))) }
        }
        if let e = a.execution { out.append(Line("  " + e.description.escapedForDisplay, style: theme[.warning])) }
        for k in a.kernels {
            out.append(field("kernel", k.name.escapedForDisplay + " (" + k.op.escapedForDisplay + ")"))
            // A fused or compiled kernel also covers other nodes: name them (search jumps there).
            let others = k.nodes.filter { $0 != key.node }
            if !others.isEmpty, key.scope == 0 {
                let names = others.prefix(6).map { app.document.displayName(NodeKey(scope: 0, node: $0)) }
                out.append(Line("    also covers " + names.joined(separator: ", ") + (others.count > 6 ? ", …" : ""), style: theme[.textDim]))
            }
        }
        if let shapes = a.inputShapes { out.append(field("inputs", shapes.escapedForDisplay)) }
        if let q = a.quantization { out.append(field("quant", q.escapedForDisplay)) }
        for note in a.notes { out.append(Line("  " + note.escapedForDisplay, style: theme[.textDim])) }
        if app.state.runtime.isStale { out.append(Line("  (stale: settings changed)", style: theme[.textDim])) }
        return out
    }

    func groupLines(_ g: Int) -> [Line] {
        let doc = app.document
        let grouping = doc.groupings[app.state.scope]
        let nodes = grouping.tree.nodes(in: g)
        var out: [Line] = []
        out.append(Line([Span("Group ", style: theme[.textDim]), Span(grouping.labels[g], style: theme[.accent].bold)]))
        out.append(field("path", grouping.paths[g]))
        out.append(field("nodes", "\(nodes.count), folded"))
        var params: Int64 = 0, macs: Int64 = 0
        var ops: [String: Int] = [:]
        var micros = 0.0, share = 0.0
        var providers: [String] = []
        for n in nodes {
            if let a = app.state.annotations[NodeKey(scope: app.state.scope, node: n)] {
                micros += a.kernelTimeMicroseconds ?? 0
                share += a.share ?? 0
                if let p = a.provider.map(RuntimeFigures.short), !providers.contains(p) { providers.append(p) }
            }
            let m = doc.metrics(NodeKey(scope: app.state.scope, node: n))
            params += m.parameters
            macs += m.macs
            ops[doc.scope(app.state.scope).node(n).opType.escapedForDisplay, default: 0] += 1
        }
        out.append(field("params", Format.count(params)))
        out.append(field("MACs", Format.count(macs)))
        if micros > 0 {
            out.append(field("time", RuntimeFormat.time(microseconds: micros, ascii: app.ascii) + "  " + RuntimeFormat.percent(share)))
        }
        if !providers.isEmpty { out.append(field("providers", providers.joined(separator: ", ").escapedForDisplay)) }
        out.append(Line(""))
        out.append(heading("Ops"))
        for (op, count) in ops.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out.append(Line([Span("  " + String(count).leftPadded(4), style: theme[.accent]), Span(" " + op)]))
        }
        out.append(Line(""))
        out.append(Line("Enter or + expands, - folds again", style: theme[.textDim]))
        return out
    }
}

/// Readable attributes: `kernel 7×7  stride 2  pads 3` first, then the rest as `name = value`.
enum AttributeFormatter {
    /// - Parameter times: the sign between kernel dimensions (`x` in ASCII mode).
    ///   - width: the summary items are packed into lines of at most this many columns.
    static func lines(_ node: Node, times: String = "×", width: Int = 80) -> [String] {
        // Convolution geometry in the order people say it: kernel, stride, pads, dilation, group.
        var summary: [(Int, String)] = []
        var rest: [String] = []
        for a in node.attributes {
            switch (a.name, a.type) {
            case ("kernel_shape", .ints): summary.append((0, "kernel " + a.ints.map(String.init).joined(separator: times)))
            case ("strides", .ints): summary.append((1, "stride " + compact(a.ints, joiner: times)))
            case ("pads", .ints): summary.append((2, "pads " + compact(a.ints, joiner: ",")))
            case ("dilations", .ints): summary.append((3, "dilation " + compact(a.ints, joiner: times)))
            case ("group", .int): summary.append((4, "group \(a.i)"))
            default: rest.append(a.name.escapedForDisplay + " = " + value(a))
            }
        }
        var packed: [String] = []
        for (_, item) in summary.sorted(by: { $0.0 < $1.0 }) {
            if let last = packed.last, last.count + 2 + item.count <= width {
                packed[packed.count - 1] = last + "  " + item
            } else {
                packed.append(item)
            }
        }
        return packed + rest
    }

    /// `float32[64,3,7,7]`.
    static func tensorType(_ t: Tensor) -> String {
        t.dataType.name + "[" + t.dims.map(String.init).joined(separator: ",") + "]"
    }

    /// One number when all are equal (`stride 2`), else all of them.
    static func compact(_ v: [Int64], joiner: String) -> String {
        if let f = v.first, v.allSatisfy({ $0 == f }) { return String(f) }
        return v.map(String.init).joined(separator: joiner)
    }

    static func value(_ a: Attribute) -> String {
        func list<T>(_ v: [T], _ f: (T) -> String) -> String {
            let shown = v.prefix(8).map(f).joined(separator: ", ")
            return "[" + shown + (v.count > 8 ? ", ... (\(v.count))" : "") + "]"
        }
        switch a.type {
        case .int: return String(a.i)
        case .float: return String(format: "%g", Double(a.f))
        case .string: return "\"" + (a.s.map { String(decoding: $0.bytes, as: UTF8.self) } ?? "").escapedForDisplay + "\""
        case .ints: return list(a.ints) { String($0) }
        case .floats: return list(a.floats) { String(format: "%g", Double($0)) }
        case .strings: return list(a.strings) { "\"" + String(decoding: $0.bytes, as: UTF8.self).escapedForDisplay + "\"" }
        case .tensor:
            guard let t = a.t else { return "tensor" }
            return tensorType(t)
        case .graph: return "graph (\(a.g?.nodes.count ?? 0) nodes)"
        case .graphs: return "\(a.graphs.count) graphs"
        default: return "(\(a.type.rawValue))"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
