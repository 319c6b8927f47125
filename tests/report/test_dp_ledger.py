"""The DP report says where the budget's ledger is and which chain head the release made."""

from anonymizer.state import Ledger
from tests.report._releases import report_json


def test_dp_report_shows_the_ledger_location_and_chain_head(dp_release):
    [step] = report_json(dp_release)["steps"]
    state = dp_release.parent.parent / "state"
    assert step["ledger"]["location"] == str(state / "ledger.sqlite")
    heads = [r["chain_head"] for r in Ledger(state).releases(step["population"])]
    assert step["ledger"]["chain_head"] == heads[-1] and len(set(heads)) == 2
    html = (dp_release / "report.html").read_text(encoding="utf-8")
    assert str(state / "ledger.sqlite") in html and heads[-1] in html
