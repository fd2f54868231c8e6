/// Owns a backend and two buffers, and turns "render the whole screen" into "send what changed".
///
/// Views redraw everything each frame into a blank ``Frame``; comparing with the previous frame
/// keeps output small (important over SSH) without views tracking what they drew before.
///
/// ```swift
/// try terminal.draw { frame in
///     frame.render(Block(title: "Graph"), in: frame.area)
/// }
/// ```
public final class Terminal<B: Backend> {
    public let backend: B
    /// Glyphs handed to each frame.
    public var glyphs: GlyphSet
    private var current: Buffer
    private var previous: Buffer
    private var fullRedrawPending = true
    private var cursorShown = false

    public init(backend: B, glyphs: GlyphSet = .unicode) {
        self.backend = backend
        self.glyphs = glyphs
        let size = backend.size()
        self.current = Buffer(size: size)
        self.previous = Buffer(size: size)
        backend.hideCursor()
    }

    /// The size frames are drawn at.
    public var size: Size { current.size }

    /// Forgets the screen contents so the next frame is drawn in full (e.g. after a shell-out
    /// or when the user asks for a redraw with Ctrl-L).
    public func clear() {
        backend.clear()
        fullRedrawPending = true
    }

    /// Renders one frame and sends the cells that differ from the last one.
    @discardableResult
    public func draw(_ render: (inout Frame) throws -> Void) rethrows -> FrameStats {
        let size = backend.size()
        if size != current.size {
            current.resize(to: size)
            previous.resize(to: size)
            backend.clear()
            fullRedrawPending = true
        }
        current.reset()
        var frame = Frame(buffer: Buffer(width: 0, height: 0), glyphs: glyphs)
        // Swapping rather than copying keeps the buffer uniquely referenced, so writing into it
        // does not copy all cells every frame.
        swap(&frame.buffer, &current)
        do {
            try render(&frame)
        } catch {
            swap(&frame.buffer, &current)
            throw error
        }
        swap(&frame.buffer, &current)

        let full = fullRedrawPending
        let changes = full ? current.diff(from: Buffer(width: 0, height: 0)) : current.diff(from: previous)
        backend.draw(changes)
        if let (x, y) = frame.cursor {
            backend.setCursor(x: x, y: y)
            if !cursorShown { backend.showCursor(); cursorShown = true }
        } else if cursorShown {
            backend.hideCursor()
            cursorShown = false
        }
        backend.flush()
        fullRedrawPending = backend.takeRepaintRequest()
        swap(&current, &previous)
        return FrameStats(changedCells: changes.count, fullRedraw: full)
    }

    /// The next event; resize events also resize the buffers so the next frame fits.
    public func readEvent(timeoutMilliseconds: Int? = nil) -> Event? {
        let event = backend.readEvent(timeoutMilliseconds: timeoutMilliseconds)
        if case .resize = event { fullRedrawPending = true }
        return event
    }
}
