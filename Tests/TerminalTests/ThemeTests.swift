import Testing
@testable import Terminal
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ThemeTests {
    static let themesDirectory = ThemeResolver.sourceTreeThemesDirectory

    @Test func parsesColorsBackgroundsAndAttributes() throws {
        let theme = try ThemeParser.parse("""
            # comment line
            name = mine
            text = #ff8800            # trailing comment
            selection = white on #264f78 bold underline
            status = on 24
            error = bright-red bold
            border = 208
            edge = default on default
            """, source: "mine.theme")
        #expect(theme.name == "mine")
        #expect(theme[.text] == Style(fg: .rgb(0xFF, 0x88, 0x00)))
        #expect(theme[.selection] == Style(fg: .ansi(.white), bg: .rgb(0x26, 0x4F, 0x78), attributes: [.bold, .underline]))
        #expect(theme[.statusBar] == Style(bg: .indexed(24)))
        #expect(theme[.error] == Style(fg: .ansi(.brightRed), attributes: .bold))
        #expect(theme[.border] == Style(fg: .indexed(208)))
        #expect(theme[.edge] == Style(fg: .default, bg: .default))
        // Roles the file leaves out come from the built-in theme.
        #expect(theme[.opConv] == Theme.builtinDark[.opConv])
    }

    @Test func errorsNameFileAndLine() {
        func error(_ text: String) -> ThemeFileError? {
            do {
                _ = try ThemeParser.parse(text, source: "bad.theme")
                return nil
            } catch let e as ThemeFileError {
                return e
            } catch {
                return nil
            }
        }
        let unknownColor = error("name = x\n\ntext = #12345")
        #expect(unknownColor?.line == 3)
        #expect(unknownColor?.description.hasPrefix("bad.theme:3: text: '#12345' is neither a color") == true)
        #expect(error("text = red\nbogus.role = red")?.description.hasPrefix("bad.theme:2: unknown role 'bogus.role'") == true)
        #expect(error("text red")?.description == "bad.theme:1: expected 'key = value', got 'text red'")
        #expect(error("text =")?.description == "bad.theme:1: missing value for 'text'")
        #expect(error("text = red\ntext = blue")?.description == "bad.theme:2: 'text' is already set on line 1")
        #expect(error("selection = red on")?.description == "bad.theme:1: selection: 'on' must be followed by a background color")
        #expect(error("selection = red blue")?.line == 1)
        #expect(error("border = 256")?.line == 1)
        #expect(error("border = blink")?.line == 1)
    }

    @Test func shippedThemesParseAndDarkMatchesBuiltIn() throws {
        for name in ["dark", "light", "high-contrast", "16color"] {
            let theme = try ThemeParser.load(path: "\(Self.themesDirectory)/\(name).theme")
            #expect(theme.name == name)
            // Every shipped theme sets every role itself rather than inheriting dark's colors.
            let text = try TextFile.read("\(Self.themesDirectory)/\(name).theme")
            let keys = try KeyValueLines.parse(text, source: name).map { $0.1 }
            #expect(Set(keys) == Set(ThemeRole.allCases.map(\.rawValue) + ["name"]), "\(name) is missing roles")
        }
        let dark = try ThemeParser.load(path: "\(Self.themesDirectory)/dark.theme")
        #expect(dark == Theme.builtinDark)
    }

    @Test func sixteenColorThemeUsesOnlyANSIColors() throws {
        let theme = try ThemeParser.load(path: "\(Self.themesDirectory)/16color.theme")
        for (role, style) in theme.styles {
            for color in [style.fg, style.bg].compactMap({ $0 }) {
                switch color {
                case .ansi, .default: break
                default: Issue.record("\(role.rawValue) uses \(color)")
                }
            }
        }
    }

    @Test func missingFileErrorNamesThePath() {
        #expect {
            try ThemeParser.load(path: "/nonexistent/x.theme")
        } throws: { error in
            (error as? ThemeFileError)?.description.hasPrefix("/nonexistent/x.theme: cannot open") == true
        }
    }
}

