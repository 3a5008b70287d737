import EmojiLabKit
import Foundation
import LiteRT

/// The exported model on LiteRT's CompiledModel API, on the CPU (XNNPACK): what the app and the keyboard run.
///
/// This one file is compiled by the app, by the keyboard and, on Linux in CI, against LiteRT's C runtime from the
/// Python wheel (ios_starter/LiteRTForLinux), where it must give golden.json's probabilities. Not thread-safe:
/// `Predictor` calls it one text at a time, off the main thread.
final class LiteRTEmojiModel: EmojiModel {
    /// Where it runs: golden.json's `runtime.accelerators` records what Python asked for, and the tests compare.
    static var accelerators: Set<Accelerator> { [.cpu] }
    static var acceleratorNames: [String] { accelerators.map { "\($0)" }.sorted() }

    let labels: [String]
    let encoder: ByteEncoder
    private let compiledModel: CompiledModel  // holds its Environment
    private let inputs: [TensorBuffer]
    private let outputs: [TensorBuffer]

    /// Loads and compiles the model, and checks it against labels.txt and preprocess.json before any prediction.
    init(files: ModelFileURLs) throws {
        let contract = try ModelContract(files: files)
        do {
            let environment = try Environment()
            let options = try Options()
            try options.setHardwareAccelerators(Self.accelerators)
            compiledModel = try CompiledModel(filePath: files.model.path, environment: environment, options: options)
            let input = try compiledModel.getInputTensorType(inputIndex: 0)
            try contract.checkInput(count: compiledModel.inputCount(), elementType: "\(input.elementType)",
                                    dimensions: input.layout.dimensions)
            let output = try compiledModel.getOutputTensorType(outputIndex: 0)
            try contract.checkOutput(count: compiledModel.outputCount(), elementType: "\(output.elementType)",
                                     dimensions: output.layout.dimensions)
            inputs = try compiledModel.createInputBuffers()
            outputs = try compiledModel.createOutputBuffers()
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError.unreadableModel(String(describing: error))  // LiteRT's own reason
        }
        labels = contract.labels
        encoder = contract.encoder
    }

    /// [1, max_len] int32 ids in, [1, labels] float32 probabilities out.
    func probabilities(for ids: [Int32]) throws -> [Float] {
        try inputs[0].write(ids)
        try compiledModel.run(inputs: inputs, outputs: outputs)
        return try outputs[0].read()
    }
}

extension Predictor {
    /// The model bundled in `bundle` (the app's, or the keyboard's own copy) on LiteRT, loaded off the main thread.
    static func liteRT(in bundle: Bundle) async throws -> Predictor {
        let files = try ModelFileURLs(bundle: bundle)
        return try await load { try LiteRTEmojiModel(files: files) }
    }
}
