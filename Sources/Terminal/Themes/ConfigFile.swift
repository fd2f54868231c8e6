/// onnxscope's user configuration: `key = value` lines (same syntax as theme files) in
/// `$XDG_CONFIG_HOME/onnxscope/config`, or `~/.config/onnxscope/config` when that is unset.
///
/// ```
/// # ~/.config/onnxscope/config
/// theme = light
/// ```
public struct ConfigFile: Sendable, Equatable {
    /// Where the settings came from; `nil` when there was no file.
    public var path: String?
    public var values: [String: String]

    public init(path: String? = nil, values: [String: String] = [:]) {
        self.path = path
        self.values = values
    }

    public subscript(key: String) -> String? { values[key.lowercased()] }

    /// The config directory per the XDG base directory spec.
    public static func configDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/onnxscope" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/onnxscope" }
        return nil
    }

    public static func defaultPath(environment: [String: String]) -> String? {
        configDirectory(environment: environment).map { $0 + "/config" }
    }

    public static func parse(_ text: String, source: String) throws -> ConfigFile {
        var values: [String: String] = [:]
        for (number, key, value) in try KeyValueLines.parse(text, source: source) {
            if values[key] != nil {
                throw ThemeFileError(source: source, line: number, message: "'\(key)' is set twice")
            }
            values[key] = value
        }
        return ConfigFile(path: source, values: values)
    }

    /// Reads the config file at `path`, or the default location; a missing file is an empty config.
    public static func load(path: String? = nil, environment: [String: String]) throws -> ConfigFile {
        guard let p = path ?? defaultPath(environment: environment) else { return ConfigFile() }
        guard TextFile.exists(p) else {
            if path != nil { throw ThemeFileError(source: p, line: 0, message: "config file not found") }
            return ConfigFile()
        }
        do {
            return try parse(try TextFile.read(p), source: p)
        } catch let error as TextFile.ReadError {
            throw ThemeFileError(source: p, line: 0, message: error.description)
        }
    }
}
