import Foundation

/// An `OrtValue` handle, released when the Swift object dies.
///
/// Values built from a ``HostTensor`` point straight at a Swift-owned, 64-byte aligned copy of
/// its bytes (ORT does not copy inputs); the buffer lives exactly as long as this object.
public final class OrtValue: @unchecked Sendable {
    let library: OrtLibrary
    let handle: OrtHandle
    private let buffer: UnsafeMutableRawPointer?

    init(library: OrtLibrary, handle: OrtHandle, buffer: UnsafeMutableRawPointer? = nil) {
        self.library = library
        self.handle = handle
        self.buffer = buffer
    }

    deinit {
        library.api.ReleaseValue(handle)
        buffer?.deallocate()
    }

    /// Wraps `tensor` as an ORT tensor value (numeric and bool: zero-copy over an owned buffer;
    /// string: copied into ORT's allocator, the only way ORT accepts strings).
    public convenience init(_ tensor: HostTensor, library: OrtLibrary) throws {
        let api = library.api
        let rank = tensor.shape.count
        var out: OrtHandle?
        if tensor.elementType == .string {
            guard tensor.strings.count == tensor.elementCount else {
                throw RuntimeError.invalidInput("string tensor has \(tensor.strings.count) elements but shape \(tensor.shape) needs \(tensor.elementCount)")
            }
            try tensor.shape.withUnsafeBufferPointer { shape in
                try api.check(api.CreateTensorAsOrtValue(library.allocator, shape.baseAddress, rank, TensorElementType.string.rawValue, &out),
                              "creating a string tensor")
            }
            let cstrings = tensor.strings.map { strdup($0) }
            defer { cstrings.forEach { free($0) } }
            let ptrs: [UnsafePointer<CChar>?] = cstrings.map { UnsafePointer($0) }
            do {
                try api.check(api.FillStringTensor(out, ptrs, ptrs.count), "filling a string tensor")
            } catch {
                api.ReleaseValue(out)
                throw error
            }
            self.init(library: library, handle: out!)
            return
        }
        let needed = tensor.elementType.byteCount(elements: tensor.elementCount)
        guard tensor.bytes.count == needed else {
            throw RuntimeError.invalidInput("\(tensor.elementType) tensor of shape \(tensor.shape) needs \(needed) bytes, got \(tensor.bytes.count)")
        }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(needed, 1), alignment: 64)
        tensor.bytes.withUnsafeBytes { if needed > 0 { buffer.copyMemory(from: $0.baseAddress!, byteCount: needed) } }
        do {
            try tensor.shape.withUnsafeBufferPointer { shape in
                try api.check(api.CreateTensorWithDataAsOrtValue(library.cpuMemoryInfo, buffer, needed, shape.baseAddress, rank,
                                                                 tensor.elementType.rawValue, &out),
                              "creating a \(tensor.elementType) tensor")
            }
        } catch {
            buffer.deallocate()
            throw error
        }
        self.init(library: library, handle: out!, buffer: buffer)
    }

    /// Element type and shape of a tensor value.
    public func typeAndShape() throws -> (TensorElementType, [Int64]) {
        let api = library.api
        var info: OrtHandle?
        try api.check(api.GetTensorTypeAndShape(handle, &info), "reading a tensor's shape")
        defer { api.ReleaseTensorTypeAndShapeInfo(info) }
        var type: Int32 = 0
        try api.check(api.GetTensorElementType(info, &type))
        var rank = 0
        try api.check(api.GetDimensionsCount(info, &rank))
        var dims = [Int64](repeating: 0, count: rank)
        try api.check(api.GetDimensions(info, &dims, rank))
        return (TensorElementType(rawValue: type) ?? .undefined, dims)
    }

    /// Calls `body` with the float32 elements of a tensor value where ORT keeps them (no copy;
    /// valid only during the call); nil when the value is not a float32 tensor.
    public func withFloats<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R? {
        guard try isTensor() else { return nil }
        let (type, shape) = try typeAndShape()
        guard type == .float else { return nil }
        let count = shape.reduce(1) { $0 * Int($1) }
        guard count > 0, let ptr = try tensorData() else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: ptr.assumingMemoryBound(to: Float.self), count: count))
    }

    /// The ONNX type code of the value (1: tensor, 2: sequence, 3: map…).
    private func onnxType() throws -> Int32 {
        var t: Int32 = 0
        try library.api.check(library.api.GetValueType(handle, &t), "reading an output's type")
        return t
    }

    private func isTensor() throws -> Bool { try onnxType() == 1 }

    /// Where ORT keeps a tensor's elements.
    private func tensorData() throws -> UnsafeMutableRawPointer? {
        var ptr: UnsafeMutableRawPointer?
        try library.api.check(library.api.GetTensorMutableData(handle, &ptr), "reading tensor data")
        return ptr
    }

    /// Copies the value out into a ``HostTensor``. Only tensors are supported: sequences and
    /// maps (rare in the models onnxscope targets) are reported as unsupported.
    public func toHostTensor() throws -> HostTensor {
        let api = library.api
        let onnxType = try onnxType()
        guard onnxType == 1 else {
            throw RuntimeError.unsupported("output is an ONNX \(["unknown", "tensor", "sequence", "map", "opaque", "sparse tensor", "optional"][Int(min(max(onnxType, 0), 6))]), only tensors can be read")
        }
        let (type, shape) = try typeAndShape()
        let count = shape.reduce(1) { $0 * Int($1) }
        if type == .string {
            var total = 0
            try api.check(api.GetStringTensorDataLength(handle, &total))
            var data = [UInt8](repeating: 0, count: max(total, 1))
            var offsets = [Int](repeating: 0, count: max(count, 1))
            try data.withUnsafeMutableBytes { d in
                try api.check(api.GetStringTensorContent(handle, d.baseAddress, total, &offsets, count), "reading strings")
            }
            var strings: [String] = []
            strings.reserveCapacity(count)
            for i in 0..<count {
                let start = offsets[i]
                let end = i + 1 < count ? offsets[i + 1] : total
                strings.append(String(decoding: data[start..<end], as: UTF8.self))
            }
            return HostTensor(strings: strings, shape: shape)
        }
        let ptr = try tensorData()
        let n = type.byteCount(elements: count)
        let bytes = n == 0 || ptr == nil ? [] : Array(UnsafeRawBufferPointer(start: ptr, count: n))
        return HostTensor(elementType: type, shape: shape, bytes: bytes)
    }
}
