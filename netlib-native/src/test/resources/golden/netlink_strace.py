"""What the golden-fixture capture scripts share: running a command and reading back, from strace's
hex dumps, the netlink bytes it sent or received, split into messages.
Imported by capture.py (links) and capture_rtnl2.py (addresses, routes, neighbours, FDB)."""
import re
import subprocess


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True).stdout


def strace(cmd, syscalls, direction):
    """The payload of every traced syscall, in order; direction is "write" (sent) or "read"
    (received). The bytes sent are wanted even when the kernel refuses the request, so a failing
    command is not an error here: its last stderr line is kept in strace.last_error."""
    r = subprocess.run(["strace", "-f", "-x", "-s", "65536", "-e", "trace=" + syscalls,
                        "-e", direction + "=all", "-o", "/dev/stdout"] + cmd,
                       capture_output=True, text=True)
    strace.last_error = r.stderr.strip().splitlines()[-1] if r.returncode != 0 and r.stderr.strip() else None
    calls, cur = [], None
    for line in r.stdout.splitlines():
        m = re.match(r"^(\d+\s+)?\s*\| [0-9a-f]{5}  (.{48})", line)
        if m:
            cur.extend(bytes.fromhex(m.group(2).replace(" ", "")))
        elif re.match(r"^(\d+\s+)?(sendmsg|sendto|recvmsg|recvfrom)\(", line):
            cur = bytearray()
            calls.append(cur)
    return calls


def messages(data):
    """(nlmsg_type, message bytes) for each netlink message in one datagram (host order: little endian)."""
    off = 0
    while off + 16 <= len(data):
        ln = int.from_bytes(data[off:off + 4], "little")
        typ = int.from_bytes(data[off + 4:off + 6], "little")
        if ln < 16:
            break
        yield typ, bytes(data[off:off + ln])
        off += (ln + 3) & ~3
