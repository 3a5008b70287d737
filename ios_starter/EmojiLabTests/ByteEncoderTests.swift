import XCTest
@testable import EmojiLab

/// The Swift encoder must give exactly the ids Python gave (golden.json), and never trap on any text.
final class ByteEncoderTests: XCTestCase {
    private var golden: GoldenFile!
    private var encoder: ByteEncoder!

    override func setUpWithError() throws {
        golden = try GoldenFile.load()
        encoder = ByteEncoder(preprocess: golden.preprocess)
    }

    func testGoldenTextsEncodeToPythonIds() {
        XCTAssertFalse(golden.examples.isEmpty)
        for example in golden.examples {
            XCTAssertEqual(encoder.encode(example.text), example.ids, "golden example \(example.name)")
        }
    }

    func testBundledPreprocessIsTheGoldenOne() throws {
        let url = try ModelFiles.url(of: ModelFiles.preprocess, in: .main)
        XCTAssertEqual(try Preprocess.decode(from: Data(contentsOf: url)), golden.preprocess)
    }

    func testEmptyTextIsAllPadding() {
        let padding = Array(repeating: Int32(golden.preprocess.padId), count: golden.preprocess.maxLen)
        XCTAssertEqual(encoder.encode(""), padding)
    }

    func testLongTextIsCutToMaxLen() {
        let ids = encoder.encode(String(repeating: "ab😂", count: 10_000))
        XCTAssertEqual(ids.count, golden.preprocess.maxLen)
        XCTAssertFalse(ids.contains(Int32(golden.preprocess.padId)))
    }

    func testCutInsideAnEmojiKeepsItsFirstBytes() {
        // 😂 is 4 UTF-8 bytes (F0 9F 98 82): with 2 bytes of room left, the model sees the first 2.
        let text = String(repeating: "x", count: golden.preprocess.maxLen - 2) + "😂"
        let offset = Int32(golden.preprocess.offset)
        XCTAssertEqual(Array(encoder.encode(text).suffix(2)), [0xF0 + offset, 0x9F + offset])
    }

    func testUnsupportedPreprocessIsRefused() throws {
        let changes: [(String, Any)] = [("scheme", "utf8-chars"), ("version", 2), ("truncate", "start"),
                                        ("normalization", "NFC"), ("lowercase", true)]
        for (key, value) in changes {
            let data = try bundledPreprocess(setting: key, to: value)
            XCTAssertThrowsError(try Preprocess.decode(from: data), key) { error in
                XCTAssertTrue(error is PreprocessError, "\(key): \(error)")
            }
        }
    }

    func testInt32DataIsLittleEndian() {
        XCTAssertEqual([UInt8](Data(int32LittleEndian: [1, 258])), [1, 0, 0, 0, 2, 1, 0, 0])
    }

    func testFloat32DataReadsBack() {
        let values: [Float32] = [0.25, 1e-7, 0.5]
        let data = values.map(\.bitPattern.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
        XCTAssertEqual(data.float32LittleEndian(), values)
    }

    /// The app's preprocess.json with one key set to another value (or added).
    private func bundledPreprocess(setting key: String, to value: Any) throws -> Data {
        let url = try ModelFiles.url(of: ModelFiles.preprocess, in: .main)
        var fields = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        fields[key] = value
        return try JSONSerialization.data(withJSONObject: fields)
    }
}
