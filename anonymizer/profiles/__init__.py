"""Output profiles: the national standard layouts a release may declare (``output.profile``),
as data in ``rules/profiles/`` — columns, order, types, the codes a count column stands for —
and the gate check that a released table follows its profile column for column."""

from anonymizer.profiles.check import profile_check
from anonymizer.profiles.spec import Profile, ProfileColumn, load_profile, profile_names

__all__ = ["Profile", "ProfileColumn", "load_profile", "profile_check", "profile_names"]
