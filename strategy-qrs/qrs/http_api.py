"""The strategy over HTTP, in the shapes of the Java strategies (trading.strategy.rest), so that the
dashboard and /api/tickers/{ticker} show it with no special case:

  GET /strategy                 name, application id, rule, effective parameters, quantity, plots
  GET /state                    every ticker of every instance, or 503: never a partial list
  GET /state/{ticker}           one ticker, from whichever instance holds it
  GET /state/{ticker}/signals   its recent signals, newest first
  GET /q/health/{live,ready,started}, GET /q/metrics (Prometheus text)

Which instance holds which partition of prices comes from the consumer group itself: each member's
client id carries its HTTP address, its assignment the partitions. ?local=true is how instances ask
each other, with the service's peer secret (X-Pipeline-Peer), as the Java services do.
"""
import base64
import hashlib
import hmac
import json
import re
import struct
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from confluent_kafka.admin import AdminClient

from . import bollinger, murmur2
from .service import PRICES

TICKER = re.compile(r"[A-Za-z0-9._:-]{1,32}")
PEER_HEADER = "X-Pipeline-Peer"
SCALE = Decimal(1).scaleb(-bollinger.SCALE)


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def display(unscaled):
    """An unscaled price as the Java services show it: a plain number without trailing zeros."""
    if unscaled is None:
        return None
    return json_number(bollinger.plain(Decimal(unscaled).scaleb(-bollinger.SCALE)))


class json_number(float):
    """A decimal written as its exact digits in JSON (never through a float's rounding)."""

    def __new__(cls, text):
        value = super().__new__(cls, text)
        value.text = text
        return value


def dumps(value):
    def encode(v):
        if isinstance(v, json_number):
            return RawNumber(v.text)
        if isinstance(v, Decimal):
            return RawNumber(bollinger.plain(v))
        if isinstance(v, dict):
            return {k: encode(x) for k, x in v.items()}
        if isinstance(v, list):
            return [encode(x) for x in v]
        return v
    return RawEncoder(separators=(",", ":")).encode(encode(value))


class RawNumber(str):
    pass


class RawEncoder(json.JSONEncoder):
    def iterencode(self, o, _one_shot=False):
        # numbers are written from their exact text; everything else as json writes it
        if isinstance(o, RawNumber):
            yield str(o)
        elif isinstance(o, dict):
            yield "{"
            for i, (k, v) in enumerate(o.items()):
                yield ("," if i else "") + json.dumps(k) + ":"
                yield from self.iterencode(v)
            yield "}"
        elif isinstance(o, list):
            yield "["
            for i, v in enumerate(o):
                if i:
                    yield ","
                yield from self.iterencode(v)
            yield "]"
        else:
            yield json.dumps(o)

    def encode(self, o):
        return "".join(self.iterencode(o))


