import CLiteRTRuntime
import Foundation

/// The C runtime this module stands on: libLiteRt.so, found through `LITERT_LIBRARY`, loaded once.
enum Runtime {
    static let variable = "LITERT_LIBRARY"

    /// The runtime's functions, or why they cannot be had.
    static func functions() throws -> LiteRtRuntime {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else {
            throw RuntimeUnavailable(reason: "\(variable) is not set: set it to the libLiteRt.so of the "
                                     + "ai-edge-litert wheel")
        }
        var error = [CChar](repeating: 0, count: 512)
        guard let runtime = LiteRtRuntimeLoad(path, &error, error.count) else {
            throw RuntimeUnavailable(reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                    as: UTF8.self))
        }
        return runtime.pointee
    }
}

/// libLiteRt.so could not be loaded (this module's own error: on a phone the runtime is linked into the app).
public struct RuntimeUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "LiteRT's runtime is not available: \(reason)" }
}

/// LiteRT's status codes as errors, as in LiteRT's Swift API (the codes this module can meet).
public enum LiteRtError: Error, CustomStringConvertible, Equatable {
    case invalidArgument
    case memoryAllocationFailure
    case runtimeFailure
    case missingInputTensor
    case unsupported
    case notFound
    case wrongVersion
    case unknown
    case fileIO
    case invalidFlatbuffer
    case dynamicLoading
    case compilation
    case indexOutOfBounds

    public init(status: LiteRtStatus) {
        switch status {
        case 1: self = .invalidArgument
        case 2: self = .memoryAllocationFailure
        case 3: self = .runtimeFailure
        case 4: self = .missingInputTensor
        case 5: self = .unsupported
        case 6: self = .notFound
        case 8: self = .wrongVersion
        case 500: self = .fileIO
        case 501: self = .invalidFlatbuffer
        case 502: self = .dynamicLoading
        case 504: self = .compilation
        case 1000: self = .indexOutOfBounds
        default: self = .unknown
        }
    }

    public var description: String {
        switch self {
        case .invalidArgument: return "Invalid argument"
        case .memoryAllocationFailure: return "Memory allocation failure"
        case .runtimeFailure: return "Runtime failure"
        case .missingInputTensor: return "Missing input tensor"
        case .unsupported: return "Unsupported operation"
        case .notFound: return "Not found"
        case .wrongVersion: return "Wrong version"
        case .unknown: return "Unknown error"
        case .fileIO: return "File I/O error"
        case .invalidFlatbuffer: return "Invalid flatbuffer"
        case .dynamicLoading: return "Dynamic loading error"
        case .compilation: return "Compilation error"
        case .indexOutOfBounds: return "Index out of bounds"
        }
    }
}

func check(_ status: LiteRtStatus) throws {
    guard status == kLiteRtStatusOk else { throw LiteRtError(status: status) }
}
