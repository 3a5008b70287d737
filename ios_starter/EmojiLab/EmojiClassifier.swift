import Foundation
import TensorFlowLite

/// The files `emoji_lab export` (lesson 8) copies into EmojiLab/Resources; Xcode bundles all four.
enum ModelFiles {
    static let model = "emoji_model.tflite"
    static let labels = "labels.txt"
    static let preprocess = "preprocess.json"
    static let golden = "golden.json"

    /// The file's URL in `bundle`, or `missingFile` when the app was built without it.
    static func url(of name: String, in bundle: Bundle) throws -> URL {
        guard let url = bundle.url(forResource: name, withExtension: nil) else {
            throw ClassifierError.missingFile(name)
        }
        return url
    }
}

/// One suggestion: an emoji and the model's probability for it.
struct EmojiPrediction: Identifiable, Equatable {
    let index: Int  // the model's output index, which is the line number in labels.txt
    let emoji: String
    let probability: Float
    var id: Int { index }
}

/// The top emoji for one text, with how long the model took on this phone.
struct Classification {
    let text: String
    let predictions: [EmojiPrediction]
    let milliseconds: Double
}

/// What can go wrong before the first prediction, each with a sentence a learner can act on.
enum ClassifierError: LocalizedError {
    case missingFile(String)
    case unreadableModel(String)
    case badPreprocess(PreprocessError)
    case badLabels(String)
    case inputMismatch(found: String, expected: String)
    case outputMismatch(found: String, labels: Int)

    var errorDescription: String? {
        switch self {
        case .missingFile(let name):
            return "\(name) is not in the app. Run lesson 8 to fill me, then build again."
        case .unreadableModel(let reason):
            return "\(ModelFiles.model) does not load: \(reason)"
        case .badPreprocess(let error):
            return error.errorDescription
        case .badLabels(let reason):
            return "\(ModelFiles.labels): \(reason)"
        case .inputMismatch(let found, let expected):
            return "The model's input is \(found), but preprocess.json needs \(expected)."
        case .outputMismatch(let found, let labels):
            return "The model's output is \(found), but labels.txt has \(labels) emoji."
        }
    }
}

/// Owns the LiteRT interpreter. Every use of it happens on one private serial queue.
final class EmojiClassifier {
    let labels: [String]
    let encoder: ByteEncoder
    private let queue: DispatchQueue
    private let interpreter: Interpreter

    /// Loads the three runtime files from `bundle` and checks they fit together.
    /// Blocks while the model loads: call it off the main thread (see `load(from:)`).
    init(bundle: Bundle = .main, threadCount: Int = 2) throws {
        let modelURL = try ModelFiles.url(of: ModelFiles.model, in: bundle)
        let labelsURL = try ModelFiles.url(of: ModelFiles.labels, in: bundle)
        let preprocessURL = try ModelFiles.url(of: ModelFiles.preprocess, in: bundle)
        let labels = try EmojiClassifier.readLabels(at: labelsURL)
        let encoder = ByteEncoder(preprocess: try EmojiClassifier.readPreprocess(at: preprocessURL))
        var options = Interpreter.Options()
        options.threadCount = threadCount
        let queue = DispatchQueue(label: "org.emojilab.EmojiLab.classifier", qos: .userInitiated)
        interpreter = try queue.sync {
            try EmojiClassifier.makeInterpreter(path: modelURL.path, options: options, encoder: encoder,
                                                labelCount: labels.count)
        }
        self.labels = labels
        self.encoder = encoder
        self.queue = queue
    }

