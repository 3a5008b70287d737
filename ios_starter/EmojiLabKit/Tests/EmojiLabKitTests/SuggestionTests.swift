import Foundation
import XCTest
@testable import EmojiLabKit

/// Ranking, labels.txt, and the text the keyboard predicts from.
final class SuggestionTests: XCTestCase {
    private func encoder() throws -> ByteEncoder {
        ByteEncoder(preprocess: try Preprocess(fields: GoldenFiles.app().preprocess))
    }

    func testRankingIsBestFirstWithTiesInLabelOrder() {
        let ranked = topSuggestions([0.1, 0.3, 0.3, .nan, 0.2], labels: ["a", "b", "c", "d", "e"], k: 5)
        XCTAssertEqual(ranked.map(\.emoji), ["b", "c", "e", "a", "d"])
        XCTAssertEqual(topSuggestions([0.5, 0.5], labels: ["a", "b"], k: 9).map(\.index), [0, 1])
        XCTAssertEqual(topSuggestions([0.5], labels: ["a"], k: 0), [])
    }

    func testLabelsAreOneEmojiPerLine() throws {
        XCTAssertEqual(try Labels.parse(Data("😂\n❤️\n👨‍👩‍👧\n".utf8)), ["😂", "❤️", "👨‍👩‍👧"])
        XCTAssertThrowsError(try Labels.parse(Data("😂\n❤️".utf8))) { XCTAssertEqual($0 as? LabelsError, .noFinalNewline) }
        XCTAssertThrowsError(try Labels.parse(Data("😂\n\n❤️\n".utf8))) { XCTAssertEqual($0 as? LabelsError, .blankLine(2)) }
        XCTAssertThrowsError(try Labels.parse(Data([0xFF, 0x0A]))) { XCTAssertEqual($0 as? LabelsError, .notUTF8) }
        XCTAssertThrowsError(try Labels.parse(Data())) { XCTAssertEqual($0 as? LabelsError, .noFinalNewline) }
    }

    func testTheKeyboardPredictsFromTheParagraphBeingTyped() throws {
        let encoder = try encoder()
        XCTAssertNil(TypingContext.text(beforeCursor: nil, encoder: encoder))
        XCTAssertNil(TypingContext.text(beforeCursor: "", encoder: encoder))
        XCTAssertNil(TypingContext.text(beforeCursor: "😂😂 ", encoder: encoder))
        XCTAssertNil(TypingContext.text(beforeCursor: "so tired\n", encoder: encoder))
        XCTAssertEqual(TypingContext.text(beforeCursor: "Dear all,\r\nhappy new year! 🎉", encoder: encoder),
                       "happy new year!")
        XCTAssertEqual(TypingContext.text(beforeCursor: "first\u{2029}so  tired ", encoder: encoder), "so tired")
    }

    func testALongParagraphKeepsTheWordsNearestTheCursor() throws {
        let encoder = try encoder()
        let maxLen = encoder.preprocess.maxLen
        let words = (1...100).map { "w\($0)" }
        let text = try XCTUnwrap(TypingContext.text(beforeCursor: words.joined(separator: " ") + " 😂", encoder: encoder))
        XCTAssertLessThanOrEqual(text.utf8.count, maxLen)
        XCTAssertTrue(text.hasSuffix("w99 w100"))
        XCTAssertTrue(words.contains(String(text.split(separator: " ")[0])), "cut between words: \(text)")
        let long = String(repeating: "新", count: 100)
        let tail = try XCTUnwrap(TypingContext.text(beforeCursor: long, encoder: encoder))
        XCTAssertEqual(tail, String(repeating: "新", count: maxLen / 3))
    }
}
