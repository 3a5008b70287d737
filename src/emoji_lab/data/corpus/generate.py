"""Generate the offline practice corpus: synthetic, tweet-like lines with emoji in the text.

Why this exists: the course must work offline and on day one, before anything is downloaded,
so it ships a small practice corpus (`sample.txt.gz`). TweetEval's emoji task is the real
benchmark; this corpus only imitates its shape, and every phrase below was written for this
project (no third-party text).

The lines are built as templates x slots x noise functions, so that the course's lessons are
true and measurable on it:

* labels depend on more than single keywords: misspelled and elongated keywords ("tiiired",
  "#blessedd"), negation ("not tired at all"), style (ALL CAPS, "!!!", "lmaooo");
* a word vocabulary misses many held-out tokens (random @handles, URLs, numbers, typos),
  while a byte vocabulary misses none;
* most lines use frames shared by all classes ("feeling {kw} today"), so often only a
  (misspelled) keyword and the style tell two classes apart;
* it is not trivially separable: similar emoji share contexts (love, laughing-crying, tired),
  about 12% of lines take their text from a related class, and generic filler is everywhere.

Run `python -m emoji_lab.data.corpus.generate` to rewrite `sample.txt.gz` next to this module;
the output is byte-identical for the same seed.
"""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

DEFAULT_LINES = 30_000
DEFAULT_SEED = 2024
OUTPUT_NAME = "sample.txt.gz"

NO_EMOJI_SHARE = 0.03  # lines without any emoji (the pipeline drops and reports them)
RELATED_TEXT_SHARE = 0.12  # label noise: text comes from a related class
KEYWORD_NOISE = 0.65  # chance that a class keyword is elongated, misspelled or glued to a hashtag
TOKEN_NOISE = 0.06  # chance that any other word gets a typo or an elongation

# --------------------------------------------------------------------------------------------
# Phrase banks: plain data, all hand-written for emoji_lab.
# --------------------------------------------------------------------------------------------

HEART = "\u2764\ufe0f"  # written with U+FE0F; some lines drop it so normalisation matters
SUN = "\u2600\ufe0f"
PEACE = "\u270c\ufe0f"
SKIN_TONES = ("\U0001F3FB", "\U0001F3FC", "\U0001F3FD", "\U0001F3FE", "\U0001F3FF")
TONEABLE = ("🙏", "👍", "💪", "👏", PEACE, "🤷")

# emoji, weight (per mille of lines with emoji), intents the text is drawn from (with weights)
CLASSES = (
    ("😂", 200, (("funny", 82), ("cry_laugh", 14), ("generic", 4))),
    (HEART, 100, (("love", 62), ("family", 26), ("thanks", 6), ("generic", 6))),
    ("😍", 70, (("admire", 60), ("love", 18), ("food_want", 10), ("cute", 8), ("generic", 4))),
    ("😭", 65, (("sad", 44), ("cry_laugh", 22), ("cute", 10), ("tired", 10), ("not_happy", 8),
               ("generic", 6))),
    ("🔥", 55, (("hype", 84), ("not_tired", 8), ("generic", 8))),
    ("😊", 50, (("happy", 55), ("thanks", 12), ("not_tired", 10), ("not_sad", 15),
               ("generic", 8))),
    ("🙏", 45, (("blessed", 66), ("thanks", 22), ("not_sad", 6), ("generic", 6))),
    ("💕", 40, (("friends", 56), ("love", 30), ("cute", 8), ("generic", 6))),
    ("😘", 35, (("kiss", 60), ("love", 24), ("thanks", 10), ("generic", 6))),
    ("🎉", 35, (("celebrate", 66), ("birthday", 28), ("generic", 6))),
    ("😩", 31, (("tired", 38), ("whine", 30), ("food_want", 12), ("not_happy", 14),
               ("generic", 6))),
    ("😴", 30, (("sleepy", 64), ("tired", 28), ("generic", 8))),
    ("👀", 28, (("sus", 90), ("generic", 10))),
    ("💯", 27, (("agree", 90), ("generic", 10))),
    ("👍", 25, (("okay", 88), ("generic", 12))),
    ("😎", 23, (("chill", 80), ("not_sad", 8), ("generic", 12))),
    ("🎈", 22, (("birthday", 84), ("celebrate", 10), ("generic", 6))),
    ("🙄", 20, (("annoyed", 74), ("not_funny", 12), ("not_happy", 8), ("generic", 6))),
    ("💪", 20, (("gym", 79), ("not_tired", 15), ("generic", 6))),
    ("🤔", 18, (("think", 88), ("generic", 12))),
    # the long tail: rarer than the top 20, often sharing contexts with a head class
    ("🤣", 8, (("funny", 70), ("cry_laugh", 30))),
    ("🍕", 7, (("food_want", 100),)),
    ("✨", 7, (("sparkle", 100),)),
    (SUN, 6, (("sunny", 100),)),
    ("😡", 6, (("angry", 100),)),
    ("🎂", 6, (("birthday", 100),)),
    ("😢", 5, (("sad", 100),)),
    ("🐶", 5, (("dog", 100),)),
    ("😱", 5, (("shock", 100),)),
    ("🏀", 4, (("hoops", 100),)),
    ("🎄", 4, (("xmas", 100),)),
    ("👏", 4, (("celebrate", 50), ("agree", 50))),
    ("🤷", 3, (("shrug", 100),)),
    ("🌸", 3, (("spring", 100),)),
    (PEACE, 2, (("chill", 100),)),
)
CLASS_INTENTS = {emoji: intents for emoji, _, intents in CLASSES}

# similar classes: label noise and mixed-emoji lines draw from these
RELATED = {
    "😂": ("😭", "🤣", "💀"),
    HEART: ("😍", "😘", "💕", "😊"),
    "😍": (HEART, "😘", "💕"),
    "😭": ("😂", "😩", "😢"),
    "🔥": ("💯", "😎", "💪"),
    "😊": (HEART, "🙏", "💕"),
    "🙏": ("😊", HEART, "💯"),
    "💕": (HEART, "😍", "😘"),
    "😘": (HEART, "💕", "😍"),
    "🎉": ("🎈", "🎂", "🔥"),
    "😩": ("😭", "😴", "🙄"),
    "😴": ("😩", "😭"),
    "👀": ("🤔", "😂"),
    "💯": ("🔥", "👍", "🙏"),
    "👍": ("💯", "😊"),
    "😎": ("🔥", "😊"),
    "🎈": ("🎉", "🎂", "💕"),
    "🙄": ("😩", "👀", "😂"),
    "💪": ("🔥", "💯"),
    "🤔": ("👀", "🙄"),
}

