import Foundation
import OnnxModel

/// Reading and writing NumPy `.npy` files (format versions 1.0, 2.0 and 3.0), our own code.
///
/// Layout: magic `\x93NUMPY`, major and minor version bytes, a little-endian header length
/// (2 bytes in v1, 4 bytes in v2/v3), then a Python dict literal with `descr`, `fortran_order`
/// and `shape`, padded with spaces to a 64-byte boundary and ended by `\n`; then the raw data.
/// v3 only differs from v2 by allowing UTF-8 in the header.
public enum NpyFile {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Reads a `.npy` file.
    public static func read(path: String) throws -> HostTensor {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuntimeError.invalidInput("cannot read \(path)")
        }
        do { return try decode([UInt8](data)) } catch let RuntimeError.invalidInput(msg) {
            throw RuntimeError.invalidInput("\(path): \(msg)")
        }
    }

    /// Writes `tensor` as a `.npy` file (version 1.0 unless the header needs more room),
    /// atomically: a reader sees the old file or the whole new one.
    public static func write(_ tensor: HostTensor, path: String) throws {
        try AtomicFile.write(try encode(tensor), to: path)
    }

    /// Parses `.npy` bytes.
    public static func decode(_ b: [UInt8]) throws -> HostTensor {
        guard b.count >= 10, Array(b[0..<6]) == magic else { throw RuntimeError.invalidInput("not a .npy file (bad magic)") }
        let major = b[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            headerStart = 10
        case 2, 3:
            guard b.count >= 12 else { throw RuntimeError.invalidInput("truncated .npy header") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            headerStart = 12
        default:
            throw RuntimeError.invalidInput("unsupported .npy version \(major).\(b[7])")
        }
        guard headerStart + headerLength <= b.count else { throw RuntimeError.invalidInput("truncated .npy header") }
        let header = String(decoding: b[headerStart..<headerStart + headerLength], as: UTF8.self)
        let dict = try parseHeader(header)
        guard let descr = dict["descr"] else { throw RuntimeError.invalidInput("npy header has no descr") }
        let fortran = (dict["fortran_order"] ?? "False") == "True"
        let shape = try parseShape(dict["shape"] ?? "()")
        let count = shape.reduce(1) { $0 * Int($1) }
        let dataStart = headerStart + headerLength
        let payload = Array(b[dataStart...])

        // Strings: numpy's fixed-width unicode ('<U n', UTF-32) or bytes ('|S n').
        if let (kind, width) = stringDescr(descr) {
            let itemSize = kind == "U" ? width * 4 : width
            guard payload.count >= count * itemSize else { throw RuntimeError.invalidInput("npy data is shorter than its shape") }
            var strings: [String] = []
            strings.reserveCapacity(count)
            for i in 0..<count {
                let item = payload[i * itemSize..<(i + 1) * itemSize]
                if kind == "U" {
                    var scalars = String.UnicodeScalarView()
                    var j = item.startIndex
                    while j < item.endIndex {
                        let v = UInt32(item[j]) | UInt32(item[j + 1]) << 8 | UInt32(item[j + 2]) << 16 | UInt32(item[j + 3]) << 24
                        if v == 0 { break }
                        if let s = Unicode.Scalar(v) { scalars.append(s) }
                        j += 4
                    }
                    strings.append(String(scalars))
                } else {
                    strings.append(String(decoding: item.prefix { $0 != 0 }, as: UTF8.self))
                }
            }
            if fortran { strings = fortranToC(strings, shape: shape) }
            return HostTensor(strings: strings, shape: shape)
        }
        guard let (type, bigEndian) = elementType(descr) else {
            throw RuntimeError.invalidInput("unsupported npy dtype '\(descr)' (object arrays need pickle, which onnxscope does not read)")
        }
        let itemSize = type.bitWidth / 8
        let n = count * itemSize
        guard payload.count >= n else { throw RuntimeError.invalidInput("npy data has \(payload.count) bytes, shape \(shape) of \(descr) needs \(n)") }
        var bytes = Array(payload[0..<n])
        if bigEndian && itemSize > 1 {
            let swapUnit = (type == .complex64 || type == .complex128) ? itemSize / 2 : itemSize
            for i in stride(from: 0, to: n, by: swapUnit) { bytes[i..<i + swapUnit].reverse() }
        }
        if fortran && shape.count > 1 {
            let items = (0..<count).map { Array(bytes[$0 * itemSize..<($0 + 1) * itemSize]) }
            bytes = fortranToC(items, shape: shape).flatMap { $0 }
        }
        return HostTensor(elementType: type, shape: shape, bytes: bytes)
    }

    /// Serializes a tensor to `.npy` bytes. Types numpy lacks are stored by bit pattern:
    /// bfloat16 as `<u2`, float8 variants as `|u1` (numpy reads them, ml_dtypes can `view` them).
    public static func encode(_ t: HostTensor) throws -> [UInt8] {
        let descr: String
        var payload: [UInt8]
        if t.elementType == .string {
            let width = max(1, t.strings.map { $0.unicodeScalars.count }.max() ?? 1)
            descr = "<U\(width)"
            payload = []
            payload.reserveCapacity(t.strings.count * width * 4)
            for s in t.strings {
                var k = 0
                for sc in s.unicodeScalars {
                    let v = sc.value
                    payload += [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)]
                    k += 1
                }
                payload += [UInt8](repeating: 0, count: (width - k) * 4)
            }
        } else {
            guard let d = descrFor(t.elementType) else {
                throw RuntimeError.unsupported("cannot store \(t.elementType) tensors in .npy")
            }
            descr = d
            payload = t.bytes
        }
        let shapeText: String
        switch t.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(t.shape[0]),)"
        default: shapeText = "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // Pad so that magic + version + length + header is a multiple of 64, header ends in \n.
        var major: UInt8 = 1
        var prefix = 10
        if dict.utf8.count + 1 + prefix > 65535 { major = 2; prefix = 12 }
        let total = prefix + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - total % 64) % 64) + "\n"
        var out = magic + [major, 0]
        let hl = dict.utf8.count
        if major == 1 { out += [UInt8(hl & 0xff), UInt8(hl >> 8)] } else {
            out += [UInt8(hl & 0xff), UInt8(hl >> 8 & 0xff), UInt8(hl >> 16 & 0xff), UInt8(hl >> 24)]
        }
        out += Array(dict.utf8)
        out += payload
        return out
    }

    static func descrFor(_ t: TensorElementType) -> String? {
        switch t {
        case .float: "<f4"
        case .double: "<f8"
        case .float16: "<f2"
        case .int8: "|i1"
        case .uint8: "|u1"
        case .int16: "<i2"
        case .uint16, .bfloat16: "<u2"
        case .int32: "<i4"
        case .uint32: "<u4"
        case .int64: "<i8"
        case .uint64: "<u8"
        case .bool: "|b1"
        case .complex64: "<c8"
        case .complex128: "<c16"
        case .float8e4m3fn, .float8e4m3fnuz, .float8e5m2, .float8e5m2fnuz, .float8e8m0: "|u1"
        default: nil
        }
    }

    /// Maps a numpy `descr` to an element type and whether its data is big-endian.
    static func elementType(_ descr: String) -> (TensorElementType, Bool)? {
        guard let first = descr.first else { return nil }
        let big = first == ">"
        let body = "<>|=".contains(first) ? String(descr.dropFirst()) : descr
        let map: [String: TensorElementType] = [
            "f4": .float, "f8": .double, "f2": .float16, "i1": .int8, "u1": .uint8, "i2": .int16, "u2": .uint16,
            "i4": .int32, "u4": .uint32, "i8": .int64, "u8": .uint64, "b1": .bool, "c8": .complex64, "c16": .complex128,
        ]
        return map[body].map { ($0, big) }
    }

    static func stringDescr(_ descr: String) -> (Character, Int)? {
        var body = Substring(descr)
        if let f = body.first, "<>|=".contains(f) { body = body.dropFirst() }
        guard let kind = body.first, kind == "U" || kind == "S", let width = Int(body.dropFirst()) else { return nil }
        return (kind, width)
    }

    /// Splits the header dict literal into key → value text. Only the three keys numpy writes
    /// matter, and their values never contain a top-level comma outside parentheses.
    static func parseHeader(_ h: String) throws -> [String: String] {
        var s = h.trimmingCharacters(in: .whitespacesAndNewlines)
        guard s.hasPrefix("{"), s.hasSuffix("}") else { throw RuntimeError.invalidInput("bad npy header: \(h)") }
        s = String(s.dropFirst().dropLast())
        var result: [String: String] = [:]
        var depth = 0
        var current = ""
        var parts: [String] = []
        for c in s {
            if c == "(" || c == "[" { depth += 1 }
            if c == ")" || c == "]" { depth -= 1 }
            if c == "," && depth == 0 { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        for p in parts {
            let kv = p.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { continue }
            let key = kv[0].trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
            let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: " '\""))
            result[key] = value
        }
        return result
    }

    static func parseShape(_ s: String) throws -> [Int64] {
        let inner = s.trimmingCharacters(in: CharacterSet(charactersIn: " ()[]"))
        if inner.isEmpty { return [] }
        return try inner.split(separator: ",").compactMap { part in
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { return nil }
            guard let v = Int64(t) else { throw RuntimeError.invalidInput("bad npy shape \(s)") }
            return v
        }
    }

    /// Reorders elements stored in Fortran (column-major) order into C order.
    static func fortranToC<T>(_ items: [T], shape: [Int64]) -> [T] {
        let dims = shape.map { Int($0) }
        guard dims.count > 1, !items.isEmpty else { return items }
        var fStrides = [Int](repeating: 1, count: dims.count)
        for i in 1..<dims.count { fStrides[i] = fStrides[i - 1] * dims[i - 1] }
        var result: [T] = []
        result.reserveCapacity(items.count)
        var index = [Int](repeating: 0, count: dims.count)
        for _ in 0..<items.count {
            var off = 0
            for d in 0..<dims.count { off += index[d] * fStrides[d] }
            result.append(items[off])
            var d = dims.count - 1
            while d >= 0 {
                index[d] += 1
                if index[d] < dims[d] { break }
                index[d] = 0
                d -= 1
            }
        }
        return result
    }
}
