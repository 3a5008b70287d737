import CLiteRTRuntime

/// The runtime's environment: its registered accelerators (on the CPU, XNNPACK).
public final class Environment {
    let runtime: LiteRtRuntime
    let handle: LiteRtEnvironment

    public init() throws {
        runtime = try Runtime.functions()
        var environment: LiteRtEnvironment?
        try check(runtime.CreateEnvironment!(0, nil, &environment))
        guard let environment else { throw LiteRtError.runtimeFailure }
        handle = environment
    }

    deinit {
        runtime.DestroyEnvironment!(handle)
    }
}

/// The hardware a model may be compiled for.
public enum Accelerator: Int32 {
    case none = 0
    case cpu = 1
    case gpu = 2
    case npu = 4
}

/// How a model is compiled: here, for which accelerators.
public final class Options {
    let runtime: LiteRtRuntime
    let handle: LiteRtOptions

    public init() throws {
        runtime = try Runtime.functions()
        var options: LiteRtOptions?
        try check(runtime.CreateOptions!(&options))
        guard let options else { throw LiteRtError.runtimeFailure }
        handle = options
    }

    deinit {
        runtime.DestroyOptions!(handle)
    }

    public func setHardwareAccelerators(_ accelerators: Set<Accelerator>) throws {
        try check(runtime.SetOptionsHardwareAccelerators!(handle, accelerators.reduce(0) { $0 | $1.rawValue }))
    }

    public func hardwareAccelerators() throws -> Set<Accelerator> {
        var bits: LiteRtHwAcceleratorSet = 0
        try check(runtime.GetOptionsHardwareAccelerators!(handle, &bits))
        return Set([Accelerator.cpu, .gpu, .npu].filter { bits & $0.rawValue != 0 })
    }
}
