import Foundation
import XCTest
@testable import EmojiLabKit

/// The cleaner and the encoder on what a phone sends, and on anything at all without trapping.
final class CleaningAndEncodingTests: XCTestCase {
    private func encoder() throws -> ByteEncoder {
        ByteEncoder(preprocess: try Preprocess(fields: GoldenFiles.app().preprocess))
    }

    func testWhatAPhoneTypesIsCleanedAsTrainingTextsWere() throws {
        let clean = try encoder().clean
        XCTAssertEqual(clean("happy new year! 🎉"), "happy new year!")
        XCTAssertEqual(clean("so  tired\r\n"), "so tired")
        XCTAssertEqual(clean("love❤️you ❤ 👍🏽"), "love you")
        XCTAssertEqual(clean("top 5️⃣ songs #1⃣ #win"), "top songs # #win")
        XCTAssertEqual(clean("新年快乐 café"), "新年快乐 café")
        XCTAssertEqual(clean("😂😂 \u{2028}"), "")
    }

    func testCleaningCleanTextChangesNothing() throws {
        let encoder = try encoder()
        for example in try GoldenFiles.app().examples {
            XCTAssertEqual(encoder.clean(example.clean), example.clean, example.name)
        }
    }

    func testEmptyTextIsAllPadding() throws {
        let encoder = try encoder()
        XCTAssertEqual(encoder.encode(""), Array(repeating: Int32(encoder.preprocess.padId), count: encoder.preprocess.maxLen))
    }

    func testAnyTextEncodesToMaxLenIdsWithoutTrapping() throws {
        let encoder = try encoder()
        var generator = SplitMix(seed: 2017)
        let pieces = ["a", " ", "\t", "\r\n", "😂", "👍🏽", "👨‍👩‍👧", "🇺🇸", "❤️", "5️⃣", "\u{FE0F}", "\u{200D}", "é", "新"]
        for _ in 0..<2_000 {
            let text = (0..<Int(generator.next() % 80)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let ids = encoder.encode(text)
            XCTAssertEqual(ids.count, encoder.preprocess.maxLen)
            XCTAssertTrue(ids.allSatisfy { $0 == 0 || (1...256).contains($0) })
            XCTAssertEqual(encoder.clean(encoder.clean(text)), encoder.clean(text))
        }
        XCTAssertEqual(encoder.encode(String(repeating: "ab😂", count: 10_000)).count, encoder.preprocess.maxLen)
    }

    func testInt32DataIsLittleEndian() {
        XCTAssertEqual([UInt8](Data(int32LittleEndian: [1, 258])), [1, 0, 0, 0, 2, 1, 0, 0])
    }

    func testFloat32DataReadsBack() {
        let values: [Float32] = [0.25, 1e-7, 0.5]
        let data = values.map(\.bitPattern.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
        XCTAssertEqual(data.float32LittleEndian(), values)
        XCTAssertEqual(data.prefix(6).float32LittleEndian(), [0.25])
    }
}

/// A small seeded generator: the same texts on every run.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
