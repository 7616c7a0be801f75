"""``patentq serve``: the web dashboard and its JSON API over one lake (docs/dashboard.md)."""

from __future__ import annotations

import click

from ..errors import UsageError
from .options import StageProgress, session_options


@click.command("serve")
@session_options
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. There is no login: keep 127.0.0.1 unless the network is trusted.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0 = any free port).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Comparisons computed at once, each in its own process (static files and cached answers never "
                   "wait for them).")
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=120.0, show_default=True,
              help="Seconds a request waits for a computation before answering 503 (the answer is cached when ready).")
def serve_command(session, host, port, quiet, workers, time_limit):
    """Serve the dashboard (count vs quality with intervals, charts, family lookup) and a read-only
    JSON API for the lake, until Ctrl-C. Stale or missing derived tables are built first."""
    from ..web.app import loopback_hosts, make_server

    lake_path = session.lake.path
    with StageProgress() as progress:  # build before serving: requests then only read
        session.require("families", "applicant_groups", "family_indicators", progress=progress)
    if loopback_hosts(host) is None:
        click.secho(f"warning: listening on {host}: anyone who can reach it can read this lake's figures "
                    "(there is no login)", fg="yellow", err=True)
    try:
        server = make_server(session, host, port, quiet=quiet, workers=workers, time_limit=time_limit)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="choose another --port (0 picks a free one) or stop the program using it") from None
    url_host = f"[{host}]" if ":" in host else host
    click.echo(f"patentq dashboard for lake {lake_path} (manifest {server.get_app().api.manifest_hash()})")
    click.echo(f"  http://{url_host}:{server.server_port}/   (JSON API under /api/; Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        server.server_close()


def register(main):
    main.add_command(serve_command)
