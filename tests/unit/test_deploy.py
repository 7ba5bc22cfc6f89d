"""The deployment files say what the app says: the proxy's security headers are the app's own, compose names the
proxy the apps believe, keeps no password inline and sets the instructor's passcode."""

import re

import yaml

from datacentric import serving
from datacentric.common.settings import SETTINGS
from tests.conftest import ROOT


def caddy_headers() -> dict[str, str]:
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    block = re.search(r"\n\theader \{\n(.*?)\n\t\}", text, re.S).group(1)
    found = {}
    for line in block.splitlines():
        name, _, value = line.strip().partition(" ")
        if not name.startswith("-"):
            found[name.lower()] = value.strip().strip('"')
    return found


def test_the_proxy_sets_the_apps_own_security_headers():
    assert caddy_headers() == serving.HEADERS


def test_compose_keeps_secrets_out_and_names_the_proxy_the_apps_believe():
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    services = compose["services"]
    apps = [services["app1"], services["app2"]]
    proxy_address = services["proxy"]["networks"]["playground"]["ipv4_address"]
    for app in apps:
        env = app["environment"]
        assert env["DCP_TRUSTED_PROXIES"] == proxy_address
        assert "${DCP_DB_PASSWORD:?" in env["DCP_DATABASE_URL"]
        assert "${DCP_INSTRUCTOR_PASSCODE:?" in env["DCP_INSTRUCTOR_PASSCODE"]
        assert app["restart"] == "unless-stopped"
        assert set(env) <= set(SETTINGS)
    assert "${DCP_DB_PASSWORD:?" in services["db"]["environment"]["POSTGRES_PASSWORD"]
    assert [s for s in services.values() if "build" in s] == [services["app1"]]  # the image is built once
    assert services["proxy"]["depends_on"] == {
        "app1": {"condition": "service_healthy"},
        "app2": {"condition": "service_healthy"},
    }
