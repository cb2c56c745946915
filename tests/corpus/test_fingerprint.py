"""The corpus fingerprint: changes with the content, not with paths; unchanged files not re-read."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from bot.corpus.fingerprint import Fingerprinter
from tests.helpers import SEED, write

HOUR_AGO = time.time() - 3600


def aged(path: Path, seconds_older: float = 0) -> Path:
    """Give a file an old modification time, as a file nobody is editing has."""
    os.utime(path, (HOUR_AGO - seconds_older, HOUR_AGO - seconds_older))
    return path


def corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder / "seed.txt")
    write(folder / "extra.yaml", "title: Extra\narticle: Sleep.\ncomments: []\n")
    return folder


def test_the_same_files_in_two_folders_have_one_fingerprint(tmp_path: Path) -> None:
    one = Fingerprinter(corpus(tmp_path / "a")).scan()
    two = Fingerprinter(corpus(tmp_path / "b")).scan()
    assert one == two and len(one) == 12 and int(one, 16) >= 0


def test_an_edit_a_new_file_and_a_deleted_one_each_change_it(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    fingerprinter = Fingerprinter(folder)
    seen = [fingerprinter.scan()]
    write(folder / "extra.yaml", "title: Extra\narticle: Naps.\ncomments: []\n")
    seen.append(fingerprinter.scan())
    write(folder / "new.yaml", "title: New\narticle: Rest.\ncomments: []\n")
    seen.append(fingerprinter.scan())
    (folder / "new.yaml").unlink()
    seen.append(fingerprinter.scan())
    assert len(set(seen)) == 3 and seen[3] == seen[1]  # back to what it was


def test_the_lexicon_counts_and_hidden_files_do_not(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    lexicon = write(tmp_path / "lexicon.yaml", "groups: []\n")
    fingerprinter = Fingerprinter(folder, lexicon)
    first = fingerprinter.scan()
    write(folder / ".notes.swp", "an editor's scratch file")
    assert fingerprinter.scan() == first
    write(lexicon, "groups: [[botox, onabotulinumtoxinA]]\n")
    assert fingerprinter.scan() != first


def test_only_files_whose_stat_changed_are_read_again(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    for path in folder.iterdir():
        aged(path)
    fingerprinter = Fingerprinter(folder)
    first = fingerprinter.scan()
    assert fingerprinter.rehashed == 2
    assert fingerprinter.scan() == first and fingerprinter.rehashed == 0
    aged(write(folder / "extra.yaml", "title: Extra\narticle: Naps.\ncomments: []\n"), 1)
    changed = fingerprinter.scan()
    assert changed != first and fingerprinter.rehashed == 1


def test_a_file_touched_but_unchanged_is_read_and_the_fingerprint_stays(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "c")
    for path in folder.iterdir():
        aged(path)
    fingerprinter = Fingerprinter(folder)
    first = fingerprinter.scan()
    aged(folder / "seed.txt", 5)
    assert fingerprinter.scan() == first and fingerprinter.rehashed == 1


def test_a_missing_folder_has_a_fingerprint_of_its_own(tmp_path: Path) -> None:
    fingerprinter = Fingerprinter(tmp_path / "nowhere")
    empty = fingerprinter.scan()
    corpus(tmp_path / "nowhere")
    assert fingerprinter.scan() != empty
