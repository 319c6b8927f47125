"""Our recognizer classes must not shadow Presidio's predefined ones.

Presidio's registry loader finds recognizer classes by name among EntityRecognizer
subclasses; a class of ours named like one of its own (CreditCardRecognizer) breaks a stock
AnalyzerEngine created after our recognizers were imported.
"""

from presidio_analyzer import predefined_recognizers

from anonymizer.recognizers.base import RECOGNIZERS
from anonymizer.recognizers.loader import import_all


def test_no_class_name_collides_with_presidio():
    import_all()
    ours = {RECOGNIZERS.get(name).__name__ for name in RECOGNIZERS.names()}
    assert ours.isdisjoint(predefined_recognizers.__all__)


def test_stock_presidio_registry_builds_after_ours_are_loaded():
    """The code path that broke: Presidio's default registry config, loaded by class name."""
    import_all()
    from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

    registry = RecognizerRegistryProvider().create_recognizer_registry()
    assert any(r.name == "CreditCardRecognizer" for r in registry.recognizers)
