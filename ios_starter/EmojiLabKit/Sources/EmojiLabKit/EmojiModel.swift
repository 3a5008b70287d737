import Foundation

/// A model that gives every emoji's probability for a text's byte ids: the one seam between the app and a runtime.
///
/// The app and the keyboard run LiteRT's (`Shared/LiteRTEmojiModel.swift`), and CI runs that same file on Linux over
/// LiteRT's C runtime; a test can put any other model behind `Predictor`.
public protocol EmojiModel {
    /// The emoji, in the model's output order (labels.txt).
    var labels: [String] { get }
    /// How text becomes the model's input (preprocess.json).
    var encoder: ByteEncoder { get }
    /// Every label's probability, in labels order, for `ids`: exactly `encoder.preprocess.maxLen` of them.
    func probabilities(for ids: [Int32]) throws -> [Float]
}

/// The top emoji for one text, with how long the model took on this device.
public struct Classification: Sendable {
    public let text: String
    public let suggestions: [Suggestion]
    public let milliseconds: Double
}

/// Runs one `EmojiModel`: one prediction at a time, never on the main thread. The app and the keyboard predict
/// through it, and the tests on Linux and on the phone do too.
public actor Predictor {
    public nonisolated let labels: [String]
    public nonisolated let encoder: ByteEncoder
    private let model: any EmojiModel

    public init(model: sending any EmojiModel) {
        labels = model.labels
        encoder = model.encoder
        self.model = model
    }

    /// Makes the model on a background thread (loading and compiling it takes a moment) and wraps it.
    public static func load(_ makeModel: @escaping @Sendable () throws -> any EmojiModel) async throws -> Predictor {
        try await Task.detached(priority: .userInitiated) { Predictor(model: try makeModel()) }.value
    }

    /// Every emoji's probability for `text`, cleaned and encoded as in training (empty text included).
    public func probabilities(for text: String) throws -> [Float] {
        try model.probabilities(for: encoder.encode(text))
    }

    /// The `k` most likely emoji for `text`, best first, and the time cleaning, encoding and the model took.
    public func classify(_ text: String, topK k: Int) throws -> Classification {
        let start = DispatchTime.now().uptimeNanoseconds
        let probabilities = try probabilities(for: text)
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start
        return Classification(text: text, suggestions: topSuggestions(probabilities, labels: labels, k: k),
                              milliseconds: Double(nanoseconds) / 1_000_000)
    }
}
