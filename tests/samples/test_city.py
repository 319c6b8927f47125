"""The synthetic city (samples/city.py): deterministic, consistent across its three files,
realistic where the KPI files and benchmarks rely on it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from anonymizer.recognizers.ja.corporate_number import is_valid_corporate_number
from anonymizer.recognizers.ja.resident_code import is_valid_resident_code
from samples.city import City, generate_city, main

KEYS = Path(__file__).resolve().parents[2] / "rules" / "keys"
CHOCHO = [s for s in (KEYS / "kunitachi_chocho.txt").read_text("utf-8").splitlines() if s]
PREFECTURES = tuple(s for s in (KEYS / "prefectures.txt").read_text("utf-8").splitlines() if s)
JUMIN = ["住民票コード", "世帯番号", "氏名", "氏名カナ", "生年月日", "性別", "続柄", "町丁", "住所",
         "郵便番号"]
IDO = ["届出番号", "住民票コード", "氏名", "生年月日", "性別", "異動事由", "異動日", "町丁", "住所",
       "前住所", "転出先"]
EIGYO = ["許可番号", "営業者氏名又は名称", "法人番号", "営業者住所", "施設の名称", "施設所在地",
         "業種", "許可年月日", "有効期限"]
LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "一般社団法人", "社会福祉法人", "医療法人社団",
               "特定非営利活動法人", "学校法人", "生活協同組合", "農事組合法人", "(株)", "㈱",
               "（有）")
NEAR = ("東京都", "神奈川県", "埼玉県", "千葉県")
EXTRACT = pd.Timestamp("2025-01-01")


@pytest.fixture(scope="module")
def city() -> City:
    return generate_city(residents=3000, seed=1)


def _age(dob: pd.Series, at: pd.Series | pd.Timestamp) -> pd.Series:
    """Completed years at ``at`` (one date, or one per row)."""
    d = pd.to_datetime(dob)
    a = pd.to_datetime(at) if isinstance(at, pd.Series) else pd.Series(at, index=dob.index)
    before = (a.dt.month * 100 + a.dt.day) < (d.dt.month * 100 + d.dt.day)
    return a.dt.year - d.dt.year - before.astype(int)


def test_same_seed_same_frames_other_seed_differs(city: City) -> None:
    again, other = generate_city(residents=3000, seed=1), generate_city(residents=3000, seed=2)
    for name in ("jumin", "ido", "eigyo", "eigyo_holders"):
        pd.testing.assert_frame_equal(getattr(city, name), getattr(again, name))
    assert not city.jumin["氏名"].equals(other.jumin["氏名"])
    assert not city.eigyo["営業者氏名又は名称"].equals(other.eigyo["営業者氏名又は名称"])


def test_columns_are_exactly_the_registers_and_all_text(city: City) -> None:
    assert list(city.jumin.columns) == JUMIN
    assert list(city.ido.columns) == IDO
    assert list(city.eigyo.columns) == EIGYO
    for frame in (city.jumin, city.ido, city.eigyo):
        assert all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns)
        assert not frame.isna().any().any()
    assert len(city.jumin) == 3000


def test_every_chocho_of_the_key_list_and_nothing_else(city: City) -> None:
    assert set(city.jumin["町丁"]) == set(CHOCHO)
    assert set(city.ido["町丁"]) <= set(CHOCHO)
    lives = city.jumin["住所"].str.removeprefix("東京都国立市")
    assert (lives.str.len() < city.jumin["住所"].str.len()).all()
    assert [a.startswith(c) for a, c in zip(lives, city.jumin["町丁"], strict=True)] \
        == [True] * len(lives)
    assert city.jumin["郵便番号"].str.fullmatch(r"186-00\d\d").all()
    sizes = city.jumin["町丁"].value_counts()
    assert sizes.max() > 6 * sizes.min()  # very different 町丁 populations


def test_identifiers_pass_the_projects_validators(city: City) -> None:
    codes = pd.concat([city.jumin["住民票コード"], city.ido["住民票コード"]])
    assert codes.str.fullmatch(r"\d{11}").all()
    assert all(is_valid_resident_code(c) for c in codes.unique())
    assert city.jumin["住民票コード"].is_unique
    corp = city.eigyo.loc[~city.eigyo_individual, "法人番号"]
    assert corp.str.fullmatch(r"\d{13}").all() and all(is_valid_corporate_number(c) for c in corp)
    assert city.jumin["世帯番号"].str.fullmatch(r"\d{10}").all()


def test_households_share_place_and_mostly_family_name(city: City) -> None:
    j = city.jumin
    per = j.groupby("世帯番号")
    assert (per[["町丁", "住所", "郵便番号"]].nunique() == 1).all().all()
    assert (per["続柄"].apply(lambda s: (s == "世帯主").sum()) == 1).all()
    assert j["氏名"].str.fullmatch(r"\S+\u3000\S+").all()
    assert j["氏名カナ"].str.fullmatch(r"[ァ-ヶー]+\u3000[ァ-ヶー]+").all()
    surname = j["氏名"].str.split("\u3000").str[0]
    assert (surname == surname.groupby(j["世帯番号"]).transform("first")).mean() > 0.95
    sizes = per.size().value_counts(normalize=True)
    assert 0.33 < sizes[1] < 0.47 and 0.2 < sizes[2] < 0.34 and sizes[sizes.index >= 5].sum() < 0.1


def test_ages_fit_the_relationships(city: City) -> None:
    j = city.jumin.assign(age=_age(city.jumin["生年月日"], EXTRACT))
    head = j[j["続柄"] == "世帯主"].set_index("世帯番号")["age"]
    gap = j["世帯番号"].map(head) - j["age"]
    assert gap[j["続柄"] == "子"].between(20, 45).all()
    assert (-gap[j["続柄"].isin(["父", "母"])]).between(20, 45).all()
    assert (gap[j["続柄"] == "孫"] >= 40).all()
    assert (j.loc[j["続柄"] == "妻", "性別"] == "女").all()
    assert (j.loc[j["続柄"].isin(["夫", "父"]), "性別"] == "男").all()
    assert set(j["続柄"]) <= {"世帯主", "妻", "夫", "子", "父", "母", "孫", "その他"}


def test_age_pyramid_is_an_aging_suburbs(city: City) -> None:
    age = _age(city.jumin["生年月日"], EXTRACT)
    assert 0.20 <= (age >= 65).mean() <= 0.32
    assert 0.02 <= (age >= 85).mean() <= 0.06
    assert age.max() <= 105 and age.min() == 0
    assert (age.between(45, 54)).mean() > (age.between(25, 34)).mean()
    men = (city.jumin["性別"] == "男").sum() / (city.jumin["性別"] == "女").sum()
    old = city.jumin[age >= 80]["性別"].value_counts()
    assert 0.85 < men < 1.05 and old["女"] > old["男"]


def test_ido_events_are_in_fy2024_and_fit_their_reason(city: City) -> None:
    d = city.ido
    assert d["異動日"].between("2024-04-01", "2025-03-31").all()
    assert d["届出番号"].str.fullmatch(r"2024-\d{6}").all() and d["届出番号"].is_unique
    assert set(d["異動事由"]) == {"出生", "死亡", "転入", "転出"}
    births = d[d["異動事由"] == "出生"]
    assert (births["生年月日"] == births["異動日"]).all()
    moved_in, moved_out = d[d["異動事由"] == "転入"], d[d["異動事由"] == "転出"]
    assert moved_in["前住所"].str.startswith(PREFECTURES).all()
    assert not moved_in["前住所"].str.startswith("東京都国立市").any()
    assert moved_out["転出先"].str.startswith(PREFECTURES).all()
    assert (d.loc[d["異動事由"] != "転入", "前住所"] == "").all()
    assert (d.loc[d["異動事由"] != "転出", "転出先"] == "").all()
    assert moved_in["前住所"].str.startswith(NEAR).mean() > 0.5
    age = _age(d["生年月日"], d["異動日"])
    assert (age[d["異動事由"] == "死亡"] >= 75).mean() > 0.5
    assert (age[d["異動事由"] == "転入"].between(18, 39)).mean() > 0.4
    per_52000 = {"出生": 350, "死亡": 480, "転入": 3600, "転出": 3400}
    counts = d["異動事由"].value_counts()
    for reason, n in per_52000.items():  # births follow the pyramid's age-0 cohort: noisier
        assert abs(counts[reason] / (n * 3000 / 52000) - 1) < (0.6 if n < 400 else 0.2), reason
    moves = pd.to_datetime(d.loc[d["異動事由"].isin(["転入", "転出"]), "異動日"]).dt.month
    month = moves.value_counts()
    assert month[3] + month[4] > 1.5 * (month[6] + month[7])  # the spring moving season


def test_departures_are_residents_and_one_person_can_move_twice(city: City) -> None:
    d, j = city.ido, city.jumin.set_index("住民票コード")
    gone = d[d["異動事由"].isin(["死亡", "転出"])]
    assert gone["住民票コード"].isin(j.index).all()
    same = j.loc[gone["住民票コード"]]
    for column in ("氏名", "生年月日", "性別", "町丁", "住所"):
        assert (same[column].to_numpy() == gone[column].to_numpy()).all(), column
    per_person = d.sort_values("異動日", kind="stable").groupby("住民票コード")["異動事由"]
    twice = per_person.agg(tuple)
    assert (twice == ("転入", "転出")).any()
    assert twice.map(lambda t: len(t) == 1 or t in {("転入", "転出"), ("出生", "転出")}).all()
    assert not d[d["異動事由"].isin(["死亡", "転出"])]["住民票コード"].duplicated().any()


def test_eigyo_individuals_and_corporations(city: City) -> None:
    e, ind = city.eigyo, city.eigyo_individual
    assert len(e) == round(900 * 3000 / 52000) and len(ind) == len(e)
    assert 0.45 < ind.mean() < 0.65
    people, firms = e[ind], e[~ind]
    assert (people["法人番号"] == "").all()
    legal = "|".join(map(re.escape, LEGAL_FORMS))
    assert not people["営業者氏名又は名称"].str.contains(legal).any()
    assert people["営業者氏名又は名称"].str.fullmatch(r"\S+\u3000\S+").all()
    assert firms["営業者氏名又は名称"].map(lambda s: any(f in s for f in LEGAL_FORMS)).all()
    assert (firms["法人番号"] != "").all()
    assert e["施設所在地"].str.startswith("東京都国立市").all()
    assert e["営業者住所"].str.startswith(PREFECTURES).all()
    assert e["業種"].value_counts().index[0] == "飲食店営業"
    assert "喫茶店営業" not in set(e["業種"])
    granted, expires = pd.to_datetime(e["許可年月日"]), pd.to_datetime(e["有効期限"])
    years = (expires + pd.Timedelta(days=1) - granted).dt.days / 365.25
    assert years.between(4.99, 8.01).all() and (granted <= "2025-03-31").all()
    # a resident holder is the jumin person: same name and home address
    codes = city.eigyo_holders.loc[ind, "住民票コード"]
    local = codes != ""
    j = city.jumin.set_index("住民票コード")
    assert local.mean() > 0.4
    assert (j.loc[codes[local], "氏名"].to_numpy() == people.loc[local, "営業者氏名又は名称"]
            .to_numpy()).all()


def test_cli_writes_cp932_crlf_and_bom_utf8_byte_identical(tmp_path: Path) -> None:
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(main, ["--seed", "5", "--residents", "800", "--out",
                                      str(tmp_path / out)])
        assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(tmp_path / "a").as_posix()
                   for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files == ["eigyo_kyoka.csv", "gold/eigyo_holders.csv", "ido.csv", "jumin.csv"]
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    jumin = (tmp_path / "a" / "jumin.csv").read_bytes()
    assert jumin.count(b"\r\n") == 801 and jumin.count(b"\n") == 801
    text = jumin.decode("cp932")
    assert text.startswith(",".join(JUMIN) + "\r\n")
    for name in ("ido.csv", "eigyo_kyoka.csv"):
        raw = (tmp_path / "a" / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw
    frame = pd.read_csv(io.BytesIO(jumin), encoding="cp932", dtype=str, keep_default_na=False)
    assert len(frame) == 800 and frame["住民票コード"].str.len().eq(11).all()
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".city-")]
