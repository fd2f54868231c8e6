/// One dimension of a tensor shape: a number, a symbol (`batch`, `seq`) or unknown.
public enum Dimension: Sendable, Hashable, CustomStringConvertible {
    case value(Int64)
    case param(String)
    case unknown

    public var description: String {
        switch self {
        case .value(let v): return String(v)
        case .param(let p): return p
        case .unknown: return "?"
        }
    }

    public var intValue: Int64? { if case .value(let v) = self { return v }; return nil }
}

/// `TensorShapeProto` (dimension denotations are kept alongside).
public struct Shape: Sendable, Hashable, CustomStringConvertible {
    public var dims: [Dimension]
    public var denotations: [String]

    public init(_ dims: [Dimension], denotations: [String]? = nil) {
        self.dims = dims
        self.denotations = denotations ?? Array(repeating: "", count: dims.count)
    }

    public var rank: Int { dims.count }
    public var description: String { "[" + dims.map(\.description).joined(separator: ",") + "]" }
    /// All dims as numbers, or nil if any is symbolic or unknown.
    public var concrete: [Int64]? {
        var out: [Int64] = []
        for d in dims { guard let v = d.intValue else { return nil }; out.append(v) }
        return out
    }
}

/// `TypeProto`: what flows along an edge.
public struct ValueType: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case tensor(DataType, Shape?)
        case sparseTensor(DataType, Shape?)
        case sequence(ValueType?)
        case map(key: DataType, value: ValueType?)
        case optional(ValueType?)
        case opaque(domain: String, name: String)
        case none
    }

    public var kind: Kind
    public var denotation: String = ""
    public var presence = FieldPresence()
    public var unknownFields = UnknownFields()

    public init(_ kind: Kind, denotation: String = "") { self.kind = kind; self.denotation = denotation }

    public static func tensor(_ t: DataType, _ dims: [Dimension]?) -> ValueType {
        ValueType(.tensor(t, dims.map { Shape($0) }))
    }

    /// Element type of a tensor (or sparse tensor) type.
    public var elementType: DataType? {
        switch kind { case .tensor(let t, _), .sparseTensor(let t, _): return t; default: return nil }
    }

    /// Shape of a tensor type, if declared.
    public var shape: Shape? {
        switch kind { case .tensor(_, let s), .sparseTensor(_, let s): return s; default: return nil }
    }

    /// Human-readable form: `float32[batch,3,224,224]`, `seq(float32[?])`, `map(int64,float32)`.
    public var summary: String {
        switch kind {
        case let .tensor(t, s): return t.name + (s?.description ?? "[?]")
        case let .sparseTensor(t, s): return "sparse " + t.name + (s?.description ?? "[?]")
        case let .sequence(e): return "seq(" + (e?.summary ?? "?") + ")"
        case let .map(k, v): return "map(" + k.name + "," + (v?.summary ?? "?") + ")"
        case let .optional(e): return "optional(" + (e?.summary ?? "?") + ")"
        case let .opaque(d, n): return "opaque(" + d + "." + n + ")"
        case .none: return "?"
        }
    }
}

/// `ValueInfoProto`: a named, typed value (graph input/output or annotated intermediate).
public struct ValueInfo: Sendable, Equatable {
    public var name: String
    public var type: ValueType?
    public var docString: String = ""
    public var presence = FieldPresence()
    public var metadataProps: [StringStringEntry] = []
    public var unknownFields = UnknownFields()

    public init(name: String, type: ValueType?) { self.name = name; self.type = type }
}

// MARK: - Wire coding

extension Shape {
    init(reading r: inout WireReader) throws {
        var dims: [Dimension] = [], dens: [String] = []
        while let f = try r.nextField() {
            guard f.number == 1 else { _ = try r.skip(f.type, field: f.number, start: f.start); continue }
            var d = try r.message(f, in: "TensorShapeProto")
            var dim = Dimension.unknown, den = ""
            while let g = try d.nextField() {
                switch g.number {
                case 1: dim = .value(try d.int64(g, in: "Dimension"))
                case 2: dim = .param(try d.string(g, in: "Dimension"))
                case 3: den = try d.string(g, in: "Dimension")
                default: _ = try d.skip(g.type, field: g.number, start: g.start)
                }
            }
            dims.append(dim); dens.append(den)
        }
        self.init(dims, denotations: dens)
    }

