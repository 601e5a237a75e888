"""Runs through a Ray Client address (``ray://HEAD:10001``) by moving the driver into the cluster.

Ray Data's streaming executor needs its driver inside the cluster: through
Ray Client it fails (measured with Ray 2.60: an ``AttributeError`` on the
client's missing core worker).  So the client submits the whole
:class:`~.ray_executor.RayExecutor` run as one task on the head node, relays
the task's progress through a :class:`ray.util.queue.Queue` and returns its
:class:`~. RunResult`.  Inputs and ``--out`` are therefore paths as the head
node sees them (a shared filesystem, as for any cluster job); relative paths
are read from this machine's working directory, which must exist there too.
The cluster's nodes need newscollate installed (``pip install 'newscollate[ray]'``).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from . import Progress, RayUnavailable, RunOptions, RunResult

_HEAD = "node:__internal_head__"
"""The resource only the head node has: the driver task runs there, so ``--out`` is on a known node."""
_POLL_SECONDS = 0.5
_CONNECT_ATTEMPTS = 3


def is_client_address(address: str | None) -> bool:
    return bool(address) and address.startswith("ray://")


def run_through_client(address: str, workers: int | None, group: str, inputs: list[str], out_dir: Path, options: RunOptions, progress: Progress | None) -> RunResult:
    """The result of running ``inputs`` on the cluster behind ``address``, the driver on its head node."""
    try:
        import ray
        from ray.exceptions import RayTaskError
        from ray.util.queue import Empty, Queue
    except ImportError:
        raise RayUnavailable("Ray is not installed: pip install newscollate[ray]") from None

    say = progress or (lambda _stage: None)
    _connect(ray, address)
    try:
        say(f"connected to {address}; starting the driver on the head node")
        stages = Queue(actor_options={"num_cpus": 0})
        # max_calls=1: the task changes its working directory, so its worker process must not be reused.
        driver = ray.remote(num_cpus=0, resources={_HEAD: 0.001}, max_retries=0, max_calls=1)(_drive)
        task = driver.remote(os.getcwd(), workers, group, inputs, str(out_dir), options, stages)
        while not ray.wait([task], timeout=_POLL_SECONDS)[0]:
            try:
                while True:
                    say(stages.get_nowait())
            except Empty:
                pass
        return ray.get(task)
    except RayTaskError as exc:
        cause = exc.cause
        if isinstance(cause, RayUnavailable):
            raise RayUnavailable(str(cause)) from None
        if isinstance(cause, ModuleNotFoundError) and (cause.name or "").startswith("newscollate"):
            raise RayUnavailable(f"newscollate is not installed on the cluster at {address}: pip install 'newscollate[ray]' on every node") from None
        raise cause from None
    finally:
        ray.shutdown()


def _connect(ray, address: str) -> None:
    for attempt in range(_CONNECT_ATTEMPTS):
        try:
            # ERROR: Ray Client's notices (a SIGTERM handler not set off the main thread) are not the user's business.
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False)
            return
        except ConnectionAbortedError:
            # the head's proxy could not start this client's server process (seen on fresh clusters): again
            ray.shutdown()
            if attempt + 1 == _CONNECT_ATTEMPTS:
                raise RayUnavailable(f"the Ray cluster at {address} could not start a Ray Client server for this run "
                                     f"({_CONNECT_ATTEMPTS} tries): see ray_client_server.err in the head's logs") from None
            time.sleep(2)
        except Exception as exc:  # noqa: BLE001 - Ray raises many kinds; the message says what failed
            reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
            raise RayUnavailable(f"cannot connect to the Ray cluster at {address}: {reason}") from None


def _drive(cwd: str, workers: int | None, group: str, inputs: list[str], out_dir: str, options: RunOptions, stages) -> RunResult:
    """The driver task: a :class:`RayExecutor` run inside the cluster (Ray is already connected there),
    from the client's working directory so that relative paths name the same files."""
    from .ray_executor import RayExecutor

    if any(not Path(p).is_absolute() and "://" not in p for p in [*inputs, out_dir]):
        try:
            os.chdir(cwd)
        except OSError:
            raise RayUnavailable(f"the working directory {cwd} is not on the cluster's head node: give absolute paths the cluster can read") from None
    return RayExecutor(workers=workers, group=group).run(inputs, Path(out_dir), options, stages.put_nowait)
