# SPDX-License-Identifier: GPL-2.0-or-later
"""netagentd demo: run by tools/demo inside a network namespace of its own."""

import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'common'))
import privatebus  # noqa: E402

BUS_NAME = 'io.netagentd.NetAgent1'
MANAGER = '/io/netagentd/NetAgent1'
ETHERTYPE = 0x88B5          # IEEE 802 local experimental ethertype
NIC, PEER = 'nademo0', 'nademo1'



def step(text):
    print('\n\033[1m==> %s\033[0m' % text, flush=True)


def sh(*argv):
    subprocess.run(argv, check=True)


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(':'))


def call(conn, path, iface, method, args, fds=False):
    reply, fdlist = conn.call_with_unix_fd_list_sync(
        BUS_NAME, path, iface, method, args, None, Gio.DBusCallFlags.NONE,
        10000, None, None)
    return (reply, fdlist) if fds else reply


def get_prop(conn, path, iface, name):
    reply = call(conn, path, 'org.freedesktop.DBus.Properties', 'Get',
                 GLib.Variant('(ss)', (iface, name)))
    return reply.unpack()[0]


def recv_ether(sock, ethertype, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        frame = sock.recv(65536)
        if len(frame) >= 14 and struct.unpack('!H', frame[12:14])[0] == ethertype:
            return frame
    raise SystemExit('demo: no frame arrived within %.0f s' % timeout)


def main():
    daemon_path = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix='netagentd-demo-')
    procs = []
    try:
        step('A veth pair in a private network namespace: %s (the agent\'s NIC) <-> %s (the wire)'
             % (NIC, PEER))
        sh('ip', 'link', 'set', 'lo', 'up')
        sh('ip', 'link', 'add', NIC, 'type', 'veth', 'peer', 'name', PEER)
        for dev in (NIC, PEER):
            sh('ip', 'link', 'set', dev, 'up')

        step('A private system bus and the daemon')
        bus, address = privatebus.start_bus(tmp)
        procs.append(bus)
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = address
        log = open(os.path.join(tmp, 'netagentd.log'), 'w')
        daemon = subprocess.Popen([daemon_path, '--config', '/dev/null'],
                                  stdout=log, stderr=subprocess.STDOUT)
        procs.append(daemon)
        conn = privatebus.connect(address)
        privatebus.wait_for_name(conn, BUS_NAME, daemon, 10)
        print('netagentd %s owns %s' % (get_prop(conn, MANAGER, 'io.netagentd.NetAgent1',
                                                  'Version'), BUS_NAME))

        step('Register an agent on %s' % NIC)
        agent = call(conn, MANAGER, 'io.netagentd.NetAgent1', 'Register',
                     GLib.Variant('(sa{sv})', (NIC, {}))).unpack()[0]
        iface = 'io.netagentd.NetAgent1.Agent'
        for prop in ('Uuid', 'Interface', 'HardwareAddress', 'Mtu', 'Flags', 'Features'):
            value = get_prop(conn, agent, iface, prop)
            print('  %-16s %s' % (prop, hex(value) if prop == 'Flags' else value))
        nic_mac = get_prop(conn, agent, iface, 'HardwareAddress')

        step('Ask the agent for a flow of ethertype 0x%04x' % ETHERTYPE)
        reply, fdlist = call(conn, agent, iface, 'FlowInsert',
                             GLib.Variant('(sa{sv})', ('', {'ethertype': GLib.Variant('q', ETHERTYPE)})),
                             fds=True)
        flow, assignment = reply.unpack()
        for key in sorted(assignment):
            print('  %-22s %s' % (key, assignment[key]))
        channel = socket.socket(fileno=fdlist.get(assignment['channel']))
        print('  the channel is fd %d, %s' % (channel.fileno(), channel.type.name))

        wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
        wire.bind((PEER, 0))
        peer_mac = ':'.join('%02x' % b for b in wire.getsockname()[4])

        step('The wire sends a frame to the NIC; the client reads it from its channel')
        payload = b'hello from the wire'
        wire.send(mac_bytes(nic_mac) + mac_bytes(peer_mac) + struct.pack('!H', ETHERTYPE) + payload)
        frame = recv_ether(channel, ETHERTYPE)
        print('  client got %d bytes: %r' % (len(frame), frame[14:14 + len(payload)]))

        step('The client writes a frame into its channel; the wire receives it')
        payload = b'hello from the client'
        channel.send(mac_bytes(peer_mac) + mac_bytes(nic_mac) + struct.pack('!H', ETHERTYPE) + payload)
        frame = recv_ether(wire, ETHERTYPE)
        print('  wire got %d bytes: %r' % (len(frame), frame[14:14 + len(payload)]))

        step('The client tries to forge IPv4 and another source MAC: both are dropped')
        channel.send(mac_bytes(peer_mac) + mac_bytes(nic_mac) + b'\x08\x00' + bytes(46))
        channel.send(mac_bytes(peer_mac) + mac_bytes(peer_mac) + struct.pack('!H', ETHERTYPE) + bytes(46))
        time.sleep(0.2)

        step('Counters')
        stats = get_prop(conn, agent, iface, 'Statistics')
        for key in ('rx-frames', 'rx-delivered', 'tx-frames', 'tx-rejected-source',
                    'tx-rejected-flow'):
            print('  agent %-20s %d' % (key, stats[key]))
        stats = get_prop(conn, flow, 'io.netagentd.NetAgent1.Flow', 'Statistics')
        for key in sorted(stats):
            print('  flow  %-20s %d' % (key, stats[key]))

        step('Remove the flow (the channel reads end-of-file) and unregister')
        call(conn, agent, iface, 'FlowRemove', GLib.Variant('(s)', (assignment['flow-uuid'],)))
        channel.settimeout(5)
        print('  channel read after FlowRemove: %r' % channel.recv(100))
        call(conn, MANAGER, 'io.netagentd.NetAgent1', 'Unregister', GLib.Variant('(o)', (agent,)))
        print('  agents left: %s' % get_prop(conn, MANAGER, 'io.netagentd.NetAgent1', 'Agents'))

        daemon.send_signal(signal.SIGTERM)
        print('  netagentd exited with %d' % daemon.wait(timeout=10))
        step('Done: the namespace, its links and the bus vanish with this process')
    except BaseException:
        log_path = os.path.join(tmp, 'netagentd.log')
        if os.path.exists(log_path):
            sys.stderr.write('--- netagentd log ---\n' + open(log_path).read())
        raise
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