# style per class: ALL CAPS chance, laugh-token chance, repeat-emoji chance, and the line
# endings people tend to type with it (a cue that word tokens cannot see)
LOUD = ("!", "!!", "!!!", "!!!!", "!!1", "!!!!!!")
STYLE = {
    "😂": (0.22, 0.55, 0.45, LOUD + ("?!", "")),
    "🤣": (0.22, 0.50, 0.45, LOUD + ("?!",)),
    "😭": (0.10, 0.06, 0.40, ("...", "..", " :(", "....", "", ",,")),
    "😢": (0.02, 0.02, 0.30, ("...", " :(", "..")),
    "🔥": (0.25, 0.02, 0.35, LOUD),
    "🎉": (0.20, 0.02, 0.30, LOUD + ("!! :D",)),
    "😡": (0.35, 0.00, 0.30, LOUD + ("?!",)),
    "😱": (0.25, 0.02, 0.25, ("?!", "!?", "?!?!", "!!")),
    "💯": (0.14, 0.02, 0.35, (".", "!", "")),
    "😩": (0.06, 0.02, 0.35, ("", "...", " smh", "!!")),
    "😴": (0.01, 0.01, 0.30, ("...", ".", "", " zz")),
    "🙄": (0.02, 0.08, 0.15, (".", "..", "", " k.")),
    "👍": (0.01, 0.01, 0.05, (".", "", " :)", "!")),
    "🤔": (0.01, 0.02, 0.10, ("?", "??", "?!", "...?")),
    "👀": (0.04, 0.04, 0.45, ("...", "?", "..", "")),
    "😊": (0.02, 0.02, 0.20, (" :)", "!", " :D", ".", "")),
    "🙏": (0.03, 0.00, 0.30, ("", ".", "!")),
    "😘": (0.02, 0.02, 0.35, (" xx", " x", " <3", "!")),
    "💕": (0.02, 0.02, 0.40, (" <3", " <33", "!", "")),
    HEART: (0.04, 0.01, 0.35, (" <3", "!", "")),
    "😍": (0.06, 0.02, 0.40, ("!!", "!", " <3", "")),
    "🎈": (0.08, 0.01, 0.30, ("!", "!!", "")),
}
DEFAULT_STYLE = (0.03, 0.03, 0.20, ("!", ".", ""))
ENDING_SHARE = 0.45

# slot banks shared by all intents; values may contain further {slots}
SLOTS = {
    "time": ("today", "tonight", "this morning", "rn", "right now", "all day", "this week",
             "again", "lately", "after work", "after school", "this weekend", "every time",
             "at {hour}", "on a {day}", "since {hour}", "for the {nth} time", "yesterday"),
    "hour": ("3am", "4am", "6am", "7:30", "noon", "midnight", "5am", "{num}pm", "{num}am", "2:{mm}"),
    "who": ("my mom", "my dad", "my sister", "my brother", "my roommate", "my bff", "my boyfriend",
            "my girlfriend", "my teacher", "my boss", "this guy", "this girl", "the dog", "my cat",
            "grandma", "my grandpa", "the whole class", "everyone", "this kid", "my coworker",
            "my best friend", "{name}", "{name}", "{mention}", "my little cousin", "the neighbors",
            "my uncle", "the bus driver", "my lab partner", "the barista"),
    "friend": ("bestie", "babe", "sis", "bro", "girl", "fam", "yall", "dude", "hun", "boo", "{name}",
               "{name}", "{mention}", "queen", "king", "guys", "love"),
    "filler": ("omg", "literally", "honestly", "ngl", "lowkey", "highkey", "tbh", "bruh", "like",
               "fr", "deadass", "idk", "ok but", "yo", "wow", "okay", "so", "um", "welp", "yikes",
               "bro", "dude", "ya know", "srsly", "istg", "imo", "man"),
    "tail": ("today", "tho", "fr", "lol", "tbh", "i swear", "for real", "anyway", "smh", "rn",
             "ngl", "literally", "again", "as always", "send help", "no cap", "period", "istg",
             "ok", "whatever", "is that normal", "just saying", "bye", "thats it thats the tweet",
             "cant even", "idc", "and im not sorry", "this is my life now", "every single time"),
    "intens": ("so", "so", "so", "soo", "really", "hella", "super", "mad", "way too", "too", "very",
               "extremely", "kinda", "lowkey", "actually", "literally", "crazy"),
    "place": ("at work", "in class", "on the bus", "at the gym", "at home", "in the car",
              "at the mall", "at the game", "in bed", "at the party", "on the train",
              "at the beach", "in the library", "at church", "at the airport", "in the kitchen",
              "in math", "at target", "at {name}'s", "on the couch"),
    "thing": ("this video", "this meme", "that tweet", "this song", "the new episode", "this pic",
              "the group chat", "that movie", "this thread", "his face", "her reaction",
              "the ending", "this tiktok", "that commercial", "the blooper reel", "this vine",
              "the snapchat", "my own joke", "that voice memo", "this gif"),
    "food": ("pizza", "tacos", "ice cream", "fries", "sushi", "pancakes", "wings", "coffee",
             "boba", "mac and cheese", "burgers", "donuts", "ramen", "nachos", "cookies",
             "chicken nuggets", "pasta", "waffles", "cheesecake", "a milkshake", "hot cheetos"),
    "day": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "the weekend", "finals week", "tomorrow", "christmas", "summer", "spring break",
            "game day", "senior year", "day {num}"),
    "num": tuple(str(n) for n in range(1, 13)) + ("15", "20", "30", "45", "100", "69", "24"),
    "mm": ("00", "05", "15", "17", "30", "42", "45", "59"),
    "nth": ("1st", "2nd", "3rd", "5th", "10th", "13th", "16th", "18th", "21st", "30th", "50th",
            "first", "second", "third", "twentieth", "millionth"),
    "celeb": ("beyonce", "drake", "taylor", "rihanna", "the weeknd", "ariana", "justin", "harry",
              "zendaya", "kendrick", "selena", "bts", "billie", "the jonas brothers"),
    "team": ("the lakers", "the warriors", "the cowboys", "the eagles", "our team", "the yankees",
             "the heat", "the bulls", "the raiders", "the celtics", "my boys"),
    "task": ("my essay", "the project", "my homework", "the report", "finals", "the group project",
             "my thesis", "the laundry", "my taxes", "the presentation", "chemistry", "the quiz"),
    "obj": ("phone", "keys", "wallet", "headphones", "charger", "airpods", "homework", "jacket",
            "id", "laptop", "glasses", "umbrella"),
    "laugh": ("lmao", "lmao", "lmfao", "lol", "haha", "hahaha", "ahahaha", "lolol", "hehe",
              "rofl", "lmaoo", "hahah", "LMAO", "lmaooo", "dead", "im weak", "jajaja", "xD"),
}

# frames any intent can use: only the keyword (often misspelled) and the style tell classes apart
SHARED_FRAMES = ("{kw}", "{kw} {time}", "{filler} {kw}", "{filler} {kw} {time}",
                 "{who} has me {kw}", "feeling {kw} {time}", "{kw} {place}", "me {time}: {kw}",
                 "{kw} {kw}", "ok but {kw}", "{time} = {kw}", "{day} {kw}", "just {kw}",
                 "{kw} mood", "{intens} {kw}", "{who} {time}. {kw}", "{kw} {friend}",
                 "current status: {kw}", "{filler} {intens} {kw}", "{kw} {tail}",
                 "and {who} was like {kw}", "{place} {time} {kw}")
