"""The templates compiled once, kept in the cache folder, shared by both languages and by later processes."""

from __future__ import annotations

import jinja2

from track287g.config import CACHE_ENV
from track287g.i18n import Language
from track287g.store import connect
from track287g.web.app import TEMPLATES, Web, compiled_templates
from track287g.web.site import Site


def _compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja2 compiles from here on (a spy on the library's compiler)."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def _load_all(web: Web) -> None:
    for env in web.envs.values():
        for name in TEMPLATES:
            env.get_template(name)


def test_a_template_is_compiled_once_for_both_languages_and_not_again_by_the_next_process(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    site = Site(connect(str(tmp_path / "t.db")))
    compiled = _compiles(monkeypatch)
    _load_all(Web(site))
    assert sorted(compiled) == sorted(TEMPLATES)  # English compiles each; Spanish reads the same code back
    compiled.clear()
    _load_all(Web(site))  # a new process's templates: nothing in memory, the compiled files on disk
    assert compiled == []
    site.close()


def test_an_edited_template_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    compiled = _compiles(monkeypatch)
    env = Web.environment(Language("en", markup=True), compiled=compiled_templates())
    env.loader = jinja2.DictLoader({"page.html": "one"})
    assert env.get_template("page.html").render() == "one"
    env.loader = jinja2.DictLoader({"page.html": "two"})
    env.cache.clear()
    assert env.get_template("page.html").render() == "two"
    assert compiled == ["page.html", "page.html"]


def test_a_damaged_or_unwritable_cache_of_templates_only_costs_the_compiling(tmp_path, monkeypatch):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    site = Site(connect(str(tmp_path / "t.db")))
    _load_all(Web(site))
    for path in (tmp_path / "cache" / "templates").iterdir():
        path.write_bytes(path.read_bytes()[:40])  # cut short: the header read, the code not
    compiled = _compiles(monkeypatch)
    web = Web(site)
    _load_all(web)
    assert sorted(compiled) == sorted(TEMPLATES)  # compiled again, and written anew
    compiled.clear()
    _load_all(Web(site))
    assert compiled == []

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "file"))
    assert compiled_templates() is None
    _load_all(Web(site))  # no cache: each language compiles its own
    assert len(compiled) == 2 * len(TEMPLATES)
    site.close()
