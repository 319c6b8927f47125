from pathlib import Path

import pytest
import yaml

from anonymizer.config import load_yaml_model
from anonymizer.errors import ConfigError
from anonymizer.recognizers.ja.age import JaAgeRecognizer
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.rules import rules_dir

NAME = "ja.age.v1"
RULES = rules_dir() / "recognizers" / f"{NAME}.yaml"


def _build(path: Path) -> JaAgeRecognizer:
    return JaAgeRecognizer(load_yaml_model(path, RecognizerSpec), source=str(path))


@pytest.fixture(scope="module")
def rec() -> JaAgeRecognizer:
    """Built from the shipped rules file alone, so other recognizers' rules cannot break it."""
    return _build(RULES)


def found(rec, text):
    results = rec.analyze(text, ["AGE"])
    assert all(r.entity_type == "AGE" for r in results)
    return [(r.start, r.end) for r in results]


def spans(text, *subs):
    """Expected spans, located in the ORIGINAL text (全角 included)."""
    out, pos = [], 0
    for sub in subs:
        start = text.index(sub, pos)
        out.append((start, start + len(sub)))
        pos = start + len(sub)
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45歳の男性", ["45歳"]),
        ("満45歳", ["45歳"]),
        ("満 45 歳", ["45 歳"]),
        ("45才", ["45才"]),
        ("４５歳", ["４５歳"]),  # 全角
        ("満４５歳", ["４５歳"]),
        ("四十五歳", ["四十五歳"]),
        ("満二十歳", ["二十歳"]),
        ("百二歳の誕生日を迎えた", ["百二歳"]),
        ("年齢：45", ["45"]),
        ("年齢：４５、性別：男", ["４５"]),
        ("年齢 45 性別 女", ["45"]),
        ("年齢は45歳", ["45歳"]),
        ("1歳6か月の男児", ["1歳6か月"]),
        ("1歳6ヶ月", ["1歳6ヶ月"]),
        ("2歳半の女児", ["2歳半"]),
        ("当時10歳であった", ["10歳"]),
        ("父は80歳になった", ["80歳"]),
        ("70歳を越えたあとも活動した", ["70歳"]),
        ("0歳の乳児", ["0歳"]),
        ("125歳", ["125歳"]),
        # bands: reported, low score
        ("80代の女性", ["80代"]),
        ("年齢：80代", ["80代"]),
        ("80歳代の男性", ["80歳代"]),
        ("二十代の男性", ["二十代"]),
        # only the personal age of a sentence that also states a threshold
        ("18歳未満の子と45歳の母", ["45歳"]),
        ("夫45歳、妻43歳", ["45歳", "43歳"]),
        ("12歳と10歳の兄弟", ["12歳", "10歳"]),
        # thresholds, ranges, attainment, programs
        ("65歳以上の方", []),
        ("６５歳以上", []),
        ("65 歳 以上", []),
        ("18歳未満", []),
        ("18歳以下", []),
        ("20歳から", []),
        ("満18歳到達", []),
        ("40歳に達した日", []),
        ("満6歳に達する日以後の最初の3月31日", []),
        ("75歳以上の方が対象", []),
        ("40歳から64歳までの方", []),
        ("20～30歳の方", []),
        ("20〜30歳の方", []),
        ("20-30歳", []),
        ("20代～30代", []),
        ("65歳を超える方", []),
        ("65歳になる方", []),
        ("65歳の誕生日の前日", []),
        ("60歳の誕生日の属する月", []),
        ("満88歳、満99歳、満100歳を迎える方", []),
        ("節目年齢（40歳、45歳、50歳、55歳、60歳）", []),
        ("3歳児健診", []),
        ("三歳児健診", []),
        ("1歳6か月児健診", []),
        ("1歳半健診", []),
        ("いきいき百歳体操", []),
        ("5歳刻みの人口", []),
        # statistics and rules a little before the age
        ("平均年齢は45歳", []),
        ("平均年齢は45.3歳", []),
        ("健康寿命は男性79歳", []),
        ("定年は60歳です", []),
        ("対象年齢 3歳", []),
        # not ages at all
        # a number in brackets right after a person, as news and case notes write an age
        ("山田花子さん(72)が来庁", ["72"]),
        ("元夫（38）からの被害", ["38"]),  # the bracket closes the age: から is no range
        ("長女(4)の保育園", ["4"]),
        ("第3条(2)に基づき", []),
        ("資料(1)を送付", []),
        ("件数(12)を集計", []),
        ("令和6年度歳入歳出決算", []),
        ("3歳入園", []),
        ("100周年", []),
        ("1980年代", []),
        ("第10代市長", []),
        ("10代目", []),
        ("年齢3区分別人口", []),
        ("年齢別人口", []),
        ("万歳三唱", []),
        ("千歳市", []),
        ("数十歳", []),
        ("200歳", []),
        ("お歳暮", []),
        ("", []),
    ],
)
def test_spans(rec, text, expected):
    assert found(rec, text) == spans(text, *expected)


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("彼は45歳", 0.6),
        ("45歳の男性", 0.85),  # context word
        ("満45歳", 0.85),
        ("年齢：45", 0.75),
        ("80代", 0.35),  # a band alone stays below 0.5
        ("80代の女性", 0.6),
    ],
)
def test_scores(rec, text, score):
    (result,) = rec.analyze(text, [])
    assert result.score == pytest.approx(score)


def test_built_by_the_loader(recognizers):
    assert isinstance(recognizers[NAME], JaAgeRecognizer)


# -- broken configuration: ConfigError naming the file and the YAML path ---------------------
def _with(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / f"{NAME}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["params"].pop("after_veto"), "params: after_veto: Field required"),
        (lambda d: d["params"]["after_veto"].append(None), "params: after_veto["),  # YAML ~ is null
        (lambda d: d["params"].update(max_age=0), "params: max_age"),
        (lambda d: d["params"].update(min_age=0), "params: min_age"),
        (lambda d: d["negative_context"].update(before=-1), "negative_context.before"),
        (lambda d: d["patterns"][0].update(regex="(?P<n>\\d+)歳"), "patterns[0].regex"),
        (lambda d: d["patterns"][0].update(score=1.5), "patterns[0].score"),
    ],
)
def test_broken_config_names_the_path(tmp_path, edit, where):
    path = _with(tmp_path, edit)
    with pytest.raises(ConfigError) as err:
        _build(path)
    assert err.value.message.startswith(str(path))
    assert where in err.value.message
