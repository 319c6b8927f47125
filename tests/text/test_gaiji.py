"""外字 placeholders read as a name's kanji, one character for one."""

from anonymizer.text.gaiji import read_gaiji


def test_placeholders_become_the_stand_in_and_the_length_is_kept():
    assert read_gaiji("髙橋〓子") == "髙橋一子"
    assert read_gaiji("〓〓") == "一一"
    text = "山田太郎さん"
    assert read_gaiji(text) is text  # nothing to read: the same string
