"""A report and its charts put into a result folder whole, or not at all.

The charts are drawn into a hidden folder beside their own (``.charts.partial``) and the page into
``.report.html.partial``; only when both are written are they renamed into place. A full disk then leaves the
report and charts that were there (the user is told, exit status 1), never some charts and an SVG cut off; a folder
the user may not write in is their mistake (exit status 2).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..core.errors import InputError, RunFailed
from ..results.outdir import not_charts

_REFUSED = (errno.EACCES, errno.EPERM, errno.EROFS)
"""Why writing fails where the user chose a folder they cannot write in, rather than the disk failing."""


def publish(folder: Path, report: str, chart_folder: str, page: Callable[[Path], str]) -> Path:
    """Write ``folder/report`` from ``page(charts)``, which draws its charts into the folder it is given; put those in
    ``folder/chart_folder`` (replacing what was there) with the report. Return the report's path."""
    charts, partial = folder / f".{chart_folder}.partial", folder / f".{report}.partial"
    theirs = not_charts(folder, [folder / chart_folder, charts])  # both are replaced whole: never with the user's files
    if theirs:
        raise InputError(
            f"{folder}: {', '.join(theirs[:3])}{', ...' if len(theirs) > 3 else ''} is not a chart secsim wrote; move it "
            "out, and the report can replace its charts (nothing was written)"
        )
    try:
        shutil.rmtree(charts, ignore_errors=True)  # a killed report's
        charts.mkdir()
        partial.write_text(page(charts), encoding="utf-8")
        final = folder / chart_folder
        if final.is_dir():
            shutil.rmtree(final)
        charts.rename(final)
        os.replace(partial, folder / report)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        shutil.rmtree(charts, ignore_errors=True)
        if not isinstance(exc, OSError):
            raise
        why = exc.strerror or exc.__class__.__name__
        if exc.errno in _REFUSED:
            raise InputError(f"{folder}: cannot write the report there ({why})") from None
        raise RunFailed(f"{folder}: cannot write the report there ({why}); nothing of it was written") from None
    return folder / report
