"""Message catalogues: fill the English one, compile both, and check that both are complete.

Each app keeps its catalogue in `<app>/locale/<lang>/LC_MESSAGES/django.po`. Source strings are
English, so the English catalogue maps each string to itself; the French one is translated.

    python -m terreau.core.check_messages            # check (exit 1 when incomplete or stale)
    python -m terreau.core.check_messages --compile  # fill English, compile .mo files
"""

import sys
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "en")


def catalogue_paths() -> list[Path]:
    return sorted(PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/django.po"))


def _read(path: Path):
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parent.parent.name)
    if catalog.locale is None:
        # makemessages writes an empty "Language:" header, which drops babel's locale (and then
        # the Plural-Forms header on write); plural messages must have num_plurals strings.
        catalog.locale = Locale.parse(path.parent.parent.name)
    for message in catalog:
        if isinstance(message.id, (list, tuple)):
            strings = tuple(message.string) if isinstance(message.string, (list, tuple)) else ()
            count = catalog.num_plurals
            message.string = (strings + ("",) * count)[:count]
    return catalog


def _write(path: Path, catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)


def _english(message) -> str | tuple:
    """The English string of a message: its source string (singular and plural forms)."""
    if isinstance(message.id, (list, tuple)):
        return tuple(message.id)
    return message.id


def fill_english(path: Path) -> None:
    """Map every source string to itself. makemessages' fuzzy matching pre-fills new strings with
    a neighbour's text ("Dashboard of the observatory" → "Send to the moderators"): those are
    replaced too, not merely unflagged."""
    catalog = _read(path)
    changed = False
    for message in catalog:
        if not message.id:
            continue
        expected = _english(message)
        current = tuple(message.string) if isinstance(message.string, list) else message.string
        if current != expected:
            message.string = expected
            changed = True
        if message.fuzzy:
            message.flags.discard("fuzzy")
            changed = True
    if changed:
        _write(path, catalog)


def compile_catalogue(path: Path) -> None:
    catalog = _read(path)
    with path.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog, use_fuzzy=False)


def _key(message_id):
    return tuple(message_id) if isinstance(message_id, list) else message_id


def problems(path: Path) -> list[str]:
    catalog = _read(path)
    found = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{path}: fuzzy: {message.id!r}")
        elif not all(strings):
            found.append(f"{path}: untranslated: {message.id!r}")
        elif path.parent.parent.name == "en" and tuple(strings) != (
            _english(message) if isinstance(message.id, (list, tuple)) else (message.id,)
        ):
            found.append(f"{path}: English differs from the source string: {message.id!r}")
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"{mo_path}: missing (run `make messages`)")
    else:
        expected = BytesIO()
        write_mo(expected, catalog, use_fuzzy=False)
        with mo_path.open("rb") as handle:
            compiled = read_mo(handle)
        expected.seek(0)
        # Plural messages have list ids: make them hashable.
        if {_key(m.id): m.string for m in read_mo(expected) if m.id} != {
            _key(m.id): m.string for m in compiled if m.id
        }:
            found.append(f"{mo_path}: out of date (run `make messages`)")
    return found


def main(argv: list[str]) -> int:
    paths = catalogue_paths()
    if "--compile" in argv:
        for path in paths:
            if path.parent.parent.name == "en":
                fill_english(path)
            compile_catalogue(path)
        return 0
    languages = {path.parent.parent.name for path in paths}
    report = [f"no catalogue for {lang}" for lang in LANGUAGES if lang not in languages]
    for path in paths:
        report.extend(problems(path))
    for line in report:
        print(line)
    print(f"{len(paths)} catalogues checked, {len(report)} problems")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
