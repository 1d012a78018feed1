# SPDX-License-Identifier: GPL-2.0-or-later
"""netagentd as a distribution ships it.

`meson install --destdir` into a temporary root must put every file where
distributions look for it; then the *installed* daemon runs on a private
bus configured like the system bus — default deny, plus the installed
policy file — so that policy is really exercised: an ordinary user may
call FlowInsert and read properties, may not own the name, and may not
call anything else on the daemon.

    test_install.py BUILD_DIR PREFIX

Needs root (a network namespace, a veth pair, setpriv); exits 77 (skip)
otherwise, or fails when CI=true.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'common'))
import privatebus  # noqa: E402

BUS_NAME = 'io.netagentd.NetAgent1'
MANAGER = '/io/netagentd/NetAgent1'
NOBODY = 65534
WAIT = 20  # seconds: a guard against hangs, not a measurement


# Run as nobody: each line of stdout is one result.
CLIENT = r"""
import os, socket, sys
import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib
conn = Gio.DBusConnection.new_for_address_sync(os.environ['DBUS_SYSTEM_BUS_ADDRESS'],
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
def call(path, iface, method, args):
    try:
        reply, fds = conn.call_with_unix_fd_list_sync('io.netagentd.NetAgent1', path, iface, method,
            args, None, Gio.DBusCallFlags.NONE, 10000, None, None)
        return 'ok', reply, fds
    except GLib.Error as e:
        return Gio.DBusError.get_remote_error(e), None, None
agent = sys.argv[1]
r, reply, _ = call(agent, 'org.freedesktop.DBus.Properties', 'Get',
                   GLib.Variant('(ss)', ('io.netagentd.NetAgent1.Agent', 'Interface')))
print('get-property', r, reply.unpack()[0] if reply else '')
r, reply, fds = call(agent, 'io.netagentd.NetAgent1.Agent', 'FlowInsert',
                     GLib.Variant('(sa{sv})', ('', {'ethertype': GLib.Variant('q', 0x88b5)})))
kind = ''
if reply:
    s = socket.socket(fileno=fds.get(reply.unpack()[1]['channel']))
    kind = s.type.name
print('flow-insert', r, kind)
r, _, _ = call(agent, 'org.example.NotOurs', 'Anything', None)
print('other-interface', r)
try:
    conn.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                   'RequestName', GLib.Variant('(su)', ('io.netagentd.NetAgent1', 4)), None,
                   Gio.DBusCallFlags.NONE, -1, None)
    print('own-name', 'ok')
except GLib.Error as e:
    print('own-name', Gio.DBusError.get_remote_error(e))
