// swift-tools-version:6.0
import PackageDescription

// Module split follows ../shared/DESIGN.md: format, graph, layout, runtime, terminal and app
// can each be read, tested and changed alone.
let package = Package(
    name: "onnxscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "onnxscope", targets: ["onnxscope"]),
        .executable(name: "onnxscope-bench", targets: ["onnxscope-bench"]),
        .executable(name: "onnxscope-livebench", targets: ["onnxscope-livebench"]),
        .executable(name: "onnxscope-togglebench", targets: ["onnxscope-togglebench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "OnnxModel"),
        .target(name: "OnnxGraph", dependencies: ["OnnxModel"]),
        .target(name: "ModelSamples", dependencies: ["OnnxModel"]),
        .target(name: "ModelReport", dependencies: ["OnnxModel", "OnnxGraph"]),
        .target(name: "GraphLayout"),
        .target(name: "OnnxRuntimeKit", dependencies: ["OnnxModel", "OnnxGraph"]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // PNG/JPEG decoding for image calibration folders (libpng, libjpeg from the system).
        .target(name: "CImageCodecs", linkerSettings: [.linkedLibrary("png"), .linkedLibrary("jpeg")]),
        .target(name: "Quantization", dependencies: ["OnnxModel", "OnnxGraph", "OnnxRuntimeKit", "CZlib", "CImageCodecs"]),
        .target(name: "Partition", dependencies: ["OnnxModel", "OnnxGraph"]),
        .target(name: "Workbench", dependencies: ["OnnxModel", "OnnxGraph", "OnnxRuntimeKit", "Quantization", "Partition"]),
        .target(name: "Terminal", dependencies: ["CNcurses"]),
        .target(name: "Explorer", dependencies: ["OnnxModel", "OnnxGraph", "GraphLayout", "OnnxRuntimeKit", "Workbench", "Terminal", "ModelReport", "Quantization", "Partition"]),
        .executableTarget(name: "onnxscope", dependencies: [
            "OnnxModel", "OnnxGraph", "OnnxRuntimeKit", "ModelSamples", "ModelReport", "Explorer", "Quantization", "Workbench", "Partition",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "onnxscope-bench", dependencies: ["OnnxModel", "OnnxGraph"], path: "Benchmarks/OpenBench"),
        .executableTarget(name: "onnxscope-livebench", dependencies: ["Workbench", "OnnxRuntimeKit"], path: "Benchmarks/LiveBench"),
        .executableTarget(name: "onnxscope-togglebench", dependencies: ["Workbench", "Quantization", "OnnxRuntimeKit", "OnnxModel"], path: "Benchmarks/ToggleBench"),
        .testTarget(name: "OnnxModelTests", dependencies: ["OnnxModel"]),
        .testTarget(name: "OnnxGraphTests", dependencies: ["OnnxGraph", "OnnxModel", "ModelSamples"]),
        .testTarget(name: "ModelReportTests", dependencies: ["ModelReport", "ModelSamples", "OnnxModel"]),
        .testTarget(name: "ModelSamplesTests", dependencies: ["ModelSamples", "OnnxModel"], exclude: ["python"]),
        .testTarget(name: "GraphLayoutTests", dependencies: ["GraphLayout"]),
        .testTarget(name: "OnnxRuntimeKitTests", dependencies: ["OnnxRuntimeKit", "OnnxModel"], exclude: ["python"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Partition", "Explorer", "Terminal", "ModelSamples", "OnnxModel", "OnnxGraph", "OnnxRuntimeKit", "Workbench", "Quantization"], exclude: ["Goldens"]),
        .testTarget(name: "RealModelTests", dependencies: ["OnnxGraph", "OnnxModel"]),
        .testTarget(name: "EndToEndTests", dependencies: ["OnnxModel", "ModelSamples"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "OnnxRuntimeKit", "OnnxModel", "OnnxGraph", "ModelSamples"]),
        .testTarget(name: "PartitionTests", dependencies: ["Partition", "OnnxGraph", "OnnxModel", "OnnxRuntimeKit", "ModelSamples", "Workbench"], exclude: ["python"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "OnnxRuntimeKit", "OnnxModel", "ModelSamples", "Quantization"]),
    ]
)
