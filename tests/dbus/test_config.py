# SPDX-License-Identifier: GPL-2.0-or-later
"""netagentd.conf end to end: automatic registration on links present at
start, on links that appear or are renamed later, SIGHUP reloads, a bad
file refused line by line, and the per-user flow quota."""

import os
import signal

import natest
from natest import DBusCallError

ET = 0x88B5


class ConfigTest(natest.DaemonTestCase):

    def restart_with(self, text):
        """Restart the daemon with a configuration file holding @text."""
        self.stop_daemon()
        self.conf = os.path.join(self.workdir, 'netagentd-%s.conf' % self._testMethodName)
        self.write_conf(text)
        self.start_daemon('--config', self.conf)

    def write_conf(self, text):
        with open(self.conf, 'w') as f:
            f.write(text)

    def has_agent(self, ifname):
        try:
            self.find_agent(ifname)
            return True
        except DBusCallError:
            return False

    def test_links_present_at_start_get_agents(self):
        self.restart_with('[agent auto]\n'
                          'Interfaces=na0\n'
                          'Features=custom-ether;filter\n'
                          'FlowMax=7\n'
                          'Description=registered by the configuration\n')
        agent = self.find_agent('na0')
        self.assertEqual(self.agent_prop(agent, 'Features'), ['custom-ether', 'filter'])
        self.assertEqual(self.agent_prop(agent, 'FlowMax'), 7)
        self.assertEqual(self.agent_prop(agent, 'Flags'), 0xA443)
        self.assertEqual(self.agent_prop(agent, 'Description'),
                         'registered by the configuration')
        self.assertFalse(self.has_agent('na1'))

    def test_link_created_after_start_gets_its_agent(self):
        self.restart_with('[agent late]\nInterfaces=nalate*\n')
        self.assertFalse(self.has_agent('nalate0'))
        self.extra_links.append('nalate0')
        natest.sh('ip', 'link', 'add', 'nalate0', 'type', 'veth', 'peer', 'name', 'nalate1')
        natest.wait_until(lambda: self.has_agent('nalate0') and self.has_agent('nalate1'),
                          'agents on both new links')
        self.assertEqual(len(self.manager_prop('Agents')), 2)

    def test_link_renamed_into_a_pattern_gets_its_agent(self):
        self.restart_with('[agent renamed]\nInterfaces=naren0\n')
        self.assertFalse(self.has_agent('na1'))
        self.extra_links.append('naren0')
        natest.sh('ip', 'link', 'set', 'na1', 'down')
        natest.sh('ip', 'link', 'set', 'na1', 'name', 'naren0')
        natest.wait_until(lambda: self.has_agent('naren0'), 'an agent on naren0')

    def test_first_matching_rule_wins(self):
        self.restart_with('[agent first]\nInterfaces=na0\nFeatures=ipv6-ula\n'
                          '[agent second]\nInterfaces=na*\n')
        self.assertEqual(self.agent_prop(self.find_agent('na0'), 'Features'), ['ipv6-ula'])
        self.assertEqual(self.agent_prop(self.find_agent('na1'), 'Features'), ['custom-ether'])

    def test_bad_file_at_start_is_refused_line_by_line(self):
        self.stop_daemon()
        conf = os.path.join(self.workdir, 'bad.conf')
        with open(conf, 'w') as f:
            f.write('[daemon]\nUserFlowQuota=many\n[agent x]\nInterfaces=na0\nColour=red\n')
        proc, log = self.spawn_daemon('--config', conf)
        self.assertEqual(proc.wait(natest.WAIT), 1)
        with open(log) as f:
            text = f.read()
        self.assertIn('bad.conf:2: UserFlowQuota', text)
        self.assertIn('bad.conf:5: unknown key “Colour”', text)
        self.daemon = None

    def test_sighup_reloads_and_keeps_the_old_config_on_errors(self):
        self.restart_with('')
        self.assertEqual(self.manager_prop('Agents'), [])

        self.write_conf('[agent reload]\nInterfaces=na1\n')
        self.daemon.send_signal(signal.SIGHUP)
        natest.wait_until(lambda: self.has_agent('na1'), 'an agent on na1 after SIGHUP')

        self.write_conf('[agent reload]\nInterfaces=na1\nFlowMax=zero\n')
        self.daemon.send_signal(signal.SIGHUP)
        natest.wait_until(lambda: ':3: FlowMax' in (self.read_daemon_log() or ''),
                          'the bad line reported')
        self.assertDaemonAlive()
        self.assertTrue(self.has_agent('na1'))

        # The kept configuration still registers links that appear.
        self.extra_links.append('na1')
        natest.sh('ip', 'link', 'del', 'na0')
        natest.wait_until(lambda: not self.has_agent('na1'), 'the agent gone with its link')
        natest.sh('ip', 'link', 'add', 'na0', 'type', 'veth', 'peer', 'name', 'na1')
        natest.wait_until(lambda: self.has_agent('na1'), 'an agent on the new na1')

    def test_user_flow_quota(self):
        self.restart_with('[daemon]\nUserFlowQuota=2\n[agent q]\nInterfaces=na0\n')
        agent = self.find_agent('na0')
        user = self.unprivileged()
        user.flow_insert(agent, '', {'ethertype': ET})
        user.flow_insert(agent, '', {'ethertype': ET + 1})
        with self.assertRaises(DBusCallError) as cm:
            user.flow_insert(agent, '', {'ethertype': ET + 2})
        self.assertEqual(cm.exception.name, natest.ERROR_PREFIX + 'LimitReached')
        # Root is exempt.
        for i in range(3):
            self.flow_insert(agent, {'ethertype': ET + 10 + i})
        self.assertEqual(self.agent_prop(agent, 'FlowCount'), 5)


if __name__ == '__main__':
    natest.main()
