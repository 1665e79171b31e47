"""Fail CI when the extraction's end-to-end F1 on PolNeAR dev drops below the recorded floor."""

import json
import subprocess
import sys
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    """Score the predictions with the shared scorer and compare end-to-end F1 to the floor."""
    if len(sys.argv) != 3:
        print("usage: check_score.py PRED.jsonl FLOOR", file=sys.stderr)
        return 2
    pred, floor = sys.argv[1], float(sys.argv[2])
    result = subprocess.run(
        [
            sys.executable,
            str(SHARED / "tools" / "score_quotes.py"),
            "--json",
            "--gold",
            str(SHARED / "corpora" / "polnear" / "dev.jsonl"),
            "--pred",
            pred,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    f1 = 100 * json.loads(result.stdout)["end_to_end"]["f1"]
    verdict = "ok" if f1 >= floor else "FAILED"
    print(f"end-to-end F1 on dev: {f1:.2f} (floor {floor:.2f}): {verdict}")
    return 0 if f1 >= floor else 1


if __name__ == "__main__":
    sys.exit(main())
