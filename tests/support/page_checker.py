"""Checks every page must pass, for Flask test-client responses: one h1, a title, every input
labelled, no duplicate ids, a CSRF token in every POST form."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


@dataclass
class _Form:
    method: str
    fields: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, dict[str, str | None]]] = []
        self.forms: list[_Form] = []
        self._label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        elif tag == "form":
            self.forms.append(_Form(method=(a.get("method") or "get").lower()))
        elif tag in ("input", "select", "textarea"):
            if self.forms and a.get("name"):
                self.forms[-1].fields.add(str(a["name"]))
            if tag != "input" or (a.get("type") or "text") not in UNLABELLED_TYPES:
                wrapped = "1" if self._label_depth else None
                self.controls.append((tag, {**a, "_wrapped": wrapped}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label" and self._label_depth:
            self._label_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def page_problems(html: str) -> list[str]:
    page = _Collector()
    page.feed(html)
    problems = []
    if page.h1 != 1:
        problems.append(f"expected one h1, found {page.h1}")
    if not page.title.strip():
        problems.append("the page has no title")
    for ident, count in Counter(page.ids).items():
        if count > 1:
            problems.append(f"id {ident!r} is used {count} times")
    for tag, attrs in page.controls:
        labelled = (
            attrs.get("_wrapped")
            or attrs.get("aria-label")
            or attrs.get("aria-labelledby")
            or (attrs.get("id") and attrs["id"] in page.label_for)
        )
        if not labelled:
            problems.append(f"{tag} {attrs.get('name')!r} has no label")
    for form in page.forms:
        if form.method == "post" and "csrf_token" not in form.fields:
            problems.append("a POST form has no csrf_token")
    return problems


def assert_good_page(response_or_html: object) -> None:
    html = getattr(response_or_html, "text", response_or_html)
    assert isinstance(html, str)
    problems = page_problems(html)
    assert not problems, "page problems:\n- " + "\n- ".join(problems)
