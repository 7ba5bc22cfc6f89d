"""Cache Hugging Face Hub datasets ahead of a workshop, so the app can load them with no network."""

from __future__ import annotations

import argparse
import os
import sys

from datacentric.data.hub import SUGGESTED, HubError, load_table

__all__ = ["EPILOG", "main"]

EPILOG = """\
Run this on a machine with internet, with the same HF_HOME (or HF_DATASETS_CACHE) the app will use.
It fills the `datasets` cache; copy that folder if the app runs elsewhere. Then start the app offline:

    HF_HUB_OFFLINE=1 streamlit run app.py

With HF_HUB_OFFLINE=1 the app never waits on the network and loads these datasets from the cache.
Exit code: 0 if every dataset was cached, 1 if any failed.

examples:
  python -m datacentric.data.prefetch --suggested
  python -m datacentric.data.prefetch stanfordnlp/imdb:plain_text dair-ai/emotion:split --split train
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m datacentric.data.prefetch",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "datasets",
        nargs="*",
        metavar="NAME[:CONFIG]",
        help="Hub dataset id (owner/name), optionally with a config, e.g. dair-ai/emotion:split; "
        "or a local folder in Hub format",
    )
    parser.add_argument(
        "--split",
        default=None,
        help="split to load and check (default: train, or the suggested split); the whole config is cached either way",
    )
    parser.add_argument(
        "--suggested",
        action="store_true",
        help=f"also prefetch the {len(SUGGESTED)} suggested datasets: {', '.join(SUGGESTED)}",
    )
    args = parser.parse_args(argv)
    wanted = [(*_name_and_config(spec), args.split or "train") for spec in args.datasets]
    if args.suggested:
        wanted += [(s.name, s.config, args.split or s.split) for s in SUGGESTED.values()]
    if not wanted:
        parser.error("name at least one dataset, or pass --suggested")

    import datasets  # noqa: PLC0415 - datasets, 0.9 s: only for a Hub dataset

    if datasets.config.HF_HUB_OFFLINE:
        print("note: HF_HUB_OFFLINE is set, so nothing can be downloaded; unset it to prefetch.", flush=True)
    failed = 0
    for name, config, split in wanted:
        shown = f"{name}:{config}" if config else name
        try:
            # The administrator's own command: a folder they name (from where they stand) is theirs to check.
            local = os.path.abspath(name) if os.path.isdir(name) else name
            table = load_table(local, config=config, split=split, local_root=os.path.abspath(os.sep))
        except HubError as err:
            failed += 1
            print(f"FAILED {shown}: {err}", flush=True)
            continue
        classes = table.frame[table.label].nunique()
        text = f"text column '{table.text}'" if table.text else "no text column"
        print(
            f"ok     {shown}: split {split}, {len(table.frame):,} rows, {classes} classes, "
            f"label column '{table.label}', {text}; cache {datasets.config.HF_DATASETS_CACHE}",
            flush=True,
        )
    offline = " Start the app with HF_HUB_OFFLINE=1." if not failed else ""
    print(f"{len(wanted) - failed} of {len(wanted)} cached." + offline)
    return 1 if failed else 0


def _name_and_config(spec: str) -> tuple[str, str | None]:
    name, _, config = spec.partition(":")
    return name, config or None


if __name__ == "__main__":
    sys.exit(main())
