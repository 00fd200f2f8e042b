import socket
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import free_port


def test_build_nlp_writes_a_loadable_pipeline(tmp_path: Path, capsys):
    assert main(["build-nlp", "--output", str(tmp_path / "spacy")]) == 0
    assert (tmp_path / "spacy" / "meta.json").exists()
    assert "spaCy pipeline written" in capsys.readouterr().out


def test_build_nlp_reports_a_broken_patterns_file(tmp_path: Path, capsys):
    patterns = tmp_path / "patterns.yml"
    patterns.write_text("role: [lead]\nseniority: [lead]\n")
    assert main(["build-nlp", "--output", str(tmp_path / "out"), "--patterns", str(patterns)]) == 1
    assert "both 'role' and 'seniority'" in capsys.readouterr().err


def test_run_refuses_at_once_a_port_another_program_holds(tmp_path: Path, monkeypatch):
    for name in ("ACTIONS_PORT", "WEB_PORT"):
        monkeypatch.setenv(name, str(free_port()))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'leads.db'}")
    with socket.socket() as other:
        other.bind(("0.0.0.0", 0))
        other.listen()
        port = other.getsockname()[1]
        monkeypatch.setenv("RASA_PORT", str(port))

        with pytest.raises(SystemExit, match=f"already in use.*RASA_PORT {port}"):
            main(["run", "--dev", "--model", str(tmp_path / "model.tar.gz")])

    assert not (tmp_path / "leads.db").exists()  # refused before anything was started
