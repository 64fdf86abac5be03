"""Running one benchmarked system as a child process and measuring it from outside, the same way
for every system: wall time from launch to exit, CPU time of the process and every process it
waited for (its workers), peak memory of the whole process tree (proportional set size, so pages
a forked worker shares with its parent count once; and the largest single RSS), cores used."""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_EVERY = 0.1  # seconds between memory samples
# Every measured process may cache its bytecode, as an installed copy does (pip compiles it):
# with PYTHONDONTWRITEBYTECODE=1 in the environment (this machine's agents set it) every
# `rasad` process compiled rasad's own ~120 modules again, ~60 ms of each start; the other
# systems' code, in site-packages, was compiled at install. Outside the repository.
BYTECODE_ENV = {"PYTHONDONTWRITEBYTECODE": "",
                "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "rasad-bench-pycache")}


@dataclass
class Measured:
    wall: float  # seconds, launch to exit
    cpu: float  # user + system seconds, the process and the children it reaped
    peak_pss_mb: float  # the tree's summed PSS at its largest sample
    peak_rss_mb: float  # the largest RSS of one process of the tree
    stdout: str
    returncode: int
    started_at: float = 0.0  # time.time() at launch (to compare with a server's request log)
    own_cpu: float = 0.0  # the launched process alone, its workers not included (sampled)

    @property
    def cores(self) -> float:
        return self.cpu / self.wall if self.wall else 0.0


def _children(pid: int) -> list[int]:
    found = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for kid in kids:
        found += _children(int(kid))
    return found


def _own_cpu(pid: int) -> float | None:
    """User + system seconds of one process, its children not included; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KiB; (0, 0) once it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return pss, rss


def run(cmd: Sequence[str], env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None) -> Measured:
    """Run `cmd` to completion and measure it (stdout kept; stderr to a temporary file)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started, started_at = time.perf_counter(), time.time()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, cwd=cwd,
                                env={**os.environ, **BYTECODE_ENV, **(env or {})})
        peak = {"pss": 0, "rss": 0, "own": 0.0}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pss = rss = 0
                for pid in _children(proc.pid):
                    p, r = _memory_kb(pid)
                    pss += p
                    rss = max(rss, r)
                peak["pss"] = max(peak["pss"], pss)
                peak["rss"] = max(peak["rss"], rss)
                own = _own_cpu(proc.pid)  # up to one sample short at the end
                if own is not None:
                    peak["own"] = max(peak["own"], own)
                done.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
            sampler.join()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            tail = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd[:3])}… exited {proc.returncode}: {tail}")
    return Measured(wall, usage.ru_utime + usage.ru_stime, peak["pss"] / 1024,
                    peak["rss"] / 1024, stdout, proc.returncode, started_at, peak["own"])
