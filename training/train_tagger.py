#!/usr/bin/env python3
"""Learn storydiff's content tagger (src/storydiff/data/tagger.npz) from PolNeAR train.

usage: training/train_tagger.py [--data DIR] [--docbin FILE] [--epochs N] [--hidden H] [--layers L]
                                  [--seed S] [--cutoff P] [--check-fold K] [--out FILE]

Needs torch (`pip install torch==2.13.0`: the CPU build; an unpinned torch pulls CUDA), only here;
storydiff runs the model with numpy (`storydiff.extract.tagger`).

Every train article is read, cleaned and parsed as `storydiff analyze` does, and its quotes found
by the shipped rules and rescorer; `tagger.features` turns each token into the model's input. Gold
Contents (the first annotator's, all their pieces) are mapped from the raw file's offsets into the
cleaned text and tag their tokens B (first) or I. A bidirectional LSTM over each paragraph learns
the tags. `--check-fold K` trains on four fifths of the articles (by a fixed shuffle) and prints,
on the fifth left out, the figures of the found quotes alone and with the tagger's extra spans
at several cutoffs (how `--cutoff` was chosen: .8, the best there when chosen; with today's rules
fold 0 prints F1 .733 at .7 against .729 at .8, but speaker accuracy .874 against .891, so .8
stays), and with the cutoff for spans that hold a quotation mark set apart
(`tagger.MARKED_CUTOFF`, .6: chosen over all of train, each fifth read by a tagger trained on the
rest, where it raised direct recall .925 -> .929 and left F1 at .745; fold 0: .916 -> .920, F1
.729 -> .730); without it the model is fitted on all of train and written to `--out`. Train only
on `train`; never on dev or test.
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from attribution import (  # noqa: E402
    ROOT,
    figures,
    load_gold,
    parsed_articles,
    score,
    training_parser,
    without_nested,
)

BATCH = 32
Example = tuple[Any, np.ndarray]  # (tagger.Features, B/I/O per token)


def gold_pieces(data: Path, stem: str) -> list[list[tuple[int, int]]]:
    """The first annotator's Contents of one article, each as its raw (start, end) pieces."""
    anns = sorted((data / "attributions").glob(f"{stem}_*.ann"))
    if not anns:
        return []
    spans: dict[str, list[tuple[int, int]]] = {}
    contents: list[str] = []
    for line in anns[0].read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            _, offsets = parts[1].split(" ", 1)
            spans[parts[0]] = [(int(a), int(b)) for a, b in (p.split() for p in offsets.split(";"))]
        elif line.startswith("E") and len(parts) >= 2:
            rel = dict(x.split(":", 1) for x in parts[1].split(" ") if ":" in x)
            contents.append(rel.get("Content", ""))
    return [spans[c] for c in contents if c in spans]


def labels(article: Any, doc: Any, pieces: list[list[tuple[int, int]]]) -> np.ndarray:
    """B/I/O per token (1/2/0) from raw-offset pieces: a token is inside a piece when the raw
    offset of its first character is."""
    raw_start = np.array([article.offsets.to_raw(t.idx) for t in doc])
    y = np.zeros(len(doc), np.int64)
    for content in pieces:
        first = True
        for a, b in content:
            i, j = np.searchsorted(raw_start, a, "left"), np.searchsorted(raw_start, b, "left")
            y[i:j][y[i:j] == 0] = 2
            if first and i < j:
                y[i] = 1
                first = False
    return y


