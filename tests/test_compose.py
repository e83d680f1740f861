"""docker-compose.yml cannot run here (no Docker engine), so it is kept correct by reading it: its
commands are real `tinyforge` commands, its environment names are real settings, and the services
depend on each other in the right order. The tests start the same processes without Docker."""

import re

import yaml
from testkit import ROOT

from backend.cli.main import build_parser
from backend.core.config import Settings

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
SETTING_NAMES = {f.alias for f in Settings.model_fields.values() if f.alias}


def _tinyforge_services():
    return {name: svc for name, svc in SERVICES.items() if svc.get("image") == "tinyforge:latest"}


def test_every_tinyforge_service_runs_a_real_cli_command():
    services = _tinyforge_services()
    assert set(services) == {"migrate", "api", "worker", "interactive"}
    for name, svc in services.items():
        cmd = svc["command"]
        assert cmd[0] == "tinyforge", name
        build_parser().parse_args(cmd[1:])  # exits (fails the test) on an unknown command or flag


def test_environment_names_are_settings_the_code_reads():
    for name, svc in _tinyforge_services().items():
        unknown = set(svc["environment"]) - SETTING_NAMES
        assert not unknown, f"{name}: {unknown}"


def test_the_api_listens_on_the_published_port():
    api = SERVICES["api"]
    args = build_parser().parse_args(api["command"][1:])
    assert any(p.endswith(f":{args.port}") for p in api["ports"])


def test_services_start_in_order_and_workers_can_scale():
    assert "healthcheck" in SERVICES["db"] and "healthcheck" in SERVICES["redis"]
    assert SERVICES["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("api", "worker", "interactive"):
        assert SERVICES[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    worker = SERVICES["worker"]
    assert "ports" not in worker and "container_name" not in worker


def test_workers_cover_both_queues():
    queues = set()
    for name in ("worker", "interactive"):
        args = build_parser().parse_args(SERVICES[name]["command"][1:])
        queues |= set(args.queues.split(","))
    assert queues == {"jobs", "interactive"}


def test_database_and_broker_urls_point_at_the_compose_services():
    env = SERVICES["api"]["environment"]
    assert re.match(r"postgresql\+psycopg://[^@]+@db:5432/", env["DATABASE_URL"])
    assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379")


def test_dockerfile_default_command_is_a_real_cli_command():
    cmd = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.M).group(1)
    args = yaml.safe_load(cmd)
    assert args[0] == "tinyforge"
    build_parser().parse_args(args[1:])
