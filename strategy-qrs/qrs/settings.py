"""The service's configuration: environment variables only, with the names the Java services read,
so that ./pipeline, compose and Kubernetes configure every strategy the same way. The catalog entry
(strategies/qrs.properties) arrives as STRATEGY_NAME, STRATEGY_RULE, STRATEGY_PARAM_*, ..."""
import os
import re
from decimal import Decimal
from pathlib import Path

from . import bollinger

HERE = Path(__file__).resolve().parent
DEFAULTS_FILE = HERE.parent / "environment.properties"


def defaults():
    """Every variable the service reads, with its default (environment.properties)."""
    values = {}
    for line in DEFAULTS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


class SettingsError(ValueError):
    pass


class Settings:
    def __init__(self, env=None):
        given = dict(os.environ if env is None else env)
        env = defaults()
        env.update({k: v for k, v in given.items() if k in env or k.startswith("STRATEGY_PARAM_")})
        self.name = env["STRATEGY_NAME"]
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,30}", self.name):
            raise SettingsError(f"STRATEGY_NAME '{self.name}' is not a strategy name (lower case, digits and -)")
        rule = env["STRATEGY_RULE"]
        if rule != bollinger.RULE_ID:
            raise SettingsError(f"this service runs rule {bollinger.RULE_ID}, not '{rule}'")
        parameters = {key[len("STRATEGY_PARAM_"):].lower(): value for key, value in env.items()
                      if key.startswith("STRATEGY_PARAM_")}
        try:
            self.parameters = bollinger.parameters(parameters)
        except bollinger.ParameterError as e:
            raise SettingsError(str(e)) from None
        try:
            self.quantity = Decimal(env["STRATEGY_QUANTITY"])
        except ArithmeticError:
            raise SettingsError(f"STRATEGY_QUANTITY is not a number: {env.get('STRATEGY_QUANTITY')}") from None
        if not self.quantity.is_finite() or self.quantity <= 0 or self.quantity.as_tuple().exponent < -bollinger.SCALE:
            raise SettingsError(f"STRATEGY_QUANTITY must be positive with at most 8 decimals, was {self.quantity}")
        self.http_port = int(env["STRATEGY_HTTP_PORT"])
        self.http_bind = env["PIPELINE_HTTP_BIND"]
        self.advertised_host = env["PIPELINE_ADVERTISED_HOST"]
        self.bootstrap_servers = env["KAFKA_BOOTSTRAP_SERVERS"]
        self.registry_url = env["PIPELINE_REGISTRY_URL"]
        self.peer_secret = env.get("PIPELINE_PEER_SECRET") or None
        self.users_file = env.get("PIPELINE_HTTP_USERS_FILE") or None
        self.reads_need_login = env["PIPELINE_HTTP_READS_NEED_LOGIN"] == "true"
        self.schema_dir = Path(env["PIPELINE_SCHEMA_DIR"] or HERE.parent.parent / "common-schema/src/main/avro")
        # the transactional id: stable per instance (a pod's name, or the launcher's instance index)
        self.instance = env.get("PIPELINE_INSTANCE") or env.get("POD_NAME") or f"{self.advertised_host}-{self.http_port}"
        self.commit_interval = int(env["STRATEGY_COMMIT_INTERVAL_MS"]) / 1000
        self.kafka = kafka_client(env)

    @property
    def application_id(self):
        return f"trading-strategy.{self.name}"

    @property
    def changelog(self):
        # named as Kafka Streams names a store's changelog: the same ACLs (the application id as a
        # topic prefix) and the same ./pipeline reset cover it
        return f"{self.application_id}-ticker-state-store-changelog"

    @property
    def address(self):
        return f"{self.advertised_host}:{self.http_port}"


def kafka_client(env):
    """librdkafka's settings from the Java clients' variables (KAFKA_SECURITY_PROTOCOL, ...)."""
    config = {"bootstrap.servers": env.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092")}
    protocol = env.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
    config["security.protocol"] = protocol
    if protocol.startswith("SASL"):
        config["sasl.mechanism"] = env.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        jaas = env.get("KAFKA_SASL_JAAS_CONFIG", "")
        user = re.search(r'username="([^"]*)"', jaas)
        password = re.search(r'password="([^"]*)"', jaas)
        if not user or not password:
            raise SettingsError("KAFKA_SASL_JAAS_CONFIG has no username=\"...\" password=\"...\"")
        config["sasl.username"] = user.group(1)
        config["sasl.password"] = password.group(1)
    if protocol.endswith("SSL"):
        ca = env.get("KAFKA_SSL_TRUSTSTORE_LOCATION")
        if ca:
            if env.get("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM") != "PEM":
                raise SettingsError("KAFKA_SSL_TRUSTSTORE_TYPE must be PEM for this service")
            config["ssl.ca.location"] = ca
    return config
