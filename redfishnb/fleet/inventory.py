"""The inventory: which BMCs a fleet operation visits, and how to reach each one — never with what secret.

An inventory gets copied, mailed and committed, so anything that looks like a secret (a password, a token, a
user name, credentials in a URL) is refused outright with an :class:`~redfishnb.errors.InventoryError` rather
than silently ignored: a password in an inventory is a password leaked.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InventoryError
from ..redaction import is_secret_key
from ..trust import parse_verify
from ..urls import base_url

__all__ = ["AUTH_METHODS", "Target", "load_inventory"]

# How a visit authenticates: "session" (a login POST, as a person would), "basic" (credentials on each request,
# no session on the BMC), "auto" (Basic where the BMC accepts it, a session where it must).
AUTH_METHODS = ("session", "basic", "auto")

_COLUMNS = ("name", "url", "verify", "credentials", "auth", "timeout")
# A user name alone is no secret, but credentials come as a pair from one place (a credential set), so a
# user-name column is refused too rather than silently ignored.
_USER_COLUMNS = re.compile(r"user(_?name)?|login", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """One BMC of the inventory.

    ``credentials`` names a credential set ("" = the default set). ``auth`` is the inventory's choice of
    :data:`AUTH_METHODS`, or None when the inventory names none (the operation's ``auth=`` then decides).
    ``timeout`` (seconds per request) overrides the operation's when set.
    """

    name: str
    url: str
    verify: bool | str = True
    credentials: str = ""
    auth: str | None = None
    timeout: float | None = None


def load_inventory(source: Any, *, base_dir: str | os.PathLike[str] | None = None) -> list[Target]:
    """Read BMC targets from a CSV or YAML file, a pandas DataFrame, or an iterable of mappings/Targets.

    Columns: ``url`` (required; a bare host means ``https://host``), ``name`` (defaults to the host),
    ``verify`` (true/false, a CA file relative to the inventory, or ``sha256:<hex>``), ``credentials`` (a
    credential-set name), ``auth`` (session|basic|auto), ``timeout`` (seconds). YAML may be a list of targets or
    a mapping ``{defaults: {...}, targets: [...]}``. Other columns (rack, site, ...) are ignored; columns that
    look like passwords or tokens are refused with an :class:`InventoryError`.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InventoryError(f"Inventory file {str(path)!r} does not exist.")
        records = _read_inventory_file(path)
        base_dir = base_dir if base_dir is not None else path.parent
    elif _is_dataframe(source):
        records = source.to_dict(orient="records")
    else:
        records = list(source)
    targets = [_target_from_record(r, base_dir) for r in records]
    if not targets:
        raise InventoryError("The inventory lists no BMC.")
    names = [t.name for t in targets]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InventoryError(f"Target names must be unique; repeated: {', '.join(dupes)}.")
    return targets


def _read_inventory_file(path: Path) -> list[Any]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            return _read_yaml(path)
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_csv(path, suffix)
    except InventoryError:
        raise
    except Exception as exc:  # yaml.YAMLError, csv.Error, UnicodeDecodeError: say which file and why
        raise InventoryError(f"Cannot read inventory {path.name}: {type(exc).__name__}: {exc}") from None
    raise InventoryError(f"{path.name}: unknown inventory format (use .csv, .tsv, .yaml or .yml).")


def _read_yaml(path: Path) -> list[Any]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, Mapping):
        defaults = data.get("defaults") or {}
        return [
            {**defaults, **(t if isinstance(t, Mapping) else {"url": t})} for t in data.get("targets") or []
        ]
    if isinstance(data, list):
        return [t if isinstance(t, Mapping) else {"url": t} for t in data]
    raise InventoryError(f"{path.name}: expected a list of targets or a mapping with 'targets'.")


def _read_csv(path: Path, suffix: str) -> list[Any]:
    with path.open(newline="", encoding="utf-8") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:  # a one-column inventory has no delimiter to find
            dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        rows = csv.DictReader(fh, dialect=dialect)
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in rows]


def _target_from_record(record: Any, base_dir: str | os.PathLike[str] | None) -> Target:
    if isinstance(record, Target):
        return record
    if not isinstance(record, Mapping):
        raise InventoryError(f"An inventory entry must be a mapping, not {type(record).__name__}.")
    _refuse_secrets(record)
    values = {k: _clean(record.get(k)) for k in _COLUMNS}
    url = _parse_url(values["url"] or _clean(record.get("host")), record)
    auth = str(values["auth"]).lower() if values["auth"] is not None else None
    if auth is not None and auth not in AUTH_METHODS:
        raise InventoryError(f"{url}: auth must be 'session', 'basic' or 'auto', not {auth!r}.")
    timeout = values["timeout"]
    try:
        timeout = float(timeout) if timeout is not None else None
    except (TypeError, ValueError):
        raise InventoryError(f"{url}: timeout must be a number of seconds, not {timeout!r}.") from None
    return Target(
        name=str(values["name"] or urlsplit(url).netloc),
        url=url,
        verify=_parse_verify(values["verify"], base_dir, url),
        credentials=str(values["credentials"] or ""),
        auth=auth,
        timeout=timeout,
    )


def _refuse_secrets(record: Mapping[Any, Any]) -> None:
    secrets = [str(k) for k in record if is_secret_key(k)]
    if secrets:
        raise InventoryError(
            f"The inventory has a {secrets[0]!r} column: secrets do not belong in an inventory.",
            hint="Remove the column; set REDFISHNB_PASSWORD (or REDFISHNB_<SET>_PASSWORD) or let the runbook prompt.",
        )
    users = [str(k) for k in record if _USER_COLUMNS.fullmatch(str(k).strip())]
    if users:
        raise InventoryError(
            f"The inventory has a {users[0]!r} column: credentials are not read from an inventory.",
            hint="Put a credential-set name in a 'credentials' column and set REDFISHNB_<SET>_USERNAME and "
            "REDFISHNB_<SET>_PASSWORD (or REDFISHNB_USERNAME/REDFISHNB_PASSWORD for all).",
        )


def _parse_url(value: Any, record: Mapping[Any, Any]) -> str:
    """``https://host[:port]`` as the client keys a BMC (:func:`redfishnb.urls.base_url`): a bare host means
    HTTPS, and credentials in the url are refused as a secret in the inventory."""
    if not value:
        raise InventoryError(f"Inventory entry without a url: {_describe(record)}.")
    text = str(value).strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    if parts.username or parts.password:
        raise InventoryError(
            f"The url of {parts.hostname} carries credentials: secrets do not belong in an inventory.",
            hint="Remove user:password@ from the url; use REDFISHNB_USERNAME/REDFISHNB_PASSWORD or a prompt.",
        )
    try:
        return base_url(text)
    except ValueError:
        raise InventoryError(f"Unusable BMC url {text!r}: expected https://host[:port].") from None


def _clean(value: Any) -> Any:
    """Empty cells (None, "", NaN from pandas) become None."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _parse_verify(value: Any, base_dir: str | os.PathLike[str] | None, url: str) -> bool | str:
    """The ``verify=`` value for ``connect()``; a bad cell is the inventory's fault, reported with its BMC."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # YAML's ``verify: 0``: a cell, not a connect() argument
    try:
        return parse_verify(value, base_dir).verify
    except (TypeError, ValueError) as exc:
        raise InventoryError(f"{url}: {exc}.") from None


def _describe(record: Mapping[Any, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in record.items() if not is_secret_key(k))


def _is_dataframe(obj: Any) -> bool:
    return type(obj).__name__ == "DataFrame" and hasattr(obj, "to_dict")
