"""The local web app: browse stories, speakers and outlets, search, open an article with its
highlights, paste or upload an article to analyse; a JSON API under /api with an OpenAPI document.

A thin shell over `Store` and the pipeline: pages render the same views as the HTML report.
Safety: every piece of article text is escaped by the templates; request bodies are size-limited;
with a token set, every request must carry it (header, `?token=` or the cookie it sets).
"""

from __future__ import annotations

import hmac
import threading
from datetime import datetime
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import TypeAdapter
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydiff.model import Analysis, Article, RawDocument, Story
from storydiff.report import json as json_report
from storydiff.report.html import context, environment
from storydiff.report.views import article_view, story_view
from storydiff.store import Store

MOVED = 301  # a merge is recorded for good: a merged story's id never names another story
MAX_BODY = 2_000_000  # bytes; a long article is ~50 kB
TOKEN_COOKIE = "storydiff_token"
_JSON_LIST = TypeAdapter(list[dict[str, Any]])

# spaCy pipelines are not meant to be shared across threads mid-parse: one analysis at a time.
_analysis_lock = threading.Lock()


class BodyTooLarge(Exception):
    pass


class _Guard:
    """The token check and the body-size limit, as plain ASGI middleware: the same answers as an
    `@app.middleware("http")` function, without the task group and memory streams that one costs
    on every request."""

    def __init__(self, app: ASGIApp, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.cookie: tuple[bytes, bytes] | None = None
        if token is not None:
            carrier = Response()
            carrier.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            self.cookie = carrier.raw_headers[-1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = self.token
        if token is not None:
            offered = (
                request.headers.get("authorization", "").removeprefix("Bearer ").strip()
                or request.query_params.get("token")
                or request.cookies.get(TOKEN_COOKIE)
                or ""
            )
            if not hmac.compare_digest(offered.encode(), token.encode()):
                refused = JSONResponse(
                    {"detail": "a valid token is required (?token=... or a Bearer header)"}, 401
                )
                await refused(scope, receive, send)
                return
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await JSONResponse({"detail": f"request body over the {self.max_body}-byte limit"}, 413)(
                scope, receive, send
            )
            return
        cookie = self.cookie
        if cookie is None or request.query_params.get("token") != token:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), cookie]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _page(name: str, analysis: Analysis | None = None, **values: Any) -> HTMLResponse:
    html = environment.get_template(name).render(context(analysis or Analysis(), **values))
    return HTMLResponse(html)


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    from storydiff.store.rows import parse_since

    try:
        return parse_since(value)
    except ValueError as e:
        raise HTTPException(400, f"since: {e}") from e


def _story_analysis(store: Store, story_id: str) -> tuple[Analysis, Story]:
    analysis = store.story(story_id)
    if analysis is None:
        raise HTTPException(404, f"no story {story_id!r}")
    story = next((s for s in analysis.stories if s.id == story_id), None)
    if story is None:
        story = Story(id=story_id, articles=[a.id for a in analysis.articles])
        analysis.stories.append(story)
    return analysis, story


def _merged_into(store: Store, story_id: str) -> str | None:
    """The story `story_id` was merged into (ids of merged stories stay valid), else None."""
    current = store.resolve_story(story_id)
    return current if current != story_id else None


def _article(store: Store, article_id: str) -> Article:
    found = store.load_articles([article_id])
    if not found:
        raise HTTPException(404, f"no article {article_id!r}")
    return found[0]


def _outlets(store: Store) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, int]] = {}
    for summary in store.stories():
        for outlet in summary.outlets:
            row = counts.setdefault(outlet, {"stories": 0})
            row["stories"] += 1
    return [{"outlet": o, **c} for o, c in sorted(counts.items(), key=lambda kv: (-kv[1]["stories"], kv[0]))]


