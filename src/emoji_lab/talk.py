"""What the 2017 talk "TensorFlow on iOS" showed, kept for comparison: its two sentences and its model's answers.

Its model knew the top 100 emoji of its own tweets; the course's models know the classes of the
learner's data, so some of these answers cannot be theirs.
"""

from __future__ import annotations

SENTENCES = ("I wanna go home and go to sleep", "happy new year! God Bless")  # the talk's run(...) demo
ANSWERS = {SENTENCES[0]: ("😭", "😩", "👀", "😂", "😴"),
           SENTENCES[1]: ("🎉", "❤️", "🎈", "😊", "😘")}