class Api:
    def __init__(self, settings, strategy, service):
        self.settings = settings
        self.strategy = strategy
        self.service = service
        self.admin = AdminClient(settings.kafka)
        self.users = load_users(settings.users_file)
        self._owners = (0.0, None)

    # --- what /strategy says --------------------------------------------------------------------

    def info(self):
        s = self.settings
        return {"name": s.name, "applicationId": s.application_id, "rule": bollinger.RULE_ID,
                "description": bollinger.DESCRIPTION,
                "parameters": {k: v for k, v in s.parameters.items()}, "quantity": s.quantity,
                "indicators": self.strategy.rule.plots()}

    # --- state ----------------------------------------------------------------------------------

    def view(self, state, answered_by=None):
        indicators = {k: None if v is None else json_number(bollinger.plain(v))
                      for k, v in self.strategy.rule.indicators(state.window).items()}
        view = {"ticker": state.ticker, "lastPrice": display(state.last_price), "sequence": state.last_sequence,
                "source": state.last_source, "updates": state.updates, "skipped": state.skipped,
                "position": state.position, "lastSignal": state.last_signal,
                "answeredBy": answered_by or self.settings.address, "stale": False, "indicators": indicators}
        view.update(indicators)
        return view

    def signals(self, state):
        return [dict(e, price=display(e["price"]),
                     indicators={k: None if v is None else json_number(v) for k, v in e["indicators"].items()})
                for e in state.signals]

    def owners(self):
        """{address: [partitions]} from the group, cached for a second; HttpError 503 unless every partition has an owner."""
        at, owners = self._owners
        if owners is not None and time.monotonic() - at < 1.0:
            return owners
        try:
            groups = self.admin.list_groups(self.settings.application_id, timeout=5)
        except Exception as e:
            raise HttpError(503, f"cannot describe group {self.settings.application_id}: {e}") from None
        owners = {}
        for group in groups:
            if group.state != "Stable":
                raise HttpError(503, f"group {group.id} is {group.state}: partitions are being reassigned")
            for member in group.members:
                address = member.client_id.partition("@")[2]
                owners.setdefault(address, []).extend(assignment(member.assignment).get(PRICES, []))
        covered = sorted(p for ps in owners.values() for p in ps)
        if covered != list(range(self.service.price_partitions)):
            raise HttpError(503, f"not every partition of {PRICES} has an owner yet ({len(covered)} of"
                                 f" {self.service.price_partitions})")
        self._owners = (time.monotonic(), owners)
        return owners

    def local(self, partitions):
        with self.strategy.lock:
            if not self.strategy.ready:
                raise HttpError(503, f"this instance is not ready: {self.strategy.problem}")
            missing = [p for p in partitions if p not in self.strategy.partitions]
            if missing:
                raise HttpError(503, f"partitions {missing} of {PRICES} are not (or no longer) on this instance")
            return [self.view(state) for p in partitions for state in self.strategy.partitions[p].values()]

    def all(self):
        views = []
        for address, partitions in self.owners().items():
            if address == self.settings.address:
                views += self.local(partitions)
            else:
                views += self.ask(address, "/state?local=true&partitions=" + ",".join(map(str, sorted(partitions))))
        return sorted(views, key=lambda v: v["ticker"])

    def one(self, ticker, local, signals=False):
        if not local:
            partition = murmur2.partition(ticker, self.service.price_partitions)
            owner = next((a for a, ps in self.owners().items() if partition in ps), None)
            if owner != self.settings.address:
                suffix = "/signals" if signals else ""
                return self.ask(owner, f"/state/{urllib.parse.quote(ticker)}{suffix}?local=true")
        with self.strategy.lock:
            if not self.strategy.ready:
                raise HttpError(503, f"this instance is not ready: {self.strategy.problem}")
            state = self.strategy.state_of(ticker)
            if state is None:
                raise HttpError(404, f"strategy {self.settings.name} has seen no price of ticker '{ticker}'")
            return self.signals(state) if signals else self.view(state)

    def ask(self, address, path):
        request = urllib.request.Request(f"http://{address}{path}")
        if self.settings.peer_secret:
            request.add_header(PEER_HEADER, self.settings.peer_secret)
        try:
            with urllib.request.urlopen(request, timeout=3) as answer:
                return json.loads(answer.read(), parse_float=json_number)
        except urllib.error.HTTPError as e:
            if e.code == 404:
                raise HttpError(404, json.loads(e.read() or b"{}").get("message", "not found")) from None
            raise HttpError(503, f"instance {address} answered {e.code}") from None
        except OSError as e:
            raise HttpError(503, f"instance {address} does not answer: {e}") from None

    # --- health and metrics ---------------------------------------------------------------------

    def health(self, which):
        strategy = self.strategy
        loop_alive = time.monotonic() - strategy.last_loop < 60
        checks = [{"name": "processing loop", "status": "UP" if loop_alive else "DOWN"}]
        if which == "ready":
            ok = strategy.ready and strategy.problem is None
            checks.append({"name": "ticker-state-store", "status": "UP" if ok else "DOWN",
                           "data": {"state": "RUNNING" if ok else (strategy.problem or "not ready")}})
        up = all(c["status"] == "UP" for c in checks)
        return (200 if up else 503), {"status": "UP" if up else "DOWN", "checks": checks}

    def metrics(self):
        s, name = self.strategy, self.settings.name
        tag = f'{{strategy="{name}"}}'
        lines = [
            "# HELP strategy_prices_applied_total prices applied to a ticker's state",
            "# TYPE strategy_prices_applied_total counter", f"strategy_prices_applied_total{tag} {s.applied}.0",
            "# HELP strategy_prices_skipped_total prices skipped: re-delivered, or older than the last of their source",
            "# TYPE strategy_prices_skipped_total counter", f"strategy_prices_skipped_total{tag} {s.skipped}.0",
            "# HELP strategy_orders_sent_total orders sent to the orders topic",
            "# TYPE strategy_orders_sent_total counter", f"strategy_orders_sent_total{tag} {s.orders}.0",
            "# HELP strategy_prices_dead_lettered_total prices sent to prices.dlq",
            "# TYPE strategy_prices_dead_lettered_total counter",
            f"strategy_prices_dead_lettered_total{tag} {s.dead_letters}.0",
            "# HELP strategy_tick_to_decision_seconds from the feed publishing a price to the strategy deciding an order on it",
            "# TYPE strategy_tick_to_decision_seconds summary",
        ]
        recent = sorted(s.latencies)
        for q in ("0.5", "0.99", "0.999"):
            value = recent[min(len(recent) - 1, int(float(q) * len(recent)))] if recent else 0.0
            lines.append(f'strategy_tick_to_decision_seconds{{strategy="{name}",quantile="{q}"}} {value}')
        lines.append(f"strategy_tick_to_decision_seconds_count{tag} {s.orders}.0")
        return "\n".join(lines) + "\n"

    def allowed(self, headers, local):
        """Peers (the secret) for ?local=true; a login for reads when PIPELINE_HTTP_READS_NEED_LOGIN."""
        if local and self.settings.peer_secret:
            given = headers.get(PEER_HEADER) or ""
            if not hmac.compare_digest(given.encode(), self.settings.peer_secret.encode()):
                raise HttpError(403, "instance-local answers (local=true) are for the other instances of this"
                                     " service; ask without local=true for the whole answer")
            return
        if self.settings.reads_need_login and not check_login(self.users, headers.get("Authorization")):
            raise HttpError(401, "a login is needed")


