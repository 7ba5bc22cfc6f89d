"""Every term the pages name has its one line, and the pages that name a term carry it where it first appears."""

import pytest

from datacentric.common.glossary import GLOSSARY, gloss
from tests.conftest import ROOT

# Where each term first meets a learner, and which glossary key explains it there.
USED = {
    "datacentric/ui/consistency.py": ("alpha", "fleiss", "cohen", "crowdlab"),
    "datacentric/ui/lesson.py": ("confident_joint",),
    "datacentric/ui/deployment.py": ("ks", "chi2", "activelab", "wasserstein"),
}


def test_every_term_reads_as_one_sentence():
    for key, term in GLOSSARY.items():
        line = gloss(key)
        assert line.startswith(term.name[:1].upper()) and line.endswith(".") and len(line) < 320, key


@pytest.mark.parametrize("path, keys", USED.items())
def test_the_page_that_names_a_term_explains_it(path, keys):
    text = (ROOT / path).read_text()
    for key in keys:
        assert f'gloss("{key}")' in text, f"{path} names {GLOSSARY[key].name} without its gloss"
