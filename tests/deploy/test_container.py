"""The container image of deploy/Containerfile, built and started where a container runtime works (podman from
Debian). Where the sandbox refuses it (no registry to pull the base image from, no permission to set rlimits
or cgroups), the test is skipped and says exactly why, with the runtime's own words."""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.deploy
ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, timeout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603


def test_the_image_builds_and_answers_its_health_check() -> None:
    podman = shutil.which("podman")
    if podman is None:
        pytest.skip("no container runtime: podman is not installed (apt-get install podman)")
    tag = f"localhost/pakn-test:{secrets.token_hex(4)}"
    build = _run(
        podman,
        "build",
        "--isolation=chroot",
        "-f",
        str(ROOT / "deploy" / "Containerfile"),
        "-t",
        tag,
        str(ROOT),
        timeout=900,
    )
    if build.returncode != 0:
        reason = (build.stderr or build.stdout).strip().splitlines()[-1:] or ["unknown error"]
        pytest.skip(f"this sandbox cannot build the image with podman: {reason[0][:300]}")
    try:
        check = _run(
            podman,
            "run",
            "--rm",
            "-e",
            "PAKN_SECRET_KEY=" + secrets.token_urlsafe(48),
            "-e",
            "PAKN_ENV=production",
            tag,
            "pakn",
            "check",
            "--deploy",
            timeout=300,
        )
        if check.returncode != 0 and ("setrlimit" in check.stderr or "cgroup" in check.stderr):
            pytest.skip(f"this sandbox cannot start containers: {check.stderr.strip().splitlines()[-1][:300]}")
        assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]
    finally:
        _run(podman, "rmi", "-f", tag, timeout=120)
