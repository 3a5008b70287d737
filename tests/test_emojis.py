"""Emoji extraction and label normalisation: one emoji is one class however it was typed."""

from emoji_lab.data.emojis import (clean_text, describe, display_emoji, emoji_labels, find_emoji, normalize_emoji,
                                   remove_orphan_selectors, split_emoji)


def test_variation_selector_and_skin_tone_are_one_class():
    assert normalize_emoji("❤️") == normalize_emoji("❤") == "\u2764"
    assert normalize_emoji("👍🏽") == normalize_emoji("👍🏿") == "👍"


def test_zwj_sequences_and_flags_stay_whole():
    assert emoji_labels("family 👨‍👩‍👧 in 🇺🇸") == ["👨\u200d👩\u200d👧", "🇺🇸"]
    assert emoji_labels("coding 👩🏽‍💻") == ["👩\u200d💻"]


def test_labels_in_order_of_first_appearance_each_once():
    assert emoji_labels("😂😂 lol ❤️ then ❤ and 👍🏽") == ["😂", "\u2764", "👍"]
    assert emoji_labels("no emoji here") == []


def test_display_form_is_fully_qualified():
    assert display_emoji("\u2764") == "\u2764\ufe0f"
    assert display_emoji("1\u20e3") == "1\ufe0f\u20e3"
    assert display_emoji("😂") == "😂"


def test_split_emoji_leaves_clean_text():
    assert split_emoji("Love  it ❤️  so 👍🏽 much ") == ("Love it so much", ["❤", "👍"])
    assert split_emoji("😂😂😂") == ("", ["😂"])


def test_orphan_selectors_removed_but_selectors_inside_emoji_kept():
    assert remove_orphan_selectors("people \ufe0f \ufe0f #friends") == "people   #friends"
    assert remove_orphan_selectors("I ❤️ it \ufe0e") == "I ❤️ it "
    assert remove_orphan_selectors("key 1️⃣") == "key 1️⃣"
    assert clean_text("Sunday in the sun \ufe0f \ufe0f @ Venice ") == "Sunday in the sun @ Venice"


def test_emoji_card_like_the_seed():
    card = describe("😂")
    assert (card.name, card.codepoints, card.shorthand) == ("FACE WITH TEARS OF JOY", "U+1F602", ":joy:")
    assert describe("❤").emoji == "❤️" and describe("❤").name == "RED HEART"


def test_fast_scan_finds_what_the_emoji_package_finds():
    import emoji

    from emoji_lab.data.corpus import read_sample_lines

    tricky = ["#️⃣ 1️⃣ *️⃣ 9️⃣9 a©b ®", "🏴󠁧󠁢󠁥󠁮󠁧󠁿 flag", "x👩🏽‍💻y", "café ❤️‍🔥 新年 🇺🇸🇬🇧", "plain ascii 123"]
    for line in tricky + read_sample_lines()[:3000]:
        assert find_emoji(line) == [m["emoji"] for m in emoji.emoji_list(line)], line
