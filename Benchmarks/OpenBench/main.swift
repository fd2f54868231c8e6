// onnxscope-bench: the Swift side of the side-by-side benchmarks (Benchmarks/run.sh).
// `open MODEL --repeat N`: time to map, decode and index a model the way the explorer
// opens it (no tensor bytes touched), and the process's peak RSS. Prints one JSON line.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OnnxGraph
import OnnxModel

func peakRSSKilobytes() -> Int {
    var u = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &u)
    #else
    getrusage(RUSAGE_SELF, &u)
    #endif
    return u.ru_maxrss
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

let args = CommandLine.arguments
guard args.count >= 3, args[1] == "open" else {
    FileHandle.standardError.write("usage: onnxscope-bench open MODEL [--repeat N]\n".data(using: .utf8)!)
    exit(2)
}
let path = args[2]
let repeatCount = args.firstIndex(of: "--repeat").flatMap { Int(args[$0 + 1]) } ?? 10
var times: [Double] = []
var nodes = 0
for _ in 0..<repeatCount {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let model = try Model.load(path: path)
    let index = GraphIndex(model: model)
    let facts = ShapeInference.infer(model, index: index)
    let t1 = DispatchTime.now().uptimeNanoseconds
    nodes = index.main.nodeCount
    precondition(!facts.scopes.isEmpty)
    times.append(Double(t1 - t0) / 1e9)
}
let out: [String: Any] = [
    "tool": "onnxscope", "median_s": median(times), "min_s": times.min() ?? 0,
    "peak_rss_kb": peakRSSKilobytes(), "nodes": nodes,
]
print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
