import Foundation

/// What ORT really did with a model on this machine, for a target whose EP the loaded ORT
/// library has: the provider of every node from ORT's assignment report, or the error the
/// session failed with. Set beside a prediction, it turns catalog guesses into facts and
/// every disagreement into a catalog bug to fix.
public struct MeasuredPlacement: Sendable {
    /// `ONNX Runtime 1.24.1` and where it was loaded from.
    public let runtime: String
    public let outcome: Outcome

    public enum Outcome: Sendable {
        /// Node name → provider (`OpenVINOExecutionProvider`, `CPUExecutionProvider`).
        case assigned([String: String])
        /// Session creation failed: the EP refused the whole model instead of falling back.
        case sessionFailed(String)
        /// The session ran but ORT gave no assignment report (ORT < 1.24).
        case noReport(String)
        /// The loaded ORT has no EP for the target (the text says which it has).
        case notMeasurable(String)
    }

    public init(runtime: String, outcome: Outcome) {
        self.runtime = runtime; self.outcome = outcome
    }

    /// The readable part of an EP's session error: ORT's and OpenVINO's messages carry C++
    /// signatures and source positions around the one sentence that says what failed. Keeps
    /// the EP's own text (after `[OpenVINO-EP]`) and the lines that are not source positions.
    public static func summary(of error: String) -> String {
        let lines = error.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard var head = lines.first else { return error }
        if let r = head.range(of: "] [", options: .backwards), head[r.upperBound...].hasPrefix("OpenVINO-EP]") {
            head = String(head[head.index(r.upperBound, offsetBy: "OpenVINO-EP] ".count)...])
        }
        let rest = lines.dropFirst().filter { !$0.hasPrefix("Exception from ") }
        let parts = ([head] + rest).map { part in
            part.replacingOccurrences(of: #":? ?Exception from \S+:\d+:?"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #" failed at \S+:\d+:?"#, with: " failed", options: .regularExpression)
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " — ")
    }
}

/// A prediction set against the measurement, node by node.
public struct PlacementComparison: Sendable {
    /// One node where prediction and measurement disagree.
    public struct Mismatch: Sendable, Hashable {
        public let node: String
        public let op: String
        /// onnxscope predicted the target takes the node.
        public let predictedTaken: Bool
        /// The provider ORT assigned.
        public let measuredProvider: String
        /// onnxscope's reason for not taking it, when it predicted so.
        public let reason: String?
    }

    /// Nodes of the analysed graph that the report names.
    public let compared: Int
    /// Of those, on the target's EP in the measurement.
    public let measuredTaken: Int
    public let agreeing: Int
    public let mismatches: [Mismatch]
    /// Nodes of the analysed graph the report does not name (ORT removed or renamed them).
    public let unmatched: [String]

    /// Compares `prediction` with an assignment report (`assigned`: node name → provider).
    public init(prediction: TargetPrediction, assigned: [String: String]) {
        let provider = prediction.target.providerName
        var compared = 0, taken = 0, agreeing = 0
        var mismatches: [Mismatch] = [], unmatched: [String] = []
        // ORT's report names the main graph's nodes (a sub-graph goes with its If/Loop/Scan).
        for n in prediction.nodes where n.scope == 0 && !n.isConstantNode {
            guard let measured = assigned[n.name] else { unmatched.append(n.name); continue }
            compared += 1
            let ranThere = measured == provider
            if ranThere { taken += 1 }
            if ranThere == n.supported {
                agreeing += 1
            } else {
                mismatches.append(Mismatch(node: n.name, op: n.op, predictedTaken: n.supported, measuredProvider: measured,
                                           reason: n.blockers.isEmpty ? nil : n.blockers.map(\.description).joined(separator: "; ")))
            }
        }
        self.compared = compared; measuredTaken = taken; self.agreeing = agreeing
        self.mismatches = mismatches; self.unmatched = unmatched
    }
}

extension TargetPrediction {
    /// The prediction against ``measured``, when ORT reported an assignment.
    public var comparison: PlacementComparison? {
        guard case .assigned(let map)? = measured?.outcome else { return nil }
        return PlacementComparison(prediction: self, assigned: map)
    }
}
