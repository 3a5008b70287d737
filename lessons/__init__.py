"""The lessons: one TOML file each (content) and one module each (`lessonNN.py`: its checks, restores, sentences and views); the package `emoji_lab.lessons` in every install. See README.md here."""
