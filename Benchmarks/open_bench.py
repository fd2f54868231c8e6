"""Reference side of the open benchmark: Python `onnx.load` on the same file.

Prints one JSON line: median/min seconds over N loads and the process's peak RSS.
External data is loaded too (onnx.load's default), as a user of the Python tools would get it.
"""
import json, resource, statistics, sys, time
import onnx

path, repeat = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(repeat):
    t0 = time.perf_counter()
    m = onnx.load(path)
    times.append(time.perf_counter() - t0)
    del m
print(json.dumps({
    "tool": "onnx.load",
    "median_s": statistics.median(times),
    "min_s": min(times),
    "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
