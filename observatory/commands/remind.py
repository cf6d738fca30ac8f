"""`observatory remind [--dry-run] [--today YYYY-MM-DD]`: e-mail partners about returns coming
due and returns missing (never any figure); see :mod:`indicators.reminders`."""

from __future__ import annotations

import argparse
from datetime import date

from indicators.local_time import today as local_today
from indicators.reminders import published_states, send_reminders
from indicators.settings import load_settings


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    today = date.fromisoformat(args.today) if args.today else local_today()
    try:
        results = send_reminders(settings.data_dir, today,
                                 published_states(settings.serving_dir), dry_run=args.dry_run)
    except ValueError as error:
        print(f"erro / error: {error}")
        return 2
    for reminder, status in results:
        print(f"{status}\t{reminder.partner}\t{reminder.kind}\t{reminder.return_type}\t"
              f"{reminder.period}\t{reminder.due}")
    if not results:
        print("nenhum lembrete / no reminder (partners without OBS_PARTNER_CONTACTS get none)")
    return 1 if any(status == "failed" for _, status in results) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "remind", help="lembretes por e-mail aos parceiros / e-mail partners about due and "
                       "missing returns (needs OBS_SMTP_HOST and OBS_PARTNER_CONTACTS)")
    parser.add_argument("--dry-run", action="store_true", help="list, send nothing")
    parser.add_argument("--today", default=None, help="YYYY-MM-DD (default: today, UTC)")
    parser.set_defaults(func=run)
