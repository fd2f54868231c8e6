import Testing
@testable import Partition

/// The verdict, by the usability checker's rule (`PartitioningInfo.suitability`).
@Suite("Verdict")
struct VerdictTests {
    @Test("One partition: over 75 % yes, over 50 % maybe, else no")
    func onePartition() {
        #expect(Verdict(supported: 76, total: 100, partitions: 1) == .yes)
        #expect(Verdict(supported: 75, total: 100, partitions: 1) == .maybe)
        #expect(Verdict(supported: 51, total: 100, partitions: 1) == .maybe)
        #expect(Verdict(supported: 50, total: 100, partitions: 1) == .no)
    }

    @Test("Two partitions: over 75 % maybe, else no; three or more, or none: no")
    func morePartitions() {
        #expect(Verdict(supported: 100, total: 100, partitions: 2) == .maybe)
        #expect(Verdict(supported: 75, total: 100, partitions: 2) == .no)
        #expect(Verdict(supported: 100, total: 100, partitions: 3) == .no)
        #expect(Verdict(supported: 0, total: 100, partitions: 0) == .no)
        #expect(Verdict(supported: 0, total: 0, partitions: 0) == .no)
    }

    @Test("Verdicts order no < maybe < yes")
    func order() {
        #expect(Verdict.no < .maybe && Verdict.maybe < .yes)
    }
}
