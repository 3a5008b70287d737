import EmojiLabKit
import Foundation
import TensorFlowLite

/// The top emoji for one text, with how long the model took on this phone.
struct Classification: Sendable {
    let text: String
    let suggestions: [Suggestion]
    let milliseconds: Double
}

/// Where the three runtime files are in a bundle (the app's, or the keyboard's own copy).
struct ModelURLs: Sendable {
    let model: URL
    let labels: URL
    let preprocess: URL

    init(bundle: Bundle) throws {
        func url(_ name: String) throws -> URL {
            guard let url = bundle.url(forResource: name, withExtension: nil) else {
                throw ClassifierError.missingFile(name)
            }
            return url
        }
        model = try url(ModelFiles.model)
        labels = try url(ModelFiles.labels)
        preprocess = try url(ModelFiles.preprocess)
    }
}

/// What can go wrong before the first prediction, each with a sentence a learner can act on.
enum ClassifierError: LocalizedError {
    case missingFile(String)
    case unreadableModel(String)
    case badPreprocess(PreprocessError)
    case badLabels(LabelsError)
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
        case .badLabels(let error):
            return error.errorDescription
        case .inputMismatch(let found, let expected):
            return "The model's input is \(found), but preprocess.json needs \(expected)."
        case .outputMismatch(let found, let labels):
            return "The model's output is \(found), but labels.txt has \(labels) emoji."
        }
    }
}

/// Owns the LiteRT interpreter. An actor: one prediction at a time, never on the main thread.
///
/// LiteRT runs with XNNPACK and one thread, as Python's LiteRT did when it wrote golden.json, so the
/// phone computes with the same kernels that the golden numbers came from (the app's XCTest checks it).
actor EmojiClassifier {
    static let threadCount = 1
    static let isXNNPackEnabled = true

    nonisolated let labels: [String]
    nonisolated let encoder: ByteEncoder
    private let interpreter: Interpreter

    /// Loads the files and checks that they fit together. Blocks while the model loads: use `load(from:)`.
    init(files: ModelURLs) throws {
        let labels: [String]
        let preprocess: Preprocess
        do {
            labels = try Labels.parse(Data(contentsOf: files.labels))
        } catch let error as LabelsError {
            throw ClassifierError.badLabels(error)
        }
        do {
            preprocess = try Preprocess.decode(Data(contentsOf: files.preprocess))
        } catch let error as PreprocessError {
            throw ClassifierError.badPreprocess(error)
        }
        let encoder = ByteEncoder(preprocess: preprocess)
        var options = Interpreter.Options()
        options.threadCount = Self.threadCount
        options.isXNNPackEnabled = Self.isXNNPackEnabled
        interpreter = try Self.makeInterpreter(path: files.model.path, options: options, encoder: encoder,
                                               labelCount: labels.count)
        self.labels = labels
        self.encoder = encoder
    }

    /// Loads the classifier from `bundle` on a background thread.
    static func load(from bundle: Bundle) async throws -> EmojiClassifier {
        let files = try ModelURLs(bundle: bundle)
        return try await Task.detached(priority: .userInitiated) { try EmojiClassifier(files: files) }.value
    }

    /// The `k` most likely emoji for `text`, best first, and the time encoding and inference took.
    func classify(_ text: String, topK k: Int) throws -> Classification {
        let start = DispatchTime.now()
        let probabilities = try probabilities(for: text)
        let nanoseconds = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        return Classification(text: text, suggestions: topSuggestions(probabilities, labels: labels, k: k),
                              milliseconds: Double(nanoseconds) / 1_000_000)
    }

    /// Every class's probability for `text`, in labels.txt order: [1, max_len] int32 in, [1, labels] float32 out.
    func probabilities(for text: String) throws -> [Float32] {
        try interpreter.copy(Data(int32LittleEndian: encoder.encode(text)), toInputAt: 0)
        try interpreter.invoke()
        return try interpreter.output(at: 0).data.float32LittleEndian()
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
}