def _analyse_into(store: Store, doc: RawDocument) -> Article:
    """Analyse one pasted or uploaded article into the store as a recorded run; only the stories
    it touches are linked again (`storydiff.archive`), as after `storydiff analyze --db`."""
    from storydiff.archive import store_run
    from storydiff.pipeline import run_documents

    with _analysis_lock:
        run = store_run(
            store,
            lambda on_article, resume: run_documents([doc], on_article=on_article, resume=resume),
            settings={"inputs": [doc.path or "-"], "via": "web"},
        )
    if not run.analysis.articles:
        skipped = run.analysis.skipped
        raise HTTPException(
            400, f"could not analyse the article: {skipped[0].reason if skipped else 'nothing to analyse'}"
        )
    return run.analysis.articles[0]


def create_app(store: Store, *, token: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The app over an open store. `token`, when set, is required on every request."""
    app = FastAPI(
        title="storydiff",
        summary="Who said what, and where news outlets agree, differ or stay silent.",
        docs_url=None,  # Swagger UI loads from a CDN; the app must work offline
        redoc_url=None,
    )

    app.add_middleware(_Guard, token=token, max_body=max_body)

    # -- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> HTMLResponse:
        return _page(
            "web_home.html.j2",
            title="storydiff",
            stories=store.stories(),
            counts=store.counts(),
            speakers=store.speakers(limit=10),
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False, response_model=None)
    def story_page(story_id: str) -> Response:
        if (merged := _merged_into(store, story_id)) is not None:
            return RedirectResponse(f"/stories/{quote(merged, safe='')}", status_code=MOVED)
        analysis, story = _story_analysis(store, story_id)
        view = story_view(analysis, story)
        return _page("web_story.html.j2", analysis, title=view.title, view=view)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = _article(store, article_id)
        analysis = Analysis(articles=[article])
        return _page(
            "web_article.html.j2", analysis, title=article.title or article.id, av=article_view(article)
        )

    @app.get("/speakers", response_class=HTMLResponse, include_in_schema=False)
    def speakers_page() -> HTMLResponse:
        return _page("web_speakers.html.j2", title="Speakers", speakers=store.speakers())

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page() -> HTMLResponse:
        return _page("web_outlets.html.j2", title="Outlets", outlets=_outlets(store))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: str = "", speaker: str | None = None, outlet: str | None = None, since: str | None = None
    ) -> HTMLResponse:
        hits = (
            store.search(q, speaker=speaker or None, outlet=outlet or None, since=_since(since)) if q else []
        )
        return _page(
            "web_search.html.j2",
            title=f"Search: {q}" if q else "Search",
            q=q,
            speaker=speaker or "",
            outlet=outlet or "",
            since=since or "",
            hits=hits,
        )

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form() -> HTMLResponse:
        return _page("web_analyze.html.j2", title="Analyse an article", error=None, max_body=max_body)

    @app.post("/analyze", include_in_schema=False, response_model=None)
    async def analyze_page(
        text: str = Form(""),
        title: str = Form(""),
        outlet: str = Form(""),
        upload: UploadFile | None = File(None),
    ) -> Response:
        raw_text = text
        name = "pasted text"
        if upload is not None and upload.filename:
            from storydiff.ingest.encoding import NotText, decode

            data = await upload.read(max_body + 1)
            if len(data) > max_body:
                return _page("web_analyze.html.j2", title="Analyse an article", max_body=max_body,
                             error=f"{upload.filename}: over the {max_body}-byte limit")  # fmt: skip
            try:
                raw_text = decode(data, upload.filename).text
            except NotText as e:
                return _page("web_analyze.html.j2", title="Analyse an article", max_body=max_body,
                             error=f"{upload.filename}: {e}")  # fmt: skip
            name = upload.filename
        if not raw_text.strip():
            return _page("web_analyze.html.j2", title="Analyse an article", max_body=max_body,
                         error="paste an article's text or choose a file")  # fmt: skip
        doc = RawDocument(text=raw_text, path=name, title=title or None, outlet=outlet or None)
        try:
            article = _analyse_into(store, doc)
        except HTTPException as e:
            return _page(
                "web_analyze.html.j2", title="Analyse an article", max_body=max_body, error=str(e.detail)
            )
        return RedirectResponse(f"/articles/{article.id}", status_code=303)

    # -- JSON API --------------------------------------------------------------------------

    @app.get("/api/stories", tags=["stories"])
    def api_stories() -> list[dict[str, Any]]:
        """Every stored story, biggest first."""
        return [s.to_dict() for s in store.stories()]

    @app.get("/api/stories/{story_id}", tags=["stories"], response_model=None)
    def api_story(story_id: str) -> dict[str, Any] | Response:
        """One story as a storydiff/report@1 document; the id of a story merged into another
        redirects to that story's."""
        if (merged := _merged_into(store, story_id)) is not None:
            return RedirectResponse(f"/api/stories/{quote(merged, safe='')}", status_code=MOVED)
        analysis, _ = _story_analysis(store, story_id)
        return json_report.to_dict(analysis)

    @app.get("/api/articles/{article_id}", tags=["articles"])
    def api_article(article_id: str) -> dict[str, Any]:
        """One article with its quotes and claims, as a storydiff/report@1 document."""
        return json_report.to_dict(Analysis(articles=[_article(store, article_id)]))

    @app.get("/api/speakers", tags=["speakers"])
    def api_speakers(limit: int | None = Query(None, ge=1, le=10_000)) -> list[dict[str, Any]]:
        """Named speakers, most quoted first."""
        return [s.to_dict() for s in store.speakers(limit=limit)]

    @app.get("/api/outlets", tags=["outlets"])
    def api_outlets() -> list[dict[str, Any]]:
        """Outlets and how many stories each appears in."""
        return _outlets(store)

    # SQLite answers a search in a millisecond or two of CPU and, in WAL mode, never waits for a
    # writer: on the event loop it costs half what a trip through the thread pool does (thread
    # hand-offs, GIL contention among 40 threads). A server database is waited for in the pool.
    search_inline = store.dialect == "sqlite"

    @app.get("/api/search", tags=["search"], response_model=list[dict[str, Any]])
    async def api_search(
        q: str = Query(..., min_length=1, max_length=500, description='words, "phrases", prefix*, OR'),
        speaker: str | None = None,
        outlet: str | None = None,
        since: str | None = Query(None, description="YYYY-MM-DD or an ISO time"),
        kind: str | None = Query(None, pattern="^(quote|claim)$"),
        limit: int = Query(20, ge=1, le=200),
    ) -> Response:
        """Quotes and claims matching `q`, best first, with snippets (matches between `**`)."""

        def answer() -> bytes:
            hits = store.search(
                q, speaker=speaker, outlet=outlet, since=_since(since), limit=limit,
                kind=kind,  # type: ignore[arg-type]  # checked by the pattern above
            )  # fmt: skip
            # The bytes FastAPI would send for the list, without validating our own dicts again.
            return _JSON_LIST.dump_json([h.to_dict() for h in hits])

        body = answer() if search_inline else await run_in_threadpool(answer)
        return Response(body, media_type="application/json")

    @app.post("/api/analyze", tags=["articles"])
    def api_analyze(payload: dict[str, Any]) -> dict[str, Any]:
        """Analyse one article (`text`, optional `title`, `outlet`, `url`), store it, return it."""
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip():
            raise HTTPException(400, "text: a non-empty string is required")
        fields = {k: payload.get(k) for k in ("title", "outlet", "url")}
        if any(v is not None and not isinstance(v, str) for v in fields.values()):
            raise HTTPException(400, "title, outlet and url must be strings")
        doc = RawDocument(text=text, path=None, **fields)  # type: ignore[arg-type]
        article = _analyse_into(store, doc)
        return json_report.to_dict(Analysis(articles=[article]))

    return app
