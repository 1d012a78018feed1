# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of netagentctl, the command-line client of netagentd.

UsageTests: command lines netagentctl must refuse with exit status 2, and
the --help of every command.  They need nothing but $NETAGENTCTL; the bus
address points nowhere, so a command that wrongly went to the bus would
fail with status 1 instead.

EndToEndTests: every command against the real daemon ($NETAGENTD) on a
private dbus-daemon that plays the system bus, in a network namespace of
its own with a veth pair (run as root, this script re-executes itself under
`unshare --net`).  Frames are injected and observed on the veth peer with
an AF_PACKET socket; pcap files are read back with tcpdump.  Without root
the tests skip; with CI=true a skip is a failure.

Only the Python standard library is used.  Waits for asynchronous events
are bounded by WAIT seconds: a guard against hangs, never a measured
threshold.
"""

import io
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
from privatebus import require  # noqa: E402
import privatebus  # noqa: E402
from privatenetns import in_private_netns, main  # noqa: E402

NETAGENTCTL = os.environ.get('NETAGENTCTL', '')
NETAGENTD = os.environ.get('NETAGENTD', '')
COMPLETION = os.environ.get('NETAGENTCTL_COMPLETION', '')

# Names of the version 1 contract (include/netagent/netagent-names.h).
BUS_NAME = 'io.netagentd.NetAgent1'
AGENT_PATH_PREFIX = '/io/netagentd/NetAgent1/Agent/'
FLOW_PATH_PREFIX = '/io/netagentd/NetAgent1/Flow/'

WAIT = 30                   # hang guard for asynchronous events, seconds

NIC, PEER = 'nactl0', 'nactl1'
NIC_MAC, PEER_MAC = '02:00:5e:10:00:01', '02:00:5e:10:00:02'
ETHERTYPE = 0x88B5          # IEEE 802 local experimental
OTHER_ETHERTYPE = 0x88B6
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

UUID_RE = r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
TIME_RE = r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d'

AGENT_STAT_KEYS = {
    'agent-bad-ethertype', 'agent-bad-ipv6-addr', 'agent-dup-flow',
    'rx-frames', 'rx-bytes', 'rx-delivered', 'rx-unmatched', 'rx-dropped',
    'tx-frames', 'tx-bytes', 'tx-rejected-length', 'tx-rejected-source',
    'tx-rejected-flow', 'tx-failed',
}
FLOW_STAT_KEYS = {'rx-frames', 'rx-bytes', 'rx-dropped', 'tx-frames',
                  'tx-bytes', 'tx-rejected'}

COMMANDS = ['list', 'show', 'register', 'unregister', 'monitor', 'capture',
            'send']



# ----------------------------------------------------------------- basics

def sh(*argv):
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if r.returncode != 0:
        raise AssertionError('command %r failed (%d): %s'
                             % (' '.join(argv), r.returncode, r.stdout))
    return r.stdout


def ctl(*args, stdin=subprocess.DEVNULL):
    """Run netagentctl to the end; stdout and stderr as text."""
    return subprocess.run([NETAGENTCTL] + list(args), stdin=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=WAIT)


def ctl_popen(*args, **kwargs):
    kwargs.setdefault('stdin', subprocess.DEVNULL)
    kwargs.setdefault('stdout', subprocess.PIPE)
    kwargs.setdefault('stderr', subprocess.PIPE)
    kwargs.setdefault('text', True)
    return subprocess.Popen([NETAGENTCTL] + list(args), **kwargs)


def read_text(path):
    with open(path) as f:
        return f.read()


def complete(*words):
    """What the bash completion offers when the last of @words is being
    typed (netagentctl first), as a set; netagentctl is on PATH."""
    script = ('. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; '
              '_netagentctl; printf "%s\\n" "${COMPREPLY[@]}"')
    env = dict(os.environ)
    env['PATH'] = os.path.dirname(os.path.abspath(NETAGENTCTL)) + os.pathsep + env.get('PATH', '')
    r = subprocess.run(['bash', '--norc', '--noprofile', '-c', script, 'bash', COMPLETION]
                       + list(words), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=WAIT)
    if r.returncode != 0 or r.stderr:
        raise AssertionError('completion of %r failed: %r' % (words, r))
    return {line for line in r.stdout.splitlines() if line}


def interfaces():
    return set(os.listdir('/sys/class/net'))


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(':'))


def frame(dst, src, ethertype, payload):
    data = mac_bytes(dst) + mac_bytes(src) + struct.pack('!H', ethertype) + payload
    return data + bytes(max(0, 60 - len(data)))


class Lines:
    """The lines of a child's pipe, read by a thread, waited for with a guard."""

    def __init__(self, pipe):
        self.queue = queue.Queue()
        self.seen = []
        self.thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self.thread.start()

    def _read(self, pipe):
        pipe._nactl_lines = True
        for line in pipe:
            self.queue.put(line.rstrip('\n'))
        pipe.close()
        self.queue.put(None)

    def wait_for(self, predicate, what):
        deadline = time.monotonic() + WAIT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError('gave up waiting (%ds) for %s; lines: %r'
                                     % (WAIT, what, self.seen))
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError('end of output before %s; lines: %r'
                                     % (what, self.seen))
            self.seen.append(line)
            if predicate(line):
                return line

    def rest(self):
        """Every line up to the end of the pipe (the child has exited)."""
        self.thread.join(WAIT)
        while True:
            try:
                line = self.queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                self.seen.append(line)
        return self.seen


