"""An archive that grows run by run: analyse into a store, then link only what is new.

    from storydiff.archive import analyze_into
    from storydiff.store import open_store

    with open_store("news.db") as store:
        run = analyze_into(store, ["articles/"])     # one recorded run
        run.stored.added, run.linked.stories         # what it stored; the stories it touched

A run is recorded in the store (`runs`: version, model, settings, status), its articles are stored
in batches as they are analysed (one transaction each, so a killed run keeps whole batches), the
articles already stored are not analysed again, and the new ones are filed into the stories active
within a time window of them (`link_new`); only the stories that changed are linked again. The
full relink (`relink`, `storydiff relink`) links every stored article again, after a model upgrade.

The command line (`analyze --db`), the web app and the benchmarks all go through here; the store
itself holds rows only and never calls the linker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from storydiff.link.stories import PROFILE_VERSION, REPAIR, Profile, StoryIndex
from storydiff.model import Analysis, Article
from storydiff.pipeline import ArticleCallback, ResumeLookup
from storydiff.run.blas import one_blas_thread
from storydiff.run.heap import older_objects_set_aside
from storydiff.store import AddResult, Store

log = logging.getLogger("storydiff")

STORY_WINDOW = timedelta(days=7)  # new articles join stories active within this of their time
ARTICLES_PER_TRANSACTION = 50
RELINK_ATTEMPTS = 5  # another writer may store articles while we link: plan and link again
# A linker that files articles with a given story index (None: a new one), as `link.link` does.
IndexLinker = Callable[[Analysis, StoryIndex | None], Analysis]
# Runs the analysis, handing each analysed article to the callback and asking the lookup for
# those already stored (as `pipeline.analyze(on_article=..., resume=...)` does).
Analyse = Callable[[ArticleCallback, ResumeLookup], Analysis]


@dataclass(slots=True)
class StoredRun:
    """What one run did: its analysis, what it stored, and the stories it linked."""

    run_id: int
    analysis: Analysis  # the run's articles in input order (those already stored included)
    stored: AddResult  # by article id: added, new versions, unchanged
    linked: Analysis  # the stories the run changed, as saved

    @property
    def resumed(self) -> int:
        """Articles found stored before analysis (not analysed again)."""
        done = self.stored
        return len(self.analysis.articles) - len(done.added) - len(done.new_versions) - len(done.unchanged)


def store_run(
    store: Store,
    analyse: Analyse,
    *,
    settings: Mapping[str, Any],
    model: str | None = None,
    window: timedelta | None = STORY_WINDOW,
    batch_size: int = ARTICLES_PER_TRANSACTION,
    linker: IndexLinker | None = None,
) -> StoredRun:
    """One recorded run: `analyse` with a batching writer and the store as resume lookup, then
    `link_new` (the run is marked failed if anything raises, Ctrl-C included)."""
    run_id = store.begin_run(settings, model=model)
    writer = store.writer(run_id, batch_size=batch_size)
    try:
        with writer:
            analysis = analyse(writer, store.stored_article)
        linked = link_new(store, analysis, window=window, linker=linker)
        if writer.result.added or writer.result.new_versions:
            store.optimize()
    except BaseException:
        store.finish_run(run_id, status="failed")
        raise
    store.finish_run(run_id)
    return StoredRun(run_id, analysis, writer.result, linked)


def analyze_into(
    store: Store,
    inputs: Sequence[str],
    *,
    window: timedelta | None = STORY_WINDOW,
    batch_size: int = ARTICLES_PER_TRANSACTION,
    **options: Any,
) -> StoredRun:
    """`pipeline.analyze(inputs, **options)` into `store`, as one recorded run (see `store_run`).
    An `on_article` among the options sees each article analysed, after the store's writer."""
    from storydiff.nlp import model_name
    from storydiff.pipeline import analyze

    also: ArticleCallback | None = options.pop("on_article", None)

    def analyse(on_article: ArticleCallback, resume: ResumeLookup) -> Analysis:
        def both(article: Article) -> None:
            on_article(article)
            if also is not None:
                also(article)

        return analyze(inputs, on_article=both, resume=resume, **options)

    settings = {"inputs": list(inputs), "outlet": options.get("outlet"), "workers": options.get("workers")}
    return store_run(
        store, analyse, settings=settings, model=model_name(options.get("model")), window=window,
        batch_size=batch_size,
    )  # fmt: skip


