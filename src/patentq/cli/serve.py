"""``patentq serve``: the web dashboard and its JSON API over one lake (docs/dashboard.md)."""

from __future__ import annotations

import click

from ..errors import UsageError
from ..lake import Lake
from .options import lake_option


@click.command("serve")
@lake_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. There is no login: keep 127.0.0.1 unless the network is trusted.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port (0 = any free port).")
@click.option("--quiet", is_flag=True, help="Do not log each request.")
def serve_command(lake_path, host, port, quiet):
    """Serve the dashboard (count vs quality with intervals, charts, family lookup) and a read-only
    JSON API for the lake, until Ctrl-C."""
    from ..web.app import loopback_hosts, make_server

    Lake.open(lake_path)  # no lake: a clean error (exit 3) before binding anything
    if loopback_hosts(host) is None:
        click.secho(f"warning: listening on {host}: anyone who can reach it can read this lake's figures "
                    "(there is no login)", fg="yellow", err=True)
    try:
        server = make_server(lake_path, host, port, quiet=quiet)
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
