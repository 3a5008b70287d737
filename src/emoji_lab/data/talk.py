"""What the 2017 talk "TensorFlow on iOS" showed, kept for comparison: its five demo sentences and its model's answers.

Its model knew the top 100 emoji of its own tweets; the course's models know the classes of the
learner's data, so some of these answers cannot be theirs.
"""

from __future__ import annotations

# The talk's run(...) demos, in its order, and its model's answers (its In [21] to In [26]).
ANSWERS = {
    "I wanna go home and go to sleep": ("😭", "😩", "👀", "😂", "😴"),
    "happy new year! God Bless": ("🎉", "❤️", "🎈", "😊", "😘"),
    "HAPPY NEW YEAR here's to many more amazing memories": ("🎉", "❤️", "😘", "😊", "💕"),
    "day 1 of 365 thank you God for allowing me to see this day": ("❤️", "🙏", "😊", "😘", "💕"),
    'The art of knowing is knowing to "IGNORE". Good morning': ("❤️", "😊", "😍", "😘", "💕"),
}
SENTENCES = tuple(ANSWERS)
