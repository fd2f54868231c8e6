import Foundation

extension Model {
    /// Shared cache of mapped external-data files; one per process is enough because entries
    /// are keyed by their resolved absolute path.
    static let externalFiles = ExternalFiles()

    /// The tensor's data as contiguous little-endian bytes in ONNX raw_data layout.
    ///
    /// `raw_data` and external data come back without copying; typed fields (`float_data`,
    /// `int64_data`, ...) are converted. Lengths are checked against the dims.
    public func tensorData(_ t: Tensor) throws -> ByteSlice {
        try Model.tensorData(t, baseDirectory: baseDirectory)
    }

    public static func tensorData(_ t: Tensor, baseDirectory: String?) throws -> ByteSlice {
        guard let count = t.elementCount else {
            throw TensorDataError(tensor: t.name, reason: "dims \(t.dims) are negative or overflow")
        }
        if t.dataType == .string {
            throw TensorDataError(tensor: t.name, reason: "string tensors have no raw byte form")
        }
        guard let expected = t.dataType.byteCount(elements: count) else {
            throw TensorDataError(tensor: t.name, reason: "unsupported data type \(t.dataType.rawValue)")
        }
        if t.isExternal {
            let ref = try ExternalDataReference(t)
            guard let base = baseDirectory else {
                throw TensorDataError(tensor: t.name, reason: "external data but the model was not loaded from a file")
            }
            let path = try ref.resolvedPath(in: base, tensor: t.name)
            let storage: ByteStorage
            do { storage = try externalFiles.storage(for: path) } catch let e as FileError {
                throw TensorDataError(tensor: t.name, reason: e.description)
            }
            let length = ref.length ?? Int64(expected)
            guard length == Int64(expected) else {
                throw TensorDataError(tensor: t.name, reason: "external data length \(length) but dims \(t.dims) of \(t.dataType) need \(expected) bytes")
            }
            guard ref.offset <= Int64(storage.count), length <= Int64(storage.count) - ref.offset else {
                throw TensorDataError(tensor: t.name, reason: "external data \(ref.location.escapedForDisplay) offset \(ref.offset) + length \(length) is past its end (\(storage.count) bytes)")
            }
            return ByteSlice(storage: storage, offset: Int(ref.offset), count: Int(length))
        }
        if let raw = t.rawData {
            guard raw.count == expected else {
                throw TensorDataError(tensor: t.name, reason: "raw_data has \(raw.count) bytes but dims \(t.dims) of \(t.dataType) need \(expected)")
            }
            return raw
        }
        let bytes = try typedFieldBytes(t, count: count)
        guard bytes.count == expected else {
            throw TensorDataError(tensor: t.name, reason: "typed data has \(bytes.count) bytes but dims \(t.dims) of \(t.dataType) need \(expected)")
        }
        return ByteSlice(bytes)
    }

    /// Converts the typed storage fields to raw_data layout, following onnx.proto's rules for
    /// which field holds which type (e.g. float16 bit patterns and bools live in int32_data).
    static func typedFieldBytes(_ t: Tensor, count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        switch t.dataType {
        case .float, .complex64:
            try t.floatData.forEachRaw { put(UInt32(truncatingIfNeeded: $0)) }
        case .double, .complex128:
            try t.doubleData.forEachRaw { put($0) }
        case .int64:
            try t.int64Data.forEachRaw { put($0) }
        case .uint32, .uint64:
            let is64 = t.dataType == .uint64
            try t.uint64Data.forEachRaw { is64 ? put($0) : put(UInt32(truncatingIfNeeded: $0)) }
        case .int32:
            try t.int32Data.forEachRaw { put(UInt32(truncatingIfNeeded: $0)) }
        case .int16, .uint16, .float16, .bfloat16:
            try t.int32Data.forEachRaw { put(UInt16(truncatingIfNeeded: $0)) }
        case .int8, .uint8, .bool, .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0:
            try t.int32Data.forEachRaw { out.append(UInt8(truncatingIfNeeded: $0)) }
        case .int4, .uint4, .float4e2m1, .int2, .uint2, .float6e2m3, .float6e3m2:
            // Sub-byte types are already packed, one int32 per storage byte.
            try t.int32Data.forEachRaw { out.append(UInt8(truncatingIfNeeded: $0)) }
        default:
            throw TensorDataError(tensor: t.name, reason: "unsupported data type \(t.dataType.rawValue)")
        }
        return out
    }

