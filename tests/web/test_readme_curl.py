"""The README's `curl` examples of the site and API give what the README shows: each example asked of a real
server on the record built from the bundled archive (``track287g serve``), the README's address replaced by
the server's. Examples shown abridged (``...``, ``# abridged``) are left to the JSON API's own tests; the sizes
of gzipped answers depend on which cache answered (a first answer or a repeated one)."""

from __future__ import annotations

import subprocess

import pytest

from tests.test_readme_examples import command_of
from tests.test_readme_examples import examples as readme_examples

README_SERVER = "http://127.0.0.1:8287"


def examples() -> list[tuple[int, str, list[str]]]:
    """(line, command, lines shown) of each `$ curl` example asking the README's server, shown in full."""
    found = []
    for number, text, shown in readme_examples("$ curl "):
        abridged = "# abridged" in text or any("..." in s for s in shown)
        if README_SERVER in text and not abridged and "size_download" not in text:
            found.append((number, "curl " + command_of(text), shown))
    return found


def test_the_readme_has_curl_examples_shown_in_full():
    assert len(examples()) >= 8


@pytest.mark.parametrize(("number", "command", "shown"), examples(), ids=[f"line{n}" for n, _, _ in examples()])
def test_a_readme_curl_example_gives_what_the_readme_shows(server, number, command, shown):
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.replace(README_SERVER, server)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = [line.rstrip() for line in done.stdout.rstrip("\n").splitlines()]
    assert printed == [line.rstrip() for line in shown], f"README line {number}: {command}"
