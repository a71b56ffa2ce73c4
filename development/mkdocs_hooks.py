"""mkdocs hooks: show the changes not released yet (the fragments in changes/) on the release notes page.

The notes of a released version are written into its page by `towncrier build` when the release is made. Until then
the fragments are only files in changes/; this hook renders them with the same template (`towncrier build --draft`,
which writes nothing) into the page that holds the marker below.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- unreleased changes -->"


def unreleased_changes():
    """The fragments in changes/ as Markdown sections ("### Added" ...), or a sentence saying there are none."""
    draft = subprocess.run(  # noqa: S603 (a fixed command line)
        [sys.executable, "-m", "towncrier", "build", "--draft", "--version", "unreleased"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # towncrier prints a preamble and the version's title before the sections; keep the sections only.
    lines = draft.splitlines()
    start = next((number for number, line in enumerate(lines) if line.startswith("### ")), None)
    if start is None:
        return "No unreleased changes."
    return "\n".join(lines[start:])


def on_page_markdown(markdown, page, **kwargs):  # pylint: disable=unused-argument
    """Replace the marker with the unreleased changes."""
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, unreleased_changes())