FRAME_SHARE = 0.6
NEGATED_INTENTS = ("not_tired", "not_sad", "not_happy", "not_funny")  # never use shared frames

# name parts: first names are combined with made-up syllables so held-out names are often new
NAMES = ("jess", "mike", "sarah", "chris", "ashley", "josh", "kayla", "tyler", "maria", "jordan",
         "brit", "alex", "jamie", "nick", "becca", "marcus", "tay", "kev", "dani", "sam", "lexi",
         "devon", "nia", "trey", "emma", "liam", "zoe", "malik", "sofia", "andre", "hannah",
         "luis", "mo", "priya", "jen", "ben", "keisha", "drew", "megan", "carlos")
SYLLABLES = ("ka", "ty", "lo", "ri", "ja", "den", "mar", "cus", "bri", "an", "na", "el", "le",
             "zo", "ey", "sha", "qui", "ton", "ra", "vi", "dre", "ko", "lyn", "mi", "son", "ja",
             "ny", "ae", "xan", "ro", "bel", "tri", "ck", "ee", "ah")
HANDLE_BITS = ("_", "__", ".", "x", "xo", "the", "real", "its", "official", "lol", "tv", "ig",
               "bby", "22", "99", "01", "7")
URL_FORMS = ("https://t.co/{code}", "http://t.co/{code}", "https://bit.ly/{code}",
             "pic.twitter.com/{code}", "https://www.instagram.com/p/{code}/",
             "youtu.be/{code}", "https://tinyurl.com/{code}")
GENERIC_TAGS = ("#mood", "#tbt", "#fridayfeeling", "#random", "#life", "#truth", "#me",
                "#relatable", "#weekend", "#nofilter", "#instagood", "#lol", "#fml", "#love",
                "#goals", "#summer", "#foodie", "#repost", "#throwback", "#mondays")