def read_pcap(path):
    """(header fields, [(ts_sec, ts_usec, caplen, wirelen, data)]) of a pcap file."""
    with open(path, 'rb') as f:
        data = f.read()
    magic = struct.unpack('<I', data[:4])[0]
    order = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    header = struct.unpack(order + 'IHHiIII', data[:24])
    records = []
    pos = 24
    while pos < len(data):
        sec, usec, caplen, wirelen = struct.unpack(order + 'IIII', data[pos:pos + 16])
        records.append((sec, usec, caplen, wirelen, data[pos + 16:pos + 16 + caplen]))
        pos += 16 + caplen
    return header, records


# ----------------------------------------------------------------- usage

class UsageTests(unittest.TestCase):
    """Bad command lines: status 2, before any bus is asked anything."""

    @classmethod
    def setUpClass(cls):
        if not NETAGENTCTL:
            raise AssertionError('NETAGENTCTL must name the built netagentctl')
        cls.tmp = tempfile.mkdtemp(prefix='netagentctl-usage-')
        # A bus that is not there: reaching for it is status 1, not 2.
        nowhere = 'unix:path=' + os.path.join(cls.tmp, 'no-bus')
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = nowhere
        os.environ['DBUS_SESSION_BUS_ADDRESS'] = nowhere

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assertUsage(self, *args, mentions=None):
        r = ctl(*args)
        self.assertEqual(r.returncode, 2, 'netagentctl %s: %r' % (' '.join(args), r))
        self.assertIn('--help', r.stderr)
        self.assertEqual(r.stdout, '')
        if mentions:
            self.assertIn(mentions, r.stderr)

    def test_no_command(self):
        self.assertUsage()

    def test_unknown_command(self):
        self.assertUsage('frobnicate', mentions='frobnicate')
        self.assertUsage('help', 'frobnicate', mentions='frobnicate')

    def test_unknown_option(self):
        self.assertUsage('--frobnicate', 'list')
        self.assertUsage('list', '--frobnicate')

    def test_global_options(self):
        self.assertUsage('--system', '--session', 'list')

    def test_extra_arguments(self):
        self.assertUsage('list', 'extra', mentions='extra')
        self.assertUsage('monitor', 'extra', mentions='extra')
        self.assertUsage('show', 'a', 'b')
        self.assertUsage('unregister', 'a', 'b')

    def test_missing_arguments(self):
        self.assertUsage('show')
        self.assertUsage('register')
        self.assertUsage('unregister')
        self.assertUsage('flow')
        self.assertUsage('flow', 'remove')

    def test_register_values(self):
        self.assertUsage('register', 'eth0', '--features', 'bogus', mentions='bogus')
        self.assertUsage('register', 'eth0', '--features', 'custom-ether,bogus')
        for bad in ('0', '65534', 'x', '-1', '1e3', ''):
            self.assertUsage('register', 'eth0', '--flow-max', bad)

    def test_ethertype_values(self):
        for bad in ('0x12345', '88b5', 'lldp', '-1', '65536', '0x', ''):
            self.assertUsage('send', '--ethertype', bad, '--to', PEER_MAC,
                             mentions='--ethertype')
            self.assertUsage('capture', '--ethertype', bad, '-w', 'f')
            self.assertUsage('flow', 'open', '--ethertype', bad, '--', 'true')

    def test_mac_values(self):
        for bad in ('02:00:00:00:00', '02-00-00-00-00-01', '020000000001',
                    '02:00:00:00:00:0g', '2:0:0:0:0:1', 'broadcast'):
            self.assertUsage('send', '--ethertype', '0x88b5', '--to', bad, mentions='--to')

    def test_send(self):
        self.assertUsage('send', '--ethertype', '0x88b5')
        self.assertUsage('send', '--to', PEER_MAC)
        self.assertUsage('send', '--ethertype', '0x88b5', '--to', PEER_MAC, '--count', '0')
        self.assertUsage('send', '--ethertype', '0x88b5', '--to', PEER_MAC, '--payload', '0g')
        self.assertUsage('send', '--ethertype', '0x88b5', '--to', PEER_MAC, '--payload', '012')
        self.assertUsage('send', '--ethertype', '0x88b5', '--to', PEER_MAC,
                         '--payload', '01', '--payload-file', 'f')
        self.assertUsage('send', '--ethertype', '0x88b5', '--to', PEER_MAC,
                         '--agent', 'a', '--interface', 'b')

    def test_capture(self):
        self.assertUsage('capture', '--ethertype', '0x88b5')
        self.assertUsage('capture', '-w', 'f')
        self.assertUsage('capture', '--ethertype', '0x88b5', '-w', 'f', '-c', '0')
        self.assertUsage('capture', '--ethertype', '0x88b5', '--local', 'fd00::1',
                         '--remote', 'fd00::2', '-w', 'f')
        self.assertUsage('capture', '--local', 'fd00::1', '-w', 'f')

    def test_flow_open(self):
        self.assertUsage('flow', 'open', '--ethertype', '0x88b5')
        self.assertUsage('flow', 'open', '--ethertype', '0x88b5', '--')
        self.assertUsage('flow', 'open', '--', 'true')
        self.assertUsage('flow', 'open', '--remote', 'fd00::2', '--', 'true')
        self.assertUsage('flow', 'open', '--ethertype', '0x88b5', '--tap-name', 'x', '--',
                         'true')
        self.assertUsage('flow', 'frobnicate')

    def test_help(self):
        for command in COMMANDS + [['flow', 'open'], ['flow', 'remove']]:
            args = command if isinstance(command, list) else [command]
            r = ctl(*args, '--help')
            self.assertEqual(r.returncode, 0, r)
            self.assertIn('Usage:', r.stdout)
            self.assertIn(' '.join(args), r.stdout)
            r = ctl('help', *args[:1])
            self.assertEqual(r.returncode, 0, r)
            self.assertIn('Usage:', r.stdout)
        for args in (['--help'], ['help']):
            r = ctl(*args)
            self.assertEqual(r.returncode, 0, r)
            for command in COMMANDS + ['flow']:
                self.assertIn(command, r.stdout)
        r = ctl('flow', '--help')
        self.assertEqual(r.returncode, 0, r)
        self.assertIn('open', r.stdout)
        self.assertIn('remove', r.stdout)
        r = ctl('--version')
        self.assertEqual(r.returncode, 0, r)
        self.assertRegex(r.stdout, r'^netagentctl \d+\.\d+')

    def test_completion(self):
        require(COMPLETION and shutil.which('bash'), 'needs bash and NETAGENTCTL_COMPLETION')
        self.assertEqual(complete('netagentctl', ''),
                         set(COMMANDS) | {'flow', 'help'})
        self.assertEqual(complete('netagentctl', '--se'), {'--session'})
        self.assertEqual(complete('netagentctl', '--system', 'mo'), {'monitor'})
        self.assertEqual(complete('netagentctl', 'list', '--'), {'--json', '--help'})
        self.assertEqual(complete('netagentctl', 'register', ''), interfaces())
        self.assertEqual(complete('netagentctl', 'register', 'lo', ''), set())
        self.assertEqual(complete('netagentctl', 'register', 'lo', '--features', 'custom-ether,fi'),
                         {'custom-ether,filter'})
        self.assertEqual(complete('netagentctl', 'flow', ''), {'open', 'remove', '--help'})
        self.assertIn('--tap-name', complete('netagentctl', 'flow', 'open', '--'))
        self.assertIn('0x88cc', complete('netagentctl', 'capture', '--ethertype', ''))
        self.assertIn('--write', complete('netagentctl', 'capture', '--'))
        self.assertIn('--payload-file', complete('netagentctl', 'send', '--'))
        self.assertEqual(complete('netagentctl', 'send', '--interface', ''), interfaces())
        self.assertIn('netagentctl', complete('netagentctl', 'flow', 'open', '-e', '0x88b5',
                                              '--', 'netagentc'))
        self.assertEqual(complete('netagentctl', 'help', 'reg'), {'register'})
        # No daemon (no bus here): no agents to offer, and no error either.
        self.assertEqual(complete('netagentctl', 'show', ''), set())

    def test_no_bus_is_a_failure(self):
        """Not a usage error: the operation could not be done (status 1)."""
        for command, args in (('list', ['list']), ('show', ['show', 'eth0']),
                              ('register', ['register', 'eth0']),
                              ('list', ['--session', 'list'])):
            r = ctl(*args)
            self.assertEqual(r.returncode, 1, r)
            self.assertTrue(r.stderr.startswith('netagentctl %s: ' % command), r.stderr)


