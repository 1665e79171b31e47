"""`reactions`: serve (embedded), api (production), migrate, extract."""

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from config import Settings
from telemetry.logs import configure_logging, logging_config


def _parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="reactions", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="API and worker in one process (embedded mode)")
    api = commands.add_parser("api", help="the API alone; tasks go to Celery over Redis")
    for sub in (serve, api):
        sub.add_argument("--host", help="bind address (default REACTIONS_HOST or 127.0.0.1)")
        sub.add_argument("--port", type=int, help="port (default REACTIONS_PORT or 8000)")
    serve.add_argument("--demo", action="store_true", help="load the demo events and articles")
    api.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    api.add_argument("--no-access-log", action="store_true", help="no access log line per request")
    commands.add_parser("migrate", help="apply the database migrations")
    commands.add_parser("recompute", help="rebuild every tally, summary and person total")
    extract = commands.add_parser("extract", help="extract quotes from a JSONL file of articles")
    extract.add_argument("--input", type=Path, required=True, help="JSONL lines {id, text, title?}")
    extract.add_argument("--output", type=Path, required=True, help="JSONL output, scorer format")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the command; bad settings or input exit non-zero with a message."""
    args = _parser().parse_args(argv)
    configure_logging()
    if args.command == "extract":
        return _extract(args.input, args.output)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"reactions: invalid settings: {exc}", file=sys.stderr)
        return 2
    overrides = {k: v for k in ("host", "port") if (v := getattr(args, k, None)) is not None}
    settings = settings.model_copy(update=overrides)
    if args.command == "migrate":
        from store.migrate import upgrade

        upgrade(settings.database_url)
        return 0
    if args.command == "recompute":
        return _recompute(settings)
    if args.command == "serve":
        if not settings.embedded:
            print(
                "reactions: `serve` is the embedded mode; unset REACTIONS_REDIS_URL "
                "or run `reactions api` with Celery workers",
                file=sys.stderr,
            )
            return 2
        from reactions_cli.embedded import serve_embedded, with_admin_token

        settings, generated = with_admin_token(settings)
        if generated:
            print(
                f"reactions: admin token for this run: {generated} "
                "(set REACTIONS_ADMIN_TOKEN to choose your own)",
                file=sys.stderr,
                flush=True,
            )
        serve_embedded(settings, demo=args.demo)
        return 0
    return _api(settings, workers=args.workers, access_log=not args.no_access_log)


def _api(settings: Settings, *, workers: int, access_log: bool) -> int:
    """Run the production API under uvicorn (settings re-read from the environment per worker)."""
    import uvicorn

    from telemetry.multiproc import reset_multiprocess_dir

    if settings.embedded:
        print(
            "reactions: `api` needs REACTIONS_REDIS_URL (use `serve` for the embedded mode)",
            file=sys.stderr,
        )
        return 2
    reset_multiprocess_dir()
    uvicorn.run(
        "service.app:create_production_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=workers,
        log_config=logging_config(settings.log_level, access_log=access_log),
        # The access log is service/telemetry.py's, with the request id; uvicorn's stays off.
        access_log=False,
    )
    return 0


def _recompute(settings: Settings) -> int:
    """Rebuild all summaries from the stored reactions; with Redis, new versions are announced."""
    from store.db import session_factory, session_scope
    from taskqueue import CelerySender
    from usecases.corrections import recompute_all

    sender = CelerySender(settings.redis_url) if settings.redis_url else None
    with session_scope(session_factory(settings.database_url)) as session:
        event_count, person_count = recompute_all(session, sender=sender)
    print(f"recomputed {event_count} events and {person_count} people", file=sys.stderr)
    return 0


def _extract(input_path: Path, output_path: Path) -> int:
    """Run the extraction engine over a JSONL file."""
    from workers.extract import ExtractInputError, extract_jsonl

    try:
        count = extract_jsonl(input_path=input_path, output_path=output_path)
    except (ExtractInputError, OSError) as exc:
        print(f"reactions extract: {exc}", file=sys.stderr)
        return 2
    print(f"extracted {count} articles to {output_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
