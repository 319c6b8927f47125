"""``anonymizer keygen``: make the secret key of keyed pseudonyms."""

from __future__ import annotations

from pathlib import Path

import click

from anonymizer.i18n import N_, _
from anonymizer.keys import DEFAULT_ENV, write_new_key


@click.command("keygen", help=N_("""Write a new random key (64 hex characters) to a file readable only by you.

    Pseudonyms made with one key link records across a release; anyone holding the key can
    re-identify them, so keep the file outside the release and share it with no one. A lost
    key cannot be recovered: later releases get new pseudonyms. Pipelines read the key from
    the file or from $ANONYMIZER_KEY; the key itself is never printed, only its id.

    \b
    Examples:
      anonymizer keygen -o ~/.config/anonymizer/city.key
      anonymizer keygen -o city.key --force
    """))
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help=N_("Key file to create (mode 0600)."),
)
@click.option("--force", is_flag=True, help=N_("Replace an existing key file."))
def command(output: Path, force: bool) -> None:
    kid = write_new_key(output, force=force)
    click.echo(
        _("wrote a new key to {output} (key id {kid}); keep it secret, outside the release").format(
            output=output, kid=kid
        )
    )
    click.echo(
        _("use it as the pipeline's key file, or: export {env}=\"$(cat {output})\"").format(
            env=DEFAULT_ENV, output=output
        )
    )