# ----------------------------------------------------------------- end to end

class EndToEndTests(unittest.TestCase):
    """The daemon on a private bus and a veth pair; netagentctl drives it."""

    failed = False

    @classmethod
    def setUpClass(cls):
        require(os.geteuid() == 0, 'needs root (network namespace, veth pair)')
        require(in_private_netns(), 'needs a network namespace of its own')
        if not NETAGENTCTL or not NETAGENTD:
            raise AssertionError('NETAGENTCTL and NETAGENTD must name the built programs')
        cls.procs = []
        cls.tmp = tempfile.mkdtemp(prefix='netagentctl-test-')
        try:
            cls._make_links()
            cls._start_bus()
            cls._start_daemon()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def _make_links(cls):
        sh('ip', 'link', 'add', NIC, 'address', NIC_MAC, 'type', 'veth',
           'peer', 'name', PEER, 'address', PEER_MAC)
        for dev in (NIC, PEER):
            # No IPv6 chatter (router solicitations, MLD) on the wire.
            with open('/proc/sys/net/ipv6/conf/%s/disable_ipv6' % dev, 'w') as f:
                f.write('1')
            sh('ip', 'link', 'set', dev, 'up')

    @classmethod
    def _start_bus(cls):
        cls.bus_log = open(os.path.join(cls.tmp, 'bus.log'), 'w')
        bus, address = privatebus.start_bus(cls.tmp, stderr=cls.bus_log)
        cls.procs.append(bus)
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = address
        os.environ.pop('DBUS_SESSION_BUS_ADDRESS', None)

    @classmethod
    def _start_daemon(cls):
        cls.log_path = os.path.join(cls.tmp, 'netagentd.log')
        cls.log = open(cls.log_path, 'w')
        cls.daemon = subprocess.Popen([NETAGENTD, '--verbose', '--config', '/dev/null'], stdout=cls.log,
                                      stderr=subprocess.STDOUT)
        cls.procs.append(cls.daemon)
        # netagentctl itself says when the daemon is there: ServiceUnknown
        # (status 1) until it owns its name.
        deadline = time.monotonic() + WAIT
        while ctl('list').returncode != 0:
            if cls.daemon.poll() is not None:
                raise AssertionError('netagentd exited with %d:\n%s'
                                     % (cls.daemon.returncode, read_text(cls.log_path)))
            if time.monotonic() > deadline:
                raise AssertionError('netagentd did not come up')
            time.sleep(0.02)

    @classmethod
    def tearDownClass(cls):
        for p in reversed(getattr(cls, 'procs', [])):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(WAIT)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            if p.stdout:
                p.stdout.close()
        if cls.failed and getattr(cls, 'log_path', None) and os.path.exists(cls.log_path):
            sys.stderr.write('--- netagentd log ---\n' + read_text(cls.log_path))
        for attr in ('log', 'bus_log'):
            if getattr(cls, attr, None):
                getattr(cls, attr).close()
        shutil.rmtree(getattr(cls, 'tmp', ''), ignore_errors=True)

    def run(self, result=None):
        before = len(result.failures) + len(result.errors) if result else 0
        super().run(result)
        if result and len(result.failures) + len(result.errors) > before:
            type(self).failed = True

    def setUp(self):
        self.unregister_all()
        self.wire = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.wire.bind((PEER, 0))
        self.addCleanup(self.wire.close)

    def tearDown(self):
        self.unregister_all()

    # --------------------------------------------------------- helpers

    def ok(self, *args, **kwargs):
        r = ctl(*args, **kwargs)
        self.assertEqual(r.returncode, 0, 'netagentctl %s: %r' % (' '.join(args), r))
        return r

    def fails(self, error_name, *args):
        r = ctl(*args)
        self.assertEqual(r.returncode, 1, 'netagentctl %s: %r' % (' '.join(args), r))
        self.assertRegex(r.stderr, r'^netagentctl [a-z ]+: .*\(%s\)\n$' % error_name)
        return r

    def agents(self):
        return json.loads(self.ok('list', '--json').stdout)

    def unregister_all(self):
        for agent in self.agents():
            self.ok('unregister', agent['path'])

    def register(self, *args):
        path = self.ok('register', NIC, *args).stdout.strip()
        self.assertTrue(path.startswith(AGENT_PATH_PREFIX), path)
        return path

    def show(self, spec):
        return json.loads(self.ok('show', '--json', spec).stdout)

    def inject(self, ethertype, payload, dst=NIC_MAC):
        data = frame(dst, PEER_MAC, ethertype, payload)
        self.wire.send(data)
        return data

    def receive(self, ethertype):
        """The next frame of @ethertype that reaches the peer from the NIC."""
        self.wire.settimeout(WAIT)
        while True:
            data, addr = self.wire.recvfrom(65536)
            if addr[2] == PACKET_OUTGOING or len(data) < 14:
                continue
            if struct.unpack('!H', data[12:14])[0] == ethertype:
                return data

    def popen(self, *args, **kwargs):
        """netagentctl in the background, reaped at the end of the test."""
        p = ctl_popen(*args, **kwargs)
        self.addCleanup(self._reap, p)
        return p

    def _reap(self, proc):
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe and not getattr(pipe, '_nactl_lines', False) and not pipe.closed:
                pipe.close()

    def wait_exit(self, proc):
        try:
            return proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise AssertionError('netagentctl %r did not end' % proc.args)

    # --------------------------------------------------------- list, show

    def test_list_table_and_json(self):
        self.assertEqual(ctl('list').stdout.split(),
                         ['PATH', 'INTERFACE', 'UUID', 'FEATURES', 'FLAGS', 'ACTIVE', 'FLOWS'])
        path = self.register('--features', 'custom-ether,filter')

        lines = self.ok('list').stdout.splitlines()
        self.assertEqual(len(lines), 2, lines)
        header, row = lines
        cells = row.split()
        self.assertEqual(cells[0], path)
        self.assertEqual(cells[1], NIC)
        self.assertRegex(cells[2], '^%s$' % UUID_RE)
        self.assertEqual(cells[3:], ['custom-ether,filter', '0xa443', 'yes', '0/126'])
        # Aligned: every cell starts under its header.
        for name, cell in zip(header.split(), cells):
            self.assertEqual(header.index(name), row.index(cell), (header, row))

        for args in (['list', '--json'], ['--json', 'list']):
            agents = json.loads(self.ok(*args).stdout)
            self.assertEqual(agents, [{
                'path': path, 'interface': NIC, 'uuid': cells[2],
                'features': ['custom-ether', 'filter'], 'flags': 0xA443,
                'flow-count': 0, 'flow-max': 126, 'active': True,
            }])

    def test_show_agent(self):
        path = self.register('--features', 'custom-ether,filter')
        uuid = self.agents()[0]['uuid']

        shown = self.show(path)
        self.assertEqual(shown['path'], path)
        self.assertEqual(shown['kind'], 'agent')
        self.assertEqual(shown['interface'], 'io.netagentd.NetAgent1.Agent')
        props = shown['properties']
        self.assertEqual(props['Uuid'], uuid)
        self.assertEqual(props['Interface'], NIC)
        self.assertEqual(props['HardwareAddress'], NIC_MAC)
        self.assertEqual(props['Flags'], 0xA443)
        self.assertEqual(props['Features'], ['custom-ether', 'filter'])
        self.assertEqual(props['FlowMax'], 126)
        self.assertEqual(props['Flows'], [])
        self.assertEqual(props['Description'], 'Userspace Networking')
        self.assertLessEqual(AGENT_STAT_KEYS, set(props['Statistics']))
        # The same agent by its interface, its uuid (any case), and with --json first.
        for spec in (NIC, uuid, uuid.upper()):
            again = self.show(spec)
            self.assertEqual(again['path'], path)
            self.assertEqual(again['properties']['Uuid'], uuid)
        self.assertEqual(json.loads(self.ok('--json', 'show', NIC).stdout)['path'], path)

        text = self.ok('show', NIC).stdout
        lines = text.splitlines()
        self.assertEqual(lines[0], 'Agent ' + path)
        self.assertRegex(text, r'\n  Uuid: +%s\n' % uuid)
        self.assertRegex(text, r'\n  Interface: +%s\n' % NIC)
        self.assertRegex(text, r'\n  Flags: +0xa443 \(REGISTERED, ACTIVE, NETWORK_PROVIDER, '
                               r'NEXUS_LISTENER, CUSTOM_ETHER_NEXUS, INTERPOSE_NEXUS\)\n')
        self.assertRegex(text, r'\n  FrameType: +1 \(LINK\)\n')
        self.assertRegex(text, r'\n  Features: +custom-ether, filter\n')
        self.assertRegex(text, r'\n  Flows: +-\n')
        self.assertRegex(text, r'\n  Statistics:\n')
        for key in AGENT_STAT_KEYS:
            self.assertRegex(text, r'\n    %s: +\d+\n' % key)

    def test_show_and_remove_flow(self):
        agent = self.register()
        # The command prints where its flow is, then waits for a line on stdin.
        p = self.popen('flow', 'open', '--ethertype', '0x88b5', '--', 'sh', '-c',
                      'echo "$NETAGENT_FLOW_PATH $NETAGENT_FLOW_UUID"; read line; echo done',
                      stdin=subprocess.PIPE)
        out = Lines(p.stdout)
        flow_path, flow_uuid = out.wait_for(lambda l: True, 'the flow').split()
        self.assertTrue(flow_path.startswith(FLOW_PATH_PREFIX), flow_path)

        for spec in (flow_path, flow_uuid):
            shown = self.show(spec)
            self.assertEqual(shown['kind'], 'flow')
            self.assertEqual(shown['path'], flow_path)
            props = shown['properties']
            self.assertEqual(props['Uuid'], flow_uuid)
            self.assertEqual(props['Agent'], agent)
            self.assertEqual(props['Type'], 'custom-ether')
            self.assertEqual(props['Ethertype'], ETHERTYPE)
            self.assertEqual(props['Port'], 2)
            self.assertEqual(props['OwnerPid'], p.pid)
            self.assertEqual(props['OwnerUid'], 0)
            self.assertEqual(props['ChannelType'], 'socketpair')
            self.assertLessEqual(FLOW_STAT_KEYS, set(props['Statistics']))
        text = self.ok('show', flow_uuid).stdout
        self.assertEqual(text.splitlines()[0], 'Flow ' + flow_path)
        self.assertRegex(text, r'\n  Ethertype: +0x88b5\n')
        self.assertRegex(text, r'\n  TapName: +-\n')
        agent_props = self.show(agent)['properties']
        self.assertEqual(agent_props['Flows'], [flow_path])
        self.assertEqual(agent_props['FlowCount'], 1)

        # Someone else ends the flow: netagentctl says why, the command goes on.
        self.ok('flow', 'remove', flow_uuid)
        err = Lines(p.stderr)
        line = err.wait_for(lambda l: 'ended' in l, 'the end of the flow')
        self.assertIn(flow_uuid, line)
        self.assertIn('(removed)', line)
        p.stdin.write('go\n')
        p.stdin.close()
        self.assertEqual(self.wait_exit(p), 0)
        self.assertIn('done', out.rest())
        self.assertEqual(self.show(agent)['properties']['FlowCount'], 0)
        self.fails('NotFound', 'flow', 'remove', flow_uuid)
        self.fails('NotFound', 'show', flow_path)

    # --------------------------------------------------------- register

    def test_register_unregister(self):
        path = self.register('--flow-max', '5', '--description', 'cli test',
                             '--domain', 'Dom', '--type', 'Typ')
        props = self.show(path)['properties']
        self.assertEqual(props['FlowMax'], 5)
        self.assertEqual(props['Description'], 'cli test')
        self.assertEqual(props['Domain'], 'Dom')
        self.assertEqual(props['Type'], 'Typ')
        self.assertEqual(props['Features'], ['custom-ether'])
        self.assertEqual(self.agents()[0]['flow-max'], 5)

        self.fails('AlreadyExists', 'register', NIC)
        self.fails('NoSuchInterface', 'register', 'nosuchif0')
        self.fails('InvalidArgument', 'register', PEER, '--features', 'custom-ether,ipv6-ula')

        second = json.loads(self.ok('register', '--json', PEER).stdout)['agent']
        self.assertEqual([a['path'] for a in self.agents()], [path, second])
        second_uuid = self.agents()[1]['uuid']

        self.ok('unregister', NIC)
        self.assertEqual([a['path'] for a in self.agents()], [second])
        self.ok('unregister', second_uuid)
        self.assertEqual(self.agents(), [])
        self.assertEqual(len(self.ok('list').stdout.splitlines()), 1)
        self.fails('NotFound', 'unregister', path)
        self.fails('NotFound', 'unregister', NIC)

    # --------------------------------------------------------- monitor

    def test_monitor(self):
        p = self.popen('monitor')
        try:
            Lines(p.stderr).wait_for(lambda l: l.startswith('Monitoring'), 'monitor ready')
            out = Lines(p.stdout)

            path = self.register()
            uuid = self.agents()[0]['uuid']
            out.wait_for(lambda l: re.fullmatch(
                r'%s AgentRegistered uuid=%s agent=%s' % (TIME_RE, uuid, re.escape(path)), l),
                'AgentRegistered')
            out.wait_for(lambda l: re.fullmatch(
                r'%s InterfacesUpdated interface=%s agents=\[%s\]' % (TIME_RE, NIC, uuid), l),
                'InterfacesUpdated')

            sh('ip', 'link', 'set', NIC, 'mtu', '1400')
            out.wait_for(lambda l: re.fullmatch(
                r'%s AgentUpdated uuid=%s agent=%s generation=\d+'
                % (TIME_RE, uuid, re.escape(path)), l), 'AgentUpdated')
            sh('ip', 'link', 'set', NIC, 'mtu', '1500')

            self.ok('flow', 'open', '--ethertype', '0x88b5', '--', 'true')
            inserted = out.wait_for(lambda l: ' FlowInserted ' in l, 'FlowInserted')
            m = re.fullmatch(r'%s FlowInserted agent=%s flow_uuid=(%s) flow=(\S+) port=2'
                             % (TIME_RE, re.escape(path), UUID_RE), inserted)
            self.assertTrue(m, inserted)
            out.wait_for(lambda l: re.fullmatch(
                r'%s FlowRemoved agent=%s flow_uuid=%s flow=%s reason=removed'
                % (TIME_RE, re.escape(path), m.group(1), re.escape(m.group(2))), l),
                'FlowRemoved')

            self.ok('unregister', path)
            out.wait_for(lambda l: re.fullmatch(
                r'%s AgentUnregistered uuid=%s agent=%s' % (TIME_RE, uuid, re.escape(path)), l),
                'AgentUnregistered')
            out.wait_for(lambda l: re.fullmatch(
                r'%s InterfacesUpdated interface=%s agents=\[\]' % (TIME_RE, NIC), l),
                'InterfacesUpdated (empty)')
        finally:
            p.send_signal(signal.SIGINT)
            status = self.wait_exit(p)
        self.assertEqual(status, 0)

    def test_monitor_json(self):
        p = self.popen('--json', 'monitor')
        try:
            Lines(p.stderr).wait_for(lambda l: l.startswith('Monitoring'), 'monitor ready')
            out = Lines(p.stdout)
            path = self.register()
            uuid = self.agents()[0]['uuid']
            line = out.wait_for(lambda l: '"AgentRegistered"' in l, 'AgentRegistered')
            event = json.loads(line)
            self.assertRegex(event['time'], '^%s$' % TIME_RE)
            self.assertEqual(event['signal'], 'AgentRegistered')
            self.assertEqual(event['interface'], 'io.netagentd.NetAgent1')
            self.assertEqual(event['path'], '/io/netagentd/NetAgent1')
            self.assertEqual(event['args'], {'uuid': uuid, 'agent': path})
        finally:
            p.send_signal(signal.SIGTERM)
            status = self.wait_exit(p)
        self.assertEqual(status, 0)

    # --------------------------------------------------------- flow open

    def test_flow_open_exchanges_frames(self):
        agent = self.register()
        reply = frame(PEER_MAC, NIC_MAC, ETHERTYPE, b'reply from the command')
        reply_path = os.path.join(self.tmp, 'reply')
        rx_path = os.path.join(self.tmp, 'rx')
        env_path = os.path.join(self.tmp, 'env')
        with open(reply_path, 'wb') as f:
            f.write(reply)
        # dd reads one message from the channel and writes one: one frame each.
        script = (
            'for v in NETAGENT_CHANNEL_FD NETAGENT_FLOW_UUID NETAGENT_FLOW_PATH '
            'NETAGENT_AGENT_PATH NETAGENT_INTERFACE NETAGENT_LOCAL_ETHER NETAGENT_ETHERTYPE '
            'NETAGENT_NEXUS_PORT NETAGENT_CHANNEL_TYPE; do eval "echo $v=\\$$v"; done > %s; '
            'echo ready; '
            'dd bs=65536 count=1 <&3 > %s 2>/dev/null && '
            'dd if=%s bs=65536 count=1 >&3 2>/dev/null; exit 7'
            % (shlex.quote(env_path), shlex.quote(rx_path), shlex.quote(reply_path)))
        p = self.popen('flow', 'open', '--interface', NIC, '--ethertype', '0x88b5', '--',
                      'sh', '-c', script)
        out = Lines(p.stdout)
        out.wait_for(lambda l: l == 'ready', 'the command to start')

        sent = self.inject(ETHERTYPE, b'hello from the wire')
        self.assertEqual(self.receive(ETHERTYPE), reply)
        self.assertEqual(self.wait_exit(p), 7)
        with open(rx_path, 'rb') as f:
            self.assertEqual(f.read(), sent)

        with open(env_path) as f:
            env = dict(line.rstrip('\n').split('=', 1) for line in f)
        self.assertEqual(env['NETAGENT_CHANNEL_FD'], '3')
        self.assertRegex(env['NETAGENT_FLOW_UUID'], '^%s$' % UUID_RE)
        self.assertTrue(env['NETAGENT_FLOW_PATH'].startswith(FLOW_PATH_PREFIX))
        self.assertEqual(env['NETAGENT_AGENT_PATH'], agent)
        self.assertEqual(env['NETAGENT_INTERFACE'], NIC)
        self.assertEqual(env['NETAGENT_LOCAL_ETHER'], NIC_MAC)
        self.assertEqual(env['NETAGENT_ETHERTYPE'], '0x88b5')
        self.assertEqual(env['NETAGENT_NEXUS_PORT'], '2')
        self.assertEqual(env['NETAGENT_CHANNEL_TYPE'], 'socketpair')
        # The flow lived as long as the command, and no longer.
        self.assertEqual(self.show(agent)['properties']['FlowCount'], 0)
        stats = self.show(agent)['properties']['Statistics']
        self.assertGreaterEqual(stats['rx-delivered'], 1)
        self.assertGreaterEqual(stats['tx-frames'], 1)

    def test_flow_open_reports_early_end(self):
        self.register()
        p = self.popen('flow', 'open', '--ethertype', '0x88b5', '--', 'sh', '-c',
                      'echo ready; cat <&3 >/dev/null; echo eof')
        out = Lines(p.stdout)
        out.wait_for(lambda l: l == 'ready', 'the command to start')
        self.ok('unregister', NIC)
        # The command reads end-of-file and ends; netagentctl said why.
        out.wait_for(lambda l: l == 'eof', 'end-of-file on the channel')
        self.assertEqual(self.wait_exit(p), 0)
        err = p.stderr.read()
        p.stderr.close()
        self.assertIn('(purged)', err)
        self.assertIn('unregistered', err)

    def test_flow_open_exit_status(self):
        agent = self.register()
        self.assertEqual(ctl('flow', 'open', '-e', '0x88b5', '--', 'sh', '-c', 'exit 3')
                         .returncode, 3)
        self.assertEqual(ctl('flow', 'open', '-e', '0x88b5', 'sh', '-c', 'kill -TERM $$')
                         .returncode, 128 + signal.SIGTERM)
        r = ctl('flow', 'open', '-e', '0x88b5', '--', os.path.join(self.tmp, 'no-such-command'))
        self.assertEqual(r.returncode, 127, r)
        # The command's own options are its own.
        r = self.ok('flow', 'open', '-e', '0x88b5', 'sh', '-c', 'echo "$1"', 'sh', '--json')
        self.assertEqual(r.stdout, '--json\n')
        self.assertEqual(self.show(agent)['properties']['FlowCount'], 0)

    def test_flow_open_tap(self):
        self.register()
        r = self.ok('flow', 'open', '--ethertype', '0x88b5', '--tap', '--tap-name', 'nactltap0',
                    '--', 'sh', '-c',
                    'echo "$NETAGENT_CHANNEL_TYPE $NETAGENT_TAP_NAME"; '
                    'ip -o link show "$NETAGENT_TAP_NAME" >/dev/null && echo exists')
        self.assertEqual(r.stdout.split('\n')[:2], ['tap nactltap0', 'exists'])
        self.assertNotEqual(subprocess.run(['ip', 'link', 'show', 'nactltap0'],
                                           capture_output=True).returncode, 0,
                            'the TAP device outlived its flow')

    # --------------------------------------------------------- capture

    def test_capture_to_file(self):
        self.register()
        path = os.path.join(self.tmp, 'capture.pcap')
        p = self.popen('capture', '--interface', NIC, '--ethertype', '0x88b5', '-c', '2',
                      '-w', path)
        err = Lines(p.stderr)
        err.wait_for(lambda l: l.startswith('Capturing ethertype 0x88b5 on %s' % NIC),
                     'capture ready')
        self.inject(OTHER_ETHERTYPE, b'not for this flow')
        one = self.inject(ETHERTYPE, b'one')
        two = self.inject(ETHERTYPE, b'two')
        self.inject(ETHERTYPE, b'three: after the count')
        self.assertEqual(self.wait_exit(p), 0)
        self.assertIn('2 frames captured', err.rest())

        header, records = read_pcap(path)
        self.assertEqual(header, (0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        self.assertEqual([r[4] for r in records], [one, two])
        for sec, usec, caplen, wirelen, _ in records:
            self.assertEqual((caplen, wirelen), (60, 60))
            self.assertLess(usec, 1000000)
            self.assertLessEqual(abs(sec - time.time()), 3600)

        tcpdump = subprocess.run(['tcpdump', '-r', path, '-nn', '-e'], capture_output=True,
                                 text=True, timeout=WAIT)
        self.assertEqual(tcpdump.returncode, 0, tcpdump)
        # One summary line per frame (tcpdump adds a hex dump of unknown types).
        lines = [l for l in tcpdump.stdout.splitlines() if l and not l[0].isspace()]
        self.assertEqual(len(lines), 2, tcpdump)
        for line in lines:
            self.assertIn('%s > %s' % (PEER_MAC, NIC_MAC), line)
            self.assertIn('0x88b5', line)
            self.assertIn('length 60', line)

    def test_capture_pipe_into_tcpdump(self):
        self.register()
        capture = self.popen('capture', '--ethertype', '0x88b5', '-c', '1', '-w', '-',
                            text=False)
        tcpdump = subprocess.Popen(['tcpdump', '-r', '-', '-nn', '-e'], stdin=capture.stdout,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        capture.stdout.close()
        err = Lines(io.TextIOWrapper(capture.stderr))
        err.wait_for(lambda l: l.startswith('Capturing'), 'capture ready')
        self.inject(ETHERTYPE, b'through a pipe')
        self.assertEqual(self.wait_exit(capture), 0)
        out, _ = tcpdump.communicate(timeout=WAIT)
        self.assertEqual(tcpdump.returncode, 0)
        lines = [l for l in out.splitlines() if l and not l[0].isspace()]
        self.assertEqual(len(lines), 1, out)
        self.assertIn('%s > %s' % (PEER_MAC, NIC_MAC), lines[0])
        self.assertIn('0x88b5', lines[0])

    def test_capture_until_signal(self):
        self.register()
        path = os.path.join(self.tmp, 'sigint.pcap')
        p = self.popen('capture', '--ethertype', '0x88b5', '-w', path)
        err = Lines(p.stderr)
        err.wait_for(lambda l: l.startswith('Capturing'), 'capture ready')
        sent = self.inject(ETHERTYPE, b'before the signal')
        # Each frame is flushed as it comes: wait for it in the file.
        deadline = time.monotonic() + WAIT
        while os.path.getsize(path) < 24 + 16 + 60:
            self.assertLess(time.monotonic(), deadline, 'the frame never reached the file')
            time.sleep(0.01)
        p.send_signal(signal.SIGINT)
        self.assertEqual(self.wait_exit(p), 0)
        self.assertIn('1 frame captured', err.rest())
        self.assertEqual([r[4] for r in read_pcap(path)[1]], [sent])
        self.assertEqual(self.agents()[0]['flow-count'], 0)

    def test_capture_ends_with_the_flow(self):
        self.register()
        p = self.popen('capture', '--ethertype', '0x88b5', '-w', os.path.join(self.tmp, 'x.pcap'))
        err = Lines(p.stderr)
        err.wait_for(lambda l: l.startswith('Capturing'), 'capture ready')
        self.ok('unregister', NIC)
        self.assertEqual(self.wait_exit(p), 1)
        self.assertTrue(any('unregistered' in l for l in err.rest()), err.seen)

    def test_ipv6_ula_flows(self):
        self.register('--features', 'ipv6-ula')
        local, remote = 'fd00:5e10::1', 'fd00:5e10::2'
        ipv6 = (struct.pack('!IHBB', 6 << 28, 8, 59, 64) + socket.inet_pton(socket.AF_INET6, remote)
                + socket.inet_pton(socket.AF_INET6, local) + b'8 bytes.')
        path = os.path.join(self.tmp, 'ula.pcap')
        p = self.popen('capture', '--local', local, '--remote', remote, '-c', '1', '-w', path)
        err = Lines(p.stderr)
        err.wait_for(lambda l: l.startswith('Capturing %s ↔ %s' % (local, remote)),
                     'capture ready')
        self.inject(0x86DD, b'\0' * 40)     # an IPv6 frame of no flow
        sent = self.inject(0x86DD, ipv6)
        self.assertEqual(self.wait_exit(p), 0)
        self.assertEqual([r[4] for r in read_pcap(path)[1]], [sent])

        r = self.ok('flow', 'open', '-l', local, '-r', remote, '--', 'sh', '-c',
                    'echo "$NETAGENT_LOCAL_ENDPOINT $NETAGENT_REMOTE_ENDPOINT '
                    '${NETAGENT_ETHERTYPE-none}"')
        self.assertEqual(r.stdout, '%s %s none\n' % (local, remote))
        self.fails('BadAddress', 'flow', 'open', '-l', 'not-an-address', '-r', remote,
                   '--', 'true')
        self.fails('NotSupported', 'flow', 'open', '-e', '0x88b5', '--', 'true')

    # --------------------------------------------------------- send

    def test_send(self):
        agent = self.register()
        self.ok('send', '--interface', NIC, '--ethertype', '0x88b5', '--to', PEER_MAC,
                '--count', '3', '--payload', '01:02:03')
        expected = frame(PEER_MAC, NIC_MAC, ETHERTYPE, b'\x01\x02\x03')
        self.assertEqual(len(expected), 60)
        for _ in range(3):
            self.assertEqual(self.receive(ETHERTYPE), expected)

        payload = bytes(range(100))
        payload_path = os.path.join(self.tmp, 'payload')
        with open(payload_path, 'wb') as f:
            f.write(payload)
        self.ok('send', '--agent', agent, '-e', str(ETHERTYPE), '--to', PEER_MAC,
                '--payload-file', payload_path)
        self.assertEqual(self.receive(ETHERTYPE), frame(PEER_MAC, NIC_MAC, ETHERTYPE, payload))
        with open(payload_path, 'rb') as f:
            self.ok('send', '-e', '0x88b5', '--to', 'FF:FF:FF:FF:FF:FF', '--payload-file', '-',
                    stdin=f)
        self.assertEqual(self.receive(ETHERTYPE),
                         frame('ff:ff:ff:ff:ff:ff', NIC_MAC, ETHERTYPE, payload))

        props = self.show(agent)['properties']
        self.assertEqual(props['FlowCount'], 0)
        self.assertGreaterEqual(props['Statistics']['tx-frames'], 5)
        self.fails('BadEthertype', 'send', '-e', '0x0806', '--to', PEER_MAC)

    # --------------------------------------------------------- completion

    def test_completion_offers_agents(self):
        require(COMPLETION and shutil.which('bash'), 'needs bash and NETAGENTCTL_COMPLETION')
        path = self.register()
        self.assertEqual(complete('netagentctl', 'show', ''), {path, NIC})
        self.assertEqual(complete('netagentctl', 'unregister', '/io'), {path})
        self.assertEqual(complete('netagentctl', 'send', '--agent', ''), {path, NIC})

    # --------------------------------------------------------- errors

    def test_errors(self):
        self.fails('NotFound', 'flow', 'open', '-e', '0x88b5', '--', 'true')
        self.fails('NotFound', 'show', 'nosuchif0')
        self.fails('NotFound', 'show', '00000000-0000-0000-0000-000000000001')
        self.fails('NotFound', 'show', AGENT_PATH_PREFIX + '999')
        self.fails('NotFound', 'unregister', AGENT_PATH_PREFIX + '999')
        self.fails('NotFound', 'send', '--interface', NIC, '-e', '0x88b5', '--to', PEER_MAC)
        self.fails('NoSuchInterface', 'register', 'nosuchif0')

        agent = self.register()
        self.fails('NotFound', 'flow', 'open', '--interface', 'nosuchif0', '-e', '0x88b5',
                   '--', 'true')
        for forbidden in ('0x0800', '0x86dd', '1500'):
            self.fails('BadEthertype', 'flow', 'open', '-e', forbidden, '--', 'true')
        self.fails('NotSupported', 'flow', 'open', '--local', 'fd00::1', '--remote', 'fd00::2',
                   '--', 'true')
        self.fails('NotSupported', 'capture', '--local', 'fd00::1', '--remote', 'fd00::2',
                   '-w', os.path.join(self.tmp, 'never.pcap'))

        # Two agents: a flow command must be told which.
        self.ok('register', PEER)
        r = ctl('flow', 'open', '-e', '0x88b5', '--', 'true')
        self.assertEqual(r.returncode, 2, r)
        self.assertIn('--agent', r.stderr)
        self.ok('flow', 'open', '--agent', agent, '-e', '0x88b5', '--', 'true')


if __name__ == '__main__':
    main()
