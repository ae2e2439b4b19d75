"""The deployment kit in deploy/ is complete and consistent with the site: the environment
template lists every setting the site reads and makes a production site Django's deploy
check passes; nginx's site is valid, compresses no page and caches static files for long;
the systemd units run commands that exist."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_settings_documented import variables_read

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def env_template() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "saq.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name] = value.removeprefix('"').removesuffix('"')  # as systemd reads it
    return pairs


def test_the_environment_template_lists_every_setting_the_site_reads():
    read = variables_read(ROOT / "trainer" / "settings.py") - {"DJANGO_SETTINGS_MODULE"}
    assert "DATABASE_STATEMENT_TIMEOUT_MS" in read
    assert set(env_template()) == read


def test_the_environment_template_makes_a_site_the_deploy_check_passes():
    """Filled in (a real key), the template is a production configuration without a
    warning from `manage.py check --deploy`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SAQ_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env |= env_template()
    env["SECRET_KEY"] = "k" + os.urandom(40).hex()
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_nginx_site_compresses_no_page_caches_static_and_balances_with_health_checks(tmp_path):
    site = (DEPLOY / "nginx" / "saq.conf").read_text()
    assert re.search(r"listen 443 ssl http2;", site)
    assert re.search(r"^\s*gzip off;", site, re.MULTILINE)  # BREACH: no compressed pages
    assert "gzip on" not in site
    static = site[site.index("location /static/") :]
    static = static[: static.index("}")]
    assert "immutable" in static and "max-age=31536000" in static
    servers = re.findall(r"^\s*server (\S+) (.*);", site, re.MULTILINE)
    assert len(servers) >= 2
    assert all("max_fails=" in options and "fail_timeout=" in options for _, options in servers)
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in site
    assert_nginx_accepts(site, tmp_path)  # make test installs nginx and openssl


def assert_nginx_accepts(site: str, tmp_path: Path) -> None:
    """`nginx -t` on the site, with a throwaway certificate in place of Let's Encrypt's."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=saq.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    site = site.replace("/etc/letsencrypt/live/saq.example.kz/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/saq.example.kz/privkey.pem", str(key))
    (tmp_path / "saq.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n access_log off;\n include /etc/nginx/mime.types;\n"
        f" include {tmp_path}/saq.conf;\n}}\n"
    )
    done = subprocess.run(
        [shutil.which("nginx") or "/usr/sbin/nginx", "-t", "-c", str(main), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


def test_systemd_units_run_commands_that_exist():
    units = {path.name: path.read_text() for path in (DEPLOY / "systemd").iterdir()}
    assert {
        "saq.service",
        "saq-prune-sessions.service",
        "saq-prune-sessions.timer",
        "saq-statements.service",
        "saq-backup.service",
        "saq-backup.timer",
    } <= set(units)
    commands = ROOT / "trainer" / "management" / "commands"
    for name, text in units.items():
        assert "EnvironmentFile=/etc/saq/saq.env" in text or name.endswith(".timer"), name
        for command in re.findall(r"manage\.py (\w+)", text):
            assert (commands / f"{command}.py").exists(), (name, command)
        for script in re.findall(r"/srv/saq/app/(deploy/\S+\.py)", text):
            assert (ROOT / script).exists(), (name, script)
    assert "OnCalendar=*-*-* " in units["saq-prune-sessions.timer"]
    # gunicorn gives the database its statement timeout and the 503 page before it kills
    # a worker.
    timeout = int(re.search(r"--timeout (\d+)", units["saq.service"])[1])
    assert timeout * 1000 > int(env_template()["DATABASE_STATEMENT_TIMEOUT_MS"])
