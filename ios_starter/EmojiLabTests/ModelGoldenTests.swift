import CryptoKit
import EmojiLabKit
import XCTest
@testable import EmojiLab

/// The model on this device gives what Python's LiteRT gave for golden.json's texts, within its tolerance: the
/// rule `Golden.mismatches` applies here as on Linux in CI, where the same inference file runs on LiteRT's C runtime.
/// (The cleaner, the encoder and the ranking are tested in EmojiLabKit.)
final class ModelGoldenTests: XCTestCase {
    private var golden: Golden!
    private var predictor: Predictor!

    override func setUp() async throws {
        let url = try XCTUnwrap(Bundle.main.url(forResource: ModelFiles.golden, withExtension: nil))
        golden = try Golden.decode(Data(contentsOf: url))
        predictor = try await .liteRT(in: .main)  // unit tests run inside the app (TEST_HOST)
    }

    func testBundledModelIsTheOneGoldenDescribes() throws {
        let url = try XCTUnwrap(Bundle.main.url(forResource: ModelFiles.model, withExtension: nil))
        let data = try Data(contentsOf: url)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(digest, golden.model.sha256, "golden.json belongs to another emoji_model.tflite: export again")
        XCTAssertEqual(data.count, golden.model.bytes)
        XCTAssertEqual(predictor.labels, golden.labels)
    }

    func testTheAppRunsLiteRTAsPythonDid() {
        XCTAssertEqual(golden.runtime.api, "CompiledModel")
        XCTAssertEqual(LiteRTEmojiModel.acceleratorNames, golden.runtime.accelerators)
    }

    func testProbabilitiesMatchPython() async throws {
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            let mismatches = golden.mismatches(example, try await predictor.probabilities(for: example.text))
            XCTAssertEqual(mismatches, [], "golden example \(example.name): probabilities differ from Python's")
        }
    }

    func testClassifyGivesTopKBestFirst() async throws {
        let result = try await predictor.classify("so tired of this week", topK: golden.topK)
        let probabilities = result.suggestions.map(\.probability)
        XCTAssertEqual(result.suggestions.count, golden.topK)
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        XCTAssertGreaterThan(result.milliseconds, 0)
    }
}
