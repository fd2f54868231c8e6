import Testing
@testable import Explorer
import OnnxModel
import Terminal

@Suite("State, history, search, palette")
struct StateTests {
    let a = Location(scope: 0, item: .node(1))
    let b = Location(scope: 0, item: .node(2))
    let c = Location(scope: 1, item: .node(3))

    @Test("History goes back and forward like a browser")
    func history() {
        var h = History()
        #expect(h.back(current: a) == nil)
        h.recordJump(from: a)
        h.recordJump(from: b)
        #expect(h.back(current: c) == b)
        #expect(h.back(current: b) == a)
        #expect(h.back(current: a) == nil)
        #expect(h.forward(current: a) == b)
        #expect(h.forward(current: b) == c)
        #expect(h.forward(current: c) == nil)
        _ = h.back(current: c)
        h.recordJump(from: b)
        #expect(!h.canGoForward)
    }

    @Test("Search matches names, op types and tensor names, case-insensitively")
    func searchMatching() {
        let doc = Fixtures.resnet50
        #expect(Search.matches("conv", in: doc, currentScope: 0).count >= 53)
        #expect(Search.matches("GEMM", in: doc, currentScope: 0).count == 1)
        let byTensor = Search.matches("layer3.5.conv2.weight", in: doc, currentScope: 0)
        #expect(byTensor.count == 1)
        #expect(doc.displayName(byTensor[0]) == "/layer3/layer3.5/conv2/Conv")
        #expect(Search.matches("", in: doc, currentScope: 0).isEmpty)
        #expect(Search.matches("no such thing", in: doc, currentScope: 0).isEmpty)
    }

    @Test("Incremental search previews, n/N step, Esc restores the start")
    func incrementalSearch() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let start = s.app.state.selection
        s.press(.char("/"))
        s.type("Add")
        // 16 Add nodes, and the 16 Relu nodes reading their outputs (`/…/Add_output_0`).
        #expect(s.app.state.search.matches.count == 32)
        #expect(s.app.state.search.isEditing)
        s.press(.escape)
        #expect(s.app.state.selection == start)
        #expect(s.app.state.search.matches.isEmpty)

        s.press(.char("/"))
        s.type("relu_2")
        let count = s.app.state.search.matches.count
        #expect(count >= 16)
        s.press(.enter)
        let first = s.app.selectedNode!
        s.press(.char("n"))
        #expect(s.app.selectedNode != first)
        s.press(.char("N"))
        #expect(s.app.selectedNode == first)
        s.press(.char("N"))
        #expect(s.app.state.search.current == count - 1)
        // Each n/N is a jump: back returns to the previous match.
        s.press(.char("["))
        #expect(s.app.selectedNode == first)
    }

    @Test("Search confirmed inside a folded block unfolds it")
    func searchReveals() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny))
        s.press(.char("/"))
        s.type("layer.1/attention/self/Softmax")
        // While typing, the folded layer box is selected.
        guard case .group = s.app.state.selection else {
            Issue.record("preview should select the folded group")
            return
        }
        s.press(.enter)
        #expect(s.app.selectedNode.map { Fixtures.bertTiny.displayName($0) } == "/encoder/layer.1/attention/self/Softmax")
    }

    @Test("The command palette runs actions by name")
    func palette() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char(":"))
        s.type("zoom in")
        #expect(s.text.contains("zoom in (more detail)"))
        s.press(.enter)
        #expect(s.app.state.zoom == .detailed)
        #expect(s.app.state.palette == nil)
        #expect(CommandPalette.entries(matching: "ops view") == [.showOps])
    }

    @Test("Every action has a key, and no key is bound twice")
    func keyTable() {
        let bound = Set(KeyBindings.table.map(\.action))
        #expect(bound == Set(Action.allCases))
        let keys = KeyBindings.table.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
        for binding in KeyBindings.table {
            for key in binding.keys { #expect(KeyBindings.action(for: key) == binding.action) }
        }
        #expect(KeyBindings.action(for: .char("\u{7f}")) == .leaveScope)
    }

    @Test("The help overlay lists every binding")
    func helpListsEverything() {
        let app = Fixtures.app(Fixtures.resnet50)
        let text = HelpOverlay(app: app).lines().map(\.plainText).joined(separator: "\n")
        for binding in KeyBindings.table {
            #expect(text.contains(binding.action.title), "\(binding.action) missing")
        }
    }

    @Test("Annotations appear in the inspector; without them it says not run yet")
    func annotations() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        #expect(s.text.contains("not run yet"))
        let key = s.app.selectedNode!
        s.app.state.annotations[key] = NodeAnnotation(provider: "CPUExecutionProvider", kernelTimeMicroseconds: 812.5)
        s.press(.tab, .char("G"))
        #expect(s.text.contains("CPU (reported by ORT)"))
        #expect(s.text.contains("812 µs"))
    }

    @Test("Weight statistics are computed on demand, once")
    func statistics() {
        let app = Fixtures.app(Fixtures.resnet50)
        #expect(app.statistics.computedCount == 0)
        _ = Screen(app)
        #expect(app.statistics.computedCount == 1)
        let st = TensorStatistics(values: [0, 0, 1, 2, 3, -1, .nan])
        #expect(st.count == 7 && st.nonFinite == 1)
        #expect(st.minimum == -1 && st.maximum == 3)
        #expect(abs(st.mean - 5.0 / 6.0) < 1e-12)
        #expect(abs(st.zeroFraction - 2.0 / 7.0) < 1e-12)
        #expect(st.histogram.reduce(0, +) == 6)
    }

    @Test("Big scopes are laid out in the background while the pane shows progress")
    func backgroundLayout() {
        let doc = Document(model: SyntheticModels.decoderChain(blocks: 40))
        let app = ExplorerApp(document: doc, layoutThreshold: 50)
        app.state.collapsed[0] = []
        let s = Screen(app)
        if app.scene == nil {
            #expect(s.text.contains("Laying out"))
        }
        app.waitForBackgroundWork()
        s.draw()
        #expect(app.scene != nil)
        #expect(app.scene!.vertexCount == doc.scope(0).nodeCount)
        #expect(!s.text.contains("Laying out"))
    }

    @Test("The synthetic LLM folds into one box per decoder block")
    func syntheticFolding() {
        let doc = Document(model: SyntheticModels.decoderChain(blocks: 12))
        #expect(doc.scope(0).nodeCount == 12 * 29 + 3)
        #expect(doc.groupings[0].defaultCollapsed.count == 12)
        let app = ExplorerApp(document: doc)
        #expect(app.scene!.vertexCount == 12 + 3)
    }
}
