# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: ipv6-ula flows — address rules and the BadAddress
counter, RFC 5952 endpoints, duplicates (reused, agent-dup-flow) and
listeners (generated ULA with a daemon-wide interface id)."""

import ipaddress
import os
import socket
import subprocess
import uuid as uuidlib

import natest
from natest import IFACE_FLOW

ULA_KEYS = {'flow-uuid', 'nexus-instance', 'nexus-port',
            'nexus-port-flow-index', 'nexus-key', 'local-endpoint',
            'remote-endpoint', 'local-ether-address', 'channel',
            'channel-type'}
DUP_KEYS = (ULA_KEYS - {'channel', 'channel-type'}) | {'reused'}
LISTENER_KEYS = {'flow-uuid', 'nexus-port-flow-index', 'local-endpoint',
                 'local-ether-address'}

LOCAL = 'fd00:1::1'
REMOTE = 'fd00:1::2'


def interface_id(address):
    return int.from_bytes(ipaddress.IPv6Address(address).packed[8:], 'big')


class Ipv6UlaFlowTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    def setUp(self):
        super().setUp()
        self.agent = self.register('na0', features=['ipv6-ula'])

    def insert(self, params=None, flow_uuid='', agent=None, **kw):
        if params is None:
            params = {'local-address': LOCAL, 'remote-address': REMOTE}
        return self.flow_insert(agent or self.agent, params, flow_uuid, **kw)

    def bad_addr_count(self, agent=None):
        return self.stats(agent or self.agent)['agent-bad-ipv6-addr']

    # ------------------------------------------------------------ insert

    def test_addresses_infer_ipv6_ula(self):
        flow = self.insert()
        self.assertEqual(self.flow_prop(flow.path, 'Type'), 'ipv6-ula')

    def test_explicit_type_ipv6_ula(self):
        flow = self.insert({'type': 'ipv6-ula', 'local-address': LOCAL,
                            'remote-address': REMOTE})
        self.assertEqual(self.flow_prop(flow.path, 'Type'), 'ipv6-ula')

    def test_assignment_keys_exactly(self):
        flow = self.insert()
        self.assertEqual(set(flow.assignment), ULA_KEYS)

    def test_assignment_values(self):
        flow = self.insert()
        a = flow.assignment
        self.assertEqual(a['local-endpoint'], LOCAL)
        self.assertEqual(a['remote-endpoint'], REMOTE)
        self.assertEqual(a['nexus-instance'], self.agent_prop(self.agent, 'Uuid'))
        self.assertEqual(a['nexus-port'], 2)
        self.assertEqual(a['nexus-port-flow-index'], 0)
        self.assertUuid(a['nexus-key'])
        self.assertEqual(a['local-ether-address'],
                         self.agent_prop(self.agent, 'HardwareAddress'))
        self.assertEqual(a['channel-type'], 'socketpair')
        self.assertEqual(natest.so_type(flow.fd),
                         (socket.AF_UNIX, socket.SOCK_SEQPACKET))

    def test_listener_false_is_a_normal_flow(self):
        flow = self.insert({'local-address': LOCAL, 'remote-address': REMOTE,
                            'listener': False})
        self.assertEqual(set(flow.assignment), ULA_KEYS)

    def test_endpoints_in_rfc5952_form(self):
        flow = self.insert({'local-address': 'FD00:0001:0000:0000:0000:0000:0000:00A1',
                            'remote-address': 'fd00:1:0:0:0:0:0:a2'})
        self.assertEqual(flow.assignment['local-endpoint'], 'fd00:1::a1')
        self.assertEqual(flow.assignment['remote-endpoint'], 'fd00:1::a2')
        self.assertEqual(self.flow_prop(flow.path, 'LocalAddress'), 'fd00:1::a1')
        self.assertEqual(self.flow_prop(flow.path, 'RemoteAddress'), 'fd00:1::a2')

    def test_flow_properties(self):
        flow = self.insert()
        p = self.get_all(flow.path, IFACE_FLOW)
        self.assertEqual(p['Type'], 'ipv6-ula')
        self.assertEqual(p['Ethertype'], 0)
        self.assertEqual(p['LocalAddress'], LOCAL)
        self.assertEqual(p['RemoteAddress'], REMOTE)
        self.assertEqual(p['Port'], flow.assignment['nexus-port'])
        self.assertEqual(p['Agent'], self.agent)
        self.assertEqual(p['OwnerPid'], os.getpid())
        self.assertEqual(p['ChannelType'], 'socketpair')
        self.assertEqual(p['TapName'], '')

    def test_ula_ness_not_enforced(self):
        # seed: any IPv6 address but the unspecified one is accepted
        flow = self.insert({'local-address': '2001:db8::1',
                            'remote-address': 'fe80::2'})
        self.assertEqual(flow.assignment['local-endpoint'], '2001:db8::1')
        self.assertEqual(self.bad_addr_count(), 0)

    def test_custom_ether_on_ipv6_ula_agent_not_supported(self):
        self.assertDBusError('NotSupported', self.insert, {'ethertype': 0x88B5})
        self.assertDBusError('NotSupported', self.insert, {'type': 'filter'})

    def test_tap_channel(self):
        flow = self.insert({'local-address': LOCAL, 'remote-address': REMOTE,
                            'channel-type': 'tap'})
        self.assertEqual(set(flow.assignment), ULA_KEYS | {'tap-name'})
        self.assertEqual(flow.assignment['channel-type'], 'tap')
        self.assertIsNotNone(natest.link_info(flow.assignment['tap-name']))

    def test_flow_inserted_signal(self):
        mark = self.mark()
        flow = self.insert()
        sig = self.wait_signal('FlowInserted', since=mark, path=self.agent)
        self.assertEqual(sig.args, [flow.assignment['flow-uuid'], flow.path,
                                    flow.assignment['nexus-port']])

    # ------------------------------------------------------ address errors

    def test_missing_address_invalid_argument_not_counted(self):
        for params in ({'local-address': LOCAL},
                       {'remote-address': REMOTE},
                       {'type': 'ipv6-ula'}):
            with self.subTest(params=params):
                self.assertDBusError('InvalidArgument', self.insert, params)
        self.assertEqual(self.bad_addr_count(), 0)

    def test_bad_addresses_bad_address_counted(self):
        cases = [('::', REMOTE), (LOCAL, '::'), ('0:0:0:0:0:0:0:0', REMOTE),
                 ('10.0.0.1', REMOTE), (LOCAL, '192.168.1.2'),
                 ('garbage', REMOTE), (LOCAL, 'fd00::g'),
                 ('fd00::1/64', REMOTE), ('x' * 100000, REMOTE),
                 ('fd00::1::2', REMOTE)]
        for local, remote in cases:
            with self.subTest(local=local[:20], remote=remote):
                self.assertDBusError('BadAddress', self.insert,
                                     {'local-address': local,
                                      'remote-address': remote})
        self.assertEqual(self.bad_addr_count(), len(cases))
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_wrong_address_type_invalid_argument(self):
        from gi.repository import GLib
        self.assertDBusError('InvalidArgument', self.insert,
                             {'local-address': GLib.Variant('ay', b'\xfd' * 16),
                              'remote-address': REMOTE})
        self.assertEqual(self.bad_addr_count(), 0)

    # ----------------------------------------------------------- duplicates

    def test_duplicate_returns_the_existing_flow(self):
        first = self.insert()
        dup_uuid = str(uuidlib.uuid4())
        dup = self.insert(flow_uuid=dup_uuid)
        self.assertEqual(dup.path, first.path)
        self.assertEqual(dup.assignment['nexus-port'],
                         first.assignment['nexus-port'])
        self.assertEqual(dup.assignment['nexus-key'],
                         first.assignment['nexus-key'])
        self.assertIs(dup.assignment['reused'], True)
        self.assertEqual(dup.assignment['flow-uuid'], dup_uuid)
        self.assertNotIn('channel', dup.assignment)
        self.assertEqual(dup.fds, [])

    def test_duplicate_assignment_keys_exactly(self):
        self.insert()
        dup = self.insert()
        self.assertEqual(set(dup.assignment), DUP_KEYS)

    def test_duplicate_counted_and_not_recorded(self):
        first = self.insert()
        dup_uuid = str(uuidlib.uuid4())
        self.insert(flow_uuid=dup_uuid)
        self.assertEqual(self.stats(self.agent)['agent-dup-flow'], 1)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)
        self.assertEqual(self.agent_prop(self.agent, 'Flows'), [first.path])
        self.assertEqual(self.flow_prop(first.path, 'Uuid'),
                         first.assignment['flow-uuid'])
        self.assertDBusError('NotFound', self.flow_remove, self.agent, dup_uuid)
        # the original is untouched
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)
        self.flow_remove(self.agent, first.assignment['flow-uuid'])

    def test_duplicate_emits_no_flow_inserted(self):
        self.insert()
        mark = self.mark()
        self.insert()
        self.sync()
        self.assertEqual(self.daemon_signals('FlowInserted', since=mark), [])

    def test_duplicate_counter_counts_each(self):
        self.insert()
        for _ in range(3):
            self.insert()
        self.assertEqual(self.stats(self.agent)['agent-dup-flow'], 3)

    def test_other_addresses_are_no_duplicate(self):
        a = self.insert()
        b = self.insert({'local-address': LOCAL, 'remote-address': 'fd00:1::3'})
        self.assertNotEqual(a.path, b.path)
        self.assertNotIn('reused', b.assignment)
        self.assertEqual(self.stats(self.agent)['agent-dup-flow'], 0)

    def test_duplicate_in_other_form_of_same_addresses(self):
        first = self.insert()
        dup = self.insert({'local-address': 'FD00:1:0::1',
                           'remote-address': 'fd00:0001::0002'})
        self.assertEqual(dup.path, first.path)
        self.assertIs(dup.assignment['reused'], True)

    def test_another_process_never_gets_an_existing_flow(self):
        # duplicates are per owner pid: another process asking for the
        # same pair must not be handed this flow or its key
        first = self.insert()
        other = self.unprivileged()
        try:
            reply = other.flow_insert(self.agent, '',
                                      {'local-address': LOCAL,
                                       'remote-address': REMOTE})
        except natest.DBusCallError as e:
            self.assertTrue(e.name.startswith(natest.ERROR_PREFIX), e.name)
        else:
            self.assertNotEqual(reply.path, first.path)
            self.assertNotIn('reused', reply.assignment)
            self.assertNotEqual(reply.assignment['nexus-key'],
                                first.assignment['nexus-key'])
        self.assertEqual(self.stats(self.agent)['agent-dup-flow'], 0)

    def test_duplicate_with_empty_uuid_gets_a_fresh_unrecorded_uuid(self):
        first = self.insert()
        dup = self.insert()
        u = dup.assignment['flow-uuid']
        self.assertUuid(u)
        self.assertNotEqual(u, first.assignment['flow-uuid'])
        self.assertDBusError('NotFound', self.flow_remove, self.agent, u)

    def test_duplicate_detected_per_delegated_pid(self):
        sleeper = subprocess.Popen(['sleep', 'infinity'])
        try:
            params = {'local-address': LOCAL, 'remote-address': REMOTE,
                      'pid': sleeper.pid}
            first = self.insert(params)
            self.assertEqual(self.flow_prop(first.path, 'OwnerPid'), sleeper.pid)
            dup = self.insert(params)
            self.assertEqual(dup.path, first.path)
            self.assertIs(dup.assignment['reused'], True)
            self.assertEqual(self.stats(self.agent)['agent-dup-flow'], 1)
        finally:
            sleeper.kill()
            sleeper.wait()

    # ------------------------------------------------------------ listeners

    def listen(self, agent=None, **extra):
        params = {'listener': True}
        params.update(extra)
        return self.insert(params, agent=agent)

    def test_listener_reply(self):
        mark = self.mark()
        reply = self.listen()
        self.assertEqual(reply.path, '/')
        self.assertEqual(set(reply.assignment), LISTENER_KEYS)
        self.assertEqual(reply.fds, [])
        self.assertEqual(reply.assignment['nexus-port-flow-index'], 0)
        self.assertEqual(reply.assignment['local-ether-address'],
                         self.agent_prop(self.agent, 'HardwareAddress'))
        self.assertUuid(reply.assignment['flow-uuid'])
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)
        self.sync()
        self.assertEqual(self.daemon_signals('FlowInserted', since=mark), [])

    def test_listener_generated_ula(self):
        local = self.listen().assignment['local-endpoint']
        packed = ipaddress.IPv6Address(local).packed
        self.assertTrue(local.startswith('fd'), local)
        self.assertEqual(packed[0], 0xFD)
        self.assertEqual(packed[6:8], b'\0\0', 'subnet id 0')
        self.assertEqual(local, natest.canonical_ipv6(local), 'RFC 5952 form')

    def test_listener_interface_ids_1_2_3(self):
        ids = [interface_id(self.listen().assignment['local-endpoint'])
               for _ in range(3)]
        self.assertEqual(ids, [1, 2, 3])

    def test_listener_interface_id_is_daemon_wide(self):
        other = self.register('na2', features=['ipv6-ula'])
        ids = [interface_id(self.listen().assignment['local-endpoint']),
               interface_id(self.listen(agent=other).assignment['local-endpoint']),
               interface_id(self.listen().assignment['local-endpoint'])]
        self.assertEqual(ids, [1, 2, 3])

    def test_listener_overwrites_given_local_address(self):
        reply = self.listen(**{'local-address': 'fd00:1::99'})
        local = reply.assignment['local-endpoint']
        self.assertNotEqual(ipaddress.IPv6Address(local),
                            ipaddress.IPv6Address('fd00:1::99'))
        self.assertEqual(interface_id(local), 1)

    def test_listener_remove_is_a_noop_success(self):
        u = str(uuidlib.uuid4())
        reply = self.insert({'listener': True}, flow_uuid=u)
        self.assertEqual(reply.assignment['flow-uuid'], u)
        mark = self.mark()
        self.flow_remove(self.agent, u)
        self.sync()
        self.assertEqual(self.daemon_signals('FlowRemoved', since=mark), [])

    def test_listener_then_connected_flow(self):
        local = self.listen().assignment['local-endpoint']
        flow = self.insert({'local-address': local, 'remote-address': REMOTE})
        self.assertEqual(flow.assignment['local-endpoint'], local)
        self.assertIn('channel', flow.assignment)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)


if __name__ == '__main__':
    natest.main()
