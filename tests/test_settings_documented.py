"""Every environment variable Saq reads is in the README's Settings table, and the key
rotation the README promises is read from the environment."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list"}
# The helpers themselves read the variable they are given by name.
HELPERS_FILE = ROOT / "trainer" / "env.py"


def python_files() -> list[Path]:
    """The site, its commands and `make bench`: every Python file but the tests'."""
    skipped = {".venv", ".venv-lrs", "tests", "node_modules", "staticfiles"}
    return [
        path
        for path in ROOT.rglob("*.py")
        if not skipped & set(path.relative_to(ROOT).parts) and path != HELPERS_FILE
    ]


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def _named(node: ast.AST, where: str) -> str:
    assert isinstance(node, ast.Constant) and isinstance(node.value, str), (
        f"{where}: name the environment variable literally, so this test can find it"
    )
    return node.value


def _reads_a_variable(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in ENV_HELPERS
    if not isinstance(func, ast.Attribute):
        return False
    is_os = isinstance(func.value, ast.Name) and func.value.id == "os"
    return (func.attr == "get" and _is_os_environ(func.value)) or (func.attr == "getenv" and is_os)


def variables_read(path: Path) -> set[str]:
    """Names read by env_*("NAME"), os.environ.get/["NAME"], os.getenv("NAME") and
    "NAME" in os.environ. (os.environ.setdefault only gives Django its settings module.)"""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        where = f"{path}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and _reads_a_variable(node):
            names.add(_named(node.args[0], where))
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            if isinstance(node.ctx, ast.Load):
                names.add(_named(node.slice, where))
        elif isinstance(node, ast.Compare) and any(_is_os_environ(c) for c in node.comparators):
            names.add(_named(node.left, where))
    return names


def readme_settings() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Settings")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def test_the_scan_finds_every_way_of_reading_a_variable(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text(
        "import os\n"
        'A = env_int("ONE", 3)\n'
        'B = os.environ.get("TWO")\n'
        'C = os.environ["THREE"]\n'
        'D = os.getenv("FOUR")\n'
        'E = "FIVE" in os.environ\n'
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trainer.settings")\n'
    )
    assert variables_read(source) == {"ONE", "TWO", "THREE", "FOUR", "FIVE"}
    assert "SECRET_KEY_FALLBACKS" in variables_read(ROOT / "trainer" / "settings.py")


def test_every_environment_variable_read_is_in_the_readmes_settings_table():
    table = readme_settings()
    read = {name: path for path in python_files() for name in variables_read(path)}
    assert {"SAQ_PRODUCTION", "SECRET_KEY_FALLBACKS", "SAQ_BENCH"} <= set(read)
    smtp = {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"}
    assert smtp | {"DEFAULT_FROM_EMAIL"} <= set(read)  # a password reset's e-mail
    missing = {
        name: str(path.relative_to(ROOT)) for name, path in read.items() if f"`{name}" not in table
    }
    assert missing == {}, "read from the environment but not in README's Settings table"


def test_secret_key_fallbacks_come_from_the_environment_comma_separated():
    """Rotating the key: the old keys, comma-separated, still verify what they signed."""
    code = (
        "from django.conf import settings; from django.core import signing; "
        "print(settings.SECRET_KEY_FALLBACKS); "
        "print(signing.loads(signing.dumps('hello', key='old-two'), salt='django.core.signing'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trainer.settings",
        "SECRET_KEY": "the-new-key",
        "SECRET_KEY_FALLBACKS": "old-one, old-two,",
    }
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines() == ["['old-one', 'old-two']", "hello"]
