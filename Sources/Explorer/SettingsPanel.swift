import OnnxRuntimeKit
import Terminal

/// The live run's settings as an editable panel (`o`): execution provider (from those the
/// loaded ORT has), intra-op threads, optimization level, CPU fallback. ↑/↓ picks a row, ←/→
/// (or Space) changes it, Enter applies (the session is re-created in the background while the
/// old figures stay, marked stale), Esc closes without applying. The palette's `ep`,
/// `threads`, `opt` and `fallback` commands do the same one at a time.
public struct SettingsPanelState: Sendable, Equatable {
    public enum Row: Int, CaseIterable, Sendable { case provider, threads, optimization, fallback }
    public var row: Row = .provider
    /// Choices for the provider row: "CPU" first, then the other EPs ORT lists.
    public var providers: [String]
    public var provider: Int
    public var threads: Int
    public var optimization: GraphOptimizationLevel
    public var cpuFallback: Bool

    /// The panel for `configuration`, with `available` (ORT's `GetAvailableProviders` names).
    public init(configuration c: SessionConfiguration, available: [String]) {
        let names = ["CPU"] + available.map { ExecutionProviderSpec.canonicalName($0) }.filter { $0 != "CPU" }
        providers = names
        let current = c.providers.first?.name ?? "CPU"
        provider = names.firstIndex(of: current) ?? 0
        threads = c.intraOpThreads ?? 0
        optimization = c.optimizationLevel
        cpuFallback = c.cpuFallback
    }

    /// `configuration` with the panel's choices (the chosen EP keeps its options if it was
    /// already the first one).
    public func applied(to configuration: SessionConfiguration) -> SessionConfiguration {
        var c = configuration
        let name = providers[provider]
        if name == "CPU" { c.providers = [] }
        else if c.providers.first?.name != name { c.providers = [ExecutionProviderSpec(name: name)] }
        c.intraOpThreads = threads == 0 ? nil : threads
        c.optimizationLevel = optimization
        c.cpuFallback = cpuFallback
        return c
    }

    /// ←/→ on the current row.
    public mutating func change(by step: Int) {
        switch row {
        case .provider: provider = (provider + step + providers.count) % providers.count
        case .threads: threads = max(0, min(64, threads + step))
        case .optimization:
            let all = GraphOptimizationLevel.allCases
            let i = all.firstIndex(of: optimization) ?? 0
            optimization = all[(i + step + all.count) % all.count]
        case .fallback: cpuFallback.toggle()
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
        switch key {
        case .escape, .char("q"), .char("o"): state.settings = nil; return
        case .up, .char("k"): p.row = SettingsPanelState.Row(rawValue: max(0, p.row.rawValue - 1))!
        case .down, .char("j"), .tab: p.row = SettingsPanelState.Row(rawValue: min(SettingsPanelState.Row.allCases.count - 1, p.row.rawValue + 1))!
        case .left, .char("h"): p.change(by: -1)
        case .right, .char("l"), .char(" "): p.change(by: 1)
        case .enter:
            state.settings = nil
            guard let r = liveRuntime else { return }
            let c = p.applied(to: r.configuration)
            r.update(configuration: c)
            state.runtime.isStale = true
            state.message = StatusMessage("re-creating the session: " + SettingsPanel.summary(c) + glyphs.ellipsis)
            return
        default: break
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
        return "\(ep), threads \(threads), opt \(c.optimizationLevel), CPU fallback \(c.cpuFallback ? "on" : "off")"
    }

    func render(in area: Rect, buffer: inout Buffer) {
        let theme = app.theme
        let width = min(area.width - 4, 58), height = 10
        guard width > 20, area.height > height else { return }
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + 2, width: width, height: height)
        let inner = app.pane(Line("Live settings", style: theme[.title]), focused: true, in: rect, buffer: &buffer,
                             footer: Line("←/→ change  Enter apply  Esc close", style: theme[.textDim]))
        let values: [(String, String)] = [
            ("execution provider", state.providers[state.provider]),
            ("intra-op threads", state.threads == 0 ? "auto (cores − 1 while live)" : String(state.threads)),
            ("optimization", "\(state.optimization)"),
            ("CPU fallback", state.cpuFallback ? "on" : "off (fail instead)"),
        ]
        for (i, (k, v)) in values.enumerated() {
            let selected = i == state.row.rawValue
            let style = selected ? theme[.selection] : theme.base
            let line = " " + k.padding(toLength: 20, withPad: " ", startingAt: 0) + (selected ? "‹ " : "  ") + v + (selected ? " ›" : "")
            buffer.setString(line.padding(toLength: inner.width, withPad: " ", startingAt: 0), x: inner.x, y: inner.y + 1 + i, style: style, maxWidth: inner.width)
        }
        buffer.setString(" EPs this ORT has: " + state.providers.joined(separator: ", "), x: inner.x, y: inner.y + 6,
                         style: theme[.textDim], maxWidth: inner.width)
    }
}