def prepare(articles: list[Any], docs: list[Any], data: Path) -> tuple[list[list[Any]], list[Example]]:
    """Every article's quotes (shipped rules and rescorer) and the tagger's input and gold tags."""
    from storydiff.extract.cues.lexicon import shipped_lexicon
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.quotes import find_quotes
    from storydiff.extract.rescore import shipped_model
    from storydiff.extract.tagger import features

    lexicon = shipped_lexicon()
    found_all, examples = [], []
    for article, doc in zip(articles, docs, strict=True):
        found = [
            q for q, _ in find_quotes(article, doc, extract_mentions(article, doc), model=shipped_model())
        ]
        found_all.append(found)
        x = features(doc, lexicon, [(q.span, q.kind) for q in found])
        stem = Path(article.path).stem
        examples.append((x, labels(article, doc, gold_pieces(data, stem))))
    return found_all, examples


def fit(
    examples: list[Example],
    held: set[int],
    *,
    epochs: int = 10,
    hidden: int = 32,
    layers: int = 2,
    seed: int = 0,
    cutoff: float = 0.8,
) -> dict[str, np.ndarray]:
    """The tagger's arrays (float16, as shipped), learned from every example not in `held`."""
    import torch
    from torch import nn

    from storydiff.extract.tagger import DEPS, HEAD_REACH, POS

    torch.manual_seed(seed)
    rng = np.random.RandomState(seed)
    rng.permutation(len(examples))  # (the fold shuffle's draw: the batches as they always were)
    n_dense = examples[0][0].dense.shape[1]

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb_pos = nn.Embedding(len(POS) + 2, 8)
            self.emb_dep = nn.Embedding(len(DEPS) + 5, 16)
            self.emb_head = nn.Embedding(2 * HEAD_REACH + 1, 8)
            self.lstm = nn.LSTM(
                n_dense + 32,
                hidden,
                num_layers=layers,
                bidirectional=True,
                batch_first=True,
                dropout=0.2 if layers > 1 else 0.0,
            )
            self.out = nn.Linear(2 * hidden, 3)
            self.drop = nn.Dropout(0.2)

        def forward(self, ids: Any, dense: Any) -> Any:
            emb = [e(ids[..., k]) for k, e in enumerate((self.emb_pos, self.emb_dep, self.emb_head))]
            h, _ = self.lstm(self.drop(torch.cat([dense[..., :96], *emb, dense[..., 96:]], -1)))
            return self.out(self.drop(h))

    def batch(items: list[tuple[int, int, int]]) -> tuple[Any, Any, Any]:
        width = max(b - a for _, a, b in items)
        ids = np.zeros((len(items), width, 3), np.int64)
        dense = np.zeros((len(items), width, n_dense), np.float32)
        y = np.full((len(items), width), -100, np.int64)
        for k, (d, a, b) in enumerate(items):
            x, lab = examples[d]
            ids[k, : b - a], dense[k, : b - a], y[k, : b - a] = x.ids[a:b], x.dense[a:b], lab[a:b]
        return torch.tensor(ids), torch.tensor(dense), torch.tensor(y)

    items = sorted(
        ((d, a, b) for d in range(len(examples)) if d not in held for a, b in examples[d][0].paragraphs),
        key=lambda s: s[2] - s[1],
    )
    batches = [items[k : k + BATCH] for k in range(0, len(items), BATCH)]
    net = Net()
    opt = torch.optim.Adam(net.parameters(), 2e-3)
    loss_of = nn.CrossEntropyLoss(ignore_index=-100)
    for epoch in range(epochs):
        net.train()
        t0, total = time.perf_counter(), 0.0
        for k in rng.permutation(len(batches)):
            ids, dense, y = batch(batches[k])
            opt.zero_grad()
            loss = loss_of(net(ids, dense).reshape(-1, 3), y.reshape(-1))
            loss.backward()
            opt.step()
            total += loss.item()
        print(
            f"epoch {epoch}: loss {total / len(batches):.4f} ({time.perf_counter() - t0:.0f} s)", flush=True
        )

    net.eval()
    arrays: dict[str, np.ndarray] = {
        "n_layers": np.array(layers),
        "cutoff": np.array(cutoff),
        "emb_pos": net.emb_pos.weight.detach().numpy(),
        "emb_dep": net.emb_dep.weight.detach().numpy(),
        "emb_head": net.emb_head.weight.detach().numpy(),
        "out_w": net.out.weight.detach().numpy(),
        "out_b": net.out.bias.detach().numpy(),
    }
    for k in range(layers):
        for d, suffix in (("f", ""), ("b", "_reverse")):
            p = {
                n: getattr(net.lstm, f"{n}_l{k}{suffix}").detach().numpy() for n in ("weight_ih", "weight_hh")
            }
            bias = getattr(net.lstm, f"bias_ih_l{k}{suffix}") + getattr(net.lstm, f"bias_hh_l{k}{suffix}")
            arrays[f"l{k}_{d}_ih"], arrays[f"l{k}_{d}_hh"] = p["weight_ih"], p["weight_hh"]
            arrays[f"l{k}_{d}_b"] = bias.detach().numpy()
    return {k: v.astype(np.float16) if v.ndim else v for k, v in arrays.items()}


