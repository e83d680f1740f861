"""Signing up and logging in from `/` (how everyone arrives) land in the studio at the first try."""

from __future__ import annotations

import secrets

import pytest
from ui.browserkit import shot

pytestmark = pytest.mark.services


def test_sign_up_log_out_and_log_in_from_the_root_land_on_the_projects_page(studio):
    context, _ = studio
    page = context.new_page()
    username = f"newcomer_{secrets.token_hex(3)}"
    page.goto("/")
    page.get_by_role("heading", name="Log in").wait_for()  # nobody is signed in: `/` asks to log in
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Your projects").wait_for()
    assert page.get_by_role("heading", name="Log in").count() == 0

    page.get_by_role("button", name=username).click()
    page.get_by_role("menuitem", name="Log out").click()
    page.get_by_role("heading", name="Log in").wait_for()
    page.goto("/")  # arrive again, as a returning person would
    page.get_by_role("heading", name="Log in").wait_for()
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your projects").wait_for()
    assert page.get_by_role("heading", name="Log in").count() == 0
    shot(page, "03-logged-in-from-root")
