"""The command line: exit statuses, skipped inputs, stdin, the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from storydiff.cli import EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, main

GOOD = "Officials said the bridge would reopen on Monday. “We are ready,” Mayor Ana Petrov said.\n"


def test_missing_path_exits_2_and_names_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.txt"
    assert main(["analyze", str(missing)]) == EXIT_USAGE
    assert str(missing) in capsys.readouterr().err


def test_bad_files_are_skipped_with_a_warning_and_the_rest_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "r.json"
    assert main(["analyze", str(tmp_path), "--json", str(out)]) == EXIT_SKIPPED
    err = capsys.readouterr().err
    assert "empty.txt" in err and "binary.txt" in err
    report = json.loads(out.read_text())
    assert [Path(a["path"]).name for a in report["articles"]] == ["good.txt"]
    assert {Path(s["path"]).name for s in report["skipped"]} == {"empty.txt", "binary.txt"}


def test_clean_run_exits_0_and_prints_who_said_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert main(["analyze", str(tmp_path / "good.txt")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "We are ready" in out and "Ana Petrov" in out


def test_quotes_command_filters_by_speaker(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert main(["quotes", str(tmp_path), "--speaker", "petrov", "--json"]) == EXIT_OK
    quotes = json.loads(capsys.readouterr().out)
    assert quotes and all("Petrov" in (q["speaker"]["name"] or "") for q in quotes)
    assert main(["quotes", str(tmp_path), "--speaker", "nobody-of-that-name", "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == []


def test_stdin_to_stdout_through_python_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storydiff", "analyze", "-", "--json", "-", "--outlet", "Test Wire"],
        input=GOOD.encode(),
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr.decode()
    report = json.loads(done.stdout)
    assert report["articles"][0]["outlet"] == "Test Wire"
    assert report["articles"][0]["text"].startswith("Officials said")


def test_demo_writes_both_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert str(tmp_path / "report.json") in out and str(tmp_path / "report.html") in out
    report = json.loads((tmp_path / "report.json").read_text())
    assert {a["outlet"] for a in report["articles"]} >= {
        "Northbridge Wire",
        "The Meridian Ledger",
        "Coastal Daily Post",
    }
    assert "Brennholt" in (tmp_path / "report.html").read_text()


def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    assert "examples:" in capsys.readouterr().out


def test_csv_with_a_column_mapping_and_a_bad_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "wire.csv"
    csv_file.write_text(
        'headline,body\nBridge to reopen,"Officials said the bridge would reopen on Monday."\n'
    )
    out = tmp_path / "r.json"
    assert (
        main(["analyze", str(csv_file), "--columns", "text=body,title=headline", "--json", str(out)])
        == EXIT_OK
    )
    article = json.loads(out.read_text())["articles"][0]
    assert article["title"] == "Bridge to reopen" and article["text"].startswith("Officials said")
    assert main(["analyze", str(csv_file), "--columns", "nonsense"]) == EXIT_USAGE
    assert "column" in capsys.readouterr().err


@pytest.mark.parametrize("flag", [["--time-limit", "-1"], ["--workers", "0"]])
def test_bad_run_limits_exit_2_and_say_why(
    flag: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    assert main(["analyze", str(tmp_path / "good.txt"), *flag]) == EXIT_USAGE
    assert flag[0] in capsys.readouterr().err


def test_help_names_every_input_format_the_readers_know() -> None:
    """`analyze --help` lists the formats without importing the readers; it must not fall behind."""
    import storydiff.ingest  # noqa: F401  (registers the readers)
    from storydiff.cli import INPUT_FORMATS
    from storydiff.ingest.registry import READERS

    named = set(INPUT_FORMATS.replace(",", " ").replace(";", " ").replace("(", " ").replace(")", " ").split())
    for suffix in READERS:
        base, _, packed = suffix.rpartition(".") if suffix.count(".") > 1 else (suffix, "", "")
        assert base in named, suffix
        if packed:
            assert f".{packed}" in named and ("JSON" if "json" in base else "WARC") in INPUT_FORMATS, suffix


def test_the_summary_counts_in_words_a_reader_would_use() -> None:
    from storydiff.cli import _summary
    from storydiff.model import Analysis, Story

    one = Analysis(stories=[Story("s1", ["a"])])
    said = _summary(one, 1.0)
    assert said == "storydiff: 0 articles, 0 quotes, 0 entities, 1 story, 0 skipped, 0 failed in 1.0s"
