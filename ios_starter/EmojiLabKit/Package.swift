// swift-tools-version: 6.0
// EmojiLabKit: everything the app and the keyboard do that is neither UI nor the LiteRT interpreter, so that it
// builds and is tested with the Swift toolchain alone, on Linux in CI as on a Mac.
import PackageDescription

let package = Package(
    name: "EmojiLabKit",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [
        .library(name: "EmojiLabKit", targets: ["EmojiLabKit"]),
    ],
    targets: [
        .target(name: "EmojiLabKit"),
        .testTarget(name: "EmojiLabKitTests", dependencies: ["EmojiLabKit"]),
    ],
    swiftLanguageModes: [.v6]
)
