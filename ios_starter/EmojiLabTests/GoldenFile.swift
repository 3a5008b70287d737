import Foundation
@testable import EmojiLab

/// golden.json, written by `emoji_lab export` with the model: texts, their ids, and Python's top-k.
struct GoldenFile: Decodable {
    struct Model: Decodable {
        let file: String
        let sha256: String
        let bytes: Int
    }

    struct Top: Decodable {
        let index: Int
        let emoji: String
        let probability: Double
    }

    struct Example: Decodable {
        let name: String
        let text: String
        let ids: [Int32]
        let top: [Top]  // best first
    }

    let formatVersion: Int
    let model: Model
    let preprocess: Preprocess
    let labels: [String]
    let topK: Int
    let tolerance: Double
    let examples: [Example]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, preprocess, labels
        case topK = "top_k"
        case tolerance, examples
    }

    /// The app's golden.json. Unit tests run inside the app (TEST_HOST), so the app bundle is Bundle.main.
    static func load() throws -> GoldenFile {
        let url = try ModelFiles.url(of: ModelFiles.golden, in: .main)
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
    }
}
