"""The portal's action API, through ckanapi: each failure one PortalError, never the key.

:class:`Portal` wraps ckanapi's ``RemoteCKAN``: an unreachable host, a timeout, a refusal
(403), a rejection (409, with CKAN's field errors), an answer that is not CKAN's API (an
HTML error page, a redirect ckanapi does not follow) each become a :class:`PortalError`
that names the portal (without user:password@) and the action, with the key masked in
case a server echoes it. Only ``package_show``'s NotFound is passed on: absent is an answer.
"""

from __future__ import annotations

import io
import re
from importlib.metadata import version
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from anonymizer.errors import PortalError, UsageError
from anonymizer.i18n import _

#: seconds for one API call or download
TIMEOUT = 120.0


def public_url(url: str) -> str:
    """``url`` without user:password@, query or fragment (safe to print)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    try:
        netloc += f":{parts.port}" if parts.port else ""
    except ValueError:  # not a port number
        netloc += ":?"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


class Portal:
    """ckanapi's RemoteCKAN; failures become PortalError naming the action, never the key."""

    def __init__(self, url: str, api_key: str, timeout: float = TIMEOUT) -> None:
        from ckanapi import RemoteCKAN

        parts = urlsplit(url)
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            port_ok = False
        if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
            raise UsageError(
                _("--ckan {public_url!r}: not an http(s) URL of a CKAN site").format(
                    public_url=public_url(url)
                )
            )
        self.url = url.rstrip("/")
        self.name = public_url(url)
        self._key = api_key
        self._timeout = timeout
        agent = f"anonymizer/{version('anonymizer')} (publish)"
        self._ckan = RemoteCKAN(self.url, apikey=api_key, user_agent=agent)

    def _error(self, message: str, kind: str) -> PortalError:
        return PortalError(f"{self.name}: {message}".replace(self._key, "***"), kind)

    def call(
        self, action: str, data: dict[str, Any], upload: tuple[str, bytes] | None = None
    ) -> Any:
        """One action. NotFound from package_show is raised as it is (absent is an answer)."""
        import requests
        from ckanapi import CKANAPIError, NotAuthorized, NotFound, ValidationError

        files = {"upload": (upload[0], io.BytesIO(upload[1]))} if upload else None
        try:
            return self._ckan.call_action(
                action, data, files=files, requests_kwargs={"timeout": self._timeout}
            )
        except NotFound:
            if action == "package_show":
                raise
            raise self._error(
                f"{action}: not found (changed on the portal meanwhile?)", "rejected"
            ) from None
        except NotAuthorized:
            raise self._error(f"{action}: not authorized for this API key", "auth") from None
        except ValidationError as exc:
            raise self._error(f"{action}: rejected: {_fields(exc)}", "rejected") from None
        except requests.exceptions.Timeout:
            raise self._error(
                f"{action}: no answer within {self._timeout:g} s", "network"
            ) from None
        except requests.exceptions.ConnectionError:
            raise self._error(
                f"{action}: cannot reach the portal (connection failed)", "network"
            ) from None
        except requests.exceptions.RequestException as exc:
            raise self._error(
                f"{action}: request failed ({type(exc).__name__})", "network"
            ) from None
        except (CKANAPIError, ValueError) as exc:
            raise self._error(f"{action}: failed ({_status(exc)})", "error") from None

    def download(self, url: str) -> bytes:
        """A file the portal serves; the key goes along only to the portal's own host."""
        import requests

        same = urlsplit(url).netloc == urlsplit(self.url).netloc
        headers = {"Authorization": self._key} if same else {}
        try:
            answer = requests.get(url, headers=headers, timeout=self._timeout)
        except requests.exceptions.RequestException:
            raise self._error(f"cannot download {public_url(url)}", "network") from None
        if answer.status_code != 200:
            raise self._error(f"{public_url(url)}: HTTP {answer.status_code}", "error")
        return answer.content

    def close(self) -> None:
        self._ckan.close()


def _fields(exc: Any) -> str:
    errors = getattr(exc, "error_dict", {}) or {}
    named = {k: v for k, v in errors.items() if not k.startswith("__")}
    return "; ".join(f"{k}: {v}" for k, v in named.items()) or "validation error"


def _status(exc: Exception) -> str:
    m = re.search(r", (\d{3}), ", str(exc))
    if m and m.group(1).startswith("3"):  # ckanapi does not follow a POST's redirect
        return f"HTTP {m.group(1)}: the portal redirects; give its final address (https?)"
    return f"HTTP {m.group(1)}, not a CKAN API result" if m else "not a CKAN API result"


__all__ = ["TIMEOUT", "Portal", "PortalError", "public_url"]