    /// The tensor's values converted to Double (for statistics and display). Integer and
    /// floating types, including float16 and bfloat16, are supported.
    public func tensorValues(_ t: Tensor, limit: Int = .max) throws -> [Double] {
        try Model.values(of: tensorData(t), type: t.dataType, name: t.name, limit: limit)
    }

    public static func values(of data: ByteSlice, type: DataType, name: String, limit: Int = .max) throws -> [Double] {
        try data.withUnsafeBytes { b -> [Double] in
            func read<T>(_: T.Type, _ conv: (T) -> Double) -> [Double] {
                let n = min(b.count / MemoryLayout<T>.size, limit)
                var out = [Double](); out.reserveCapacity(n)
                for i in 0..<n { out.append(conv(b.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))) }
                return out
            }
            switch type {
            case .float: return read(UInt32.self) { Double(Float(bitPattern: UInt32(littleEndian: $0))) }
            case .double: return read(UInt64.self) { Double(bitPattern: UInt64(littleEndian: $0)) }
            case .float16: return read(UInt16.self) { Double(halfToFloat(UInt16(littleEndian: $0))) }
            case .bfloat16: return read(UInt16.self) { Double(Float(bitPattern: UInt32(UInt16(littleEndian: $0)) << 16)) }
            case .int8: return read(Int8.self) { Double($0) }
            case .uint8, .bool: return read(UInt8.self) { Double($0) }
            case .int16: return read(Int16.self) { Double(Int16(littleEndian: $0)) }
            case .uint16: return read(UInt16.self) { Double(UInt16(littleEndian: $0)) }
            case .int32: return read(Int32.self) { Double(Int32(littleEndian: $0)) }
            case .uint32: return read(UInt32.self) { Double(UInt32(littleEndian: $0)) }
            case .int64: return read(Int64.self) { Double(Int64(littleEndian: $0)) }
            case .uint64: return read(UInt64.self) { Double(UInt64(littleEndian: $0)) }
            default: throw TensorDataError(tensor: name, reason: "cannot show values of \(type) tensors")
            }
        }
    }
}

/// IEEE 754 half → single precision, including subnormals, infinities and NaN.
public func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exp = Int((h >> 10) & 0x1f)
    let mant = UInt32(h & 0x3ff)
    if exp == 0 {
        if mant == 0 { return Float(bitPattern: sign) }
        let v = Float(mant) / 1024 / 16384
        return sign != 0 ? -v : v
    }
    if exp == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mant << 13)) }
    return Float(bitPattern: sign | UInt32(exp - 15 + 127) << 23 | (mant << 13))
}

/// Single → half precision with round-to-nearest-even (used by builders writing float16 data).
public func floatToHalf(_ f: Float) -> UInt16 {
    let x = f.bitPattern
    let sign = UInt16((x >> 16) & 0x8000)
    let exp = Int((x >> 23) & 0xff)
    var mant = x & 0x7f_ffff
    if exp == 255 { return sign | 0x7c00 | (mant != 0 ? 0x200 : 0) }
    var e = exp - 127 + 15
    if e >= 31 { return sign | 0x7c00 }
    if e <= 0 {
        if e < -10 { return sign }
        mant |= 0x80_0000
        let shift = UInt32(14 - e)
        var h = mant >> shift
        let rem = mant & ((1 << shift) - 1), half = UInt32(1) << (shift - 1)
        if rem > half || (rem == half && (h & 1) == 1) { h += 1 }
        return sign | UInt16(h)
    }
    var h = UInt32(e) << 10 | (mant >> 13)
    let rem = mant & 0x1fff
    if rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1) { h += 1 }
    e = 0
    return sign | UInt16(truncatingIfNeeded: h)
}
