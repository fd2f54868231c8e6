/// An in-memory terminal for tests and benchmarks: keeps the screen as a ``Buffer`` and serves
/// events from a queue.
///
/// Golden-screen tests render a view through a real ``Terminal`` into this backend and compare
/// ``lines()`` (or ``renderedText``) with the expected screen, and ``style(x:y:)`` for colors.
public final class TestBackend: Backend {
    /// What the terminal would show now.
    public private(set) var screen: Buffer
    public var colorDepth: ColorDepth
    public private(set) var cursorVisible = true
    public private(set) var cursorPosition: (x: Int, y: Int) = (0, 0)
    /// Cells received by the last ``draw(_:)`` calls since the last ``flush()``.
    public private(set) var lastFlushedChanges: [CellChange] = []
    /// How many times ``flush()`` was called.
    public private(set) var flushCount = 0
    private var pendingChanges: [CellChange] = []
    private var events: [Event] = []
    private var repaintRequested = false

    public init(width: Int, height: Int, colorDepth: ColorDepth = .trueColor) {
        self.screen = Buffer(width: width, height: height)
        self.colorDepth = colorDepth
    }

    public func size() -> Size { screen.size }

    public func draw(_ changes: [CellChange]) {
        for change in changes {
            let cell = change.cell.degraded(to: colorDepth)
            screen[change.x, change.y] = cell
            // A real terminal fills the right half of a wide character itself.
            if cell.width == 2, change.x + 1 < screen.width {
                var right = cell
                right.makeContinuation()
                screen[change.x + 1, change.y] = right
            }
            pendingChanges.append(change)
        }
    }

    public func flush() {
        lastFlushedChanges = pendingChanges
        pendingChanges = []
        flushCount += 1
    }

    public func clear() { screen.reset() }
    public func hideCursor() { cursorVisible = false }
    public func showCursor() { cursorVisible = true }
    public func setCursor(x: Int, y: Int) { cursorPosition = (x, y) }

    public func readEvent(timeoutMilliseconds: Int?) -> Event? {
        events.isEmpty ? nil : events.removeFirst()
    }

    public func takeRepaintRequest() -> Bool {
        defer { repaintRequested = false }
        return repaintRequested
    }

    /// Queues events for ``readEvent(timeoutMilliseconds:)``.
    public func enqueue(_ newEvents: Event...) { events.append(contentsOf: newEvents) }
    public func enqueue(_ newEvents: [Event]) { events.append(contentsOf: newEvents) }

    /// Simulates the user resizing the window: the screen is blanked, as terminals do, and a
    /// resize event is queued.
    public func resize(width: Int, height: Int) {
        screen = Buffer(width: width, height: height)
        events.append(.resize(width: width, height: height))
    }

    /// Simulates a backend that lost track of the screen (see ``Backend/takeRepaintRequest()``).
    public func requestRepaint() { repaintRequested = true }

    /// The screen as one string per row.
    public func lines() -> [String] { screen.lines() }

    /// The screen as rows joined with newlines, trailing spaces kept so widths are visible in diffs.
    public var renderedText: String { lines().joined(separator: "\n") }

    /// The cell at `x`, `y` as the terminal shows it (colors already degraded).
    public func cell(x: Int, y: Int) -> Cell { screen[x, y] }

    /// The complete style of the cell at `x`, `y`.
    public func style(x: Int, y: Int) -> Style { screen[x, y].style }
}
