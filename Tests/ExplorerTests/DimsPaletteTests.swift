import Testing
@testable import Explorer
import ModelSamples
import OnnxModel
import Terminal

@Suite("Palette: dim NAME=VALUE rebinds the model's dims")
struct DimsPaletteTests {
    func type(_ s: Screen, _ text: String) {
        s.press(.char(":"))
        s.type(text)
        s.press(.enter)
    }

    @Test("binding seq re-analyses: shapes, MACs and the status line follow")
    func rebind() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny))
        let before = s.app.document.analysis.metrics.overall.macs
        #expect(s.app.document.analysis.binding.values["seq"] == 64)
        type(s, "dim seq=32 batch=2")
        #expect(s.app.document.analysis.binding.userValues == ["seq": 32, "batch": 2])
        #expect(s.app.document.analysis.shapes.facts("last_hidden_state")?.dims == [.value(2), .value(32), .value(128)])
        #expect(s.app.document.analysis.metrics.overall.macs != before)
        #expect(s.app.state.message?.text == "dims: batch=2, seq=32")
        #expect(s.text.contains("dims: batch=2, seq=32"))
    }

    @Test("with a live run, the session is re-created with the dims fixed; the old figures stay, stale")
    func rebindLive() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny))
        let runtime = RecordingRuntime()
        s.app.liveRuntime = runtime
        type(s, "dim seq=32")
        #expect(runtime.updates.last?.freeDimensionOverrides == ["seq": 32])
        #expect(s.app.state.runtime.isStale)
        #expect(s.app.state.message?.text.contains("live session re-created at these dims") == true)
        type(s, "dim nosuch=3")
        #expect(runtime.updates.count == 1, "a bad dim re-creates nothing")
    }

    @Test("a name the model lacks is an error on the status line and changes nothing")
    func unknownName() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny))
        type(s, "dim height=320")
        #expect(s.app.state.message?.kind == .error)
        #expect(s.app.state.message?.text.contains("the model's symbolic dims are: batch, seq") == true)
        #expect(s.app.document.analysis.binding.userValues.isEmpty)
    }
}
