"""外字 placeholders read as a name's kanji, one character for one."""

from anonymizer.text.gaiji import read_gaiji


def test_placeholders_become_the_stand_in_and_the_length_is_kept():
    assert read_gaiji("髙橋〓子") == "髙橋一子"
    assert read_gaiji("〓〓") == "一一"
    text = "山田太郎さん"
    assert read_gaiji(text) is text  # nothing to read: the same string


def test_ideographs_outside_the_unified_block_are_read_as_their_usual_form():
    assert read_gaiji("𠮷田一郎") == "吉田一郎"  # rules/gaiji.yaml variants
    assert read_gaiji("山﨑") == "山崎"
    assert read_gaiji("\uf91d") == "\u6b04"  # a compatibility ideograph: its canonical form
    assert read_gaiji("𪉩田") == "一田"  # no usual form known: the stand-in
    for text in ("𠮷田一郎", "㐂田〓子"):
        assert len(read_gaiji(text)) == len(text)


def test_a_variant_is_one_character_for_one(tmp_path):
    import pytest

    from anonymizer.errors import ConfigError
    from anonymizer.rules import load_rules
    from anonymizer.text.gaiji import GaijiRules

    (tmp_path / "gaiji.yaml").write_text(
        "version: 1\nplaceholders: 〓\nstand_in: 一\nvariants: {𠮷: 吉田}\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="variants"):
        load_rules("gaiji.yaml", GaijiRules, tmp_path)
