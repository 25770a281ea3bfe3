"""The `kotacerdas` command: demo, serve, manage."""

from __future__ import annotations

import os
import sys

import click

EPILOG_DEMO = "Example:\n\n    kotacerdas demo --port 8000"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """kotacerdas: the platform of Indonesia's Gerakan Menuju Smart City.

    Example: kotacerdas demo
    """


KEEP_ALIVE_SECONDS = 75  # longer than a reverse proxy's idle keep-alive (nginx upstream: 60 s)


def _serve(
    host: str, port: int, workers: int, reload: bool = False, keep_alive: int = KEEP_ALIVE_SECONDS
) -> None:
    """uvicorn with an idle keep-alive longer than its 5 s default: a proxy or browser that reuses a
    connection just as the server closes it gets a reset instead of an answer (the likely cause of the rare
    errors of the first PostgreSQL soak, docs/performance.md); the side that reuses connections must time
    out first."""
    import uvicorn

    uvicorn.run(
        "kotacerdas.asgi:application",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_level="info",
        proxy_headers=True,
        timeout_keep_alive=keep_alive,
    )


@main.command(epilog=EPILOG_DEMO)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="prepare the database and print the logins, then stop")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Migrate, seed the demo data and serve the web app on an embedded SQLite database."""
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_demo")
    click.echo(f"\nkotacerdas is at http://{host}:{port}/  (API docs: http://{host}:{port}/api/docs)")
    if not no_serve:
        import threading

        threading.Thread(target=run_worker, args=(2.0,), daemon=True, name="kotacerdas-worker").start()
        from kotacerdas.devices.demo import run_simulator

        stop = threading.Event()
        threading.Thread(target=run_simulator, args=(stop,), daemon=True, name="kotacerdas-simulator").start()
        click.echo(
            f"Live river gauges of Luwu Utara: http://{host}:{port}/operations/ "
            "(a simulated flash flood every 30 minutes)"
        )
        _serve(host, port, workers=1)


@main.command(epilog="Example:\n\n    kotacerdas serve --host 0.0.0.0 --port 8000 --workers 4")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, help="uvicorn worker processes")
@click.option("--reload", is_flag=True, help="restart on code changes (development)")
@click.option(
    "--keep-alive",
    default=KEEP_ALIVE_SECONDS,
    show_default=True,
    type=click.IntRange(1, 3600),
    envvar="KOTACERDAS_KEEP_ALIVE",
    help="seconds an idle connection stays open, above the reverse proxy's (or KOTACERDAS_KEEP_ALIVE)",
)
def serve(host: str, port: int, workers: int, reload: bool, keep_alive: int) -> None:
    """Serve the web app, /api/ and /ngsi-ld/v1/ over ASGI."""
    _django()
    _serve(host, port, workers, reload, keep_alive)


def run_worker(interval: float, once: bool = False) -> None:
    """The background worker loop: build waiting documents, send NGSI-LD notifications from the outbox,
    queue periodic (timeInterval) notifications, mark silent devices unavailable, apply staleness rules,
    escalate unacknowledged alerts, deliver alert notifications; once an hour drop old history, compute
    the KPIs bound to live data and send the weekly monitoring digest when a week has passed."""
    import time

    from django.conf import settings

    from kotacerdas.alerts import delivery as alert_delivery
    from kotacerdas.alerts.evaluate import check_stale
    from kotacerdas.alerts.services import escalate_due
    from kotacerdas.context.partitions import prune
    from kotacerdas.context.subscriptions import deliver_due, enqueue_intervals
    from kotacerdas.devices.ingest import mark_silent
    from kotacerdas.indicators.compute import compute_due
    from kotacerdas.masterplan.documents import build_pending
    from kotacerdas.monitoring.services import digest_due

    last_prune = 0.0
    while True:
        try:
            build_pending()
            enqueue_intervals()
            deliver_due()
            mark_silent()
            check_stale()
            escalate_due()
            alert_delivery.deliver_due()
            if time.monotonic() - last_prune > 3600:
                prune(settings.NGSI_LD_RETENTION_MONTHS)
                compute_due()
                digest_due()
                last_prune = time.monotonic()
        except Exception:  # keep the worker alive; the failure is logged with its traceback
            import logging

            logging.getLogger("kotacerdas.worker").exception("worker pass failed")
        if once:
            return
        time.sleep(interval)


@main.command(epilog="Example:\n\n    kotacerdas worker --interval 2")
@click.option("--interval", default=2.0, show_default=True, help="seconds between passes")
@click.option("--once", is_flag=True, help="one pass, then stop")
def worker(interval: float, once: bool) -> None:
    """Run background tasks from the database queues (documents, NGSI-LD notifications, retention)."""
    _django()
    run_worker(interval, once)


@main.command(epilog="Example:\n\n    kotacerdas stream --broker mqtt://127.0.0.1:1883")
@click.option("--broker", default="mqtt://127.0.0.1:1883", show_default=True, help="mqtt:// or mqtts:// URL")
@click.option(
    "--username", default=None, envvar="KOTACERDAS_MQTT_USERNAME", help="or KOTACERDAS_MQTT_USERNAME"
)
@click.option(
    "--password", default=None, envvar="KOTACERDAS_MQTT_PASSWORD", help="or KOTACERDAS_MQTT_PASSWORD"
)
@click.option("--tls", is_flag=True, help="TLS (implied by mqtts://)")
@click.option("--ca-file", default=None, help="CA certificate bundle for TLS")
@click.option(
    "--client-id", default=None, help="stable per worker (persistent session); default from the host name"
)
@click.option("--no-share", is_flag=True, help="subscribe without $share (a single worker)")
@click.option(
    "--partition",
    default=None,
    metavar="I/N",
    help="be worker I of N, each owning a share of the devices (keeps a device's readings in order)",
)
@click.option(
    "--share-group", default="kotacerdas", show_default=True, help="the $share group of the workers"
)
@click.option(
    "--session-expiry",
    default=86_400,
    show_default=True,
    type=int,
    help="seconds the broker keeps the session",
)
@click.option(
    "--retire", is_flag=True, help="end this client id's session at the broker (a worker taken out for good)"
)
@click.option("--batch-size", default=500, show_default=True, type=int)
@click.option(
    "--metrics-port", default=None, type=int, help="serve this worker's Prometheus metrics on 127.0.0.1:PORT"
)
def stream(
    broker: str,
    username: str | None,
    password: str | None,
    tls: bool,
    ca_file: str | None,
    client_id: str | None,
    no_share: bool,
    partition: str | None,
    share_group: str,
    session_expiry: int,
    retire: bool,
    batch_size: int,
    metrics_port: int | None,
) -> None:
    """Consume device messages from an MQTT broker (QoS 1, persistent session, acknowledged after commit)."""
    import signal
    import socket

    _django()
    from kotacerdas.devices.stream import Stream, parse_broker, parse_partition

    try:
        owned = parse_partition(partition) if partition else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--partition") from exc
    config = parse_broker(
        broker,
        username=username,
        password=password,
        tls=tls,
        ca_file=ca_file,
        client_id=client_id or f"kotacerdas-stream-{socket.gethostname()}",
        shared_group=None if no_share else share_group,  # a partition subscribes without it (topics())
        session_expiry=session_expiry,
        partition=owned,
    )
    consumer = Stream(config, batch_size=batch_size)
    if retire:
        consumer.retire()
        return
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
    signal.signal(signal.SIGTERM, lambda *_: consumer.stop.set())
    signal.signal(signal.SIGINT, lambda *_: consumer.stop.set())
    consumer.run()


@main.command(epilog="Example:\n\n    kotacerdas evaluate --year 2025 --take-live-values")
@click.option("--year", type=int, required=True, help="the evaluation year")
@click.option("--take-live-values", is_flag=True, help="first store the year's KPIs computed from live data")
def evaluate(year: int, take_live_values: bool) -> None:
    """Compute (or recompute) the evaluation index of a year for every region with data."""
    _django()
    from kotacerdas.indicators.values import take_live_values as take
    from kotacerdas.monitoring.evaluation import compute_year

    if take_live_values:
        click.echo(f"{take(year)} indicator values taken from live data")
    rows = compute_year(year)
    scored = sum(1 for r in rows if r.score is not None)
    click.echo(f"{len(rows)} regions evaluated for {year}, {scored} with a score")


@main.command(epilog="Example:\n\n    kotacerdas digest")
def digest() -> None:
    """Send the monitoring digest now: late and unreported initiatives to each region's officers, the
    totals to national admins (the worker sends it weekly by itself)."""
    _django()
    from kotacerdas.monitoring.services import weekly_digest

    counts = weekly_digest()
    click.echo(f"{sum(counts.values())} flagged initiatives in {len(counts)} regions")


@main.command(epilog="Example:\n\n    kotacerdas backup /var/backups/kotacerdas-2026-11-23.tar")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup(path: str) -> None:
    """Write the database and the uploaded files to one archive, while the platform runs."""
    _django()
    from pathlib import Path

    from kotacerdas.core.backup import BackupError
    from kotacerdas.core.backup import backup as write

    try:
        manifest = write(Path(path))
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest.tables.values())
    click.echo(
        f"{path}: {manifest.engine}, {len(manifest.tables)} tables, {rows} rows, {manifest.media_files} files"
    )


@main.command(epilog="Example:\n\n    kotacerdas restore /var/backups/kotacerdas-2026-11-23.tar")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="overwrite a database that is not empty (and its media folder)")
def restore(path: str, replace: bool) -> None:
    """Restore an archive of `kotacerdas backup` into the configured (empty) database and media folder."""
    _django()
    from pathlib import Path

    from kotacerdas.core.backup import BackupError
    from kotacerdas.core.backup import restore as read

    try:
        manifest = read(Path(path), replace=replace)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored {len(manifest.tables)} tables and {manifest.media_files} files from {path}")


@main.command(
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    epilog="Examples:\n\n    kotacerdas manage migrate\n\n    kotacerdas manage import_regions"
    "\n\n    kotacerdas manage create_api_token admin",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (migrate, createsuperuser, import_regions, seed_demo, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kotacerdas manage", *args])


if __name__ == "__main__":
    sys.exit(main())
