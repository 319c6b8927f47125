"""PERSON spans anchored by structure, whatever the name's script.

Morphology and NER find the names they know; records also hold names nothing knows —
katakana readings (（フジイレン）), ・-joined foreign names (ワン・ウェイ), Latin names, rare
or short kanji (関二胡, 星天夢). Where the *structure* says a name stands, that is enough:

- after a field label (氏名, 申請者, 相談者, 世帯主, 緊急連絡先 …) and an optional separator
  (：, は, a space, a bracket), the run of name characters up to the next delimiter;
- before an honorific (様, さん, 氏 …), a katakana/Latin run, or 姓␣名 written with a space;
- before a regnal number (ヘンリー8世, フアン2世, シャッダム四世), a katakana run.

Labels, honorifics, delimiters and the exceptions (皆様, お客様, 担当課, 各位, role nouns such as
生徒さん / 会員様, なし / 不明 / 本人) are data in ``rules/recognizers/ja.person_anchor.v1.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from pydantic import Field

from anonymizer.config import Frozen
from anonymizer.recognizers.base import JaRecognizer, register
from anonymizer.recognizers.ja._morph import states
from anonymizer.recognizers.spec import RecognizerSpec
from anonymizer.text.normalize import NormalizedText

_KATA = "ァ-ヺー・"
_KANJI = "一-鿿々〆ヶ"
_KANJI_ONLY = re.compile(rf"[{_KANJI}]+")


class AnchorParams(Frozen):
    labels: tuple[str, ...] = Field(min_length=1)
    honorifics: tuple[str, ...] = Field(min_length=1)
    #: a value equal to one of these, or starting with one, is not a name
    not_names: tuple[str, ...] = ()
    #: a value ending with one of these is an organisation or a role, not a name
    not_name_suffixes: tuple[str, ...] = ()
    label_score: float = Field(ge=0, le=1)
    #: a katakana name with a regnal number (ヘンリー8世, フアン2世, シャッダム四世): a monarch or
    #: a pope; not 世紀, 世界, 世代 … (the words that may follow 世 without it being regnal)
    regnal_score: float = Field(default=0.8, ge=0, le=1)
    not_regnal_after: tuple[str, ...] = ()
    honorific_score: float = Field(ge=0, le=1)
    max_kanji: int = Field(default=5, ge=2)
    max_chars: int = Field(default=24, ge=4)
    #: after a label and は (父は単身赴任中), a kanji value morphology reads as dictionary words,
    #: one of them of these parts of speech (a verbal or adjectival noun: 赴任, 不良), states
    #: something about the person, not their name
    state_pieces: tuple[str, ...] = ()


@register("ja.person_anchor.v1")
class JaPersonAnchorRecognizer(JaRecognizer):
    Params = AnchorParams

    def __init__(self, spec: RecognizerSpec, source: str = "rules/recognizers.yaml") -> None:
        super().__init__(spec, source)
        p = self.params
        labels = "|".join(map(re.escape, sorted(p.labels, key=len, reverse=True)))
        hon = "|".join(map(re.escape, sorted(p.honorifics, key=len, reverse=True)))
        k = p.max_kanji
        # a name after a label: katakana (・ allowed), Latin words, or kanji (姓␣名 allowed),
        # ended by a delimiter, a bracket, a particle, an honorific or the end
        name = (
            rf"[{_KATA}]{{2,{p.max_chars}}}(?: [{_KATA}]{{2,{p.max_chars}}})?"
            rf"|[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){{0,3}}"
            rf"|[{_KANJI}]{{1,4}} [{_KANJI}]{{1,4}}|[{_KANJI}]{{2,{k}}}"
        )
        end = rf"(?=$|[、。,.，．）)」』\]\s:：]|(?:{hon})(?!名)|[（(]|[はがのをにへとも](?![{_KANJI}{_KATA}]))"
        # (・ before kanji: 通称・但馬, 本名・山田太郎)
        sep = (
            rf"\s*(?P<sep>[:：は])\s*|\s+|\s*[（(「]\s*|[・･](?=[{_KANJI}])"
            rf"|(?=[{_KATA}{_KANJI}A-Z])"
        )
        self._label = re.compile(rf"(?P<label>{labels})(?:{sep})(?P<value>{name}){end}")
        # before an honorific — also with the name's other spelling in brackets between
        # (ヨシムラコウメイ（吉村光明）さん); a kanji name alone only after a boundary
        # (start, punctuation, a particle), so a compound's tail is never taken for a name
        between = r"(?:[（(](?P<inner>[^）)、。]{2,24})[）)])?"
        self._honorific = re.compile(
            rf"(?<![{_KATA}A-Za-z])(?P<value>[{_KATA}]{{2,{p.max_chars}}}(?: [{_KATA}]{{2,{p.max_chars}}})?"
            rf"|[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+){{0,3}}"
            rf"|(?<![{_KANJI}])[{_KANJI}]{{1,4}} [{_KANJI}]{{1,4}}"
            rf"|(?:(?<=^)|(?<=[、。，．,.「『（(\s：:/])|(?<=[はがのをにへとも]))[{_KANJI}]{{2,3}})"
            rf" ?{between}(?:{hon})(?!名)"
        )
        # a reading in brackets right after a name's honorific: 野村三蘭氏（ノムラミラン）
        self._reading = re.compile(
            rf"(?:{hon})[（(](?P<value>[{_KATA}]{{2,{p.max_chars}}}(?: [{_KATA}]{{2,{p.max_chars}}})?)[）)]"
        )
        not_after = "|".join(map(re.escape, p.not_regnal_after))
        self._regnal = re.compile(
            rf"(?<![{_KATA}])(?P<value>[{_KATA}]{{2,{p.max_chars}}})(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})世"
            + (rf"(?!{not_after})" if not_after else "")
        )
        self._not = frozenset(p.not_names)
        self._not_prefix = tuple(p.not_names)
        self._not_suffix = tuple(p.not_name_suffixes)
        self._state_pieces = frozenset(p.state_pieces)

    def _is_name(self, value: str) -> bool:
        v = value.strip()
        # (a name may end with ー: ヘンリー, メアリー; not start with it, nor end with ・)
        if len(v.replace(" ", "").replace("・", "")) < 2 or v.lstrip("ー・") != v or v.endswith("・"):
            return False
        return not (
            v in self._not or v.startswith(self._not_prefix) or v.endswith(self._not_suffix)
        )

    def _states(
        self, nt: NormalizedText, s: int, e: int, artifacts: NlpArtifacts | None,
        run_on: bool = False,
    ) -> bool:
        """``nt.text[s:e]`` (after 〜は, or run straight on from a label) is a statement about
        the person, not a name (:func:`~anonymizer.recognizers.ja._morph.states`)."""
        morphs = getattr(artifacts, "morphemes", None)
        if not self._state_pieces or not morphs or not _KANJI_ONLY.fullmatch(nt.text[s:e]):
            return False
        start, end = nt.span(s, e)
        return states(morphs, start, end, self._state_pieces, run_on)

    def find(
        self, nt: NormalizedText, artifacts: NlpArtifacts | None
    ) -> Iterable[RecognizerResult]:
        text = nt.text
        seen: set[tuple[int, int]] = set()
        for rx, score, why in (
            (self._label, self.params.label_score, "after a name label"),
            (self._honorific, self.params.honorific_score, "before an honorific"),
            (self._reading, self.params.honorific_score, "a reading after a name"),
            (self._regnal, self.params.regnal_score, "a name with a regnal number"),
        ):
            for m in rx.finditer(text):
                groups = ["value", "inner"] if "inner" in rx.groupindex else ["value"]
                for g in groups:
                    s, e = m.span(g)
                    while e > s and text[e - 1] == " ":
                        e -= 1
                    if s < 0 or (s, e) in seen or not self._is_name(text[s:e]):
                        continue
                    if self.vetoed(nt, s, e):
                        continue
                    after_wa = "sep" in rx.groupindex and m.group("sep") == "は"
                    if after_wa and self._states(nt, s, e, artifacts):
                        continue
                    # a label run straight into a verbal noun is an act on the person, not
                    # their name (患者対応, 申請者記入, 家族支援)
                    joined = "label" in rx.groupindex and m.end("label") == s
                    if joined and self._states(nt, s, e, artifacts, run_on=True):
                        continue
                    seen.add((s, e))
                    yield self.result(nt, s, e, score, why=why)
