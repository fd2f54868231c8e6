import OnnxRuntimeKit

/// What a live runner feeds the model.
public enum LiveInputs: Sendable {
    /// These tensors, one per model input (made e.g. with ``InputGenerator`` as `run` does).
    case feeds([String: HostTensor])
    /// Generated on the runner thread from each new session's inputs, except those `given`
    /// (files from `--input`). The explorer needs this: it never calls ORT, so it cannot open
    /// a session to learn the inputs' types and shapes.
    case generated(InputGenerator, given: [String: HostTensor] = [:])
}
