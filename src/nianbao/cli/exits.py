"""The exit codes of every ``nianbao`` command (public: scripts and CI jobs test them)."""

from __future__ import annotations

EXIT_OK = 0
"""Done, nothing that needs attention."""

EXIT_FINDINGS = 1
"""Done, and something needs attention: a report with error findings (``check``, ``render``,
``ledger report``), an overdue application (``ledger status``), a missing requirement (``doctor``)."""

EXIT_UNUSABLE = 2
"""An input (a file, an option, a setting) could not be used; one line on stderr says why.
Click's own usage errors exit with 2 as well."""
