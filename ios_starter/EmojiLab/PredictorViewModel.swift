import Foundation

/// Something that stops the app from predicting, said so the learner knows what to do next.
struct Problem: Equatable {
    let title: String
    let detail: String

    init(_ error: Error) {
        if case .missingFile? = error as? ClassifierError {
            title = "No model yet: run lesson 8 to fill me"
        } else {
            title = "The model files cannot be used"
        }
        detail = error.localizedDescription
    }
}

/// The "model" part of golden.json, shown so the learner sees which export is inside the app.
struct ModelSummary: Decodable {
    let architecture: String?
    let quantize: String?
    let data: String?

    private struct Golden: Decodable {
        let model: ModelSummary
    }

    /// For example "chcnn-blstm · float32 · trained on sample"; nil without a readable golden.json.
    static func line(in bundle: Bundle = .main) -> String? {
        guard let url = try? ModelFiles.url(of: ModelFiles.golden, in: bundle),
              let json = try? Data(contentsOf: url),
              let model = try? JSONDecoder().decode(Golden.self, from: json).model else { return nil }
        let source = model.data.map { data in "trained on " + (data.components(separatedBy: ":").first ?? data) }
        return [model.architecture, model.quantize, source].compactMap { $0 }.joined(separator: " · ")
    }
}

/// What the screen shows: the text, its top 5 emoji and the time they took, updated as the user types.
@MainActor
final class PredictorViewModel: ObservableObject {
    static let topK = 5
    static let debounceNanoseconds: UInt64 = 150_000_000  // wait for a pause in typing

    @Published var text = ""
    @Published private(set) var predictions: [EmojiPrediction] = []
    @Published private(set) var milliseconds: Double?
    @Published private(set) var problem: Problem?
    @Published private(set) var isLoading = true
    @Published private(set) var modelLine: String?

    private var classifier: EmojiClassifier?
    private var pending: Task<Void, Never>?

    /// Bytes of the text, and how many the model reads (nil until the model is loaded).
    var byteCount: Int { text.utf8.count }
    var maxBytes: Int? { classifier?.encoder.preprocess.maxLen }

    /// Loads the model once, off the main thread, then predicts for the current text.
    func load() async {
        guard classifier == nil, problem == nil else { return }
        do {
            classifier = try await EmojiClassifier.load()
            modelLine = ModelSummary.line()
            await predict()
        } catch {
            problem = Problem(error)
        }
        isLoading = false
    }

    /// Called on every edit: predicts once typing pauses; a newer edit cancels the wait.
    func textDidChange() {
        pending?.cancel()
        pending = Task {
            try? await Task.sleep(nanoseconds: Self.debounceNanoseconds)
            guard !Task.isCancelled else { return }
            await predict()
        }
    }

    /// The emoji keyboard part: a tapped suggestion goes into the text.
    func append(_ prediction: EmojiPrediction) {
        text += prediction.emoji
    }

    private func predict() async {
        guard let classifier = classifier else { return }
        do {
            let result = try await classifier.classify(text, topK: Self.topK)
            guard result.text == text else { return }  // the user typed on; a newer prediction follows
            predictions = result.predictions
            milliseconds = result.milliseconds
        } catch {
            problem = Problem(error)
        }
    }
}
