import Foundation

/// golden.json, written by `emoji_lab export` with the model: texts, their cleaned form and ids, every class's
/// probability from Python's LiteRT, and the top-k those rank to. The tests compare the Swift side with it; the
/// app shows which export it holds.
public struct Golden: Decodable, Sendable {
    public static let formatVersion = 2

    public struct Model: Decodable, Sendable {
        public let file: String
        public let sha256: String
        public let bytes: Int
        public let quantize: String?
        public let run: String?
        public let architecture: String?
        public let data: String?
    }

    /// How Python's interpreter ran: the app sets the same (XNNPACK on, the same thread count).
    public struct Interpreter: Decodable, Sendable {
        public let litert: String
        public let xnnpack: Bool
        public let threads: Int
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
    public let interpreter: Interpreter
    public let preprocess: Preprocess.Fields
    public let labels: [String]
    public let topK: Int
    public let tolerance: Double
    public let examples: [Example]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, interpreter, preprocess, labels
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
        interpreter = try container.decode(Interpreter.self, forKey: .interpreter)
        preprocess = try container.decode(Preprocess.Fields.self, forKey: .preprocess)
        labels = try container.decode([String].self, forKey: .labels)
        topK = try container.decode(Int.self, forKey: .topK)
        tolerance = try container.decode(Double.self, forKey: .tolerance)
        examples = try container.decode([Example].self, forKey: .examples)
    }

    public static func decode(_ data: Data) throws -> Golden {
        try JSONDecoder().decode(Golden.self, from: data)
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
