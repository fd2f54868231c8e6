import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors starting the real terminal.
public enum TerminalError: Error, CustomStringConvertible, Equatable {
    /// ncurses could not set up the terminal (unknown `TERM`, no terminal on stdin/stdout).
    case cannotInitialize(term: String)
    /// Another ``NcursesBackend`` is active; curses supports one screen per process here.
    case alreadyActive

    public var description: String {
        switch self {
        case .cannotInitialize(let term):
            return "cannot initialise the terminal (TERM=\(term.isEmpty ? "<unset>" : term)); run onnxscope in an interactive terminal, or set TERM (e.g. TERM=xterm-256color)"
        case .alreadyActive:
            return "the terminal is already in use by another screen"
        }
    }
}

/// The real terminal, through wide-character ncurses.
///
/// Colors are degraded to what the terminal reports (see ``ColorDepth/detect(terminalColors:directColor:environment:)``)
/// and drawn through lazily allocated color pairs; wide characters and combining marks go out as
/// `cchar_t`; keys come from ncurses' keypad decoding, with anything it leaves raw decoded by
/// ``InputDecoder``. Creating one installs the restore handlers of ``TerminalRestorer``.
public final class NcursesBackend: Backend {
    public let colorDepth: ColorDepth
    private var pairs: ColorPairCache
    private let hasDefaultColors: Bool
    private let terminalColors: Int
    private var pendingEvents: [Event] = []
    private var repaintRequested = false
    private var screen: OpaquePointer?
    /// The stream ncurses draws through (see init); closed after the screen is deleted.
    private var output: UnsafeMutablePointer<FILE>?
    private let cCharMax: Int

    /// Takes over the terminal.
    ///
    /// - Parameters:
    ///   - environment: consulted for `TERM` and `NO_COLOR`.
    ///   - escapeDelayMilliseconds: how long a lone Esc waits for the rest of a sequence; short,
    ///     because vim-style users press Esc a lot.
    ///   - mouse: enable click and wheel reporting.
    public init(environment: [String: String], escapeDelayMilliseconds: Int = 25, mouse: Bool = true) throws {
        if TerminalRestorer.isActive { throw TerminalError.alreadyActive }
        _ = onx_setlocale_from_environment()
        let term = environment["TERM"] ?? ""
        guard isatty(1) == 1, isatty(0) == 1 else { throw TerminalError.cannotInitialize(term: term) }
        // Draw through a duplicate of fd 1: while the live runner runs, NativeOutputCapture
        // points fd 1 itself into a pipe (so ORT's prints never reach the screen), and frames
        // written to fd 1 would land in ORT's log instead of on the terminal.
        let output = onx_private_stdout()
        guard let screen = onx_newterm(nil, output ?? onx_stdout(), onx_stdin()) else {
            if let output { _ = onx_fclose(output) }
            throw TerminalError.cannotInitialize(term: term)
        }
        self.screen = screen
        self.output = output
        TerminalRestorer.activate()
        onx_configure_input(Int32(escapeDelayMilliseconds))
        _ = onx_curs_set(0)

        var defaults = false
        if onx_has_colors() != 0 {
            _ = onx_start_color()
            defaults = onx_use_default_colors() == onx_ok()
        }
        hasDefaultColors = defaults
        terminalColors = onx_has_colors() != 0 ? Int(onx_colors()) : 0
        colorDepth = ColorDepth.detect(terminalColors: terminalColors, directColor: onx_has_direct_color() != 0, environment: environment)
        pairs = ColorPairCache(capacity: max(0, Int(onx_color_pairs()) - 1)) { pair, fg, bg in
            _ = onx_init_pair(pair, fg, bg)
        }
        cCharMax = Int(onx_cchar_max())
        if mouse { _ = onx_enable_mouse() }
    }

    deinit { restore() }

    /// Gives the terminal back to the shell. Idempotent; also runs from `deinit`.
    public func restore() {
        TerminalRestorer.restore()
        if let s = screen {
            screen = nil
            onx_delscreen(s)
        }
        if let o = output {
            output = nil
            _ = onx_fclose(o)
        }
    }

    public func size() -> Size {
        var rows: Int32 = 0, cols: Int32 = 0
        onx_screen_size(&rows, &cols)
        return Size(width: Int(cols), height: Int(rows))
    }

    // MARK: Output

