# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: the properties of io.netagentd.NetAgent1.Agent and how
they follow the link (MTU, MAC, down/up, rename, delete), with a new
Generation, AgentUpdated and PropertiesChanged for each published change."""

import natest
from natest import IFACE, IFACE_AGENT, MANAGER_PATH, MAC_RE


def link_mac(name):
    return natest.link_info(name)['address']


class AgentPropertiesTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    def test_flags_custom_ether_0x2443(self):
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0x2443)

    def test_flags_custom_ether_filter_0xA443(self):
        agent = self.register('na0', features=['custom-ether', 'filter'])
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0xA443)

    def test_flags_ipv6_ula_0x04C3(self):
        agent = self.register('na0', features=['ipv6-ula'])
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0x04C3)

    def test_flags_filter_only_0x8443(self):
        # seed: filters -> INTERPOSE_NEXUS | NETWORK_PROVIDER, always
        # REGISTERED | ACTIVE | NEXUS_LISTENER
        agent = self.register('na0', features=['filter'])
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0x8443)

    def test_nexus_flags_custom_ether_0x3(self):
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'NexusFlags'), 0x3)

    def test_nexus_flags_ipv6_ula_0x7(self):
        agent = self.register('na0', features=['ipv6-ula'])
        self.assertEqual(self.agent_prop(agent, 'NexusFlags'), 0x7)

    def test_frame_type_link_1(self):
        for ifname, features in (('na0', ['custom-ether']),
                                 ('na2', ['ipv6-ula'])):
            agent = self.register(ifname, features=features)
            self.assertEqual(self.agent_prop(agent, 'FrameType'), 1)

    def test_features_as_registered(self):
        agent = self.register('na0', features=['filter', 'custom-ether'])
        self.assertEqual(sorted(self.agent_prop(agent, 'Features')),
                         ['custom-ether', 'filter'])
        agent2 = self.register('na2', features=['ipv6-ula'])
        self.assertEqual(self.agent_prop(agent2, 'Features'), ['ipv6-ula'])

    def test_interface_and_index(self):
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'Interface'), 'na0')
        self.assertEqual(self.agent_prop(agent, 'InterfaceIndex'),
                         natest.link_info('na0')['ifindex'])

    def test_hardware_address_is_the_link_mac(self):
        agent = self.register('na0')
        mac = self.agent_prop(agent, 'HardwareAddress')
        self.assertRegex(mac, MAC_RE)
        self.assertEqual(mac, link_mac('na0'))

    def test_mtu_is_the_link_mtu(self):
        natest.sh('ip', 'link', 'set', 'na0', 'mtu', '1234')
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'Mtu'), 1234)

    def test_statistics_keys_start_at_zero(self):
        agent = self.register('na0')
        stats = self.stats(agent)
        self.assertLessEqual(natest.AGENT_STAT_KEYS, set(stats))
        # Added to the contract's keys: what the kernel dropped for us.
        self.assertEqual(stats['rx-ring-dropped'], 0)
        for key in ('agent-bad-ethertype', 'agent-bad-ipv6-addr',
                    'agent-dup-flow'):
            self.assertEqual(stats[key], 0, key)

    def test_getall_has_every_property(self):
        agent = self.register('na0')
        props = self.get_all(agent, IFACE_AGENT)
        self.assertLessEqual({'Uuid', 'Domain', 'Type', 'Description',
                              'Flags', 'NexusFlags', 'FrameType',
                              'Generation', 'Features', 'Interface',
                              'InterfaceIndex', 'HardwareAddress', 'Mtu',
                              'FlowCount', 'FlowMax', 'Flows', 'Statistics'},
                             set(props))

    # ---------------------------------------------------------- Generation

    def test_generation_of_first_agent_is_1(self):
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'Generation'), 1)

    def test_generation_new_value_on_each_registration(self):
        g0 = self.agent_prop(self.register('na0'), 'Generation')
        g2 = self.agent_prop(self.register('na2'), 'Generation')
        self.assertGreaterEqual(g0, 1)
        self.assertGreater(g2, g0)

    def test_generation_daemon_wide_after_reregistration(self):
        agent = self.register('na0')
        g1 = self.agent_prop(agent, 'Generation')
        self.unregister(agent)
        g2 = self.agent_prop(self.register('na0'), 'Generation')
        self.assertGreater(g2, g1)

    # -------------------------------------------------------- link changes

    def _expect_update(self, agent, mark, gen_before, prop, value):
        """After a link change: the property takes @value, Generation a new
        (greater) value, AgentUpdated carries it and PropertiesChanged
        announces the property."""
        uuid = self.agent_prop(agent, 'Uuid')
        natest.wait_until(lambda: self.agent_prop(agent, prop) == value,
                          '%s = %r' % (prop, value))
        gen = self.agent_prop(agent, 'Generation')
        self.assertGreater(gen, gen_before, 'Generation after %s change' % prop)
        sig = self.wait_signal('AgentUpdated', since=mark, path=MANAGER_PATH,
                               match=lambda a: a[1] == agent and a[2] == gen)
        self.assertEqual(sig.iface, IFACE)
        self.assertEqual(sig.args, [uuid, agent, gen])
        self.wait_signal('PropertiesChanged', since=mark, path=agent,
                         match=lambda a: a[0] == IFACE_AGENT and
                         (a[1].get(prop) == value or prop in a[2]))

    def test_mtu_change_is_published(self):
        agent = self.register('na0')
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'mtu', '1400')
        self._expect_update(agent, mark, gen, 'Mtu', 1400)

    def test_mac_change_is_published(self):
        agent = self.register('na0')
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'address', '02:00:00:00:4e:41')
        self._expect_update(agent, mark, gen, 'HardwareAddress',
                            '02:00:00:00:4e:41')

    def test_mac_change_is_used_in_the_assignment(self):
        agent = self.register('na0')
        natest.sh('ip', 'link', 'set', 'na0', 'address', '02:00:00:00:4e:42')
        natest.wait_until(lambda: self.agent_prop(agent, 'HardwareAddress') ==
                          '02:00:00:00:4e:42', 'the new MAC')
        flow = self.flow_insert(agent, {'ethertype': 0x88B5})
        self.assertEqual(flow.assignment['local-ether-address'],
                         '02:00:00:00:4e:42')

    def test_link_down_clears_active_custom_ether(self):
        agent = self.register('na0')
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        self._expect_update(agent, mark, gen, 'Flags', 0x2441)
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'up')
        self._expect_update(agent, mark, gen, 'Flags', 0x2443)

    def test_link_down_clears_active_ipv6_ula_0x04C1(self):
        agent = self.register('na0', features=['ipv6-ula'])
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        self._expect_update(agent, mark, gen, 'Flags', 0x04C1)
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        natest.sh('ip', 'link', 'set', 'na0', 'up')
        self._expect_update(agent, mark, gen, 'Flags', 0x04C3)

    def test_register_on_down_link_is_not_active(self):
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        agent = self.register('na0')
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0x2441)

    def test_rename_is_followed(self):
        agent = self.register('na0')
        gen = self.agent_prop(agent, 'Generation')
        mark = self.mark()
        self.extra_links.append('na7')
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        natest.sh('ip', 'link', 'set', 'na0', 'name', 'na7')
        natest.sh('ip', 'link', 'set', 'na7', 'up')
        self._expect_update(agent, mark, gen, 'Interface', 'na7')
        natest.wait_until(lambda: self.agent_prop(agent, 'Flags') == 0x2443,
                          'ACTIVE again after the rename')
        self.assertEqual(self.find_agent('na7'), agent)
        self.assertDBusError('NotFound', self.find_agent, 'na0')
        self.assertEqual(self.agent_prop(agent, 'InterfaceIndex'),
                         natest.link_info('na7')['ifindex'])

    def test_rename_reaches_interfaces_updated_by_name(self):
        agent = self.register('na0')
        self.extra_links.append('na7')
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        natest.sh('ip', 'link', 'set', 'na0', 'name', 'na7')
        natest.wait_until(lambda: self.agent_prop(agent, 'Interface') == 'na7',
                          'Interface = na7')
        mark = self.mark()
        self.unregister(agent)
        self.wait_signal('InterfacesUpdated', since=mark,
                         match=lambda a: a[0] == 'na7' and a[1] == [])

    def test_link_delete_unregisters_agent(self):
        agent = self.register('na0')
        other = self.register('na2')
        uuid = self.agent_prop(agent, 'Uuid')
        mark = self.mark()
        natest.sh('ip', 'link', 'del', 'na0')
        sig = self.wait_signal('AgentUnregistered', since=mark,
                               match=lambda a: a[1] == agent)
        self.assertEqual(sig.args, [uuid, agent])
        self.wait_signal('InterfacesUpdated', since=mark,
                         match=lambda a: a[0] == 'na0' and a[1] == [])
        self.assertEqual(self.manager_prop('Agents'), [other])
        self.assertFalse(self.object_exists(agent, IFACE_AGENT))
        self.assertDBusError('NotFound', self.find_agent, 'na0')
        self.assertDBusError('NotFound', self.unregister, agent)

    def test_link_delete_purges_every_flow(self):
        agent = self.register('na0')
        flows = [self.flow_insert(agent, {'ethertype': 0x88B5 + i})
                 for i in range(3)]
        mark = self.mark()
        natest.sh('ip', 'link', 'del', 'na0')
        for flow in flows:
            u = flow.assignment['flow-uuid']
            sig = self.wait_flow_removed(agent, u, mark)
            self.assertEqual(sig.args, [u, flow.path, 'purged'])
            self.assertChannelEOF(flow.fd)
            self.assertFalse(self.object_exists(flow.path, natest.IFACE_FLOW))
        unreg = self.wait_signal('AgentUnregistered', since=mark)
        removed = self.daemon_signals('FlowRemoved', since=mark)
        self.assertLess(max(self.client.signals.index(s) for s in removed),
                        self.client.signals.index(unreg),
                        'flows are purged before the agent goes')

    def test_new_link_with_old_name_is_not_attached(self):
        agent = self.register('na0')
        natest.sh('ip', 'link', 'del', 'na0')
        self.wait_signal('AgentUnregistered', match=lambda a: a[1] == agent)
        self.make_veth('na0', 'na1')
        self.sync()
        self.assertDBusError('NotFound', self.find_agent, 'na0')
        self.assertEqual(self.manager_prop('Agents'), [])


if __name__ == '__main__':
    natest.main()
