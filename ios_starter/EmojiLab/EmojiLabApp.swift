import SwiftUI

/// Emoji Lab: type a short text, and the model trained in the course suggests emoji on the phone.
@main
struct EmojiLabApp: App {
    var body: some Scene {
        WindowGroup {
            ContentView()
        }
    }
}
