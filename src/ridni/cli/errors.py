"""Commands whose expected failures end in one clear line and an exit code, never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ridni.cli.output import report_error
from ridni.errors import Interrupted, RidniError

F = TypeVar("F", bound=Callable[..., Any])


def reporting_errors(function: F) -> F:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except RidniError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            # Ctrl-C: one line, not the traceback of wherever the command happened to be.
            stopped = Interrupted("interrupted", "nothing more was done")
            report_error(stopped)
            raise typer.Exit(stopped.exit_code) from None

    return run  # type: ignore[return-value]


class RidniTyper(typer.Typer):
    """A Typer app whose commands and callbacks all report :class:`RidniError` plainly."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().command(*args, **kwargs)

        def decorator(function: F) -> F:
            register(reporting_errors(function))
            return function

        return decorator

    def callback(self, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        register = super().callback(*args, **kwargs)

        def decorator(function: F) -> F:
            register(reporting_errors(function))
            return function

        return decorator
