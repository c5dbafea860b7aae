#!/usr/bin/env python3
# Captures real sock_diag replies from the running kernel for InetDiagReplyTests (run as any user):
#   python3 capture-sock-diag.py > sock-diag-dump.txt
# It opens four connections to a loopback port, in the states lameduck-init must tell apart, dumps the port
# with the request lameduck-init sends (src/Lameduck.Init/Drain/InetDiagRequest.cs, rebuilt here with struct),
# and prints each reply datagram as hex, then what `ss` shows for the same sockets (state, cookie, bytes_received)
# to check the parse against. A second dump with a broken bytecode program records the kernel's error reply.
import socket, struct, subprocess, sys, time

def request(family, port, seq, bytecode_yes=12):
    bytecode = struct.pack("=BBH", 7, bytecode_yes, 16) + struct.pack("=BBxxi", 0, 0, port)  # S_COND, any address
    attribute = struct.pack("=HH", 4 + len(bytecode), 1) + bytecode                           # INET_DIAG_REQ_BYTECODE
    states = 0x1FFE & ~(1 << 10)                                                               # all but LISTEN
    body = struct.pack("=BBBxI", family, 6, 1 << 1, states) + bytes(48)                       # inet_diag_req_v2
    return struct.pack("=IHHII", 16 + len(body) + len(attribute), 20, 0x301, seq, 0) + body + attribute

def dump(family, port, seq, **kw):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4)
    s.sendto(request(family, port, seq, **kw), (0, 0))
    datagrams = []
    while True:
        d = s.recv(65536)
        datagrams.append(d)
        types = []
        off = 0
        while off + 16 <= len(d):
            length, kind = struct.unpack_from("=IH", d, off)
            types.append(kind)
            off += (length + 3) & ~3
        if 3 in types or 2 in types:
            return datagrams

def scenario(host, family):
    listener = socket.socket(family)
    listener.bind((host, 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    def pair():
        client = socket.create_connection((host, port))
        server, _ = listener.accept()
        return client, server
    keep = []
    a = pair(); a[0].sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n"); a[1].recv(100); keep += a     # ESTABLISHED, 28 bytes
    b = pair(); keep += b                                                                        # ESTABLISHED, idle
    c = pair(); c[0].sendall(b"x" * 100); c[1].recv(100); c[1].close(); c[0].recv(1); c[0].close()  # server closed first: TIME_WAIT
    d = pair(); d[0].sendall(b"GET /d\n"); d[1].recv(100); d[0].close(); keep.append(d[1])      # client closed first: CLOSE_WAIT, 7 bytes
    time.sleep(0.2)
    datagrams = dump(family, port, 42)
    ss = subprocess.run(["ss", "-tinaeH", "state", "all", "sport", "=", ":%d" % port], capture_output=True, text=True).stdout
    return port, datagrams, ss, keep

for host, family, name in [("127.0.0.1", socket.AF_INET, "ipv4"), ("::1", socket.AF_INET6, "ipv6")]:
    port, datagrams, ss, keep = scenario(host, family)
    print("# %s port %d" % (name, port))
    for d in datagrams:
        print(d.hex())
    print("# ss -tinae state all sport = :%d" % port)
    for line in ss.splitlines():
        print("# " + line.strip())
error = dump(socket.AF_INET, 80, 43, bytecode_yes=3)  # yes = 3: not a multiple of 4, the kernel's audit refuses it
print("# error reply (bytecode yes = 3)")
for d in error:
    print(d.hex())
print("# kernel " + subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip())
