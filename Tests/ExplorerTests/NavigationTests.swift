import GraphLayout
import Testing
@testable import Explorer
import Terminal
import ModelSamples

@Suite("Navigation")
struct NavigationTests {
    func name(_ app: ExplorerApp) -> String? { app.selectedNode.map { app.document.displayName($0) } }

    @Test("Down goes to the consumer, up back to the producer")
    func producerConsumer() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        #expect(name(s.app) == "/conv1/Conv")
        s.press(.char("j"))
        #expect(name(s.app) == "/bn1/BatchNormalization")
        s.press(.down, .down)
        #expect(name(s.app) == "/maxpool/MaxPool")
        s.press(.char("k"))
        #expect(name(s.app) == "/relu/Relu")
        s.press(.up, .up)
        #expect(name(s.app) == "/conv1/Conv")
        s.press(.up)
        #expect(name(s.app) == "/conv1/Conv")
        #expect(s.app.state.message?.text.contains("no producer") == true)
    }

    @Test("Left/right move between boxes of the same layer")
    func siblings() {
        let app = Fixtures.app(Fixtures.resnet50)
        let s = Screen(app)
        app.state.collapsed[0] = []
        s.press(.char("/"))
        s.type("layer1.0/conv1/Conv")
        s.press(.enter)
        let before = app.state.selection
        s.press(.char("l"))
        let after = app.state.selection
        s.press(.char("h"))
        #expect(app.state.selection == before)
        let scene = app.scene!
        if let a = after, a != before, let va = scene.vertex(of: a), let vb = scene.vertex(of: before!) {
            #expect(scene.layout.nodes[va].layer == scene.layout.nodes[vb].layer)
        }
    }

    @Test("p jumps to the producer of the first input, across folded groups")
    func jumpToProducer() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("/"))
        s.type("layer1.0/conv1/Conv")
        s.press(.enter)
        #expect(name(s.app) == "/layer1/layer1.0/conv1/Conv")
        s.press(.char("p"))
        #expect(name(s.app) == "/maxpool/MaxPool")
        s.press(.char("["))
        #expect(name(s.app) == "/layer1/layer1.0/conv1/Conv")
    }

    @Test("g and G go to the top and bottom of the drawing")
    func topBottom() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("G"))
        #expect(name(s.app) == "/fc/Gemm")
        s.press(.char("g"))
        #expect(name(s.app) == "/conv1/Conv")
    }

    @Test("PgDn scrolls the viewport and keeps a visible selection")
    func paging() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let cam0 = s.app.state.camera
        s.press(.pageDown)
        #expect(s.app.state.camera.y > cam0.y)
        let scene = s.app.scene!
        let r = scene.rect(ofVertex: scene.vertex(of: s.app.state.selection!)!)
        #expect(r.y >= s.app.state.camera.y && r.y < s.app.state.camera.y + s.app.screen.graphViewport.height)
    }

    @Test("Zoom changes box heights; detailed zoom shows output shapes")
    func zoom() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        let normal = s.app.scene!.rect(ofVertex: 0).height
        s.press(.char("z"))
        #expect(s.app.state.zoom == .detailed)
        #expect(s.app.scene!.rect(ofVertex: 0).height == normal + 1)
        #expect(s.text.contains("float32[batch,64,112,112]"))
        s.press(.char("Z"), .char("Z"))
        #expect(s.app.state.zoom == .compact)
        #expect(s.app.scene!.rect(ofVertex: 0).height == normal - 1)
    }

    @Test("A mouse click selects the box under it")
    func click() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        guard let p = s.find("BatchNormalization") else {
            Issue.record("no BN box on screen")
            return
        }
        s.app.handle(.mouse(MouseEvent(kind: .press(.left), x: p.x, y: p.y)))
        #expect(name(s.app) == "/bn1/BatchNormalization")
        s.app.handle(.mouse(MouseEvent(kind: .wheelDown, x: p.x, y: p.y)))
        s.draw()
        #expect(s.app.state.camera.y == 3)
    }

    @Test("Tab cycles panes; view keys switch views")
    func panes() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        #expect(s.app.state.focus == .graph)
        s.press(.tab)
        #expect(s.app.state.focus == .inspector)
        s.press(.tab)
        #expect(s.app.state.focus == .graph)
        s.press(.char("2"))
        #expect(s.app.state.view == .ops && s.app.state.focus == .opTypes)
        s.press(.tab)
        #expect(s.app.state.focus == .opNodes)
        s.press(.enter)
        #expect(s.app.state.view == .graph)
        #expect(s.app.selectedNode != nil)
    }

    @Test("Camera helpers keep a rect in view with the least movement")
    func camera() {
        let rect = GridRect(x: 100, y: 50, width: 10, height: 4)
        let c = Navigation.scrolledIntoView(rect, camera: GridPoint(x: 0, y: 0), viewport: (40, 20))
        #expect(c.x + 40 >= rect.maxX && c.x <= rect.x)
        #expect(c.y + 20 >= rect.maxY && c.y <= rect.y)
        let same = Navigation.scrolledIntoView(rect, camera: c, viewport: (40, 20))
        #expect(same == c)
    }
}

@Suite("Navigation into model-local functions")
struct FunctionNavigationTests {
    @Test("Enter on a function call opens its body with a breadcrumb; Backspace leaves")
    func enterFunction() throws {
        let doc = Document(model: try SampleModels.make("functions"), path: "samples/functions.onnx")
        let s = Screen(Fixtures.app(doc))
        s.press(.char("/"))
        s.type("block0")
        s.press(.enter)
        #expect(s.app.selectedNode.map { doc.displayName($0) } == "block0")
        #expect(s.text.contains("in body"), "the inspector shows the body's work")
        s.press(.enter)
        #expect(s.app.state.scope == 1)
        #expect(doc.breadcrumb(of: 1, separator: "›") == ["main", "block0", "function body"])
        #expect(s.text.contains("function body"))
        s.press(.backspace)
        #expect(s.app.state.scope == 0)
    }
}
