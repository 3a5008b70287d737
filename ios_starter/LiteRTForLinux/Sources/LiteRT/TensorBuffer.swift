import CLiteRTRuntime

/// Host memory holding one tensor, written before and read after a run.
public final class TensorBuffer {
    let runtime: LiteRtRuntime
    let handle: LiteRtTensorBuffer
    private let environment: Environment  // the runtime frees a buffer through its environment

    init(environment: Environment, type: LiteRtRankedTensorType, size: Int) throws {
        runtime = environment.runtime
        self.environment = environment
        var type = type
        var buffer: LiteRtTensorBuffer?
        try check(runtime.CreateManagedTensorBuffer!(environment.handle, kLiteRtTensorBufferTypeHostMemory,
                                                     &type, size, &buffer))
        guard let buffer else { throw LiteRtError.runtimeFailure }
        handle = buffer
    }

    deinit {
        runtime.DestroyTensorBuffer!(handle)
    }

    /// The tensor's size in bytes.
    public var size: Int {
        var size = 0
        return (try? check(runtime.GetTensorBufferPackedSize!(handle, &size))) == nil ? 0 : size
    }

    /// Copies `data` in; more bytes than the tensor holds is an error.
    public func write<T>(_ data: [T]) throws {
        let byteCount = data.count * MemoryLayout<T>.stride
        guard byteCount <= size else { throw LiteRtError.invalidArgument }
        let address = try lock(mode: kLiteRtTensorBufferLockModeWrite)
        defer { _ = runtime.UnlockTensorBuffer!(handle) }
        data.withUnsafeBytes { source in
            if let base = source.baseAddress { address.copyMemory(from: base, byteCount: byteCount) }
        }
    }

    /// The tensor's elements, as many as its bytes hold.
    public func read<T>() throws -> [T] {
        let count = size / MemoryLayout<T>.stride
        let address = try lock(mode: kLiteRtTensorBufferLockModeRead)
        defer { _ = runtime.UnlockTensorBuffer!(handle) }
        return Array(UnsafeBufferPointer(start: address.bindMemory(to: T.self, capacity: count), count: count))
    }

    private func lock(mode: LiteRtTensorBufferLockMode) throws -> UnsafeMutableRawPointer {
        var address: UnsafeMutableRawPointer?
        try check(runtime.LockTensorBuffer!(handle, &address, mode))
        guard let address else { throw LiteRtError.runtimeFailure }
        return address
    }
}
