# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: FlowInsert / FlowRemove / FlowAbort of custom-ether and
filter flows — flow uuids, type inference, ethertype rules, ports, limits,
the assignment dictionary, the channel (socketpair and tap), the Flow
object's properties and the FlowInserted / FlowRemoved signals."""

import os
import socket
import uuid as uuidlib

from gi.repository import GLib

import natest
from natest import FLOW_PATH_PREFIX, IFACE_AGENT, IFACE_FLOW

CUSTOM_ETHER_KEYS = {'flow-uuid', 'nexus-instance', 'nexus-port',
                     'nexus-port-flow-index', 'nexus-key',
                     'local-ether-address', 'channel', 'channel-type'}
FILTER_KEYS = {'flow-uuid', 'nexus-instance', 'nexus-port',
               'nexus-port-flow-index', 'nexus-key', 'channel', 'channel-type'}


class CustomEtherFlowTest(natest.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.agent = self.register('na0')

    def insert(self, params=None, flow_uuid='', **kw):
        if params is None:
            params = {'ethertype': 0x88B5}
        return self.flow_insert(self.agent, params, flow_uuid, **kw)

    # ------------------------------------------------------------- uuids

    def test_first_flow_path_is_1(self):
        self.assertEqual(self.insert().path, FLOW_PATH_PREFIX + '1')

    def test_empty_uuid_generates_a_canonical_uuid(self):
        flow = self.insert()
        u = flow.assignment['flow-uuid']
        self.assertUuid(u)
        self.assertEqual(self.flow_prop(flow.path, 'Uuid'), u)

    def test_given_uuid_is_kept(self):
        u = str(uuidlib.uuid4())
        flow = self.insert(flow_uuid=u)
        self.assertEqual(flow.assignment['flow-uuid'], u)
        self.assertEqual(self.flow_prop(flow.path, 'Uuid'), u)

    def test_uppercase_uuid_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.insert,
                             flow_uuid=str(uuidlib.uuid4()).upper())

    def test_nil_uuid_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.insert,
                             flow_uuid='00000000-0000-0000-0000-000000000000')

    def test_garbage_uuids_invalid_argument(self):
        u = str(uuidlib.uuid4())
        for bad in ('garbage', u.replace('-', ''), '{%s}' % u, u + ' ',
                    ' ' + u, 'urn:uuid:' + u, u[:-1], u + '0',
                    u.replace('-', ':'), 'g' + u[1:]):
            with self.subTest(flow_uuid=bad):
                self.assertDBusError('InvalidArgument', self.insert,
                                     flow_uuid=bad)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_uuid_in_use_already_exists(self):
        u = str(uuidlib.uuid4())
        self.insert(flow_uuid=u)
        self.assertDBusError('AlreadyExists', self.insert,
                             {'ethertype': 0x88B6}, flow_uuid=u)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)

    def test_uuid_free_again_after_remove(self):
        u = str(uuidlib.uuid4())
        self.insert(flow_uuid=u)
        self.flow_remove(self.agent, u)
        self.assertEqual(self.insert(flow_uuid=u).assignment['flow-uuid'], u)

    # ---------------------------------------------------------- inference

    def test_ethertype_infers_custom_ether(self):
        flow = self.insert({'ethertype': 0x88B5})
        self.assertEqual(self.flow_prop(flow.path, 'Type'), 'custom-ether')

    def test_explicit_type_custom_ether(self):
        flow = self.insert({'type': 'custom-ether', 'ethertype': 0x88B5})
        self.assertEqual(self.flow_prop(flow.path, 'Type'), 'custom-ether')

    def test_no_type_key_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.insert, {})
        self.assertDBusError('InvalidArgument', self.insert,
                             {'channel-type': 'socketpair'})

    def test_keys_of_two_types_invalid_argument(self):
        for params in ({'ethertype': 0x88B5, 'local-address': 'fd00::1'},
                       {'ethertype': 0x88B5, 'remote-address': 'fd00::2'},
                       {'ethertype': 0x88B5, 'listener': True},
                       {'type': 'custom-ether', 'ethertype': 0x88B5,
                        'local-address': 'fd00::1',
                        'remote-address': 'fd00::2'},
                       {'type': 'ipv6-ula', 'ethertype': 0x88B5,
                        'local-address': 'fd00::1',
                        'remote-address': 'fd00::2'},
                       {'type': 'filter', 'ethertype': 0x88B5}):
            with self.subTest(params=params):
                self.assertDBusError('InvalidArgument', self.insert, params)

    def test_unknown_type_invalid_argument(self):
        for t in ('bogus', 'CUSTOM-ETHER', ''):
            with self.subTest(type=t):
                self.assertDBusError('InvalidArgument', self.insert,
                                     {'type': t, 'ethertype': 0x88B5})

    def test_unknown_key_invalid_argument_naming_it(self):
        e = self.assertDBusError('InvalidArgument', self.insert,
                                 {'ethertype': 0x88B5,
                                  'frobnicate': GLib.Variant('s', 'x')})
        self.assertIn('frobnicate', e.message)

    def test_wrong_key_type_invalid_argument_naming_it(self):
        e = self.assertDBusError('InvalidArgument', self.insert,
                                 {'ethertype': GLib.Variant('u', 0x88B5)})
        self.assertIn('ethertype', e.message)

    def test_type_not_offered_not_supported(self):
        for params in ({'local-address': 'fd00::1', 'remote-address': 'fd00::2'},
                       {'listener': True},
                       {'type': 'filter'}):
            with self.subTest(params=params):
                self.assertDBusError('NotSupported', self.insert, params)

    # ----------------------------------------------------------- ethertypes

    def test_forbidden_ethertypes_bad_ethertype_counted(self):
        for et in natest.FORBIDDEN_ETHERTYPES:
            with self.subTest(ethertype=hex(et)):
                self.assertDBusError('BadEthertype', self.insert,
                                     {'ethertype': et})
        self.assertEqual(self.stats(self.agent)['agent-bad-ethertype'],
                         len(natest.FORBIDDEN_ETHERTYPES))

    def test_ethertype_1500_and_below_bad_ethertype(self):
        for et in (0, 1, 0x05DB, 0x05DC):
            with self.subTest(ethertype=et):
                self.assertDBusError('BadEthertype', self.insert,
                                     {'ethertype': et})
        self.assertEqual(self.stats(self.agent)['agent-bad-ethertype'], 4)

    def test_ethertype_1501_accepted(self):
        flow = self.insert({'ethertype': 1501})
        self.assertEqual(self.flow_prop(flow.path, 'Ethertype'), 1501)
        self.assertEqual(self.stats(self.agent)['agent-bad-ethertype'], 0)

    def test_ethertype_0xffff_accepted(self):
        flow = self.insert({'ethertype': 0xFFFF})
        self.assertEqual(self.flow_prop(flow.path, 'Ethertype'), 0xFFFF)

    def test_second_flow_for_held_ethertype_already_exists(self):
        self.insert({'ethertype': 0x88B5})
        self.assertDBusError('AlreadyExists', self.insert, {'ethertype': 0x88B5})
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)

    def test_ethertype_free_again_after_remove(self):
        flow = self.insert({'ethertype': 0x88B5})
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        self.insert({'ethertype': 0x88B5})

    # ---------------------------------------------------------------- ports

    def test_ports_lowest_free_from_2(self):
        f = [self.insert({'ethertype': 0x88B5 + i}) for i in range(3)]
        self.assertEqual([x.assignment['nexus-port'] for x in f], [2, 3, 4])
        self.flow_remove(self.agent, f[1].assignment['flow-uuid'])
        again = self.insert({'ethertype': 0x9000})
        self.assertEqual(again.assignment['nexus-port'], 3)
        self.assertEqual(self.insert({'ethertype': 0x9001})
                         .assignment['nexus-port'], 5)

    def test_flow_max_reached_limit_reached(self):
        agent = self.register('na1', flow_max=2)
        self.flow_insert(agent, {'ethertype': 0x88B5})
        self.flow_insert(agent, {'ethertype': 0x88B6})
        self.assertDBusError('LimitReached', self.flow_insert, agent,
                             {'ethertype': 0x88B7})
        self.assertEqual(self.agent_prop(agent, 'FlowCount'), 2)

    def test_flow_max_frees_with_remove(self):
        agent = self.register('na1', flow_max=1)
        f = self.flow_insert(agent, {'ethertype': 0x88B5})
        self.assertDBusError('LimitReached', self.flow_insert, agent,
                             {'ethertype': 0x88B6})
        self.flow_remove(agent, f.assignment['flow-uuid'])
        g = self.flow_insert(agent, {'ethertype': 0x88B6})
        self.assertEqual(g.assignment['nexus-port'], 2)

    def test_default_flow_max_126_ports_2_to_127(self):
        flows = [self.insert({'ethertype': 0x9000 + i}) for i in range(126)]
        self.assertEqual(sorted(f.assignment['nexus-port'] for f in flows),
                         list(range(2, 128)))
        self.assertDBusError('LimitReached', self.insert, {'ethertype': 0xA000})
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 126)
        for f in flows:
            natest.close_quietly(f.fd)

    # ----------------------------------------------------------- assignment

    def test_assignment_keys_exactly(self):
        flow = self.insert()
        self.assertEqual(set(flow.assignment), CUSTOM_ETHER_KEYS)

    def test_assignment_values(self):
        flow = self.insert()
        a = flow.assignment
        self.assertEqual(a['nexus-instance'], self.agent_prop(self.agent, 'Uuid'))
        self.assertEqual(a['nexus-port'], 2)
        self.assertEqual(a['nexus-port-flow-index'], 0)
        self.assertUuid(a['nexus-key'])
        self.assertEqual(a['local-ether-address'],
                         self.agent_prop(self.agent, 'HardwareAddress'))
        self.assertEqual(a['channel-type'], 'socketpair')
        self.assertEqual(len(flow.fds), 1)

    def test_nexus_key_differs_between_flows(self):
        a = self.insert({'ethertype': 0x88B5}).assignment['nexus-key']
        b = self.insert({'ethertype': 0x88B6}).assignment['nexus-key']
        self.assertNotEqual(a, b)

    def test_channel_is_an_af_unix_seqpacket_socket(self):
        flow = self.insert()
        self.assertEqual(natest.so_type(flow.fd),
                         (socket.AF_UNIX, socket.SOCK_SEQPACKET))

    def test_explicit_socketpair_channel(self):
        flow = self.insert({'ethertype': 0x88B5, 'channel-type': 'socketpair'})
        self.assertEqual(flow.assignment['channel-type'], 'socketpair')
        self.assertEqual(natest.so_type(flow.fd),
                         (socket.AF_UNIX, socket.SOCK_SEQPACKET))

    def test_unknown_channel_type_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.insert,
                             {'ethertype': 0x88B5, 'channel-type': 'pipe'})

    # ----------------------------------------------------- flow properties

    def test_flow_properties(self):
        u = str(uuidlib.uuid4())
        flow = self.insert({'ethertype': 0x88B5}, flow_uuid=u)
        p = self.get_all(flow.path, IFACE_FLOW)
        self.assertEqual(p['Uuid'], u)
        self.assertEqual(p['Agent'], self.agent)
        self.assertEqual(p['Type'], 'custom-ether')
        self.assertEqual(p['Ethertype'], 0x88B5)
        self.assertEqual(p['LocalAddress'], '')
        self.assertEqual(p['RemoteAddress'], '')
        self.assertEqual(p['Port'], flow.assignment['nexus-port'])
        self.assertEqual(p['OwnerBusName'], self.client.unique_name)
        self.assertEqual(p['OwnerUid'], 0)
        self.assertEqual(p['OwnerPid'], os.getpid())
        self.assertEqual(p['ChannelType'], 'socketpair')
        self.assertEqual(p['TapName'], '')
        self.assertLessEqual(natest.FLOW_STAT_KEYS, set(p['Statistics']))

    def test_flow_count_and_flows(self):
        a = self.insert({'ethertype': 0x88B5})
        b = self.insert({'ethertype': 0x88B6})
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 2)
        self.assertEqual(sorted(self.agent_prop(self.agent, 'Flows')),
                         sorted([a.path, b.path]))
        self.flow_remove(self.agent, a.assignment['flow-uuid'])
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)
        self.assertEqual(self.agent_prop(self.agent, 'Flows'), [b.path])

    def test_flow_count_and_flows_emit_properties_changed(self):
        mark = self.mark()
        flow = self.insert()
        self.wait_signal('PropertiesChanged', since=mark, path=self.agent,
                         match=lambda a: a[0] == IFACE_AGENT and
                         (a[1].get('FlowCount') == 1 or 'FlowCount' in a[2]))
        self.wait_signal('PropertiesChanged', since=mark, path=self.agent,
                         match=lambda a: a[0] == IFACE_AGENT and
                         (a[1].get('Flows') == [flow.path] or 'Flows' in a[2]))
        mark = self.mark()
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        self.wait_signal('PropertiesChanged', since=mark, path=self.agent,
                         match=lambda a: a[0] == IFACE_AGENT and
                         (a[1].get('FlowCount') == 0 or 'FlowCount' in a[2]))
        self.wait_signal('PropertiesChanged', since=mark, path=self.agent,
                         match=lambda a: a[0] == IFACE_AGENT and
                         (a[1].get('Flows') == [] or 'Flows' in a[2]))

    # -------------------------------------------------------------- signals

    def test_flow_inserted_signal(self):
        mark = self.mark()
        flow = self.insert()
        sig = self.wait_signal('FlowInserted', since=mark, path=self.agent)
        self.assertEqual(sig.iface, IFACE_AGENT)
        self.assertEqual(sig.args, [flow.assignment['flow-uuid'], flow.path,
                                    flow.assignment['nexus-port']])

    def test_failed_insert_emits_no_flow_inserted(self):
        mark = self.mark()
        self.assertDBusError('BadEthertype', self.insert, {'ethertype': 0x0800})
        self.sync()
        self.assertEqual(self.daemon_signals('FlowInserted', since=mark), [])

    def test_nexus_key_never_in_signals_or_properties(self):
        flow = self.insert()
        key = flow.assignment['nexus-key']
        texts = [repr(self.get_all(flow.path, IFACE_FLOW)),
                 repr(self.get_all(self.agent, IFACE_AGENT)),
                 repr(self.managed_objects())]
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        self.sync()
        texts += [s.text for s in self.daemon_signals()]
        for text in texts:
            self.assertNotIn(key, text)

    # ------------------------------------------------------ remove / abort

    def test_flow_remove(self):
        flow = self.insert()
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_remove(self.agent, u)
        sig = self.wait_flow_removed(self.agent, u, mark)
        self.assertEqual(sig.iface, IFACE_AGENT)
        self.assertEqual(sig.args, [u, flow.path, 'removed'])
        self.assertChannelEOF(flow.fd)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)
        self.assertFalse(self.object_exists(flow.path, IFACE_FLOW))

    def test_flow_abort(self):
        flow = self.insert()
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_abort(self.agent, u)
        sig = self.wait_flow_removed(self.agent, u, mark)
        self.assertEqual(sig.args, [u, flow.path, 'aborted'])
        self.assertChannelEOF(flow.fd)
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_flow_remove_unknown_uuid_not_found(self):
        self.assertDBusError('NotFound', self.flow_remove, self.agent,
                             str(uuidlib.uuid4()))

    def test_flow_abort_unknown_uuid_not_found(self):
        self.assertDBusError('NotFound', self.flow_abort, self.agent,
                             str(uuidlib.uuid4()))

    def test_flow_remove_twice_not_found(self):
        flow = self.insert()
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        self.assertDBusError('NotFound', self.flow_remove, self.agent,
                             flow.assignment['flow-uuid'])
        self.assertDBusError('NotFound', self.flow_abort, self.agent,
                             flow.assignment['flow-uuid'])

    def test_flow_remove_on_other_agent_not_found(self):
        other = self.register('na1')
        flow = self.insert()
        self.assertDBusError('NotFound', self.flow_remove, other,
                             flow.assignment['flow-uuid'])
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 1)

    def test_flow_paths_are_never_reused(self):
        a = self.insert()
        self.flow_remove(self.agent, a.assignment['flow-uuid'])
        b = self.insert()
        c = self.insert({'ethertype': 0x88B6})
        self.assertEqual([a.path, b.path, c.path],
                         [FLOW_PATH_PREFIX + n for n in ('1', '2', '3')])

    def test_same_uuid_on_two_agents_accepted(self):
        other = self.register('na1')
        u = str(uuidlib.uuid4())
        a = self.insert(flow_uuid=u)
        b = self.flow_insert(other, {'ethertype': 0x88B5}, u)
        self.assertNotEqual(a.path, b.path)
        self.flow_remove(self.agent, u)
        self.assertEqual(self.flow_prop(b.path, 'Uuid'), u)
        self.assertEqual(self.agent_prop(other, 'FlowCount'), 1)

    # ------------------------------------------------------------------ tap

    def test_tap_channel(self):
        flow = self.insert({'ethertype': 0x88B5, 'channel-type': 'tap'})
        a = flow.assignment
        self.assertEqual(set(a), CUSTOM_ETHER_KEYS | {'tap-name'})
        self.assertEqual(a['channel-type'], 'tap')
        name = a['tap-name']
        info = natest.link_info(name)
        self.assertIsNotNone(info, 'TAP device %s exists' % name)
        self.assertEqual(info['linkinfo']['info_kind'], 'tun')
        self.assertEqual(info['linkinfo']['info_data']['type'], 'tap')
        ifname, flags = natest.tun_getiff(flow.fd)
        self.assertEqual(ifname, name)
        self.assertEqual(flags & (natest.IFF_TAP | natest.IFF_NO_PI),
                         natest.IFF_TAP | natest.IFF_NO_PI)
        p = self.get_all(flow.path, IFACE_FLOW)
        self.assertEqual(p['ChannelType'], 'tap')
        self.assertEqual(p['TapName'], name)

    def test_tap_device_deleted_on_remove(self):
        flow = self.insert({'ethertype': 0x88B5, 'channel-type': 'tap'})
        name = flow.assignment['tap-name']
        self.flow_remove(self.agent, flow.assignment['flow-uuid'])
        natest.wait_until(lambda: natest.link_info(name) is None,
                          'TAP device %s deleted' % name)

    def test_tap_device_deleted_on_abort(self):
        flow = self.insert({'ethertype': 0x88B5, 'channel-type': 'tap'})
        name = flow.assignment['tap-name']
        self.flow_abort(self.agent, flow.assignment['flow-uuid'])
        natest.wait_until(lambda: natest.link_info(name) is None,
                          'TAP device %s deleted' % name)

    def test_tap_wanted_name(self):
        flow = self.insert({'ethertype': 0x88B5, 'channel-type': 'tap',
                            'tap-name': 'natap5'})
        self.assertEqual(flow.assignment['tap-name'], 'natap5')
        self.assertIsNotNone(natest.link_info('natap5'))
        self.assertEqual(natest.tun_getiff(flow.fd)[0], 'natap5')

    def test_tap_invalid_names_invalid_argument(self):
        for name in ('bad/name', 'a b', 'x' * 16, '.', '..', 'x' * 100000):
            with self.subTest(tap_name=name[:20]):
                self.assertDBusError('InvalidArgument', self.insert,
                                     {'ethertype': 0x88B5,
                                      'channel-type': 'tap', 'tap-name': name})
        self.assertEqual(natest.tun_links(), [])

    def test_tap_name_taken_by_existing_link_fails(self):
        flow_params = {'ethertype': 0x88B5, 'channel-type': 'tap',
                       'tap-name': 'na1'}
        try:
            self.insert(flow_params)
        except natest.DBusCallError as e:
            self.assertTrue(e.name.startswith(natest.ERROR_PREFIX), e.name)
        else:
            self.fail('a TAP named like an existing veth was accepted')
        self.assertEqual(natest.link_info('na1')['linkinfo']['info_kind'], 'veth')
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 0)

    def test_two_tap_flows_get_distinct_devices(self):
        a = self.insert({'ethertype': 0x88B5, 'channel-type': 'tap'})
        b = self.insert({'ethertype': 0x88B6, 'channel-type': 'tap'})
        self.assertNotEqual(a.assignment['tap-name'], b.assignment['tap-name'])
        for f in (a, b):
            self.assertIsNotNone(natest.link_info(f.assignment['tap-name']))


