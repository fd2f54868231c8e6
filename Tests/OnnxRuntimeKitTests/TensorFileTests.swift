import Foundation
import XCTest
import OnnxModel
@testable import OnnxRuntimeKit

/// `.npy` and TensorProto files, checked against numpy and onnx (not against ourselves).
final class TensorFileTests: XCTestCase {
    func testNpyWrittenByUsIsReadExactlyByNumpy() throws {
        try RT.requirePython()
        let dir = RT.tempDir("npy-ours")
        let f32 = (0..<6).map { Float($0) / 4 }
        let tensors: [String: HostTensor] = [
            "f32": HostTensor(f32, shape: [2, 3]),
            "f64": HostTensor((0..<6).map { Double($0) * -1.5 }, shape: [3, 2]),
            "f16": HostTensor([0.5, -2.0, 65504.0].map { floatToHalfBits($0) }, shape: [3]).retyped(.float16),
            "i8": HostTensor([Int8.min, 0, 127], shape: [3]),
            "u8": HostTensor([UInt8(0), 1, 255], shape: [3]),
            "i16": HostTensor([Int16.min, 7, Int16.max], shape: [3]),
            "u16": HostTensor([UInt16(0), 65535], shape: [2]),
            "i32": HostTensor([Int32(-1), 2, 3, -4], shape: [2, 2]),
            "u32": HostTensor([UInt32.max], shape: [1]),
            "i64": HostTensor([Int64.min, Int64.max], shape: [2]),
            "u64": HostTensor([UInt64.max], shape: [1]),
            "b": HostTensor(bools: [true, false, true], shape: [3]),
            "scalar": HostTensor([Float(3.25)], shape: []),
            "s": HostTensor(strings: ["ab", "čšž", "", "x"], shape: [2, 2]),
        ]
        for (k, t) in tensors { try NpyFile.write(t, path: "\(dir)/ours_\(k).npy") }
        let (status, out) = try RT.run(RT.python, [RT.scripts + "/npy_interop.py", "verify", dir])
        XCTAssertEqual(status, 0, out)
        // And our reader gets back what we wrote.
        for (k, t) in tensors { XCTAssertEqual(try NpyFile.read(path: "\(dir)/ours_\(k).npy"), t, k) }
    }

    func testNpyWrittenByNumpyIsReadExactly() throws {
        try RT.requirePython()
        let dir = RT.tempDir("npy-numpy")
        let (status, out) = try RT.run(RT.python, [RT.scripts + "/npy_interop.py", "write", dir])
        XCTAssertEqual(status, 0, out)
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_f32.npy"), HostTensor((0..<6).map { Float($0) / 4 }, shape: [2, 3]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_i64.npy"), HostTensor([Int64.min, Int64.max], shape: [2]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_b.npy"), HostTensor(bools: [true, false, true], shape: [3]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_scalar.npy"), HostTensor([Float(3.25)], shape: []))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_s.npy"), HostTensor(strings: ["ab", "čšž", "", "x"], shape: [2, 2]))
        let f16 = try NpyFile.read(path: dir + "/np_f16.npy")
        XCTAssertEqual(f16.elementType, .float16)
        XCTAssertEqual(f16.doubles(), [0.5, -2.0, 65504.0])
        // Fortran order comes back in C order; big-endian comes back little-endian.
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_fortran.npy"), HostTensor((0..<24).map { Int32($0) }, shape: [2, 3, 4]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_bigendian.npy"), HostTensor((0..<5).map { Double($0) }, shape: [5]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_v2.npy"), HostTensor((0..<10).map { Int64($0) }, shape: [10]))
        XCTAssertEqual(try NpyFile.read(path: dir + "/np_v3.npy"), HostTensor((0..<4).map { Float($0) }, shape: [4]))
    }

    func testNpyRejectsGarbage() {
        XCTAssertThrowsError(try NpyFile.decode(Array("not numpy at all".utf8))) { e in
            XCTAssertTrue("\(e)".contains("bad magic"), "\(e)")
        }
        var object = try! NpyFile.encode(HostTensor([Float(1)], shape: [1]))
        // Patch the descr to an object array, which would need pickle.
        let header = String(decoding: object[10..<74], as: UTF8.self).replacingOccurrences(of: "'<f4'", with: "'|O' ")
        object.replaceSubrange(10..<74, with: Array(header.utf8))
        XCTAssertThrowsError(try NpyFile.decode(object)) { e in XCTAssertTrue("\(e)".contains("pickle"), "\(e)") }
    }

    func testTensorProtoInteropWithOnnx() throws {
        try RT.requirePython()
        let dir = RT.tempDir("pb")
        var (status, out) = try RT.run(RT.python, [RT.scripts + "/tensorproto_interop.py", "write", dir])
        XCTAssertEqual(status, 0, out)
        let expected: [HostTensor] = [
            HostTensor((0..<12).map { Float($0) - 5.5 }, shape: [3, 4]),
            HostTensor([Int64(1), -2, 3, 4], shape: [2, 2]),
            HostTensor(bools: [true, false], shape: [2]),
            HostTensor(strings: ["hello", "wörld"], shape: [2]),
            HostTensor([floatToHalfBits(1.5), floatToHalfBits(-2.25)], shape: [2]).retyped(.float16),
        ]
        for (k, e) in expected.enumerated() {
            let t = try TensorProtoFile.read(path: "\(dir)/input_\(k).pb")
            XCTAssertEqual(t, e, "input_\(k)")
            try TensorProtoFile.write(t, name: "t\(k)", path: "\(dir)/ours_\(k).pb")
        }
        XCTAssertEqual(try TensorProtoFile.read(path: dir + "/typed.pb"), HostTensor([Float(1), 2.5, -3], shape: [3]))
        (status, out) = try RT.run(RT.python, [RT.scripts + "/tensorproto_interop.py", "verify", dir])
        XCTAssertEqual(status, 0, out)
    }
}

func floatToHalfBits(_ f: Float) -> UInt16 { floatToHalf(f) }

extension HostTensor {
    func retyped(_ t: TensorElementType) -> HostTensor { HostTensor(elementType: t, shape: shape, bytes: bytes) }
}
