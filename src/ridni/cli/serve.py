"""`ridni serve`: the web app on the configured database."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from ridni.cli.context import opened_database
from ridni.cli.output import out
from ridni.errors import ConfigurationError

if TYPE_CHECKING:  # the server and the web app load when a command starts serving
    import uvicorn

    from ridni.settings import Settings
    from ridni.storage.engine import Database
    from ridni.tracing.registry_index import RegistryIndex

HOST_HELP = "Address to listen on (default: RIDNI_HOST, 127.0.0.1)."
PORT_HELP = "Port to listen on (default: RIDNI_PORT, 8000)."


def check_port_free(host: str, port: int) -> None:
    """Fail with a clear line now rather than with uvicorn's log lines after start-up."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise ConfigurationError(
            f"cannot listen on {host!r}: not a known address of this machine",
            "use e.g. --host 127.0.0.1",
        ) from None
    family, _type, _proto, _name, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ConfigurationError(
                    f"port {port} on {host} is already in use",
                    "stop the program using it, or choose another with --port",
                ) from None
            raise ConfigurationError(
                f"cannot listen on {host}:{port}: {exc.strerror}",
                "choose another --host or --port (ports below 1024 need privileges)",
            ) from None


def serve_app(
    settings: Settings,
    db: Database,
    host: str,
    port: int,
    *,
    demo: bool = False,
    registry_index: RegistryIndex | None = None,
) -> None:
    check_port_free(host, port)
    import uvicorn

    from ridni.storage.engine import safe_url
    from ridni.web.app import create_app  # the web app only for commands that serve it

    app = create_app(settings, db, demo=demo, registry_index=registry_index)
    shown_host = f"[{host}]" if ":" in host else host
    # No access log: request lines carry searched names, and logs are not for personal data.
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level,
        access_log=False,
        server_header=False,
    )

    def announce() -> None:
        out.print(
            f"Ridni is running at [bold]http://{shown_host}:{port}/[/bold]  (Ctrl+C stops it)"
        )
        out.print(f"Database: {safe_url(db.url)}", style="dim")

    _announcing(config, announce).run()


def _announcing(config: uvicorn.Config, announce: Callable[[], None]) -> uvicorn.Server:
    """A server that says the app is running once it listens, not before: whoever reads the
    line (a person, a script, the tests) may connect at once."""
    import uvicorn

    class Announcing(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                announce()

    return Announcing(config)


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str | None, typer.Option("--host", "-h", help=HOST_HELP)] = None,
        port: Annotated[
            int | None, typer.Option("--port", "-p", min=1, max=65535, help=PORT_HELP)
        ] = None,
    ) -> None:
        """Run the web app (and JSON API) on the configured database."""
        with opened_database() as (settings, db):
            serve_app(settings, db, host or settings.host, port or settings.port)
