"""Every relative link in the README and the guides in docs/ points to a file that exists, and
every #anchor into a Markdown page to one of its headings (as GitHub makes their anchors)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading):
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page):
    return {anchor(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


def relative_links(page):
    for target in LINK.findall(page.read_text()):
        if not re.match(r"[a-z]+:", target):
            yield target


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_relative_link_points_to_a_file_and_heading_that_exist(page):
    for target in relative_links(page):
        path, _, fragment = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target} is not a file"
        if fragment and linked.suffix == ".md":
            assert fragment in anchors(linked), f"{page.name}: {target} is not a heading of {linked.name}"


def test_anchors_follow_githubs_rule():
    assert anchor(" Behind a proxy: `PROXY_COUNT`") == "behind-a-proxy-proxy_count"
    assert anchor("SPC: statistical process control beside every RAG rating") == (
        "spc-statistical-process-control-beside-every-rag-rating"
    )


def test_the_link_finder_finds_links_and_images_but_not_web_addresses(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("[a](docs/a.md#x) ![shot](images/s.png) [web](https://example.org) [mail](mailto:x@y)")
    assert list(relative_links(page)) == ["docs/a.md#x", "images/s.png"]
