"""The web app's commands: createuser, demo, and serve answering in a real process."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from store_fixtures import NIANBAO, SEEDS, subprocess_env

from nianbao.cli import main
from nianbao.settings import Settings
from nianbao.web.accounts.models import ApiToken, Profile

pytestmark = pytest.mark.django_db


def test_createuser_makes_a_person_with_a_role_and_place_and_says_so_in_one_line(store_settings: Settings) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main, ["createuser", "li", "--role", "reviewer", "--region", "910000", "--token"], obj=store_settings
    )
    assert made.exit_code == 0, made.output
    assert "初始密码：" in made.output and "API 令牌：nb_" in made.output
    profile = Profile.objects.get(user__username="li")
    assert profile.role == "reviewer" and profile.region_code == "910000" and ApiToken.objects.count() == 1
    again = runner.invoke(main, ["createuser", "li", "--role", "viewer"], obj=store_settings)
    assert again.exit_code == 2 and "已存在" in again.output
    no_agency = runner.invoke(main, ["createuser", "wang", "--role", "clerk"], obj=store_settings)
    assert no_agency.exit_code == 2 and "--agency" in no_agency.output
    unknown = runner.invoke(
        main, ["createuser", "wang", "--role", "clerk", "--agency", "不存在的机关"], obj=store_settings
    )
    assert unknown.exit_code == 2 and len(unknown.output.strip().splitlines()) == 1
    weak = runner.invoke(
        main, ["createuser", "zhao", "--role", "viewer", "--password-stdin"], input="123\n", obj=store_settings
    )
    assert weak.exit_code == 2 and "密码不符合要求" in weak.output
    assert not User.objects.filter(username__in=["wang", "zhao"]).exists()


def test_demo_is_made_once_and_a_second_run_only_serves_it(store_settings: Settings) -> None:
    runner = CliRunner()
    first = runner.invoke(main, ["demo", str(SEEDS[0]), "--no-serve"], obj=store_settings)
    assert first.exit_code == 0, first.output
    assert first.output.count("只显示这一次") == 5
    second = runner.invoke(main, ["demo", "--no-serve"], obj=store_settings)
    assert second.exit_code == 0 and "只显示这一次" not in second.output
    assert first.output.splitlines()[1] == second.output.splitlines()[1]  # the same reports
    reset = runner.invoke(main, ["demo", "--no-serve", "--reset-passwords"], obj=store_settings)
    assert reset.output.count("只显示这一次") == 5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_serve_answers_on_its_port_and_makes_a_secret_key_once(home: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [str(NIANBAO), "serve", "--port", str(port)], env=subprocess_env(home), stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as answer:
                    assert answer.status == 200 and "登录" in answer.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("nianbao serve did not answer")
        key = home / "secret_key"
        assert key.is_file() and oct(key.stat().st_mode & 0o777) == "0o600" and len(key.read_text().strip()) > 40
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_serve_on_a_port_in_use_says_so_in_one_line(home: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [str(NIANBAO), "serve", "--port", str(port)], env=subprocess_env(home), capture_output=True, text=True,
            timeout=60,
        )  # fmt: skip
    assert done.returncode == 2 and "已启动" not in done.stdout
    assert done.stderr.count("\n") == 1 and "端口可能已被占用" in done.stderr
