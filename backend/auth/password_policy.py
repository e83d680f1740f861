"""What a new password must be: long enough, and not one that attackers try first."""

from __future__ import annotations

from zxcvbn import zxcvbn

MIN_LENGTH = 10
# zxcvbn scores 0-4; 0 and 1 are passwords found in leaked-password lists or guessed in well
# under a million tries (password, 12345678, qwertyuiop, monkey12345).
MIN_SCORE = 2
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; anything longer is long enough


def password_problem(password: str, *user_inputs: str | None) -> str | None:
    """Why this password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"password must be at least {MIN_LENGTH} characters"
    if len(password) > ZXCVBN_MAX_LENGTH:
        return None
    result = zxcvbn(password, user_inputs=[u for u in user_inputs if u])
    if result["score"] < MIN_SCORE:
        hint = result["feedback"].get("warning") or "it is too easy to guess"
        return f"password is too common or easy to guess ({hint.rstrip('.')}); choose a longer, less usual one"
    return None
