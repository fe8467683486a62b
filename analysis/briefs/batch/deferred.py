"""Work the batch needs, but not before its briefs: run on a thread while the workers build them.

The batch's own process mostly waits for its workers once the briefs are under way, so work
that no brief reads (the summary workbook) runs then instead of before the first brief.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Deferred(Generic[T]):
    """``func(*args, **kwargs)`` on a thread of its own, then ``then(result)`` there too;
    :meth:`result` waits for both and returns the value, or raises what either raised."""

    def __init__(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> None:
        self._call = (func, args, kwargs)
        self._thread: threading.Thread | None = None
        self._value: T | None = None
        self._error: BaseException | None = None

    def start(self, then: Callable[[T], Any] = lambda value: None) -> Deferred[T]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(then,), name="batch-deferred", daemon=True)
            self._thread.start()
        return self

    def _run(self, then: Callable[[T], Any]) -> None:
        func, args, kwargs = self._call
        try:
            self._value = func(*args, **kwargs)
            then(self._value)
        except BaseException as err:  # handed to the thread that waits for the result
            self._error = err
        finally:
            self._call = (func, (), {})  # the households it was given can go

    def result(self) -> T:
        """The value (run here and now if never started)."""
        self.start()
        assert self._thread is not None
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]
