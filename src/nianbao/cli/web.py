"""The web app's commands: ``serve`` and ``createuser``.

Django and waitress are imported inside each command, so ``nianbao --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..settings import Settings
from .options import pass_settings

ROLE_NAMES = {
    "admin": "系统管理员",
    "reviewer": "政务公开办审核人员",
    "clerk": "机关经办人员",
    "approver": "机关审核人员",
    "viewer": "只读用户",
}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def ensure_secret_key(settings: Settings) -> None:
    """A secret key of this installation in the data directory, made once (mode 0600), unless
    NIANBAO_SECRET_KEY gives one: sessions are never signed with a key others know."""
    from ..web.secret import SECRET_FILE, make_secret_file

    make_secret_file(settings.home / SECRET_FILE)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（0.0.0.0 表示本机所有网卡）")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="处理请求的线程数")
@pass_settings
def serve(settings: Settings, host: str, port: int, threads: int) -> None:
    """启动网页版（浏览器访问）；数据库与命令行共用。"""
    ensure_secret_key(settings)
    from ..web import setup

    setup()
    import waitress
    from django.conf import settings as django_settings

    from ..web.wsgi import application

    if host not in LOOPBACK and host not in django_settings.ALLOWED_HOSTS and "*" not in django_settings.ALLOWED_HOSTS:
        click.echo(
            f"提示：请在 NIANBAO_ALLOWED_HOSTS 中加入访问本站所用的地址（当前：{','.join(django_settings.ALLOWED_HOSTS)}）",
            err=True,
        )
    try:
        server = waitress.create_server(application, host=host, port=port, threads=threads, ident="nianbao")
    except OSError as exc:
        from ..errors import NianbaoError, os_reason

        raise NianbaoError(
            f"无法在 {host}:{port} 上启动网页版（{os_reason(exc)}；端口可能已被占用，可用 --port 换一个）"
        ) from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    click.echo(f"nianbao 网页版已启动：http://{shown}:{port}/ （按 Ctrl-C 停止）")
    sys.stdout.flush()
    server.run()


@click.command()
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(list(ROLE_NAMES)),
    help="角色：" + "，".join(f"{k}={v}" for k, v in ROLE_NAMES.items()),
)
@click.option("--agency", help="机关经办人员、机关审核人员所属机关（编号或名称）")
@click.option("--region", help="审核人员、只读用户的行政区划代码（含下级）；不填为全部")
@click.option(
    "--stage",
    "stages",
    multiple=True,
    type=click.Choice(["first", "second", "final"]),
    help="机关审核人员负责的审核环节：first=初审，second=复审，final=终审（可多次给出）",
)
@click.option("--password-stdin", is_flag=True, help="从标准输入读取密码（不填则生成一个并显示一次）")
@click.option("--token", "with_token", is_flag=True, help="同时生成一个 API 令牌（只显示一次）")
@pass_settings
def createuser(
    settings: Settings,
    username: str,
    role: str,
    agency: str | None,
    region: str | None,
    stages: tuple[str, ...],
    password_stdin: bool,
    with_token: bool,
) -> None:
    """创建网页版用户（第一个系统管理员也用它创建）。"""
    from ..web import setup

    setup()
    from ..web.accounts.services import create_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    made = create_user(username, role, agency=agency, region=region, password=password, token=with_token, stages=stages)
    click.echo(f"已创建用户 {username}（{ROLE_NAMES[role]}{'，' + made.place if made.place else ''}）")
    if password is None:
        click.echo(f"初始密码：{made.password}（只显示这一次，请登录后修改）")
    if made.token:
        click.echo(f"API 令牌：{made.token}（只显示这一次）")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="端口")
@click.option("--reset-passwords", is_flag=True, help="为演示账号重新生成密码")
@click.option("--no-serve", is_flag=True, help="只准备演示数据和账号，不启动网页版")
@click.pass_context
def demo(
    ctx: click.Context, files: tuple[Path, ...], host: str, port: int, reset_passwords: bool, no_serve: bool
) -> None:
    """准备演示站点（生成的示例地区报告与给出的真实报告、每种角色一个账号）并启动网页版。"""
    settings: Settings = ctx.obj
    from ..web import setup

    setup()
    from ..web.demo import ACCOUNTS, build_demo

    click.echo("正在准备演示数据（首次约需半分钟）……")
    made = build_demo(settings, list(files), reset=reset_passwords)
    click.echo(f"演示站点：{made.reports} 份年报")
    for username, role, agency, region in ACCOUNTS:
        place = agency or (f"行政区划 {region}" if region else "全部")
        password = made.passwords.get(username)
        shown = f"密码 {password}（只显示这一次）" if password else "密码已在首次运行时显示（--reset-passwords 可重设）"
        click.echo(f"  {ROLE_NAMES[role]}：用户名 {username}，{place}，{shown}")
    if not no_serve:
        ctx.invoke(serve, host=host, port=port, threads=8)
