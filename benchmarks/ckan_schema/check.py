"""Run a release's ckan.json through CKAN's own ``package_create`` schema — no server, no DB.

Usage (in the separate virtual environment of requirements.txt; see README.md)::

    /tmp/ckanvenv/bin/python benchmarks/ckan_schema/check.py out/*/ckan.json [--org ORG]

What runs is CKAN's code: ``ckan.logic.schema.default_create_package_schema()`` (every
validator of it looked up by name, as ``package_create`` does) through
``ckan.lib.navl.dictization_functions.validate`` — the call ``package_create`` makes
(``lib_plugins.plugin_validate`` with no IDatasetForm plugin). The user is a non-sysadmin
(``user=""``), the stricter case: sysadmin-only fields are dropped, as they would be for a
city's editor.

Stubbed, because they read CKAN's database and nothing else:

- ``owner_org_validator``: looks the organization up and checks the user's membership. Here:
  a non-empty string (``publish --org`` names a real organization; publish checks membership
  with ``organization_list_for_user`` before it changes anything).
- the database session in the context, used by ``package_name_validator`` (is the name
  taken?), ``package_id_does_not_exist``, ``resource_id_does_not_exist`` and
  ``vocabulary_id_exists``: it answers "no such row" — an empty portal. The name validator's
  own checks (characters, length) run as written.

Besides CKAN's errors, the check fails when the schema would silently drop or change a
field we send (an unknown top-level key is dropped by ``__extras: [ignore]``), or when
``license_id`` is not in CKAN's default licence register (``ckan.model.license``).
Exit 0: accepted; 1: rejected (the errors are printed); 2: usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


class _NoRows:
    """A stand-in for ``model.Session``: every query finds nothing (an empty portal)."""

    def query(self, *args: Any, **kwargs: Any) -> _NoRows:
        return self

    def filter(self, *args: Any, **kwargs: Any) -> _NoRows:
        return self

    def exists(self) -> _NoRows:
        return self

    def scalar(self) -> bool:
        return False

    def get(self, *args: Any, **kwargs: Any) -> None:
        return None

    def one(self) -> None:
        from sqlalchemy.orm.exc import NoResultFound

        raise NoResultFound()


def _owner_org_given(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
    """Stub of ``owner_org_validator`` (needs the database): a non-empty organization."""
    from ckan.lib.navl.dictization_functions import Invalid, missing

    value = data.get(key)
    if value is missing or value is None or not str(value).strip():
        raise Invalid("An organization must be provided")


def _changed(sent: Any, kept: Any, path: str) -> list[str]:
    """Where the validated data differs from what was sent (a dropped or rewritten field)."""
    if isinstance(sent, dict):
        if not isinstance(kept, dict):
            return [f"{path}: became {type(kept).__name__}"]
        out = [f"{path}.{k}: dropped by the schema" for k in sent if k not in kept]
        for k in sent:
            if k in kept:
                out += _changed(sent[k], kept[k], f"{path}.{k}")
        return out
    if isinstance(sent, list):
        if not isinstance(kept, list) or len(kept) != len(sent):
            return [f"{path}: list changed"]
        return [
            p
            for i, (a, b) in enumerate(zip(sent, kept, strict=True))
            for p in _changed(a, b, f"{path}[{i}]")
        ]
    return [] if sent == kept or str(sent) == str(kept) else [f"{path}: {sent!r} became {kept!r}"]


def check(payload: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """(the validated data, the problems: CKAN's errors, dropped fields, unknown licence)."""
    import ckan.model
    from ckan.lib.navl.dictization_functions import validate
    from ckan.logic import get_validator
    from ckan.logic.schema import default_create_package_schema
    from ckan.model.license import LicenseRegister

    schema = default_create_package_schema()
    schema["owner_org"] = [_owner_org_given, get_validator("unicode_safe")]
    context = {"user": "", "model": ckan.model, "session": _NoRows()}
    data, errors = validate(payload, schema, context)
    problems = [f"CKAN: {json.dumps(errors, ensure_ascii=False)}"] if errors else []
    problems += _changed(payload, data, "ckan.json")
    licences = {lic.id for lic in LicenseRegister().licenses}
    if payload.get("license_id") not in licences:
        problems.append(
            f"license_id {payload.get('license_id')!r} is not in CKAN's default register"
        )
    return data, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("ckan_json", type=Path, nargs="+")
    parser.add_argument("--org", help="owner_org to check with (default: the placeholder)")
    args = parser.parse_args(argv)
    import ckan

    rejected = 0
    for path in args.ckan_json:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            print(f"check: {path}: {exc}", file=sys.stderr)
            return 2
        if args.org:
            payload["owner_org"] = args.org
        _, problems = check(payload)
        if problems:
            rejected += 1
            print(f"REJECTED by CKAN {ckan.__version__}'s package_create schema: {path}")
            for p in problems:
                print(f"  - {p}")
            continue
        print(
            f"OK: {path} passes CKAN {ckan.__version__}'s default_create_package_schema "
            f"(name {payload['name']}, {len(payload.get('tags', []))} tags, "
            f"{len(payload.get('extras', []))} extras, {len(payload.get('resources', []))} "
            f"resources, license_id {payload['license_id']})"
        )
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
