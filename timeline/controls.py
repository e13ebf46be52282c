"""Control characters: one definition of what untrusted text (feeds, pages, server messages) may not
carry to a terminal, a log line or the store.

C0 and C1 controls (ESC and CSI start terminal escape sequences; NUL, DEL) are removed from text on
the way in. On the way out, to a terminal or a log, the bidirectional embedding and isolate controls
go too: they reorder what a reader sees ("Trojan Source"), though stored text may legitimately carry
them.
"""

from __future__ import annotations

import re

_C0_C1 = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"

# Control characters except tab and newline: removed from text taken in (article text keeps its layout).
CONTROLS_BUT_LAYOUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What may not reach a terminal or a log line: every control character and the bidirectional overrides.
UNSAFE_OUTPUT = re.compile(f"[{_C0_C1}{_BIDI}]")
# The same, keeping tab and newline.
UNSAFE_OUTPUT_BUT_LAYOUT = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
