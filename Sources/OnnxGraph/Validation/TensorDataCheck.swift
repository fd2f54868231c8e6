#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import OnnxModel

/// Tensor dims, data types and data sizes, for every tensor the model stores: initializers and
/// sparse initializers of every graph, and tensors held by node attributes (`Constant`'s
/// `value`), as both the onnx checker and ONNX Runtime check all of them.
///
/// Sizes are compared without reading data: `raw_data` by its byte length, fixed-width typed
/// fields by their byte length, varint fields by counting their terminating bytes.
enum TensorDataCheck {
    static func run(_ c: inout ValidationContext) {
        var external = ExternalDataCheck(baseDirectory: c.model.baseDirectory)
        for scope in c.index.scopes {
            let s = scope.id, at = c.whereabouts(s)
            for t in scope.graph.initializers {
                check(t, TensorSite(scope: s) { "initializer '\(t.name.escapedForDisplay)'" + at }, &c, &external)
            }
            for sp in scope.graph.sparseInitializers {
                checkSparse(sp, TensorSite(scope: s) { "sparse initializer '\(sp.values.name.escapedForDisplay)'" + at }, &c, &external)
            }
            for (n, node) in scope.graph.nodes.enumerated() {
                for a in node.attributes where a.t != nil || !a.tensors.isEmpty || a.sparseTensor != nil || !a.sparseTensors.isEmpty {
                    let holder = c.nodeLabel(s, n)   // attributes holding tensors are rare: naming them now is cheap
                    let site = TensorSite(scope: s, node: n) { "tensor '\(a.name.escapedForDisplay)' of node \(holder)" + at }
                    if let t = a.t { check(t, site, &c, &external) }
                    for t in a.tensors { check(t, site, &c, &external) }
                    if let sp = a.sparseTensor { checkSparse(sp, site, &c, &external) }
                    for sp in a.sparseTensors { checkSparse(sp, site, &c, &external) }
                }
            }
        }
    }

    /// The dense parts of a sparse tensor (its values and indices) are tensors like any other.
    static func checkSparse(_ sp: SparseTensor, _ site: TensorSite, _ c: inout ValidationContext, _ external: inout ExternalDataCheck) {
        check(sp.values, TensorSite(scope: site.scope, node: site.node) { "values of " + site.label() }, &c, &external)
        check(sp.indices, TensorSite(scope: site.scope, node: site.node) { "indices of " + site.label() }, &c, &external)
    }

    static func check(_ t: Tensor, _ site: TensorSite, _ c: inout ValidationContext, _ external: inout ExternalDataCheck) {
        func report(_ severity: GraphIssue.Severity, _ kind: GraphIssue.Kind, _ message: String) {
            c.report(severity, kind, site.label() + message, scope: site.scope, nodes: site.node.map { [$0] } ?? [], values: [t.name])
        }
        if t.dataType == .undefined {
            report(.error, .tensorDataLayout, " has no data_type"); return
        }
        if !t.dataType.isKnown {
            report(.error, .tensorDataLayout, " has unknown data_type \(t.dataType.rawValue)"); return
        }
        if let bad = t.dims.first(where: { $0 < 0 }) {
            report(.error, .invalidDims, " has a negative dimension (\(bad)) in dims \(t.dims.dimsText)"); return
        }
        guard let count = t.elementCount else {
            // Say it as a power of two: the size of the number is the point, not its digits.
            let bits = t.dims.reduce(0.0) { $0 + log2(Double(max($1, 1))) }
            report(.error, .invalidDims, " has dims \(t.dims.dimsText): \(bits.powerOfTwo) elements, more than 64 bits can count")
            return
        }
        // Strings have no fixed width (nil); every other known type does.
        let bytes = t.dataType == .string ? nil : t.dataType.byteCount(elements: count)
        if bytes == nil, t.dataType.bitWidth != nil {
            report(.error, .invalidDims, " has dims \(t.dims.dimsText): \(count) elements of \(t.dataType) take more bytes than 64 bits can count")
            return
        }

        let fields = presentFields(t)
        if t.isExternal {
            if !fields.isEmpty {
                report(.warning, .tensorDataLayout, " is stored externally but also has \(fields.joined(separator: " and ")); the onnx checker refuses that")
            }
            for p in external.check(t, expectedBytes: bytes) { report(p.severity, .externalData, p.message) }
            return
        }

        if fields.count > 1 {
            report(.warning, .tensorDataLayout, " has data in \(fields.joined(separator: " and ")); the onnx checker wants exactly one data field")
        }
        // An empty raw_data still counts when it is the only field: ORT then compares its 0 bytes.
        if let raw = t.rawData, !raw.isEmpty || fields.isEmpty {
            if t.dataType == .string {
                report(.error, .tensorDataLayout, ": string tensors keep their data in string_data, not raw_data")
            } else if let bytes, raw.count != bytes, t.dataType.hasCheckedByteSize {
                report(.error, .tensorDataSize, ": raw_data has \(raw.count) bytes but dims \(t.dims.dimsText) of \(t.dataType) need \(bytes)")
            }
            return
        }
        guard let field = typedField(for: t.dataType) else { return }
        let expected = expectedValues(count: count, type: t.dataType)
        let have = field.count(t)
        if have == 0 && expected > 0 {
            let other = fields.first.map { "; its data is in \($0) instead" } ?? (t.externalData.isEmpty ? "" : "; it has external_data entries but data_location is not EXTERNAL")
            report(.error, fields.isEmpty ? .tensorDataSize : .tensorDataLayout,
                   " has no data: dims \(t.dims.dimsText) of \(t.dataType) need \(expected) value\(expected == 1 ? "" : "s") in \(field.name)\(other)")
        } else if have != expected {
            report(.error, .tensorDataSize, ": \(field.name) has \(have) value\(have == 1 ? "" : "s") but dims \(t.dims.dimsText) of \(t.dataType) need \(expected)")
        }
    }

