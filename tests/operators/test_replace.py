import pandas as pd
import pytest

from anonymizer.errors import ConfigError
from tests.operators.conftest import column, make


@pytest.mark.parametrize(
    ("params", "entity", "value", "expected"),
    [
        ({}, "PERSON", "山田太郎", "＜氏名＞"),
        ({}, "JP_PHONE_NUMBER", "０９０－１２３４－５６７８", "＜電話番号＞"),
        ({}, "JP_MY_NUMBER", "001234567890", "＜個人番号＞"),
        ({"entity": "JP_ADDRESS"}, "PERSON", "国立市富士見台1-2-3", "＜住所＞"),  # param wins
        ({}, None, "なにか", "＜非公開＞"),  # neither: the generic label from the rules
        ({"label": "（削除）"}, "PERSON", "山田", "（削除）"),
        ({}, "PERSON", "", ""),
        ({}, "PERSON", " ", " "),
        ({}, "PERSON", pd.NA, pd.NA),
    ],
)
def test_replace(params, entity, value, expected):
    out = make("replace", params, entity=entity).apply(column(value))
    assert out.tolist() == [expected]


def test_replace_is_controlled_and_keeps_the_index():
    op = make("replace", entity="PERSON")
    out = op.apply(column("a", "b", index=[4, 5]))
    assert op.CONTROLLED_OUTPUT is True and out.index.tolist() == [4, 5]


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"entity": "NAME"}, "entity"),
        ({"entity": "PERSON", "label": "x"}, "entity or label, not both"),
        ({"label": ""}, "label"),
    ],
)
def test_replace_bad_params(params, where):
    with pytest.raises(ConfigError) as err:
        make("replace", params)
    assert err.value.message.startswith("pipeline.yaml: steps[0]")
    assert where in err.value.message


def test_replace_unknown_context_entity_names_the_column():
    with pytest.raises(ConfigError, match="column 'col'.*NAME"):
        make("replace", entity="NAME")
