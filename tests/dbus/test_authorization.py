# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: authorization.  Callers are unprivileged client
processes (setpriv to nobody, or another uid); the polkitd mock decides
each action (io.netagentd.NetAgent1.register, .flow-insert, .flow-filter,
.flow-delegate)."""

import os
import pwd
import socket
import subprocess

from gi.repository import GLib

import natest
from natest import (ACTION_FLOW_DELEGATE, ACTION_FLOW_FILTER,
                    ACTION_FLOW_INSERT, ACTION_REGISTER, IFACE, IFACE_AGENT,
                    IFACE_FLOW, MANAGER_PATH, NOBODY, OTHER_USER)


def nonexistent_pid():
    with open('/proc/sys/kernel/pid_max') as f:
        pid = int(f.read()) - 1
    while os.path.exists('/proc/%d' % pid):
        pid -= 1
    return pid


class AuthorizationTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    def setUp(self):
        super().setUp()
        self.agent = self.register('na0')           # as root, all allowed
        self.filter_agent = self.register('na1',
                                          features=['custom-ether', 'filter'])

    # --------------------------------------------------------- flow-insert

    def test_unprivileged_flow_insert_allowed_by_flow_insert(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        flow = c.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        self.assertIn('channel', flow.assignment)
        self.assertEqual(c.so_type(flow.fd),
                         (socket.AF_UNIX, socket.SOCK_SEQPACKET))
        p = self.get_all(flow.path, IFACE_FLOW)
        self.assertEqual(p['OwnerUid'], NOBODY)
        self.assertEqual(p['OwnerPid'], c.pid)
        self.assertEqual(p['OwnerBusName'], c.unique_name)

    def test_unprivileged_ipv6_ula_flow_allowed_by_flow_insert(self):
        ula = self.register('na2', features=['ipv6-ula'])
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        flow = c.flow_insert(ula, '', {'local-address': 'fd00::1',
                                       'remote-address': 'fd00::2'})
        self.assertEqual(self.flow_prop(flow.path, 'OwnerUid'), NOBODY)

    def test_unprivileged_flow_insert_denied_without_flow_insert(self):
        self.polkit_allow([])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5})
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_flow_insert_denied_leaves_no_tap(self):
        self.polkit_allow([])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5, 'channel-type': 'tap'})
        self.assertEqual(natest.tun_links(), [])

    def test_unprivileged_tap_belongs_to_the_owner_uid(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        flow = c.flow_insert(self.agent, '', {'ethertype': 0x88B5,
                                              'channel-type': 'tap'})
        info = natest.link_info(flow.assignment['tap-name'])
        self.assertIsNotNone(info)
        owner = info['linkinfo']['info_data'].get('user')
        self.assertIn(str(owner), (str(NOBODY), pwd.getpwuid(NOBODY).pw_name))

    # ---------------------------------------------------------- register

    def test_unprivileged_register_denied(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_FILTER,
                           ACTION_FLOW_DELEGATE])
        c = self.unprivileged()
        self.unregister(self.filter_agent)
        self.assertDBusError('AccessDenied', self.register, 'na1', client=c)
        self.assertEqual(self.manager_prop('Agents'), [self.agent])

    def test_unprivileged_unregister_denied(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_FILTER,
                           ACTION_FLOW_DELEGATE])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', self.unregister, self.agent,
                             client=c)
        self.assertIn(self.agent, self.manager_prop('Agents'))

    def test_unprivileged_register_allowed_by_register(self):
        self.polkit_allow([ACTION_REGISTER])
        c = self.unprivileged()
        self.unregister(self.filter_agent)
        agent = self.register('na1', client=c)
        self.unregister(agent, client=c)

    # ----------------------------------------------------------- reading

    def test_reading_needs_no_authorization(self):
        self.polkit_allow([])
        c = self.unprivileged()
        self.assertEqual(self.find_agent('na0', client=c), self.agent)
        props = self.get_all(self.agent, IFACE_AGENT, client=c)
        self.assertEqual(props['Interface'], 'na0')
        self.assertIn(self.agent, self.get(MANAGER_PATH, IFACE, 'Agents',
                                           client=c))

    # --------------------------------------------------------- delegation

    def test_unprivileged_delegation_denied_without_flow_delegate(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5, 'pid': os.getpid()})
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_delegation_sets_owner_pid(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_DELEGATE])
        c = self.unprivileged()
        sleeper = subprocess.Popen(['sleep', 'infinity'])
        try:
            flow = c.flow_insert(self.agent, '', {'ethertype': 0x88B5,
                                                  'pid': sleeper.pid})
            self.assertEqual(self.flow_prop(flow.path, 'OwnerPid'), sleeper.pid)
            self.assertEqual(self.flow_prop(flow.path, 'OwnerBusName'),
                             c.unique_name)
        finally:
            sleeper.kill()
            sleeper.wait()

    def test_delegation_to_missing_pid_invalid_argument(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_DELEGATE])
        self.assertDBusError('InvalidArgument', self.flow_insert, self.agent,
                             {'ethertype': 0x88B5, 'pid': nonexistent_pid()})
        c = self.unprivileged()
        self.assertDBusError('InvalidArgument', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5, 'pid': nonexistent_pid()})

    # -------------------------------------------------- ending others' flows

    def test_owner_may_remove_its_flow(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        flow = c.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_remove(self.agent, u, client=c)
        sig = self.wait_flow_removed(self.agent, u, mark)
        self.assertEqual(sig.args[2], 'removed')

    def test_owner_may_abort_its_flow(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        flow = c.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_abort(self.agent, u, client=c)
        self.assertEqual(self.wait_flow_removed(self.agent, u, mark).args[2],
                         'aborted')

    def test_other_user_cannot_end_a_flow(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        owner = self.unprivileged(NOBODY)
        intruder = self.unprivileged(OTHER_USER)
        flow = owner.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        u = flow.assignment['flow-uuid']
        self.assertDBusError('AccessDenied', self.flow_remove, self.agent, u,
                             client=intruder)
        self.assertDBusError('AccessDenied', self.flow_abort, self.agent, u,
                             client=intruder)
        self.assertTrue(self.object_exists(flow.path, IFACE_FLOW))
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)

    def test_unprivileged_cannot_end_roots_flow(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        flow = self.flow_insert(self.agent, {'ethertype': 0x88B5})
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', self.flow_remove, self.agent,
                             flow.assignment['flow-uuid'], client=c)
        self.assertTrue(natest.channel_alive(flow.fd))
        self.assertTrue(self.object_exists(flow.path, IFACE_FLOW))

    def test_flow_delegate_may_end_others_flows(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_DELEGATE])
        owner = self.unprivileged(NOBODY)
        admin = self.unprivileged(OTHER_USER)
        flow = owner.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_remove(self.agent, u, client=admin)
        self.assertEqual(self.wait_flow_removed(self.agent, u, mark).args[2],
                         'removed')

    # ------------------------------------------------------------ filters

    def test_unprivileged_filter_denied_without_flow_filter(self):
        self.polkit_allow([ACTION_FLOW_INSERT])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.filter_agent,
                             '', {'type': 'filter'})
        self.assertEqual(self.agent_prop(self.filter_agent, 'FlowCount'), 0)

    def test_unprivileged_filter_allowed_by_flow_filter(self):
        self.polkit_allow([ACTION_FLOW_FILTER])
        c = self.unprivileged()
        flow = c.flow_insert(self.filter_agent, '', {'type': 'filter'})
        self.assertEqual(self.flow_prop(flow.path, 'Type'), 'filter')

    def test_flow_filter_alone_does_not_allow_custom_ether(self):
        self.polkit_allow([ACTION_FLOW_FILTER])
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5})

    # ------------------------------------------------------ polkit errors

    def test_polkit_subject_is_the_callers_bus_name(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_REGISTER])
        c = self.unprivileged()
        c.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        self.assertDBusError('AlreadyExists', self.register, 'na0', client=c)
        checks = self.polkit_checks()
        self.assertIn(ACTION_FLOW_INSERT, [a for _, _, a in checks])
        for kind, details, action in checks:
            with self.subTest(action=action):
                self.assertEqual(kind, 'system-bus-name',
                                 'the subject is the bus name, never a pid')
                self.assertEqual(details.get('name'), c.unique_name)

    def test_polkit_actions_asked(self):
        self.polkit_allow([ACTION_FLOW_INSERT, ACTION_FLOW_FILTER,
                           ACTION_FLOW_DELEGATE])
        c = self.unprivileged()
        c.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        self.assertEqual([a for _, _, a in self.polkit_checks()],
                         [ACTION_FLOW_INSERT])
        self.polkit_mock('ClearChecks')
        c.flow_insert(self.filter_agent, '', {'type': 'filter'})
        self.assertEqual([a for _, _, a in self.polkit_checks()],
                         [ACTION_FLOW_FILTER])
        self.polkit_mock('ClearChecks')
        c.flow_insert(self.agent, '', {'ethertype': 0x88B6, 'pid': c.pid})
        self.assertEqual(sorted(a for _, _, a in self.polkit_checks()),
                         sorted([ACTION_FLOW_INSERT, ACTION_FLOW_DELEGATE]))

    def test_polkit_error_denies(self):
        self.polkit_allow(natest.ALL_ACTIONS)
        self.polkit_mock('SetFailing', GLib.Variant('(b)', (True,)))
        c = self.unprivileged()
        self.assertDBusError('AccessDenied', c.flow_insert, self.agent, '',
                             {'ethertype': 0x88B5})
        self.assertDBusError('AccessDenied', c.flow_insert, self.filter_agent,
                             '', {'type': 'filter'})
        self.assertDBusError('AccessDenied', self.unregister, self.agent,
                             client=c)
        self.assertTrue(self.polkit_checks(), 'polkit was asked')
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_polkit_gone_denies(self):
        # "any error while checking denies": take polkit off the bus (an
        # action that uid 0 alone may do without polkit, so both readings
        # of "without polkit" agree)
        self.unregister(self.filter_agent)
        self.polkit_allow([ACTION_REGISTER, ACTION_FLOW_INSERT])
        c = self.unprivileged()
        self.polkit.terminate()
        self.polkit.wait()
        try:
            self.assertDBusError('AccessDenied', self.register, 'na1', client=c)
        finally:
            type(self)._start_polkit()


if __name__ == '__main__':
    natest.main()
