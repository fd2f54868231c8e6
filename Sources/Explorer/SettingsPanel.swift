import OnnxModel
import OnnxRuntimeKit
import Terminal

/// The live run's settings as an editable panel (`o`): execution provider (from those the
/// loaded ORT has) and its options, intra-op threads, optimization level, CPU fallback, and the
/// model's free dims. ↑/↓ picks a row, ←/→ (or Space) changes a choice, typing edits a text row,
/// Enter applies (the session is re-created in the background while the old figures stay,
/// marked stale), Esc closes without applying. The palette's `ep`, `threads`, `opt`,
/// `fallback` and `dim` commands do the same one at a time.
public struct SettingsPanelState: Sendable, Equatable {
    public enum Row: Int, CaseIterable, Sendable {
        case provider, options, threads, optimization, fallback, dims
        /// Rows edited by typing (`k=v,…`, `NAME=VALUE …`) rather than by ←/→.
        public var isText: Bool { self == .options || self == .dims }
    }
    public var row: Row = .provider
    /// Choices for the provider row: "CPU" first, then the other EPs ORT lists.
    public var providers: [String]
    public var provider: Int
    /// The chosen EP's options as `key=value,key=value`.
    public var options: String
    public var threads: Int
    public var optimization: GraphOptimizationLevel
    public var cpuFallback: Bool
    /// The model's free dims, fixed in ORT and in the generated inputs: `NAME=VALUE …`.
    public var dims: String

    /// The panel for `configuration`, with `available` (ORT's `GetAvailableProviders` names).
    public init(configuration c: SessionConfiguration, available: [String]) {
        let names = ["CPU"] + available.map { ExecutionProviderSpec.canonicalName($0) }.filter { $0 != "CPU" }
        providers = names
        let current = c.providers.first?.name ?? "CPU"
        provider = names.firstIndex(of: current) ?? 0
        options = c.providers.first.map { $0.options.map { "\($0.key)=\($0.value)" }.joined(separator: ",") } ?? ""
        threads = c.intraOpThreads ?? 0
        optimization = c.optimizationLevel
        cpuFallback = c.cpuFallback
        dims = c.freeDimensionOverrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// `configuration` with the panel's choices.
    /// - Throws: an option that is not `key=value`, a dim that is not `NAME=POSITIVE_INTEGER`.
    public func applied(to configuration: SessionConfiguration) throws -> SessionConfiguration {
        var c = configuration
        let name = providers[provider]
        if name == "CPU" {
            c.providers = []
        } else {
            let chosen = try ExecutionProviderSpec(parsing: options.isEmpty ? name : name + ":" + options)
            // The EPs after the first (`--ep openvino --ep xnnpack`) stay when the first does.
            c.providers = [chosen] + (c.providers.first?.name == name ? Array(c.providers.dropFirst()) : [])
        }
        c.intraOpThreads = threads == 0 ? nil : threads
        c.optimizationLevel = optimization
        c.cpuFallback = cpuFallback
        c.freeDimensionOverrides = try DimArguments.parse(dims.split(separator: " ").map(String.init))
        return c
    }

    /// ←/→ on the current row (another EP starts with no options: each EP has its own).
    public mutating func change(by step: Int) {
        switch row {
        case .provider:
            provider = (provider + step + providers.count) % providers.count
            options = ""
        case .threads: threads = max(0, min(64, threads + step))
        case .optimization:
            let all = GraphOptimizationLevel.allCases
            let i = all.firstIndex(of: optimization) ?? 0
            optimization = all[(i + step + all.count) % all.count]
        case .fallback: cpuFallback.toggle()
        case .options, .dims: break
        }
    }

    /// Typing on a text row.
    public mutating func edit(_ key: Key) {
        switch (row, key) {
        case (.options, .char(let ch)): options.append(ch)
        case (.dims, .char(let ch)): dims.append(ch)
        case (.options, .backspace), (.options, .char("\u{7f}")), (.options, .ctrl("h")): if !options.isEmpty { options.removeLast() }
        case (.dims, .backspace), (.dims, .char("\u{7f}")), (.dims, .ctrl("h")): if !dims.isEmpty { dims.removeLast() }
        case (.options, .ctrl("u")): options = ""
        case (.dims, .ctrl("u")): dims = ""
        default: break
        }
    }
}

extension ExplorerApp {
    /// `o`: opens the panel on the live run's settings.
    func openSettings() {
        guard let r = liveRuntime else {
            state.message = StatusMessage("start a live run first (r); the settings are its session's", kind: .warning)
            return
        }
        state.settings = SettingsPanelState(configuration: r.configuration, available: r.availableProviders)
    }

