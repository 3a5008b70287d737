import EmojiLabKit
import UIKit

/// The talk's product: an emoji input method. In any app, it suggests the top emoji for the text before the
/// cursor and inserts one on a tap. It reads the paragraph being typed (EmojiLabKit's `TypingContext`), runs the
/// model bundled with it on the phone, needs no full access and sends nothing anywhere.
///
/// It has no letter keys: type with your usual keyboard, switch to this one with 🌐, tap an emoji, switch back.
final class KeyboardViewController: UIInputViewController {
    static let topK = 5
    static let height: CGFloat = 150

    private var predictor: Predictor?
    private var pending: Task<Void, Never>?
    private let suggestionRow = UIStackView()
    private let message = UILabel()
    private let nextKeyboardButton = UIButton(type: .system)
    private let deleteButton = UIButton(type: .system)

    override func viewDidLoad() {
        super.viewDidLoad()
        layOut()
        message.text = Strings.keyboardHint
        Task { await loadModel() }
    }

    override func viewWillLayoutSubviews() {
        nextKeyboardButton.isHidden = !needsInputModeSwitchKey  // iPhones with a globe key below need none
        super.viewWillLayoutSubviews()
    }

    override func textDidChange(_ textInput: UITextInput?) {
        super.textDidChange(textInput)
        suggest()
    }

    override func selectionDidChange(_ textInput: UITextInput?) {
        super.selectionDidChange(textInput)
        suggest()
    }

    private func loadModel() async {
        do {
            predictor = try await .liteRT(in: .main)  // the keyboard's own bundle
            suggest()
        } catch {
            message.text = Strings.keyboardProblem
        }
    }

    /// Predicts for the text before the cursor; a newer change cancels an older prediction.
    private func suggest() {
        guard let predictor else { return }
        pending?.cancel()
        guard let text = TypingContext.text(beforeCursor: textDocumentProxy.documentContextBeforeInput,
                                            encoder: predictor.encoder) else {
            show([])
            return
        }
        pending = Task { [weak self] in
            guard let result = try? await predictor.classify(text, topK: Self.topK), !Task.isCancelled else { return }
            self?.show(result.suggestions)
        }
    }

    private func show(_ suggestions: [Suggestion]) {
        suggestionRow.arrangedSubviews.forEach { $0.removeFromSuperview() }
        message.isHidden = !suggestions.isEmpty
        for suggestion in suggestions {
            let button = UIButton(type: .system)
            button.setTitle(suggestion.emoji, for: .normal)
            button.titleLabel?.font = .systemFont(ofSize: 34)
            button.accessibilityLabel = Strings.percentLabel(suggestion.emoji, Int((suggestion.probability * 100).rounded()))
            button.addAction(UIAction { [weak self] _ in self?.insert(suggestion.emoji) }, for: .touchUpInside)
            suggestionRow.addArrangedSubview(button)
        }
    }

    private func insert(_ emoji: String) {
        textDocumentProxy.insertText(emoji)
        suggest()
    }

    private func layOut() {
        suggestionRow.axis = .horizontal
        suggestionRow.distribution = .fillEqually
        message.textAlignment = .center
        message.numberOfLines = 2
        message.textColor = .secondaryLabel
        message.font = .preferredFont(forTextStyle: .footnote)

        nextKeyboardButton.setImage(UIImage(systemName: "globe"), for: .normal)
        nextKeyboardButton.accessibilityLabel = Strings.nextKeyboard
        nextKeyboardButton.addTarget(self, action: #selector(handleInputModeList(from:with:)), for: .allTouchEvents)
        deleteButton.setImage(UIImage(systemName: "delete.left"), for: .normal)
        deleteButton.accessibilityLabel = Strings.delete
        deleteButton.addAction(UIAction { [weak self] _ in
            self?.textDocumentProxy.deleteBackward()
            self?.suggest()
        }, for: .touchUpInside)

        let bottomRow = UIStackView(arrangedSubviews: [nextKeyboardButton, message, deleteButton])
        bottomRow.axis = .horizontal
        bottomRow.spacing = 8
        let column = UIStackView(arrangedSubviews: [suggestionRow, bottomRow])
        column.axis = .vertical
        column.spacing = 8
        column.translatesAutoresizingMaskIntoConstraints = false
        view.addSubview(column)
        let height = view.heightAnchor.constraint(equalToConstant: Self.height)
        height.priority = .defaultHigh
        NSLayoutConstraint.activate([
            height,
            column.leadingAnchor.constraint(equalTo: view.layoutMarginsGuide.leadingAnchor),
            column.trailingAnchor.constraint(equalTo: view.layoutMarginsGuide.trailingAnchor),
            column.topAnchor.constraint(equalTo: view.topAnchor, constant: 8),
            column.bottomAnchor.constraint(lessThanOrEqualTo: view.bottomAnchor, constant: -8),
            suggestionRow.heightAnchor.constraint(equalToConstant: 64),
            nextKeyboardButton.widthAnchor.constraint(equalToConstant: 44),
            deleteButton.widthAnchor.constraint(equalToConstant: 44),
        ])
    }
}
