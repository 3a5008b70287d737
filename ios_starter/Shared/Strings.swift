import Foundation

/// Every sentence the app and the keyboard show, from Localizable.xcstrings (English, and Simplified Chinese:
/// the talk was given in Chinese). Error details from the model files stay in English, as the course writes them.
enum Strings {
    static let appTitle = String(localized: "Emoji Lab")
    static let placeholder = String(localized: "Type something to tweet")
    static let loading = String(localized: "Loading the model…")
    static let readsEnglish = String(localized: "The model reads English tweets: it learned from them, so it understands English best.")
    static let noModelTitle = String(localized: "No model yet: run lesson 8 to fill me")
    static let unusableTitle = String(localized: "The model files cannot be used")
    static let addsEmojiHint = String(localized: "Adds this emoji to the text")
    static let keyboardTitle = String(localized: "The Emoji Lab keyboard")
    static let keyboardSteps = String(localized: "Use it in any app: Settings > General > Keyboard > Keyboards > Add New Keyboard… > Emoji Lab. Then, while typing, tap or hold 🌐 and choose Emoji Lab. It needs no full access: the model runs on this phone and nothing is sent anywhere.")
    static let openSettings = String(localized: "Open Settings")
    static let keyboardHint = String(localized: "Type a few words, then tap an emoji.")
    static let keyboardProblem = String(localized: "The model cannot be loaded: open the Emoji Lab app to see why.")
    static let nextKeyboard = String(localized: "Next keyboard")
    static let delete = String(localized: "Delete")

    static func predicted(milliseconds: Double) -> String {
        String(format: String(localized: "Predicted in %.1f ms on this device"), milliseconds)
    }

    static func bytesRead(_ count: Int, of maxBytes: Int) -> String {
        count > maxBytes
            ? String(format: String(localized: "%lld bytes: the model reads only the first %lld"), count, maxBytes)
            : String(format: String(localized: "%lld of %lld bytes"), count, maxBytes)
    }

    static func model(_ line: String) -> String {
        String(format: String(localized: "Model: %@"), line)
    }

    static func percentLabel(_ emoji: String, _ percent: Int) -> String {
        String(format: String(localized: "%@, %lld percent"), emoji, percent)
    }
}