sys.stdout.flush()
"""


def refuse(reason):
    if privatebus.in_ci():
        print('FAIL: cannot run under CI=true: ' + reason)
        sys.exit(1)
    print('SKIP: ' + reason)
    sys.exit(77)


class Installed(unittest.TestCase):
    build = None
    prefix = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='netagentd-install-')
        os.chmod(cls.tmp, 0o755)
        cls.root = os.path.join(cls.tmp, 'root')
        subprocess.run(['meson', 'install', '-C', cls.build, '--no-rebuild', '--quiet',
                        '--destdir', cls.root], check=True, stdout=subprocess.DEVNULL)
        cls.usr = cls.root + cls.prefix

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.usr, *parts)

    def test_files_where_distributions_expect_them(self):
        expected = [
            'sbin/netagentd',
            'bin/netagentctl',
            'include/netagent/netagent.h',
            'include/netagent/netagent-names.h',
            'share/dbus-1/system.d/io.netagentd.NetAgent1.conf',
            'share/dbus-1/system-services/io.netagentd.NetAgent1.service',
            'share/dbus-1/interfaces/io.netagentd.NetAgent1.xml',
            'share/dbus-1/interfaces/io.netagentd.NetAgent1.Agent.xml',
            'share/dbus-1/interfaces/io.netagentd.NetAgent1.Flow.xml',
            'share/polkit-1/actions/io.netagentd.NetAgent1.policy',
            'lib/systemd/system/netagentd.service',
            'etc/netagentd/netagentd.conf',
            'share/man/man8/netagentd.8',
            'share/man/man5/netagentd.conf.5',
            'share/man/man1/netagentctl.1',
            'share/doc/netagentd/dbus-api.md',
            'share/doc/netagentd/dbus-reference.md',
        ]
        missing = [p for p in expected if not os.path.exists(self.path(p))]
        self.assertEqual(missing, [])
        self.assertTrue(os.access(self.path('sbin/netagentd'), os.X_OK))
        unit = open(self.path('lib/systemd/system/netagentd.service')).read()
        self.assertIn('ExecStart=%s/sbin/netagentd' % self.prefix, unit)
        self.assertIn('BusName=io.netagentd.NetAgent1', unit)
        activation = open(self.path('share/dbus-1/system-services/io.netagentd.NetAgent1.service')).read()
        self.assertIn('Exec=/bin/false', activation)
        self.assertIn('SystemdService=', activation)

    def test_translations_installed(self):
        locale = self.path('share/locale')
        catalogs = [d for d in (os.listdir(locale) if os.path.isdir(locale) else [])
                    if os.path.exists(os.path.join(locale, d, 'LC_MESSAGES', 'netagentd.mo'))]
        self.assertNotEqual(catalogs, [])

    def test_policy_on_a_default_deny_bus(self):
        procs = []
        try:
            policy = self.path('share/dbus-1/system.d/io.netagentd.NetAgent1.conf')
            bus, address = privatebus.start_bus(self.tmp, privatebus.SYSTEM_POLICY, [policy])
            procs.append(bus)
            env = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS=address)
            polkit = subprocess.Popen([sys.executable, '-m', 'dbusmock', '--system',
                                       '--template', 'polkitd'], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(polkit)
            log = open(os.path.join(self.tmp, 'daemon.log'), 'w')
            daemon = subprocess.Popen([self.path('sbin/netagentd'), '--config', '/dev/null'],
                                      env=env, stdout=log, stderr=subprocess.STDOUT)
            procs.append(daemon)

            conn = privatebus.connect(address)
            privatebus.wait_for_name(conn, BUS_NAME, daemon, WAIT)
            privatebus.wait_for_name(conn, 'org.freedesktop.PolicyKit1', polkit, WAIT)
            conn.call_sync('org.freedesktop.PolicyKit1', '/org/freedesktop/PolicyKit1/Authority',
                           'org.freedesktop.DBus.Mock', 'SetAllowed',
                           GLib.Variant('(as)', (['io.netagentd.NetAgent1.flow-insert'],)),
                           None, Gio.DBusCallFlags.NONE, -1, None)

            subprocess.run(['ip', 'link', 'add', 'nai0', 'type', 'veth', 'peer', 'name', 'nai1'],
                           check=True)
            subprocess.run(['ip', 'link', 'set', 'nai0', 'up'], check=True)
            agent = conn.call_sync(BUS_NAME, MANAGER, 'io.netagentd.NetAgent1', 'Register',
                                   GLib.Variant('(sa{sv})', ('nai0', {})), None,
                                   Gio.DBusCallFlags.NONE, -1, None).unpack()[0]

            out = subprocess.run(['setpriv', '--reuid=%d' % NOBODY, '--regid=%d' % NOBODY,
                                  '--clear-groups', sys.executable, '-c', CLIENT, agent],
                                 env=env, capture_output=True, text=True, timeout=60)
            results = dict(line.split(' ', 1) for line in out.stdout.splitlines())
            self.assertEqual(results.get('get-property'), 'ok nai0', out.stderr)
            self.assertEqual(results.get('flow-insert'), 'ok SOCK_SEQPACKET', out.stderr)
            self.assertEqual(results.get('other-interface'),
                             'org.freedesktop.DBus.Error.AccessDenied', out.stderr)
            self.assertEqual(results.get('own-name'),
                             'org.freedesktop.DBus.Error.AccessDenied', out.stderr)

            daemon.terminate()
            self.assertEqual(daemon.wait(timeout=WAIT), 0)
        except BaseException:
            sys.stderr.write(open(os.path.join(self.tmp, 'daemon.log')).read()
                             if os.path.exists(os.path.join(self.tmp, 'daemon.log')) else '')
            raise
        finally:
            for p in reversed(procs):
                if p.poll() is None:
                    p.terminate()
                    p.wait()



if __name__ == '__main__':
    if os.geteuid() != 0:
        refuse('needs root (network namespace, veth, setpriv)')
    Installed.build, Installed.prefix = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
