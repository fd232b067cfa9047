#!/usr/bin/env python3
"""07-life-server.py DIR PORT[:KIND]...: the job pm-run starts in the lifecycle tests.

Records what it sees inside the container (its limits, its ephemeral range,
its PID) in DIR, serves "pong PORT" on each TCP PORT (KIND "bulk": sends
2000000 bytes instead; "sink": reads to EOF and answers how many bytes it got),
and on SIGTERM/SIGINT records the signal and exits 42/43, so a test can tell
which signal reached it.
"""
import os
import selectors
import signal
import socket
import sys


def put(name, text):
    path = os.path.join(sys.argv[1], name)
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)


def on_signal(name, status):
    def handler(*_):
        put("signal", name)
        os._exit(status)
    return handler


signal.signal(signal.SIGTERM, on_signal("TERM", 42))
signal.signal(signal.SIGINT, on_signal("INT", 43))
with open("/proc/self/limits") as f:
    put("limits", f.read())
with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
    put("range", f.read())

sel = selectors.DefaultSelector()
for spec in sys.argv[2:]:
    port, _, kind = spec.partition(":")
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", int(port)))
    s.listen()
    sel.register(s, selectors.EVENT_READ, (port, kind))
put("ready", str(os.getpid()))
while True:
    for key, _ in sel.select():
        conn, _ = key.fileobj.accept()
        port, kind = key.data
        if kind == "bulk":
            conn.sendall(b"x" * 2000000)
        elif kind == "sink":
            got = 0
            while chunk := conn.recv(65536):
                got += len(chunk)
            conn.sendall(b"%d\n" % got)
        else:
            conn.sendall(b"pong %s\n" % port.encode())
        conn.close()
