/// Turns raw terminal input (the characters after an ESC, control bytes) into ``Key``s and
/// mouse events.
///
/// ncurses decodes the sequences its terminfo entry knows; everything else (Alt-keys, keys the
/// entry lacks, xterm's SGR mouse reports, sequences from terminals whose TERM is wrong) reaches
/// us raw, and is decoded here so the application never sees a stray `[A`.
public enum InputDecoder {
    static let esc: Unicode.Scalar = "\u{1b}"

    /// Decodes everything in `input`, which should be what the terminal sent in one burst.
    public static func decode(_ input: String) -> [Event] {
        decode(Array(input.unicodeScalars))
    }

    /// Decodes a burst of input scalars into events.
    public static func decode(_ input: [Unicode.Scalar]) -> [Event] {
        var events: [Event] = []
        var i = 0
        while i < input.count {
            let (event, used) = decodeOne(input, from: i)
            if let event { events.append(event) }
            i += max(1, used)
        }
        return events
    }

    /// Decodes the first event at `start`, returning it (or `nil` for input that means nothing,
    /// such as an unknown CSI sequence) and how many scalars it used.
    public static func decodeOne(_ s: [Unicode.Scalar], from start: Int) -> (Event?, Int) {
        let c = s[start]
        guard c == esc else { return (.key(plainKey(c)), 1) }
        let next = start + 1
        guard next < s.count else { return (.key(.escape), 1) }
        switch s[next] {
        case "[":
            return decodeCSI(s, from: start)
        case "O":
            // SS3: application-mode cursor keys and F1–F4.
            guard next + 1 < s.count else { return (.key(.alt(.char("O"))), 2) }
            let key: Key?
            switch s[next + 1] {
            case "A": key = .up
            case "B": key = .down
            case "C": key = .right
            case "D": key = .left
            case "H": key = .home
            case "F": key = .end
            case "M": key = .enter
            case "P": key = .function(1)
            case "Q": key = .function(2)
            case "R": key = .function(3)
            case "S": key = .function(4)
            default: key = nil
            }
            return (key.map(Event.key), 3)
        case esc:
            // ESC ESC: the user pressed Esc twice quickly, or Alt-Esc; either way, one Esc now.
            return (.key(.escape), 1)
        default:
            return (.key(.alt(plainKey(s[next]))), 2)
        }
    }

    /// A single non-ESC scalar as a key.
    public static func plainKey(_ c: Unicode.Scalar) -> Key {
        switch c.value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x7F, 0x08: return .backspace
        case 0x1B: return .escape
        case 0x00: return .ctrl(" ")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(c.value + 0x60)!))
        case 0x1C: return .ctrl("\\")
        case 0x1D: return .ctrl("]")
        case 0x1E: return .ctrl("^")
        case 0x1F: return .ctrl("_")
        default: return .char(Character(c))
        }
    }

    /// ESC [ parameters intermediates final (ECMA-48: parameter bytes 0x30–0x3F, intermediate
    /// bytes 0x20–0x2F, final byte 0x40–0x7E). A leading `<` marks an SGR mouse report; other
    /// private markers (`?`, `=`, `>`) are terminal replies, not keys, and are dropped whole.
    static func decodeCSI(_ s: [Unicode.Scalar], from start: Int) -> (Event?, Int) {
        let paramStart = start + 2
        var i = paramStart
        while i < s.count, (0x30...0x3F).contains(s[i].value) { i += 1 }
        let paramEnd = i
        while i < s.count, (0x20...0x2F).contains(s[i].value) { i += 1 }
        guard i < s.count else {
            if i == paramStart { return (.key(.alt(.char("["))), 2) }
            // Incomplete: drop what arrived rather than inject its bytes as keys.
            return (nil, i - start)
        }
        let final = s[i]
        guard (0x40...0x7E).contains(final.value) else {
            // Not a control sequence after all: Alt-[ followed by ordinary input.
            return (.key(.alt(.char("["))), 2)
        }
        let used = i - start + 1
        var paramText = String(String.UnicodeScalarView(s[paramStart..<paramEnd]))
        let hasIntermediates = i > paramEnd
        var sgrMouse = false
        if paramText.first == "<" {
            sgrMouse = true
            paramText.removeFirst()
        }
        if hasIntermediates || paramText.contains(where: { "<=>?:".contains($0) }) { return (nil, used) }
        let params = paramText.isEmpty ? [] : paramText.split(separator: ";", omittingEmptySubsequences: false).map { Int($0.prefix(6)) ?? 0 }
        if sgrMouse { return (mouse(params, final: final), used) }
        return (csiKey(params, final: final).map(Event.key), used)
    }

    static func csiKey(_ params: [Int], final: Unicode.Scalar) -> Key? {
        // Modifier parameters (ESC [1;5A) are accepted and ignored: the base key still arrives.
        switch final {
        case "A": return .up
        case "B": return .down
        case "C": return .right
        case "D": return .left
        case "H": return .home
        case "F": return .end
        case "Z": return .backTab
        case "P": return .function(1)
        case "Q": return .function(2)
        case "R": return params.isEmpty || params == [1] ? .function(3) : nil   // ESC[1;5R is also a cursor report
        case "S": return .function(4)
        case "~":
            switch params.first ?? 0 {
            case 1, 7: return .home
            case 2: return .insert
            case 3: return .delete
            case 4, 8: return .end
            case 5: return .pageUp
            case 6: return .pageDown
            case 11...15: return .function(params[0] - 10)
            case 17...21: return .function(params[0] - 11)
            case 23, 24: return .function(params[0] - 12)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// xterm SGR mouse: ESC [ < button ; x ; y (M press | m release), 1-based coordinates.
    static func mouse(_ params: [Int], final: Unicode.Scalar) -> Event? {
        guard params.count == 3, final == "M" || final == "m" else { return nil }
        let code = params[0], x = params[1] - 1, y = params[2] - 1
        if code & 32 != 0 { return nil }                       // motion while a button is held
        let kind: MouseEvent.Kind
        if code & 64 != 0 {
            kind = code & 1 == 0 ? .wheelUp : .wheelDown
        } else {
            let button: MouseButton
            switch code & 3 {
            case 0: button = .left
            case 1: button = .middle
            case 2: button = .right
            default: return nil
            }
            kind = final == "M" ? .press(button) : .release(button)
        }
        return .mouse(MouseEvent(kind: kind, x: max(0, x), y: max(0, y)))
    }
}
