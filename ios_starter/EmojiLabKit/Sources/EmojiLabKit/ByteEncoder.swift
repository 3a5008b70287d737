import Foundation

/// Text to the model's input ids, the Swift twin of Python's `emoji_lab.encoders.ByteEncoder`.
public struct ByteEncoder: Sendable {
    public let preprocess: Preprocess

    public init(preprocess: Preprocess) {
        self.preprocess = preprocess
    }

    /// The text the model reads: cleaned as its training texts were.
    public func clean(_ text: String) -> String {
        preprocess.cleaner.clean(text)
    }

    /// Exactly `maxLen` ids: the cleaned text's first `maxLen` UTF-8 bytes + offset, then padding.
    ///
    /// Long text is cut, even inside a multi-byte character, just as in Python; it never traps.
    public func encode(_ text: String) -> [Int32] {
        let offset = Int32(preprocess.offset)
        var ids = clean(text).utf8.prefix(preprocess.maxLen).map { Int32($0) + offset }
        ids += repeatElement(Int32(preprocess.padId), count: preprocess.maxLen - ids.count)
        return ids
    }
}

extension Data {
    /// The bytes of an int32 tensor holding `values`: 4 bytes each, little-endian as on every iPhone.
    public init(int32LittleEndian values: [Int32]) {
        self = values.map(\.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// A float32 tensor's bytes as numbers (little-endian); a trailing partial value is ignored.
    public func float32LittleEndian() -> [Float32] {
        var bits = [UInt32](repeating: 0, count: count / MemoryLayout<UInt32>.size)
        _ = bits.withUnsafeMutableBufferPointer { copyBytes(to: $0) }
        return bits.map { Float32(bitPattern: UInt32(littleEndian: $0)) }
    }
}