    func write(to w: inout WireWriter) {
        for (i, d) in dims.enumerated() {
            w.message(1) { m in
                switch d {
                case .value(let v): m.int64(1, v, always: true)
                case .param(let p): m.string(2, p, always: true)
                case .unknown: break
                }
                if i < denotations.count { m.string(3, denotations[i]) }
            }
        }
    }
}

extension ValueType {
    init(reading r: inout WireReader) throws {
        self.init(.none)
        let m = "TypeProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1, 8:
                var t = try r.message(f, in: m)
                var elem = DataType.undefined
                var shape: Shape?
                while let g = try t.nextField() {
                    switch g.number {
                    case 1: elem = DataType(rawValue: try t.int32(g, in: m))
                    case 2: var s = try t.message(g, in: m); shape = try Shape(reading: &s)
                    default: _ = try t.skip(g.type, field: g.number, start: g.start)
                    }
                }
                kind = f.number == 1 ? .tensor(elem, shape) : .sparseTensor(elem, shape)
            case 4, 9:
                var s = try r.message(f, in: m)
                var elem: ValueType?
                while let g = try s.nextField() {
                    if g.number == 1 { var e = try s.message(g, in: m); elem = try ValueType(reading: &e) }
                    else { _ = try s.skip(g.type, field: g.number, start: g.start) }
                }
                kind = f.number == 4 ? .sequence(elem) : .optional(elem)
            case 5:
                var s = try r.message(f, in: m)
                var key = DataType.undefined
                var value: ValueType?
                while let g = try s.nextField() {
                    switch g.number {
                    case 1: key = DataType(rawValue: try s.int32(g, in: m))
                    case 2: var e = try s.message(g, in: m); value = try ValueType(reading: &e)
                    default: _ = try s.skip(g.type, field: g.number, start: g.start)
                    }
                }
                kind = .map(key: key, value: value)
            case 6: denotation = try r.string(f, in: m)
            case 7:
                var s = try r.message(f, in: m)
                var d = "", n = ""
                while let g = try s.nextField() {
                    switch g.number {
                    case 1: d = try s.string(g, in: m)
                    case 2: n = try s.string(g, in: m)
                    default: _ = try s.skip(g.type, field: g.number, start: g.start)
                    }
                }
                kind = .opaque(domain: d, name: n)
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        switch kind {
        case let .tensor(t, s), let .sparseTensor(t, s):
            let field = { if case .tensor = kind { return 1 } else { return 8 } }()
            w.message(field) { m in
                m.int64(1, Int64(t.rawValue))
                if let s { m.message(2) { s.write(to: &$0) } }
            }
        case let .sequence(e), let .optional(e):
            let field = { if case .sequence = kind { return 4 } else { return 9 } }()
            w.message(field) { m in if let e { m.message(1) { e.write(to: &$0) } } }
        case let .map(k, v):
            w.message(5) { m in
                m.int64(1, Int64(k.rawValue))
                if let v { m.message(2) { v.write(to: &$0) } }
            }
        case let .opaque(d, n):
            w.message(7) { $0.string(1, d); $0.string(2, n) }
        case .none: break
        }
        w.string(6, denotation, always: presence.contains(6))
        unknownFields.write(to: &w)
    }
}

extension ValueInfo {
    init(reading r: inout WireReader) throws {
        self.init(name: "", type: nil)
        let m = "ValueInfoProto"
        while let f = try r.nextField() {
            presence.insert(f.number)
            switch f.number {
            case 1: name = try r.string(f, in: m)
            case 2: var s = try r.message(f, in: m); type = try ValueType(reading: &s)
            case 3: docString = try r.string(f, in: m)
            case 4: var s = try r.message(f, in: m); metadataProps.append(try StringStringEntry(reading: &s))
            default: unknownFields.append(try r.skip(f.type, field: f.number, start: f.start))
            }
        }
    }

    func write(to w: inout WireWriter) {
        w.string(1, name, always: presence.contains(1))
        if let type { w.message(2) { type.write(to: &$0) } }
        w.string(3, docString, always: presence.contains(3))
        w.entries(4, metadataProps)
        unknownFields.write(to: &w)
    }
}
