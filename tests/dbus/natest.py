# SPDX-License-Identifier: GPL-2.0-or-later
"""Harness for the contract tests of netagentd's D-Bus API.

Every test runs the real daemon (the executable named by $NETAGENTD) on a
private dbus-daemon that plays the system bus, next to python-dbusmock's
polkitd template, which decides every authorization.  The test process and
the daemon live in a network namespace of their own (see run-in-netns; run
directly as root, a module re-executes itself under `unshare --net`), with
veth pairs made for the test.  Unprivileged callers are separate client
processes (naclient.py) started through setpriv.

Without root the tests skip; with CI=true in the environment a skip is a
failure instead (see require()).

Waits for asynchronous events are bounded by WAIT seconds: a guard against
hangs, never a measured threshold.
"""

import collections
import errno
import fcntl
import ipaddress
import json
import os
import pwd
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

import gi
gi.require_version('Gio', '2.0')
gi.require_version('GLib', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
import privatebus  # noqa: E402
from privatebus import in_ci, require  # noqa: E402,F401  (used by the test modules)
from privatenetns import in_private_netns, main  # noqa: E402,F401

# Names of the version 1 contract (include/netagent/netagent-names.h).
BUS_NAME = 'io.netagentd.NetAgent1'
MANAGER_PATH = '/io/netagentd/NetAgent1'
AGENT_PATH_PREFIX = MANAGER_PATH + '/Agent/'
FLOW_PATH_PREFIX = MANAGER_PATH + '/Flow/'
IFACE = 'io.netagentd.NetAgent1'
IFACE_AGENT = IFACE + '.Agent'
IFACE_FLOW = IFACE + '.Flow'
IFACE_PROPS = 'org.freedesktop.DBus.Properties'
IFACE_OM = 'org.freedesktop.DBus.ObjectManager'
ERROR_PREFIX = IFACE + '.Error.'

ACTION_REGISTER = IFACE + '.register'
ACTION_FLOW_INSERT = IFACE + '.flow-insert'
ACTION_FLOW_FILTER = IFACE + '.flow-filter'
ACTION_FLOW_DELEGATE = IFACE + '.flow-delegate'
ALL_ACTIONS = [ACTION_REGISTER, ACTION_FLOW_INSERT, ACTION_FLOW_FILTER,
               ACTION_FLOW_DELEGATE]

POLKIT_NAME = 'org.freedesktop.PolicyKit1'
POLKIT_PATH = '/org/freedesktop/PolicyKit1/Authority'
MOCK_IFACE = 'org.freedesktop.DBus.Mock'

# Agent flags and nexus flags with the seed's values (netagent-flags.h).
FLAG_REGISTERED = 0x1
FLAG_ACTIVE = 0x2
FLAG_NETWORK_PROVIDER = 0x40
FLAG_NEXUS_PROVIDER = 0x80
FLAG_NEXUS_LISTENER = 0x400
FLAG_CUSTOM_ETHER_NEXUS = 0x2000
FLAG_INTERPOSE_NEXUS = 0x8000

NOBODY = 65534


def _other_user():
    """A second unprivileged uid with a passwd entry (the bus needs one to
    look its groups up): the lowest one above 0 but nobody."""
    uids = sorted(p.pw_uid for p in pwd.getpwall()
                  if p.pw_uid not in (0, NOBODY))
    return uids[0] if uids else None


OTHER_USER = _other_user()

WAIT = 30                   # hang guard for asynchronous events, seconds

UUID_RE = re.compile(r'^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
MAC_RE = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')

FORBIDDEN_ETHERTYPES = [0x0800, 0x0806, 0x8035, 0x8100, 0x86DD, 0x888E, 0x88C7]

AGENT_STAT_KEYS = {
    'agent-bad-ethertype', 'agent-bad-ipv6-addr', 'agent-dup-flow',
    'rx-frames', 'rx-bytes', 'rx-delivered', 'rx-unmatched', 'rx-dropped',
    'tx-frames', 'tx-bytes', 'tx-rejected-length', 'tx-rejected-source',
    'tx-rejected-flow', 'tx-failed',
}
FLOW_STAT_KEYS = {'rx-frames', 'rx-bytes', 'rx-dropped', 'tx-frames',
                  'tx-bytes', 'tx-rejected'}

FLOW_PARAM_TYPES = {
    'type': 's', 'ethertype': 'q', 'local-address': 's',
    'remote-address': 's', 'listener': 'b', 'channel-type': 's',
    'tap-name': 's', 'pid': 'u',
}
REGISTER_OPTION_TYPES = {
    'features': 'as', 'flow-max': 'u', 'domain': 's', 'type': 's',
    'description': 's',
}

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_SCRIPT = os.path.join(HERE, 'naclient.py')
POLKIT_TEMPLATE = os.path.join(HERE, 'polkitd_template.py')

# ioctls of the tun driver (linux/if_tun.h)
TUNGETIFF = 0x800454d2
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


# ----------------------------------------------------------------- basics

def sh(*argv, check=True):
    """Run a command (iproute2 and friends) in the test's namespace."""
    r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if check and r.returncode != 0:
        raise AssertionError('command %r failed (%d): %s'
                             % (' '.join(argv), r.returncode, r.stdout))
    return r


def link_info(name):
    """`ip -d -j link show dev NAME` as a dict, or None when there is no such link."""
    r = sh('ip', '-d', '-j', 'link', 'show', 'dev', name, check=False)
    if r.returncode != 0:
        return None
    data = json.loads(r.stdout)
    return data[0] if data else None


def links():
    r = sh('ip', '-d', '-j', 'link', 'show')
    return json.loads(r.stdout)


def link_names():
    return [link['ifname'] for link in links()]


def tun_links():
    return [link['ifname'] for link in links()
            if link.get('linkinfo', {}).get('info_kind') == 'tun']


def canonical_ipv6(text):
    return str(ipaddress.IPv6Address(text))


def pump():
    """Dispatch whatever is pending on the default main context (signals)."""
    ctx = GLib.MainContext.default()
    while ctx.iteration(False):
        pass


def wait_until(fn, what, timeout=WAIT):
    """Pump the main context until fn() is true; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        pump()
        value = fn()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('gave up waiting (%ds) for %s' % (timeout, what))
        time.sleep(0.005)


def vardict(values, types):
    """a{sv} from a dict; plain values get the contract's type for their key,
    GLib.Variant values (e.g. deliberately wrong types) are taken as they are."""
    out = {}
    for key, value in values.items():
        if isinstance(value, GLib.Variant):
            out[key] = value
        else:
            out[key] = GLib.Variant(types[key], value)
    return out


def flow_params(values):
    """FlowInsert parameters (a dict of variants, for an a{sv})."""
    return vardict(values, FLOW_PARAM_TYPES)


def register_options(values):
    """Register options (a dict of variants, for an a{sv})."""
    return vardict(values, REGISTER_OPTION_TYPES)


def so_type(fd):
    s = socket.socket(fileno=os.dup(fd))
    try:
        return (s.family, s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE))
    finally:
        s.close()


def tun_getiff(fd):
    """(name, flags) of the TAP/TUN device behind @fd."""
    buf = bytearray(40)
    fcntl.ioctl(fd, TUNGETIFF, buf)
    name = bytes(buf[:16]).split(b'\0', 1)[0].decode()
    flags = struct.unpack('H', bytes(buf[16:18]))[0]
    return name, flags


def read_until_eof(fd, timeout=WAIT):
    """Read messages from a channel until end-of-file; return the messages
    seen before it.  Raises AssertionError when EOF does not come."""
    seen = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError('channel fd %d: no end-of-file' % fd)
        r, _, _ = select.select([fd], [], [], left)
        if not r:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError as e:
            if e.errno == errno.ECONNRESET:
                return seen
            raise
        if data == b'':
            return seen
        seen.append(data)


def channel_alive(fd):
    """False when the daemon closed its end of a socketpair channel (a read
    would give end-of-file); checked without consuming a message."""
    s = socket.socket(fileno=os.dup(fd))
    try:
        s.setblocking(False)
        try:
            return s.recv(1, socket.MSG_PEEK) != b''
        except BlockingIOError:
            return True
        except ConnectionResetError:
            return False
    finally:
        s.close()


def close_quietly(fd):
    try:
        os.close(fd)
    except OSError:
        pass


# ----------------------------------------------------------------- errors

class DBusCallError(Exception):
    """A D-Bus error reply: .name is the error name, .message its text."""

    def __init__(self, name, message):
        super().__init__('%s: %s' % (name, message))
        self.name = name
        self.message = message


def convert_error(e):
    name = Gio.DBusError.get_remote_error(e)
    if name:
        message = e.message
        prefix = 'GDBus.Error:%s: ' % name
        if message.startswith(prefix):
            message = message[len(prefix):]
        return DBusCallError(name, message)
    return DBusCallError('%s:%d' % (GLib.quark_to_string(e.domain)
                                    if isinstance(e.domain, int) else e.domain,
                                    e.code), e.message)


# ----------------------------------------------------------------- client

Signal = collections.namedtuple('Signal', 'sender path iface member args text')
FlowReply = collections.namedtuple('FlowReply', 'path assignment fd fds')


class Client:
    """A bus connection of the test process (uid 0), recording every signal."""

    def __init__(self, address):
        flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
                 | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
        self.conn = Gio.DBusConnection.new_for_address_sync(address, flags,
                                                            None, None)
        self.conn.set_exit_on_close(False)
        self.signals = []
        self.fds = []
        self._sub = self.conn.signal_subscribe(
            None, None, None, None, None, Gio.DBusSignalFlags.NONE,
            self._on_signal, None)

    def _on_signal(self, conn, sender, path, iface, member, params, *user):
        self.signals.append(Signal(sender, path, iface, member,
                                   list(params.unpack()), params.print_(True)))

    @property
    def unique_name(self):
        return self.conn.get_unique_name()

    def close(self):
        for fd in self.fds:
            close_quietly(fd)
        self.fds = []
        if not self.conn.is_closed():
            self.conn.signal_unsubscribe(self._sub)
            try:
                self.conn.close_sync(None)
            except GLib.Error:
                pass

    def call(self, dest, path, iface, method, args=None, reply_type=None):
        """Call a method; return the unpacked reply tuple (fds are kept
        in self.fds and also returned as the second element)."""
        try:
            reply, fdlist = self.conn.call_with_unix_fd_list_sync(
                dest, path, iface, method, args,
                GLib.VariantType(reply_type) if reply_type else None,
                Gio.DBusCallFlags.NONE, WAIT * 1000, None, None)
        except GLib.Error as e:
            raise convert_error(e) from None
        fds = []
        if fdlist is not None:
            stolen = fdlist.steal_fds()
            fds = list(stolen[0] if isinstance(stolen, tuple) else stolen)
            self.fds.extend(fds)
        return (reply.unpack() if reply is not None else None), fds


# ------------------------------------------------------ unprivileged client

class UnprivClient:
    """A client process running as another uid (setpriv), driven over
    stdin/stdout with one JSON request and one JSON answer per line."""

    def __init__(self, address, workdir, uid=NOBODY, gid=NOBODY):
        self.uid = uid
        self.sock, child = socket.socketpair(socket.AF_UNIX,
                                             socket.SOCK_SEQPACKET)
        script = os.path.join(workdir, 'naclient.py')
        env = {
            'DBUS_SYSTEM_BUS_ADDRESS': address,
            'PATH': '/usr/sbin:/usr/bin:/sbin:/bin',
            'HOME': workdir,
            'LANG': 'C.UTF-8',
            'GIO_USE_VFS': 'local',
            'GSETTINGS_BACKEND': 'memory',
            'PYTHONDONTWRITEBYTECODE': '1',
        }
        self.proc = subprocess.Popen(
            ['setpriv', '--reuid=%d' % uid, '--regid=%d' % gid,
             '--clear-groups', sys.executable, script, str(child.fileno())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            pass_fds=[child.fileno()], text=True, cwd=workdir)
        child.close()
        hello = self._read()
        if not hello.get('ok'):
            raise AssertionError('unprivileged client failed to start: %r' % hello)
        self.unique_name = hello['unique-name']

    @property
    def pid(self):
        return self.proc.pid

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError('unprivileged client exited (%r)'
                                 % self.proc.poll())
        return json.loads(line)

    def request(self, **req):
        self.proc.stdin.write(json.dumps(req) + '\n')
        self.proc.stdin.flush()
        return self._read()

    def call(self, path, iface, method, args=None):
        """Like Client.call; the fds stay in the client process (their
        numbers there are returned)."""
        ans = self.request(op='call', path=path, iface=iface, method=method,
                           args=args.print_(True) if args is not None else None)
        if not ans['ok']:
            raise DBusCallError(ans['error'], ans.get('message', ''))
        result = GLib.Variant.parse(None, ans['result'], None, None).unpack()
        return result, ans['fds']

    def flow_insert(self, agent, flow_uuid, params):
        (path, assignment), fds = self.call(
            agent, IFACE_AGENT, 'FlowInsert',
            GLib.Variant('(sa{sv})', (flow_uuid, flow_params(params))))
        fd = fds[assignment['channel']] if 'channel' in assignment else None
        return FlowReply(path, assignment, fd, fds)

    def close_fd(self, fd):
        ans = self.request(op='close', fd=fd)
        assert ans['ok'], ans

    def so_type(self, fd):
        ans = self.request(op='so-type', fd=fd)
        assert ans['ok'], ans
        return ans['family'], ans['type']

    def take_fd(self, fd):
        """Have the client pass a copy of its fd to us (SCM_RIGHTS)."""
        ans = self.request(op='send-fd', fd=fd)
        assert ans['ok'], ans
        _, fds, _, _ = socket.recv_fds(self.sock, 16, 1)
        return fds[0]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        self.sock.close()


# ------------------------------------------------------------ environment



class DaemonTestCase(unittest.TestCase):
    """Base class: a private system bus and polkit mock per class, a fresh
    daemon and fresh veth pair(s) per test.

    Subclasses set VETHS (pairs of names) for the links they want."""

    VETHS = [('na0', 'na1')]

    # -------------------------------------------------- class environment

    @classmethod
    def setUpClass(cls):
        require(os.geteuid() == 0, 'needs root (network namespace, veth, setpriv)')
        require(in_private_netns(),
                'needs a private network namespace (run through run-in-netns)')
        cls.netagentd = os.environ.get('NETAGENTD', '')
        require(cls.netagentd and os.access(cls.netagentd, os.X_OK),
                'NETAGENTD must name the built netagentd executable')
        for tool in ('dbus-daemon', 'ip', 'setpriv'):
            require(shutil.which(tool), 'needs %s' % tool)
        sh('ip', 'link', 'set', 'lo', 'up')
        cls.workdir = tempfile.mkdtemp(prefix='netagentd-test-')
        os.chmod(cls.workdir, 0o755)
        # Keep the machine's configuration (auto-registration rules, quotas)
        # out of the tests when the daemon lets us name the file.
        cls.daemon_args = []
        helptext = subprocess.run([cls.netagentd, '--help'],
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True).stdout
        if '--config' in helptext:
            conf = os.path.join(cls.workdir, 'netagentd.conf')
            with open(conf, 'w') as f:
                f.write('# empty: the built-in defaults\n')
            cls.daemon_args = ['--config', conf]
        shutil.copy(CLIENT_SCRIPT, os.path.join(cls.workdir, 'naclient.py'))
        os.chmod(os.path.join(cls.workdir, 'naclient.py'), 0o644)
        try:
            cls._start_bus()
            cls._start_polkit()
        except BaseException:
            cls._stop_class_env()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._stop_class_env()

    @classmethod
    def _start_bus(cls):
        cls.bus_log = open(os.path.join(cls.workdir, 'bus.log'), 'w+')
        cls.bus, cls.bus_address = privatebus.start_bus(cls.workdir, stderr=cls.bus_log)
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = cls.bus_address
        cls.bus_conn = Client(cls.bus_address)

    @classmethod
    def _start_polkit(cls):
        env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=cls.bus_address)
        if getattr(cls, 'polkit_log', None):
            cls.polkit_log.close()      # restarted by a test
        cls.polkit_log = open(os.path.join(cls.workdir, 'polkit.log'), 'a+')
        cls.polkit = subprocess.Popen(
            [sys.executable, '-m', 'dbusmock', '--system', '--template',
             POLKIT_TEMPLATE],
            stdout=cls.polkit_log, stderr=subprocess.STDOUT, env=env)
        wait_until(lambda: cls._name_has_owner(POLKIT_NAME) or
                   cls.polkit.poll() is not None, 'the polkitd mock')
        if cls.polkit.poll() is not None:
            raise AssertionError('polkitd mock exited')

    @classmethod
    def _name_has_owner(cls, name):
        (has,), _ = cls.bus_conn.call('org.freedesktop.DBus',
                                      '/org/freedesktop/DBus',
                                      'org.freedesktop.DBus', 'NameHasOwner',
                                      GLib.Variant('(s)', (name,)), '(b)')
        return has

    @classmethod
    def _stop_class_env(cls):
        if getattr(cls, 'bus_conn', None):
            cls.bus_conn.close()
            cls.bus_conn = None
        for attr in ('polkit', 'bus'):
            proc = getattr(cls, attr, None)
            if proc and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(WAIT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc and proc.stdout:
                proc.stdout.close()
            setattr(cls, attr, None)
        for attr in ('polkit_log', 'bus_log'):
            f = getattr(cls, attr, None)
            if f:
                f.close()
        if getattr(cls, 'workdir', None):
            shutil.rmtree(cls.workdir, ignore_errors=True)

    # --------------------------------------------------- test environment

    def setUp(self):
        self.unpriv = []
        self.daemon = None
        self.daemon_log = None
        self.extra_links = []
        self.polkit_allow(ALL_ACTIONS)
        self.polkit_mock('SetFailing', GLib.Variant('(b)', (False,)))
        self.polkit_mock('ClearChecks')
        for a, b in self.VETHS:
            self.make_veth(a, b)
        self.client = Client(self.bus_address)
        self.start_daemon()

    def tearDown(self):
        for c in self.unpriv:
            c.stop()
        self.unpriv = []
        self.client.close()
        problems = []
        if self.daemon is not None:
            died = self.daemon.poll()
            if died is None:
                try:
                    self.stop_daemon()
                except AssertionError as e:
                    problems.append(str(e))
            elif not getattr(self, 'daemon_stopped', False):
                self.daemon_log_text = self.read_daemon_log()
                problems.append('netagentd died during the test (exit status '
                                '%d%s)' % (died, ', %s' % signal.Signals(-died).name
                                           if died < 0 else ''))
        for name in self.extra_links + [a for a, _ in self.VETHS]:
            if link_info(name) is not None:
                sh('ip', 'link', 'del', name, check=False)
        for name in tun_links():
            sh('ip', 'link', 'del', name, check=False)
        try:
            self.check_daemon_log()
        except AssertionError as e:
            problems.append(str(e))
        if problems:
            self.fail('; '.join(problems))

    def run(self, result=None):
        """Print the daemon's log when the test failed."""
        before = (len(result.failures) + len(result.errors)) if result else 0
        ret = super().run(result)
        if result is not None and \
           len(result.failures) + len(result.errors) > before:
            log = getattr(self, 'daemon_log_text', None)
            if log is None and self.daemon_log is not None:
                log = self.read_daemon_log()
            sys.stderr.write('\n----- netagentd log (%s) -----\n%s'
                             '----- end of netagentd log -----\n'
                             % (self.id(), log or '(empty)\n'))
        return ret

    def make_veth(self, a, b):
        for name in (a, b):
            if link_info(name) is not None:
                sh('ip', 'link', 'del', name)
        sh('ip', 'link', 'add', a, 'type', 'veth', 'peer', 'name', b)
        for name in (a, b):
            # No IPv6 on the test links: the kernel would send router
            # solicitations and MLD reports of its own onto them.
            path = '/proc/sys/net/ipv6/conf/%s/disable_ipv6' % name
            if os.path.exists(path):
                with open(path, 'w') as f:
                    f.write('1')
            sh('ip', 'link', 'set', name, 'up')

    def spawn_daemon(self, *extra_args, env=None, log_suffix=''):
        """Start netagentd (not waiting for it); its output goes to a log."""
        log_path = os.path.join(self.workdir, 'netagentd-%s%s.log'
                                % (self._testMethodName, log_suffix))
        full_env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=self.bus_address)
        full_env.update(env or {})
        with open(log_path, 'w') as log:
            proc = subprocess.Popen([self.netagentd, '--verbose'] +
                                    self.daemon_args + list(extra_args),
                                    stdout=log,
                                    stderr=subprocess.STDOUT, env=full_env)
        return proc, log_path

    def name_owner(self, name=BUS_NAME):
        try:
            (owner,), _ = self.bus_conn.call(
                'org.freedesktop.DBus', '/org/freedesktop/DBus',
                'org.freedesktop.DBus', 'GetNameOwner',
                GLib.Variant('(s)', (name,)), '(s)')
        except DBusCallError:
            return None
        return owner

    def start_daemon(self, *extra_args, env=None):
        self.daemon_log_text = None
        self.daemon_stopped = False
        self.daemon, self.daemon_log = self.spawn_daemon(*extra_args, env=env)
        wait_until(lambda: self.daemon.poll() is not None or
                   self._name_has_owner(BUS_NAME), 'the daemon on the bus')
        if self.daemon.poll() is not None:
            raise AssertionError('netagentd exited with %d before owning %s'
                                 % (self.daemon.returncode, BUS_NAME))
        self.daemon_name = self.name_owner()

    def stop_daemon(self):
        """SIGTERM: the daemon must unregister everything and exit 0."""
        self.daemon_stopped = True
        self.daemon.send_signal(signal.SIGTERM)
        try:
            code = self.daemon.wait(WAIT)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            self.daemon.wait()
            self.fail('netagentd did not exit on SIGTERM')
        self.daemon_log_text = self.read_daemon_log()
        self.assertEqual(code, 0, 'netagentd exit code after SIGTERM')
        return code

    def read_daemon_log(self):
        try:
            with open(self.daemon_log, errors='replace') as f:
                return f.read()
        except OSError:
            return None

    def check_daemon_log(self):
        log = self.daemon_log_text or self.read_daemon_log() or ''
        bad = [line for line in log.splitlines() if '-CRITICAL **' in line
               or 'runtime error:' in line or 'ERROR: AddressSanitizer' in line
               or 'ERROR: LeakSanitizer' in line]
        self.assertEqual(bad, [], 'criticals or sanitizer reports in the daemon log')

    def daemon_fd_count(self):
        return len(os.listdir('/proc/%d/fd' % self.daemon.pid))

    def assertDaemonAlive(self):
        self.assertIsNone(self.daemon.poll(), 'netagentd is not running any more')

    # ------------------------------------------------------------- polkit

    def polkit_mock(self, method, args=None):
        result, _ = self.bus_conn.call(POLKIT_NAME, POLKIT_PATH, MOCK_IFACE,
                                       method, args)
        return result

    def polkit_allow(self, actions):
        self.polkit_mock('SetAllowed', GLib.Variant('(as)', (list(actions),)))

    def polkit_checks(self):
        """[(subject kind, subject details, action id)] asked so far."""
        (checks,) = self.polkit_mock('GetChecks')
        return checks

    # ------------------------------------------------------- unprivileged

    def unprivileged(self, uid=NOBODY):
        require(uid is not None, 'needs a second unprivileged user in passwd')
        c = UnprivClient(self.bus_address, self.workdir, uid,
                         pwd.getpwuid(uid).pw_gid)
        self.unpriv.append(c)
        return c

    # -------------------------------------------------------------- calls

    def call(self, path, iface, method, args=None, reply_type=None, client=None):
        client = client or self.client
        if isinstance(client, UnprivClient):
            result, _ = client.call(path, iface, method, args)
            return result
        result, _ = client.call(BUS_NAME, path, iface, method, args, reply_type)
        return result

    def sync(self, client=None):
        """Round trip to the daemon, then dispatch signals: every signal the
        daemon emitted before answering has then been recorded."""
        self.call(MANAGER_PATH, IFACE_PROPS, 'Get',
                  GLib.Variant('(ss)', (IFACE, 'Version')), client=client)
        pump()

    def register(self, ifname='na0', client=None, **options):
        """Register with options given as keyword arguments (flow_max for
        "flow-max"); return the agent's path."""
        opts = {k.replace('_', '-'): v for k, v in options.items()}
        (path,) = self.call(MANAGER_PATH, IFACE, 'Register',
                            GLib.Variant('(sa{sv})',
                                         (ifname, register_options(opts))),
                            client=client)
        return path

    def register_raw(self, ifname, options, client=None):
        """Register with an a{sv} built from a dict (keys as in the contract)."""
        (path,) = self.call(MANAGER_PATH, IFACE, 'Register',
                            GLib.Variant('(sa{sv})',
                                         (ifname, register_options(options))),
                            client=client)
        return path

    def unregister(self, agent, client=None):
        self.call(MANAGER_PATH, IFACE, 'Unregister',
                  GLib.Variant('(o)', (agent,)), client=client)

    def find_agent(self, ifname, client=None):
        (path,) = self.call(MANAGER_PATH, IFACE, 'FindAgent',
                            GLib.Variant('(s)', (ifname,)), client=client)
        return path

    def get_all(self, path, iface, client=None):
        (props,) = self.call(path, IFACE_PROPS, 'GetAll',
                             GLib.Variant('(s)', (iface,)), client=client)
        return props

    def get(self, path, iface, name, client=None):
        (value,) = self.call(path, IFACE_PROPS, 'Get',
                             GLib.Variant('(ss)', (iface, name)), client=client)
        return value

    def agent_prop(self, agent, name):
        return self.get(agent, IFACE_AGENT, name)

    def flow_prop(self, flow, name):
        return self.get(flow, IFACE_FLOW, name)

    def manager_prop(self, name):
        return self.get(MANAGER_PATH, IFACE, name)

    def stats(self, agent):
        return self.agent_prop(agent, 'Statistics')

    def flow_insert(self, agent, params, flow_uuid='', client=None):
        client = client or self.client
        if isinstance(client, UnprivClient):
            return client.flow_insert(agent, flow_uuid, params)
        (path, assignment), fds = client.call(
            BUS_NAME, agent, IFACE_AGENT, 'FlowInsert',
            GLib.Variant('(sa{sv})', (flow_uuid, flow_params(params))),
            '(oa{sv})')
        fd = fds[assignment['channel']] if 'channel' in assignment else None
        return FlowReply(path, assignment, fd, fds)

    def flow_remove(self, agent, flow_uuid, client=None):
        self.call(agent, IFACE_AGENT, 'FlowRemove',
                  GLib.Variant('(s)', (flow_uuid,)), client=client)

    def flow_abort(self, agent, flow_uuid, client=None):
        self.call(agent, IFACE_AGENT, 'FlowAbort',
                  GLib.Variant('(s)', (flow_uuid,)), client=client)

    def managed_objects(self):
        (objs,) = self.call(MANAGER_PATH, IFACE_OM, 'GetManagedObjects')
        return objs

    def object_exists(self, path, iface):
        """Whether the daemon serves @iface at @path (GetAll succeeds)."""
        try:
            self.get_all(path, iface)
            return True
        except DBusCallError as e:
            if e.name.startswith('org.freedesktop.DBus.Error.'):
                return False
            raise

    # ------------------------------------------------------------ signals

    def mark(self):
        pump()
        return len(self.client.signals)

    def daemon_signals(self, member=None, since=0, path=None):
        return [s for s in self.client.signals[since:]
                if s.sender == self.daemon_name
                and (member is None or s.member == member)
                and (path is None or s.path == path)]

    def wait_signal(self, member, match=lambda args: True, since=0, path=None):
        def find():
            for s in self.daemon_signals(member, since, path):
                if match(s.args):
                    return s
            return None
        return wait_until(find, 'signal %s' % member)

    def wait_flow_removed(self, agent, flow_uuid, since=0):
        return self.wait_signal('FlowRemoved', lambda a: a[0] == flow_uuid,
                                since, agent)

    # ---------------------------------------------------------- assertions

    def assertDBusError(self, name, fn, *args, **kwargs):
        """fn(*args) must fail with io.netagentd.NetAgent1.Error.<name>."""
        full = name if '.' in name else ERROR_PREFIX + name
        try:
            fn(*args, **kwargs)
        except DBusCallError as e:
            self.assertEqual(e.name, full, 'wrong error (message: %r)' % e.message)
            self.assertTrue(e.message.strip(), 'error %s carries no message' % e.name)
            return e
        self.fail('expected %s, but the call succeeded' % full)

    def assertUuid(self, text):
        self.assertRegex(text, UUID_RE)
        self.assertNotEqual(text, '00000000-0000-0000-0000-000000000000')

    def assertChannelEOF(self, fd):
        read_until_eof(fd)