# intents: kw = class keywords (noised often), t = templates, tags = hashtags
INTENTS = {
    "funny": {
        "kw": ("dead", "dying", "weak", "screaming", "hilarious", "funny", "crying", "cackling",
               "wheezing", "laughing", "deceased", "howling"),
        "t": ("{laugh} {who} just {goof}", "{who} {goof} {laugh}", "im {kw} at {thing}",
              "{thing} has me {kw}", "i cant breathe {laugh}", "why is {thing} so {kw}",
              "{laugh} {friend} you did not just say that", "not {who} {goof}",
              "i am {kw} {laugh}", "{laugh} the way {who} {goof}", "me when {who} {goof}",
              "{thing} is {intens} {kw}", "{who} really {goof} {time} {laugh}",
              "im so {kw} {laugh}", "{laugh} {laugh}", "bro {goof} and then {goof}",
              "nah {thing} is too {kw}", "{who} {goof} and i {laugh} {time}",
              "whoever made {thing} i love you {laugh}", "i showed {who} {thing} and they {goof}"),
        "goof": ("fell off the chair", "tripped on nothing", "sang the wrong lyrics",
                 "called the teacher mom", "sent that to the wrong chat", "tried to dab",
                 "fell asleep in the meeting", "said bless you to a cough",
                 "walked into the glass door", "burned the toast again", "forgot his own name",
                 "dropped the cake", "laughed at his own joke", "waved back at a stranger",
                 "pushed a pull door", "got scared of a balloon", "ate the crayon",
                 "spelled her name wrong", "fake laughed at the boss", "slid across the floor"),
        "tags": ("#funny", "#lmao", "#comedy", "#dead", "#imdead", "#weak", "#joke"),
    },
    "cry_laugh": {
        "kw": ("crying", "sobbing", "tears", "in tears", "bawling", "cant stop crying"),
        "t": ("im actually {kw}", "{kw} rn", "{thing} made me {kw}", "stop im {kw}",
              "bro im {kw} {laugh}", "i was {kw} {place}", "{kw} at {thing} {laugh}",
              "i am {kw} over {thing}", "{who} has me {kw}", "literal {kw}"),
        "tags": ("#crying", "#tears", "#icant", "#help"),
    },
    "sad": {
        "kw": ("sad", "crying", "heartbroken", "upset", "hurt", "lonely", "depressed", "sobbing",
               "broken", "miserable", "devastated", "gutted"),
        "t": ("i miss {who} {intens} much", "{intens} {kw} {time}", "why did {sad_event}",
              "{sad_event} and im not ok", "i just want {who} back", "cant believe {sad_event}",
              "{kw} {place} again", "the ending of {thing} broke me", "{who} left and im {kw}",
              "nobody texted me {time}", "i lost my {obj} {time}", "{sad_event} {time}",
              "im {intens} {kw} that {sad_event}", "i cried {place} because {sad_event}",
              "feeling {kw} {time}", "{sad_event}. {kw}", "not okay {time}",
              "why does it hurt this much", "i need a hug {friend}"),
        "sad_event": ("my phone broke", "they cancelled the show", "the dog is sick",
                      "summer is over", "my ice cream fell", "he didnt text back",
                      "i failed the test", "the concert got cancelled", "my flight got delayed",
                      "we lost the game", "my favorite character died", "i missed the bus",
                      "my best friend moved away", "nobody came to the party", "it rained all week",
                      "grandpa is in the hospital", "they broke up", "the store was out of {food}"),
        "tags": ("#sad", "#heartbroken", "#whyme", "#missyou", "#sadtweet", "#rip"),
    },
    "cute": {
        "kw": ("cute", "adorable", "precious", "sweet", "tiny", "baby", "smol"),
        "t": ("{who} is {intens} {kw} i cant", "this puppy is too {kw}", "the baby laughed and {kw}",
              "i cant handle how {kw} {who} is", "look at this {kw} little face",
              "{who} drew me a picture {kw}", "my heart {kw}", "the {kw} kitten at the shelter",
              "{who} said i love you first", "this is the most {kw} thing ever"),
        "tags": ("#cute", "#adorable", "#puppy", "#aww", "#babies"),
    },
    "tired": {
        "kw": ("tired", "exhausted", "drained", "sleepy", "done", "worn out", "beat", "dead tired",
               "burnt out", "wiped"),
        "t": ("{intens} {kw} {time}", "im {intens} {kw}", "need a nap {time}",
              "been up since {hour} and im {kw}", "{day} got me {kw}", "work was {intens} long",
              "why am i {intens} {kw}", "cant keep my eyes open", "running on {num} hours of sleep",
              "too {kw} to function", "im {kw} of {task}", "{kw} {place}",
              "so {kw} i could cry", "{task} has me {kw}", "{intens} {kw} and its only {day}",
              "i am {kw} {friend}"),
        "tags": ("#tired", "#sotired", "#exhausted", "#needsleep", "#nosleep", "#mondays"),
    },
    "not_tired": {
        "kw": ("tired", "sleepy", "exhausted", "drained", "sore", "sad"),
        "t": ("not {kw} at all", "not even {kw} {time}", "somehow not {kw} after {task}",
              "wasnt {kw} {time}", "never been less {kw}", "no longer {kw}",
              "not {kw} for once", "slept {num} hours and not {kw}", "aint even {kw}",
              "{num} hours of sleep and still not {kw}", "im not {kw} anymore",
              "who said im {kw}? not me"),
        "tags": ("#energy", "#ready", "#letsgo", "#motivated"),
    },
    "sleepy": {
        "kw": ("sleep", "nap", "bed", "sleepy", "asleep", "zzz", "snooze", "dreams", "bedtime",
               "naptime"),
        "t": ("goodnight {friend}", "time for {kw}", "going to {kw}", "{kw} time",
              "i could {kw} for {num} days", "fell {kw} {place}", "{kw} is calling",
              "staying in {kw} all day", "class was so boring i fell {kw}", "sleeping in {time}",
              "about to knock out", "{kw} {time}", "my {kw} > everything", "night yall",
              "cant wait to {kw}", "if anyone needs me ill be in {kw}", "turning my phone off, {kw}"),
        "tags": ("#sleep", "#nap", "#goodnight", "#bedtime", "#zzz"),
    },
    "whine": {
        "kw": ("ugh", "why", "please", "stress", "hate", "cant", "stressed", "over it", "struggle"),
        "t": ("i dont want to go {place}", "{day} again {kw}", "why is {task} so hard",
              "{kw} {task} is due {day}", "this traffic {kw}", "can it be friday already",
              "i have {num} essays due {day}", "my back hurts {kw}", "{kw} i still have {task}",
              "{who} woke me up at {hour} {kw}", "the wifi is down {kw}", "{kw} {day}",
              "why do i have {task} {time}", "it is {num} degrees outside {kw}",
              "{kw} my alarm didnt go off", "stuck {place} {time}"),
        "tags": ("#ugh", "#struggle", "#mondays", "#stressed", "#whyme", "#collegelife"),
    },
    "food_want": {
        "kw": ("want", "need", "craving", "starving", "hungry", "crave"),
        "t": ("i {kw} {food} {intens} bad", "{kw} {food} {time}", "someone bring me {food}",
              "{food} {time} please", "all i {kw} is {food}", "i would do anything for {food}",
              "{food} looks so good", "{who} made {food} and im {kw}", "{food} for dinner",
              "i {kw} {food} and {food}", "nothing beats {food} {time}", "is it too late for {food}"),
        "tags": ("#foodie", "#hungry", "#yum", "#food", "#pizza", "#dinner"),
    },
    "love": {
        "kw": ("love", "adore", "luv", "heart", "forever", "obsessed", "love love love", "lovee"),
        "t": ("i {kw} {who} {intens} much", "{kw} you {friend}", "{who} means everything to me",
              "happy anniversary {friend}", "i {kw} my {fam}", "youre the best {friend}",
              "{kw} you more {friend}", "cant wait to see you {time}", "miss you {friend}",
              "{kw} this {thing}", "{who} is my whole {kw}", "{num} years with you and i still {kw} you",
              "i {kw} when {who} sings", "date night with {who}", "you have my {kw}",
              "{who} + me = {kw}", "{kw} u {friend}"),
        "fam": ("family", "mom", "dad", "friends", "boyfriend", "girlfriend", "dog", "sister",
                "husband", "wife", "babies", "team", "fans"),
        "tags": ("#love", "#family", "#forever", "#bae", "#mylove", "#couplegoals"),
    },
    "family": {
        "kw": ("family", "mom", "dad", "grandma", "home", "parents", "sister", "brother"),
        "t": ("happy mothers day to the best {kw}", "dinner with the {kw} {time}",
              "{kw} is everything", "miss my {kw}", "{kw} time {time}", "home for {day} with my {kw}",
              "proud of my little {kw}", "so grateful for my {kw}", "{kw} over everything",
              "my {kw} came to visit"),
        "tags": ("#family", "#home", "#blessed", "#mothersday"),
    },
    "admire": {
        "kw": ("gorgeous", "beautiful", "stunning", "perfect", "amazing", "obsessed", "pretty",
               "goals", "flawless", "fine"),
        "t": ("{who} looks {kw}", "this dress is {kw}", "the view from {place} is {kw}",
              "obsessed with {thing}", "{celeb} is {intens} {kw}", "new hair who dis",
              "i need this in my life", "relationship {kw}", "{celeb} looked {kw} {time}",
              "that outfit is {kw}", "{kw} {kw}", "the sunset {time} was {kw}",
              "your new pic is {kw} {friend}", "how is {celeb} so {kw}", "{food} looks {kw}",
              "{who} in that suit {kw}"),
        "tags": ("#gorgeous", "#goals", "#beautiful", "#wcw", "#mcm", "#perfect"),
    },
    "kiss": {
        "kw": ("goodnight", "kisses", "mwah", "xoxo", "muah", "night night", "sweet dreams", "xx",
               "hugs", "smooches"),
        "t": ("goodnight {friend}", "love you {friend} {kw}", "thank you {friend} {kw}",
              "miss you already {friend}", "see you tomorrow {friend}", "{kw} {friend}",
              "happy birthday {friend} love you", "youre {intens} sweet", "{kw} from {place}",
              "cant wait to see you {kw}", "sending {kw} to {who}", "ily {friend}",
              "{kw} babe", "text me when you get home {kw}"),
        "tags": ("#xoxo", "#kisses", "#goodnight", "#love"),
    },
    "friends": {
        "kw": ("bestie", "besties", "bff", "girls", "squad", "sisters", "soulmate", "friendship",
               "bestfriend", "homies"),
        "t": ("{kw} night with {who}", "my {kw}", "so lucky to have {who}", "friends like these",
              "brunch with the {kw}", "{who} and me forever", "my {kw} {friend}",
              "cutest couple", "pink everything", "{kw} day {time}", "love my {kw} so much",
              "{num} years of {kw}", "{kw} for life", "i miss my {kw}", "sleepover with the {kw}",
              "matching outfits with my {kw}"),
        "tags": ("#besties", "#bff", "#squad", "#girlsnight", "#friendship"),
    },
    "happy": {
        "kw": ("happy", "grateful", "glad", "smiling", "good day", "proud", "thankful", "blessed",
               "content", "joy"),
        "t": ("{intens} {kw} {time}", "today was a good day", "finally finished {task}",
              "{who} made my day", "got my results back and passed", "nice sunny day",
              "{who} surprised me with {food}", "feeling {kw}", "cant stop smiling",
              "good morning {friend}", "thanks for the follow", "what a lovely day",
              "{intens} {kw} for {who}", "{kw} {kw} {kw}", "little things make me {kw}",
              "{who} said im their favorite", "had the best {day}", "im {kw} {time}"),
        "tags": ("#happy", "#grateful", "#goodvibes", "#smile", "#blessed", "#positivity"),
    },
    "thanks": {
        "kw": ("thank you", "thanks", "thank u", "thx", "ty", "appreciate", "tysm"),
        "t": ("{kw} {who}", "{kw} for {gift}", "appreciate you {friend}", "{kw} {intens} much {friend}",
              "{kw} for the birthday wishes", "{kw} everyone for {gift}", "{kw} {friend} {kw}",
              "{who} bought me {food} {kw}"),
        "gift": ("the flowers", "coming", "the support", "the ride", "everything", "the gift card",
                 "the card", "listening", "the follow", "being there", "the {food}"),
        "tags": ("#thankful", "#grateful", "#thankyou"),
    },
    "blessed": {
        "kw": ("blessed", "pray", "praying", "thankful", "grateful", "amen", "god", "bless",
               "prayers", "faith", "lord"),
        "t": ("{intens} {kw} {time}", "praying for {who}", "thank god for {who}", "please let {wish}",
              "god is good", "prayers up for {who}", "{kw} for another year", "amen to that",
              "please please please {wish}", "fingers crossed {wish}", "{kw} and grateful",
              "{who} is out of surgery {kw}", "lord please let {wish}", "{kw} {kw}",
              "keep {who} in your prayers", "sunday service {time} {kw}"),
        "wish": ("it snow tomorrow", "school be cancelled", "the test be easy", "my team win",
                 "my flight land on time", "he text back", "i get the job", "the weekend come faster",
                 "{who} feel better", "i pass {task}", "the rain stop", "tickets not sell out"),
        "tags": ("#blessed", "#pray", "#grateful", "#amen", "#faith", "#thankful", "#godisgood"),
    },
    "celebrate": {
        "kw": ("congrats", "congratulations", "party", "celebrate", "finally", "woohoo", "yay",
               "lets go", "cheers", "we did it", "hooray"),
        "t": ("{kw} {who}", "{kw} {who} graduated", "we did it {friend}", "party at {name}s {time}",
              "new year new me", "i passed my driving test", "{num}k followers {kw}",
              "happy new year", "finally done with {task}", "{who} got engaged", "got the job {kw}",
              "time to {kw}", "{kw} {kw}", "{team} won {kw}", "i graduated {kw}",
              "{kw} to {who} on the new baby", "{kw} its {day}", "{kw} i passed {task}"),
        "tags": ("#congrats", "#party", "#celebrate", "#classof2024", "#newyear", "#graduation"),
    },
    "birthday": {
        "kw": ("birthday", "bday", "hbd", "b-day", "birthdayy", "bdayy", "balloons", "cake",
               "candles", "turning"),
        "t": ("happy {kw} {name}", "happy {nth} {kw} {friend}", "hbd {name}", "its my {kw}",
              "{num} years young", "{kw} girl", "{kw} everywhere", "blowing out the {kw}",
              "{kw} party for {who}", "{kw} week", "happy {kw} to {who}", "{who} turns {num} {time}",
              "happy {kw} {friend} love you", "{kw} boy", "{who} got me {kw} for my {kw}",
              "happy {kw} to the best {friend}", "best {kw} ever"),
        "tags": ("#birthday", "#hbd", "#bday", "#birthdaygirl", "#party", "#happybirthday"),
    },
    "hype": {
        "kw": ("fire", "lit", "hot", "insane", "crazy", "banger", "heat", "goes hard", "slaps",
               "litty", "flames", "a vibe"),
        "t": ("{song} is {kw}", "this beat {kw}", "{celeb} new album is {kw}",
              "that game was {intens} {kw}", "the party was {kw}", "new music friday {kw}",
              "track {num} {kw}", "{celeb} just dropped and it {kw}", "outfit is {kw}",
              "{team} on {kw}", "{kw} {kw}", "{place} is {kw} {time}", "that mixtape {kw}",
              "{celeb} live was {kw}", "this {song} {kw} {friend}", "we going {intens} {kw}"),
        "song": ("this song", "the remix", "that verse", "the new single", "this album",
                 "the hook", "that drop", "this playlist", "the beat"),
        "tags": ("#fire", "#lit", "#nowplaying", "#newmusic", "#hype", "#bars"),
    },
    "sus": {
        "kw": ("watching", "spill", "tea", "sus", "hmm", "interesting", "seen", "lurking", "eyes",
               "noticed", "receipts"),
        "t": ("someone {sus_act}", "i see you {name}", "{who} been acting {intens} {kw}",
              "spill the {kw}", "not {name} {sus_act}", "so whos gonna tell {who}", "{kw}",
              "i saw that {name}", "waiting for {name} to reply", "the group chat is quiet {kw}",
              "something is coming {time}", "{who} {sus_act} {time}", "i have {kw}",
              "{kw} {who}", "they think we didnt notice", "{name} and {name} huh", "{kw} {kw}"),
        "sus_act": ("liking old pics", "deleted that tweet", "changed their bio", "left the chat",
                    "posted a vague quote", "watched my story {num} times", "unfollowed me",
                    "is typing", "got a new car", "has a new profile pic"),
        "tags": ("#tea", "#sus", "#drama", "#spillthetea", "#watching"),
    },
    "agree": {
        "kw": ("facts", "real", "truth", "period", "100", "straight up", "true", "preach",
               "no cap", "say it louder", "exactly", "this"),
        "t": ("{kw}", "this is {intens} {kw}", "{opinion} {kw}", "i said what i said",
              "{kw} {friend}", "nobody talks about this {kw}", "everyone needs to hear this",
              "{kw} {kw}", "{opinion}", "{who} said {opinion} and {kw}", "{opinion}. {kw}",
              "{kw} {opinion}", "couldnt agree more {friend}"),
        "opinion": ("pineapple belongs on pizza", "sleep is better than parties",
                    "real friends show up", "family over everything", "loyalty is rare",
                    "mondays should be illegal", "cereal is a soup", "texting back is free",
                    "hard work pays off", "protect your peace", "respect is earned",
                    "{team} are overrated", "{food} is the best food"),
        "tags": ("#facts", "#truth", "#real", "#preach", "#nocap"),
    },
    "okay": {
        "kw": ("ok", "okay", "sounds good", "got it", "cool", "alright", "will do", "bet",
               "noted", "sure", "done", "k"),
        "t": ("{kw} see you at {hour}", "{kw} thanks", "meeting moved to {day}", "package arrived",
              "done with {task}", "{kw} {friend}", "works for me", "good job {name}", "fixed it",
              "all set for {day}", "{kw} will send it {time}", "{kw} {kw}", "yes {kw}",
              "just submitted {task}", "updated the doc", "{kw} i can do {hour}"),
        "tags": ("#done", "#ok", "#teamwork", "#update"),
    },
    "chill": {
        "kw": ("chill", "vibes", "cool", "vacation", "beach", "summer", "relaxing", "shades",
               "pool", "chillin", "sunglasses"),
        "t": ("{kw} day", "{kw} mode", "{kw} {time}", "new shades", "summer {kw}",
              "just {kw} {place}", "pool day with {who}", "too cool for {task}",
              "aced the test without studying", "road trip with {who}", "{kw} {kw}",
              "no school no problems", "out here {kw}", "back from {kw}", "living my best life",
              "cruising with the windows down", "{kw} with {who} {time}"),
        "tags": ("#vacation", "#chill", "#summer", "#beachlife", "#vibes", "#goodvibes"),
    },
    "annoyed": {
        "kw": ("whatever", "annoying", "ugh", "seriously", "bye", "sure jan", "cool story",
               "rude", "tired of", "okay and", "cant with"),
        "t": ("{who} is {intens} {kw}", "{kw}", "people who {habit} are {kw}",
              "oh great another {task}", "love that for me", "of course {sad_event}",
              "not {who} texting me now", "can you not", "imagine thinking {opinion}",
              "{kw} {who}", "{who} {habit} {time} {kw}", "here we go again", "{kw} {friend}",
              "i {intens} {kw} {who}", "sure {who} sure", "yeah right {kw}"),
        "habit": ("chew loud", "reply k", "leave me on read", "spoil movies", "talk in the movie",
                  "walk slow", "cut in line", "dont use their blinker", "clap when the plane lands",
                  "send voice notes"),
        "sad_event": ("the bus is late", "it rains on my day off", "my phone died",
                      "the wifi is down", "they ran out of {food}", "i get the middle seat"),
        "opinion": ("that was funny", "im gonna reply", "that looks good", "we care",
                    "anyone asked", "{team} are good"),
        "tags": ("#annoyed", "#ugh", "#whatever", "#bye", "#eyeroll", "#smh"),
    },
    "not_sad": {
        "kw": ("sad", "crying", "upset", "lonely", "stressed", "mad", "worried", "sick"),
        "t": ("not {kw} anymore", "no longer {kw}", "not even {kw} about it", "finally not {kw}",
              "{who} made sure im not {kw}", "cant be {kw} {time}", "not {kw} at all {friend}",
              "who is {kw}? not me", "been a week and not {kw} once", "im good, not {kw}"),
        "tags": ("#positivevibes", "#grateful", "#healing"),
    },
    "not_happy": {
        "kw": ("happy", "okay", "fine", "good", "excited", "ready", "fun", "great"),
        "t": ("not {kw} {time}", "im not {kw}", "not {kw} at all", "so not {kw} about {task}",
              "never {kw} on a {day}", "im fine. not {kw}", "not {kw} for {day}",
              "{task} is not {kw}", "{who} is not {kw} with me", "this is not {kw} {friend}"),
        "tags": ("#notokay", "#ugh", "#whyme"),
    },
    "not_funny": {
        "kw": ("funny", "hilarious", "cute", "cool", "clever"),
        "t": ("not {kw} {friend}", "that wasnt {kw}", "you think youre {kw}", "not even {kw}",
              "{who} thinks hes {kw}", "so {kw}. not", "literally not {kw}",
              "it was not that {kw}"),
        "tags": ("#notfunny", "#eyeroll"),
    },
    "gym": {
        "kw": ("gym", "workout", "gains", "leg day", "grind", "strong", "lift", "cardio", "run",
               "motivation", "swole", "pr", "reps"),
        "t": ("{kw} {time}", "hit the {kw}", "ran {num} miles {time}", "new {kw} on bench",
              "never skip {kw}", "no excuses", "the {kw} never stops", "{num} pushups done",
              "getting {kw}er", "back at the {kw} after {num} weeks", "you got this {friend}",
              "{kw} with {who}", "up at {hour} for {kw}", "{kw} {kw}", "{who} said i look {kw}",
              "sore but {kw}", "beast mode {time}"),
        "tags": ("#gym", "#fitness", "#workout", "#gains", "#legday", "#motivation", "#grind"),
    },
    "think": {
        "kw": ("hmm", "wondering", "thinking", "question", "curious", "maybe", "confused",
               "wonder", "hmmm", "pondering"),
        "t": ("why do {puzzle}", "what if {puzzle}", "should i {choice}", "{kw} about {puzzle}",
              "is it just me or {puzzle}", "does anyone know why {puzzle}", "{kw}",
              "{kw} if {puzzle}", "{who} asked if {puzzle}", "real question: {puzzle}",
              "{kw} {choice} or nah", "me at {hour}: what if {puzzle}", "{kw} {kw}"),
        "puzzle": ("fish get thirsty", "we park in driveways", "cats think were cats",
                   "the moon follows the car", "{food} is a sandwich", "time is fake",
                   "pluto is lonely", "birds have knees", "dogs dream about us",
                   "my teacher has a life", "{celeb} reads these"),
        "choice": ("text him", "dye my hair", "get {food}", "go to the party", "quit my job",
                   "skip {task}", "get bangs", "adopt a cat", "move to {city}"),
        "city": ("la", "nyc", "austin", "miami", "seattle", "london", "chicago"),
        "tags": ("#thinking", "#question", "#showerthoughts", "#hmm"),
    },
    "generic": {
        "kw": ("omg", "today", "literally", "wow", "this", "yes", "lol", "bro", "mood", "same"),
        "t": ("{kw}", "{kw} {time}", "{filler} {kw}", "{who} {time}", "{kw} {who}",
              "this is me {time}", "{day} mood", "me {place}", "{filler} {thing}",
              "{thing} {time}", "when {who} texts you {time}", "{filler} {filler} {kw}",
              "current mood", "same {friend}", "me and {who} {time}", "{kw} {kw} {kw}"),
        "tags": GENERIC_TAGS,
    },
    "sparkle": {
        "kw": ("aesthetic", "glow", "manifesting", "magic", "shine", "sparkle", "energy", "glowup"),
        "t": ("{kw} {time}", "new {kw} who dis", "{kw} only", "main character {kw}", "{kw} era",
              "manifesting {day}"),
        "tags": ("#aesthetic", "#glowup", "#manifest"),
    },
    "sunny": {
        "kw": ("sunny", "sunshine", "morning", "weather", "sun", "warm"),
        "t": ("good {kw} {friend}", "{kw} {time}", "finally some {kw}", "the {kw} is out",
              "{num} degrees and {kw}", "{kw} day {place}"),
        "tags": ("#sunshine", "#goodmorning", "#weather"),
    },
    "angry": {
        "kw": ("mad", "hate", "furious", "angry", "pissed", "livid", "done"),
        "t": ("im so {kw} {time}", "i {kw} {who}", "{who} made me {kw}", "{kw} {kw} {kw}",
              "never been this {kw}", "{kw} at {who} {time}"),
        "tags": ("#mad", "#angry", "#done"),
    },
    "dog": {
        "kw": ("puppy", "dog", "doggo", "pup", "good boy", "pupper"),
        "t": ("my {kw} {time}", "look at this {kw}", "{kw} walk {time}", "new {kw} alert",
              "{kw} snuggles", "{who} got a {kw}"),
        "tags": ("#dogsofinstagram", "#puppy", "#dog"),
    },
    "shock": {
        "kw": ("no way", "omg", "what", "scared", "shook", "wtf", "yikes"),
        "t": ("{kw} {who} {time}", "{kw} did that just happen", "im {kw}", "{kw} {kw}",
              "{who} said what", "{kw} {thing}"),
        "tags": ("#shook", "#omg", "#nowway"),
    },
    "hoops": {
        "kw": ("game", "hoops", "ball", "buckets", "dunk", "playoffs"),
        "t": ("{kw} {time}", "{team} {kw} {time}", "{kw} with {who}", "that {kw} was crazy",
              "{kw} is life", "{kw} night"),
        "tags": ("#nba", "#ballislife", "#hoops"),
    },
    "xmas": {
        "kw": ("christmas", "xmas", "tree", "presents", "santa", "holidays"),
        "t": ("{kw} {time}", "merry {kw} {friend}", "{kw} with {who}", "{num} days till {kw}",
              "{kw} shopping {place}", "decorating the {kw}"),
        "tags": ("#christmas", "#xmas", "#holidays"),
    },
    "shrug": {
        "kw": ("idk", "whatever", "oh well", "i guess", "who knows", "meh"),
        "t": ("{kw} {time}", "{kw} {friend}", "{kw} its {day}", "{kw} i tried",
              "{who} asked me and {kw}"),
        "tags": ("#idk", "#ohwell"),
    },
    "spring": {
        "kw": ("spring", "flowers", "bloom", "blossoms", "garden", "petals"),
        "t": ("{kw} {time}", "{kw} are out", "{kw} season", "picked {kw} with {who}",
              "{kw} {place}"),
        "tags": ("#spring", "#flowers", "#bloom"),
    },
}

