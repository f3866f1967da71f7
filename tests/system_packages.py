"""The Debian packages the tests need beyond the venv: chromium (the report tests) and SLURM
(the cluster test), installed with apt-get as root when missing, one process at a time.

``make test`` runs this file once before the tests start in two processes (pytest-xdist), so
that no ``apt-get update`` or ``install`` of the tests runs beside a pipeline's ``apt-get
download``. The fixtures call the same functions, which do nothing when the packages are there,
so ``pytest`` alone still works; a cross-process lock keeps two test processes' installs apart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from filelock import FileLock

# One lock for every test process of the machine (apt's own lock would make the second fail).
APT_LOCK = Path(tempfile.gettempdir()) / "danet-music2vec-tests-apt.lock"
SLURM_PACKAGES = ("slurmctld", "slurmd", "munge")
SLURM_TOOLS = ("slurmctld", "slurmd", "munged", "sbatch")


class InstallError(RuntimeError):
    """An apt-get step failed; the message names the command and ends with its stderr."""


def apt_get_install(*packages: str, recommends: bool = True) -> None:
    """``apt-get update`` then ``apt-get install -y PACKAGES`` under the tests' lock (needs root)."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=600",
               *([] if recommends else ["--no-install-recommends"]), *packages]
    with FileLock(APT_LOCK):
        for command in (["apt-get", "update", "-qq"], install):
            result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900, check=False)
            if result.returncode != 0:
                raise InstallError(f"{' '.join(command)} exited with {result.returncode}:\n{result.stderr[-2000:]}")


def find_chromium() -> str | None:
    """The path of Debian's chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def install_chromium() -> str:
    """Debian's chromium, installed when missing; its path. Raises :class:`InstallError`."""
    binary = find_chromium()
    if binary is None:
        apt_get_install("chromium")
        binary = find_chromium()
    if binary is None:
        raise InstallError("chromium is not installed and apt-get did not provide it")
    return binary


def slurm_installed() -> bool:
    return all(shutil.which(tool) for tool in SLURM_TOOLS)


def install_slurm() -> None:
    """Debian's slurmctld, slurmd and munge, installed when missing. Raises :class:`InstallError`."""
    if not slurm_installed():
        apt_get_install(*SLURM_PACKAGES, recommends=False)


INSTALLERS = {"chromium": install_chromium, "slurm": install_slurm}
PRESENT = {"chromium": lambda: find_chromium() is not None, "slurm": slurm_installed}


def main(argv: list[str]) -> int:
    """``python tests/system_packages.py chromium slurm``: install those of them that are missing."""
    wanted = argv or list(INSTALLERS)
    unknown = sorted(set(wanted) - set(INSTALLERS))
    if unknown:
        print(f"tests/system_packages.py: unknown {', '.join(unknown)}; known: {', '.join(INSTALLERS)}",
              file=sys.stderr)
        return 2
    missing = [name for name in wanted if not PRESENT[name]()]
    if missing and (os.geteuid() != 0 or shutil.which("apt-get") is None):
        print(f"tests/system_packages.py: not root or no apt-get; not installing {', '.join(missing)} "
              "(the tests that need them will say so)", file=sys.stderr)
        return 0
    try:
        for name in missing:
            INSTALLERS[name]()
    except InstallError as error:
        print(f"tests/system_packages.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
