/// One suggestion: an emoji and the model's probability for it.
public struct Suggestion: Sendable, Equatable, Identifiable {
    public let index: Int  // the model's output index, which is the line number in labels.txt
    public let emoji: String
    public let probability: Float
    public var id: Int { index }

    public init(index: Int, emoji: String, probability: Float) {
        self.index = index
        self.emoji = emoji
        self.probability = probability
    }
}

/// The `k` most likely emoji, best first; equal probabilities keep label order (Python's stable argsort).
/// A NaN ranks last. Probabilities and labels beyond the shorter of the two are ignored.
public func topSuggestions(_ probabilities: [Float], labels: [String], k: Int) -> [Suggestion] {
    let count = min(probabilities.count, labels.count)
    let score = { (i: Int) -> Float in probabilities[i].isNaN ? -.infinity : probabilities[i] }
    let order = (0..<count).sorted { a, b in score(a) != score(b) ? score(a) > score(b) : a < b }
    return order.prefix(max(k, 0)).map { Suggestion(index: $0, emoji: labels[$0], probability: probabilities[$0]) }
}
