"""The deployment files keep safe defaults and match the settings the bot reads.

make lint validates deploy/kubernetes/ against Kubernetes' own schemas and
lints the Dockerfile; these tests hold what schemas cannot: the unsafe
defaults of Rasa's deprecated Helm chart stay out, every variable set is one
the bot reads, every container command is a service ``bot serve`` knows.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from bot.ops.stack import SERVICE_NAMES, single_service
from bot.settings import Settings
from tests.conftest import ROOT

KUBERNETES = sorted((ROOT / "deploy/kubernetes").glob("*.yaml"))
COMPOSE = ROOT / "docker-compose.yml"
# Where Rasa's chart put its unsafe defaults: a shared token, any origin, the open API.
UNSAFE = [r"rasaToken", r"--enable-api", r"--auth-token", r"\bcors\b.*\*", r"SITE_ORIGINS.*\*"]
# Variables the images and platforms read besides the bot's settings.
NOT_SETTINGS = {"HOME", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def settings_variables() -> set[str]:
    """Every variable the bot reads (tests/bot/test_settings.py ties .env.example to them)."""
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?\s*([A-Z][A-Z_]+)=", text, re.M))


def kubernetes_documents() -> list[dict[str, Any]]:
    return [doc for path in KUBERNETES for doc in yaml.safe_load_all(path.read_text()) if doc]


def pod_specs() -> Iterator[tuple[str, dict[str, Any]]]:
    for doc in kubernetes_documents():
        if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
            yield doc["metadata"]["name"], doc["spec"]["template"]["spec"]
        if doc["kind"] == "CronJob":
            yield doc["metadata"]["name"], doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def test_the_manifests_exist_for_every_service():
    names = {name for name, _ in pod_specs()}
    assert names == {f"agency-bot-{service}" for service in (*SERVICE_NAMES, "migrate", "purge")}


@pytest.mark.parametrize("path", [*KUBERNETES, COMPOSE, ROOT / "Dockerfile"], ids=lambda p: p.name)
def test_no_unsafe_default_of_rasas_chart(path: Path):
    text = path.read_text()
    for pattern in UNSAFE:
        assert not re.search(pattern, text), f"{path.name}: {pattern}"


def test_every_pod_runs_as_a_non_root_user_on_a_read_only_root():
    for name, spec in pod_specs():
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["automountServiceAccountToken"] is False, name
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            assert container["resources"]["limits"]["memory"], name


def test_every_http_service_has_probes_and_every_command_is_a_bot_service():
    for name, spec in pod_specs():
        [container] = spec["containers"]
        command, *rest = container["args"]
        if command == "serve":
            assert rest[0] in SERVICE_NAMES, name
        if container.get("ports"):
            assert {"startupProbe", "readinessProbe", "livenessProbe"} <= set(container), name


def test_the_action_server_is_internal_and_only_rasa_reaches_it():
    documents = kubernetes_documents()
    ingress = next(doc for doc in documents if doc["kind"] == "Ingress")
    backends = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert backends == {"agency-bot-rasa", "agency-bot-web"}
    policy = next(doc for doc in documents if doc["kind"] == "NetworkPolicy")
    [rule] = policy["spec"]["ingress"]
    assert rule["from"] == [
        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "agency-bot-rasa"}}}
    ]
    services = [doc for doc in documents if doc["kind"] == "Service"]
    assert all(service["spec"]["type"] == "ClusterIP" for service in services)


def test_rasa_replicas_keep_a_visitor_on_one_replica_and_run_one_process_each():
    documents = kubernetes_documents()
    rasa = next(
        doc
        for doc in documents
        if doc["metadata"]["name"] == "agency-bot-rasa" and doc["kind"] == "Deployment"
    )
    assert rasa["spec"]["replicas"] >= 2
    service = next(
        doc
        for doc in documents
        if doc["kind"] == "Service" and doc["metadata"]["name"] == "agency-bot-rasa"
    )
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    config = next(doc for doc in documents if doc["kind"] == "ConfigMap")
    assert config["data"]["RASA_WORKERS"] == "1"
    assert "*" not in config["data"]["SITE_ORIGINS"]


def test_the_config_map_sets_only_variables_the_bot_reads():
    config = next(doc for doc in kubernetes_documents() if doc["kind"] == "ConfigMap")
    assert set(config["data"]) - NOT_SETTINGS <= settings_variables()


def test_compose_sets_only_variables_the_bot_reads_and_shares_state_between_replicas():
    services = compose()["services"]
    known = settings_variables() | NOT_SETTINGS
    for name, service in services.items():
        assert set(service.get("environment", {})) <= known, name
    rasa = services["rasa"]
    assert rasa["deploy"]["replicas"] >= 2
    assert rasa["environment"]["TRACKER_STORE_URL"].startswith("postgresql://")
    assert rasa["environment"]["LOCK_STORE_URL"].startswith("redis://")
    assert "ports" not in rasa  # reached through nginx (rasa-front)
    assert "ports" not in services["actions"]  # reached by Rasa only


def test_the_action_servers_keep_the_lead_spool_on_a_persistent_volume():
    actions = next(
        doc for doc in kubernetes_documents() if doc["metadata"]["name"] == "agency-bot-actions"
    )
    assert actions["kind"] == "StatefulSet"
    [claim] = actions["spec"]["volumeClaimTemplates"]
    [container] = actions["spec"]["template"]["spec"]["containers"]
    assert {"name": claim["metadata"]["name"], "mountPath": "/app/var"} in container["volumeMounts"]
    assert "actions-var:/app/var" in compose()["services"]["actions"]["volumes"]


def test_compose_commands_are_bot_services():
    for name, service in compose()["services"].items():
        command = service.get("command", [])
        if service.get("image", "").startswith("agency-bot") and command[:1] == ["serve"]:
            assert command[1] in SERVICE_NAMES, name


def http_path(url: str | None) -> str:
    return urlsplit(url or "").path


def test_every_server_is_restarted_when_it_dies_or_stops_answering(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # single_service writes Rasa's endpoints file under build/run/
    # Alive means answering at all: the web app's /health reads the database,
    # which a restart would not bring back, so its liveness asks for the demo page.
    alive_paths = {"rasa": "/", "actions": "/health", "web": "/"}
    for doc in kubernetes_documents():
        if doc["kind"] not in ("Deployment", "StatefulSet"):
            continue
        name, spec = doc["metadata"]["name"], doc["spec"]["template"]["spec"]
        assert spec.get("restartPolicy", "Always") == "Always", name
        [container] = spec["containers"]
        service = container["args"][1]
        if service not in alive_paths:
            assert "ports" not in container, name  # the delivery worker: nothing to probe
            continue
        ready = single_service(Settings(), Path("model.tar.gz"), service).health_url
        assert container["readinessProbe"]["httpGet"]["path"] == http_path(ready), name
        liveness = container["livenessProbe"]
        assert liveness["httpGet"]["path"] == alive_paths[service], name
        assert liveness["timeoutSeconds"] >= 1, name
        assert liveness["failureThreshold"] >= 3, name  # one slow answer is no hang
        startup = container["startupProbe"]
        assert startup["periodSeconds"] * startup["failureThreshold"] >= 60, name


def test_compose_restarts_a_bot_container_that_dies_or_hangs():
    for name, service in compose()["services"].items():
        if not service.get("image", "").startswith("agency-bot") or name == "migrate":
            continue
        assert service["restart"] in ("always", "unless-stopped"), name
        assert service["init"] is True, name  # the service is not PID 1: it can be killed
        test = service["healthcheck"]["test"]
        assert test[:3] == ["CMD", "bot", "healthcheck"], name
        assert "--stop-after" in test, name
    assert compose()["services"]["rasa"]["healthcheck"]["start_period"] == "180s"


def test_the_image_health_check_stops_a_hung_service():
    dockerfile = (ROOT / "Dockerfile").read_text()
    healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (\[.*\])$", dockerfile, re.M)
    assert healthcheck is not None
    assert json.loads(healthcheck.group(1)) == ["bot", "healthcheck", "--stop-after", "3"]


def test_every_rasa_replica_gets_the_shared_chat_session_secret():
    assert "CHAT_SESSION_SECRET" in compose()["services"]["rasa"]["environment"]
    assert "CHAT_SESSION_SECRET=" in (ROOT / "docs/deploy.md").read_text()
