"""The re-identification policy the release gate enforces on microdata (see rules/policy.yaml):
which columns are measured, classes counted in persons, the suppression limit, waivers and
free-text reviews. The gate stays a list of checks; this package decides what they measure."""

from anonymizer.policy.check import Policy, free_text_review, policy_of, reidentification
from anonymizer.policy.columns import Measured, Released
from anonymizer.policy.rules import PolicyRules, load_policy_rules

__all__ = [
    "Measured",
    "Policy",
    "PolicyRules",
    "Released",
    "free_text_review",
    "load_policy_rules",
    "policy_of",
    "reidentification",
]