@older_objects_set_aside()
@one_blas_thread()  # filing too multiplies small matrices
def link_new(
    store: Store,
    analysis: Analysis | None = None,
    *,
    window: timedelta | None = STORY_WINDOW,
    linker: IndexLinker | None = None,
) -> Analysis:
    """Link only what is new: every latest article in no story yet joins a story active within
    `window` of its time (published, else when stored) or starts one; only the stories that
    changed are linked again and saved. Returns the linked analysis of those stories.

    `analysis` may hold some of the articles already (this run's), which saves reading them back;
    when the store has no story yet and `analysis` is this run's linked corpus, its links are saved
    as they are.
    """
    given = {a.id: a for a in analysis.articles} if analysis is not None else {}
    extra = analysis.settings if analysis is not None else {}
    for _attempt in range(RELINK_ATTEMPTS):
        todo, settings = store.link_plan(window)
        if not todo.unlinked and not todo.stale:
            return Analysis(settings=settings)
        if (
            not todo.members
            and analysis is not None
            and analysis.stories
            and set(given) == set(todo.unlinked)
        ):
            # The first link of a store (no story to join): this run's own links are the store's.
            if store.save_relinked(analysis, only_if_unlinked=True):
                return analysis
            continue
        # Only the stories' articles within the window are filed with the new ones, from the
        # profiles earlier runs kept; only those without one are read (and their profiles kept).
        active = {sid: todo.active(sid) for sid in todo.members}
        window_ids = [a for members in active.values() for a in members]
        cached = {
            aid: Profile.from_json(data)
            for aid, data in store.story_profiles(
                [a for a in window_ids if a not in given], PROFILE_VERSION
            ).items()
        }
        by_id = _articles(store, [a for a in window_ids if a not in cached] + todo.unlinked, given)
        index = StoryIndex(window=window, first_number=todo.next_number)
        for sid, members in active.items():
            for aid in members:
                if aid in cached:
                    index.add_profile(aid, cached[aid], story=sid, when=todo.when[aid])
                else:
                    index.add(by_id[aid], story=sid, when=todo.when[aid])
        for aid in todo.unlinked:
            index.add(by_id[aid], when=todo.when[aid])
        for aid in todo.unlinked:  # the repair `StoryIndex.add_all` makes, of this run's articles
            index.refile(by_id[aid], when=todo.when[aid], alone_only=REPAIR == "alone")
        # then of the stories they touched: split in two, merged into another (`repair_stories`)
        repaired = index.repair_stories(index.story_of(a) for a in todo.unlinked)
        filed = {a for members in active.values() for a in members} | set(todo.unlinked)
        merges = {old: index.resolve(old) for old in index.merged if old in todo.members}
        touched = {index.story_of(a) for a in todo.unlinked} | {index.resolve(s) for s in todo.stale}
        touched |= set(merges.values()) | repaired.stories
        changed = [s for s in index.stories if s.id in touched]
        # A changed story is linked whole: its stored articles (of the stories merged into it
        # too) in their order, then the new ones.
        into: dict[str, list[str]] = {}
        for old, new in merges.items():
            into.setdefault(new, []).append(old)
        for story in changed:
            stored = [
                a
                for sid in [story.id, *into.get(story.id, [])]
                for a in todo.members.get(sid, [])
                # not split off into another part (articles outside the window were not weighed)
                if a not in filed or index.story_of(a) == story.id
            ]
            kept = set(stored)
            story.articles = stored + [a for a in story.articles if a not in kept]
        by_id.update(_articles(store, [a for s in changed for a in s.articles if a not in by_id], given))
        # The linker sees exactly these stories: an index that files each article where it is.
        fixed = StoryIndex(window=None)
        for story in changed:
            for aid in story.articles:
                fixed.place(aid, story.id)
        part = Analysis(
            articles=[by_id[a] for s in changed for a in s.articles], settings={**settings, **extra}
        )
        linked = (linker or default_linker(store))(part, fixed)
        profiles = {
            aid: profile.to_json()
            for aid in filed - set(cached)
            if (profile := index.profile(aid)) is not None
        }
        # Another writer may have linked meanwhile: then plan again.
        if store.save_story_links(
            todo, window, linked, touched | todo.stale, merges, profiles, PROFILE_VERSION
        ):
            return linked
    log.warning("the store kept changing while linking new articles; relinking it all")
    return relink(store, analysis)