    /// Loads the classifier on a background thread.
    static func load(from bundle: Bundle = .main) async throws -> EmojiClassifier {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try EmojiClassifier(bundle: bundle) })
            }
        }
    }

    /// The `k` most likely emoji for `text`, best first, computed on the classifier's queue.
    func classify(_ text: String, topK k: Int = 5) async throws -> Classification {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.timedRun(text, topK: k) })
            }
        }
    }

    /// Every class's probability for `text`, in labels.txt order. Blocks until the queue has run it.
    func probabilities(for text: String) throws -> [Float32] {
        try queue.sync { try run(text) }
    }

    // MARK: - On the queue only

    /// One prediction and its wall-clock time: encoding, copying in, inference and reading out.
    private func timedRun(_ text: String, topK k: Int) throws -> Classification {
        let start = DispatchTime.now()
        let probabilities = try run(text)
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        return Classification(text: text, predictions: top(k, of: probabilities),
                              milliseconds: Double(nanoseconds) / 1_000_000)
    }

    /// Encode, copy in, invoke, read out: one prediction, [1, max_len] int32 -> [1, labels] float32.
    private func run(_ text: String) throws -> [Float32] {
        dispatchPrecondition(condition: .onQueue(queue))
        let ids = encoder.encode(text)
        try interpreter.copy(Data(int32LittleEndian: ids), toInputAt: 0)
        try interpreter.invoke()
        return try interpreter.output(at: 0).data.float32LittleEndian()
    }

    private func top(_ k: Int, of probabilities: [Float32]) -> [EmojiPrediction] {
        let order = probabilities.indices.sorted { a, b in  // best first; a tie goes to the earlier label
            probabilities[a] != probabilities[b] ? probabilities[a] > probabilities[b] : a < b
        }
        return order.prefix(k).map { EmojiPrediction(index: $0, emoji: labels[$0], probability: probabilities[$0]) }
    }

    /// Creates the interpreter and checks its tensors against preprocess.json and labels.txt.
    private static func makeInterpreter(path: String, options: Interpreter.Options, encoder: ByteEncoder,
                                        labelCount: Int) throws -> Interpreter {
        let interpreter: Interpreter
        do {
            interpreter = try Interpreter(modelPath: path, options: options)
            try interpreter.allocateTensors()
        } catch {
            throw ClassifierError.unreadableModel(error.localizedDescription)
        }
        let expected = [1, encoder.preprocess.maxLen]
        let input = try interpreter.input(at: 0)
        guard interpreter.inputTensorCount == 1, input.dataType == .int32, input.shape.dimensions == expected else {
            throw ClassifierError.inputMismatch(found: describe(input), expected: "int32 \(expected)")
        }
        // A first run with empty text also makes the output tensor readable and warms the caches.
        try interpreter.copy(Data(int32LittleEndian: encoder.encode("")), toInputAt: 0)
        try interpreter.invoke()
        let output = try interpreter.output(at: 0)
        guard interpreter.outputTensorCount == 1, output.dataType == .float32,
              output.shape.dimensions == [1, labelCount] else {
            throw ClassifierError.outputMismatch(found: describe(output), labels: labelCount)
        }
        return interpreter
    }

    private static func describe(_ tensor: Tensor) -> String {
        "\(tensor.dataType) \(tensor.shape.dimensions)"
    }

    private static func readPreprocess(at url: URL) throws -> Preprocess {
        do {
            return try Preprocess.decode(from: Data(contentsOf: url))
        } catch let error as PreprocessError {
            throw ClassifierError.badPreprocess(error)
        } catch {
            throw ClassifierError.badPreprocess(.unreadable(error.localizedDescription))
        }
    }

    /// labels.txt: one emoji per line, each line ending in "\n". Split on "\n" only, never inside an emoji.
    private static func readLabels(at url: URL) throws -> [String] {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ClassifierError.badLabels("not UTF-8")
        }
        var lines = text.components(separatedBy: "\n")
        guard lines.last == "" else { throw ClassifierError.badLabels("the last line does not end with a newline") }
        lines.removeLast()
        guard !lines.isEmpty, !lines.contains("") else {
            throw ClassifierError.badLabels("expected one emoji per line, with no blank lines")
        }
        return lines
    }
}
