"""Registry of demo-data steps. Each app registers its step in AppConfig.ready();
``manage.py seed_demo`` runs them in INSTALLED_APPS order, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable

DemoStep = Callable[[Callable[[str], None]], None]

_steps: list[tuple[str, DemoStep]] = []


def register_demo_step(name: str, step: DemoStep) -> None:
    if name not in {existing for existing, _ in _steps}:
        _steps.append((name, step))


def demo_steps() -> list[tuple[str, DemoStep]]:
    return list(_steps)