    func colorNumber(_ color: Color, foreground: Bool) -> Int32 {
        switch color {
        case .default:
            return hasDefaultColors ? -1 : (foreground ? 7 : 0)
        case .ansi(let a):
            return terminalColors >= 16 ? Int32(a.rawValue) : Int32(a.rawValue % 8)
        case .indexed(let i):
            return Int32(i)
        case .rgb(let r, let g, let b):
            return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    public func draw(_ changes: [CellChange]) {
        var wide = [wchar_t](repeating: 0, count: cCharMax + 1)
        for change in changes {
            let cell = change.cell.degraded(to: colorDepth)
            var n = 0
            for scalar in cell.symbol.unicodeScalars {
                if n == cCharMax { break }
                // Cells built directly (not through Buffer.setString) could carry a control
                // character; it must never reach the terminal.
                wide[n] = TerminalSanitizer.isUnsafe(scalar) ? wchar_t(0x3F) : wchar_t(bitPattern: scalar.value)
                n += 1
            }
            if n == 0 { wide[0] = 0x20; n = 1 }
            wide[n] = 0
            let (pair, evicted) = pairs.pair(fg: colorNumber(cell.fg, foreground: true), bg: colorNumber(cell.bg, foreground: false))
            if evicted { repaintRequested = true }
            _ = onx_put_cell(Int32(change.y), Int32(change.x), wide, UInt32(cell.attributes.rawValue), pair)
        }
    }

    public func flush() { _ = onx_refresh() }

    public func clear() {
        _ = onx_erase()
        _ = onx_clearok(1)
    }

    public func hideCursor() { _ = onx_curs_set(0) }
    public func showCursor() { _ = onx_curs_set(1) }
    public func setCursor(x: Int, y: Int) { _ = onx_move(Int32(y), Int32(x)) }

    public func takeRepaintRequest() -> Bool {
        defer { repaintRequested = false }
        return repaintRequested
    }

    // MARK: Input

    public func readEvent(timeoutMilliseconds: Int?) -> Event? {
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        onx_input_timeout(Int32(timeoutMilliseconds ?? -1))
        var value: UInt32 = 0
        let rc = onx_get_wch(&value)
        if rc == onx_err() { return nil }
        if rc == onx_key_code_yes() { return event(forKeyCode: Int32(bitPattern: value)) }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        if scalar != "\u{1b}" { return .key(InputDecoder.plainKey(scalar)) }

        // ncurses hands back an ESC alone when the sequence is not in terminfo (Alt-keys,
        // SGR mouse, keys the entry lacks); the rest of the burst is already buffered.
        var burst: [Unicode.Scalar] = [scalar]
        onx_input_timeout(0)
        while burst.count < 64 {
            var next: UInt32 = 0
            let rc2 = onx_get_wch(&next)
            if rc2 == onx_err() { break }
            if rc2 == onx_key_code_yes() {
                if let e = event(forKeyCode: Int32(bitPattern: next)) { pendingEvents.append(e) }
                break
            }
            guard let s = Unicode.Scalar(next) else { break }
            burst.append(s)
        }
        let decoded = InputDecoder.decode(burst)
        pendingEvents.insert(contentsOf: decoded.dropFirst(), at: 0)
        return decoded.first ?? (pendingEvents.isEmpty ? nil : pendingEvents.removeFirst())
    }

    private func event(forKeyCode code: Int32) -> Event? {
        if code == onx_key_resize() {
            let s = size()
            return .resize(width: s.width, height: s.height)
        }
        if code == onx_key_mouse() { return mouseEvent() }
        return CursesKeyMap.key(forCode: code).map(Event.key)
    }

    private func mouseEvent() -> Event? {
        var x: Int32 = 0, y: Int32 = 0, flags: UInt32 = 0
        guard onx_get_mouse(&x, &y, &flags) == 0 else { return nil }
        let kind: MouseEvent.Kind
        if flags & UInt32(ONX_MOUSE_WHEEL_UP) != 0 { kind = .wheelUp }
        else if flags & UInt32(ONX_MOUSE_WHEEL_DOWN) != 0 { kind = .wheelDown }
        else if flags & UInt32(ONX_MOUSE_LEFT_PRESS | ONX_MOUSE_LEFT_CLICK) != 0 { kind = .press(.left) }
        else if flags & UInt32(ONX_MOUSE_RIGHT_PRESS) != 0 { kind = .press(.right) }
        else if flags & UInt32(ONX_MOUSE_MIDDLE_PRESS) != 0 { kind = .press(.middle) }
        else if flags & UInt32(ONX_MOUSE_LEFT_RELEASE) != 0 { kind = .release(.left) }
        else if flags & UInt32(ONX_MOUSE_RIGHT_RELEASE) != 0 { kind = .release(.right) }
        else if flags & UInt32(ONX_MOUSE_MIDDLE_RELEASE) != 0 { kind = .release(.middle) }
        else { return nil }
        return .mouse(MouseEvent(kind: kind, x: Int(x), y: Int(y)))
    }
}

/// Runs `body` with the real terminal and restores it however `body` ends (return, throw, or a
/// signal while inside).
public func withTerminal<R>(
    environment: [String: String],
    glyphs: GlyphSet? = nil,
    mouse: Bool = true,
    _ body: (Terminal<NcursesBackend>) throws -> R
) throws -> R {
    let backend = try NcursesBackend(environment: environment, mouse: mouse)
    defer { backend.restore() }
    let terminal = Terminal(backend: backend, glyphs: glyphs ?? GlyphSet.forEnvironment(environment))
    return try body(terminal)
}
