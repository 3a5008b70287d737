import Foundation
import XCTest
@testable import EmojiLabKit

/// A model that answers from a table, and only for the ids of the one text it expects.
private final class TableModel: EmojiModel {
    let labels = ["a", "b", "c"]
    let encoder: ByteEncoder
    let expected: [Int32]

    init(encoder: ByteEncoder, expecting text: String) {
        self.encoder = encoder
        expected = encoder.encode(text)
    }

    func probabilities(for ids: [Int32]) throws -> [Float] {
        guard ids == expected else { throw ModelLoadError.unreadableModel("other ids") }
        return [0.2, 0.5, 0.3]
    }
}

final class PredictorTests: XCTestCase {
    private func encoder() throws -> ByteEncoder {
        ByteEncoder(preprocess: try Preprocess(fields: GoldenFiles.app().preprocess))
    }

    func testThePredictorFeedsTheModelCleanedEncodedTextAndRanksItsAnswer() async throws {
        let encoder = try encoder()
        let predictor = try await Predictor.load { TableModel(encoder: encoder, expecting: "so tired") }
        XCTAssertEqual(predictor.labels, ["a", "b", "c"])
        let result = try await predictor.classify("so  tired 😩\r\n", topK: 2)  // cleaned to "so tired"
        XCTAssertEqual(result.suggestions.map(\.emoji), ["b", "c"])
        XCTAssertEqual(result.text, "so  tired 😩\r\n")
        XCTAssertGreaterThanOrEqual(result.milliseconds, 0)
        do {
            _ = try await predictor.probabilities(for: "something else")
            XCTFail("the model was given other ids")
        } catch {
            XCTAssertEqual(error as? ModelLoadError, .unreadableModel("other ids"))
        }
    }

    func testAModelThatCannotLoadReachesTheCaller() async {
        do {
            _ = try await Predictor.load { () throws -> any EmojiModel in throw ModelLoadError.missingFile("x") }
            XCTFail("loaded a model that threw")
        } catch {
            XCTAssertEqual(error as? ModelLoadError, .missingFile("x"))
        }
    }
}

/// The rule the tests on Linux and on the phone apply to golden.json: the tolerance, and near-ties forgiven.
final class GoldenRuleTests: XCTestCase {
    private func golden(tolerance: Double, top: [(Int, Double)], probabilities: [Double]) throws -> Golden {
        let app = try JSONSerialization.jsonObject(with: GoldenFiles.resource(ModelFiles.golden)) as! [String: Any]
        var object = app
        object["labels"] = ["a", "b", "c"]
        object["tolerance"] = tolerance
        object["examples"] = [["name": "x", "text": "", "clean": "", "ids": [Int32](), "probabilities": probabilities,
                               "top": top.map { ["index": $0.0, "emoji": ["a", "b", "c"][$0.0], "probability": $0.1] }]]
        return try Golden.decode(JSONSerialization.data(withJSONObject: object))
    }

    func testOnlyNearTiesMaySwapAndEveryProbabilityMustBeWithinTheTolerance() throws {
        let nearTie = try golden(tolerance: 1e-3, top: [(0, 0.5004), (1, 0.4996)], probabilities: [0.5004, 0.4996, 0])
        let example = nearTie.examples[0]
        XCTAssertEqual(nearTie.mismatches(example, [0.5004, 0.4996, 0]), [])
        XCTAssertEqual(nearTie.mismatches(example, [0.4998, 0.5002, 0]), [])  // swapped, but a near-tie
        XCTAssertEqual(nearTie.mismatches(example, [0.5030, 0.4970, 0]).count, 2)  // each off by more than 1e-3
        XCTAssertEqual(nearTie.mismatches(example, [0.5004, 0.4996]).count, 1)  // a probability missing
        XCTAssertEqual(nearTie.mismatches(example, [.nan, 0.4996, 0]).count, 1)

        let clearWin = try golden(tolerance: 1e-3, top: [(0, 0.6), (1, 0.4)], probabilities: [0.6, 0.4, 0])
        let swapped = clearWin.mismatches(clearWin.examples[0], [0.4, 0.6, 0])
        XCTAssertEqual(swapped.count, 3)
        XCTAssertTrue(swapped.last?.contains("top-2") ?? false, "\(swapped)")
    }
}

/// The model files read and checked before a runtime loads the model.
final class ModelContractTests: XCTestCase {
    func testTheAppsFilesMakeAContractThatNamesWhatDoesNotFit() throws {
        let contract = try ModelContract(files: ModelFileURLs(folder: GoldenFiles.resources))
        XCTAssertEqual(contract.labels, try GoldenFiles.app().labels)
        XCTAssertNoThrow(try contract.checkInput(count: 1, elementType: "int32", dimensions: [1, 128]))
        XCTAssertThrowsError(try contract.checkInput(count: 1, elementType: "float32", dimensions: [1, 128])) {
            XCTAssertEqual($0 as? ModelLoadError, .inputMismatch(found: "float32 [1, 128]", expected: "int32 [1, 128]"))
        }
        XCTAssertThrowsError(try contract.checkInput(count: 2, elementType: "int32", dimensions: [1, 128])) {
            XCTAssertEqual($0 as? ModelLoadError, .inputMismatch(found: "2 tensors", expected: "int32 [1, 128]"))
        }
        let labels = contract.labels.count
        XCTAssertNoThrow(try contract.checkOutput(count: 1, elementType: "float32", dimensions: [1, labels]))
        XCTAssertThrowsError(try contract.checkOutput(count: 1, elementType: "float32", dimensions: [1, labels + 1])) {
            XCTAssertEqual($0 as? ModelLoadError, .outputMismatch(found: "float32 [1, \(labels + 1)]", labels: labels))
        }
    }

    func testAMissingFileIsNamed() {
        let nowhere = URL(fileURLWithPath: "/nonexistent-emoji-lab")
        XCTAssertThrowsError(try ModelContract(files: ModelFileURLs(folder: nowhere))) {
            XCTAssertEqual($0 as? ModelLoadError, .missingFile(ModelFiles.labels))
            XCTAssertTrue(($0 as? ModelLoadError)?.errorDescription?.contains("lesson 8") ?? false)
        }
        XCTAssertThrowsError(try ModelFileURLs(bundle: Bundle(for: ModelContractTests.self))) {
            XCTAssertEqual($0 as? ModelLoadError, .missingFile(ModelFiles.model))
        }
    }
}
