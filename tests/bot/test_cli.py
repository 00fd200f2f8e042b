from pathlib import Path

from bot.cli import main


def test_build_nlp_writes_a_loadable_pipeline(tmp_path: Path, capsys):
    assert main(["build-nlp", "--output", str(tmp_path / "spacy")]) == 0
    assert (tmp_path / "spacy" / "meta.json").exists()
    assert "spaCy pipeline written" in capsys.readouterr().out


def test_build_nlp_reports_a_broken_patterns_file(tmp_path: Path, capsys):
    patterns = tmp_path / "patterns.yml"
    patterns.write_text("role: [lead]\nseniority: [lead]\n")
    assert main(["build-nlp", "--output", str(tmp_path / "out"), "--patterns", str(patterns)]) == 1
    assert "both 'role' and 'seniority'" in capsys.readouterr().err
