/// Maps (foreground, background) color numbers to curses color pairs, allocating them lazily.
///
/// Curses draws colors only through numbered pairs, and there are few of them on some terminals
/// (64 on an 8-color console); when all are taken the least recently used pair is redefined.
/// Cells already on screen with that pair change color then, so the cache reports the eviction
/// and the backend asks for a full repaint.
public struct ColorPairCache {
    public struct Key: Hashable {
        public var fg: Int32
        public var bg: Int32
    }

    /// Pair numbers handed out are `1...capacity` (pair 0 is the terminal default and fixed).
    public let capacity: Int
    private var pairs: [Key: (pair: Int32, lastUse: UInt64)] = [:]
    private var tick: UInt64 = 0
    private let define: (Int32, Int32, Int32) -> Void

    /// - Parameter define: called as `define(pair, fg, bg)` whenever a pair (re)gets colors.
    public init(capacity: Int, define: @escaping (Int32, Int32, Int32) -> Void) {
        self.capacity = max(0, capacity)
        self.define = define
    }

    /// Number of pairs currently defined.
    public var count: Int { pairs.count }

    /// The pair for these colors, defining it if needed; `evicted` is true when an existing pair
    /// had to be redefined. Default-on-default (`-1, -1`) is always pair 0.
    public mutating func pair(fg: Int32, bg: Int32) -> (pair: Int32, evicted: Bool) {
        if fg == -1 && bg == -1 { return (0, false) }
        guard capacity > 0 else { return (0, false) }
        tick &+= 1
        let key = Key(fg: fg, bg: bg)
        if let entry = pairs[key] {
            pairs[key] = (entry.pair, tick)
            return (entry.pair, false)
        }
        var evicted = false
        let number: Int32
        if pairs.count < capacity {
            number = Int32(pairs.count + 1)
        } else {
            let victim = pairs.min { $0.value.lastUse < $1.value.lastUse }!
            number = victim.value.pair
            pairs[victim.key] = nil
            evicted = true
        }
        pairs[key] = (number, tick)
        define(number, fg, bg)
        return (number, evicted)
    }

    /// Forgets every pair (e.g. after the screen was re-initialised).
    public mutating func removeAll() {
        pairs = [:]
    }
}
