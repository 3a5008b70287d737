import Foundation
import XCTest
@testable import EmojiLabKit

/// The files Python writes, found beside this package: the app's golden.json (with the model it describes) and
/// Python's encoder golden file. EMOJI_LAB_GOLDEN and EMOJI_LAB_ENCODER_GOLDEN point the tests at other copies.
enum GoldenFiles {
    static let iosStarter = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let resources = iosStarter.appendingPathComponent("EmojiLab/Resources")

    static func url(_ variable: String, default path: URL) -> URL {
        ProcessInfo.processInfo.environment[variable].map { URL(fileURLWithPath: $0) } ?? path
    }

    static func app() throws -> Golden {
        try Golden.decode(Data(contentsOf: url("EMOJI_LAB_GOLDEN", default: resources.appendingPathComponent(ModelFiles.golden))))
    }

    /// Python's encoder vectors; skipped where the package was copied without the course around it.
    static func encoder() throws -> EncoderGolden {
        let path = url("EMOJI_LAB_ENCODER_GOLDEN", default: iosStarter.deletingLastPathComponent()
            .appendingPathComponent("src/emoji_lab/golden/byte_encoder.json"))
        guard FileManager.default.fileExists(atPath: path.path) else {
            throw XCTSkip("\(path.path) is not here (ios_starter copied without the course)")
        }
        return try JSONDecoder().decode(EncoderGolden.self, from: Data(contentsOf: path))
    }

    static func resource(_ name: String) throws -> Data {
        try Data(contentsOf: resources.appendingPathComponent(name))
    }
}
