import Foundation
import XCTest
@testable import EmojiLabKit

/// preprocess.json the app cannot implement is refused with a reason; it is never guessed.
final class PreprocessTests: XCTestCase {
    /// Python's preprocess.json (from its encoder golden file) as JSON, with `change` applied.
    private func preprocess(_ change: (inout [String: Any]) -> Void = { _ in }) throws -> Data {
        let path = GoldenFiles.iosStarter.deletingLastPathComponent()
            .appendingPathComponent("src/emoji_lab/golden/byte_encoder.json")
        let source = FileManager.default.fileExists(atPath: path.path)
            ? try Data(contentsOf: path) : try GoldenFiles.resource(ModelFiles.golden)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: source) as? [String: Any])
        var fields = try XCTUnwrap(object["preprocess"] as? [String: Any])
        change(&fields)
        return try JSONSerialization.data(withJSONObject: fields)
    }

    private func refusal(_ change: (inout [String: Any]) -> Void) throws -> PreprocessError? {
        do {
            _ = try Preprocess.decode(preprocess(change))
            return nil
        } catch let error as PreprocessError {
            return error
        }
    }

    func testPythonsPreprocessDecodes() throws {
        let decoded = try Preprocess.decode(preprocess())
        XCTAssertEqual(decoded.maxLen, 128)
        XCTAssertEqual(decoded.offset, 1)
        XCTAssertEqual(decoded.padId, 0)
    }

    func testAnOlderExportGetsAClearMessage() throws {
        let error = try refusal { $0["version"] = 1; $0["cleaning"] = nil }
        XCTAssertEqual(error, .olderScheme(version: 1))
        XCTAssertTrue(error?.errorDescription?.contains("Export your model again") ?? false)
    }

    func testWhatTheAppDoesNotImplementIsRefused() throws {
        XCTAssertEqual(try refusal { $0["version"] = 3 }, .unsupportedScheme(scheme: "utf8-bytes", version: 3))
        XCTAssertEqual(try refusal { $0["scheme"] = "utf8-chars" }, .unsupportedScheme(scheme: "utf8-chars", version: 2))
        XCTAssertEqual(try refusal { $0["truncate"] = "start" }, .unsupported(key: "truncate", value: "start"))
        XCTAssertEqual(try refusal { $0["normalization"] = "NFC" }, .unsupported(key: "normalization", value: "NFC"))
        XCTAssertEqual(try refusal { $0["max_len"] = 0 }, .unsupported(key: "max_len", value: "0"))
        XCTAssertEqual(try refusal { $0["lowercase"] = true }, .unknownKeys(["lowercase"]))
        XCTAssertEqual(try refusal { $0["pad_id"] = nil }, .missingKeys(["pad_id"]))
        XCTAssertEqual(try refusal { $0["cleaning"] = NSNull() }, .uncleanedModel)
    }

    func testACleaningRuleTheAppDoesNotImplementIsRefused() throws {
        func cleaning(_ key: String, _ value: Any) -> (inout [String: Any]) -> Void {
            { fields in
                var spec = fields["cleaning"] as? [String: Any] ?? [:]
                spec[key] = value
                fields["cleaning"] = spec
            }
        }
        XCTAssertEqual(try refusal(cleaning("version", 2)), .unsupportedCleaning(rule: "strip-emoji", version: 2))
        XCTAssertEqual(try refusal(cleaning("remove", "A9 2194-")), .badRange(key: "remove", part: "2194-"))
        XCTAssertEqual(try refusal(cleaning("whitespace", "20 0x85")), .badRange(key: "whitespace", part: "0x85"))
        XCTAssertEqual(try refusal(cleaning("lowercase", true)), .unknownKeys(["cleaning.lowercase"]))
    }

    func testTextThatIsNotPreprocessJSONIsUnreadable() {
        for text in ["", "[]", "{\"scheme\": \"utf8-bytes\"}", "{\"scheme\": 1, \"version\": 2}"] {
            XCTAssertThrowsError(try Preprocess.decode(Data(text.utf8)), text) { error in
                guard case .unreadable? = error as? PreprocessError else { return XCTFail("\(text): \(error)") }
            }
        }
    }

    func testAWrongTypeIsNamed() throws {
        let error = try refusal { $0["max_len"] = "128" }
        guard case .unreadable(let reason)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertTrue(reason.contains("max_len"), reason)
    }
}
