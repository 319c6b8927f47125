import math

import pytest

from anonymizer.dp.budget import ApproxDP, PureDP, RhoZCDP


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: PureDP(-0.1), "epsilon"),
        (lambda: PureDP(math.inf), "epsilon"),
        (lambda: PureDP(math.nan), "epsilon"),
        (lambda: PureDP(True), "epsilon"),  # a bool is not a budget
        (lambda: PureDP("1"), "epsilon"),  # type: ignore[arg-type]
        (lambda: ApproxDP(1.0, 1.5), "delta"),
        (lambda: ApproxDP(1.0, -1e-9), "delta"),
        (lambda: ApproxDP(-1.0, 0.0), "epsilon"),
        (lambda: RhoZCDP(-0.5), "rho"),
        (lambda: RhoZCDP(math.inf), "rho"),
    ],
)
def test_invalid_budgets_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize(
    "budget", [PureDP(0.0), PureDP(3), ApproxDP(0.5, 0.0), ApproxDP(1.0, 1.0), RhoZCDP(0.1)]
)
def test_valid_budgets(budget):
    assert budget == budget  # frozen values compare by value
    with pytest.raises(AttributeError):
        budget.epsilon = 9  # type: ignore[misc]


def test_same_kind_adds():
    assert PureDP(0.1) + PureDP(0.2) == PureDP(0.3)  # exact decimal arithmetic
    assert ApproxDP(0.1, 1e-6) + ApproxDP(0.2, 2e-6) == ApproxDP(0.3, 3e-6)
    assert RhoZCDP(0.25) + RhoZCDP(0.25) == RhoZCDP(0.5)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (PureDP(1), ApproxDP(1, 0)),
        (ApproxDP(1, 0), PureDP(1)),
        (PureDP(1), RhoZCDP(1)),
        (RhoZCDP(1), ApproxDP(1, 1e-6)),
    ],
)
def test_kinds_never_mix_silently(a, b):
    with pytest.raises(TypeError):
        _ = a + b


def test_explicit_conversions():
    assert PureDP(0.5).as_approx() == ApproxDP(0.5, 0.0)
    rho, delta = 0.5, 1e-6
    assert RhoZCDP(rho).to_approx(delta) == ApproxDP(
        rho + 2 * math.sqrt(rho * math.log(1 / delta)), delta
    )
    with pytest.raises(ValueError):
        RhoZCDP(0.5).to_approx(0.0)


@pytest.mark.parametrize(
    ("total", "spend", "fits"),
    [
        (ApproxDP(0.3), ApproxDP(0.1) + ApproxDP(0.2), True),  # floats alone would say no
        (ApproxDP(1.0), ApproxDP(1.0), True),
        (ApproxDP(1.0), ApproxDP(1.0000001), False),
        (ApproxDP(1.0, 0.0), ApproxDP(0.1, 1e-9), False),  # pure total, δ spend
        (ApproxDP(1.0, 1e-6), ApproxDP(0.1, 1e-6), True),
    ],
)
def test_covers(total, spend, fits):
    assert total.covers(spend) is fits


def test_subtraction_never_negative():
    assert ApproxDP(1.0, 0.0) - ApproxDP(0.4, 0.0) == ApproxDP(0.6, 0.0)
    assert ApproxDP(0.1, 0.0) - ApproxDP(0.4, 0.0) == ApproxDP(0.0, 0.0)
