"""Lesson content (TOML files), shipped inside the wheel as `emoji_lab.lessons`; see README.md here."""
