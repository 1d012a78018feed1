# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: the manager interface io.netagentd.NetAgent1 — Register,
Unregister, FindAgent, Version, Agents, the ObjectManager and the manager's
signals (AgentRegistered, AgentUnregistered, InterfacesUpdated)."""

from gi.repository import GLib

import natest
from natest import (AGENT_PATH_PREFIX, IFACE, IFACE_AGENT, IFACE_FLOW,
                    IFACE_OM, IFACE_PROPS, MANAGER_PATH)


class ManagerTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    # ------------------------------------------------------------ basics

    def test_version_is_a_nonempty_string(self):
        version = self.manager_prop('Version')
        self.assertIsInstance(version, str)
        self.assertTrue(version)

    def test_agents_is_empty_at_start(self):
        self.assertEqual(self.manager_prop('Agents'), [])

    def test_manager_implements_object_manager(self):
        self.assertEqual(self.managed_objects(), {})

    def test_manager_properties_getall(self):
        props = self.get_all(MANAGER_PATH, IFACE)
        self.assertIn('Version', props)
        self.assertIn('Agents', props)

    # ---------------------------------------------------------- Register

    def test_register_returns_first_agent_path_1(self):
        self.assertEqual(self.register('na0'), AGENT_PATH_PREFIX + '1')

    def test_register_defaults(self):
        agent = self.register('na0')
        props = self.get_all(agent, IFACE_AGENT)
        self.assertEqual(props['Features'], ['custom-ether'])
        self.assertEqual(props['FlowMax'], 126)
        self.assertEqual(props['Domain'], 'Skywalk')
        self.assertEqual(props['Type'], 'NetIf')
        self.assertEqual(props['Description'], 'Userspace Networking')
        self.assertEqual(props['FlowCount'], 0)
        self.assertEqual(props['Flows'], [])

    def test_register_options_are_published(self):
        agent = self.register('na0', flow_max=7, domain='Dom', type='Typ',
                              description='Some description')
        props = self.get_all(agent, IFACE_AGENT)
        self.assertEqual(props['FlowMax'], 7)
        self.assertEqual(props['Domain'], 'Dom')
        self.assertEqual(props['Type'], 'Typ')
        self.assertEqual(props['Description'], 'Some description')

    def test_register_string_sizes_at_the_limit_accepted(self):
        agent = self.register('na0', domain='d' * 31, type='t' * 31,
                              description='x' * 127)
        props = self.get_all(agent, IFACE_AGENT)
        self.assertEqual(props['Domain'], 'd' * 31)
        self.assertEqual(props['Type'], 't' * 31)
        self.assertEqual(props['Description'], 'x' * 127)

    def test_register_domain_of_32_bytes_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             domain='d' * 32)

    def test_register_type_of_32_bytes_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             type='t' * 32)

    def test_register_description_of_128_bytes_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             description='x' * 128)

    def test_register_size_limit_counts_bytes_not_characters(self):
        # 16 two-byte characters = 32 bytes: too long for the domain
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             domain='\u00e9' * 16)

    def test_register_flow_max_0_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             flow_max=0)

    def test_register_flow_max_65534_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             flow_max=65534)

    def test_register_flow_max_65533_accepted(self):
        agent = self.register('na0', flow_max=65533)
        self.assertEqual(self.agent_prop(agent, 'FlowMax'), 65533)

    def test_register_flow_max_1_accepted(self):
        agent = self.register('na0', flow_max=1)
        self.assertEqual(self.agent_prop(agent, 'FlowMax'), 1)

    def test_register_missing_interface_no_such_interface(self):
        self.assertDBusError('NoSuchInterface', self.register, 'nosuch0')

    def test_register_twice_on_one_interface_already_exists(self):
        self.register('na0')
        self.assertDBusError('AlreadyExists', self.register, 'na0')
        self.assertDBusError('AlreadyExists', self.register, 'na0',
                             features=['ipv6-ula'])

    def test_register_custom_ether_on_loopback_not_supported(self):
        self.assertDBusError('NotSupported', self.register, 'lo')

    def test_register_ipv6_ula_on_loopback_not_supported(self):
        self.assertDBusError('NotSupported', self.register, 'lo',
                             features=['ipv6-ula'])

    def test_register_custom_ether_on_tun_without_mac_not_supported(self):
        natest.sh('ip', 'tuntap', 'add', 'dev', 'natun0', 'mode', 'tun')
        self.extra_links.append('natun0')
        self.assertDBusError('NotSupported', self.register, 'natun0')

    def test_register_empty_features_not_supported(self):
        self.assertDBusError('NotSupported', self.register, 'na0', features=[])

    def test_register_custom_ether_with_ipv6_ula_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             features=['custom-ether', 'ipv6-ula'])

    def test_register_unknown_feature_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             features=['custom-ether', 'bogus'])

    def test_register_unknown_option_invalid_argument(self):
        self.assertDBusError('InvalidArgument', self.register_raw, 'na0',
                             {'bogus': GLib.Variant('s', 'x')})

    def test_register_wrong_option_types_invalid_argument(self):
        for key, value in [('features', GLib.Variant('s', 'custom-ether')),
                           ('flow-max', GLib.Variant('i', 5)),
                           ('flow-max', GLib.Variant('s', '5')),
                           ('domain', GLib.Variant('u', 1)),
                           ('type', GLib.Variant('as', ['x'])),
                           ('description', GLib.Variant('b', True))]:
            with self.subTest(key=key, value=value.print_(True)):
                self.assertDBusError('InvalidArgument', self.register_raw,
                                     'na0', {key: value})
        self.assertEqual(self.manager_prop('Agents'), [])

    def test_register_filter_with_custom_ether_features(self):
        agent = self.register('na0', features=['custom-ether', 'filter'])
        self.assertEqual(set(self.agent_prop(agent, 'Features')),
                         {'custom-ether', 'filter'})

    def test_register_failure_leaves_no_agent(self):
        self.assertDBusError('InvalidArgument', self.register, 'na0',
                             flow_max=0)
        self.assertEqual(self.manager_prop('Agents'), [])
        self.assertDBusError('NotFound', self.find_agent, 'na0')
        # and the interface is still free
        self.register('na0')

    # ------------------------------------------------- registration signals

    def test_register_emits_agent_registered(self):
        mark = self.mark()
        agent = self.register('na0')
        uuid = self.agent_prop(agent, 'Uuid')
        sig = self.wait_signal('AgentRegistered', since=mark,
                               match=lambda a: a[1] == agent)
        self.assertEqual(sig.path, MANAGER_PATH)
        self.assertEqual(sig.iface, IFACE)
        self.assertEqual(sig.args, [uuid, agent])

    def test_register_emits_interfaces_updated(self):
        mark = self.mark()
        agent = self.register('na0')
        uuid = self.agent_prop(agent, 'Uuid')
        sig = self.wait_signal('InterfacesUpdated', since=mark,
                               match=lambda a: a[0] == 'na0')
        self.assertEqual(sig.path, MANAGER_PATH)
        self.assertEqual(sig.iface, IFACE)
        self.assertEqual(sig.args[1], [uuid])

    def test_unregister_emits_agent_unregistered(self):
        agent = self.register('na0')
        uuid = self.agent_prop(agent, 'Uuid')
        mark = self.mark()
        self.unregister(agent)
        sig = self.wait_signal('AgentUnregistered', since=mark)
        self.assertEqual(sig.path, MANAGER_PATH)
        self.assertEqual(sig.args, [uuid, agent])

    def test_unregister_emits_interfaces_updated_without_the_agent(self):
        agent = self.register('na0')
        uuid = self.agent_prop(agent, 'Uuid')
        mark = self.mark()
        self.unregister(agent)
        sig = self.wait_signal('InterfacesUpdated', since=mark,
                               match=lambda a: a[0] == 'na0')
        self.assertNotIn(uuid, sig.args[1])
        self.assertEqual(sig.args[1], [])

    def test_failed_register_emits_nothing(self):
        mark = self.mark()
        self.assertDBusError('NoSuchInterface', self.register, 'nosuch0')
        self.sync()
        self.assertEqual([s.member for s in self.daemon_signals(since=mark)
                          if s.member in ('AgentRegistered', 'InterfacesUpdated')],
                         [])

    # ---------------------------------------------------------- Unregister

    def test_unregister_unknown_agent_not_found(self):
        self.assertDBusError('NotFound', self.unregister,
                             AGENT_PATH_PREFIX + '999')
        self.assertDBusError('NotFound', self.unregister, '/')
        self.assertDBusError('NotFound', self.unregister, MANAGER_PATH)

    def test_unregister_twice_not_found(self):
        agent = self.register('na0')
        self.unregister(agent)
        self.assertDBusError('NotFound', self.unregister, agent)

    def test_unregister_removes_agent_object_and_entry(self):
        agent = self.register('na0')
        self.unregister(agent)
        self.assertEqual(self.manager_prop('Agents'), [])
        self.assertFalse(self.object_exists(agent, IFACE_AGENT))
        self.assertNotIn(agent, self.managed_objects())

    def test_unregister_frees_the_interface(self):
        agent = self.register('na0')
        self.unregister(agent)
        again = self.register('na0')
        self.assertNotEqual(again, agent)

    # ------------------------------------------------------------ FindAgent

    def test_find_agent_returns_the_agent(self):
        a0 = self.register('na0')
        a2 = self.register('na2')
        self.assertEqual(self.find_agent('na0'), a0)
        self.assertEqual(self.find_agent('na2'), a2)

    def test_find_agent_interface_without_agent_not_found(self):
        self.register('na0')
        self.assertDBusError('NotFound', self.find_agent, 'na1')

    def test_find_agent_missing_interface_not_found(self):
        self.assertDBusError('NotFound', self.find_agent, 'nosuch0')

    def test_find_agent_after_unregister_not_found(self):
        agent = self.register('na0')
        self.unregister(agent)
        self.assertDBusError('NotFound', self.find_agent, 'na0')

    # -------------------------------------------------------------- Agents

    def test_agents_lists_agents_in_registration_order(self):
        a2 = self.register('na2')
        a0 = self.register('na0')
        a1 = self.register('na1', features=['ipv6-ula'])
        self.assertEqual(self.manager_prop('Agents'), [a2, a0, a1])
        self.unregister(a0)
        self.assertEqual(self.manager_prop('Agents'), [a2, a1])

    def test_agents_emits_properties_changed(self):
        # documented in the introspection XML (EmitsChangedSignal true)
        mark = self.mark()
        agent = self.register('na0')
        self.wait_signal('PropertiesChanged', since=mark, path=MANAGER_PATH,
                         match=lambda a: a[0] == IFACE and
                         a[1].get('Agents') == [agent]
                         or (a[0] == IFACE and 'Agents' in a[2]))
        mark = self.mark()
        self.unregister(agent)
        self.wait_signal('PropertiesChanged', since=mark, path=MANAGER_PATH,
                         match=lambda a: a[0] == IFACE and
                         a[1].get('Agents') == []
                         or (a[0] == IFACE and 'Agents' in a[2]))

    # --------------------------------------------------------- object paths

    def test_agent_paths_are_never_reused(self):
        first = self.register('na0')
        self.unregister(first)
        second = self.register('na0')
        third = self.register('na2')
        self.assertEqual([first, second, third],
                         [AGENT_PATH_PREFIX + n for n in ('1', '2', '3')])

    def test_agent_uuid_canonical_lower_case_and_fresh(self):
        a0 = self.register('na0')
        u0 = self.agent_prop(a0, 'Uuid')
        self.assertUuid(u0)
        self.unregister(a0)
        a0b = self.register('na0')
        u0b = self.agent_prop(a0b, 'Uuid')
        self.assertUuid(u0b)
        a2 = self.register('na2')
        u2 = self.agent_prop(a2, 'Uuid')
        self.assertEqual(len({u0, u0b, u2}), 3)

    # ------------------------------------------------------ ObjectManager

    def test_object_manager_lists_agents_and_flows(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': 0x88B5})
        objs = self.managed_objects()
        self.assertIn(agent, objs)
        self.assertIn(IFACE_AGENT, objs[agent])
        self.assertEqual(objs[agent][IFACE_AGENT]['Uuid'],
                         self.agent_prop(agent, 'Uuid'))
        self.assertIn(flow.path, objs)
        self.assertIn(IFACE_FLOW, objs[flow.path])
        self.assertEqual(objs[flow.path][IFACE_FLOW]['Uuid'],
                         flow.assignment['flow-uuid'])
        self.flow_remove(agent, flow.assignment['flow-uuid'])
        self.assertNotIn(flow.path, self.managed_objects())

    def test_object_manager_signals(self):
        mark = self.mark()
        agent = self.register('na0')
        self.wait_signal('InterfacesAdded', since=mark, path=MANAGER_PATH,
                         match=lambda a: a[0] == agent and IFACE_AGENT in a[1])
        mark = self.mark()
        self.unregister(agent)
        self.wait_signal('InterfacesRemoved', since=mark, path=MANAGER_PATH,
                         match=lambda a: a[0] == agent and IFACE_AGENT in a[1])

    def test_introspection_of_manager(self):
        (xml,) = self.call(MANAGER_PATH, 'org.freedesktop.DBus.Introspectable',
                           'Introspect')
        for name in (IFACE, IFACE_OM, IFACE_PROPS):
            self.assertIn('<interface name="%s">' % name, xml)


if __name__ == '__main__':
    natest.main()
