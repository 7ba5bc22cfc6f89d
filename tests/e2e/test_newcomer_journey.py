"""The careful newcomer on the default scenario: a cold server, the app opened with nothing in the address, Fix the
labels, and the label of each of the first 10 cards set with its number key to what the image shows (the true label,
as a careful person reads a 28x28 digit). The headline must end at least one test item higher than it started, and
the first action must not lower it."""

import re

import pytest
from playwright.sync_api import expect

from datacentric.findings.review import class_keys
from datacentric.lab.prepare import prepare
from datacentric.lab.scenario import DEFAULT
from tests.e2e.harness import metric_value, wait_fix_labels_loaded, wait_idle

CARDS = 10
CARD = re.compile(r"Review item (\d+) ")


def headline(page) -> float:
    return float(metric_value(page, "Test accuracy").inner_text().rstrip("%"))


@pytest.mark.e2e
def test_a_careful_newcomer_raises_the_headline_with_the_number_keys(fresh_server, page):
    lab = prepare(DEFAULT)  # the same scenario the server prepares: the truth a careful eye reads off each image
    keys = class_keys(lab.dataset.classes)
    page.goto(fresh_server.url)
    expect(page.get_by_role("heading", name="Data-Centric Playground", level=1)).to_be_visible(timeout=90_000)
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Fix the labels").click()
    wait_fix_labels_loaded(page)
    start = headline(page)
    one_item = 100 / len(lab.test_index)
    for n in range(1, CARDS + 1):
        card = page.get_by_text(CARD).first
        item = int(CARD.search(card.inner_text()).group(1))
        page.keyboard.press(keys[int(lab.true_labels[item])])
        expect(metric_value(page, "Actions taken")).to_have_text(str(n))
        wait_idle(page)
        if n == 1:
            assert headline(page) >= start - one_item / 2, "the first careful action lowered the headline"
    end = headline(page)
    assert end - start >= one_item - 0.05, f"ten careful actions moved the headline from {start} % to {end} %"
