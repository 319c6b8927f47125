"""``make messages``: extract every message from ``anonymizer/`` with Babel, merge the
Japanese and English catalogs, compile them.

New messages get an empty Japanese entry (to translate in ``anonymizer/locale/ja/…/anonymizer.po``)
and their own English text; messages no longer in the source are dropped. Run it again after
translating to compile the ``.mo`` files the package reads. ``--check`` changes nothing and
exits 1 when a catalog is out of date (a message without both entries, or a stale ``.mo``).
"""

from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "anonymizer"
LOCALE = PACKAGE / "locale"
DOMAIN = "anonymizer"
METHOD_MAP = [("**.py", "python"), ("pipeline/templates/**.j2", "jinja2.ext:babel_extract")]
#: the template's own Environment settings (anonymizer/pipeline/propose.py), as in babel.cfg
OPTIONS_MAP = {
    "pipeline/templates/**.j2": {
        "extensions": "jinja2.ext.i18n",
        "trim_blocks": "true",
        "lstrip_blocks": "true",
        "keep_trailing_newline": "true",
    }
}
#: fixed, so that extracting again changes a catalog only when a message changed
DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


def extract(package: Path = PACKAGE):  # type: ignore[no-untyped-def]
    """Babel's extractor over the package: ``_()``/``N_()`` in Python, {% trans %} in templates."""
    return extract_from_dir(
        package, METHOD_MAP, OPTIONS_MAP, keywords={"_": None, "N_": None, "gettext": None}
    )


def template() -> Catalog:
    """Every ``_()`` / ``N_()`` message in the package, with where it is used."""
    cat = Catalog(project="anonymizer", domain=DOMAIN, charset="utf-8", fuzzy=False,
                  creation_date=DATE, revision_date=DATE)
    for filename, lineno, message, comments, context in extract(PACKAGE):
        cat.add(message, None, [(f"anonymizer/{filename}", lineno)], auto_comments=comments,
                context=context)
    return cat


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.is_file():
        return Catalog(locale=lang, domain=DOMAIN, project="anonymizer", charset="utf-8",
                       fuzzy=False, creation_date=DATE, revision_date=DATE)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def merged(lang: str, tmpl: Catalog) -> Catalog:
    cat = load(lang)
    cat.update(tmpl, no_fuzzy_matching=True, update_header_comment=False)
    cat.obsolete.clear()
    cat.fuzzy = False
    cat.revision_date = DATE
    if lang == "en":  # the source is English: its own text, unless a wording was chosen
        for msg in cat:
            if msg.id and not msg.string:
                msg.string = msg.id
    return cat


def po_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, cat, width=100, omit_header=False, sort_output=True, include_previous=False,
             no_location=True)
    return buf.getvalue()


def mo_bytes(cat: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, cat, use_fuzzy=False)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    check = "--check" in argv
    tmpl = template()
    stale = []
    for lang in ("ja", "en"):
        cat = merged(lang, tmpl)
        po, mo = po_path(lang), po_path(lang).with_suffix(".mo")
        new_po, new_mo = po_bytes(cat), mo_bytes(cat)
        missing = [m.id for m in cat if m.id and not m.string]
        if check:
            if missing or not mo.is_file() or mo.read_bytes() != mo_bytes(load(lang)):
                stale.append(lang)
            continue
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(new_po)
        mo.write_bytes(new_mo)
        print(f"{po.relative_to(ROOT)}: {len(cat)} messages, {len(missing)} untranslated")
    if stale:
        print(f"out of date: {', '.join(stale)} (run make messages)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
