#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the theme the user asked for.
///
/// Precedence: the `--theme` option, then `theme = ...` in the ``ConfigFile``, then `dark`
/// (or `16color` when the terminal shows 16 colors or fewer: dark's RGB colors collapse onto too
/// few ANSI colors there, e.g. the selection background onto the screen background).
/// A value containing `/` or ending in `.theme` is a file path; anything else is a name looked up
/// as `NAME.theme` in ``searchDirectories(environment:executablePath:)``. The default `dark`
/// falls back to ``Theme/builtinDark`` when no file is found, so onnxscope works from a bare
/// binary; a theme the user named explicitly must exist, and the error lists what does.
public enum ThemeResolver {
    /// Where theme files are looked for, most specific first: the user's config directory,
    /// an installation's `share/onnxscope/themes` next to the binary, `./themes`, and the
    /// source tree the binary was built from.
    public static func searchDirectories(environment: [String: String], executablePath: String? = currentExecutablePath()) -> [String] {
        var dirs: [String] = []
        if let config = ConfigFile.configDirectory(environment: environment) { dirs.append(config + "/themes") }
        if let exe = executablePath, let slash = exe.lastIndex(of: "/") {
            let binDir = String(exe[..<slash])
            dirs.append(binDir + "/../share/onnxscope/themes")
            dirs.append(binDir + "/themes")
        }
        dirs.append("themes")
        dirs.append(sourceTreeThemesDirectory)
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// `themes/` of the checkout this file was compiled from (Sources/Terminal/Themes/ → root).
    static let sourceTreeThemesDirectory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/themes"
    }()

    /// Resolves the theme from the option, the config and the search directories.
    ///
    /// - Throws: ``ThemeFileError`` for a named theme that does not exist (naming where it was
    ///   asked for, and listing the available ones) or a theme file with errors.
    ///
    /// - Parameter colorDepth: the terminal's depth, when known, to choose the default theme.
    public static func resolve(option: String?, config: ConfigFile, searchDirectories: [String], colorDepth: ColorDepth? = nil) throws -> Theme {
        let requested: String
        let origin: String
        if let option, !option.isEmpty {
            requested = option
            origin = "--theme"
        } else if let configured = config["theme"] {
            requested = configured
            origin = config.path.map { "\($0) (theme = \(configured))" } ?? "config"
        } else {
            // With 16 colors or fewer, prefer 16color when it is installed; dark (file or built
            // in) is the fallback either way.
            if let depth = colorDepth, depth <= .ansi16,
               let path = searchDirectories.map({ $0 + "/16color.theme" }).first(where: TextFile.exists) {
                return try ThemeParser.load(path: path)
            }
            requested = "dark"
            origin = ""
        }

        if requested.contains("/") || requested.hasSuffix(".theme") {
            guard TextFile.exists(requested) else {
                throw ThemeFileError(source: requested, line: 0, message: "theme file not found" + (origin.isEmpty ? "" : " (from \(origin))"))
            }
            return try ThemeParser.load(path: requested)
        }
        for dir in searchDirectories {
            let path = dir + "/" + requested + ".theme"
            if TextFile.exists(path) { return try ThemeParser.load(path: path) }
        }
        if requested == "dark" { return .builtinDark }
        let available = availableThemes(in: searchDirectories)
        throw ThemeFileError(source: origin, line: 0,
                             message: "no theme named '\(sanitizedForTerminal(requested))'; available: " + (available.isEmpty ? "dark (built in)" : available.joined(separator: ", ")))
    }

    /// Convenience for the application: reads the default config file and searches the default directories.
    public static func resolve(option: String?, environment: [String: String], colorDepth: ColorDepth? = nil) throws -> Theme {
        let config = try ConfigFile.load(environment: environment)
        return try resolve(option: option, config: config, searchDirectories: searchDirectories(environment: environment), colorDepth: colorDepth)
    }

    /// Names of the `.theme` files in the directories, sorted, without duplicates.
    public static func availableThemes(in directories: [String]) -> [String] {
        var names = Set<String>()
        for dir in directories {
            guard let d = opendir(dir) else { continue }
            defer { closedir(d) }
            while let entry = readdir(d) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if name.hasSuffix(".theme") && name.count > 6 { names.insert(String(name.dropLast(6))) }
            }
        }
        return names.sorted()
    }

    /// This process's executable (Linux `/proc/self/exe`), used to find themes installed next to it.
    public static func currentExecutablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return CommandLine.arguments.first }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