def assignment(data):
    """The partitions per topic of a consumer group member's assignment (Kafka's ConsumerProtocol)."""
    topics = {}
    if not data:
        return topics
    offset = 2  # version
    (count,) = struct.unpack_from(">i", data, offset)
    offset += 4
    for _ in range(count):
        (length,) = struct.unpack_from(">h", data, offset)
        topic = data[offset + 2: offset + 2 + length].decode()
        offset += 2 + length
        (n,) = struct.unpack_from(">i", data, offset)
        offset += 4
        topics[topic] = list(struct.unpack_from(f">{n}i", data, offset))
        offset += 4 * n
    return topics


def load_users(path):
    """name -> (iterations, salt, hash) from the users file ./pipeline writes (PBKDF2-HMAC-SHA256)."""
    users = {}
    if not path:
        return users
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    name, _roles, iterations, salt, digest = line.strip().split(":")
                    users[name] = (int(iterations), base64.b64decode(salt), base64.b64decode(digest))
    except FileNotFoundError:
        pass
    return users


def check_login(users, authorization):
    if not authorization or not authorization.startswith("Basic "):
        return False
    try:
        user, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
    except ValueError:
        return False
    # an unknown user costs the same hashing as a known one: no telling names by timing
    iterations, salt, digest = users.get(user, (20000, b"\0" * 16, b""))
    computed = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return hmac.compare_digest(computed, digest) and user in users


def start(settings, strategy, service):
    api = Api(settings, strategy, service)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            path = url.path.rstrip("/") or "/"
            try:
                status, body, kind = self.route(path, query)
            except HttpError as e:
                status, body, kind = e.status, dumps({"status": e.status, "message": str(e)}), "application/json"
            except Exception as e:  # an answer, never a dropped connection
                status, body, kind = 500, dumps({"status": 500, "message": f"{type(e).__name__}: {e}"}), "application/json"
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_HEAD(self):
            self.refuse(405, "only GET is served here")

        def __getattr__(self, name):
            # any other method (POST, DELETE, BREW, ...) is refused with a 405, not the library's 501
            if name.startswith("do_"):
                return lambda: self.refuse(405, f"method {name[3:]} is not allowed: only GET is served here")
            raise AttributeError(name)

        def refuse(self, status, message):
            data = dumps({"status": status, "message": message}).encode()
            self.close_connection = True  # a body we did not read must not be taken for the next request
            self.send_response(status)
            self.send_header("Allow", "GET")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def route(self, path, query):
            if path == "/q/metrics":
                return 200, api.metrics(), "text/plain; version=0.0.4"
            if path in ("/q/health", "/q/health/live", "/q/health/ready", "/q/health/started"):
                status, body = api.health("ready" if path in ("/q/health", "/q/health/ready") else "live")
                return status, dumps(body), "application/json"
            local = query.get("local", ["false"])[0] == "true"
            api.allowed(self.headers, local)
            if path == "/strategy":
                return 200, dumps(api.info()), "application/json"
            if path == "/state":
                if local:
                    partitions = parse_partitions(query.get("partitions", [""])[0])
                    return 200, dumps(api.local(partitions)), "application/json"
                if "partitions" in query:
                    raise HttpError(400, "partitions is only for ?local=true")
                return 200, dumps(api.all()), "application/json"
            match = re.fullmatch(r"/state/([^/]+)(/signals)?", path)
            if match:
                ticker = urllib.parse.unquote(match.group(1))
                if not TICKER.fullmatch(ticker):
                    raise HttpError(400, "a ticker is 1 to 32 letters, digits or . _ : -")
                return 200, dumps(api.one(ticker, local, signals=bool(match.group(2)))), "application/json"
            raise HttpError(404, f"no resource {path}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((settings.http_bind, settings.http_port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    return server


def parse_partitions(text):
    try:
        return sorted({int(p) for p in text.split(",") if p.strip()})
    except ValueError:
        raise HttpError(400, f"partitions must be a comma-separated list of numbers, was '{text}'") from None
