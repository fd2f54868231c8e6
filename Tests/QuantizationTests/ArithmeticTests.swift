import Foundation
import Testing
@testable import Quantization

/// S, Z and the fixed-point multiplier, against ONNX Runtime's quantizer utilities and numpy.
@Suite("Quantization arithmetic")
struct ArithmeticTests {
    @Test("scale and zero point equal ORT's compute_scale_zp for int8/uint8, symmetric or not")
    func scaleAndZeroPoint() throws {
        let ranges: [(Double, Double)] = [(-1, 3), (0, 6), (-2.5, 0.1), (-0.003, 0.002), (0.5, 0.7), (-10, -4), (0, 0)]
        let ref = try Reference.json("""
            import json, numpy as np
            from onnx import TensorProto
            from onnxruntime.quantization.quant_utils import compute_scale_zp, get_qmin_qmax_for_qType
            out = []
            for lo, hi in \(ranges.map { [$0.0, $0.1] }):
                for qt in (TensorProto.INT8, TensorProto.UINT8):
                    for sym in (False, True):
                        qmin, qmax = get_qmin_qmax_for_qType(qt, symmetric=sym)
                        z, s = compute_scale_zp(np.float32(lo), np.float32(hi), qmin, qmax, symmetric=sym)
                        out.append([float(s), int(z)])
            print(json.dumps(out))
            """) as! [[Double]]
        var k = 0
        for (lo, hi) in ranges {
            for type in [QuantizedType.int8, .uint8] {
                for sym in [false, true] {
                    let (s, z) = QuantizationParameters.scaleAndZeroPoint(min: lo, max: hi, type: type, symmetric: sym)
                    #expect(abs(Double(s) - ref[k][0]) <= 1e-7 * max(1, ref[k][0]), "range [\(lo), \(hi)] \(type) symmetric \(sym): S \(s) vs ORT \(ref[k][0])")
                    #expect(Int(z) == Int(ref[k][1]), "range [\(lo), \(hi)] \(type) symmetric \(sym): Z \(z) vs ORT \(ref[k][1])")
                    k += 1
                }
            }
        }
    }

    @Test("M = M0·2^-n with M0 in [0.5, 1) as Q31, as numpy's frexp gives it")
    func fixedPoint() throws {
        let ms = [0.00328221, 0.5, 0.999999999, 1.5, 3.0e-6, 0.0351572, 0.75]
        let ref = try Reference.json("""
            import json, numpy as np
            out = []
            for m in \(ms):
                f, e = np.frexp(m)
                q = int(np.round(f * 2**31)); n = -int(e)
                if q == 2**31: q //= 2; n -= 1
                out.append([q, n])
            print(json.dumps(out))
            """) as! [[Int]]
        for (k, m) in ms.enumerated() {
            let f = FixedPointMultiplier(m)
            #expect(Int(f.q31) == ref[k][0] && f.shift == ref[k][1], "M \(m): q31 \(f.q31) n \(f.shift) vs numpy \(ref[k])")
            #expect(f.normalized >= 0.5 && f.normalized < 1)
            #expect(abs(f.effective - m) <= m * 1e-9)
        }
    }
}
