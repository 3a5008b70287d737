import Foundation

/// labels.txt: one emoji per line, in the model's output order, each line ending in "\n".
public enum Labels {
    /// The emoji, split on "\n" only (never inside an emoji), or why the file cannot be used.
    public static func parse(_ data: Data) throws(LabelsError) -> [String] {
        guard let text = String(data: data, encoding: .utf8) else { throw .notUTF8 }
        var lines = text.components(separatedBy: "\n")
        guard lines.count > 1, lines.last == "" else { throw .noFinalNewline }
        lines.removeLast()
        if let blank = lines.firstIndex(where: \.isEmpty) { throw .blankLine(blank + 1) }
        return lines
    }
}

/// Why labels.txt cannot be used.
public enum LabelsError: Error, Equatable, LocalizedError {
    case notUTF8
    case noFinalNewline
    case blankLine(Int)

    public var errorDescription: String? {
        switch self {
        case .notUTF8: return "labels.txt is not UTF-8 text."
        case .noFinalNewline: return "labels.txt must hold one emoji per line, each ending in a line break."
        case .blankLine(let line): return "labels.txt has a blank line \(line): one emoji per line, no blanks."
        }
    }
}
