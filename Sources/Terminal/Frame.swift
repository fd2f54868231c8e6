/// What a draw closure renders into: the frame's buffer plus where the cursor should go.
public struct Frame {
    /// The cells of this frame; starts blank each frame.
    public var buffer: Buffer
    /// Glyphs the views should draw with (Unicode or ASCII).
    public var glyphs: GlyphSet
    /// Where to show the cursor after drawing (e.g. in a search field); hidden when `nil`.
    public var cursor: (x: Int, y: Int)?

    init(buffer: Buffer, glyphs: GlyphSet) {
        self.buffer = buffer
        self.glyphs = glyphs
    }

    /// The whole screen.
    public var area: Rect { buffer.area }
    public var size: Size { buffer.size }

    /// Draws `widget` into `area`.
    public mutating func render(_ widget: some Widget, in area: Rect) {
        widget.render(in: area, buffer: &buffer)
    }
}

/// What one ``Terminal/draw(_:)`` did.
public struct FrameStats: Sendable {
    /// Cells sent to the backend.
    public var changedCells: Int
    /// Whether the whole screen was redrawn (first frame, resize, explicit clear).
    public var fullRedraw: Bool
}
