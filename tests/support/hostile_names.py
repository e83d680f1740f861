"""Names a user may type that break generated code unless escaped: backslashes (also at the end),
quotes, `*/` and `/*`, trigraphs (`??/` is a backslash in strict C), line breaks, tabs,
non-ASCII, a bidirectional override, template and format syntax, Markdown."""

from __future__ import annotations

import json

from support.motion_impulse import IMPULSE

NASTY = [
    "evil\\",
    'say "hi"',
    "*/ int x; /*",
    "??/",
    "??=??(??)",
    "line\nbreak\r\n",
    "tab\there",
    "ünïcødé ✓ 日本 🙂",
    "rtl \u202e override",
    "trailing \\",
    "$field ${x} %s %n",
    "`code` | pipe **b**",
]
PROJECT = 'evil\\ */ "p" ??/\nproject é'
IMPULSE_NAME = 'motion */ /* "i" \\\n??= ü\u202e'
LABELS = ["idle */\\", 'snake "s" ??/', "up\ndown /*", "wavé ✓ \u202e`|"]  # the motion impulse's 4 classes
AXES = ["acc*/X\\", 'acc"Y??/', "acc\nZ é"]


def hostile_impulse() -> dict:
    """The standard motion impulse with hostile axis names (the network and DSP are unchanged)."""
    impulse = json.loads(json.dumps(IMPULSE))
    impulse["input"]["axes"] = AXES
    impulse["processing_blocks"][0]["axes"] = AXES
    return impulse
