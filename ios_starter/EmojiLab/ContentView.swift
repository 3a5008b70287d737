import EmojiLabKit
import SwiftUI

/// One screen: a text field, the top emoji as buttons with probability bars, the time they took, and how to
/// turn on the keyboard that brings the same model to every app.
struct ContentView: View {
    @StateObject private var model = PredictorViewModel()

    var body: some View {
        NavigationView {
            ScrollView {
                VStack(alignment: .leading, spacing: 20) {
                    TextField(Strings.placeholder, text: $model.text)
                        .textFieldStyle(.roundedBorder)
                        .font(.title3)
                    if let problem = model.problem {
                        ProblemView(problem: problem)
                    } else if model.isLoading {
                        ProgressView(Strings.loading)
                    } else {
                        HStack(spacing: 8) {
                            ForEach(model.suggestions) { suggestion in
                                EmojiChip(suggestion: suggestion) { model.append(suggestion) }
                            }
                        }
                        StatusView(model: model)
                    }
                    KeyboardHelpView()
                }
                .padding()
            }
            .navigationTitle(Strings.appTitle)
        }
        .navigationViewStyle(.stack)
        .task { await model.load() }
        .onChange(of: model.text) { _ in model.textDidChange() }
    }
}

/// A suggested emoji, large and tappable, with a bar and the percentage the model gives it.
struct EmojiChip: View {
    let suggestion: Suggestion
    let action: () -> Void

    private var percent: Int { Int((suggestion.probability * 100).rounded()) }

    var body: some View {
        Button(action: action) {
            VStack(spacing: 6) {
                Text(verbatim: suggestion.emoji)
                    .font(.system(size: 40))
                    .lineLimit(1)
                    .minimumScaleFactor(0.5)  // five still fit on the narrowest iPhone
                ProgressView(value: Double(suggestion.probability))
                Text(verbatim: "\(percent)%")
                    .font(.caption.monospacedDigit())
                    .foregroundColor(.secondary)
            }
            .padding(8)
            .frame(maxWidth: .infinity)
            .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
        }
        .buttonStyle(.plain)
        .accessibilityLabel(Strings.percentLabel(suggestion.emoji, percent))
        .accessibilityHint(Strings.addsEmojiHint)
    }
}

/// The measured time, how much of the text the model reads, which export is in the app, and what it reads.
struct StatusView: View {
    @ObservedObject var model: PredictorViewModel

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            if let milliseconds = model.milliseconds {
                Text(Strings.predicted(milliseconds: milliseconds))
            }
            if let maxBytes = model.maxBytes {
                Text(Strings.bytesRead(model.byteCount, of: maxBytes))
            }
            if let line = model.modelLine {
                Text(Strings.model(line))
            }
            Text(Strings.readsEnglish)
        }
        .font(.footnote)
        .foregroundColor(.secondary)
    }
}

/// How to turn the keyboard on: the app's own Settings page lists it under Keyboards once it is installed.
struct KeyboardHelpView: View {
    @Environment(\.openURL) private var openURL

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Label(Strings.keyboardTitle, systemImage: "keyboard")
                .font(.headline)
            Text(Strings.keyboardSteps)
                .font(.callout)
                .foregroundColor(.secondary)
            Button(Strings.openSettings) {
                if let url = URL(string: UIApplication.openSettingsURLString) { openURL(url) }
            }
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
    }
}

/// Shown instead of the suggestions when the model files are missing or do not fit together.
struct ProblemView: View {
    let problem: Problem

    var body: some View {
        VStack(alignment: .leading, spacing: 8) {
            Label(problem.title, systemImage: "exclamationmark.triangle")
                .font(.headline)
            Text(problem.detail)
                .font(.callout)
                .foregroundColor(.secondary)
        }
        .padding()
        .frame(maxWidth: .infinity, alignment: .leading)
        .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
    }
}
