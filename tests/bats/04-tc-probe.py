#!/usr/bin/env python3
"""Traffic probe for the pm-tc Bats files (040-049).

serve PROTO PORT LOG        listen on 0.0.0.0:PORT (tcp|udp); append "MSG IP:PORT"
                            to LOG for every message and answer "ack:MSG".
                            Creates LOG.ready once listening.
send PROTO HOST PORT MSG [SPORT]
                            send MSG (from SPORT if given), wait for "ack:MSG";
                            exit 0 on the answer, 1 otherwise (2 s timeout).
hold HOST PORT DIR          TCP: connect, exchange "first", then wait for DIR/go
                            and exchange "second" on the same connection;
                            writes "ok" or the error to DIR/result.
"""
import os
import socket
import sys
import threading
import time

TIMEOUT = 2.0


def log(path, msg, addr):
    with open(path, "a") as f:
        f.write(f"{msg} {addr[0]}:{addr[1]}\n")


def serve(proto, port, path):
    if proto == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        s.listen(64)
        open(path + ".ready", "w").close()

        def handle(c, addr):
            with c:
                while True:
                    d = c.recv(4096)
                    if not d:
                        return
                    log(path, d.decode(), addr)
                    c.sendall(b"ack:" + d)

        while True:
            c, addr = s.accept()
            threading.Thread(target=handle, args=(c, addr), daemon=True).start()
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", port))
        open(path + ".ready", "w").close()
        while True:
            d, addr = s.recvfrom(4096)
            log(path, d.decode(), addr)
            s.sendto(b"ack:" + d, addr)


def exchange(s, proto, msg, dst=None):
    if proto == "tcp":
        s.sendall(msg.encode())
        r = s.recv(4096)
    else:
        s.sendto(msg.encode(), dst)
        r, _ = s.recvfrom(4096)
    if r != b"ack:" + msg.encode():
        raise RuntimeError(f"unexpected answer {r!r}")


def send(proto, host, port, msg, sport=0):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.settimeout(TIMEOUT)
    if sport:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", sport))
    try:
        if proto == "tcp":
            s.connect((host, port))
        exchange(s, proto, msg, (host, port))
    except Exception as e:  # noqa: BLE001 - any failure means "not delivered"
        print(f"probe: {proto} {host}:{port}: {e}", file=sys.stderr)
        return 1
    return 0


def hold(host, port, d):
    result = "ok"
    try:
        s = socket.create_connection((host, port), timeout=TIMEOUT)
        exchange(s, "tcp", "first")
        open(os.path.join(d, "connected"), "w").close()
        for _ in range(600):
            if os.path.exists(os.path.join(d, "go")):
                break
            time.sleep(0.05)
        exchange(s, "tcp", "second")
    except Exception as e:  # noqa: BLE001
        result = f"error: {e}"
    with open(os.path.join(d, "result"), "w") as f:
        f.write(result + "\n")


def main(argv):
    if argv[1] == "serve":
        serve(argv[2], int(argv[3]), argv[4])
    elif argv[1] == "send":
        return send(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]) if len(argv) > 6 else 0)
    elif argv[1] == "hold":
        hold(argv[2], int(argv[3]), argv[4])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
