/// The files `emoji_lab export` (lesson 8) copies into EmojiLab/Resources; the app and the keyboard bundle all four.
public enum ModelFiles {
    public static let model = "emoji_model.tflite"
    public static let labels = "labels.txt"
    public static let preprocess = "preprocess.json"
    public static let golden = "golden.json"
}
