"""The layout shows the architecture (DEVELOPERS.md, "Where new code goes"): trainer keeps
its project-wide modules at its top and one package per concern of people training; the
content app never reaches into trainer, not even through a URL name in a template."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What may sit at the top of trainer/: the project's own files and what Django looks for
# in an app, plus the pure scoring rules that every concern reads.
TRAINER_TOP = {
    "__init__.py",
    "admin.py",
    "apps.py",
    "env.py",
    "scoring.py",
    "settings.py",
    "urls.py",
    "wsgi.py",
}
CONCERNS = {"play", "runs", "certificates", "sessions", "authors", "web", "records"}
DJANGO_PACKAGES = {"models", "migrations", "management", "templatetags", "formats"}


def test_trainer_holds_project_files_and_one_package_per_concern():
    top = ROOT / "trainer"
    modules = {p.name for p in top.glob("*.py")}
    packages = {p.name for p in top.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert modules == TRAINER_TOP
    assert packages == CONCERNS | DJANGO_PACKAGES


def test_each_concern_brings_its_own_urls():
    site_urls = (ROOT / "trainer" / "urls.py").read_text()
    for concern in ("play", "runs", "certificates", "sessions", "sessions.facilitator", "authors"):
        assert f'include("trainer.{concern}.urls")' in site_urls


def test_module_names_do_not_repeat_across_concerns():
    """Two modules called `throttle.py` or two views called `session_page` make grep lie."""
    names = [
        p.name
        for p in (ROOT / "trainer").rglob("*.py")
        if not {"migrations", "formats"} & set(p.parts)
    ]
    repeated = {n for n in names if names.count(n) > 1} - {"__init__.py", "views.py", "urls.py"}
    repeated -= {"services.py"}  # one per concern, named by the HackSoft convention
    assert repeated == set()
    views = "\n".join(p.read_text() for p in (ROOT / "trainer").rglob("*views*.py"))
    functions = re.findall(r"^def (\w+)\(request", views, re.MULTILINE)
    assert sorted({f for f in functions if functions.count(f) > 1}) == []


def test_the_content_app_never_imports_trainer():
    for path in (ROOT / "scenarios").rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"^\s*(from|import) trainer\b", text, re.MULTILINE), path


def test_authoring_templates_name_no_url_of_trainer():
    """They ask scenarios.authoring.play_links, which trainer fills in."""
    for path in (ROOT / "templates" / "admin" / "scenarios").rglob("*.html"):
        names = re.findall(r"{% url '([^']+)'", path.read_text())
        assert [n for n in names if not n.startswith("admin:")] == [], path
