"""Finding: the typed record every detection becomes."""

import json
import pickle

import pytest

from anonymizer.detect import Finding


def test_to_dict_is_the_json_contract():
    f = Finding("PERSON", 3, 7, 0.85, "ja.person.v1")
    assert f.to_dict() == {
        "type": "PERSON",
        "start": 3,
        "end": 7,
        "score": 0.85,
        "recognizer": "ja.person.v1",
    }
    assert list(f.to_dict()) == ["type", "start", "end", "score", "recognizer"]
    assert json.loads(json.dumps(f.to_dict())) == f.to_dict()


@pytest.mark.parametrize(("offset", "expected"), [(0, (3, 7)), (10, (13, 17)), (-3, (0, 4))])
def test_shifted_moves_both_ends_and_keeps_the_rest(offset, expected):
    f = Finding("JP_PHONE_NUMBER", 3, 7, 0.9, "ja.phone_number.v1")
    g = f.shifted(offset)
    assert (g.start, g.end) == expected
    assert (g.type, g.score, g.recognizer) == (f.type, f.score, f.recognizer)
    assert (f.start, f.end) == (3, 7)  # the original is unchanged


def test_frozen_and_hashable():
    f = Finding("AGE", 0, 3, 0.6, "ja.age.v1")
    with pytest.raises(AttributeError):
        f.start = 1  # type: ignore[misc]
    assert len({f, Finding("AGE", 0, 3, 0.6, "ja.age.v1")}) == 1


def test_pickles_to_an_equal_finding():
    """Findings cross from worker processes by pickle."""
    f = Finding("PERSON", 3, 7, 0.85, "ja.person.v1")
    g = pickle.loads(pickle.dumps([f], protocol=pickle.HIGHEST_PROTOCOL))[0]
    assert g == f and type(g) is Finding and g.recognizer == "ja.person.v1"
