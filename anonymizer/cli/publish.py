"""``anonymizer publish``: upload a release folder to a CKAN portal, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from anonymizer.i18n import N_, _


@click.command("publish", help=N_("""Upload RELEASE (OUT/<name>) to a CKAN portal as one dataset in ORG.

    The release must be open data (purpose: anonymized), its manifest must record a passed
    gate, and every file must match the manifest's SHA-256. The dataset is ckan.json's; its
    resources are the data, datapackage.json and report.html. Publishing again updates the
    same dataset and resources (unchanged files are not uploaded again). A failure part-way
    undoes what this call changed. Exit 0 published, 1 the release's gate did not pass,
    2 any other error (unreachable portal, rejected key, a file that does not match).

    \b
    Example:
      anonymizer publish out/soudan --ckan https://data.city.example.jp \\
          --org kunitachi --api-key-file ~/.config/ckan.key
    """))
@click.argument("release", type=click.Path(path_type=Path))
@click.option("--ckan", "url", required=True, metavar="URL", help=N_("The CKAN site's address."))
@click.option("--org", required=True, metavar="ORG", help=N_("The portal organization (name or id)."))
@click.option(
    "--api-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("A file holding the API token (default: $CKAN_API_KEY). Never printed."),
)
@click.option(
    "--license-id",
    default=None,
    metavar="ID",
    help=N_("The portal's id for the licence, when its register differs from CKAN's default "
    "(ckan.json: cc-by for CC-BY-4.0, other-at for PDL-1.0)."),
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=120.0,
    show_default=True,
    help=N_("Seconds to wait for each call or file."),
)
def command(
    release: Path,
    url: str,
    org: str,
    api_key_file: Path | None,
    license_id: str | None,
    timeout: float,
) -> None:
    from anonymizer.portal.client import Portal
    from anonymizer.portal.publish import publish
    from anonymizer.portal.verify import read_api_key, verify_release

    verified = verify_release(release)
    portal = Portal(url, read_api_key(api_key_file), timeout=timeout)
    try:
        outcome = publish(verified, portal, org, license_id)
    finally:
        portal.close()
    done = ", ".join(f"{f} {how}" for f, how in outcome.resources.items())
    said = _("created {url} ({done})") if outcome.created else _("updated {url} ({done})")
    click.echo(said.format(url=outcome.url, done=done))
