# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: how flows and agents end — every FlowRemoved reason
(removed, aborted, owner-vanished, channel-closed, purged), the channel's
end-of-file, TAP devices deleted, and the daemon's exit on SIGTERM."""

import os

import natest
from natest import IFACE_AGENT, IFACE_FLOW


class FlowLifetimeTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    def setUp(self):
        super().setUp()
        self.agent = self.register('na0')

    def insert(self, ethertype=0x88B5, client=None, **extra):
        params = {'ethertype': ethertype}
        params.update(extra)
        return self.flow_insert(self.agent, params, client=client)

    def assertFlowGone(self, flow):
        self.assertFalse(self.object_exists(flow.path, IFACE_FLOW))
        self.assertNotIn(flow.path, self.agent_prop(self.agent, 'Flows'))

    def expect_removed(self, flow, reason, mark, agent=None):
        u = flow.assignment['flow-uuid']
        sig = self.wait_flow_removed(agent or self.agent, u, mark)
        self.assertEqual(sig.iface, IFACE_AGENT)
        self.assertEqual(sig.args, [u, flow.path, reason])
        return sig

    # ----------------------------------------------------------- reasons

    def test_reason_removed(self):
        flow = self.insert()
        mark = self.mark()
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        self.expect_removed(flow, 'removed', mark)
        self.assertChannelEOF(flow.fd)
        self.assertFlowGone(flow)

    def test_reason_aborted(self):
        flow = self.insert()
        mark = self.mark()
        self.flow_abort(self.agent, flow.assignment['flow-uuid'])
        self.expect_removed(flow, 'aborted', mark)
        self.assertChannelEOF(flow.fd)
        self.assertFlowGone(flow)

    def test_reason_channel_closed(self):
        flow = self.insert()
        mark = self.mark()
        os.close(flow.fd)
        self.expect_removed(flow, 'channel-closed', mark)
        natest.wait_until(lambda: self.agent_prop(self.agent, 'FlowCount') == 0,
                          'FlowCount 0')
        self.assertFlowGone(flow)
        # the port and the ethertype are free again
        again = self.insert()
        self.assertEqual(again.assignment['nexus-port'], 2)

    def test_reason_owner_vanished_when_connection_closes(self):
        other = natest.Client(self.bus_address)
        try:
            flow = self.insert(client=other)
            fd = os.dup(flow.fd)
            owner = other.unique_name
            self.assertEqual(self.flow_prop(flow.path, 'OwnerBusName'), owner)
            mark = self.mark()
        finally:
            other.close()       # closes its fds and leaves the bus
        try:
            self.expect_removed(flow, 'owner-vanished', mark)
            self.assertChannelEOF(fd)
        finally:
            os.close(fd)
        self.assertFlowGone(flow)

    def test_reason_owner_vanished_when_process_exits(self):
        client = self.unprivileged()
        flow = client.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        fd = client.take_fd(flow.fd)    # keeps the channel open
        try:
            mark = self.mark()
            client.stop()
            self.expect_removed(flow, 'owner-vanished', mark)
            self.assertChannelEOF(fd)
        finally:
            os.close(fd)
        self.assertFlowGone(flow)

    def test_process_exit_ends_all_its_flows(self):
        client = self.unprivileged()
        flows = [client.flow_insert(self.agent, '', {'ethertype': 0x88B5 + i})
                 for i in range(3)]
        mark = self.mark()
        client.stop()
        for flow in flows:
            sig = self.wait_flow_removed(self.agent,
                                         flow.assignment['flow-uuid'], mark)
            self.assertIn(sig.args[2], ('owner-vanished', 'channel-closed'))
        natest.wait_until(lambda: self.agent_prop(self.agent, 'FlowCount') == 0,
                          'FlowCount 0')

    def test_reason_purged_on_unregister(self):
        flows = [self.insert(0x88B5 + i) for i in range(3)]
        uuid = self.agent_prop(self.agent, 'Uuid')
        mark = self.mark()
        self.unregister(self.agent)
        for flow in flows:
            self.expect_removed(flow, 'purged', mark)
            self.assertChannelEOF(flow.fd)
            self.assertFalse(self.object_exists(flow.path, IFACE_FLOW))
        unreg = self.wait_signal('AgentUnregistered', since=mark)
        self.assertEqual(unreg.args, [uuid, self.agent])
        removed = self.daemon_signals('FlowRemoved', since=mark)
        self.assertLess(max(self.client.signals.index(s) for s in removed),
                        self.client.signals.index(unreg),
                        'FlowRemoved (purged) comes before AgentUnregistered')

    def test_reason_purged_on_link_delete(self):
        flow = self.insert()
        tap = self.insert(0x88B6, **{'channel-type': 'tap'})
        tap_name = tap.assignment['tap-name']
        mark = self.mark()
        natest.sh('ip', 'link', 'del', 'na0')
        self.expect_removed(flow, 'purged', mark)
        self.expect_removed(tap, 'purged', mark)
        self.assertChannelEOF(flow.fd)
        self.wait_signal('AgentUnregistered', since=mark,
                         match=lambda a: a[1] == self.agent)
        self.wait_signal('InterfacesUpdated', since=mark,
                         match=lambda a: a[0] == 'na0' and a[1] == [])
        natest.wait_until(lambda: natest.link_info(tap_name) is None,
                          'TAP device %s deleted' % tap_name)

    def test_unregister_leaves_other_agents_flows(self):
        other = self.register('na2')
        keep = self.flow_insert(other, {'ethertype': 0x88B5})
        self.insert()
        mark = self.mark()
        self.unregister(self.agent)
        self.wait_signal('AgentUnregistered', since=mark)
        self.assertEqual(self.daemon_signals('FlowRemoved', since=mark,
                                             path=other), [])
        self.assertEqual(self.agent_prop(other, 'FlowCount'), 1)
        self.assertTrue(self.object_exists(keep.path, IFACE_FLOW))

    def test_tap_deleted_on_unregister(self):
        tap = self.insert(**{'channel-type': 'tap'})
        name = tap.assignment['tap-name']
        self.unregister(self.agent)
        natest.wait_until(lambda: natest.link_info(name) is None,
                          'TAP device %s deleted' % name)

    def test_tap_deleted_on_owner_vanished(self):
        other = natest.Client(self.bus_address)
        try:
            tap = self.insert(client=other, **{'channel-type': 'tap'})
            fd = os.dup(tap.fd)     # the channel stays open: only the owner goes
            mark = self.mark()
        finally:
            other.close()
        try:
            self.expect_removed(tap, 'owner-vanished', mark)
            name = tap.assignment['tap-name']
            natest.wait_until(lambda: natest.link_info(name) is None,
                              'TAP device %s deleted' % name)
        finally:
            os.close(fd)

    def test_reason_channel_closed_tap(self):
        tap = self.insert(**{'channel-type': 'tap'})
        name = tap.assignment['tap-name']
        mark = self.mark()
        os.close(tap.fd)
        self.expect_removed(tap, 'channel-closed', mark)
        natest.wait_until(lambda: natest.link_info(name) is None,
                          'TAP device %s deleted' % name)

    def test_only_the_ended_flow_goes(self):
        a = self.insert(0x88B5)
        b = self.insert(0x88B6)
        mark = self.mark()
        self.flow_remove(self.agent, a.assignment['flow-uuid'])
        self.expect_removed(a, 'removed', mark)
        self.sync()
        self.assertEqual(len(self.daemon_signals('FlowRemoved', since=mark)), 1)
        self.assertTrue(self.object_exists(b.path, IFACE_FLOW))
        self.assertTrue(natest.channel_alive(b.fd))

    def test_owner_vanishing_ends_only_its_own_flows(self):
        leaving = self.unprivileged()
        staying = self.unprivileged()
        gone = leaving.flow_insert(self.agent, '', {'ethertype': 0x88B5})
        kept = staying.flow_insert(self.agent, '', {'ethertype': 0x88B6})
        mine = self.insert(0x88B7)
        mark = self.mark()
        leaving.stop()
        self.wait_flow_removed(self.agent, gone.assignment['flow-uuid'], mark)
        self.sync()
        ended = [s.args[0] for s in self.daemon_signals('FlowRemoved', since=mark)]
        self.assertEqual(ended, [gone.assignment['flow-uuid']])
        self.assertTrue(self.object_exists(kept.path, IFACE_FLOW))
        self.assertTrue(self.object_exists(mine.path, IFACE_FLOW))
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 2)

    def test_no_fd_left_behind_by_ended_flows(self):
        # warm up once, so that what the daemon opens only once is open
        first = self.insert()
        self.flow_remove(self.agent, first.assignment['flow-uuid'])
        self.sync()
        before = self.daemon_fd_count()
        flows = [self.insert(0x9000 + i, **({'channel-type': 'tap'}
                                            if i % 2 else {}))
                 for i in range(8)]
        for i, flow in enumerate(flows):
            u = flow.assignment['flow-uuid']
            if i % 4 == 0:
                self.flow_remove(self.agent, u)
            elif i % 4 == 1:
                self.flow_abort(self.agent, u)
            else:
                mark = self.mark()
                os.close(flow.fd)
                self.wait_flow_removed(self.agent, u, mark)
        natest.wait_until(lambda: self.agent_prop(self.agent, 'FlowCount') == 0,
                          'FlowCount 0')
        try:
            natest.wait_until(lambda: self.daemon_fd_count() == before,
                              'the daemon back to %d open fds' % before)
        except AssertionError:
            self.assertEqual(self.daemon_fd_count(), before,
                             'open fds of the daemon')
        self.assertEqual(natest.tun_links(), [])

    # ------------------------------------------------------------ SIGTERM

    def test_sigterm_with_flows_exits_0_and_cleans_up(self):
        flow = self.insert(0x88B5)
        tap = self.insert(0x88B6, **{'channel-type': 'tap'})
        other = self.register('na2', features=['ipv6-ula'])
        ula = self.flow_insert(other, {'local-address': 'fd00::1',
                                       'remote-address': 'fd00::2',
                                       'channel-type': 'tap'})
        taps = [tap.assignment['tap-name'], ula.assignment['tap-name']]
        for name in taps:
            self.assertIsNotNone(natest.link_info(name))
        self.assertEqual(self.stop_daemon(), 0)
        self.assertChannelEOF(flow.fd)
        for name in taps:
            self.assertIsNone(natest.link_info(name),
                              'TAP device %s left behind' % name)
        self.assertEqual(natest.tun_links(), [])

    def test_sigterm_emits_agent_unregistered(self):
        # documented in the introspection XML: AgentUnregistered is sent
        # "because the daemon is stopping" too
        other = self.register('na2', features=['ipv6-ula'])
        agents = {self.agent: self.agent_prop(self.agent, 'Uuid'),
                  other: self.agent_prop(other, 'Uuid')}
        mark = self.mark()
        self.assertEqual(self.stop_daemon(), 0)
        for path, uuid in agents.items():
            sig = self.wait_signal('AgentUnregistered', since=mark,
                                   match=lambda a, p=path: a[1] == p)
            self.assertEqual(sig.args, [uuid, path])

    def test_sigterm_purges_flows(self):
        # stopping unregisters every agent, and Unregister purges flows
        flow = self.insert()
        mark = self.mark()
        self.assertEqual(self.stop_daemon(), 0)
        self.expect_removed(flow, 'purged', mark)

    def test_sigterm_releases_the_bus_name_and_a_new_daemon_starts(self):
        self.assertEqual(self.stop_daemon(), 0)
        self.start_daemon()
        self.assertEqual(self.manager_prop('Agents'), [])
        self.register('na0')


if __name__ == '__main__':
    natest.main()
