"""Tests by intent: reliability, from the third review of 2026-12-02 (docs/reference/reliability.md lists them)."""

from __future__ import annotations

from pathlib import Path

from sim.experiment.cache import Cache, Key


def test_review_3_two_runs_starting_together_share_a_new_cache_folder(tmp_path, monkeypatch):
    """A new ``--cache`` is made and removed again to see that it can be (nothing is left if nothing is kept). Another
    run that started at the same moment may store its first entry in between: the folder is then kept, not an
    OSError traceback, and both runs use it."""
    root = tmp_path / "cache"
    made = Path.mkdir
    other = Key("s", "secmp0044", 1, 0, "tables")

    def mkdir_then_the_other_run_stores(self, *args, **kwargs):
        made(self, *args, **kwargs)
        if self.parent == root:  # the fingerprint's folder, the deepest made
            (self / "s").mkdir(exist_ok=True)
            (self / "s" / "entry.json").write_text("{}")

    monkeypatch.setattr(Path, "mkdir", mkdir_then_the_other_run_stores)
    cache = Cache(root)
    monkeypatch.setattr(Path, "mkdir", made)
    assert (cache.root / "s" / "entry.json").is_file(), "the other run's entry stays"
    cache.put(other, {"x": 1})
    assert cache.get(other) == {"x": 1}


def test_review_3_a_new_cache_folder_another_run_removed_first_is_no_mistake(tmp_path, monkeypatch):
    """The other way round: the other run removed the new folder first; this one carries on and makes it when it keeps
    its first entry."""
    root = tmp_path / "deep" / "cache"
    removed = Path.rmdir

    def already_gone(self):
        if self.parent == root:  # the fingerprint's folder: the other run removes it just before this one does
            removed(self)
        removed(self)

    monkeypatch.setattr(Path, "rmdir", already_gone)
    cache = Cache(root)
    monkeypatch.setattr(Path, "rmdir", removed)
    assert not (tmp_path / "deep").exists(), "nothing left behind"
    key = Key("s", "secmp0044", 1, 0, "tables")
    cache.put(key, [1])
    assert cache.get(key) == [1]


def test_review_2_finding_14_a_groups_entry_window_after_the_horizon_is_refused(tmp_path, capsys):
    """A group whose parties present at the start want User Entry only after the horizon ends would never enter: a
    mistake in the window (or the horizon), refused at its key, where it was run with the group silently absent."""
    import yaml

    from .conftest import ROOT, rejected

    data = yaml.safe_load((ROOT / "scenarios" / "gb-baseline.yaml").read_text())
    data["population"]["groups"][0]["entry_window"] = ["2031-01-01", "2031-06-01"]
    err = rejected(tmp_path, capsys, "run", [], data)
    assert "population.groups[0].entry_window: starts on 2031-01-01, when the horizon has ended (2028-01-01" in err
