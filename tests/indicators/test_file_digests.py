"""The digests of partner originals (never to be published) are kept per version of a file:
a file changed in place gets its new digests."""

from __future__ import annotations

import hashlib
import os

from indicators.release_digests import file_digests


def _expected(data: bytes) -> set[str]:
    return {hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest(),
            hashlib.md5(data).hexdigest()}


def test_a_file_changed_in_place_gets_its_new_digests(tmp_path):
    path = tmp_path / "APF_victims_2024-01.csv"
    path.write_bytes(b"partner;period\nAPF;2024-01\n")
    assert file_digests(path) == _expected(b"partner;period\nAPF;2024-01\n")
    stat = path.stat()
    path.write_bytes(b"partner;period\nAPF;2024-02\n")  # same size: the time tells
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert file_digests(path) == _expected(b"partner;period\nAPF;2024-02\n")
    path.write_bytes(b"partner;period\nAPF;2024-03;x\n")
    assert file_digests(path) == _expected(b"partner;period\nAPF;2024-03;x\n")
