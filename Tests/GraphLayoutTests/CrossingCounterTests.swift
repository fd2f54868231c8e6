import Testing
@testable import GraphLayout

@Suite struct CrossingCounterTests {
    @Test func handCountedExamples() {
        // Parallel segments never cross.
        #expect(CrossingCounter.count(lowerCount: 3, segments: [(0, 0), (1, 1), (2, 2)]) == 0)
        // A full reversal of three segments: every pair crosses.
        #expect(CrossingCounter.count(lowerCount: 3, segments: [(0, 2), (1, 1), (2, 0)]) == 3)
        // Segments sharing an endpoint do not cross each other.
        #expect(CrossingCounter.count(lowerCount: 2, segments: [(0, 0), (0, 1), (1, 1)]) == 0)
        #expect(CrossingCounter.count(lowerCount: 2, segments: [(0, 1), (1, 0), (1, 1)]) == 1)
        // A K2,2 has exactly one crossing whatever the order.
        #expect(CrossingCounter.count(lowerCount: 2, segments: [(0, 0), (0, 1), (1, 0), (1, 1)]) == 1)
        #expect(CrossingCounter.count(lowerCount: 0, segments: []) == 0)
    }

    @Test func matchesPairwiseDefinitionOnRandomInputs() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let upper = Int.random(in: 1...8, using: &rng), lower = Int.random(in: 1...8, using: &rng)
            let segments = (0..<Int.random(in: 0...20, using: &rng)).map { _ in
                (upper: Int.random(in: 0..<upper, using: &rng), lower: Int.random(in: 0..<lower, using: &rng))
            }
            var brute = 0
            for i in segments.indices {
                for j in segments.indices where j > i {
                    let a = segments[i], b = segments[j]
                    if (a.upper < b.upper && a.lower > b.lower) || (a.upper > b.upper && a.lower < b.lower) { brute += 1 }
                }
            }
            #expect(CrossingCounter.count(lowerCount: lower, segments: segments) == brute)
        }
    }
}
