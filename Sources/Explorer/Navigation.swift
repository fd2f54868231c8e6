import GraphLayout

/// Moving the selection along the drawn graph. Pure functions of a ``Scene``: each takes the
/// selected box (layout id) and returns the box to select, or nil when there is nowhere to go.
public enum Navigation {
    /// Directions of the arrow keys: up goes to a producer, down to a consumer, left/right to
    /// the neighbouring box in the same layer.
    public enum Direction: Sendable { case up, down, left, right }

    public static func move(_ direction: Direction, from vertex: Int, in scene: Scene) -> Int? {
        switch direction {
        case .up: return nearest(scene.predecessors[vertex], to: vertex, in: scene)
        case .down: return nearest(scene.successors[vertex], to: vertex, in: scene)
        case .left, .right: return sibling(of: vertex, toRight: direction == .right, in: scene)
        }
    }

    /// Of several producers (or consumers), the one drawn closest horizontally: it is the one
    /// the eye follows from the selected box; ties go to the leftmost.
    static func nearest(_ candidates: [Int], to vertex: Int, in scene: Scene) -> Int? {
        let cx = centerX(scene.rect(ofVertex: vertex))
        return candidates.min { a, b in
            let da = abs(centerX(scene.rect(ofVertex: a)) - cx), db = abs(centerX(scene.rect(ofVertex: b)) - cx)
            return da != db ? da < db : scene.rect(ofVertex: a).x < scene.rect(ofVertex: b).x
        }
    }

    /// The next box to the left or right in the same layer; if the layer has none, the closest
    /// box in that direction whose rows overlap.
    static func sibling(of vertex: Int, toRight: Bool, in scene: Scene) -> Int? {
        let here = scene.layout.nodes[vertex]
        let band = GridRect(x: toRight ? here.rect.maxX : 0, y: here.rect.y,
                            width: toRight ? max(0, scene.layout.width - here.rect.maxX) : here.rect.x,
                            height: here.rect.height)
        let found = scene.layout.nodes(in: band).filter { $0 != vertex }
        let sameLayer = found.filter { scene.layout.nodes[$0].layer == here.layer }
        let pool = sameLayer.isEmpty ? found : sameLayer
        return pool.min { a, b in
            abs(centerX(scene.rect(ofVertex: a)) - centerX(here.rect)) < abs(centerX(scene.rect(ofVertex: b)) - centerX(here.rect))
        }
    }

    /// The box at the top of the drawing (leftmost on ties).
    public static func first(in scene: Scene) -> Int? {
        scene.layout.nodes.indices.min { order(scene, $0) < order(scene, $1) }
    }

    /// The box at the bottom of the drawing (rightmost on ties).
    public static func last(in scene: Scene) -> Int? {
        scene.layout.nodes.indices.max { order(scene, $0) < order(scene, $1) }
    }

    /// The box whose centre is nearest to a point of the drawing (PgUp/PgDn, clicks near a box).
    public static func nearest(to point: GridPoint, in scene: Scene) -> Int? {
        // Look in a growing window first so a 30k-node drawing is not scanned on every page.
        var radius = 16
        while radius < max(scene.layout.width, scene.layout.height) * 2 + 32 {
            let window = GridRect(x: point.x - radius * 2, y: point.y - radius, width: radius * 4, height: radius * 2)
            let found = scene.layout.nodes(in: window)
            if !found.isEmpty {
                return found.min { distance(scene.rect(ofVertex: $0), point) < distance(scene.rect(ofVertex: $1), point) }
            }
            radius *= 2
        }
        return first(in: scene)
    }

    /// The box under a cell of the drawing, if any.
    public static func hit(_ point: GridPoint, in scene: Scene) -> Int? {
        scene.layout.nodes(in: GridRect(x: point.x, y: point.y, width: 1, height: 1)).first
    }

    /// The camera position (top-left) that keeps `rect` visible in a viewport of `size`,
    /// moving as little as possible from `camera` and keeping a margin where the viewport allows.
    public static func scrolledIntoView(_ rect: GridRect, camera: GridPoint, viewport: (width: Int, height: Int)) -> GridPoint {
        var c = camera
        let mx = min(4, max(0, (viewport.width - rect.width) / 2))
        let my = min(2, max(0, (viewport.height - rect.height) / 2))
        if rect.x - mx < c.x { c.x = rect.x - mx }
        if rect.maxX + mx > c.x + viewport.width { c.x = rect.maxX + mx - viewport.width }
        if rect.y - my < c.y { c.y = rect.y - my }
        if rect.maxY + my > c.y + viewport.height { c.y = rect.maxY + my - viewport.height }
        return GridPoint(x: max(0, c.x), y: max(0, c.y))
    }

    /// The camera position that puts `rect` in the middle of the viewport.
    public static func centered(_ rect: GridRect, viewport: (width: Int, height: Int)) -> GridPoint {
        GridPoint(x: max(0, rect.x + rect.width / 2 - viewport.width / 2),
                  y: max(0, rect.y + rect.height / 2 - viewport.height / 2))
    }

    /// Keeps the camera inside the drawing (with an empty margin of a few cells at most).
    public static func clamped(_ camera: GridPoint, scene: Scene, viewport: (width: Int, height: Int)) -> GridPoint {
        GridPoint(x: max(0, min(camera.x, scene.layout.width - viewport.width)),
                  y: max(0, min(camera.y, scene.layout.height - viewport.height)))
    }

    private static func order(_ scene: Scene, _ v: Int) -> (Int, Int) {
        let r = scene.rect(ofVertex: v)
        return (r.y, r.x)
    }

    private static func centerX(_ r: GridRect) -> Int { r.x + r.width / 2 }

    private static func distance(_ r: GridRect, _ p: GridPoint) -> Int {
        let dx = abs(r.x + r.width / 2 - p.x), dy = abs(r.y + r.height / 2 - p.y)
        return dx + 2 * dy
    }
}
