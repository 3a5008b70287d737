import CryptoKit
import XCTest
@testable import EmojiLab

/// The model on this device gives what Python's LiteRT gave for golden.json's texts, within its tolerance.
final class ClassifierGoldenTests: XCTestCase {
    private var golden: GoldenFile!
    private var classifier: EmojiClassifier!

    override func setUpWithError() throws {
        golden = try GoldenFile.load()
        classifier = try EmojiClassifier(bundle: .main)
    }

    func testBundledModelIsTheOneGoldenDescribes() throws {
        let data = try Data(contentsOf: ModelFiles.url(of: ModelFiles.model, in: .main))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(digest, golden.model.sha256, "golden.json belongs to another emoji_model.tflite: export again")
        XCTAssertEqual(data.count, golden.model.bytes)
    }

    func testLabelsAreTheGoldenLabels() {
        XCTAssertEqual(classifier.labels, golden.labels)
    }

    /// The rule (the same in tests/test_ios_starter.py): every golden top-k probability within the
    /// tolerance, and the same top-1 unless Python's first two are within twice the tolerance.
    func testProbabilitiesMatchPython() throws {
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            let probabilities = try classifier.probabilities(for: example.text)
            XCTAssertEqual(probabilities.count, golden.labels.count)
            for top in example.top {
                XCTAssertEqual(Double(probabilities[top.index]), top.probability, accuracy: golden.tolerance,
                               "\(example.name): \(top.emoji)")
            }
            guard example.top.count >= 2 else { continue }
            let (first, second) = (example.top[0], example.top[1])
            if abs(first.probability - second.probability) > 2 * golden.tolerance {
                let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }
                XCTAssertEqual(best, first.index, "\(example.name): top-1")
            }
        }
    }

    func testClassifyGivesTopKBestFirst() async throws {
        let result = try await classifier.classify("so tired of this week", topK: golden.topK)
        let probabilities = result.predictions.map(\.probability)
        XCTAssertEqual(result.predictions.count, golden.topK)
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        XCTAssertEqual(result.predictions.map(\.emoji), result.predictions.map { golden.labels[$0.index] })
        XCTAssertGreaterThan(result.milliseconds, 0)
    }

    func testProbabilitiesSumToOne() throws {
        let total = try classifier.probabilities(for: "").reduce(0, +)
        XCTAssertEqual(total, 1, accuracy: 1e-3)
    }
}
