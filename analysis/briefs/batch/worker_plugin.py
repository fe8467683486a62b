"""A Dask worker's warm kernel ends with the worker, through dask.distributed's own hook.

A worker's brief service (:mod:`.cluster`) keeps one warm kernel, a child process of the
worker, between briefs and between batches: starting it costs more than a brief. Nothing of
Dask's knows about it, so when the worker closed (its LocalCluster closed, the worker retired
or restarted by its nanny) the kernel was left behind, to end by itself (ipykernel's parent
poller) without its manager's cleanup, or to hang while it exits. The batch's client
registers this plugin on the cluster (once: a later batch finds it registered and keeps the
kernels warm); every worker, including one that joins later, runs its ``teardown`` while it
closes, which shuts the kernel down before the worker's process exits.
"""

from __future__ import annotations

import asyncio
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

#: The name the plugin is registered under on a cluster (one registration serves every batch).
NAME = "analysis-briefs-warm-kernel"


class WarmKernelPlugin(WorkerPlugin):
    """On a closing worker: its brief service and warm kernel go."""

    idempotent = True  # registered again by each batch: the existing one (and its kernels) stay
    name = NAME

    def teardown(self, worker: Any) -> Any:
        from .cluster import close_service

        # Off the worker's event loop: the kernel is shut down from the thread that owns it.
        return asyncio.to_thread(close_service)