    /// The data fields a tensor has, by their onnx.proto names (raw_data counts only when not
    /// empty, as in the checker).
    static func presentFields(_ t: Tensor) -> [String] {
        var out: [String] = []
        if !t.floatData.isEmpty { out.append("float_data") }
        if !t.int32Data.isEmpty { out.append("int32_data") }
        if !t.stringData.isEmpty { out.append("string_data") }
        if !t.int64Data.isEmpty { out.append("int64_data") }
        if let r = t.rawData, !r.isEmpty { out.append("raw_data") }
        if !t.doubleData.isEmpty { out.append("double_data") }
        if !t.uint64Data.isEmpty { out.append("uint64_data") }
        return out
    }

    /// A typed storage field of `TensorProto` and how to count its values.
    struct TypedField {
        var name: String
        var count: (Tensor) -> Int
    }

    /// Which typed field holds values of `type` (onnx.proto's comments on each field).
    static func typedField(for type: DataType) -> TypedField? {
        switch type {
        case .float, .complex64: return TypedField(name: "float_data") { $0.floatData.count }
        case .double, .complex128: return TypedField(name: "double_data") { $0.doubleData.count }
        case .int64: return TypedField(name: "int64_data") { $0.int64Data.count }
        case .uint32, .uint64: return TypedField(name: "uint64_data") { $0.uint64Data.count }
        case .string: return TypedField(name: "string_data") { $0.stringData.count }
        case .float6e2m3, .float6e3m2: return nil   // packing into int32_data not settled; not checked
        default: return type.isKnown ? TypedField(name: "int32_data") { $0.int32Data.count } : nil
        }
    }

    /// How many values the typed field must hold for `count` elements, as ONNX Runtime counts
    /// them ("data field count (1) does not match expected count from shape (2)"): complex
    /// numbers take two, 4-bit types pack two per value and 2-bit types four.
    static func expectedValues(count: Int, type: DataType) -> Int {
        switch type {
        case .complex64, .complex128: return count * 2
        case .int4, .uint4, .float4e2m1: return (count + 1) / 2
        case .int2, .uint2: return (count + 3) / 4
        default: return count
        }
    }
}

extension DataType {
    /// False for the 6-bit float types, whose raw_data packing the tools do not check yet:
    /// better no report than a wrong one.
    var hasCheckedByteSize: Bool { self != .float6e2m3 && self != .float6e3m2 }
}

extension Double {
    /// `2^80`, or `about 2^63.3` when the exponent is not whole.
    var powerOfTwo: String {
        let whole = (self * 10).rounded() / 10
        return whole == whole.rounded() ? "2^\(Int(whole))" : "about 2^\(whole)"
    }
}
