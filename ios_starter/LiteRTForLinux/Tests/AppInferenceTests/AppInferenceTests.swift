import EmojiLabKit
import Foundation
import LiteRT
import XCTest
@testable import AppInference

/// The app's inference file on LiteRT's C runtime gives what Python's LiteRT gave: golden.json, under the rule the
/// app's XCTest applies on the phone (`Golden.mismatches`), and refuses files that do not fit with a reason.
final class AppInferenceTests: XCTestCase {
    static let iosStarter = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let resources = iosStarter.appendingPathComponent("EmojiLab/Resources")

    override func setUpWithError() throws {
        guard let path = ProcessInfo.processInfo.environment["LITERT_LIBRARY"], !path.isEmpty else {
            throw XCTSkip("LITERT_LIBRARY is not set: set it to libLiteRt.so in the ai-edge-litert wheel, "
                          + "python3 -c 'import ai_edge_litert,os;print(os.path.dirname(ai_edge_litert.__file__))'")
        }
    }

    private func golden() throws -> Golden {
        try Golden.decode(Data(contentsOf: Self.resources.appendingPathComponent(ModelFiles.golden)))
    }

    private func predictor(_ folder: URL = resources) async throws -> Predictor {
        try await Predictor.load { try LiteRTEmojiModel(files: ModelFileURLs(folder: folder)) }
    }

    func testTheShippedModelGivesGoldensProbabilitiesForEveryText() async throws {
        let golden = try golden()
        let bytes = try Data(contentsOf: Self.resources.appendingPathComponent(ModelFiles.model)).count
        XCTAssertEqual(bytes, golden.model.bytes, "golden.json belongs to another emoji_model.tflite: export again")
        let predictor = try await predictor()
        XCTAssertEqual(predictor.labels, golden.labels)
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            let probabilities = try await predictor.probabilities(for: example.text)
            let mismatches = golden.mismatches(example, probabilities)
            if !mismatches.isEmpty {
                XCTFail("golden example \(example.name): probabilities differ from Python's: "
                        + mismatches.prefix(3).joined(separator: "; "))
            }
        }
    }

    func testTheModelRunsWhereGoldenSaysPythonRanIt() throws {
        let golden = try golden()
        XCTAssertEqual(golden.runtime.api, "CompiledModel")
        XCTAssertEqual(LiteRTEmojiModel.acceleratorNames, golden.runtime.accelerators)
    }

    /// Golden's texts that are empty once cleaned (nothing, emoji only, spaces only) and longer than the tensor.
    func testGoldenHoldsEmptyAndOverlongTexts() throws {
        let golden = try golden()
        let encoder = ByteEncoder(preprocess: try Preprocess(fields: golden.preprocess))
        let empty = golden.examples.filter { $0.clean.isEmpty }.map(\.name)
        XCTAssertTrue(Set(["empty", "emoji_only", "whitespace_only"]).isSubset(of: empty), "\(empty)")
        XCTAssertTrue(golden.examples.contains { $0.clean.utf8.count > encoder.preprocess.maxLen })
    }

    func testTextLongerThanTheTensorIsCutAsPythonCutsIt() async throws {
        let predictor = try await predictor()
        let maxLen = predictor.encoder.preprocess.maxLen
        let long = try await predictor.probabilities(for: String(repeating: "so tired ", count: 10_000))
        let cut = try await predictor.probabilities(for: String(String(repeating: "so tired ", count: 10_000)
            .utf8.prefix(maxLen))!)
        XCTAssertEqual(long, cut)
        XCTAssertEqual(long.count, predictor.labels.count)
    }

    func testClassifyGivesTopKBestFirst() async throws {
        let result = try await predictor().classify("so tired of this week", topK: 5)
        let probabilities = result.suggestions.map(\.probability)
        XCTAssertEqual(result.suggestions.count, 5)
        XCTAssertEqual(probabilities, probabilities.sorted(by: >))
        XCTAssertGreaterThan(result.milliseconds, 0)
        let total = try await predictor().probabilities(for: "").reduce(0, +)
        XCTAssertEqual(total, 1, accuracy: 1e-3)
    }

    func testFilesThatDoNotFitTogetherAreRefusedWithAReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("emoji-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in [ModelFiles.model, ModelFiles.labels, ModelFiles.preprocess] {
            try FileManager.default.copyItem(at: Self.resources.appendingPathComponent(name),
                                             to: folder.appendingPathComponent(name))
        }
        func refusal() -> ModelLoadError? {
            do {
                _ = try LiteRTEmojiModel(files: ModelFileURLs(folder: folder))
                return nil
            } catch {
                return error as? ModelLoadError
            }
        }
        XCTAssertNil(refusal())

        let preprocess = folder.appendingPathComponent(ModelFiles.preprocess)
        let original = try Data(contentsOf: preprocess)
        try Data(String(decoding: original, as: UTF8.self)
            .replacingOccurrences(of: "\"max_len\": 128", with: "\"max_len\": 64").utf8).write(to: preprocess)
        XCTAssertEqual(refusal(), .inputMismatch(found: "int32 [1, 128]", expected: "int32 [1, 64]"))
        XCTAssertTrue(refusal()?.errorDescription?.contains("Export again") ?? false)
        try original.write(to: preprocess)

        let labels = folder.appendingPathComponent(ModelFiles.labels)
        let lines = try Labels.parse(Data(contentsOf: labels))
        try Data(lines.dropLast().map { $0 + "\n" }.joined().utf8).write(to: labels)
        XCTAssertEqual(refusal(), .outputMismatch(found: "float32 [1, \(lines.count)]", labels: lines.count - 1))
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: labels)

        try Data("not a model".utf8).write(to: folder.appendingPathComponent(ModelFiles.model))
        guard case .unreadableModel(let reason)? = refusal() else { return XCTFail("a broken model file loaded") }
        XCTAssertFalse(reason.isEmpty)
    }
}