class FilterFlowTest(natest.DaemonTestCase):

    def setUp(self):
        super().setUp()
        self.agent = self.register('na0', features=['custom-ether', 'filter'])

    def test_filter_flow_assignment_keys_exactly(self):
        flow = self.flow_insert(self.agent, {'type': 'filter'})
        self.assertEqual(set(flow.assignment), FILTER_KEYS)
        self.assertEqual(flow.assignment['nexus-instance'],
                         self.agent_prop(self.agent, 'Uuid'))
        self.assertEqual(flow.assignment['nexus-port'], 2)
        self.assertEqual(flow.assignment['nexus-port-flow-index'], 0)
        self.assertEqual(natest.so_type(flow.fd),
                         (socket.AF_UNIX, socket.SOCK_SEQPACKET))

    def test_filter_flow_properties(self):
        flow = self.flow_insert(self.agent, {'type': 'filter'})
        p = self.get_all(flow.path, IFACE_FLOW)
        self.assertEqual(p['Type'], 'filter')
        self.assertEqual(p['Ethertype'], 0)
        self.assertEqual(p['LocalAddress'], '')
        self.assertEqual(p['RemoteAddress'], '')
        self.assertEqual(p['Agent'], self.agent)

    def test_filter_and_custom_ether_flows_together(self):
        f = self.flow_insert(self.agent, {'type': 'filter'})
        c = self.flow_insert(self.agent, {'ethertype': 0x88B5})
        self.assertEqual([f.assignment['nexus-port'], c.assignment['nexus-port']],
                         [2, 3])
        self.assertEqual(self.agent_prop(self.agent, 'FlowCount'), 2)

    def test_several_filter_flows(self):
        a = self.flow_insert(self.agent, {'type': 'filter'})
        b = self.flow_insert(self.agent, {'type': 'filter'})
        self.assertNotEqual(a.path, b.path)

    def test_filter_with_addresses_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.flow_insert, self.agent,
                             {'type': 'filter', 'local-address': 'fd00::1',
                              'remote-address': 'fd00::2'})

    def test_filter_flow_remove(self):
        flow = self.flow_insert(self.agent, {'type': 'filter'})
        u = flow.assignment['flow-uuid']
        mark = self.mark()
        self.flow_remove(self.agent, u)
        sig = self.wait_flow_removed(self.agent, u, mark)
        self.assertEqual(sig.args, [u, flow.path, 'removed'])
        self.assertChannelEOF(flow.fd)

    def test_ipv6_ula_on_filter_agent_not_supported(self):
        self.assertDBusError('NotSupported', self.flow_insert, self.agent,
                             {'local-address': 'fd00::1',
                              'remote-address': 'fd00::2'})


if __name__ == '__main__':
    natest.main()
