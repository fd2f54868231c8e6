import CZlib
import Foundation
import OnnxRuntimeKit

/// A NumPy `.npz` file: a zip archive of `.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`), zip64 included. Member names without `.npy` are the keys.
public enum NpzArchive {
    public struct FormatError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): not a readable .npz (\(reason))" }
    }

    /// Every array in the file, by key.
    public static func read(path: String) throws -> [String: HostTensor] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FormatError(path: path, reason: "cannot read the file")
        }
        return try decode([UInt8](data), path: path)
    }

    public static func decode(_ b: [UInt8], path: String = "<bytes>") throws -> [String: HostTensor] {
        func fail(_ r: String) -> FormatError { FormatError(path: path, reason: r) }
        func u16(_ o: Int) throws -> Int {
            guard o >= 0, o + 2 <= b.count else { throw fail("truncated at byte \(o)") }
            return Int(b[o]) | Int(b[o + 1]) << 8
        }
        func u32(_ o: Int) throws -> Int { try u16(o) | (try u16(o + 2)) << 16 }
        func u64(_ o: Int) throws -> Int {
            let lo = try u32(o), hi = try u32(o + 4)
            guard hi < 1 << 30 else { throw fail("size too large") }
            return lo | hi << 32
        }
        // End of central directory: the last `PK\5\6` within the final 64 KiB + 22 bytes.
        guard b.count >= 22 else { throw fail("too short for a zip archive") }
        var eocd = -1
        var i = b.count - 22
        while i >= max(0, b.count - 22 - 65_535) {
            if b[i] == 0x50, b[i + 1] == 0x4B, b[i + 2] == 5, b[i + 3] == 6 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw fail("no zip end-of-directory record") }
        var entries = try u16(eocd + 10)
        var dirOffset = try u32(eocd + 16)
        if dirOffset == 0xFFFF_FFFF || entries == 0xFFFF {
            // Zip64 end-of-directory locator sits just before the classic record.
            let loc = eocd - 20
            guard loc >= 0, try u32(loc) == 0x0706_4B50 else { throw fail("zip64 locator missing") }
            let rec = try u64(loc + 8)
            guard try u32(rec) == 0x0606_4B50 else { throw fail("zip64 end record missing") }
            entries = try u64(rec + 32)
            dirOffset = try u64(rec + 48)
        }
        var result: [String: HostTensor] = [:]
        var p = dirOffset
        for _ in 0..<entries {
            guard try u32(p) == 0x0201_4B50 else { throw fail("bad central directory entry at byte \(p)") }
            let method = try u16(p + 10)
            var compressed = try u32(p + 20), size = try u32(p + 24)
            let nameLength = try u16(p + 28), extraLength = try u16(p + 30), commentLength = try u16(p + 32)
            var local = try u32(p + 42)
            guard p + 46 + nameLength <= b.count else { throw fail("truncated member name") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // Zip64 extra field (id 1): the 0xFFFFFFFF fields, in order size, compressed, offset.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = try u16(e), len = try u16(e + 2)
                if id == 1 {
                    var f = e + 4
                    if size == 0xFFFF_FFFF { size = try u64(f); f += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = try u64(f); f += 8 }
                    if local == 0xFFFF_FFFF { local = try u64(f) }
                }
                e += 4 + len
            }
            p = extraEnd + commentLength
            guard try u32(local) == 0x0403_4B50 else { throw fail("bad local header for \(name)") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + compressed <= b.count else { throw fail("member \(name) is truncated") }
            let stored = Array(b[start..<(start + compressed)])
            let bytes: [UInt8]
            switch method {
            case 0: bytes = stored
            case 8: bytes = try inflate(stored, expected: size, name: name, fail: fail)
            default: throw fail("member \(name) uses compression method \(method) (only stored and deflate are read)")
            }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            do { result[key] = try NpyFile.decode(bytes) } catch { throw fail("member \(name): \(error)") }
        }
        return result
    }

    static func inflate(_ input: [UInt8], expected: Int, name: String, fail: (String) -> FormatError) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expected)
        var stream = z_stream()
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inp in
            out.withUnsafeMutableBufferPointer { o in
                stream.next_in = inp.baseAddress
                stream.avail_in = uInt(inp.count)
                stream.next_out = o.baseAddress
                stream.avail_out = uInt(o.count)
                // Raw deflate (negative window bits): zip members carry no zlib header.
                guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return Z_MEM_ERROR }
                defer { inflateEnd(&stream) }
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else {
            throw fail("member \(name) does not inflate (zlib status \(status))")
        }
        return out
    }
}
