"""Safe writes for `accsim report` (the Python half of sim/core/safe_file.hpp, issue #16).

Each output goes to a temporary created exclusively (tempfile.mkstemp: O_CREAT|O_EXCL, so never
through a planted symlink) with an unpredictable name in the destination folder, and is renamed
into place only when complete. An existing destination that is not a regular file is an error; the
temporary is removed on any exception, and on SIGTERM (install_signal_cleanup turns it into
SystemExit so the cleanup runs).
"""
import os
import signal
import stat
import sys
import tempfile


class UnsafeOutput(Exception):
    """The destination cannot safely be (re)placed by a regular file."""


def install_signal_cleanup():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def check_destination(path):
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise UnsafeOutput(f"{path}: cannot write: it is a symbolic link")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeOutput(f"{path}: cannot write: it exists and is not a regular file")


def write_with(path, writer, binary=False):
    """Calls writer(file_object) on a fresh temporary next to `path`, then renames it onto `path`."""
    check_destination(path)
    folder = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path)[:200] + ".tmp.", dir=folder)
    try:
        mask = os.umask(0o022)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            writer(f)
        check_destination(path)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text(path, text):
    write_with(path, lambda f: f.write(text))
