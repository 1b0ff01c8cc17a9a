"""Flask commands: database upgrade, demo data, admin accounts, the scheduler, mail."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app

from app.db import db, utcnow

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(url: str | None = None) -> Config:
    """Alembic settings for `url` (default: the app's database); alembic loads only when asked."""
    from alembic.config import Config

    root = Path(__file__).resolve().parent.parent
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or current_app.config["DATABASE_URL"]).replace("%", "%%"))
    return cfg


def upgrade_database(url: str | None = None) -> None:
    """Bring the database at `url` (default: the app's) to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")


def register_cli(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Upgrade the database to the newest migration."""
        upgrade_database()
        click.echo("Database is up to date.")

    @app.cli.command("demo")
    def demo() -> None:
        """Create the demo organisation once (safe to run again) and print its logins."""
        from app.demo import DEMO_PASSWORD, DEMO_SECOND_FACTOR, DEMO_TOTP_SECRET, seed_demo

        accounts = seed_demo(utcnow())
        db.session.commit()
        click.echo("\nWerkzaam is ready at " + current_app.config["BASE_URL"])
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for role, email in accounts:
            marker = "  + second factor" if email.split("@")[0] in DEMO_SECOND_FACTOR else ""
            click.echo(f"  {role:<16} {email}{marker}")
        click.echo(f"Second factor: add the key {DEMO_TOTP_SECRET} to an authenticator app, or run")
        click.echo("  .venv/bin/flask --app run demo-code   (prints the current six-digit code)")
        click.echo("")

    @app.cli.command("demo-code")
    def demo_code() -> None:
        """Print the current second-factor code of the demo's coach, team lead, admin and privacy officer."""
        from app.auth.second_factor import STEP_SECONDS, code_at, step_of
        from app.demo import DEMO_TOTP_SECRET

        now = utcnow()
        left = STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS
        click.echo(f"{code_at(DEMO_TOTP_SECRET, step_of(now))}  (valid for {left} more seconds; "
                   "each code works once per account)")

    @app.cli.command("demo-data")
    @click.option("--name", default="Jeugdhulp Groot", show_default=True)
    @click.option("--teams", default=50, show_default=True)
    @click.option("--practitioners", default=20, show_default=True, help="per team")
    @click.option("--months", default=36, show_default=True)
    @click.option("--password", default=None, help="default: the demo password of `flask demo`")
    def demo_data(name: str, teams: int, practitioners: int, months: int, password: str | None) -> None:
        """Create an organisation of any size with months of realistic practice logs."""
        import time

        from app.demo import DEMO_PASSWORD
        from app.demo_data import build_organisation

        started = time.perf_counter()
        counts = build_organisation(name, teams, practitioners, months, password or DEMO_PASSWORD, utcnow())
        db.session.commit()
        took = time.perf_counter() - started
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()) + f" in {took:.1f} s")

    @app.cli.command("create-admin")
    @click.option("--organisation", required=True)
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    def create_admin(organisation: str, email: str, name: str) -> None:
        """Create an organisation's first admin and mail them an invitation."""
        from flask_babel import force_locale

        from app.demo import create_first_admin
        from app.services import ServiceError
        from app.teams.forms import FirstAdminForm

        with force_locale("en"):  # the commands speak English, like the rest of their output
            form = FirstAdminForm(data={"organisation": organisation, "email": email, "name": name})
            if not form.validate():
                problems = [f"--{field}: {' '.join(map(str, errs))}" for field, errs in form.errors.items()]
                raise click.ClickException("\n".join(problems))
            try:
                user, link = create_first_admin(organisation, email.strip(), name, utcnow())
            except ServiceError as exc:
                db.session.rollback()
                where = f"--{exc.field}: " if exc.field else ""
                raise click.ClickException(where + exc.message) from exc
        db.session.commit()
        click.echo(f"Invitation queued for {user.email}: {link}")

    @app.cli.command("send-mail")
    def send_mail() -> None:
        """Send what is due in the e-mail outbox now (the scheduler does this every minute)."""
        from app.mail.jobs import send_outbox
        from app.scheduler import run_job

        click.echo(run_job(current_app._get_current_object(), send_outbox))  # type: ignore[attr-defined]

    @app.cli.command("scheduler")
    def scheduler() -> None:
        """Run the one scheduler process (a second copy exits)."""
        import logging

        from app.scheduler import LeaderLock, build_scheduler

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        flask_app = current_app._get_current_object()  # type: ignore[attr-defined]
        lock = LeaderLock(flask_app)
        if not lock.acquire():
            click.echo("Another scheduler process is already running; this one exits.", err=True)
            sys.exit(3)
        click.echo("Scheduler started (Europe/Amsterdam).")
        jobs = build_scheduler(flask_app)

        def _stop(_signum: int, _frame: object) -> None:
            # SIGTERM (process managers, `make run`) stops like Ctrl-C: finish the running job first.
            raise SystemExit(0)

        signal.signal(signal.SIGTERM, _stop)
        try:
            jobs.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if jobs.running:
                jobs.shutdown(wait=True)
            lock.release()
            click.echo("Scheduler stopped.")
