"""papermill on a warm kernel: an engine that runs notebooks through an already-connected client.

papermill passes ``km=`` to nbclient, which keeps a kernel it does not own alive; this engine
also hands nbclient the worker's client (``warm_kc=``), so starting a notebook costs no
connection handshake. It subclasses papermill's and nbclient's internals, so their versions
are pinned in ``pyproject.toml`` and a contract test runs it.
"""

from __future__ import annotations

from typing import Any

ENGINE_NAME = "brief-warm-kernel"


def warm_engine() -> type:
    """The engine class (built on first use: papermill is imported only in workers)."""
    from jupyter_core.utils import run_sync
    from nbclient.util import run_hook
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine
    from papermill.utils import merge_kwargs, remove_args

    class WarmClient(PapermillNotebookClient):
        def __init__(self, nb_man: Any, warm_kc: Any = None, **kw: Any) -> None:
            super().__init__(nb_man, **kw)
            self.warm_kc = warm_kc

        async def async_start_new_kernel_client(self) -> Any:
            if self.warm_kc is None:
                return await super().async_start_new_kernel_client()
            self.kc = self.warm_kc
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False, stdout_file: Any = None,
                                     stderr_file: Any = None, start_timeout: int = 60, execution_timeout: Any = None, **kwargs: Any) -> Any:
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout, kernel_name=kernel_name,
                                 log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file)
            return WarmClient(nb_man, **final).execute()

    return WarmEngine


def register_engine() -> None:
    """Make the engine known to papermill in this process (idempotent)."""
    from papermill.engines import papermill_engines

    papermill_engines.register(ENGINE_NAME, warm_engine())
