/// The cleaning a model was trained with, repeated on the phone: Python's `emoji_lab.cleaning`, rule `strip-emoji`.
///
/// The model learned from tweets whose emoji were cut out. A phone's text is not like that: a person taps a
/// suggested emoji, types a trailing space or a line break. In this order:
/// 1. a keycap (a base such as `5`, an optional U+FE0F, then U+20E3) becomes a space;
/// 2. every code point in `remove` (emoji, skin tones, ZWJ, variation selectors) becomes a space;
/// 3. runs of spaces and `whitespace` code points become one space, none at either end.
/// The code point sets come from `preprocess.json`, so this file holds no emoji table that could drift.
public struct TextCleaner: Sendable, Equatable {
    public static let rule = "strip-emoji"
    public static let version = 1

    private static let keycapMark: UInt32 = 0x20E3
    private static let emojiPresentation: UInt32 = 0xFE0F

    let keycapBases: Set<UInt32>
    let separators: Set<UInt32>

    /// The cleaner `spec` describes; a rule, version or range this code does not implement is refused.
    public init(spec: CleaningSpec) throws(PreprocessError) {
        guard spec.rule == Self.rule, spec.version == Self.version else {
            throw .unsupportedCleaning(rule: spec.rule, version: spec.version)
        }
        keycapBases = Set(spec.keycapBases.unicodeScalars.map(\.value))
        separators = try Self.codePoints(spec.remove, key: "remove")
            .union(try Self.codePoints(spec.whitespace, key: "whitespace"))
            .union([0x20])  // Python splits on a space whatever the spec's whitespace holds
    }

    /// The text as the model reads it.
    public func clean(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var word = String.UnicodeScalarView()
        func endWord() {
            if !word.isEmpty {
                words.append(String(word))
                word = String.UnicodeScalarView()
            }
        }
        var i = 0
        while i < scalars.count {
            let value = scalars[i].value
            if keycapBases.contains(value) {
                var mark = i + 1
                if mark < scalars.count, scalars[mark].value == Self.emojiPresentation { mark += 1 }
                if mark < scalars.count, scalars[mark].value == Self.keycapMark {
                    endWord()
                    i = mark + 1
                    continue
                }
            }
            if separators.contains(value) {
                endWord()
            } else {
                word.append(scalars[i])
            }
            i += 1
        }
        endWord()
        return words.joined(separator: " ")
    }

    /// `A9 AE 2194-2199`: upper-case hexadecimal code points and ranges, one space apart (empty: none).
    static func codePoints(_ text: String, key: String) throws(PreprocessError) -> Set<UInt32> {
        var points = Set<UInt32>()
        guard !text.isEmpty else { return points }
        for part in text.split(separator: " ", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count),
                  let first = hexadecimal(bounds[0]), let last = hexadecimal(bounds[bounds.count - 1]),
                  first <= last, last <= 0x10FFFF else {
                throw .badRange(key: key, part: String(part))
            }
            points.formUnion(first...last)
        }
        return points
    }

    private static func hexadecimal(_ text: Substring) -> UInt32? {
        guard (1...6).contains(text.count), text.allSatisfy({ "0123456789ABCDEF".contains($0) }) else { return nil }
        return UInt32(text, radix: 16)
    }
}