def relink(
    store: Store,
    analysis: Analysis | None = None,
    linker: Callable[[Analysis], Analysis] | None = None,
    *,
    window: timedelta | None = None,
) -> Analysis:
    """Link the latest version of every stored article together and save the links: the full
    relink (`storydiff relink`, after a model upgrade). `window` bounds which stories an article
    may join by publication time (None: any). Story ids carry over to the new stories that
    continue them; ids that went are recorded as merged.

    When `analysis` (already linked) holds exactly the store's latest articles, its links are
    saved as they are; otherwise the latest articles are loaded and linked again, so an analysis
    of today's articles is linked with yesterday's. Returns the linked analysis.
    """
    corpus = analysis
    for _attempt in range(RELINK_ATTEMPTS):
        latest = store.latest_article_ids()
        if corpus is None or {a.id for a in corpus.articles} != set(latest):
            loaded = store.load_analysis(latest, with_links=False)
            # What ran: the stored corpus's settings, updated by this run's (spaCy model).
            loaded.settings = {**store.settings(), **(analysis.settings if analysis is not None else {})}
            if linker is None:  # only now: loading the embedder takes a while
                linker = _windowed(default_linker(store), window)
            corpus = linker(loaded)
        # Another writer may have stored articles while we linked: then link again, so the last
        # relink to commit always covers everything stored.
        if store.save_relinked(corpus):
            return corpus
    assert corpus is not None
    log.warning("the store kept changing while linking; saved links of %d articles", len(corpus.articles))
    store.save_links(corpus)
    return corpus


def default_linker(store: Store) -> IndexLinker:
    """storydiff's linker, with model embeddings kept in the store (see `StoredEmbedder`)."""
    from storydiff.embed import get_embedder
    from storydiff.link import link
    from storydiff.store.embeddings import StoredEmbedder

    inner = get_embedder()
    # The lexical fallback hashes text faster than it could be read back (and is 8 KB a text).
    embedder = inner if inner.name.startswith("lexical") else StoredEmbedder(store.engine, inner)

    def linker(analysis: Analysis, index: StoryIndex | None = None) -> Analysis:
        linked = link(analysis, embedder=embedder, index=index)
        if isinstance(embedder, StoredEmbedder):
            embedder.flush()
            log.info("embeddings: %d computed, %d read from the store", embedder.computed, embedder.reused)
        return linked

    return linker


def _windowed(linker: IndexLinker, window: timedelta | None) -> Callable[[Analysis], Analysis]:
    """`linker` filing into a fresh story index with this window."""
    return lambda analysis: linker(analysis, StoryIndex(window=window))


def _articles(store: Store, ids: Sequence[str], given: Mapping[str, Article]) -> dict[str, Article]:
    """These articles by id: from `given` where it has them, else read from the store."""
    found = {a.id: a for a in store.load_articles([i for i in ids if i not in given])}
    found.update({i: given[i] for i in ids if i in given})
    return found
