// swift-tools-version: 6.0
// Runs the app's own inference file (Shared/LiteRTEmojiModel.swift) on Linux, on LiteRT's C runtime from the Python
// wheel: module `LiteRT` here offers the part of LiteRT's Swift API the app uses, over the C API, loaded at run time
// from LITERT_LIBRARY. For tests only: the Xcode project never links this package, so its `LiteRT` never meets the
// real one (LiteRT-Swift), which the app gets on a Mac.
import PackageDescription

let package = Package(
    name: "LiteRTForLinux",
    platforms: [.macOS(.v12)],
    dependencies: [
        .package(path: "../EmojiLabKit"),
    ],
    targets: [
        .target(name: "CLiteRTRuntime", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "LiteRT", dependencies: ["CLiteRTRuntime"]),
        // Sources/AppInference holds a link to ../Shared/LiteRTEmojiModel.swift: the app's file, not a copy.
        .target(name: "AppInference", dependencies: ["LiteRT", "EmojiLabKit"]),
        .testTarget(name: "AppInferenceTests", dependencies: ["AppInference", "EmojiLabKit", "LiteRT"]),
    ],
    swiftLanguageModes: [.v6]
)
