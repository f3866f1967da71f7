"""scripting: a workflow script's output, warnings and traceback go to the rule's log file."""

from __future__ import annotations

import sys

import pytest

from danet_music2vec.scripting import logged


def test_stdout_and_stderr_go_to_the_log_and_the_streams_come_back(tmp_path, capsys):
    log = tmp_path / "logs" / "stage" / "rule.log"
    with logged(log):
        print("to the log")
        print("progress", file=sys.stderr)  # tqdm and warnings write here
    print("after")
    assert log.read_text() == "to the log\nprogress\n"
    assert capsys.readouterr().out == "after\n"


def test_a_failure_is_logged_with_its_traceback_and_raised_again(tmp_path):
    log = tmp_path / "rule.log"
    saved = sys.stdout, sys.stderr
    with pytest.raises(ZeroDivisionError):
        with logged(log):
            print("before the failure")
            1 / 0
    assert (sys.stdout, sys.stderr) == saved
    text = log.read_text()
    assert "before the failure" in text and "Traceback" in text and "ZeroDivisionError" in text


def test_no_log_leaves_the_streams_alone(capsys):
    with logged(None):
        print("on the console")
    assert capsys.readouterr().out == "on the console\n"
