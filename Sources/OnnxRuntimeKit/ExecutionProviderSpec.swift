/// One execution provider to append to a session, with its options, as written on the command
/// line: `openvino:device_type=CPU,precision=FP32`, `xnnpack`, `cpu`.
public struct ExecutionProviderSpec: Sendable, Equatable, CustomStringConvertible {
    /// The name ORT's generic `SessionOptionsAppendExecutionProvider` expects ("OpenVINO",
    /// "XNNPACK", "QNN", ...), or "CPU".
    public var name: String
    /// Provider options, in the order given.
    public var options: [(key: String, value: String)]

    public init(name: String, options: [(key: String, value: String)] = []) {
        self.name = ExecutionProviderSpec.canonicalName(name)
        self.options = options
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.options.map { "\($0.key)=\($0.value)" } == b.options.map { "\($0.key)=\($0.value)" }
    }

    /// Parses `NAME[:k=v,k=v]`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first, !first.isEmpty else {
            throw RuntimeError.invalidInput("empty --ep value; expected NAME[:key=value,...], e.g. openvino:device_type=CPU")
        }
        var options: [(key: String, value: String)] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard kv.count == 2, !kv[0].isEmpty else {
                    throw RuntimeError.invalidInput("bad provider option '\(pair)' in --ep \(text); expected key=value")
                }
                options.append((kv[0], kv[1]))
            }
        }
        self.init(name: first, options: options)
    }

    /// Maps user spellings (`openvino`, `OpenVINOExecutionProvider`) to the names ORT's generic
    /// append function knows. Unknown names pass through so ORT can say it does not know them.
    public static func canonicalName(_ raw: String) -> String {
        var n = raw
        if n.hasSuffix("ExecutionProvider") { n.removeLast("ExecutionProvider".count) }
        let known = ["cpu": "CPU", "openvino": "OpenVINO", "xnnpack": "XNNPACK", "qnn": "QNN", "snpe": "SNPE",
                     "coreml": "CoreML", "webgpu": "WebGPU", "webnn": "WebNN", "dml": "DML", "vitisai": "VitisAI",
                     "azure": "AZURE", "js": "JS", "nvtensorrtrtx": "NvTensorRtRtx"]
        return known[n.lowercased()] ?? n
    }

    /// The provider name as ORT reports it in profiles and assignment info.
    public var providerName: String { name + "ExecutionProvider" }

    /// True for ORT's always-present CPU provider, which is never appended explicitly.
    public var isCPU: Bool { name == "CPU" }

    public var description: String {
        options.isEmpty ? name : name + ":" + options.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
