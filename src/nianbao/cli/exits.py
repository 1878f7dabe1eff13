"""The exit codes of every ``nianbao`` command (public: scripts and CI jobs test them)."""

from __future__ import annotations

EXIT_OK = 0
"""Done, nothing that needs attention."""

EXIT_FINDINGS = 1
"""Done, and something needs attention: a report with error findings (``check``, ``render``,
``ledger report``; for a batch, any of its reports), an overdue application (``ledger
status``), a missing requirement (``doctor``)."""

EXIT_UNUSABLE = 2
"""An input (a file, an option, a setting) could not be used; one line on stderr says why.  A
batch (``check DIR``) goes on with the other files and exits with 2 when any file could not be
used, even if others have errors.  Click's own usage errors exit with 2 as well."""

MEANINGS = {
    EXIT_OK: "完成，没有需要处理的问题。",
    EXIT_FINDINGS: "完成，但有需要处理的问题：报告有“错误”级核查结果（check、render、ledger report；"
    "核查文件夹或多个文件时，任一份报告有错误），有已逾期或期限已过的申请（ledger status），缺少必需的运行条件（doctor）。",
    EXIT_UNUSABLE: "输入无法使用（文件、选项或设置），标准错误输出一行“错误：……”说明原因；命令行用法错误也是 2。"
    "核查文件夹或多个文件时，无法使用的文件各输出一行，其余文件照常核查，只要有一个文件无法使用，退出码即为 2"
    "（优先于 1）；跳过的隐藏文件等不影响退出码。",
}
"""The same, in Chinese, for the CLI reference (docs/cli.md)."""
