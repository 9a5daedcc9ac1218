"""No network for the processes that evaluate queries: a seccomp filter on ``socket()``.

The first layer of outbound refusal is the query policy (:mod:`graph.sparql.policy`), which
refuses SERVICE, LOAD and remote FROM before a query reaches the engine. This is the
second layer, which holds even if the first is wrong: :func:`deny_network` installs a
seccomp-BPF filter on the calling thread after which the kernel refuses it, and every
thread and process it later creates, any socket other than a Unix one. The engine calls it
in every process (or thread) that evaluates a query or update before it evaluates anything;
only a request the policy allowed out runs where it was not called.

Why filtering ``socket()`` suffices: a connection to another host needs a socket of an
internet family (``AF_INET``, ``AF_INET6``), or a raw one (``AF_PACKET``), or a route
through the kernel (``AF_NETLINK``); all are made by ``socket()`` and all are refused with
EACCES. ``connect``, ``sendto`` and ``sendmsg`` need a socket to act on, so they need no
rule of their own. A socket made elsewhere could only arrive as an inherited descriptor or
over a Unix socket (SCM_RIGHTS): the engine is started with no descriptor but its own Unix
socket to the caller, and what its processes pass one another are Unix sockets and process
handles, never a socket of the network.
``socketpair()`` gets the same rule as ``socket()``, so only Unix pairs are made.
``io_uring_setup`` is refused with EPERM because a ring opens and connects sockets without
calling ``socket()``. The 32-bit ABIs (i386 on x86_64, where ``socketcall`` lives, and x32,
whose numbers carry bit 0x40000000) would reach the same kernel code under other numbers:
every call of them is refused with EPERM; Python never makes one. Everything else is
allowed, so pipes, Unix sockets, files, threads and forks work as before. ``no_new_privs``
is set first, as the kernel requires of an unprivileged process; it also means no program
the filtered process runs (setuid or not) can shed the filter.

What it does not cover: sockets that exist before the call (in the thread-scoped use, a
filtered thread shares its process's descriptors, so it can use a socket another thread
opened); Unix sockets, so a process may still talk to a local daemon listening on one (a
name lookup handed to nscd or systemd-resolved can still reach DNS, though no connection to
the host follows); and code that runs with the worker's rights rather than a query's
evaluation (it could ptrace an unfiltered process of the same user). It guards against the
engine following a query out, not against arbitrary code in the worker.

The filter is a dozen BPF instructions written here against the kernel interface through
ctypes: libseccomp's Python bindings would add a shared library to install, for a filter
this small, and nothing it needs. Only Linux on x86_64 and aarch64 (64-bit, little-endian)
is supported; elsewhere :func:`deny_network` raises SandboxUnavailableError, so a store
refuses to start rather than evaluate queries with network access.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SandboxUnavailableError

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000  # the low 16 bits are the errno the call returns

# BPF opcodes: load a word of seccomp_data, compare the accumulator, return.
_LOAD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JUMP_IF_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JUMP_IF_BITS = 0x45  # BPF_JMP | BPF_JSET | BPF_K
_RETURN = 0x06  # BPF_RET | BPF_K

# Offsets in struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }.
# The kernel reads socket()'s family as an int, so the low word of args[0] (little-endian) is all of it.
_NR, _ARCH, _FIRST_ARGUMENT = 0, 4, 16
_X32_SYSCALL_BIT = 0x40000000


@dataclass(frozen=True)
class _Abi:
    audit_arch: int
    socket: int
    socketpair: int
    io_uring_setup: int
    has_x32: bool


_ABIS = {
    "x86_64": _Abi(audit_arch=0xC000003E, socket=41, socketpair=53, io_uring_setup=425, has_x32=True),
    "aarch64": _Abi(audit_arch=0xC00000B7, socket=198, socketpair=199, io_uring_setup=425, has_x32=False),
}


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


# One instruction: opcode, operand, and the labels a jump goes to when true and false ("" is the next).
_Instruction = tuple[int, int, str, str]


def _abi(machine: str) -> _Abi:
    """The system-call numbers of this machine's ABI, or SandboxUnavailableError.

    >>> hex(_abi("x86_64").audit_arch)
    '0xc000003e'
    >>> _abi("riscv64")
    Traceback (most recent call last):
    graph.errors.SandboxUnavailableError: cannot deny the network to queries on riscv64 ...
    """
    supported = sys.platform == "linux" and ctypes.sizeof(ctypes.c_void_p) == 8 and sys.byteorder == "little"
    if machine not in _ABIS or not supported:
        raise SandboxUnavailableError(
            f"cannot deny the network to queries on {machine} ({sys.platform}, "
            f"{8 * ctypes.sizeof(ctypes.c_void_p)}-bit): only 64-bit Linux on x86_64 or aarch64 is "
            "supported, and the store does not start without it"
        )
    return _ABIS[machine]


def _program(abi: _Abi) -> list[_Instruction | str]:
    """The filter, with labels (plain strings) where jumps land; BPF only jumps forward."""
    x32 = [(_JUMP_IF_BITS, _X32_SYSCALL_BIT, "eperm", "")] if abi.has_x32 else []
    return [
        (_LOAD, _ARCH, "", ""),
        (_JUMP_IF_EQUAL, abi.audit_arch, "", "eperm"),
        (_LOAD, _NR, "", ""),
        *x32,
        (_JUMP_IF_EQUAL, abi.socket, "family", ""),
        (_JUMP_IF_EQUAL, abi.socketpair, "family", ""),
        (_JUMP_IF_EQUAL, abi.io_uring_setup, "eperm", ""),
        (_RETURN, _RET_ALLOW, "", ""),
        "family",
        (_LOAD, _FIRST_ARGUMENT, "", ""),
        (_JUMP_IF_EQUAL, socket.AF_UNIX, "", "eacces"),
        (_RETURN, _RET_ALLOW, "", ""),
        "eacces",
        (_RETURN, _RET_ERRNO | errno.EACCES, "", ""),
        "eperm",
        (_RETURN, _RET_ERRNO | errno.EPERM, "", ""),
    ]


def _assemble(program: Sequence[_Instruction | str]) -> ctypes.Array[_SockFilter]:
    labels: dict[str, int] = {}  # a label names the index of the instruction after it
    instructions: list[_Instruction] = []
    for line in program:
        if isinstance(line, str):
            labels[line] = len(instructions)
        else:
            instructions.append(line)

    def offset(label: str, index: int) -> int:
        return 0 if label == "" else labels[label] - index - 1

    return (_SockFilter * len(instructions))(
        *(
            _SockFilter(code, offset(true, index), offset(false, index), k)
            for index, (code, k, true, false) in enumerate(instructions)
        )
    )


def deny_network() -> None:
    """Refuse the calling thread, and all it later starts, every socket but a Unix one.

    Irreversible. Only this thread is filtered (no TSYNC): in a freshly forked
    single-threaded worker that is the whole process; in a thread of a larger process
    the other threads keep their network. Raises SandboxUnavailableError where it cannot.

    >>> import threading
    >>> seen = []
    >>> thread = threading.Thread(target=lambda: (deny_network(), seen.append(network_denied())))
    >>> thread.start(); thread.join()
    >>> seen, network_denied()
    ([True], False)
    """
    filters = _assemble(_program(_abi(platform.machine())))
    program = _SockFprog(len(filters), ctypes.cast(filters, ctypes.POINTER(_SockFilter)))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if (
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
        or libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(program), 0, 0) != 0
    ):
        raise SandboxUnavailableError(
            "cannot deny the network to queries: the kernel refused a seccomp filter "
            f"({os.strerror(ctypes.get_errno())}), and the store does not start without it"
        )


def network_denied() -> bool:
    """Whether the calling thread is under a seccomp filter that refuses internet sockets.

    The Seccomp field of /proc/thread-self/status says a filter is on, but containers
    install filters of their own: a probe socket of each internet family tells it is one
    that refuses the network.

    >>> network_denied()
    False
    """
    status = Path("/proc/thread-self/status").read_text(encoding="utf-8", errors="replace")
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if fields.get("Seccomp", "0").strip() != str(_SECCOMP_MODE_FILTER):
        return False
    return all(_refused(family) for family in (socket.AF_INET, socket.AF_INET6))


def _refused(family: socket.AddressFamily) -> bool:
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
    except PermissionError:
        return True
    return False
