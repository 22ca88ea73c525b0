"""A logged-in browser context per role and width, and the accessibility check, for the browser
tests that look at a page as a given person on a given screen."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def open_as(browser, live_server, personas, who: str, width: int, language: str = "zh-CN"):
    """(context, page) logged in as ``who`` at ``width`` px; the caller closes the context."""
    context = browser.new_context(
        locale=language,
        extra_http_headers={"Accept-Language": f"{language},{language[:2]};q=0.9"},
        viewport={"width": width, "height": 800},
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    # axe-core arrives as an init script: the portal's Content Security Policy refuses any
    # script the page itself would inject.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", personas.password())
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return context, page


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it stands."""
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
        " where: v.nodes.map(n => n.target.join(' ') + ' '"
        " + n.any.map(a => a.message).join(';'))}))"
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]
