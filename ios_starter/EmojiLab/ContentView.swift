import SwiftUI

/// One screen: a text field, the top emoji as buttons with probability bars, and the time they took.
struct ContentView: View {
    @StateObject private var model = PredictorViewModel()

    var body: some View {
        NavigationView {
            VStack(alignment: .leading, spacing: 20) {
                TextField("Type something to tweet", text: $model.text)
                    .textFieldStyle(.roundedBorder)
                    .font(.title3)
                if let problem = model.problem {
                    ProblemView(problem: problem)
                } else if model.isLoading {
                    ProgressView("Loading the model…")
                } else {
                    HStack(spacing: 8) {
                        ForEach(model.predictions) { prediction in
                            EmojiChip(prediction: prediction) { model.append(prediction) }
                        }
                    }
                    StatusView(model: model)
                }
                Spacer()
            }
            .padding()
            .navigationTitle("Emoji Lab")
        }
        .navigationViewStyle(.stack)
        .task { await model.load() }
        .onChange(of: model.text) { _ in model.textDidChange() }
    }
}

/// A suggested emoji, large and tappable, with a bar and the percentage the model gives it.
struct EmojiChip: View {
    let prediction: EmojiPrediction
    let action: () -> Void

    private var percent: Int { Int((prediction.probability * 100).rounded()) }

    var body: some View {
        Button(action: action) {
            VStack(spacing: 6) {
                Text(prediction.emoji)
                    .font(.system(size: 40))
                    .lineLimit(1)
                    .minimumScaleFactor(0.5)  // five still fit on the narrowest iPhone
                ProgressView(value: Double(prediction.probability))
                Text(verbatim: "\(percent)%")
                    .font(.caption.monospacedDigit())
                    .foregroundColor(.secondary)
            }
            .padding(8)
            .frame(maxWidth: .infinity)
            .background(RoundedRectangle(cornerRadius: 12).fill(Color(.secondarySystemBackground)))
        }
        .buttonStyle(.plain)
        .accessibilityLabel("\(prediction.emoji), \(percent) percent")
        .accessibilityHint("Adds this emoji to the text")
    }
}

/// The measured time, how much of the text the model reads, and which export is in the app.
struct StatusView: View {
    @ObservedObject var model: PredictorViewModel

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            if let milliseconds = model.milliseconds {
                Text(String(format: "Predicted in %.1f ms on this device", milliseconds))
            }
            if let maxBytes = model.maxBytes {
                Text(model.byteCount > maxBytes
                     ? "\(model.byteCount) bytes: the model reads only the first \(maxBytes)"
                     : "\(model.byteCount) of \(maxBytes) bytes")
            }
            if let line = model.modelLine {
                Text("Model: \(line)")
            }
        }
        .font(.footnote)
        .foregroundColor(.secondary)
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

struct ContentView_Previews: PreviewProvider {
    static var previews: some View {
        ContentView()
    }
}