    func handleSettingsKey(_ key: Key) {
        guard var p = state.settings else { return }
        let onText = p.row.isText
        switch key {
        case .escape, .ctrl("c"): state.settings = nil; return
        case .char("q") where !onText, .char("o") where !onText: state.settings = nil; return
        case .up: p.row = SettingsPanelState.Row(rawValue: max(0, p.row.rawValue - 1))!
        case .char("k") where !onText: p.row = SettingsPanelState.Row(rawValue: max(0, p.row.rawValue - 1))!
        case .down, .tab: p.row = SettingsPanelState.Row(rawValue: min(SettingsPanelState.Row.allCases.count - 1, p.row.rawValue + 1))!
        case .char("j") where !onText: p.row = SettingsPanelState.Row(rawValue: min(SettingsPanelState.Row.allCases.count - 1, p.row.rawValue + 1))!
        case .left: p.change(by: -1)
        case .char("h") where !onText: p.change(by: -1)
        case .right: p.change(by: 1)
        case .char("l") where !onText, .char(" ") where !onText: p.change(by: 1)
        case .enter:
            guard let r = liveRuntime else { state.settings = nil; return }
            do {
                let c = try p.applied(to: r.configuration)
                // Dims must be the model's: the same check as `--dim` and `:dim`.
                if !c.freeDimensionOverrides.isEmpty { _ = try DimensionBinding(model: modelDocument.model, user: c.freeDimensionOverrides) }
                state.settings = nil
                r.update(configuration: c)
                state.runtime.isStale = true
                state.message = StatusMessage("re-creating the session: " + SettingsPanel.summary(c) + glyphs.ellipsis)
            } catch {
                // The panel stays open on the bad row, so nothing typed is lost.
                state.message = StatusMessage(String(describing: error).escapedForDisplay, kind: .error)
            }
            return
        default:
            if onText { p.edit(key) }
        }
        state.settings = p
    }
}

/// Draws ``SettingsPanelState`` over the body.
struct SettingsPanel {
    let app: ExplorerApp
    let state: SettingsPanelState

    static func summary(_ c: SessionConfiguration) -> String {
        let ep = c.providers.first.map(\.description) ?? "CPU"
        let threads = c.intraOpThreads.map(String.init) ?? "auto"
        let dims = c.freeDimensionOverrides.isEmpty ? "" : ", dims " + c.freeDimensionOverrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(ep), threads \(threads), opt \(c.optimizationLevel.name), CPU fallback \(c.cpuFallback ? "on" : "off")" + dims
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let theme = app.theme
        let width = min(area.width - 4, 64), height = 12
        guard width > 20, area.height > height else { return }
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + 2, width: width, height: height)
        let footer = state.row.isText ? "type to edit  ↑/↓ row  Enter apply  Esc close" : "←/→ change  ↑/↓ row  Enter apply  Esc close"
        let inner = app.pane(Line("Live settings", style: theme[.title]), focused: true, in: rect, buffer: &buffer,
                             footer: Line(footer, style: theme[.textDim]))
        let values: [(String, String)] = [
            ("execution provider", state.providers[state.provider]),
            ("  its options", state.providers[state.provider] == "CPU" ? "(none)" : state.options.isEmpty ? "key=value,… (none)" : state.options),
            ("intra-op threads", state.threads == 0 ? "auto (cores − 1 while live)" : String(state.threads)),
            ("optimization", state.optimization.name),
            ("CPU fallback", state.cpuFallback ? "on" : "off (fail instead)"),
            ("dims", state.dims.isEmpty ? "NAME=VALUE … (as opened)" : state.dims),
        ]
        for (i, (k, v)) in values.enumerated() {
            let selected = i == state.row.rawValue
            let style = selected ? theme[.selection] : theme.base
            let row = SettingsPanelState.Row(rawValue: i)!
            let shown = row.isText ? (selected ? v + "▏" : v) : (selected ? "‹ " + v + " ›" : "  " + v)
            let line = " " + k.padding(toLength: 20, withPad: " ", startingAt: 0) + shown
            buffer.setString(line.padding(toLength: inner.width, withPad: " ", startingAt: 0), x: inner.x, y: inner.y + 1 + i, style: style, maxWidth: inner.width)
        }
        buffer.setString(" EPs this ORT has: " + state.providers.joined(separator: ", "), x: inner.x, y: inner.y + 8,
                         style: theme[.textDim], maxWidth: inner.width)
        buffer.setString(" dims are fixed in ORT and in the generated inputs", x: inner.x, y: inner.y + 9,
                         style: theme[.textDim], maxWidth: inner.width)
    }
}
