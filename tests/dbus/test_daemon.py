# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests of the daemon process itself: the bus name, --replace,
--session-bus and a clean exit on SIGTERM."""

import subprocess

import natest
from natest import BUS_NAME, IFACE, MANAGER_PATH


class DaemonProcessTest(natest.DaemonTestCase):

    def test_owns_the_bus_name_with_the_manager_object(self):
        self.assertEqual(self.name_owner(), self.daemon_name)
        self.assertTrue(self.object_exists(MANAGER_PATH, IFACE))

    def test_sigterm_without_agents_exits_0(self):
        self.assertEqual(self.stop_daemon(), 0)
        natest.wait_until(lambda: self.name_owner() is None,
                          'the bus name released')

    def test_sigterm_unregisters_agents(self):
        self.register('na0')
        self.register('na1', features=['ipv6-ula'])
        self.assertEqual(self.stop_daemon(), 0)
        self.start_daemon()
        self.assertEqual(self.manager_prop('Agents'), [])
        # the interfaces are free for the new daemon
        self.register('na0')
        self.register('na1')

    def test_second_instance_does_not_take_the_name(self):
        second, _ = self.spawn_daemon(log_suffix='-second')
        try:
            code = second.wait(natest.WAIT)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait()
            self.fail('a second netagentd without --replace kept running')
        self.assertNotEqual(code, 0, 'a second instance reports its failure')
        self.assertEqual(self.name_owner(), self.daemon_name)
        self.assertIsNone(self.daemon.poll())

    def test_replace_takes_over_the_name(self):
        agent = self.register('na0')
        tap = self.flow_insert(agent, {'ethertype': 0x88B5,
                                       'channel-type': 'tap'})
        tap_name = tap.assignment['tap-name']
        old, old_name = self.daemon, self.daemon_name
        new, new_log = self.spawn_daemon('--replace', log_suffix='-replace')
        try:
            natest.wait_until(lambda: self.name_owner() not in (None, old_name),
                              'the new daemon owning %s' % BUS_NAME)
            try:
                code = old.wait(natest.WAIT)
            except subprocess.TimeoutExpired:
                self.fail('the replaced daemon did not exit')
            # how it exits is not in the contract; it must not crash
            self.assertGreaterEqual(code, 0, 'the replaced daemon crashed')
        finally:
            self.daemon, self.daemon_log = new, new_log
            self.daemon_name = self.name_owner()
            if old.poll() is None:
                old.kill()
                old.wait()
        # it stopped like on SIGTERM: TAP devices deleted, interfaces free
        self.assertIsNone(natest.link_info(tap_name),
                          'TAP device left behind by the replaced daemon')
        self.assertEqual(self.manager_prop('Agents'), [])
        self.register('na0')

    def test_session_bus_option(self):
        self.assertEqual(self.stop_daemon(), 0)
        # our bus plays the session bus; the system bus is out of reach
        self.start_daemon('--session-bus', env={
            'DBUS_SESSION_BUS_ADDRESS': self.bus_address,
            'DBUS_SYSTEM_BUS_ADDRESS': 'unix:path=/nonexistent/netagentd-test',
        })
        self.assertEqual(self.name_owner(), self.daemon_name)
        self.assertTrue(self.manager_prop('Version'))


if __name__ == '__main__':
    natest.main()
