"""``python -m analysis reports``: the command line's options turned into a batch request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...measures.disclosure import DEFAULT_THRESHOLD
from .run import DEFAULT_KERNEL_TIMEOUT, BatchRequest, run_batch


def run_command(args: Any) -> int:
    """0 when every brief was built, 1 otherwise; prints the index's path."""
    from .. import render

    request = BatchRequest(
        data=tuple(args.data) if args.data else None,
        year=args.year,
        districts=tuple(args.district) if args.district else None,
        communes=tuple(args.commune) if getattr(args, "commune", None) else None,
        division=getattr(args, "division", None),
        formats=render.parse_formats(args.formats),
        lang=args.lang,
        jobs=args.jobs,
        out=Path(args.out),
        standard=args.standard,
        targets=args.targets,
        sheet=args.sheet,
        kernel_timeout=getattr(args, "kernel_timeout", DEFAULT_KERNEL_TIMEOUT),
        scheduler=getattr(args, "scheduler", None),
        collect=bool(getattr(args, "collect", False)),
        threshold=getattr(args, "threshold", DEFAULT_THRESHOLD),
        province=getattr(args, "province", None),
    )
    result = run_batch(request)
    print(result.index)
    return 1 if result.failures else 0
