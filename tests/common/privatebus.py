# SPDX-License-Identifier: GPL-2.0-or-later
"""A private D-Bus system bus, for the tests and the demo.

A dbus-daemon of type "system" listening on a socket in a directory of the
caller's; DBUS_SYSTEM_BUS_ADDRESS pointed at it makes netagentd, polkit's
mock and the clients use it as their system bus.  The policy is either
permissive (the tests of the daemon itself: the daemon and polkit decide)
or the real system bus's default deny plus the files under test.
"""

import os
import subprocess
import time
import unittest

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

# Anyone may connect, own any name and call anything.
PERMISSIVE_POLICY = """
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
  </policy>
"""

# dbus's system.conf: holes for owning names and calling methods must be
# punched by the services' own policy files.  Plus what polkit's package
# installs, so that its mock may run.
SYSTEM_POLICY = """
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
  </policy>
  <policy user="root">
    <allow own="org.freedesktop.PolicyKit1"/>
  </policy>
  <policy context="default">
    <allow send_destination="org.freedesktop.PolicyKit1"/>
  </policy>
"""

CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
{policy}{includes}</busconfig>
"""


def in_ci():
    """A CI run (CI=true) accepts no skipped test."""
    return os.environ.get('CI') == 'true'


def require(condition, reason):
    """Skip the test (or class) when @condition is false — fail under CI."""
    if condition:
        return
    if in_ci():
        raise AssertionError('CI=true, so this may not be skipped: ' + reason)
    raise unittest.SkipTest(reason)


def start_bus(workdir, policy=PERMISSIVE_POLICY, includes=(), stderr=subprocess.DEVNULL):
    """Start a system-type dbus-daemon; returns (process, address).

    Its socket is usable by every user, so that clients run as nobody
    (setpriv) can connect; @workdir must be searchable by them."""
    sock = os.path.join(workdir, 'system_bus_socket')
    conf = os.path.join(workdir, 'bus.conf')
    with open(conf, 'w') as f:
        f.write(CONFIG.format(socket=sock, policy=policy,
                              includes=''.join('  <include>%s</include>\n' % p
                                               for p in includes)))
    bus = subprocess.Popen(['dbus-daemon', '--config-file=' + conf, '--nofork',
                            '--print-address'],
                           stdout=subprocess.PIPE, stderr=stderr, text=True)
    if not bus.stdout.readline():
        raise AssertionError('dbus-daemon did not start')
    os.chmod(sock, 0o666)
    return bus, 'unix:path=' + sock


def connect(address):
    return Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
        Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)


def name_has_owner(conn, name):
    return conn.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                          'org.freedesktop.DBus', 'NameHasOwner',
                          GLib.Variant('(s)', (name,)), None,
                          Gio.DBusCallFlags.NONE, -1, None).unpack()[0]


def wait_for_name(conn, name, proc, timeout):
    """Wait (at most @timeout seconds: a guard, not a measurement) until
    @name has an owner; fail if @proc, which should own it, exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if name_has_owner(conn, name):
            return
        if proc.poll() is not None:
            raise AssertionError('%s: its process exited with %d' % (name, proc.returncode))
        time.sleep(0.02)
    raise AssertionError('%s did not appear on the bus' % name)
