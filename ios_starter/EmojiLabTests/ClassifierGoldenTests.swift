import CryptoKit
import EmojiLabKit
import XCTest
@testable import EmojiLab

/// The model on this device gives what Python's LiteRT gave for golden.json's texts, within its tolerance.
/// (The cleaner, the encoder and the ranking are tested in EmojiLabKit, on Linux in CI as well.)
final class ClassifierGoldenTests: XCTestCase {
    private var golden: Golden!
    private var classifier: EmojiClassifier!

    override func setUp() async throws {
        let url = try XCTUnwrap(Bundle.main.url(forResource: ModelFiles.golden, withExtension: nil))
        golden = try Golden.decode(Data(contentsOf: url))
        classifier = try await EmojiClassifier.load(from: .main)  // unit tests run inside the app (TEST_HOST)
    }

    func testBundledModelIsTheOneGoldenDescribes() throws {
        let url = try XCTUnwrap(Bundle.main.url(forResource: ModelFiles.model, withExtension: nil))
        let data = try Data(contentsOf: url)
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(digest, golden.model.sha256, "golden.json belongs to another emoji_model.tflite: export again")
        XCTAssertEqual(data.count, golden.model.bytes)
        XCTAssertEqual(classifier.labels, golden.labels)
    }

    func testTheAppRunsLiteRTAsPythonDid() {
        XCTAssertEqual(EmojiClassifier.isXNNPackEnabled, golden.interpreter.xnnpack)
        XCTAssertEqual(EmojiClassifier.threadCount, golden.interpreter.threads)
    }

    /// Every class's probability within golden.json's tolerance, and the same top-k emoji in the same order
    /// unless two of Python's neighbours in that order are within twice the tolerance of each other.
    func testProbabilitiesMatchPython() async throws {
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            let probabilities = try await classifier.probabilities(for: example.text)
            XCTAssertEqual(probabilities.count, golden.labels.count)
            for (index, expected) in example.probabilities.enumerated() {
                XCTAssertEqual(Double(probabilities[index]), expected, accuracy: golden.tolerance,
                               "\(example.name): \(golden.labels[index])")
            }
            let tied = zip(example.top, example.top.dropFirst())
                .contains { abs($0.probability - $1.probability) <= 2 * golden.tolerance }
            if !tied {
                let ranked = topSuggestions(probabilities, labels: golden.labels, k: golden.topK)
                XCTAssertEqual(ranked.map(\.index), example.top.map(\.index), "\(example.name): top-\(golden.topK)")
            }
        }
    }

    func testClassifyGivesTopKBestFirst() async throws {
        let result = try await classifier.classify("so tired of this week", topK: golden.topK)
        let probabilities = result.suggestions.map(\.probability)
        XCTAssertEqual(result.suggestions.count, golden.topK)
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        XCTAssertGreaterThan(result.milliseconds, 0)
    }

    func testProbabilitiesSumToOne() async throws {
        let total = try await classifier.probabilities(for: "").reduce(0, +)
        XCTAssertEqual(total, 1, accuracy: 1e-3)
    }
}
