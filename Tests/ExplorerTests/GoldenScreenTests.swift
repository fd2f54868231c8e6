import Testing
@testable import Explorer
import Terminal

/// Whole screens from the in-memory terminal, compared with reviewed text files.
@Suite("Golden screens")
struct GoldenScreenTests {
    @Test("ResNet-50 start screen: graph from the top, conv1 selected, repeated blocks folded")
    func resnetStart() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        expectGolden("resnet50-start-120x40", s)
        #expect(s.text.contains("/conv1/Conv"))
        #expect(s.text.contains("Inspector"))
        #expect(s.text.contains("kernel 7×7  stride 2  pads 3"))
    }

    @Test("Search: typing previews the match, Enter goes there and reports the count")
    func search() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("/"))
        s.type("layer2.1/conv2")
        #expect(s.lines.last!.contains("/layer2.1/conv2"))
        // The Conv, and the BatchNormalization reading its output tensor.
        #expect(s.lines.last!.contains("1/2"))
        s.press(.enter)
        expectGolden("resnet50-search-layer2.1-conv2", s)
        #expect(s.app.selectedNode.map { s.app.document.displayName($0) } == "/layer2/layer2.1/conv2/Conv")
    }

    @Test("Inspector for /conv1/Conv: attributes, shapes, weight statistics, compute, runtime slot")
    func inspectorConv1() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.tab)
        expectGolden("resnet50-inspector-conv1", s)
        let t = s.text
        #expect(t.contains("Conv  ai.onnx v17"))
        #expect(t.contains("float32[batch,3,224,224]"))
        #expect(t.contains("float32[64,3,7,7]"))
        #expect(t.contains("float32[batch,64,112,112]"))
        #expect(t.contains("9.41 K") || t.contains("9.4 K"))
        #expect(t.contains("MACs"))
        #expect(t.contains("not run yet"))
    }

    @Test("BERT: every encoder layer starts folded into one box")
    func bertCollapsed() {
        let s = Screen(Fixtures.app(Fixtures.bertTiny), width: 120, height: 50)
        let layer0 = Fixtures.bertTiny.groupings[0].paths.firstIndex(of: "/encoder/layer.0")!
        s.app.state.selection = .group(layer0)
        s.press(.char("Z"), .char("c"))
        #expect(s.text.contains("layer.0") && s.text.contains("layer.1"))
        expectGolden("bert-tiny-collapsed", s)
        let scene = s.app.scene!
        let groupLabels = scene.collapsedGraph.vertices.compactMap { v -> String? in
            if case .group(let g) = v { return Fixtures.bertTiny.groupings[0].labels[g] }
            return nil
        }
        #expect(groupLabels.sorted() == ["layer.0", "layer.1"])
    }

    @Test("Help overlay lists the key table")
    func help() {
        let s = Screen(Fixtures.app(Fixtures.resnet50), width: 120, height: 50)
        s.press(.char("?"))
        expectGolden("help-overlay", s)
        #expect(s.text.contains("Ctrl-O"))
        s.press(.escape)
        #expect(!s.text.contains("any key closes"))
    }

    @Test("Narrow 80×24 terminal still shows graph, inspector and status")
    func narrow() {
        let s = Screen(Fixtures.app(Fixtures.resnet50), width: 80, height: 24)
        expectGolden("resnet50-narrow-80x24", s)
        #expect(s.text.contains("Graph"))
        #expect(s.text.contains("Inspector"))
    }

    @Test("ASCII mode draws no box-drawing characters")
    func asciiMode() {
        let s = Screen(Fixtures.app(Fixtures.resnet50, ascii: true))
        expectGolden("resnet50-ascii", s)
        let nonASCII = s.text.unicodeScalars.filter { $0.value > 0x7e }
        #expect(nonASCII.isEmpty, "non-ASCII: \(String(String.UnicodeScalarView(nonASCII.prefix(20))))")
    }

    @Test("Hostile names are drawn escaped: no control character reaches a cell")
    func hostileNames() {
        let s = Screen(Fixtures.app(Fixtures.hostile))
        s.press(.char("j"))
        expectGolden("hostile-names", s)
        for y in 0..<s.backend.screen.height {
            for x in 0..<s.backend.screen.width {
                for u in s.backend.cell(x: x, y: y).symbol.unicodeScalars {
                    #expect(!TerminalSanitizer.isUnsafe(u), "unsafe scalar U+\(String(u.value, radix: 16)) at \(x),\(y)")
                }
            }
        }
        #expect(s.text.contains("\\e]0;pwned") || s.text.contains("\\x1b]0;pwned"))
    }

    @Test("Ops table sorted by MACs puts Conv first for ResNet")
    func opsTable() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("2"), .char("s"), .char("s"))
        #expect(s.app.state.opsSort == .macs)
        expectGolden("resnet50-ops-by-macs", s)
        let firstRow = s.lines.first { $0.contains("Conv") && $0.contains("53") }
        #expect(firstRow != nil)
    }

    @Test("Model view shows the summary")
    func modelView() {
        let s = Screen(Fixtures.app(Fixtures.resnet50))
        s.press(.char("3"))
        #expect(s.text.contains("opsets"))
        #expect(s.text.contains("input"))
        #expect(s.text.contains("parameters"))
    }

    @Test("Model view lists the problems first, escaped")
    func modelViewProblems() throws {
        let s = Screen(Fixtures.app(Fixtures.hostile))
        s.press(.char("3"))
        // The hostile fixture's custom-domain node has no opset import: an error ORT refuses.
        let problems = try #require(s.find("problems  (1 error"), "\(s.text)")
        let error = try #require(s.find("error: node '/blk\\u{9b}1/\\u{202e}gnp.exe' uses domain 'com.\\ex'"), "\(s.text)")
        let version = try #require(s.find("ir version"))
        #expect(problems.y < error.y && error.y < version.y)
        #expect(!s.text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x9b || $0.value == 0x202e })
    }
}