SLANG = (
    ("going to", ("gonna",)), ("want to", ("wanna",)), ("got to", ("gotta",)),
    ("you", ("u", "ya", "yu")), ("your", ("ur", "yr")), ("youre", ("ur", "u r", "youre")),
    ("are", ("r",)), ("because", ("bc", "cuz", "bcuz")), ("please", ("pls", "plz", "pleasee")),
    ("thanks", ("thx", "thnx", "tanks")), ("really", ("rly", "realy")), ("people", ("ppl",)),
    ("tonight", ("2nite", "tonite")), ("tomorrow", ("tmrw", "tmr", "2morrow")),
    ("love", ("luv", "lov")), ("what", ("wat", "wut")), ("okay", ("ok", "k", "okk")),
    ("about", ("abt",)), ("with", ("w", "wit")), ("to", ("2",)), ("for", ("4",)),
    ("the", ("da", "tha")), ("that", ("dat",)), ("this", ("dis",)), ("im", ("i'm", "Im", "iam")),
    ("cant", ("can't", "cnt")), ("dont", ("don't", "dnt")), ("and", ("&", "n")),
    ("before", ("b4",)), ("see", ("c",)), ("great", ("gr8",)), ("night", ("nite",)),
    ("birthday", ("bday", "b-day")), ("boyfriend", ("bf",)), ("girlfriend", ("gf",)),
    ("probably", ("prob", "prolly")), ("seriously", ("srsly",)), ("something", ("smth",)),
)
SLANG_SHARE = 0.35
SLANG_ONE = {full: short for full, short in SLANG if " " not in full}
SLANG_TWO = {full: short for full, short in SLANG if " " in full}