@Suite struct ThemeResolverTests {
    let dirs = [ThemeResolver.sourceTreeThemesDirectory]

    @Test func optionWinsOverConfig() throws {
        let config = ConfigFile(path: "cfg", values: ["theme": "light"])
        #expect(try ThemeResolver.resolve(option: "high-contrast", config: config, searchDirectories: dirs).name == "high-contrast")
        #expect(try ThemeResolver.resolve(option: nil, config: config, searchDirectories: dirs).name == "light")
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: dirs).name == "dark")
    }

    @Test func fewColorsDefaultTo16ColorThemeUnlessChosen() throws {
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: dirs, colorDepth: .ansi16).name == "16color")
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: dirs, colorDepth: .monochrome).name == "16color")
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: dirs, colorDepth: .indexed256).name == "dark")
        #expect(try ThemeResolver.resolve(option: "light", config: ConfigFile(), searchDirectories: dirs, colorDepth: .ansi16).name == "light")
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: ["/nonexistent"], colorDepth: .ansi16) == Theme.builtinDark)
    }

    @Test func pathsAreLoadedDirectly() throws {
        let path = ThemeResolver.sourceTreeThemesDirectory + "/16color.theme"
        #expect(try ThemeResolver.resolve(option: path, config: ConfigFile(), searchDirectories: []).name == "16color")
    }

    @Test func defaultFallsBackToBuiltInWithoutFiles() throws {
        #expect(try ThemeResolver.resolve(option: nil, config: ConfigFile(), searchDirectories: ["/nonexistent"]) == Theme.builtinDark)
    }

    @Test func unknownNameListsAvailableThemes() {
        let config = ConfigFile(path: "/home/u/.config/onnxscope/config", values: ["theme": "solarized"])
        #expect {
            try ThemeResolver.resolve(option: nil, config: config, searchDirectories: dirs)
        } throws: { error in
            let text = (error as? ThemeFileError)?.description ?? ""
            return text.contains("/home/u/.config/onnxscope/config (theme = solarized)")
                && text.contains("no theme named 'solarized'; available: 16color, dark, high-contrast, light")
        }
    }

    @Test func configFileLocationFollowsXDG() {
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/u"]) == "/x/cfg/onnxscope/config")
        #expect(ConfigFile.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.config/onnxscope/config")
        // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
        #expect(ConfigFile.defaultPath(environment: ["XDG_CONFIG_HOME": "rel", "HOME": "/home/u"]) == "/home/u/.config/onnxscope/config")
        let dirs = ThemeResolver.searchDirectories(environment: ["HOME": "/home/u"], executablePath: "/opt/onnxscope/bin/onnxscope")
        #expect(dirs.prefix(3) == ["/home/u/.config/onnxscope/themes", "/opt/onnxscope/bin/../share/onnxscope/themes", "/opt/onnxscope/bin/themes"])
    }

    @Test func configFileIsReadFromXDGDirectory() throws {
        var template = Array("/tmp/onnxscope-config-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { _ = unlink(dir + "/onnxscope/config"); rmdir(dir + "/onnxscope"); rmdir(dir) }
        mkdir(dir + "/onnxscope", 0o700)
        let f = fopen(dir + "/onnxscope/config", "w")!
        fputs("# my settings\ntheme = light\nascii = false\n", f)
        fclose(f)
        let config = try ConfigFile.load(environment: ["XDG_CONFIG_HOME": dir])
        #expect(config["theme"] == "light")
        #expect(config["ascii"] == "false")
        #expect(config.path == dir + "/onnxscope/config")
        // No file at all is an empty config, not an error.
        #expect(try ConfigFile.load(environment: ["XDG_CONFIG_HOME": dir + "/none"]) == ConfigFile())
    }
}
