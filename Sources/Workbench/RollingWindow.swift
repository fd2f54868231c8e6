/// The last `capacity` values appended, oldest first.
///
/// A fixed ring: a live loop appends millions of runs over an hour, and each append must cost
/// the same and keep memory flat, so nothing is ever removed from the front of an array.
public struct RollingWindow<Element: Sendable>: Sendable {
    /// How many values are kept (at least 1).
    public let capacity: Int
    private var storage: [Element] = []
    /// Where the next value goes once the ring is full (the oldest value's slot).
    private var head = 0
    /// Values appended since the window was made or emptied, kept or not.
    public private(set) var totalAppended = 0

    /// An empty window keeping up to `capacity` values (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    /// Adds `value`, dropping the oldest one when full.
    public mutating func append(_ value: Element) {
        totalAppended += 1
        if storage.count < capacity {
            storage.append(value)
        } else {
            storage[head] = value
            head = (head + 1) % capacity
        }
    }

    /// Values kept, at most ``capacity``.
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.isEmpty }

    /// The kept values, oldest first.
    public var elements: [Element] { Array(storage[head...] + storage[..<head]) }

    /// The `n` most recent values, oldest first.
    public func suffix(_ n: Int) -> [Element] { Array(elements.suffix(n)) }

    /// Empties the window and resets ``totalAppended``.
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
        totalAppended = 0
    }
}
