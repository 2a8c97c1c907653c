"""``bekwaam alerts run [--as-of DATE]`` and ``bekwaam scheduler`` (SPEC 8.1).

The scheduler is its own process: never start it inside the web app or its
workers (see docs/alerts.md).
"""
from __future__ import annotations

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
@with_appcontext
def alerts_run(as_of):
    """Run the alert job once, by hand, for one day.

    Collects the day's events even when the scheduler already did (a key is
    stored only once, so this only adds what is new) and delivers what is due.
    """
    from core.alerts import services

    day = as_of.date() if as_of else services.local_today()
    result = services.run_day(day, manual=True)
    click.echo(f"Alerts as of {result['as_of']}: {result['created']} new, "
               f"{result['delivered']} message(s) delivered, {result['failed']} failed (retried later).")


@click.command("scheduler")
@with_appcontext
def scheduler():
    """The one long-running scheduler process (daily alert run, catch-up, retries)."""
    run_scheduler(current_app._get_current_object())


def run_scheduler(app) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    from core.alerts import services

    zone = app.config.get("BEKWAAM_TIMEZONE") or "Europe/Amsterdam"
    trigger = CronTrigger.from_crontab(app.config.get("BEKWAAM_SCHEDULE") or "0 6 * * *", timezone=zone)

    def daily():
        with app.app_context():
            for result in services.run_due_days(trigger):
                log.info("alert run: %s", result)

    def retries():
        with app.app_context():
            log.info("alert retries: %s", services.deliver_pending())

    daily()  # catch up every day missed while no scheduler ran
    jobs = BlockingScheduler(timezone=zone)
    jobs.add_job(daily, trigger, id="bekwaam-alerts", coalesce=True, misfire_grace_time=3600, max_instances=1)
    jobs.add_job(retries, IntervalTrigger(minutes=RETRY_MINUTES, timezone=zone), id="bekwaam-alert-retries",
                 coalesce=True, misfire_grace_time=RETRY_MINUTES * 60, max_instances=1)
    signal.signal(signal.SIGTERM, lambda *_: jobs.shutdown(wait=False))
    click.echo(f"Scheduler running: alerts at '{trigger}' ({zone}), retries every {RETRY_MINUTES} min.")
    jobs.start()
