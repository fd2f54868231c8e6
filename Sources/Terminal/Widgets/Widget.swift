/// Anything that draws itself into a rectangle of a buffer.
///
/// Widgets are plain values built fresh each frame; state that survives frames (selection,
/// scroll offset) lives in the caller and is passed in.
public protocol Widget {
    func render(in area: Rect, buffer: inout Buffer)
}

extension Line: Widget {}
