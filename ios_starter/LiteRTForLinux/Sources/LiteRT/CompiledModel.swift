import CLiteRTRuntime

/// A .tflite model loaded and compiled for the accelerators its options name (by default the CPU).
public final class CompiledModel {
    public let environment: Environment
    public let options: Options?
    private let runtime: LiteRtRuntime
    private let model: LiteRtModel
    private let compiled: LiteRtCompiledModel

    public init(filePath: String, environment: Environment, options: Options? = nil) throws {
        let resolved = try options ?? Self.cpuOptions()
        runtime = environment.runtime
        var model: LiteRtModel?
        try check(runtime.CreateModelFromFile!(environment.handle, filePath, &model))
        guard let model else { throw LiteRtError.runtimeFailure }
        var compiled: LiteRtCompiledModel?
        let status = runtime.CreateCompiledModel!(environment.handle, model, resolved.handle, &compiled)
        guard status == kLiteRtStatusOk, let compiled else {
            runtime.DestroyModel!(model)
            throw LiteRtError(status: status == kLiteRtStatusOk ? 3 : status)
        }
        self.environment = environment
        self.options = resolved
        self.model = model
        self.compiled = compiled
    }

    deinit {
        runtime.DestroyCompiledModel!(compiled)
        runtime.DestroyModel!(model)
    }

    public func inputCount(signatureIndex: Int = 0) throws -> Int {
        var count = 0
        try check(runtime.GetNumSignatureInputs!(try signature(signatureIndex), &count))
        return count
    }

    public func outputCount(signatureIndex: Int = 0) throws -> Int {
        var count = 0
        try check(runtime.GetNumSignatureOutputs!(try signature(signatureIndex), &count))
        return count
    }

    public func getInputTensorType(inputIndex: Int, signatureIndex: Int = 0) throws -> TensorType {
        TensorType(try rankedType(input: true, index: inputIndex, signatureIndex: signatureIndex))
    }

    public func getOutputTensorType(outputIndex: Int, signatureIndex: Int = 0) throws -> TensorType {
        TensorType(try rankedType(input: false, index: outputIndex, signatureIndex: signatureIndex))
    }

    public func createInputBuffers(signatureIndex: Int = 0) throws -> [TensorBuffer] {
        try (0..<inputCount(signatureIndex: signatureIndex)).map { try buffer(input: true, index: $0, signatureIndex) }
    }

    public func createOutputBuffers(signatureIndex: Int = 0) throws -> [TensorBuffer] {
        try (0..<outputCount(signatureIndex: signatureIndex)).map { try buffer(input: false, index: $0, signatureIndex) }
    }

    public func run(inputs: [TensorBuffer], outputs: [TensorBuffer], options: Options? = nil,
                    signatureIndex: Int = 0) throws {
        precondition(options == nil, "per-run options are not part of this test runtime")
        var inputHandles: [LiteRtTensorBuffer?] = inputs.map(\.handle)
        var outputHandles: [LiteRtTensorBuffer?] = outputs.map(\.handle)
        try withExtendedLifetime((inputs, outputs)) {
            try check(runtime.RunCompiledModel!(compiled, signatureIndex, inputs.count, &inputHandles,
                                                outputs.count, &outputHandles))
        }
    }

    private static func cpuOptions() throws -> Options {
        let options = try Options()
        try options.setHardwareAccelerators([.cpu])
        return options
    }

    private func signature(_ index: Int) throws -> LiteRtSignature {
        var signature: LiteRtSignature?
        try check(runtime.GetModelSignature!(model, index, &signature))
        guard let signature else { throw LiteRtError.runtimeFailure }
        return signature
    }

    private func rankedType(input: Bool, index: Int, signatureIndex: Int) throws -> LiteRtRankedTensorType {
        let signature = try signature(signatureIndex)
        var tensor: LiteRtTensor?
        try check(input ? runtime.GetSignatureInputTensorByIndex!(signature, index, &tensor)
                        : runtime.GetSignatureOutputTensorByIndex!(signature, index, &tensor))
        guard let tensor else { throw LiteRtError.runtimeFailure }
        var type = LiteRtRankedTensorType()
        try check(runtime.GetRankedTensorType!(tensor, &type))
        return type
    }

    private func buffer(input: Bool, index: Int, _ signatureIndex: Int) throws -> TensorBuffer {
        var requirements: LiteRtTensorBufferRequirements?  // owned by the compiled model
        try check(input ? runtime.GetCompiledModelInputBufferRequirements!(compiled, signatureIndex, index, &requirements)
                        : runtime.GetCompiledModelOutputBufferRequirements!(compiled, signatureIndex, index, &requirements))
        guard let requirements else { throw LiteRtError.runtimeFailure }
        var size = 0
        try check(runtime.GetTensorBufferRequirementsBufferSize!(requirements, &size))
        return try TensorBuffer(environment: environment,
                                type: rankedType(input: input, index: index, signatureIndex: signatureIndex), size: size)
    }
}
