"""rules/bands.yaml and anonymizer/text/bands.py: one band format, text to a spreadsheet."""

from __future__ import annotations

import pytest
import yaml

from anonymizer.errors import ConfigError
from anonymizer.rules import rules_dir
from anonymizer.text.bands import fold_ranges, load_bands, number, spreadsheet_safe

BANDS = load_bands()


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (BANDS.fill_closed(10, 19, "歳"), "10～19歳"),
        (BANDS.fill_closed(1, 2, "人"), "1～2人"),
        (BANDS.fill_closed("1940", "1949", "年"), "1940～1949年"),
        (BANDS.fill_closed(3, 4), "3～4"),
        (BANDS.fill_closed(0.5, 2.0), "0.5～2"),
        (BANDS.fill_at_least(90, "歳"), "90歳以上"),
        (BANDS.fill_at_least(7, "人"), "7人以上"),
        (BANDS.fill_at_most(19, "歳"), "19歳以下"),
        (BANDS.fill_half_open(0, 2.5, "kg"), "0kg以上2.5kg未満"),
        (BANDS.fill_less_than(10), "10未満"),
        (BANDS.fill_at_least(1e7, "円"), "10000000円以上"),  # never 1e+07
    ],
)
def test_the_shipped_format(label, expected):
    assert label == expected
    assert "\uff5e" in label or "以" in label or "未満" in label  # ～ is U+FF5E, not 〜 U+301C


def test_labels_survive_shift_jis():
    """Releases may be cp932: ～ (U+FF5E) is 0x8160 there and decodes back to itself."""
    label = BANDS.fill_closed(10, 19, "歳")
    assert label.encode("cp932").decode("cp932") == label


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("10～19歳", "歳", (10, 19)),
        ("10～19", "歳", (10, 19)),  # the unit may be left out
        ("１０～１９歳", "歳", (10, 19)),  # 全角
        ("10 ～ 19 歳", "歳", (10, 19)),
        ("10歳～19歳", "歳", (10, 19)),
        # old and hand-written forms
        ("10-19歳", "歳", (10, 19)),
        ("05-09歳", "歳", (5, 9)),
        ("10〜19", "", (10, 19)),  # WAVE DASH
        ("10~19", "", (10, 19)),
        ("10－19", "", (10, 19)),
        ("1,000～2,000円", "円", (1000, 2000)),
        ("2.5～5", "", (2.5, 5)),
        # not closed bands
        ("19～10歳", "歳", None),
        ("90歳以上", "歳", None),
        ("10", "", None),
        ("10～19才", "歳", None),  # another unit
        ("10～", "", None),
        ("", "", None),
        ("2024-04-01", "", None),
    ],
)
def test_read_accepts_the_new_and_the_old_form(text, unit, expected):
    assert BANDS.read(text, unit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1~2人", "1-2人"), ("1〜2", "1-2"), ("1-2", "1-2"), ("a~b", "a~b"), ("1~", "1~")],
)
def test_fold_ranges_only_between_digits(text, expected):
    assert fold_ranges(text) == expected


@pytest.mark.parametrize("x", [10, 10.0, "10"])
def test_number_has_no_decimals_for_whole_numbers(x):
    assert number(x) == "10"


@pytest.mark.parametrize(
    "label", ["10-19", "1-2", "3/4", "100+", "12:30", "1,000", "５－９", "(10)", "10%", "1e5"]
)
def test_what_a_spreadsheet_converts_is_refused(label):
    with pytest.raises(ValueError, match="spreadsheet"):
        spreadsheet_safe(label)


@pytest.mark.parametrize("label", ["10～19", "90歳以上", "1～2人", "1940～1949年", "2024年度"])
def test_text_labels_pass(label):
    assert spreadsheet_safe(label) == label


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"closed": "{lo}-{hi}{unit}"}, "closed: .*spreadsheet"),
        ({"at_least": "{lo}+"}, "at_least: .*spreadsheet"),
        ({"closed": "{lo}～{hi}{unit}{width}"}, "closed: only the placeholders"),
        ({"at_most": "{unit}以下"}, "at_most: needs"),
        ({"closed": "{lo}{hi}年"}, "cannot be read back"),
        ({"wave": "〜"}, "wave: Extra inputs are not permitted"),
        ({"version": 2}, "version"),
    ],
)
def test_a_broken_band_file_stops_with_its_path(tmp_path, edit, message):
    data = yaml.safe_load((rules_dir() / "bands.yaml").read_text(encoding="utf-8"))
    data.update(edit)
    (tmp_path / "bands.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    with pytest.raises(ConfigError, match=rf"bands.yaml: .*{message}"):
        load_bands(tmp_path)


def test_another_configured_form_is_written_and_read(tmp_path):
    data = yaml.safe_load((rules_dir() / "bands.yaml").read_text(encoding="utf-8"))
    data["closed"] = "{lo}{unit}から{hi}{unit}まで"
    (tmp_path / "bands.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    bands = load_bands(tmp_path)
    assert bands.fill_closed(10, 19, "歳") == "10歳から19歳まで"
    assert bands.read("10歳から19歳まで", "歳") == (10, 19)
    assert bands.read("10-19歳", "歳") == (10, 19)  # the old form still
