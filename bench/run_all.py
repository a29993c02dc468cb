"""Run every benchmark script in bench/ (each prints its own figures).

python bench/run_all.py              # all of them
python bench/run_all.py assignment   # those whose file name contains "assignment"
"""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if p.name not in {"run_all.py", "__init__.py"})
    scripts = [p for p in scripts if not p.name.startswith("_")]
    if argv:
        scripts = [p for p in scripts if any(word in p.name for word in argv)]
    failures = 0
    for script in scripts:
        print(f"\n=== {script.name}", flush=True)
        failures += subprocess.call([sys.executable, str(script)], cwd=HERE.parent) != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