KEYBOARD = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}
VOWELS = "aeiouy"
ELONGATE_WORDS = ("so", "omg", "lol", "yes", "no", "please", "pls", "why", "ugh", "love", "okay",
                  "hi", "bye", "yay", "what", "cute", "sad", "hungry", "tired", "much", "nooo", "hey",
                  "lmao", "same", "girl", "bro", "babe", "good", "really", "happy", "now", "too")
SLOT_RE = re.compile(r"\{(\w+)\}")
CODE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# --------------------------------------------------------------------------------------------
# Noise functions: each takes the random generator first and returns new text.
# --------------------------------------------------------------------------------------------


def elongate(rng: random.Random, word: str) -> str:
    """Stretch a vowel or the last letter: "so" -> "soooo", "tired" -> "tiiired"."""
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    if not letters:
        return word
    vowels = [i for i in letters if word[i].lower() in VOWELS]
    i = rng.choice(vowels + [letters[-1]] + [rng.choice(letters)]) if vowels else letters[-1]
    return word[: i + 1] + word[i] * rng.randint(1, 8) + word[i + 1 :]


def typo(rng: random.Random, word: str) -> str:
    """Apply one keyboard slip: swap, drop, double or hit a neighbouring key."""
    if len(word) < 3 or not word.isalpha():
        return word
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[: i + 1] + word[i] + word[i + 1 :]
    near = KEYBOARD.get(word[i].lower())
    return word[:i] + rng.choice(near) + word[i + 1 :] if near else word


