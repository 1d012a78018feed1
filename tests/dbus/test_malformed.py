# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests: a hundred malformed requests (wrong types, unknown keys,
bad uuids, huge strings, bad addresses, forbidden ethertypes, ...) each get
the contract's error name, and leave the daemon running with nothing leaked
(same number of open fds, FlowCount 0, no TAP device) and the seed counters
exact."""

import os
import uuid as uuidlib

from gi.repository import GLib

import natest
from natest import AGENT_PATH_PREFIX, IFACE, IFACE_AGENT, MANAGER_PATH

HUGE = 'x' * 100000
U = str(uuidlib.uuid4())
ET = {'ethertype': 0x88B5}
ULA = {'local-address': 'fd00::1', 'remote-address': 'fd00::2'}


def v(sig, value):
    return GLib.Variant(sig, value)


def with_(base, **kw):
    out = dict(base)
    out.update({k.replace('_', '-'): val for k, val in kw.items()})
    return out


# (description, method, target, arguments, expected error)
# target: 'manager', 'ce' (custom-ether agent on na0), 'ula' (ipv6-ula agent
# on na2); FlowInsert arguments are (uuid, parameters dict).
REGISTER_CASES = [
    ('missing interface', ('nosuch0', {}), 'NoSuchInterface'),
    ('loopback', ('lo', {}), 'NotSupported'),
    ('interface with an agent', ('na0', {}), 'AlreadyExists'),
    ('interface with an agent, other features',
     ('na2', {'features': ['ipv6-ula']}), 'AlreadyExists'),
    ('empty features', ('na1', {'features': []}), 'NotSupported'),
    ('custom-ether with ipv6-ula',
     ('na1', {'features': ['custom-ether', 'ipv6-ula']}), 'InvalidArgument'),
    ('unknown feature', ('na1', {'features': ['bogus']}), 'InvalidArgument'),
    ('features as s', ('na1', {'features': v('s', 'custom-ether')}),
     'InvalidArgument'),
    ('features as ay', ('na1', {'features': v('ay', b'custom-ether')}),
     'InvalidArgument'),
    ('flow-max 0', ('na1', {'flow-max': 0}), 'InvalidArgument'),
    ('flow-max 65534', ('na1', {'flow-max': 65534}), 'InvalidArgument'),
    ('flow-max 2^32-1', ('na1', {'flow-max': 0xFFFFFFFF}), 'InvalidArgument'),
    ('flow-max as s', ('na1', {'flow-max': v('s', '5')}), 'InvalidArgument'),
    ('flow-max as i', ('na1', {'flow-max': v('i', 5)}), 'InvalidArgument'),
    ('flow-max as t', ('na1', {'flow-max': v('t', 5)}), 'InvalidArgument'),
    ('domain of 32 bytes', ('na1', {'domain': 'd' * 32}), 'InvalidArgument'),
    ('huge domain', ('na1', {'domain': HUGE}), 'InvalidArgument'),
    ('domain as u', ('na1', {'domain': v('u', 1)}), 'InvalidArgument'),
    ('type of 32 bytes', ('na1', {'type': 't' * 32}), 'InvalidArgument'),
    ('huge type', ('na1', {'type': HUGE}), 'InvalidArgument'),
    ('type as as', ('na1', {'type': v('as', ['NetIf'])}), 'InvalidArgument'),
    ('description of 128 bytes', ('na1', {'description': 'x' * 128}),
     'InvalidArgument'),
    ('huge description', ('na1', {'description': HUGE}), 'InvalidArgument'),
    ('description as b', ('na1', {'description': v('b', True)}),
     'InvalidArgument'),
    ('unknown key', ('na1', {'bogus': v('s', 'x')}), 'InvalidArgument'),
    ('key in wrong case', ('na1', {'Features': v('as', ['custom-ether'])}),
     'InvalidArgument'),
    ('huge unknown key', ('na1', {HUGE: v('s', 'x')}), 'InvalidArgument'),
    ('valid options but one unknown key',
     ('na1', {'features': ['custom-ether'], 'flow-max': 3,
              'frobnicate': v('u', 1)}), 'InvalidArgument'),
]

OTHER_MANAGER_CASES = [
    ('Unregister unknown agent', 'Unregister',
     v('(o)', (AGENT_PATH_PREFIX + '999',)), 'NotFound'),
    ('Unregister /', 'Unregister', v('(o)', ('/',)), 'NotFound'),
    ('Unregister the manager', 'Unregister', v('(o)', (MANAGER_PATH,)),
     'NotFound'),
    ('Unregister a flow path', 'Unregister',
     v('(o)', (MANAGER_PATH + '/Flow/1',)), 'NotFound'),
    ('FindAgent missing interface', 'FindAgent', v('(s)', ('nosuch0',)),
     'NotFound'),
    ('FindAgent empty name', 'FindAgent', v('(s)', ('',)), 'NotFound'),
    ('FindAgent huge name', 'FindAgent', v('(s)', (HUGE,)), 'NotFound'),
    ('FindAgent interface without agent', 'FindAgent', v('(s)', ('na1',)),
     'NotFound'),
]

CE_INSERT_CASES = [
    ('uuid garbage', ('garbage', ET), 'InvalidArgument'),
    ('uuid upper case', (U.upper(), ET), 'InvalidArgument'),
    ('uuid nil', ('00000000-0000-0000-0000-000000000000', ET), 'InvalidArgument'),
    ('uuid huge', (HUGE, ET), 'InvalidArgument'),
    ('uuid without dashes', (U.replace('-', ''), ET), 'InvalidArgument'),
    ('uuid in braces', ('{%s}' % U, ET), 'InvalidArgument'),
    ('uuid with a space', (U + ' ', ET), 'InvalidArgument'),
    ('uuid urn', ('urn:uuid:' + U, ET), 'InvalidArgument'),
    ('uuid one digit short', (U[:-1], ET), 'InvalidArgument'),
    ('no keys', ('', {}), 'InvalidArgument'),
    ('only channel-type', ('', {'channel-type': 'socketpair'}),
     'InvalidArgument'),
    ('ethertype as s', ('', {'ethertype': v('s', '0x88b5')}), 'InvalidArgument'),
    ('ethertype as u', ('', {'ethertype': v('u', 0x88B5)}), 'InvalidArgument'),
    ('ethertype as i', ('', {'ethertype': v('i', 0x88B5)}), 'InvalidArgument'),
    ('ethertype as y', ('', {'ethertype': v('y', 0x88)}), 'InvalidArgument'),
    ('ethertype as n', ('', {'ethertype': v('n', 0x7000)}), 'InvalidArgument'),
    ('unknown key', ('', with_(ET, bogus=v('s', 'x'))), 'InvalidArgument'),
    ('key in wrong case', ('', with_(ET, Ethertype=v('q', 0x88B6))),
     'InvalidArgument'),
    ('huge unknown key', ('', with_(ET, **{HUGE: v('s', 'x')})),
     'InvalidArgument'),
    ('ethertype and local-address', ('', with_(ET, local_address='fd00::1')),
     'InvalidArgument'),
    ('ethertype and remote-address', ('', with_(ET, remote_address='fd00::2')),
     'InvalidArgument'),
    ('ethertype and listener', ('', with_(ET, listener=True)),
     'InvalidArgument'),
    ('custom-ether with addresses',
     ('', dict(ULA, type='custom-ether', ethertype=0x88B5)), 'InvalidArgument'),
    ('type bogus', ('', with_(ET, type='bogus')), 'InvalidArgument'),
    ('type upper case', ('', with_(ET, type='CUSTOM-ETHER')), 'InvalidArgument'),
    ('type empty', ('', with_(ET, type='')), 'InvalidArgument'),
    ('type huge', ('', with_(ET, type=HUGE)), 'InvalidArgument'),
    ('type as u', ('', with_(ET, type=v('u', 1))), 'InvalidArgument'),
    ('filter with ethertype', ('', with_(ET, type='filter')), 'InvalidArgument'),
    ('channel-type bogus', ('', with_(ET, channel_type='bogus')),
     'InvalidArgument'),
    ('channel-type huge', ('', with_(ET, channel_type=HUGE)), 'InvalidArgument'),
    ('channel-type as u', ('', with_(ET, channel_type=v('u', 0))),
     'InvalidArgument'),
    ('tap-name with a slash', ('', with_(ET, channel_type='tap',
                                         tap_name='bad/name')),
     'InvalidArgument'),
    ('tap-name with a space', ('', with_(ET, channel_type='tap',
                                         tap_name='a b')), 'InvalidArgument'),
    ('tap-name of 16 bytes', ('', with_(ET, channel_type='tap',
                                        tap_name='x' * 16)), 'InvalidArgument'),
    ('tap-name .', ('', with_(ET, channel_type='tap', tap_name='.')),
     'InvalidArgument'),
    ('tap-name ..', ('', with_(ET, channel_type='tap', tap_name='..')),
     'InvalidArgument'),
    ('tap-name huge', ('', with_(ET, channel_type='tap', tap_name=HUGE)),
     'InvalidArgument'),
    ('tap-name as u', ('', with_(ET, channel_type='tap',
                                 tap_name=v('u', 1))), 'InvalidArgument'),
    ('pid as s', ('', with_(ET, pid=v('s', '1'))), 'InvalidArgument'),
    ('pid as i', ('', with_(ET, pid=v('i', 1))), 'InvalidArgument'),
    ('pid that does not exist', ('', with_(ET, pid='MISSING-PID')),
     'InvalidArgument'),
    ('listener as s', ('', {'listener': v('s', 'true')}), 'InvalidArgument'),
] + [
    ('forbidden ethertype 0x%04x' % et, ('', {'ethertype': et}), 'BadEthertype')
    for et in natest.FORBIDDEN_ETHERTYPES
] + [
    ('ethertype %d' % et, ('', {'ethertype': et}), 'BadEthertype')
    for et in (0, 1, 1499, 1500)
] + [
    ('ipv6-ula on a custom-ether agent', ('', ULA), 'NotSupported'),
    ('listener on a custom-ether agent', ('', {'listener': True}),
     'NotSupported'),
    ('explicit ipv6-ula on a custom-ether agent',
     ('', dict(ULA, type='ipv6-ula')), 'NotSupported'),
    ('filter on an agent without filter', ('', {'type': 'filter'}),
     'NotSupported'),
]
CE_BAD_ETHERTYPES = len(natest.FORBIDDEN_ETHERTYPES) + 4

ULA_INSERT_CASES = [
    ('custom-ether on an ipv6-ula agent', ('', ET), 'NotSupported'),
    ('filter on an ipv6-ula agent', ('', {'type': 'filter'}), 'NotSupported'),
    ('local only', ('', {'local-address': 'fd00::1'}), 'InvalidArgument'),
    ('remote only', ('', {'remote-address': 'fd00::2'}), 'InvalidArgument'),
    ('type only', ('', {'type': 'ipv6-ula'}), 'InvalidArgument'),
    ('addresses with ethertype', ('', dict(ULA, ethertype=0x88B5)),
     'InvalidArgument'),
    ('listener with ethertype', ('', {'listener': True, 'ethertype': 0x88B5}),
     'InvalidArgument'),
    ('local-address as u', ('', with_(ULA, local_address=v('u', 1))),
     'InvalidArgument'),
    ('remote-address as ay', ('', with_(ULA, remote_address=v('ay', b'\xfd' * 16))),
     'InvalidArgument'),
    ('listener as u', ('', {'listener': v('u', 1)}), 'InvalidArgument'),
    ('unknown key', ('', with_(ULA, bogus=v('b', True))), 'InvalidArgument'),
]
ULA_BAD_ADDRESS_CASES = [
    ('local ::', ('', with_(ULA, local_address='::')), 'BadAddress'),
    ('remote ::', ('', with_(ULA, remote_address='::')), 'BadAddress'),
    ('local :: in long form', ('', with_(ULA, local_address='0:0:0:0:0:0:0:0')),
     'BadAddress'),
    ('local IPv4', ('', with_(ULA, local_address='10.0.0.1')), 'BadAddress'),
    ('remote IPv4', ('', with_(ULA, remote_address='192.168.0.1')),
     'BadAddress'),
    ('local garbage', ('', with_(ULA, local_address='garbage')), 'BadAddress'),
    ('remote bad digit', ('', with_(ULA, remote_address='fd00::g')),
     'BadAddress'),
    ('local with prefix length', ('', with_(ULA, local_address='fd00::1/64')),
     'BadAddress'),
    ('local huge', ('', with_(ULA, local_address=HUGE)), 'BadAddress'),
    ('local with two ::', ('', with_(ULA, local_address='fd00::1::2')),
     'BadAddress'),
]

REMOVE_CASES = [
    ('FlowRemove unknown uuid', 'FlowRemove', str(uuidlib.uuid4()), 'NotFound'),
    ('FlowAbort unknown uuid', 'FlowAbort', str(uuidlib.uuid4()), 'NotFound'),
]

# Calls whose signature does not match: refused by GDBus itself.
SIGNATURE_CASES = [
    ('Register without options', MANAGER_PATH, IFACE, 'Register',
     v('(s)', ('na1',))),
    ('Register with a{ss}', MANAGER_PATH, IFACE, 'Register',
     v('(sa{ss})', ('na1', {}))),
    ('FlowInsert without parameters', 'ce', IFACE_AGENT, 'FlowInsert',
     v('(s)', ('',))),
    ('FlowInsert with uuid as ay', 'ce', IFACE_AGENT, 'FlowInsert',
     v('(aya{sv})', (b'', {}))),
    ('FlowRemove with u', 'ce', IFACE_AGENT, 'FlowRemove', v('(u)', (1,))),
    ('Unregister with s', MANAGER_PATH, IFACE, 'Unregister',
     v('(s)', (AGENT_PATH_PREFIX + '1',))),
]


def missing_pid():
    with open('/proc/sys/kernel/pid_max') as f:
        pid = int(f.read()) - 1
    while os.path.exists('/proc/%d' % pid):
        pid -= 1
    return pid


class MalformedRequestsTest(natest.DaemonTestCase):

    VETHS = [('na0', 'na1'), ('na2', 'na3')]

    def setUp(self):
        super().setUp()
        self.ce = self.register('na0')
        self.ula = self.register('na2', features=['ipv6-ula'])
        # warm up: a flow of each kind and an error, so that what the daemon
        # opens once (polkit connection, caches, ...) is already open
        for agent, params in ((self.ce, ET), (self.ula, ULA)):
            flow = self.flow_insert(agent, params)
            self.flow_remove(agent, flow.assignment['flow-uuid'])
            natest.close_quietly(flow.fd)
        self.assertDBusError('NotFound', self.flow_remove, self.ce,
                             str(uuidlib.uuid4()))
        self.sync()

    def wait_fds(self, expected):
        try:
            natest.wait_until(lambda: self.daemon_fd_count() == expected,
                              'the daemon back to %d open fds' % expected)
        except AssertionError:
            self.assertEqual(self.daemon_fd_count(), expected,
                             'open fds of the daemon')

    def params(self, params):
        return {k: (missing_pid() if val == 'MISSING-PID' else val)
                for k, val in params.items()}

    def test_hundred_malformed_requests(self):
        fds_before = self.daemon_fd_count()
        count = 0
        for desc, (ifname, options), error in REGISTER_CASES:
            with self.subTest(case='Register: ' + desc):
                self.assertDBusError(error, self.register_raw, ifname, options)
            count += 1
        for desc, method, args, error in OTHER_MANAGER_CASES:
            with self.subTest(case=desc):
                self.assertDBusError(error, self.call, MANAGER_PATH, IFACE,
                                     method, args)
            count += 1
        for agent, cases in ((self.ce, CE_INSERT_CASES),
                             (self.ula, ULA_INSERT_CASES + ULA_BAD_ADDRESS_CASES)):
            for desc, (flow_uuid, params), error in cases:
                with self.subTest(case='FlowInsert: ' + desc):
                    self.assertDBusError(error, self.flow_insert, agent,
                                         self.params(params), flow_uuid)
                count += 1
        for agent in (self.ce, self.ula):
            for desc, method, flow_uuid, error in REMOVE_CASES:
                with self.subTest(case=desc):
                    self.assertDBusError(error, self.call, agent, IFACE_AGENT,
                                         method, v('(s)', (flow_uuid,)))
                count += 1
        for desc, path, iface, method, args in SIGNATURE_CASES:
            path = {'ce': self.ce}.get(path, path)
            with self.subTest(case='signature: ' + desc):
                self.assertDBusError('org.freedesktop.DBus.Error.InvalidArgs',
                                     self.call, path, iface, method, args)
            count += 1
        self.assertGreaterEqual(count, 100)

        # the daemon is still there, with nothing left behind
        self.assertDaemonAlive()
        self.assertEqual(self.manager_prop('Agents'), [self.ce, self.ula])
        for agent in (self.ce, self.ula):
            self.assertEqual(self.agent_prop(agent, 'FlowCount'), 0)
            self.assertEqual(self.agent_prop(agent, 'Flows'), [])
        self.assertEqual(natest.tun_links(), [])
        self.wait_fds(fds_before)

        # the seed's counters, exactly
        ce, ula = self.stats(self.ce), self.stats(self.ula)
        self.assertEqual(ce['agent-bad-ethertype'], CE_BAD_ETHERTYPES)
        self.assertEqual(ce['agent-bad-ipv6-addr'], 0)
        self.assertEqual(ce['agent-dup-flow'], 0)
        self.assertEqual(ula['agent-bad-ethertype'], 0)
        self.assertEqual(ula['agent-bad-ipv6-addr'], len(ULA_BAD_ADDRESS_CASES))
        self.assertEqual(ula['agent-dup-flow'], 0)

        # and it still works
        flow = self.flow_insert(self.ce, ET)
        self.assertEqual(flow.assignment['nexus-port'], 2)

    def test_errors_in_a_row_then_success(self):
        # a refused request changes nothing: the next good one gets port 2
        # and the next object number
        for desc, (flow_uuid, params), error in CE_INSERT_CASES[:20]:
            with self.subTest(case=desc):
                self.assertDBusError(error, self.flow_insert, self.ce,
                                     self.params(params), flow_uuid)
        flow = self.flow_insert(self.ce, ET)
        self.assertEqual(flow.assignment['nexus-port'], 2)
        self.assertEqual(flow.path, natest.FLOW_PATH_PREFIX + '3')

    def test_unknown_key_and_wrong_type_name_the_key(self):
        e = self.assertDBusError('InvalidArgument', self.flow_insert, self.ce,
                                 with_(ET, frobnicate=v('s', 'x')))
        self.assertIn('frobnicate', e.message)
        e = self.assertDBusError('InvalidArgument', self.flow_insert, self.ce,
                                 with_(ET, channel_type=v('u', 0)))
        self.assertIn('channel-type', e.message)
        e = self.assertDBusError('InvalidArgument', self.register_raw, 'na1',
                                 {'frobnicate': v('s', 'x')})
        self.assertIn('frobnicate', e.message)

    def test_malformed_requests_from_an_unprivileged_caller(self):
        c = self.unprivileged()
        fds_before = self.daemon_fd_count()
        for desc, (flow_uuid, params), error in CE_INSERT_CASES:
            if 'pid' in params:
                continue        # delegation is refused before the pid is looked at
            with self.subTest(case=desc):
                self.assertDBusError(error, c.flow_insert, self.ce, flow_uuid,
                                     self.params(params))
        self.assertDaemonAlive()
        self.assertEqual(self.agent_prop(self.ce, 'FlowCount'), 0)
        self.wait_fds(fds_before)


if __name__ == '__main__':
    natest.main()
