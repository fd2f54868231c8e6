import Foundation
import XCTest
@testable import OnnxRuntimeKit

final class LibraryLoadingTests: XCTestCase {
    func testLoadsVenvLibraryAndNegotiatesApiVersion() throws {
        let lib = try RT.library()
        XCTAssertTrue(lib.path.contains("/onnxruntime/capi/libonnxruntime.so"), lib.path)
        XCTAssertEqual(lib.version, "1.32.0")
        // 1.32 offers API 32; this binding knows up to 30, so 30 is the highest both know.
        XCTAssertEqual(lib.apiVersion, 30)
        XCTAssertTrue(lib.supportsAssignmentInfo)
        let providers = try lib.availableProviders()
        XCTAssertTrue(providers.contains("CPUExecutionProvider"), "\(providers)")
        XCTAssertFalse(lib.buildInfo.isEmpty)
    }

    func testSearchOrderPrefersOptionThenEnvironmentThenProjectVenv() throws {
        try RT.requirePython()
        let venvLib = OrtLibraryLocator.resolve(RT.repo + "/.venv")
        XCTAssertNotNil(venvLib)
        // Project venv found from a nested directory by walking up.
        let nested = OrtLibraryLocator(environment: [:], projectRoots: [RT.repo + "/Sources/OnnxRuntimeKit"], askPython: false)
        guard case .found(let c) = nested.locate() else { return XCTFail("project venv not found") }
        XCTAssertEqual(c.source, .projectVenv)
        XCTAssertEqual(c.path, venvLib)
        // The variable wins over the venv.
        let env = OrtLibraryLocator(environment: ["ONNXSCOPE_ORT_LIB": venvLib!], projectRoots: ["/"], askPython: false)
        guard case .found(let e) = env.locate() else { return XCTFail("variable ignored") }
        XCTAssertEqual(e.source, .environment)
        // The option wins over the variable, and a bad explicit path is an error, not a fallback.
        let bad = OrtLibraryLocator(explicitPath: "/nonexistent/libonnxruntime.so", environment: ["ONNXSCOPE_ORT_LIB": venvLib!],
                                    projectRoots: [RT.repo], askPython: false)
        guard case .explicitMissing(let p, let source) = bad.locate() else { return XCTFail("fell back silently") }
        XCTAssertEqual(p, "/nonexistent/libonnxruntime.so")
        XCTAssertEqual(source, .option)
    }

    func testMissingLibraryErrorSaysHowToInstall() {
        XCTAssertThrowsError(try OrtLibrary.load(explicitPath: "/nonexistent/libonnxruntime.so")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/nonexistent/libonnxruntime.so"), text)
            XCTAssertTrue(text.contains("pip install onnxruntime"), text)
            XCTAssertTrue(text.contains("make ort"), text)
        }
        let nowhere = OrtLibraryLocator(environment: ["LD_LIBRARY_PATH": ""], projectRoots: ["/proc"], askPython: false)
        if case .notFound(let searched) = nowhere.locate() {
            let text = "\(RuntimeError.libraryNotFound(searched: searched))"
            XCTAssertTrue(text.contains("was not found"), text)
            XCTAssertTrue(text.contains("/usr/lib"), text)
        }
    }

    func testWrongLibraryIsRejectedClearly() throws {
        // A real shared library that is not ORT.
        let candidates = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1",
                          "/lib/aarch64-linux-gnu/libz.so.1", "/usr/lib/aarch64-linux-gnu/libz.so.1"]
        guard let libz = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            return XCTFail("no libz to test with")
        }
        XCTAssertThrowsError(try OrtLibrary.load(explicitPath: libz)) { error in
            XCTAssertTrue("\(error)".contains("not an ONNX Runtime library"), "\(error)")
        }
        // A file that is not a library at all.
        let junk = RT.tempDir("junk") + "/libonnxruntime.so"
        FileManager.default.createFile(atPath: junk, contents: Data("not elf".utf8))
        XCTAssertThrowsError(try OrtLibrary.load(explicitPath: junk)) { error in
            XCTAssertTrue("\(error)".contains("Cannot use ONNX Runtime library"), "\(error)")
        }
    }
}