def as_tagger(stored: dict[str, np.ndarray]) -> Any:
    """`fit`'s arrays as the numpy `Tagger` storydiff runs."""
    from storydiff.extract.tagger import Tagger

    buf = io.BytesIO()
    np.savez_compressed(buf, **stored)  # type: ignore[arg-type]
    return Tagger.load(buf.getvalue())


def held_out(n: int, fold: int, folds: int = 5) -> set[int]:
    """The articles left out in fold `fold`: every `folds`-th of a fixed shuffle."""
    return set(np.random.RandomState(0).permutation(n)[fold::folds].tolist())


def main() -> int:
    ap = training_parser(__doc__)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cutoff", type=float, default=0.8)
    ap.add_argument("--check-fold", type=int, default=None)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "tagger.npz")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff.extract.cues.lexicon import shipped_lexicon
    from storydiff.nlp import token_chars

    articles, docs = parsed_articles(args.data, args.docbin)
    t0 = time.perf_counter()
    found_all, examples = prepare(articles, docs, args.data)
    print(f"features of {len(examples)} articles in {time.perf_counter() - t0:.0f} s", flush=True)
    held = held_out(len(examples), args.check_fold) if args.check_fold is not None else set()
    stored = fit(
        examples,
        held,
        epochs=args.epochs,
        hidden=args.hidden,
        layers=args.layers,
        seed=args.seed,
        cutoff=args.cutoff,
    )
    if args.check_fold is None:
        np.savez_compressed(args.out, **stored)  # type: ignore[arg-type]
        print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
        return 0

    # the held-out fifth: found quotes alone, then with the extra spans at several cutoffs
    tagger = as_tagger(stored)
    lexicon = shipped_lexicon()
    gold = load_gold(args.data)
    stems = {d: Path(str(articles[d].path)).stem for d in held}
    held_gold = {stems[d]: gold.get(stems[d], []) for d in held}
    base = {
        stems[d]: without_nested([(q.text, [q.speaker.mention_text, q.speaker.name]) for q in found_all[d]])
        for d in held
    }
    print(figures("found", score(held_gold, base)))
    # (spans that hold a quotation mark at their own cutoff, the others at theirs)
    pairs = [(c, c) for c in (0.6, 0.7, 0.8, 0.9)] + [(args.cutoff, m) for m in (0.5, 0.6, 0.7)]
    for cutoff, marked in pairs:
        preds = {}
        t = replace(tagger, cutoff=cutoff, marked_cutoff=marked)
        for d in held:
            doc, text = docs[d], articles[d].text
            extra = t.extra(doc, lexicon, [(q.span, q.kind) for q in found_all[d]])
            spans = [(token_chars(doc, i, j).of(text), [None]) for i, j in extra]
            preds[stems[d]] = without_nested(base[stems[d]] + spans)  # type: ignore[operator]
        print(figures(f"+ {cutoff:.2f}/{marked:.2f}", score(held_gold, preds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
