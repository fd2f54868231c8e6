/// Where frames end up: a real terminal (``NcursesBackend``) or memory (``TestBackend``).
///
/// The ``Terminal`` only hands a backend the cells that changed; a backend never sees a widget.
public protocol Backend: AnyObject {
    /// The deepest color support to draw with; cells are degraded to it on output.
    var colorDepth: ColorDepth { get }
    /// The screen size in cells.
    func size() -> Size
    /// Writes changed cells (not yet visible until ``flush()``).
    func draw(_ changes: [CellChange])
    /// Makes everything drawn so far visible.
    func flush()
    /// Forgets what is on screen and blanks it; the next frame is drawn in full.
    func clear()
    func hideCursor()
    func showCursor()
    func setCursor(x: Int, y: Int)
    /// The next input event, waiting at most `timeoutMilliseconds` (`nil` waits indefinitely);
    /// `nil` when the time ran out.
    func readEvent(timeoutMilliseconds: Int?) -> Event?
    /// Whether cells already on screen may now look wrong and the next frame must be drawn in
    /// full (e.g. a color pair was recycled); reading the flag resets it.
    func takeRepaintRequest() -> Bool
}

extension Backend {
    public func takeRepaintRequest() -> Bool { false }
}
