import Foundation

/// preprocess.json: how Python turned text into ids, so the app does exactly the same.
///
/// The course's `emoji_lab export` writes this file next to the model. Scheme `utf8-bytes`
/// version 1 means: the text's UTF-8 bytes as typed (no normalization, no lower-casing),
/// each byte + `offset`, cut after `maxLen` bytes and padded with `padId` at the end.
struct Preprocess: Decodable, Equatable {
    let maxLen: Int
    let scheme: String
    let version: Int
    let offset: Int
    let padId: Int
    let truncate: String
    let normalization: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxLen = "max_len"
        case scheme
        case version
        case offset
        case padId = "pad_id"
        case truncate
        case normalization
    }

    /// The only values this encoder implements; anything else is refused, never guessed.
    enum Supported {
        static let scheme = "utf8-bytes"
        static let version = 1
        static let truncate = "end"
        static let normalization = "none"
    }
}

/// Why a preprocess.json cannot be used.
enum PreprocessError: LocalizedError, Equatable {
    case unreadable(String)
    case unknownKeys([String])
    case unsupported(key: String, value: String)

    var errorDescription: String? {
        switch self {
        case .unreadable(let reason):
            return "preprocess.json is not readable: \(reason)"
        case .unknownKeys(let keys):
            return "preprocess.json has keys this app does not know: \(keys.joined(separator: ", "))"
        case .unsupported(let key, let value):
            return "preprocess.json asks for \(key) \(value), which this app does not implement"
        }
    }
}

extension Preprocess {
    /// Decodes and checks preprocess.json: unknown keys or values are errors, not defaults.
    static func decode(from data: Data) throws -> Preprocess {
        let preprocess: Preprocess
        do {
            preprocess = try JSONDecoder().decode(Preprocess.self, from: data)
        } catch {
            throw PreprocessError.unreadable(error.localizedDescription)
        }
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        let keys = object.map { Array($0.keys) } ?? []
        let unknown = Set(keys).subtracting(CodingKeys.allCases.map(\.rawValue)).sorted()
        guard unknown.isEmpty else { throw PreprocessError.unknownKeys(unknown) }
        try preprocess.validate()
        return preprocess
    }

    private func validate() throws {
        guard scheme == Supported.scheme, version == Supported.version else {
            throw PreprocessError.unsupported(key: "scheme", value: "\(scheme) version \(version)")
        }
        guard truncate == Supported.truncate else {
            throw PreprocessError.unsupported(key: "truncate", value: truncate)
        }
        guard normalization == Supported.normalization else {
            throw PreprocessError.unsupported(key: "normalization", value: normalization)
        }
        guard maxLen > 0 else { throw PreprocessError.unsupported(key: "max_len", value: "\(maxLen)") }
        guard (0...Int(Int32.max) - 255).contains(offset) else {
            throw PreprocessError.unsupported(key: "offset", value: "\(offset)")
        }
        guard (0...Int(Int32.max)).contains(padId) else {
            throw PreprocessError.unsupported(key: "pad_id", value: "\(padId)")
        }
    }
}

/// Text to the model's input ids, the Swift twin of Python's `emoji_lab.encoders.ByteEncoder`.
struct ByteEncoder {
    let preprocess: Preprocess

    /// Exactly `maxLen` ids: the first `maxLen` UTF-8 bytes + offset, then padding.
    ///
    /// Long text is cut, even inside a multi-byte character, just as in Python; it never traps.
    func encode(_ text: String) -> [Int32] {
        let offset = Int32(preprocess.offset)
        var ids = text.utf8.prefix(preprocess.maxLen).map { Int32($0) + offset }
        ids += Array(repeating: Int32(preprocess.padId), count: preprocess.maxLen - ids.count)
        return ids
    }
}

extension Data {
    /// The bytes of an int32 tensor holding `values`: 4 bytes each, little-endian as on every iPhone.
    init(int32LittleEndian values: [Int32]) {
        self = values.map(\.littleEndian).withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// A float32 tensor's bytes as numbers (little-endian); a trailing partial value is ignored.
    func float32LittleEndian() -> [Float32] {
        var bits = [UInt32](repeating: 0, count: count / MemoryLayout<UInt32>.size)
        _ = bits.withUnsafeMutableBufferPointer { copyBytes(to: $0) }
        return bits.map { Float32(bitPattern: UInt32(littleEndian: $0)) }
    }
}
