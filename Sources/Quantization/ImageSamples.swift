import CImageCodecs
import Foundation
import OnnxModel
import OnnxRuntimeKit

/// How photographs become an image input: decoded (PNG/JPEG through libpng/libjpeg), resized
/// (bilinear, the shorter side to the target then a centre crop, as torchvision's
/// Resize+CenterCrop), scaled to [0, 1], normalised by mean/std per channel, laid out NCHW or NHWC.
public struct ImageOptions: Sendable, Equatable {
    /// Height × width; nil takes the model input's fixed dims, else 224 × 224.
    public var size: (height: Int, width: Int)?
    public var mean: [Float] = [0, 0, 0]
    public var std: [Float] = [1, 1, 1]
    /// nil: from the input's shape (channels of 3 in position 1 → NCHW, in the last → NHWC).
    public var channelsLast: Bool?
    public var bgr = false
    public init() {}
    public static func == (a: ImageOptions, b: ImageOptions) -> Bool {
        a.size?.height == b.size?.height && a.size?.width == b.size?.width && a.mean == b.mean && a.std == b.std
            && a.channelsLast == b.channelsLast && a.bgr == b.bgr
    }

    static let extensions: Set<String> = ["png", "jpg", "jpeg"]
    static func isImage(_ path: String) -> Bool { extensions.contains(URL(fileURLWithPath: path).pathExtension.lowercased()) }

    /// The input tensor for one image file.
    func tensor(path: String, for input: ModelInputSpec) throws -> HostTensor {
        guard let data = FileManager.default.contents(atPath: path) else { throw CalibrationSamples.SampleError("\(path): cannot read the file") }
        let (rgb, w, h) = try Self.decode([UInt8](data), path: path)
        let dims = input.dims ?? []
        guard dims.count == 4 else {
            throw CalibrationSamples.SampleError("\(path): image samples need a 4-D image input; '\(input.name)' has rank \(dims.count)")
        }
        let last = channelsLast ?? (dims[3].intValue == 3 && dims[1].intValue != 3)
        let fixedH = (last ? dims[1] : dims[2]).intValue, fixedW = (last ? dims[2] : dims[3]).intValue
        let th = size?.height ?? Int(fixedH ?? 224), tw = size?.width ?? Int(fixedW ?? 224)
        if let fh = fixedH, let fw = fixedW, fh > 0, fw > 0, (Int(fh), Int(fw)) != (th, tw) {
            throw CalibrationSamples.SampleError("--image-size \(th)x\(tw) but '\(input.name)' takes \(fh)x\(fw)")
        }
        // Resize the shorter side to the target's, then centre-crop.
        let scale = max(Double(th) / Double(h), Double(tw) / Double(w))
        let rh = Double(h) * scale, rw = Double(w) * scale
        let offY = (rh - Double(th)) / 2, offX = (rw - Double(tw)) / 2
        var out = [Float](repeating: 0, count: 3 * th * tw)
        for y in 0..<th {
            let sy = min(max((Double(y) + 0.5 + offY) / scale - 0.5, 0), Double(h - 1))
            let y0 = Int(sy), y1 = min(y0 + 1, h - 1), fy = Float(sy - Double(y0))
            for x in 0..<tw {
                let sx = min(max((Double(x) + 0.5 + offX) / scale - 0.5, 0), Double(w - 1))
                let x0 = Int(sx), x1 = min(x0 + 1, w - 1), fx = Float(sx - Double(x0))
                for c in 0..<3 {
                    func p(_ yy: Int, _ xx: Int) -> Float { Float(rgb[(yy * w + xx) * 3 + c]) }
                    let v = (p(y0, x0) * (1 - fx) + p(y0, x1) * fx) * (1 - fy) + (p(y1, x0) * (1 - fx) + p(y1, x1) * fx) * fy
                    let ch = bgr ? 2 - c : c
                    let normalized = (v / 255 - mean[ch]) / std[ch]
                    out[last ? (y * tw + x) * 3 + ch : ch * th * tw + y * tw + x] = normalized
                }
            }
        }
        let shape: [Int64] = last ? [1, Int64(th), Int64(tw), 3] : [1, 3, Int64(th), Int64(tw)]
        switch input.type {
        case .float: return HostTensor(out, shape: shape)
        case .uint8: return HostTensor(out.map { UInt8(max(0, min(255, ($0 * std[0] + mean[0]) * 255))) }, shape: shape)
        default: throw CalibrationSamples.SampleError("\(path): image samples need a float32 or uint8 input; '\(input.name)' is \(input.type)")
        }
    }

    static func decode(_ bytes: [UInt8], path: String) throws -> (rgb: [UInt8], width: Int, height: Int) {
        var pixels: UnsafeMutablePointer<UInt8>?
        var w: Int32 = 0, h: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { b in
            onnxscope_decode_image(b.baseAddress, b.count, &pixels, &w, &h, &message, message.count)
        }
        guard status == 0, let pixels else {
            throw CalibrationSamples.SampleError("\(path): cannot decode the image (\(String(cString: message)))")
        }
        defer { onnxscope_free_image(pixels) }
        return (Array(UnsafeBufferPointer(start: pixels, count: Int(w) * Int(h) * 3)), Int(w), Int(h))
    }
}
