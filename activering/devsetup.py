"""Set-up steps a fresh clone needs before it can serve pages or run tests.

Used by `manage.py demo` and by the test session (tests/conftest.py), so that the README's two
commands work with nothing run before them.
"""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings


class SetupError(RuntimeError):
    pass


def ensure_frontend_packages() -> bool:
    """Install the pinned npm packages (`npm ci`) when they are missing or out of date.

    Returns True when it installed something.
    """
    base: Path = settings.BASE_DIR
    lock = base / "package-lock.json"
    installed = base / "node_modules" / ".package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise SetupError("npm is needed to install the front-end packages (see README).")
    subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=base, check=True
    )
    return True


def compile_translations() -> list[Path]:
    """Compile every catalogue (project and apps) whose .mo is missing or older (pure Python,
    so a fresh machine needs no GNU gettext)."""
    import polib

    base: Path = settings.BASE_DIR
    catalogues = [
        *base.glob("locale/*/LC_MESSAGES/*.po"),
        *base.glob("*/locale/*/LC_MESSAGES/*.po"),
    ]
    compiled = []
    for po_path in catalogues:
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime > po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    if compiled:
        _forget_loaded_translations()
    return compiled


def _forget_loaded_translations() -> None:
    """Drop catalogues Django may have loaded before the .mo files existed (on a fresh clone
    something can translate during start-up): announce LOCALE_PATHS as changed, which makes
    Django's own receiver (django.test.signals.language_changed) reset its translation caches."""
    import django.test.signals  # noqa: F401 (connects the receiver)
    from django.core.signals import setting_changed

    setting_changed.send(
        sender=type(settings), setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
    )
