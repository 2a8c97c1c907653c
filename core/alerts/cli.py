"""``bekwaam alerts run [--as-of DATE] [--dry-run]`` and ``bekwaam scheduler``.

The scheduler is its own process: never start it inside the web app or its
workers (see docs/alerts.md).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import signal

import click
from flask import current_app
from flask.cli import with_appcontext

log = logging.getLogger(__name__)
RETRY_MINUTES = 15


@click.group("alerts")
def alerts():
    """Collect and deliver expiry alerts."""


@alerts.command("run")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="the day to run for (YYYY-MM-DD); default today in BEKWAAM_TIMEZONE")
@click.option("--dry-run", is_flag=True, help="show what would be stored and sent; store and send nothing")
@with_appcontext
def alerts_run(as_of, dry_run):
    """Run the alert job once, by hand, for one day.

    Collects the day's events even when the scheduler already did (a key is
    stored only once, so this only adds what is new) and delivers what is due.
    """
    from core.alerts import services

    day = as_of.date() if as_of else services.local_today()
    if dry_run:
        from core.alerts.preview import preview

        planned = preview(day)
        for item in planned:
            event = item["event"]
            subject = f"staff {event.staff_id}" if event.staff_id is not None else f"device type {event.device_type_id}"
            horizon = f", {event.horizon_days} d" if event.horizon_days is not None else ""
            click.echo(f"{event.due_on}  {event.kind}  {subject}{horizon}: {event.message}  -> "
                       f"{', '.join(item['to']) or 'in-app only'}")
        click.echo(f"Dry run as of {day.isoformat()}: {len(planned)} new alert(s), "
                   f"{sum(len(i['to']) for i in planned)} message(s) would be sent; nothing was stored or sent.")
        return
    started = _now()
    result = services.run_day(day, manual=True)
    log.info(run_line(result, started, trigger="manual"))
    click.echo(f"Alerts as of {result['as_of']}: {result['created']} new, "
               f"{result['delivered']} message(s) delivered, {result['failed']} failed (retried later).")


@click.command("scheduler")
@with_appcontext
def scheduler():
    """The one long-running scheduler process (daily alert run, catch-up, retries)."""
    run_scheduler(current_app._get_current_object())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def run_line(result: dict, started: dt.datetime, trigger: str) -> str:
    """One structured line per run (key=value, grep- and log-shipper-friendly)."""
    fields = {
        "event": "alert_run", "trigger": trigger,
        "started": started.isoformat(timespec="seconds"),
        "as_of": result.get("as_of"), "events": result.get("created", 0),
        "deliveries": result.get("delivered", 0), "failures": result.get("failed", 0),
        "seconds": round((_now() - started).total_seconds(), 3),
    }
    if "error" in result:
        fields["error"] = json.dumps(result["error"])
    return " ".join(f"{key}={'-' if value is None else value}" for key, value in fields.items())


def _log_to_stderr() -> None:
    # The scheduler is a long-running process of its own: without a handler its
    # INFO lines would go nowhere (Python's last-resort handler shows WARNING+).
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


def run_scheduler(app) -> None:
    _log_to_stderr()
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from core.alerts import services

    zone = app.config.get("BEKWAAM_TIMEZONE") or "Europe/Amsterdam"
    trigger = CronTrigger.from_crontab(app.config.get("BEKWAAM_SCHEDULE") or "0 6 * * *", timezone=zone)

    def daily():
        started = _now()
        with app.app_context():
            try:
                results = services.run_due_days(trigger)
            except Exception as exc:  # noqa: BLE001 - logged in the same one-line shape; the next run retries
                log.error(run_line({"error": f"{exc.__class__.__name__}: {exc}"}, started, trigger="schedule"))
                return
            for result in results:
                log.info(run_line(result, started, trigger="schedule"))

    def retries():
        started = _now()
        with app.app_context():
            log.info(run_line(services.deliver_pending(), started, trigger="retry"))

    daily()  # catch up every day missed while no scheduler ran
    jobs = BlockingScheduler(timezone=zone)
    jobs.add_job(daily, trigger, id="bekwaam-alerts", coalesce=True, misfire_grace_time=3600, max_instances=1)
    jobs.add_job(retries, IntervalTrigger(minutes=RETRY_MINUTES, timezone=zone), id="bekwaam-alert-retries",
                 coalesce=True, misfire_grace_time=RETRY_MINUTES * 60, max_instances=1)
    signal.signal(signal.SIGTERM, lambda *_: jobs.shutdown(wait=False))
    click.echo(f"Scheduler running: alerts at '{trigger}' ({zone}), retries every {RETRY_MINUTES} min.")
    jobs.start()
