"""/favicon.ico, which browsers ask for on pages that name no icon, is the site's SVG icon."""

from __future__ import annotations

from importlib import resources

from fastapi.testclient import TestClient


def test_favicon_ico_answers_with_the_svg_icon(client: TestClient) -> None:
    response = client.get("/favicon.ico", follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    svg = (resources.files("ridni.web") / "static" / "favicon.svg").read_bytes()
    assert response.content == svg
    # It is public: nobody is sent to the login page for it.
    assert "location" not in response.headers
