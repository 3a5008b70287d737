import Foundation

/// The files `emoji_lab export` (lesson 8) copies into EmojiLab/Resources; the app and the keyboard bundle all four.
public enum ModelFiles {
    public static let model = "emoji_model.tflite"
    public static let labels = "labels.txt"
    public static let preprocess = "preprocess.json"
    public static let golden = "golden.json"
}

/// Where the three files a prediction needs are: in a bundle (the app's, or the keyboard's own copy) or a folder.
public struct ModelFileURLs: Sendable {
    public let model: URL
    public let labels: URL
    public let preprocess: URL

    public init(bundle: Bundle) throws(ModelLoadError) {
        func url(_ name: String) throws(ModelLoadError) -> URL {
            guard let url = bundle.url(forResource: name, withExtension: nil) else { throw .missingFile(name) }
            return url
        }
        model = try url(ModelFiles.model)
        labels = try url(ModelFiles.labels)
        preprocess = try url(ModelFiles.preprocess)
    }

    public init(folder: URL) {
        model = folder.appendingPathComponent(ModelFiles.model)
        labels = folder.appendingPathComponent(ModelFiles.labels)
        preprocess = folder.appendingPathComponent(ModelFiles.preprocess)
    }
}

/// labels.txt and preprocess.json, read and checked: what a runtime needs to know before it trusts a model file.
public struct ModelContract: Sendable {
    public let labels: [String]
    public let encoder: ByteEncoder

    public init(files: ModelFileURLs) throws(ModelLoadError) {
        let labelsData = try Self.read(files.labels)
        let preprocessData = try Self.read(files.preprocess)
        do {
            labels = try Labels.parse(labelsData)
        } catch {
            throw .badLabels(error)
        }
        do {
            encoder = ByteEncoder(preprocess: try Preprocess.decode(preprocessData))
        } catch {
            throw .badPreprocess(error)
        }
    }

    /// The model must take one int32 [1, max_len] tensor of byte ids, as preprocess.json says.
    public func checkInput(count: Int, elementType: String, dimensions: [Int]) throws(ModelLoadError) {
        let expected = [1, encoder.preprocess.maxLen]
        guard count == 1, elementType == "int32", dimensions == expected else {
            throw .inputMismatch(found: Self.describe(count, elementType, dimensions), expected: "int32 \(expected)")
        }
    }

    /// The model must give one float32 [1, labels] tensor of probabilities, one per line of labels.txt.
    public func checkOutput(count: Int, elementType: String, dimensions: [Int]) throws(ModelLoadError) {
        guard count == 1, elementType == "float32", dimensions == [1, labels.count] else {
            throw .outputMismatch(found: Self.describe(count, elementType, dimensions), labels: labels.count)
        }
    }

    private static func describe(_ count: Int, _ elementType: String, _ dimensions: [Int]) -> String {
        count == 1 ? "\(elementType) \(dimensions)" : "\(count) tensors"
    }

    private static func read(_ url: URL) throws(ModelLoadError) -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .missingFile(url.lastPathComponent)
        }
    }
}

/// What can go wrong before the first prediction, each with a sentence a learner can act on.
public enum ModelLoadError: Error, Equatable, LocalizedError {
    case missingFile(String)
    case unreadableModel(String)
    case badPreprocess(PreprocessError)
    case badLabels(LabelsError)
    case inputMismatch(found: String, expected: String)
    case outputMismatch(found: String, labels: Int)

    public var errorDescription: String? {
        switch self {
        case .missingFile(let name):
            return "\(name) is not in the app. Run lesson 8 to fill me, then build again."
        case .unreadableModel(let reason):
            return "\(ModelFiles.model) does not load: \(reason). Export it again (lesson 8), then build again."
        case .badPreprocess(let error):
            return error.errorDescription
        case .badLabels(let error):
            return error.errorDescription
        case .inputMismatch(let found, let expected):
            return "The model's input is \(found), but preprocess.json needs \(expected): the files come from "
                + "different exports. Export again: it writes all four together."
        case .outputMismatch(let found, let labels):
            return "The model's output is \(found), but labels.txt has \(labels) emoji: the files come from "
                + "different exports. Export again: it writes all four together."
        }
    }
}
