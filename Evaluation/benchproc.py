"""Running one benchmark job as a subprocess: wall time, CPU time and that job's own peak RSS.

Why GNU time: on Linux a child's ru_maxrss (os.wait4) starts from the RSS of the process that
spawned it, because exec() keeps the pre-exec high-water mark; a benchmark parent holding a
dataset in memory would therefore lend every job its own size (measured: a Python parent of
314 MiB made /bin/true report 314 MiB). /usr/bin/time is a small process, so the peak it reports
for the job it spawns is the job's own. Without it (Debian package "time") the wait4 figure is
used and marked as an upper bound.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_LAPIS = REPO_ROOT / ".build" / "release" / "lapis"

GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else shutil.which("gtime")

RSS_METHOD = ("GNU time (%M of the job itself)" if GNU_TIME
              else "os.wait4 ru_maxrss: an upper bound, includes the benchmark's own RSS (install 'time')")


class JobFailed(RuntimeError):
    pass


def run_timed(cmd: list[str], stdout_path: Path, env: dict | None = None) -> dict:
    """Run cmd with stdout to stdout_path; return wall and CPU seconds, peak RSS (MiB) and the
    tail of stderr. Raises JobFailed on a non-zero exit."""
    stderr_path = stdout_path.with_suffix(stdout_path.suffix + ".stderr")
    rss_file = None
    full_cmd = cmd
    if GNU_TIME:
        handle, rss_file = tempfile.mkstemp(prefix="rss-", suffix=".txt")
        os.close(handle)
        full_cmd = [GNU_TIME, "-f", "%M", "-o", rss_file, "--"] + cmd
    try:
        with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(full_cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        stderr_text = stderr_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        if code != 0:
            raise JobFailed(f"command failed (exit {code}): {shlex.join(cmd)}\n"
                            f"--- stderr (last 2000 chars) ---\n{stderr_text}")
        peak_kib = usage.ru_maxrss
        if rss_file:
            lines = Path(rss_file).read_text().split()
            if not lines or not lines[-1].isdigit():
                raise JobFailed(f"could not read the peak RSS written by {GNU_TIME} for {shlex.join(cmd)}")
            peak_kib = int(lines[-1])
    finally:
        if rss_file:
            os.unlink(rss_file)
    return {"wall_s": wall, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": peak_kib / 1024.0, "stderr": stderr_text}


def run_timed_or_die(cmd: list[str], stdout_path: Path, env: dict | None = None) -> dict:
    try:
        return run_timed(cmd, stdout_path, env)
    except JobFailed as failure:
        print(f"error: {failure}", file=sys.stderr)
        sys.exit(1)


def machine_info() -> dict:
    """What the timings ran on: cores, CPU, RAM, kernel, load at start, how RSS was measured."""
    import platform
    cpu = platform.processor() or "unknown"
    ram_gib = loadavg = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
        loadavg = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu_model": cpu, "ram_gib": ram_gib,
            "kernel": platform.release(), "python": platform.python_version(),
            "niceness": os.nice(0), "loadavg_at_start": loadavg, "peak_rss_method": RSS_METHOD}


def warn_if_busy(machine: dict) -> None:
    """Timings are only meaningful on a quiet machine: say so when it is not."""
    try:
        load1 = float(machine["loadavg_at_start"][0])
    except (TypeError, ValueError, IndexError):
        return
    if load1 > 0.5 * (machine["nproc"] or 1):
        print(f"WARNING: 1-minute load average is {load1} on {machine['nproc']} cores: other work "
              f"is running, timings will be noisy (quality numbers are unaffected)", file=sys.stderr)
    if not GNU_TIME:
        print(f"WARNING: /usr/bin/time not found: peak RSS is {RSS_METHOD}", file=sys.stderr)


def check_inputs(die, data_files: list[Path], lapis: Path | None) -> None:
    """Stop with `die` when a data file or the lapis binary (None: not needed) is missing."""
    for path in data_files:
        if not path.is_file():
            die(f"data file not found: {path}\n  (expected the shared data at ../shared/data from the "
                f"repository root; pass --data-dir DIR to point elsewhere)")
    if lapis is not None and not (lapis.is_file() and os.access(lapis, os.X_OK)):
        die(f"lapis binary not found or not executable: {lapis}\n  (build it with "
            f"`swift build -c release`, pass --lapis PATH, or use --skip-lapis)")
