"""The fault benchmark's short run (worker kill, PostgreSQL restart, duplicates) on its own
PostgreSQL cluster and Redis: every target met (about 2 minutes)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, unavailable

pytestmark = pytest.mark.e2e

LINE = re.compile(
    r"^(?P<name>[\w-]+) accepted=(?P<accepted>\d+) processed=\d+ failed=\d+ lost=(?P<lost>\d+)"
    r" duplicated=(?P<duplicated>\d+) non2xx_unstored=(?P<unstored>\d+)"
    r" recovery_s=(?P<recovery>[\d.]+) summaries_exact=(?P<exact>yes|no)",
    re.MULTILINE,
)


def test_quick_faults_meet_every_target() -> None:
    if not sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb")) or not shutil.which(
        "redis-server"
    ):
        unavailable("PostgreSQL's initdb and redis-server (for a cluster and Redis of its own)")
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "faults.py"), "--quick", "--docs", "30"],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
        cwd=REPO,
    )
    lines = {match["name"]: match for match in LINE.finditer(result.stdout)}
    assert sorted(lines) == ["duplicates", "postgres-restart", "worker-kill"], (
        result.stdout + result.stderr[-3000:]
    )
    for name, line in lines.items():
        assert (line["lost"], line["duplicated"], line["unstored"]) == ("0", "0", "0"), name
        assert line["exact"] == "yes", name
        assert float(line["recovery"]) <= 30, name
    assert lines["duplicates"]["accepted"] == "1"
    assert int(lines["worker-kill"]["accepted"]) == 30
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
