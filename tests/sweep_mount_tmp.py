"""Empties the temporary directory of the tests that mount filesystems
and set immutable flags (unit/test_quarantine, unit/test_walk).

Those tests clean up after themselves; but a test that ctest kills at its
timeout cannot, and it leaves tmpfs and bind mounts plus chattr +i/+a
files that a plain `rm -rf` cannot remove. ctest runs this before such
tests (fixture setup) and after them (fixture cleanup, which runs even
when a test failed or was killed), over the one directory their TMPDIR
points to, so it never touches another run's files.

Usage: sweep_mount_tmp.py DIR
Unmounts every mount at or under DIR (deepest first, lazily), clears the
immutable and append-only flags of the regular files and directories
under it (never following symlinks, never opening anything else), removes
it and makes it again, empty, mode 0700. Says what it found left over."""
import ctypes
import fcntl
import os
import stat
import struct
import sys

MNT_DETACH = 2
FS_IOC_GETFLAGS = 0x80086601
FS_IOC_SETFLAGS = 0x40086602
FS_IMMUTABLE_FL = 0x10
FS_APPEND_FL = 0x20


def unescape_mountinfo(field):
    """mountinfo writes space, tab, newline and backslash as \\ooo."""
    out, i = bytearray(), 0
    raw = field.encode("utf-8", "surrogateescape")
    while i < len(raw):
        if raw[i:i + 1] == b"\\" and i + 4 <= len(raw) and raw[i + 1:i + 4].isdigit():
            out.append(int(raw[i + 1:i + 4], 8))
            i += 4
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "surrogateescape")


def mounts_under(top):
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            fields = line.split(" ")
            if len(fields) < 5:
                continue
            point = unescape_mountinfo(fields[4])
            if point == top or point.startswith(top + "/"):
                found.append(point)
    return sorted(set(found), key=lambda p: p.count("/"), reverse=True)


def unmount_all(top):
    libc = ctypes.CDLL(None, use_errno=True)
    done = 0
    # a mount may hide another one under the same point: repeat until none
    for _ in range(64):
        points = mounts_under(top)
        if not points:
            break
        for point in points:
            if libc.umount2(point.encode("utf-8", "surrogateescape"), MNT_DETACH) == 0:
                done += 1
            else:
                err = ctypes.get_errno()
                print(f"sweep: cannot unmount {point}: {os.strerror(err)}", file=sys.stderr)
                return done, False
    return done, True


def clear_flags(path):
    """Clears +i and +a on one regular file or directory; True if it had them."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        return False
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        buf = bytearray(8)
        try:
            fcntl.ioctl(fd, FS_IOC_GETFLAGS, buf)
        except OSError:
            return False  # a filesystem without flags
        flags = struct.unpack_from("=i", buf)[0]  # the kernel reads and writes an int
        if not flags & (FS_IMMUTABLE_FL | FS_APPEND_FL):
            return False
        flags &= ~(FS_IMMUTABLE_FL | FS_APPEND_FL)
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, bytearray(struct.pack("=i", flags) + bytes(4)))
        return True
    finally:
        os.close(fd)


def clear_all_flags(top):
    cleared = 0
    if clear_flags(top):
        cleared += 1
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        for name in dirnames + filenames:
            if clear_flags(os.path.join(dirpath, name)):
                cleared += 1
    return cleared


def remove_tree(top):
    """Removes TOP bottom-up; os.walk never follows symlinks here."""
    for dirpath, dirnames, filenames in os.walk(top, topdown=False, followlinks=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                os.unlink(path)
            else:
                os.rmdir(path)
    os.rmdir(top)


def main():
    if len(sys.argv) != 2 or not os.path.isabs(sys.argv[1]):
        print("usage: sweep_mount_tmp.py /absolute/dir", file=sys.stderr)
        return 2
    top = os.path.normpath(sys.argv[1])
    if top in ("/", "/tmp", "/var/tmp") or top.count("/") < 2:
        print(f"sweep: refusing to empty {top}: give the tests' own directory", file=sys.stderr)
        return 2
    if not os.path.lexists(top):
        os.makedirs(top, mode=0o700)
        print(f"sweep: made {top}")
        return 0
    if os.path.islink(top) or not os.path.isdir(top):
        print(f"sweep: {top} is not a directory; remove it and rerun", file=sys.stderr)
        return 1
    left = sorted(os.listdir(top))
    unmounted, ok = unmount_all(top)
    if not ok:
        return 1
    cleared = clear_all_flags(top)
    remove_tree(top)
    os.makedirs(top, mode=0o700)
    if left:
        print(f"sweep: {top} held {len(left)} leftover entries ({', '.join(left[:5])}"
              f"{', ...' if len(left) > 5 else ''}), probably from a test killed at its timeout: "
              f"{unmounted} mounts unmounted, {cleared} files freed of +i/+a, all removed")
    else:
        print(f"sweep: {top} was empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
