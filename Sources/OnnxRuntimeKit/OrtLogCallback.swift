/// The C function ORT calls for every log message (`CreateEnvWithCustomLogger`).
///
/// A `@convention(c)` function cannot capture anything, so the ``OrtLog`` it writes to travels
/// as ORT's opaque `logger_param`, unretained: the store must outlive the environment, which it
/// does because libraries (and their environments) live until the process exits. ORT calls this
/// from its own threads; ``OrtLog/record(severity:category:message:)`` locks.
let ortLogCallback: OrtLoggingFunction = { param, severity, category, _, _, message in
    guard let param else { return }
    let log = Unmanaged<OrtLog>.fromOpaque(param).takeUnretainedValue()
    // The log id is always onnxscope's own ("onnxscope") and the code location is ORT's source
    // file; neither helps a user, so only category and message are kept.
    log.record(severity: OrtLogLevel(reported: severity),
               category: category.map { String(cString: $0) } ?? "",
               message: message.map { String(cString: $0) } ?? "")
}

extension OrtLog {
    /// The value to hand ORT as `logger_param` for ``ortLogCallback``.
    var callbackParameter: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}
