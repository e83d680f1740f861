"""Admin commands that work on the database directly: migrate, users, projects, API keys."""

from __future__ import annotations

import argparse

from backend.core.errors import DomainError


class CommandError(Exception):
    pass


def cmd_migrate(args: argparse.Namespace) -> int:
    from backend.core import migrate

    migrate.upgrade()
    print("database is up to date")
    return 0


def cmd_users_create(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from backend.auth.schemas import SignUp
    from backend.auth.service import create_user
    from backend.core.db import session_scope

    try:
        body = SignUp(username=args.username, password=args.password, email=args.email)
    except ValidationError as e:
        raise CommandError("; ".join(err["msg"] for err in e.errors())) from None
    try:
        with session_scope() as s:
            user = create_user(s, body.username, body.password, body.email)
            user_id = user.id
    except DomainError as e:
        raise CommandError(e.message) from None
    print(user_id)
    return 0


def cmd_projects_create(args: argparse.Namespace) -> int:
    from backend.auth.repository import find_user
    from backend.core.db import session_scope
    from backend.project.schemas import ProjectCreate
    from backend.project.service import create_project

    name = ProjectCreate(name=args.name).name
    with session_scope() as s:
        owner = find_user(s, args.owner)
        if owner is None:
            raise CommandError(f"no user named '{args.owner}'")
        project = create_project(s, owner, name)
        s.flush()
        project_id = project.id
    print(project_id)
    return 0


def cmd_apikeys_create(args: argparse.Namespace) -> int:
    from backend.apikey.service import create_key
    from backend.core.db import session_scope
    from backend.models.project import Project

    with session_scope() as s:
        project = s.get(Project, args.project)
        if project is None:
            raise CommandError(f"no project with id {args.project}")
        _, raw = create_key(s, project, args.role, args.name, edge_impulse=args.edge_impulse)
    print(raw)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="upgrade the database to the latest schema")
    p.set_defaults(func=cmd_migrate)

    users = sub.add_parser("users", help="manage accounts").add_subparsers(dest="action", required=True)
    p = users.add_parser("create", help="create an account; prints its id")
    p.add_argument("--username", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--email")
    p.set_defaults(func=cmd_users_create)

    projects = sub.add_parser("projects", help="manage projects").add_subparsers(dest="action", required=True)
    p = projects.add_parser("create", help="create a project; prints only its id")
    p.add_argument("--owner", required=True, help="username of the owner")
    p.add_argument("--name", required=True)
    p.set_defaults(func=cmd_projects_create)

    keys = sub.add_parser("apikeys", help="manage project API keys").add_subparsers(dest="action", required=True)
    p = keys.add_parser("create", help="create a project API key; prints only the key")
    p.add_argument("--project", required=True, type=int)
    p.add_argument("--role", required=True, choices=["admin", "readonly", "ingestiononly"])
    p.add_argument("--name", default="")
    p.add_argument(
        "--edge-impulse",
        action="store_true",
        help="print the key as ei_... (Edge Impulse's CLI accepts only that form)",
    )
    p.set_defaults(func=cmd_apikeys_create)
