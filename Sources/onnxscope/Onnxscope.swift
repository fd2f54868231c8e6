import ArgumentParser

@main
struct Onnxscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnxscope",
        abstract: "Explore ONNX models and how ONNX Runtime runs them, in the terminal.",
        version: "0.1.0",
        subcommands: [ViewCommand.self, InfoCommand.self, SampleCommand.self, RunCommand.self, QuantizeCommand.self, PartitionCommand.self, RuntimeCommand.self],
        defaultSubcommand: ViewCommand.self
    )
}
