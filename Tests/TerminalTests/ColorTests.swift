import Testing
@testable import Terminal

@Suite struct ColorTests {
    @Test func trueColorKeepsEverything() {
        #expect(Color.rgb(1, 2, 3).degraded(to: .trueColor) == .rgb(1, 2, 3))
        #expect(Color.indexed(200).degraded(to: .trueColor) == .indexed(200))
    }

    @Test func rgbTo256UsesCubeAndGrayRamp() {
        #expect(Color.rgb(255, 0, 0).degraded(to: .indexed256) == .indexed(196))
        #expect(Color.rgb(0, 0, 0).degraded(to: .indexed256) == .indexed(16))
        #expect(Color.rgb(255, 255, 255).degraded(to: .indexed256) == .indexed(231))
        #expect(Color.rgb(0x1E, 0x1E, 0x1E).degraded(to: .indexed256) == .indexed(234))   // gray ramp beats the cube
        #expect(Color.rgb(0x87, 0xAF, 0xFF).degraded(to: .indexed256) == .indexed(111))   // exact cube entry
    }

    @Test func to16PicksNearestANSI() {
        #expect(Color.rgb(250, 10, 10).degraded(to: .ansi16) == .ansi(.brightRed))
        #expect(Color.rgb(0x1E, 0x1E, 0x1E).degraded(to: .ansi16) == .ansi(.black))
        #expect(Color.rgb(0, 200, 200).degraded(to: .ansi16) == .ansi(.cyan))
        #expect(Color.indexed(196).degraded(to: .ansi16) == .ansi(.brightRed))
        #expect(Color.indexed(244).degraded(to: .ansi16) == .ansi(.brightBlack))
        #expect(Color.indexed(3).degraded(to: .ansi16) == .ansi(.yellow))
        #expect(Color.indexed(9).degraded(to: .indexed256) == .ansi(.brightRed))
        #expect(Color.ansi(.blue).degraded(to: .ansi16) == .ansi(.blue))
    }

    @Test func noneMakesEverythingDefault() {
        for c in [Color.rgb(9, 9, 9), .indexed(100), .ansi(.red), .default] {
            #expect(c.degraded(to: .monochrome) == .default)
        }
        #expect(Color.default.degraded(to: .indexed256) == .default)
    }

    @Test func depthDetection() {
        #expect(ColorDepth.detect(terminalColors: 256, directColor: false, environment: [:]) == .indexed256)
        #expect(ColorDepth.detect(terminalColors: 1 << 24, directColor: true, environment: [:]) == .trueColor)
        #expect(ColorDepth.detect(terminalColors: 8, directColor: false, environment: [:]) == .ansi16)
        #expect(ColorDepth.detect(terminalColors: 0, directColor: false, environment: [:]) == .monochrome)
        #expect(ColorDepth.detect(terminalColors: 256, directColor: false, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(ColorDepth.detect(terminalColors: 1 << 24, directColor: true, environment: ["NO_COLOR": "yes"]) == .monochrome)
        // no-color.org: an empty NO_COLOR does not count.
        #expect(ColorDepth.detect(terminalColors: 256, directColor: false, environment: ["NO_COLOR": ""]) == .indexed256)
    }

    @Test func cellsKeepEveryColorExactly() {
        let colors: [Color] = [.default, .ansi(.black), .ansi(.brightWhite), .indexed(0), .indexed(255), .rgb(0, 0, 0), .rgb(255, 254, 1)]
        for fg in colors {
            for bg in colors {
                let cell = Cell("x", fg: fg, bg: bg, attributes: [.italic, .underline])
                #expect(cell.fg == fg && cell.bg == bg && cell.attributes == [.italic, .underline])
            }
        }
        #expect(Cell("x", fg: .ansi(.red)) != Cell("x", fg: .indexed(1)))
        #expect(Cell("x", fg: .rgb(1, 2, 3)) != Cell("x", bg: .rgb(1, 2, 3)))
        #expect(Cell("x") != Cell("y"))
    }

    @Test func cellDegradesBothColors() {
        let c = Cell("x", fg: .rgb(255, 0, 0), bg: .indexed(21), attributes: .bold).degraded(to: .ansi16)
        #expect(c.fg == .ansi(.brightRed))
        #expect(c.bg == .ansi(.blue) || c.bg == .ansi(.brightBlue))
        #expect(c.attributes == .bold)
    }

    @Test func pairCacheAllocatesLazilyAndEvictsLeastRecentlyUsed() {
        final class Log: @unchecked Sendable { var defined: [[Int32]] = [] }
        let log = Log()
        var cache = ColorPairCache(capacity: 2) { pair, fg, bg in log.defined.append([pair, fg, bg]) }
        #expect(cache.pair(fg: -1, bg: -1) == (0, false))
        #expect(cache.pair(fg: 1, bg: -1) == (1, false))
        #expect(cache.pair(fg: 2, bg: 0) == (2, false))
        #expect(cache.pair(fg: 1, bg: -1) == (1, false))      // hit, refreshes pair 1
        #expect(log.defined == [[1, 1, -1], [2, 2, 0]])
        let (pair, evicted) = cache.pair(fg: 3, bg: 3)        // full: pair 2 is the least recently used
        #expect(pair == 2)
        #expect(evicted)
        #expect(log.defined.last == [2, 3, 3])
        #expect(cache.count == 2)
        #expect(cache.pair(fg: 1, bg: -1) == (1, false))
    }
}
