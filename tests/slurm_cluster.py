"""A single-node SLURM on 127.0.0.1 for the cluster tests: configured, started, stopped by PID (installed
by system_packages.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

SLURM_CONF = Path("/etc/slurm/slurm.conf")
# The plugin's job steps drop SLURM_* variables, so SLURM_CONF would not reach them:
# the config has to sit at the default path. This marker says the file is ours to replace.
MARKER = "# written by danet-music2vec tests/slurm_cluster.py"
# A state folder of our own, wiped at each start: a killed test run must not leave queued
# jobs that the next slurmctld replays (it did: a 13-minute stall).
STATE = Path("/var/lib/slurm-danet-tests")
# CPU slots the node offers per core of the machine. The SLURM plugin runs every job as sbatch,
# then a Snakemake in the allocation, then srun and a second Snakemake there, then the job: about
# 5 s of starting per job (a local run's jobs take 2.5 s on average) plus the wait between a
# job's end and the plugin's next status check. With two slots per core the next jobs start
# while others wait; each job still gets the threads it asks for.
CPU_SLOTS_PER_CORE = 2
LOGS = Path("/var/log/slurm")


def node_memory_mb() -> int:
    """What the node offers jobs: most of the machine's memory (slurmd refuses a node that claims more)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(int(line.split()[1]) / 1024 * 0.9)
    raise RuntimeError("no MemTotal in /proc/meminfo")


def slurm_conf(cpus: int, memory_mb: int) -> str:
    return f"""{MARKER}
ClusterName=danet-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
StateSaveLocation={STATE}/slurmctld
SlurmdSpoolDir={STATE}/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile={LOGS}/slurmctld.log
SlurmdLogFile={LOGS}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
# squeue is the status query without an accounting database; finished jobs must stay
# visible to it until Snakemake has looked.
MinJobAge=300
ReturnToService=2
SchedulerType=sched/backfill
# The node offers more CPUs than the machine has (see SingleNodeSlurm.start); slurmd takes the
# configured count instead of refusing a node that claims more than it found.
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""


class SingleNodeSlurm:
    """munged, slurmctld and slurmd in the foreground of processes this object owns."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []

    def start(self, timeout: float = 60) -> None:
        if SLURM_CONF.exists() and MARKER not in SLURM_CONF.read_text():
            raise RuntimeError(f"{SLURM_CONF} exists and was not written by these tests; not replacing it")
        SLURM_CONF.parent.mkdir(parents=True, exist_ok=True)
        SLURM_CONF.write_text(slurm_conf(CPU_SLOTS_PER_CORE * (os.cpu_count() or 1), node_memory_mb()))
        shutil.rmtree(STATE, ignore_errors=True)
        for folder in (STATE / "slurmctld", STATE / "slurmd", LOGS):
            folder.mkdir(parents=True, exist_ok=True)
        run_munge = Path("/run/munge")
        run_munge.mkdir(exist_ok=True)
        shutil.chown(run_munge, "munge", "munge")
        devnull = subprocess.DEVNULL
        self.processes.append(subprocess.Popen(["munged", "--foreground"], user="munge", group="munge",
                                               stdout=devnull, stderr=devnull))
        self._wait(lambda: Path("/run/munge/munge.socket.2").exists(), timeout, "munged socket")
        self.processes.append(subprocess.Popen(["slurmctld", "-D", "-c"], stdout=devnull, stderr=devnull))
        self.processes.append(subprocess.Popen(["slurmd", "-D", "-N", "localhost"], stdout=devnull, stderr=devnull))
        self._wait(self.node_is_idle, timeout, "node localhost idle in sinfo")

    def node_is_idle(self) -> bool:
        result = subprocess.run(["sinfo", "-h", "-N", "-o", "%T"], capture_output=True, text=True)
        return result.returncode == 0 and result.stdout.strip().startswith("idle")

    def _wait(self, ready, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process.args[0]} exited with {process.returncode} while waiting for {what}; "
                                       f"see {LOGS}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out after {timeout} s waiting for {what}; see {LOGS}")
            time.sleep(0.5)

    def stop(self) -> None:
        subprocess.run(["scancel", "--user", "root"], capture_output=True)
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        # With our config left behind and no controller, every later Snakemake start would wait
        # about 9 s: the SLURM plugin runs `scontrol show config` at import. Without a config it
        # fails at once.
        if SLURM_CONF.exists() and MARKER in SLURM_CONF.read_text():
            SLURM_CONF.unlink()
