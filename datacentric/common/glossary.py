"""The technical terms a page names, each with one line a newcomer can read where the term first appears (a tooltip
or a gloss beside it). One place for them, so a page and a lesson explain a term alike."""

from __future__ import annotations

from datacentric.common.terms import Term, by_key

__all__ = ["GLOSSARY", "gloss"]

GLOSSARY = by_key(
    Term(
        "out_of_fold",
        "out-of-fold",
        "Each item's prediction comes from a model trained on the other items, never "
        "on itself, so a wrong label cannot vouch for itself.",
    ),
    Term(
        "confident_joint",
        "confident joint",
        "A table counting, for each given label, the items whose predicted "
        "class is confidently another: off the diagonal are the likely label errors (cleanlab's confident "
        "learning).",
    ),
    Term(
        "self_confidence",
        "label quality",
        "How probable the model finds an item's given label (out-of-fold): the "
        "lower, the likelier the label is wrong; the review queue starts from the lowest.",
    ),
    Term(
        "alpha",
        "Krippendorff's alpha",
        "How far annotators agree beyond chance: 1 is perfect agreement, 0 what "
        "chance alone gives, below 0 worse than chance. It allows items with different numbers of labels.",
    ),
    Term("fleiss", "Fleiss' kappa", "Agreement beyond chance for many annotators at once, on the same 0-to-1 scale."),
    Term("cohen", "Cohen's kappa", "Agreement beyond chance between two annotators: 1 perfect, 0 chance."),
    Term(
        "crowdlab",
        "CROWDLAB",
        "cleanlab's way to combine many annotators' labels: each label is weighed by how "
        "reliable its annotator seems (how often they agree with the others and with a model's predictions).",
    ),
    Term(
        "activelab",
        "ActiveLab",
        "cleanlab's score of which unlabelled items to label next: the ones where a new "
        "label would most likely change the model's mind (with one label an item, the least confident first).",
    ),
    Term(
        "ks",
        "KS test p",
        "The Kolmogorov-Smirnov test of whether a feature's values this week come from the same "
        "distribution as in training; a p below 0.05 says they probably do not (the feature drifted).",
    ),
    Term(
        "chi2",
        "chi-squared p",
        "The chi-squared test of whether this week's mix of predicted classes could come "
        "from training's mix; a small p says the mix moved.",
    ),
    Term(
        "wasserstein",
        "Wasserstein distance",
        "How far a feature's distribution moved, in the feature's own units "
        "(here in training standard deviations): the work to turn one histogram into the other.",
    ),
)


def gloss(key: str) -> str:
    """'Name: what it means.', for a tooltip."""
    term = GLOSSARY[key]
    return f"{term.name[:1].upper()}{term.name[1:]}: {term.explain}"
