import Foundation
import OnnxModel
import OnnxRuntimeKit
import Quantization
import Workbench

/// The quantization loop in the explorer: `Q` switches the selected node between int8 and
/// float, palette commands switch op types or everything, and the background job
/// (``Workbench/QuantizationJob``) rebuilds the int8 variant from the cached ranges and measures
/// it. The explorer only edits the ``AppState/planRequest`` and reads snapshots.
extension ExplorerApp {
    /// Calibration or a build is running: the screen polls for the next snapshot.
    var isQuantizing: Bool {
        guard let q = state.quantization else { return false }
        switch q.phase {
        case .calibrating, .building, .searching: return true
        default: return q.isStale || q.measuringErrors || q.comparing != nil
        }
    }

    /// The job, made on first use; nil (with the reason on the status line) when the explorer
    /// was opened without calibration data.
    func quantizationJobOrExplain() -> QuantizationJob? {
        if let j = quantizationJob { return j }
        guard let make = makeQuantizationJob else {
            state.message = StatusMessage("no calibration data: :calibrate PATH [eval PATH], or open with --calibration PATH [--eval PATH]", kind: .warning)
            return nil
        }
        do { quantizationJob = try make() } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
            return nil
        }
        return quantizationJob
    }

    /// `calibrate PATH… [eval PATH…]`: points the int8 loop at calibration data (and held-out
    /// samples for the error figures) while browsing, as `view --calibration --eval` does at
    /// launch, in the same formats; calibration starts at once. A loop already running on other
    /// data is replaced (its plan edits are kept).
    func calibrateCommand(_ args: [String]) {
        guard let make = makeQuantizationJobForData else {
            state.message = StatusMessage("quantizing needs ONNX Runtime (the explorer was opened without it)", kind: .warning)
            return
        }
        let split = args.firstIndex { $0.lowercased() == "eval" }
        let calibration = Array(args[..<(split ?? args.count)]).map { ($0 as NSString).expandingTildeInPath }
        let evaluation = split.map { Array(args[($0 + 1)...]) }?.map { ($0 as NSString).expandingTildeInPath } ?? []
        guard !calibration.isEmpty else {
            state.message = StatusMessage("usage: calibrate PATH… [eval PATH…] (.npz/.npy files, test_data_set folders, photo folders)", kind: .warning)
            return
        }
        if let missing = (calibration + evaluation).first(where: { !FileManager.default.fileExists(atPath: $0) }) {
            state.message = StatusMessage("no such file or folder: \(missing.escapedForDisplay)", kind: .error)
            return
        }
        makeQuantizationJob = { try make(calibration, evaluation) }
        quantizationJob?.cancel()   // its step in progress ends, nothing after it starts
        quantizationJob = nil
        state.quantization = nil
        state.liveFedRequest = nil
        requestVariant("calibrating on \(calibration.count) path\(calibration.count == 1 ? "" : "s")"
                       + (evaluation.isEmpty ? " (no eval samples: no error figures)" : ", evaluating on \(evaluation.count)") + glyphs.ellipsis)
    }

    /// Sends the current request to the job.
    func requestVariant(_ note: String) {
        guard let job = quantizationJobOrExplain() else { return }
        job.request(state.planRequest)
        var q = state.quantization ?? job.snapshot
        q.isStale = q.plan != nil
        state.quantization = q
        state.message = StatusMessage(note)
    }

    /// `Q`: the selected main-graph node to int8 or back to float.
    func toggleQuantization() {
        // An already-quantized model opened without calibration: Q dequantizes its nodes.
        if quantizationJob == nil, makeQuantizationJob == nil, !document.quantizedLayers.isEmpty {
            toggleDequantized()
            return
        }
        guard let job = quantizationJobOrExplain() else { return }
        guard let plan = job.snapshot.plan else {
            requestVariant("calibrating" + glyphs.ellipsis + " (Q again once the plan is shown)")
            return
        }
        if case .group(let g)? = state.selection, state.scope == 0 { return toggleGroup(g, plan: plan) }
        guard let key = selectedNode, key.scope == 0 else {
            state.message = StatusMessage("Q works on a node or folded group of the main graph", kind: .warning)
            return
        }
        let name = document.scope(0).displayName(key.node)
        if let into = job.snapshot.folded[name] {
            state.message = StatusMessage("\(name.escapedForDisplay) was folded into \(into.escapedForDisplay) before quantizing: Q on that node")
            return
        }
        guard let d = plan.decision(named: name) else {
            state.message = StatusMessage("\(name.escapedForDisplay) is not in the plan")
            return
        }
        if case .none(let why) = d.role {
            state.message = StatusMessage("\(name.escapedForDisplay) stays float: \(why.escapedForDisplay)", kind: .warning)
            return
        }
        if d.precision == .int8 {
            state.planRequest.include.remove(name); state.planRequest.exclude.insert(name)
        } else {
            state.planRequest.exclude.remove(name); state.planRequest.fallback.remove(name); state.planRequest.include.insert(name)
        }
        requestVariant("\(name.escapedForDisplay) → \(d.precision == .int8 ? "float" : "int8"); building the int8 variant" + glyphs.ellipsis)
    }

    /// `Q` on a folded group: every quantizable layer inside (Conv, MatMul, Add… that int8
    /// kernels compute) to float when all of them are int8, else all to int8.
    func toggleGroup(_ g: Int, plan: QuantizationPlan) {
        let main = document.scope(0)
        let grouping = document.groupings[0]
        let label = grouping.paths[g].escapedForDisplay
        let layers = grouping.tree.nodes(in: g).compactMap { plan.decision(named: main.displayName($0)) }
            .filter { if case .compute = $0.role { return true }; return false }
        guard !layers.isEmpty else {
            state.message = StatusMessage("\(label) has no quantizable layer", kind: .warning)
            return
        }
        let toFloat = layers.allSatisfy { $0.precision == .int8 }
        for d in layers {
            if toFloat { state.planRequest.include.remove(d.name); state.planRequest.exclude.insert(d.name) }
            else { state.planRequest.exclude.remove(d.name); state.planRequest.fallback.remove(d.name); state.planRequest.include.insert(d.name) }
        }
        requestVariant("\(label): \(layers.count) layer\(layers.count == 1 ? "" : "s") → \(toFloat ? "float" : "int8"); building the int8 variant" + glyphs.ellipsis)
    }

    /// Palette: `quantize all`, `quantize op TYPE`, `float all`, `float op TYPE`, `save PATH`.
    func quantizationCommand(_ command: String, _ args: [String]) {
        if command == "save" { saveQuantized(args); return }
        let plan = quantizationJob?.snapshot.plan
        let compute = (plan?.decisions ?? []).filter { if case .compute = $0.role { return true }; return false }
        switch (command, args.first?.lowercased()) {
        case ("quantize", "all"):
            state.planRequest = PlanRequest()
        case ("float", "all"):
            guard plan != nil else { requestVariant("calibrating" + glyphs.ellipsis); return }
            state.planRequest.include = []
            state.planRequest.exclude = Set(compute.map(\.name))
        case (_, "op") where args.count == 2:
            let op = args[1]
            guard plan == nil || compute.contains(where: { $0.opType == op }) else {
                state.message = StatusMessage("no quantizable \(op.escapedForDisplay) node (op types: \(Set(compute.map(\.opType)).sorted().joined(separator: ", ")))", kind: .warning)
                return
            }
            for d in compute where d.opType == op {
                if command == "quantize" { state.planRequest.exclude.remove(d.name); state.planRequest.fallback.remove(d.name); state.planRequest.include.insert(d.name) }
                else { state.planRequest.include.remove(d.name); state.planRequest.exclude.insert(d.name) }
            }
            if plan == nil { state.message = StatusMessage("calibrating first" + glyphs.ellipsis) }
        default:
            state.message = StatusMessage("usage: quantize all | quantize op TYPE | float all | float op TYPE | save PATH", kind: .warning)
            return
        }
        requestVariant("building the int8 variant" + glyphs.ellipsis)
    }

    /// `Q` on a QDQ/QAT model: the selected quantized node back to float (its DequantizeLinear
    /// inputs bypassed, as `quantize --dequantize` does), or int8 again. The variant is rebuilt
    /// at once (a graph rewrite, no ORT); a live run switches to it; `w` writes it.
    func toggleDequantized() {
        guard let key = selectedNode, key.scope == 0 else {
            state.message = StatusMessage("Q works on a node of the main graph", kind: .warning)
            return
        }
        let name = document.scope(0).displayName(key.node)
        guard document.quantizedLayers[name] != nil || state.qdqFloatNodes.contains(name) else {
            state.message = StatusMessage("\(name.escapedForDisplay) is float in this model: open it with --calibration to quantize nodes", kind: .warning)
            return
        }
        if state.qdqFloatNodes.contains(name) { state.qdqFloatNodes.remove(name) } else { state.qdqFloatNodes.insert(name) }
        do {
            state.qdqVariant = state.qdqFloatNodes.isEmpty ? nil : try QDQModel.dequantize(document.model, nodes: state.qdqFloatNodes).serialized()
        } catch {
            state.qdqFloatNodes.remove(name)
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
            return
        }
        if let r = liveRuntime {
            let revision = r.update(model: state.qdqVariant.map { .bytes($0) } ?? documentSource)
            state.liveModels[revision] = state.qdqVariant == nil ? .document : .dequantized
            state.runtime.isStale = true
        }
        let count = state.qdqFloatNodes.count
        state.message = StatusMessage("\(name.escapedForDisplay) → \(state.qdqFloatNodes.contains(name) ? "float" : "int8"); "
                                      + (count == 0 ? "the model as opened" : "\(count) node\(count == 1 ? "" : "s") dequantized (w writes the variant)")
                                      + (liveRuntime == nil ? "" : "; the live run switches to it"))
    }

    /// `fallback sqnr DB` / `fallback top1 PERCENT`: the search for the fewest nodes to keep
    /// float that meet the target, in the background; its plan then shows as any other and
    /// stays editable.
    func fallbackCommand(_ args: [String]) {
        let usage = "usage: fallback sqnr DB | fallback top1 PERCENT (e.g. fallback sqnr 30)"
        guard args.count == 2, let value = Double(args[1]), value > 0 else { state.message = StatusMessage(usage, kind: .warning); return }
        let target: AccuracyTarget
        switch args[0].lowercased() {
        case "sqnr": target = .sqnr(value)
        case "top1", "top-1": target = .top1(value > 1 ? value / 100 : value)
        default: state.message = StatusMessage(usage, kind: .warning); return
        }
        guard let job = quantizationJobOrExplain() else { return }
        guard job.snapshot.plan != nil, job.snapshot.evaluation != nil else {
            state.message = StatusMessage("the fallback search needs a measured int8 variant first (Q or :quantize all, with --eval samples)", kind: .warning)
            return
        }
        job.requestFallback(target, base: state.planRequest)
        var q = job.snapshot
        q.isStale = true
        state.quantization = q
        state.message = StatusMessage("fallback search for \(target)" + glyphs.ellipsis)
    }

    /// `save PATH` (or `w`, to a new name beside the model): the current int8 model and,
    /// beside it, its plan (`quantize --plan` replays it). Never an existing file.
    func saveQuantized(_ args: [String]) {
        if quantizationJob == nil, let variant = state.qdqVariant {
            saveDequantized(variant, args)
            return
        }
        guard let snap = quantizationJob?.snapshot, let bytes = snap.modelBytes, let plan = snap.plan else {
            state.message = StatusMessage("nothing to save yet: Q or `quantize all` builds an int8 variant", kind: .warning)
            return
        }
        let path = args.first.map { ($0 as NSString).expandingTildeInPath } ?? freshInt8Path()
        let planPath = (path.hasSuffix(".onnx") ? String(path.dropLast(5)) : path) + ".plan.json"
        do {
            try checkNewFiles([path, planPath])
            try AtomicFile.write(bytes, to: path)
            try AtomicFile.write([UInt8](try PlanFile.encode(plan)), to: planPath)
            state.message = StatusMessage("wrote \(path.escapedForDisplay) and \(URL(fileURLWithPath: planPath).lastPathComponent.escapedForDisplay)")
        } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
        }
    }

    /// Throws unless every path is a file that does not exist yet (the open model least of all).
    func checkNewFiles(_ paths: [String]) throws {
        for p in paths where FileManager.default.fileExists(atPath: p) { throw QuantizationError("\(p) exists; choose a new file") }
        let open = document.path.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        if paths.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == open }) {
            throw QuantizationError("that is the open model; choose a new file")
        }
    }

    /// Writes a QDQ model's dequantized variant to a new file (`MODEL.dequantized.onnx` for `w`).
    func saveDequantized(_ bytes: [UInt8], _ args: [String]) {
        let path = args.first.map { ($0 as NSString).expandingTildeInPath } ?? freshInt8Path(suffix: ".dequantized")
        do {
            try checkNewFiles([path])
            try AtomicFile.write(bytes, to: path)
            let nodes = state.qdqFloatNodes.sorted().joined(separator: " ")
            state.message = StatusMessage("wrote \(path.escapedForDisplay) (\(state.qdqFloatNodes.count) node\(state.qdqFloatNodes.count == 1 ? "" : "s") float; "
                                          + "the same as quantize --dequantize \(nodes))".escapedForDisplay)
        } catch {
            state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
        }
    }

    /// `MODEL.int8.onnx` beside the open model (in the working directory for a sample), or
    /// `MODEL.int8-2.onnx`, … when that name or its plan is taken.
    func freshInt8Path(suffix: String = ".int8") -> String {
        let source = document.path.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("model.onnx")
        let stem = source.deletingPathExtension().path
        var k = 1
        while true {
            let candidate = stem + (k == 1 ? suffix : suffix + "-\(k)")
            if !FileManager.default.fileExists(atPath: candidate + ".onnx") && !FileManager.default.fileExists(atPath: candidate + ".plan.json") {
                return candidate + ".onnx"
            }
            k += 1
        }
    }

    /// `live int8`: the live run follows the int8 variant (each new one replaces the session);
    /// `live float`: back to the model file.
    func liveModelCommand(_ args: [String]) {
        guard let r = liveRuntime else {
            state.message = StatusMessage("start a live run first (r)", kind: .warning)
            return
        }
        switch args.first?.lowercased() {
        case "int8":
            state.liveFollowsInt8 = true
            state.liveFedRequest = nil
            if !feedLiveRunner() { state.message = StatusMessage("the live run switches to int8 once a variant is built (Q or :quantize all)") }
        case "float":
            state.liveFollowsInt8 = false
            state.liveFedRequest = nil
            state.liveModels[r.update(model: documentSource)] = .document
            state.runtime.isStale = true
            state.message = StatusMessage("live run: back to the float model" + glyphs.ellipsis)
        default:
            state.message = StatusMessage("usage: live int8 | live float", kind: .warning)
        }
    }

    /// The open model as the live runner reads it: its file, or its bytes for a sample.
    var documentSource: ModelRunner.Source { modelDocument.path.map { .path($0) } ?? .bytes(modelDocument.model.serialized()) }

    /// Gives the live runner the current int8 variant when it follows them and this one is new;
    /// true when it did.
    @discardableResult
    func feedLiveRunner() -> Bool {
        guard state.liveFollowsInt8, let r = liveRuntime, let q = state.quantization, q.phase == .ready, !q.isStale,
              let bytes = q.modelBytes, state.liveFedRequest != q.request else { return false }
        state.liveFedRequest = q.request
        let ranInt8 = Set(q.kernels.values.filter(\.ranInt8).map(\.node))
        state.liveModels[r.update(model: .bytes(bytes))] = .int8Variant(ranInt8: ranInt8)
        state.runtime.isStale = true
        state.message = StatusMessage("live run: switching to the int8 variant" + glyphs.ellipsis)
        return true
    }

    /// Takes the job's latest snapshot if it is new.
    func refreshQuantization() {
        guard let job = quantizationJob else { return }
        let s = job.snapshot
        guard s.generation != state.quantization?.generation || s.isStale != state.quantization?.isStale else { return }
        // A finished fallback search: its plan becomes the one the user edits.
        if s.fallbackGeneration != state.quantization?.fallbackGeneration, s.fallbackGeneration > 0, let f = s.fallback {
            state.planRequest = s.request
            state.message = StatusMessage((f.met ? "fallback: \(f.floatNodes.count) node\(f.floatNodes.count == 1 ? "" : "s") kept float meet the target"
                                           : "fallback: the target was not reached even with \(f.floatNodes.count) nodes float")
                                          + " (\(f.trials.count) trials); Q still edits the plan")
        }
        if !s.layerErrors.isEmpty, s.layerErrors != state.quantization?.layerErrors { state.measured.record(errors: s.layerErrors) }
        state.quantization = s
        feedLiveRunner()
        if case .failed(let m) = s.phase { state.message = StatusMessage("quantization failed: " + m.escapedForDisplay, kind: .error) }
        else if s.phase == .ready, state.message?.text.contains("int8 variant") == true || state.message?.text.hasPrefix("calibrating") == true {
            state.message = nil
        }
    }

    /// The status bar's int8 item: `int8 71/71 kernels 2.77× float SQNR 34.9 dB`, or the phase.
    var quantizationStatus: String? {
        guard let q = state.quantization else { return nil }
        switch q.phase {
        case .idle: return nil
        case .calibrating(let d, let t): return "int8: calibrating \(d)/\(t)"
        case .building where q.plan == nil: return "int8: building" + glyphs.ellipsis
        case .searching(let trial): return "int8: fallback search, trial \(trial)"
        case .failed: return "int8: failed"
        case .building, .ready:
            guard let plan = q.plan else { return nil }
            let layers = q.kernels.count, ran = q.kernels.values.filter(\.ranInt8).count
            var s = "int8 \(ran)/\(layers) kernels"
            if let e = q.evaluation {
                s += String(format: " %.2f× float", e.speedup)
                if e.sqnrDB.isFinite { s += String(format: " SQNR %.1f dB", e.sqnrDB) }
                if let t = e.top1Agreement { s += String(format: " top-1 %.0f%%", t * 100) }
                if q.evaluationIsPartial { s += " (\(e.samples) samples" + glyphs.ellipsis + ")" }
            }
            // The node count only when it says more than the kernels do (a node planned int8
            // that ORT did not fuse, or none planned yet).
            let compute = plan.decisions.filter { if case .compute = $0.role { return true }; return false }
            let int8Nodes = compute.filter { $0.precision == .int8 }.count
            if int8Nodes != layers { s += " (\(int8Nodes)/\(compute.count) nodes)" }
            return s + (q.isStale || q.phase == .building ? " (stale)" : "")
        }
    }
}
