from pathlib import Path

import pytest

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from samples._vocab import Templates, Vocab, load_templates, load_vocab, slots


def test_shipped_files_load() -> None:
    t, v = load_templates(), load_vocab()
    assert len(t.soudan) >= 40 and len(t.texts) >= 40 and len(t.clean) >= 40
    assert v.cities[v.home].city == "国立市"


def test_slots() -> None:
    assert slots("{last}様（{age}）、{facility}") == ["last", "age", "facility"]


GOOD = """soudan:
  - {kubun: 税, division: 納税課, text: "{name}様"}
soudan_tail: ["{date}"]
biko: ["{mobile}"]
texts: ["{name}"]
clean: ["{fy}の予算"]
iken: ["特記事項なし。"]
"""


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (('"{fy}の予算"', '"{name}の予算"'), "clean[0]: personal slot {name}"),
        (('"{mobile}"', '"{nickname}"'), "biko[0]: unknown slot {nickname}"),
        (('"{name}様"', '"{name}様\u2460\U00020bb7"'), "soudan[0].text: contains a "
                                                       "character CP932 cannot encode"),
        (('division: 納税課,', 'division: 納税課, ages: [70, 20],'), "soudan[0].ages"),
        (("iken:", "extra: 1\niken:"), "extra: Extra inputs are not permitted"),
    ],
)
def test_bad_templates_stop_with_the_yaml_path(tmp_path: Path, replace: tuple[str, str],
                                               message: str) -> None:
    path = tmp_path / "templates.yaml"
    path.write_text(GOOD.replace(*replace), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_yaml_model(path, Templates)
    assert str(path) in str(err.value) and message in str(err.value)


def test_good_templates_load(tmp_path: Path) -> None:
    path = tmp_path / "templates.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_yaml_model(path, Templates).soudan[0].ages == (18, 120)


def test_unknown_home_city_is_refused(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "samples" / "vocab.yaml").read_text("utf-8")
    path = tmp_path / "vocab.yaml"
    path.write_text(text.replace("home_city: 国立市", "home_city: 架空市"), encoding="utf-8")
    with pytest.raises(ConfigError, match="home_city must be one of cities"):
        load_yaml_model(path, Vocab)
