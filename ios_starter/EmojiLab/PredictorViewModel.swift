import EmojiLabKit
import Foundation

/// Something that stops the app from predicting, said so the learner knows what to do next.
struct Problem: Equatable {
    let title: String
    let detail: String

    init(_ error: Error) {
        if case .missingFile? = error as? ModelLoadError {
            title = Strings.noModelTitle
        } else {
            title = Strings.unusableTitle
        }
        detail = error.localizedDescription
    }
}

/// What the screen shows: the text, its top 5 emoji and the time they took, updated as the user types.
@MainActor
final class PredictorViewModel: ObservableObject {
    static let topK = 5
    static let debounceNanoseconds: UInt64 = 150_000_000  // wait for a pause in typing

    @Published var text = ""
    @Published private(set) var suggestions: [Suggestion] = []
    @Published private(set) var milliseconds: Double?
    @Published private(set) var problem: Problem?
    @Published private(set) var isLoading = true
    @Published private(set) var modelLine: String?

    private var predictor: Predictor?
    private var pending: Task<Void, Never>?

    /// Bytes of the text the model reads (cleaned), and how many it reads (nil until the model is loaded).
    var byteCount: Int { predictor?.encoder.clean(text).utf8.count ?? text.utf8.count }
    var maxBytes: Int? { predictor?.encoder.preprocess.maxLen }

    /// Loads the model once, off the main thread, then predicts for the current text.
    func load() async {
        guard predictor == nil, problem == nil else { return }
        do {
            predictor = try await .liteRT(in: .main)
            modelLine = Bundle.main.url(forResource: ModelFiles.golden, withExtension: nil)
                .flatMap { try? Data(contentsOf: $0) }
                .flatMap { try? Golden.decode($0).modelLine }
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

    /// A tapped suggestion goes into the text, as the keyboard does in other apps.
    func append(_ suggestion: Suggestion) {
        text += suggestion.emoji
    }

    private func predict() async {
        guard let predictor else { return }
        do {
            let result = try await predictor.classify(text, topK: Self.topK)
            guard result.text == text else { return }  // the user typed on; a newer prediction follows
            suggestions = result.suggestions
            milliseconds = result.milliseconds
            problem = nil  // a failed prediction does not stop the next edit from trying again
        } catch {
            problem = Problem(error)
        }
    }
}
