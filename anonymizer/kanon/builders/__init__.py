"""Hierarchy builders, one module each; ``HierarchySpec`` dispatches on ``type``."""

from typing import Annotated

from pydantic import Field

from anonymizer.kanon.builders.address import AddressSpec
from anonymizer.kanon.builders.arx import ArxSpec
from anonymizer.kanon.builders.base import BuilderSpec
from anonymizer.kanon.builders.categories import CategoriesSpec
from anonymizer.kanon.builders.dates import DatesSpec
from anonymizer.kanon.builders.flat import FlatSpec
from anonymizer.kanon.builders.intervals import IntervalsSpec
from anonymizer.kanon.builders.masking import MaskingSpec

HierarchySpec = Annotated[
    IntervalsSpec | DatesSpec | MaskingSpec | CategoriesSpec | ArxSpec | AddressSpec | FlatSpec,
    Field(discriminator="type"),
]

__all__ = [
    "AddressSpec",
    "ArxSpec",
    "BuilderSpec",
    "CategoriesSpec",
    "DatesSpec",
    "FlatSpec",
    "HierarchySpec",
    "IntervalsSpec",
    "MaskingSpec",
]
