import Foundation

/// preprocess.json: how Python turned text into the model's ids, so the app does exactly the same.
///
/// `emoji_lab export` writes it beside the model. Scheme `utf8-bytes` version 2: the text cleaned by the
/// rule `cleaning` names, its UTF-8 bytes as they are (no normalization, no lower-casing), each byte + `offset`,
/// cut after `maxLen` bytes (even inside a character) and padded with `padId` at the end. Anything else is
/// refused with a reason, never guessed.
public struct Preprocess: Sendable, Equatable {
    public static let scheme = "utf8-bytes"
    public static let version = 2

    public let maxLen: Int
    public let offset: Int
    public let padId: Int
    public let cleaner: TextCleaner

    /// Decodes and checks preprocess.json.
    public static func decode(_ data: Data) throws(PreprocessError) -> Preprocess {
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw .unreadable("not a JSON object with a text `scheme` and a whole-number `version`")
        }
        try header.check()
        let keys = try keys(of: data, decoder: decoder)
        let unknown = keys.subtracting(Fields.CodingKeys.allCases.map(\.rawValue)).sorted()
        guard unknown.isEmpty else { throw .unknownKeys(unknown) }
        let missing = Fields.CodingKeys.allCases.map(\.rawValue).filter { !keys.contains($0) }
        guard missing.isEmpty else { throw .missingKeys(missing) }
        do {
            return try Preprocess(fields: decoder.decode(Fields.self, from: data))
        } catch let error as PreprocessError {
            throw error
        } catch {
            throw .unreadable(Self.reason(error))
        }
    }

    /// The checked contract from its decoded fields (golden.json holds them too).
    public init(fields: Fields) throws(PreprocessError) {
        try Header(scheme: fields.scheme, version: fields.version).check()
        guard fields.truncate == "end" else { throw .unsupported(key: "truncate", value: fields.truncate) }
        guard fields.normalization == "none" else {
            throw .unsupported(key: "normalization", value: fields.normalization)
        }
        guard (1...1_000_000).contains(fields.maxLen) else {
            throw .unsupported(key: "max_len", value: "\(fields.maxLen)")
        }
        guard (0...Int(Int32.max) - 255).contains(fields.offset) else {
            throw .unsupported(key: "offset", value: "\(fields.offset)")
        }
        guard (0...Int(Int32.max)).contains(fields.padId) else {
            throw .unsupported(key: "pad_id", value: "\(fields.padId)")
        }
        guard let cleaning = fields.cleaning else { throw .uncleanedModel }
        maxLen = fields.maxLen
        offset = fields.offset
        padId = fields.padId
        cleaner = try TextCleaner(spec: cleaning)
    }

    /// preprocess.json's keys and their types, exactly as Python writes them.
    public struct Fields: Decodable, Sendable, Equatable {
        public let maxLen: Int
        public let scheme: String
        public let version: Int
        public let offset: Int
        public let padId: Int
        public let truncate: String
        public let normalization: String
        public let cleaning: CleaningSpec?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case maxLen = "max_len"
            case scheme, version, offset
            case padId = "pad_id"
            case truncate, normalization, cleaning
        }
    }

    private struct Header: Decodable {
        let scheme: String
        let version: Int

        func check() throws(PreprocessError) {
            if scheme == Preprocess.scheme, version < Preprocess.version { throw .olderScheme(version: version) }
            guard scheme == Preprocess.scheme, version == Preprocess.version else {
                throw .unsupportedScheme(scheme: scheme, version: version)
            }
        }
    }

    private static func keys(of data: Data, decoder: JSONDecoder) throws(PreprocessError) -> Set<String> {
        do {
            return try decoder.decode(KeyNames.self, from: data).names
        } catch {
            throw .unreadable(reason(error))
        }
    }

    static func reason(_ error: Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "`\(path)`: \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "no `\(key.stringValue)`"
        default:
            return String(describing: error)
        }
    }
}

/// preprocess.json's `cleaning`: the rule Python's `emoji_lab.cleaning` wrote, with its code point sets.
public struct CleaningSpec: Decodable, Sendable, Equatable {
    public let rule: String
    public let version: Int
    public let keycapBases: String
    public let remove: String
    public let whitespace: String

    enum CodingKeys: String, CodingKey, CaseIterable {
        case rule, version
        case keycapBases = "keycap_bases"
        case remove, whitespace
    }

    public init(from decoder: Decoder) throws {
        let names = try KeyNames(from: decoder).names
        let unknown = names.subtracting(CodingKeys.allCases.map(\.rawValue)).sorted()
        guard unknown.isEmpty else { throw PreprocessError.unknownKeys(unknown.map { "cleaning.\($0)" }) }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rule = try container.decode(String.self, forKey: .rule)
        version = try container.decode(Int.self, forKey: .version)
        keycapBases = try container.decode(String.self, forKey: .keycapBases)
        remove = try container.decode(String.self, forKey: .remove)
        whitespace = try container.decode(String.self, forKey: .whitespace)
    }
}

/// The key names of a JSON object, to refuse keys the app does not know instead of ignoring them.
struct KeyNames: Decodable {
    let names: Set<String>

    private struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: Decoder) throws {
        names = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
    }
}

/// Why a preprocess.json cannot be used, in a sentence a learner can act on.
public enum PreprocessError: Error, Equatable, LocalizedError {
    case unreadable(String)
    case olderScheme(version: Int)
    case unsupportedScheme(scheme: String, version: Int)
    case unknownKeys([String])
    case missingKeys([String])
    case unsupported(key: String, value: String)
    case uncleanedModel
    case unsupportedCleaning(rule: String, version: Int)
    case badRange(key: String, part: String)

    public var errorDescription: String? {
        switch self {
        case .unreadable(let reason):
            return "preprocess.json cannot be read: \(reason)."
        case .olderScheme(let version):
            return "preprocess.json is version \(version), from an emoji_lab that fed the model uncleaned text; "
                + "this app reads version \(Preprocess.version). Export your model again with the current course "
                + "(lesson 8), then build again."
        case .unsupportedScheme(let scheme, let version):
            return "preprocess.json asks for \(scheme) version \(version); this app reads \(Preprocess.scheme) "
                + "version \(Preprocess.version). Update the app from the course repository, or export again."
        case .unknownKeys(let keys):
            return "preprocess.json has keys this app does not know: \(keys.joined(separator: ", "))."
        case .missingKeys(let keys):
            return "preprocess.json lacks \(keys.joined(separator: ", ")): export the model again."
        case .unsupported(let key, let value):
            return "preprocess.json asks for \(key) \(value), which this app does not implement."
        case .uncleanedModel:
            return "This model was trained on text as published, with a residue a phone never types "
                + "(cleaning: null): export a model trained on cleaned text."
        case .unsupportedCleaning(let rule, let version):
            return "preprocess.json cleans text with \(rule) version \(version); this app implements "
                + "\(TextCleaner.rule) version \(TextCleaner.version)."
        case .badRange(let key, let part):
            return "preprocess.json's cleaning.\(key) has \"\(part)\", not a hexadecimal code point or range."
        }
    }
}
