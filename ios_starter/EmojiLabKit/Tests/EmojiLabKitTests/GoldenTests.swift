import Foundation
import XCTest
@testable import EmojiLabKit

/// The Swift side gives exactly what Python gave: the same cleaned text, the same ids, the same ranking.
final class GoldenTests: XCTestCase {
    func testCleanerAndEncoderGivePythonsTextAndIdsForEveryAppGoldenText() throws {
        let golden = try GoldenFiles.app()
        let encoder = ByteEncoder(preprocess: try Preprocess(fields: golden.preprocess))
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            XCTAssertEqual(encoder.clean(example.text), example.clean, "golden example \(example.name): cleaned text")
            XCTAssertEqual(encoder.encode(example.text), example.ids, "golden example \(example.name): ids")
        }
    }

    func testCleanerAndEncoderGivePythonsTextAndIdsForEveryEncoderVector() throws {
        let golden = try GoldenFiles.encoder()
        let encoder = ByteEncoder(preprocess: try Preprocess(fields: golden.preprocess))
        XCTAssertFalse(golden.vectors.isEmpty)
        for vector in golden.vectors {
            XCTAssertEqual(encoder.clean(vector.text), vector.clean, "encoder vector \(vector.name): cleaned text")
            XCTAssertEqual(encoder.encode(vector.text), vector.ids, "encoder vector \(vector.name): ids")
        }
    }

    /// What the phone's text holds and training never did, each in a golden text (the list).
    func testGoldenTextsCoverWhatAPhoneSends() throws {
        let names = Set(try GoldenFiles.encoder().vectors.map(\.name))
        let needed: Set = ["emoji_inside", "suggestion_just_tapped", "trailing_and_repeated_spaces", "crlf",
                           "skin_tone", "zwj_family", "flag", "heart_with_fe0f", "heart_without_fe0f",
                           "exactly_max_len", "cut_inside_utf8"]
        XCTAssertTrue(needed.isSubset(of: names), "missing: \(needed.subtracting(names).sorted())")
        XCTAssertTrue(needed.isSubset(of: Set(try GoldenFiles.app().examples.map(\.name))))
    }

    func testRankingGoldenProbabilitiesGivesGoldensTopKInOrder() throws {
        let golden = try GoldenFiles.app()
        for example in golden.examples {
            XCTAssertEqual(example.probabilities.count, golden.labels.count, example.name)
            let ranked = topSuggestions(example.probabilities.map { Float($0) }, labels: golden.labels, k: golden.topK)
            XCTAssertEqual(ranked.map(\.index), example.top.map(\.index), "golden example \(example.name): order")
            XCTAssertEqual(ranked.map(\.emoji), example.top.map(\.emoji), "golden example \(example.name): emoji")
        }
    }

    func testTheAppsFilesAreTheOnesGoldenDescribes() throws {
        let golden = try GoldenFiles.app()
        let bundled = try Preprocess.decode(GoldenFiles.resource(ModelFiles.preprocess))
        XCTAssertEqual(bundled, try Preprocess(fields: golden.preprocess))
        XCTAssertEqual(try Labels.parse(GoldenFiles.resource(ModelFiles.labels)), golden.labels)
        XCTAssertEqual(golden.model.file, ModelFiles.model)
        XCTAssertEqual(golden.runtime.api, "CompiledModel", "golden.json was computed as the app runs the model")
    }
}
