"""select: what an output shows reaches the leak check in the same order in every run (the
check reads it as one text); a set's order would change with Python's hash seed."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO

SCRIPT = """
import hashlib, sys
from pathlib import Path
from briefgen.jobs import job_view
from briefgen.load import load_project
from briefgen.plan import plan_jobs
model = load_project(Path(sys.argv[1])).model
digest = hashlib.sha256()
for job in plan_jobs(model):
    digest.update("\\0".join(job_view(model, job).visible).encode())
print(digest.hexdigest())
"""


def test_the_shown_texts_are_in_the_same_order_whatever_the_hash_seed():
    digests = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(REPO)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1
