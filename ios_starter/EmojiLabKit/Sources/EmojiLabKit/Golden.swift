import Foundation

/// golden.json, written by `emoji_lab export` with the model: texts, their cleaned form and ids, every class's
/// probability from Python's LiteRT (its CompiledModel on the CPU, as the app runs it), and the top-k those rank to.
/// The tests compare the Swift side with it, on Linux and on the phone; the app shows which export it holds.
public struct Golden: Decodable, Sendable {
    public static let formatVersion = 3  // 3: `runtime` (CompiledModel) replaced `interpreter`

    public struct Model: Decodable, Sendable {
        public let file: String
        public let sha256: String
        public let bytes: Int
        public let quantize: String?
        public let run: String?
        public let architecture: String?
        public let data: String?
    }

    /// How Python ran the model: LiteRT's release, its API and the accelerators asked for (the app asks for the same).
    public struct Runtime: Decodable, Sendable {
        public let litert: String
        public let api: String
        public let accelerators: [String]
    }

    public struct Top: Decodable, Sendable {
        public let index: Int
        public let emoji: String
        public let probability: Double
    }

    public struct Example: Decodable, Sendable {
        public let name: String
        public let text: String
        public let clean: String
        public let ids: [Int32]
        public let probabilities: [Double]  // float32 values, written exactly
        public let top: [Top]  // best first
    }

    public let model: Model
    public let runtime: Runtime
    public let preprocess: Preprocess.Fields
    public let labels: [String]
    public let topK: Int
    public let tolerance: Double
    public let examples: [Example]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, runtime, preprocess, labels
        case topK = "top_k"
        case tolerance, examples
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(Int.self, forKey: .formatVersion)
        guard version == Self.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .formatVersion, in: container, debugDescription:
                "golden.json format \(version), this code reads \(Self.formatVersion): export the model again")
        }
        model = try container.decode(Model.self, forKey: .model)
        runtime = try container.decode(Runtime.self, forKey: .runtime)
        preprocess = try container.decode(Preprocess.Fields.self, forKey: .preprocess)
        labels = try container.decode([String].self, forKey: .labels)
        topK = try container.decode(Int.self, forKey: .topK)
        tolerance = try container.decode(Double.self, forKey: .tolerance)
        examples = try container.decode([Example].self, forKey: .examples)
    }

    public static func decode(_ data: Data) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: data)
    }

    /// What differs between `probabilities`, computed on this device for `example`, and Python's: the app's rule.
    ///
    /// Every class's probability within `tolerance`, and golden's top-k in golden's order unless two neighbours in
    /// that order are within twice the tolerance of each other (a near-tie that another CPU's rounding may swap).
    /// Empty when they agree.
    public func mismatches(_ example: Example, _ probabilities: [Float]) -> [String] {
        guard probabilities.count == labels.count else {
            return ["\(example.name): \(probabilities.count) probabilities, golden has \(labels.count)"]
        }
        var found: [String] = []
        for (index, expected) in example.probabilities.enumerated()
        where !(abs(Double(probabilities[index]) - expected) <= tolerance) {
            found.append("\(example.name): \(labels[index]) \(probabilities[index]), golden \(Float(expected))")
        }
        let tied = zip(example.top, example.top.dropFirst())
            .contains { abs($0.probability - $1.probability) <= 2 * tolerance }
        let order = topSuggestions(probabilities, labels: labels, k: example.top.count).map(\.index)
        if !tied, order != example.top.map(\.index) {
            found.append("\(example.name): top-\(example.top.count) is \(order), golden \(example.top.map(\.index))")
        }
        return found
    }

    /// "chcnn-blstm · float32 · trained on sample", for the app's footer.
    public var modelLine: String {
        let source = model.data.map { "trained on " + ($0.split(separator: ":").first.map(String.init) ?? $0) }
        return [model.architecture, model.quantize, source].compactMap { $0 }.joined(separator: " · ")
    }
}

/// Python's encoder golden file (src/emoji_lab/golden/byte_encoder.json): texts with their cleaned form and ids.
public struct EncoderGolden: Decodable, Sendable {
    public struct Vector: Decodable, Sendable {
        public let name: String
        public let text: String
        public let clean: String
        public let ids: [Int32]
    }

    public let preprocess: Preprocess.Fields
    public let vectors: [Vector]
}
