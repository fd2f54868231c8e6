/// A key the user pressed, decoded from ncurses key codes or raw escape sequences.
public indirect enum Key: Hashable, Sendable {
    /// A printable character (including space).
    case char(Character)
    /// Ctrl plus a letter or one of `@[\]^_ `, as the lowercase letter / symbol (`.ctrl("c")`).
    case ctrl(Character)
    /// Alt (Meta) plus a key, sent by terminals as ESC followed by the key.
    case alt(Key)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case insert, delete, backspace
    case enter, escape, tab, backTab
    /// F1 is `.function(1)`, up to F12 (higher numbers when the terminal sends them).
    case function(Int)
}

/// Mouse buttons onnxscope reacts to.
public enum MouseButton: Hashable, Sendable { case left, middle, right }

/// A mouse action at a cell.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case press(MouseButton)
        case release(MouseButton)
        case wheelUp
        case wheelDown
    }
    public var kind: Kind
    /// Column, 0-based.
    public var x: Int
    /// Row, 0-based.
    public var y: Int

    public init(kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Something the application has to react to.
public enum Event: Hashable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows.
    case resize(width: Int, height: Int)
}