def glue_hashtag(rng: random.Random, phrase: str) -> str:
    """Turn a keyword into a glued hashtag: "blessed" -> "#soblessed" or "#blessedd"."""
    core = phrase.replace(" ", "").replace("-", "")
    form = rng.randrange(4)
    if form == 0:
        core = rng.choice(("so", "too", "very", "feeling", "just", "always")) + core
    elif form == 1:
        core = core + rng.choice(("af", "life", "mode", "vibes", "day", "forever", "2024"))
    elif form == 2:
        core = core + core[-1] * rng.randint(1, 3)
    return "#" + core


def noisy_keyword(rng: random.Random, phrase: str) -> str:
    """Return a class keyword, often elongated, misspelled or glued into a hashtag."""
    if rng.random() >= KEYWORD_NOISE:
        return phrase
    roll = rng.random()
    if roll < 0.4:
        words = phrase.split(" ")
        j = rng.randrange(len(words))
        words[j] = elongate(rng, words[j])
        return " ".join(words)
    if roll < 0.8:
        words = phrase.split(" ")
        j = rng.randrange(len(words))
        words[j] = typo(rng, words[j])
        return " ".join(words)
    return glue_hashtag(rng, phrase)


def slangify(rng: random.Random, text: str) -> str:
    """Swap some words and phrases for their texting forms ("you" -> "u")."""
    words = text.split(" ")
    out = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in SLANG_TWO and rng.random() < SLANG_SHARE:
            out.append(rng.choice(SLANG_TWO[pair]))
            i += 2
            continue
        word = words[i]
        short = SLANG_ONE.get(word)
        out.append(rng.choice(short) if short and rng.random() < SLANG_SHARE else word)
        i += 1
    return " ".join(out)


def token_noise(rng: random.Random, text: str) -> str:
    """Add rare typos and elongations to ordinary words."""
    words = text.split(" ")
    for j, word in enumerate(words):
        if word.startswith(("#", "@")):
            continue
        roll = rng.random()
        if word in ELONGATE_WORDS and roll < 0.25:
            words[j] = elongate(rng, word)
        elif roll < TOKEN_NOISE:
            words[j] = typo(rng, word)
    return " ".join(words)


def apply_case(rng: random.Random, text: str, caps_share: float) -> str:
    """Mostly lowercase; sometimes ALL CAPS (loud classes more), Sentence case or one loud word."""
    roll = rng.random()
    if roll < caps_share:
        return text.upper()
    if roll < caps_share + 0.22:
        return text[:1].upper() + text[1:]
    if roll < caps_share + 0.30:
        words = text.split(" ")
        j = rng.randrange(len(words))
        words[j] = words[j].upper()
        return " ".join(words)
    return text


