import Testing
@testable import Explorer
import OnnxModel

@Suite("Grouping")
struct GroupingTests {
    @Test("Name scopes: slashes, dotted names, short names")
    func components() {
        #expect(ScopeGrouping.scopeComponents(of: "/layer1/layer1.0/conv1/Conv").0 == ["layer1", "layer1.0", "conv1"])
        #expect(ScopeGrouping.scopeComponents(of: "encoder.layer.3.attention.query").0 == ["encoder", "layer", "3", "attention"])
        #expect(ScopeGrouping.scopeComponents(of: "conv1.weight").0.isEmpty)
        #expect(ScopeGrouping.scopeComponents(of: "Relu_7").0.isEmpty)
    }

    @Test("Repeated-block stems")
    func stems() {
        #expect(ScopeGrouping.repeatStem("layer.3") == "layer.")
        #expect(ScopeGrouping.repeatStem("layer1.0") == "layer1.")
        #expect(ScopeGrouping.repeatStem("block_12") == "block_")
        #expect(ScopeGrouping.repeatStem("7") == "")
        #expect(ScopeGrouping.repeatStem("layer1") == nil)
        #expect(ScopeGrouping.repeatStem("conv") == nil)
    }

    @Test("ResNet-50: the 16 bottleneck blocks fold by default, single-node scopes are not groups")
    func resnet() {
        let g = Fixtures.resnet50.groupings[0]
        let folded = g.defaultCollapsed.map { g.labels[$0] }.sorted()
        #expect(folded.count == 16)
        #expect(folded.contains("layer1.0") && folded.contains("layer4.2"))
        #expect(!g.labels.contains("conv1") || g.paths.allSatisfy { $0 != "/conv1" })
        for id in g.paths.indices { #expect(g.tree.nodeCount(of: id) >= 2) }
        // A bottleneck with a downsample branch: 3 conv + 3 bn + 3 relu + add + conv + bn.
        let l10 = g.paths.firstIndex(of: "/layer1/layer1.0")!
        #expect(g.tree.nodeCount(of: l10) == 12)
    }

    @Test("BERT: encoder layers fold, the attention inside them does not fold separately")
    func bert() {
        let g = Fixtures.bertTiny.groupings[0]
        let folded = g.defaultCollapsed.map { g.paths[$0] }.sorted()
        #expect(folded == ["/encoder/layer.0", "/encoder/layer.1"])
    }

    @Test("Expanding a folded group shows its nodes; '-' folds it again")
    func expandCollapse() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny))
        let boxesFolded = s.app.scene!.vertexCount
        let g = Fixtures.bertTiny.groupings[0]
        let layer1 = g.paths.firstIndex(of: "/encoder/layer.1")!
        s.app.state.selection = .group(layer1)
        s.press(.enter)
        #expect(!s.app.collapsedGroups(0).contains(layer1))
        #expect(s.app.scene!.vertexCount == boxesFolded + g.tree.nodeCount(of: layer1) - 1)
        guard case .node(let n)? = s.app.state.selection else {
            Issue.record("selection should be a node of the expanded group")
            return
        }
        #expect(g.ancestors(ofNode: n).contains(layer1))
        s.press(.char("-"))
        // '-' folds the innermost group around the node; repeat until the layer is folded.
        while case .group(let cur)? = s.app.state.selection, cur != layer1 { s.press(.char("-")) }
        #expect(s.app.state.selection == .group(layer1))
        #expect(s.app.scene!.vertexCount < boxesFolded + g.tree.nodeCount(of: layer1) - 1)
        s.press(.char("E"))
        #expect(s.app.collapsedGroups(0).isEmpty)
        s.press(.char("C"))
        #expect(s.app.collapsedGroups(0) == g.defaultCollapsed)
    }

    @Test("Sub-graphs: Enter opens the If's branch, > switches branch, Backspace returns")
    func subgraphs() {
        let s = Screen(Fixtures.app(Fixtures.ifBranch))
        let main = Fixtures.ifBranch.scope(0)
        let ifNode = (0..<main.nodeCount).first { main.node($0).opType == "If" }!
        s.app.state.selection = .node(ifNode)
        s.press(.enter)
        #expect(s.app.state.scope != 0)
        let first = s.app.state.scope
        #expect(s.text.contains("then_branch"))
        s.press(.char(">"))
        #expect(s.app.state.scope != first)
        #expect(s.text.contains("else_branch"))
        s.press(.backspace)
        #expect(s.app.state.scope == 0)
        #expect(s.app.state.selection == .node(ifNode))
        s.press(.backspace)
        #expect(s.app.state.message?.text == "already in the main graph")
    }
}
