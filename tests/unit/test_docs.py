"""The manual stays true to the tree: docs/layout.md names every package, module and page, and names nothing that is
gone; every pointer the code gives a user ("see docs/your-data.md, 'Limits'") and every link of the README lead to
a page and a heading that exist. (Links between the pages of docs/ are checked by mkdocs' strict build.)"""

import re
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

ROOT = Path(__file__).resolve().parents[2]
LAYOUT = ROOT / "docs" / "layout.md"
NAMED = re.compile(r"`((?:datacentric|pages|lessons|tests|bench|scripts|deploy|docs)/[^`\s]*)`")
POINTER = re.compile(r"docs/([\w-]+\.md), '([^']+)'")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def named_in_layout() -> set[str]:
    return set(NAMED.findall(LAYOUT.read_text()))


def code_tree() -> set[str]:
    """Every module under datacentric/ (its __init__.py aside) and every folder holding one, and every page."""
    modules = {p for p in (ROOT / "datacentric").rglob("*.py") if "__pycache__" not in p.parts}
    paths = {p.relative_to(ROOT).as_posix() for p in modules if p.name != "__init__.py"}
    paths |= {p.parent.relative_to(ROOT).as_posix() + "/" for p in modules if p.parent != ROOT / "datacentric"}
    paths |= {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")}
    return paths


def headings(page: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", page.read_text(), flags=re.MULTILINE | re.DOTALL)
    return {m.strip() for m in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


def test_the_layout_names_every_package_module_and_page():
    missing = code_tree() - named_in_layout()
    assert not missing, f"docs/layout.md does not name: {sorted(missing)}"


def test_every_path_the_layout_names_exists():
    gone = sorted(p for p in named_in_layout() if not (ROOT / p).exists())
    assert not gone, f"docs/layout.md names what is not in the tree: {gone}"


def pointers() -> list[tuple[str, str, str]]:
    found = []
    for path in [
        *(ROOT / "datacentric").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
        ROOT / "frame" / "navigation.py",
        *(ROOT / "lessons").glob("*.md"),
        ROOT / ".streamlit" / "config.toml",
    ]:
        where = path.relative_to(ROOT).as_posix()
        found += [(where, page, section) for page, section in POINTER.findall(path.read_text())]
    return found


def test_the_code_points_users_to_sections():
    # Held so that the pointers below are not vacuously true: the limits' messages send users to a section.
    assert ("datacentric/data/tables.py", "your-data.md", "Limits") in pointers()


@pytest.mark.parametrize("where, page, section", pointers())
def test_a_pointer_names_a_page_and_a_section_that_exist(where, page, section):
    assert (ROOT / "docs" / page).exists(), f"{where} points to docs/{page}, which does not exist"
    assert section in headings(ROOT / "docs" / page), f"{where} points to '{section}', not a heading of docs/{page}"


def readme_links() -> list[str]:
    return [link for link in LINK.findall((ROOT / "README.md").read_text()) if not re.match(r"[a-z]+:", link)]


@pytest.mark.parametrize("link", readme_links())
def test_a_readme_link_leads_somewhere(link):
    path, _, anchor = link.partition("#")
    target = ROOT / path
    assert target.exists(), f"README.md links to {path}, which does not exist"
    if anchor:
        assert anchor in {slugify(h, "-") for h in headings(target)}, f"README.md links to {link}: no such heading"