# --------------------------------------------------------------------------------------------
# Random tokens that a word vocabulary built on other lines rarely contains.
# --------------------------------------------------------------------------------------------


def random_name(rng: random.Random) -> str:
    """A first name, or a made-up one from syllables."""
    if rng.random() < 0.55:
        return rng.choice(NAMES)
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))


def random_handle(rng: random.Random) -> str:
    """An @handle such as @jess_92 or @therealkaylo."""
    parts = [random_name(rng)]
    for _ in range(rng.randint(0, 2)):
        bit = rng.choice(HANDLE_BITS)
        parts.insert(rng.randint(0, len(parts)), bit)
    if rng.random() < 0.5:
        parts.append(str(rng.randint(0, 2005)))
    return "@" + "".join(parts).strip(".")


def random_url(rng: random.Random) -> str:
    """A short link with a random path."""
    code = "".join(rng.choice(CODE_CHARS) for _ in range(rng.randint(6, 11)))
    return rng.choice(URL_FORMS).format(code=code)


# --------------------------------------------------------------------------------------------
# Building one line.
# --------------------------------------------------------------------------------------------


def fill(rng: random.Random, template: str, intent: dict, depth: int = 0) -> str:
    """Replace {slots} in a template with intent banks, shared banks or random tokens."""

    def pick(match: re.Match) -> str:
        """Fill one slot."""
        slot = match.group(1)
        if slot == "kw":
            return noisy_keyword(rng, rng.choice(intent["kw"]))
        if slot == "name":
            return random_name(rng)
        if slot == "mention":
            return random_handle(rng)
        value = rng.choice(intent[slot] if slot in intent else SLOTS[slot])
        return fill(rng, value, intent, depth + 1) if depth < 3 else value

    return SLOT_RE.sub(pick, template)


def choose_weighted(rng: random.Random, items: tuple) -> str:
    """Pick the first field of a (name, weight, ...) tuple by weight."""
    total = sum(item[1] for item in items)
    roll = rng.random() * total
    for item in items:
        roll -= item[1]
        if roll < 0:
            return item[0]
    return items[-1][0]


def choose_intent(rng: random.Random, label: str) -> str:
    """Pick the intent that writes the text; sometimes one from a related class (label noise)."""
    source = label
    if label in RELATED and rng.random() < RELATED_TEXT_SHARE:
        related = [r for r in RELATED[label] if r in CLASS_INTENTS]
        source = rng.choice(related) if related else label
    return choose_weighted(rng, CLASS_INTENTS[source])


def surface(rng: random.Random, label: str) -> str:
    """Render one emoji as people type it: with or without U+FE0F, sometimes with a skin tone."""
    if label.endswith("\ufe0f") and rng.random() < 0.3:
        label = label[:-1]
    if label in TONEABLE and rng.random() < 0.35:
        label = label.replace("\ufe0f", "") + rng.choice(SKIN_TONES)
    return label


def emoji_block(rng: random.Random, label: str, repeat_share: float) -> str:
    """One emoji, the same one repeated (😂😂😂), or a mix with a related one (❤️😍)."""
    first = surface(rng, label)
    roll = rng.random()
    if roll < repeat_share:
        return first * rng.randint(2, 4)
    if roll < repeat_share + 0.15:
        other = rng.choice(RELATED.get(label, (label,)))
        sep = rng.choice(("", "", " "))
        return first + sep + surface(rng, other) * rng.randint(1, 2)
    return first


def body_text(rng: random.Random, label: str, intent_name: str) -> str:
    """The words of a line: one template, sometimes with a filler opener and a shared tail."""
    intent = INTENTS[intent_name]
    shared = intent_name not in NEGATED_INTENTS and rng.random() < FRAME_SHARE
    templates = SHARED_FRAMES if shared else intent["t"]
    text = fill(rng, rng.choice(templates), intent)
    if rng.random() < 0.25:
        text = fill(rng, rng.choice(SLOTS["filler"]), intent) + " " + text
    if rng.random() < 0.3:
        text = text + " " + fill(rng, rng.choice(SLOTS["tail"]), intent)
    if rng.random() < STYLE.get(label, DEFAULT_STYLE)[1]:
        laugh = rng.choice(SLOTS["laugh"])
        text += " " + (elongate(rng, laugh) if rng.random() < 0.4 else laugh)
    return token_noise(rng, slangify(rng, text))


def place_emoji(rng: random.Random, text: str, block: str) -> str:
    """Put the emoji at the end (usually), the start, or between two words."""
    roll = rng.random()
    if roll < 0.78:
        return text + rng.choice((" ", " ", "")) + block
    if roll < 0.86:
        return block + " " + text
    words = text.split(" ")
    j = rng.randint(1, max(1, len(words) - 1))
    return " ".join(words[:j] + [block] + words[j:])


def extras(rng: random.Random, intent_name: str) -> tuple[str, str]:
    """Optional leading @mentions and trailing hashtags / URL."""
    head = ""
    if rng.random() < 0.18:
        head = " ".join(random_handle(rng) for _ in range(rng.choice((1, 1, 1, 2, 3)))) + " "
    tail = []
    if rng.random() < 0.28:
        tags = INTENTS[intent_name]["tags"]
        for _ in range(rng.choice((1, 1, 2, 3))):
            bank = tags if rng.random() < 0.6 else GENERIC_TAGS
            tag = rng.choice(bank)
            tail.append(tag if rng.random() < 0.8 else elongate(rng, tag))
    if rng.random() < 0.08:
        tail.append(random_url(rng))
    return head, (" " + " ".join(tail)) if tail else ""


def make_line(rng: random.Random) -> str:
    """Generate one tweet-like line (label emoji first, if any)."""
    label = choose_weighted(rng, CLASSES)
    intent_name = choose_intent(rng, label)
    caps_share, _, repeat_share, endings = STYLE.get(label, DEFAULT_STYLE)
    text = body_text(rng, label, intent_name)
    if rng.random() < ENDING_SHARE:
        text += rng.choice(endings)
    text = apply_case(rng, text, caps_share)
    head, tail = extras(rng, intent_name)
    if rng.random() >= NO_EMOJI_SHARE:
        text = place_emoji(rng, text, emoji_block(rng, label, repeat_share))
    return head + text + tail



def generate(n_lines: int = DEFAULT_LINES, seed: int = DEFAULT_SEED) -> list[str]:
    """Return `n_lines` synthetic tweet-like lines; the same seed always gives the same lines."""
    rng = random.Random(seed)
    return [make_line(rng) for _ in range(n_lines)]


def write_gzip(lines: list[str], path: Path) -> None:
    """Write lines as UTF-8 text, gzip-compressed with mtime=0 so the bytes are reproducible."""
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)


def main() -> None:
    """Regenerate sample.txt.gz next to this module."""
    path = Path(__file__).with_name(OUTPUT_NAME)
    lines = generate()
    write_gzip(lines, path)
    print(f"wrote {len(lines):,} lines to {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
