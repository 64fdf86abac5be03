"""BodyKeys: "is this paragraph in the body?", asked linearly on huge pages."""
from crawler.extract.text import BodyKeys


def test_whole_lines_and_parts_of_lines_are_found():
    body = BodyKeys(["first paragraph", "", "second one here"])
    assert "first paragraph" in body
    assert "one here" in body  # part of a longer line, as whole words
    assert "one her" not in body  # not a whole word
    assert "paragraph second" not in body  # an empty line still separates them
    assert "one here" in BodyKeys(["first", "second one here"])
    assert "first second" in BodyKeys(["first", "second one here"])  # across two lines
    assert body.search("ragraph")  # the plain substring question


def test_past_the_budget_only_whole_lines_count():
    body = BodyKeys([f"paragraph number {i} of a long page" for i in range(100)])
    body.budget = len(body.text)  # one search left
    assert "number 5 of" in body  # searched
    assert "number 6 of" not in body  # budget spent: not searched
    assert "paragraph number 7 of a long page" in body  # a whole line: no search needed
    assert not body.search("number 8")


def test_extend_adds_lines():
    body = BodyKeys(["a line"])
    body.extend(["another line", ""])
    assert "another line" in body
    assert "line another" in body
