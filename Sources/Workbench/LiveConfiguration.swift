import Foundation
import OnnxModel
import OnnxRuntimeKit

/// The configuration a live session really uses, and its one-line description.
public enum LiveConfiguration {
    /// `configuration` with the live runner's thread policy: when it leaves intra-op threads to
    /// ORT, the live session uses max(1, cores − 1), because ORT's choice (one per physical core)
    /// would take the core the explorer keeps for drawing and reading keys, and a starved UI
    /// thread shows as stutter while the model's own numbers barely change.
    public static func effective(_ configuration: SessionConfiguration,
                                 cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> SessionConfiguration {
        var c = configuration
        if c.intraOpThreads == nil || c.intraOpThreads == 0 { c.intraOpThreads = max(1, cores - 1) }
        return c
    }

    /// `ORT 1.32.0 · OpenVINO:device_type=CPU, CPU · 1 intra-op thread · opt all · CPU fallback ·
    /// batch=1` — what the figures were measured with. `chosenThreads` says the thread count is
    /// the live runner's default, not the user's.
    static func settingsLine(_ c: SessionConfiguration, library: OrtLibrary, chosenThreads: Bool) -> String {
        var providers = c.providers.map(\.description)
        if !c.providers.contains(where: \.isCPU) && c.cpuFallback { providers.append("CPU") }
        let threads = c.intraOpThreads ?? 0
        var parts = ["ORT \(library.version)", providers.joined(separator: ", "),
                     "\(threads) intra-op thread\(threads == 1 ? "" : "s")\(chosenThreads ? " (cores − 1)" : "")",
                     "opt \(c.optimizationLevel)", c.cpuFallback ? "CPU fallback" : "no CPU fallback"]
        if !c.freeDimensionOverrides.isEmpty {
            parts.append(c.freeDimensionOverrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return parts.joined(separator: " · ").escapedForDisplay
    }
}
