/// Which text the keyboard predicts from, given what the text field holds before the cursor.
///
/// A keyboard sees the document around the cursor, not a message. The model learned from single tweets, and
/// reads its first `maxLen` bytes; so the keyboard takes the paragraph being typed (after the last line break),
/// cleans it as training did (an emoji just tapped goes), and keeps its last words that fit in `maxLen`
/// bytes: the words nearest the cursor. Nil when nothing is left to read.
public enum TypingContext {
    public static func text(beforeCursor: String?, encoder: ByteEncoder) -> String? {
        guard let before = beforeCursor else { return nil }
        let paragraph = before.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).last ?? ""
        let cleaned = encoder.clean(String(paragraph))
        guard !cleaned.isEmpty else { return nil }
        let maxLen = encoder.preprocess.maxLen
        guard cleaned.utf8.count > maxLen else { return cleaned }
        var kept: [Substring] = []
        var bytes = 0
        for word in cleaned.split(separator: " ").reversed() {
            let needed = word.utf8.count + (kept.isEmpty ? 0 : 1)
            guard bytes + needed <= maxLen else { break }
            kept.append(word)
            bytes += needed
        }
        if kept.isEmpty {  // one word longer than the model reads: its last whole characters that fit
            var tail = Substring(cleaned)
            while tail.utf8.count > maxLen { tail = tail.dropFirst() }
            return tail.isEmpty ? nil : String(tail)
        }
        return kept.reversed().joined(separator: " ")
    }
}
