# SPDX-License-Identifier: GPL-2.0-or-later
"""Contract tests of what the channels carry (dbus-api.md, "Channels", and
what the daemon delivers and sends).

These depend on the data path (packet socket, demux, channels, transmit
checks): they pass only once frames flow.  Frames are sent and captured on
the veth peer (na1) with raw AF_PACKET sockets, inside the test's own
network namespace.

"Not delivered" is checked by order, never by waiting: a frame that must
be dropped is followed by one that must pass, and the first message the
channel (or the wire) yields must be the one that passes.
"""

import os
import select
import socket
import struct
import time

import natest

ETH_P_ALL = 0x0003
ET = 0x88B5
BROADCAST = 'ff:ff:ff:ff:ff:ff'
LOCAL = 'fd00:5::1'
REMOTE = 'fd00:5::2'


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(':', ''))


def eth(dst, src, ethertype, payload):
    return mac_bytes(dst) + mac_bytes(src) + struct.pack('!H', ethertype) + payload


def tagged(dst, src, vid, pcp, inner, payload):
    return (mac_bytes(dst) + mac_bytes(src) + struct.pack('!HH', 0x8100,
                                                          (pcp << 13) | vid)
            + struct.pack('!H', inner) + payload)


def ipv6_frame(dst_mac, src_mac, src_ip, dst_ip, payload=b'\0' * 8):
    header = struct.pack('!IHBB', 6 << 28, len(payload), 59, 64)
    header += socket.inet_pton(socket.AF_INET6, src_ip)
    header += socket.inet_pton(socket.AF_INET6, dst_ip)
    return eth(dst_mac, src_mac, 0x86DD, header + payload)


def payload(tag, size=100):
    return (tag.encode() * size)[:size]


SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40


class Wire:
    """A raw packet socket on the veth peer."""

    def __init__(self, ifname):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(ETH_P_ALL))
        self.sock.bind((ifname, ETH_P_ALL))
        # the kernel takes a received 802.1Q tag out of the frame; the
        # auxiliary data gives it back
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.mac = natest.link_info(ifname)['address']

    def send(self, frame):
        self.sock.send(frame)

    def _recv(self):
        data, ancdata, _, addr = self.sock.recvmsg(65536, 256)
        for level, kind, aux in ancdata:
            if level == SOL_PACKET and kind == PACKET_AUXDATA:
                status, _, _, _, _, tci, tpid = struct.unpack('IIIHHHH', aux[:20])
                if status & TP_STATUS_VLAN_VALID:
                    if not status & TP_STATUS_VLAN_TPID_VALID:
                        tpid = 0x8100
                    data = data[:12] + struct.pack('!HH', tpid, tci) + data[12:]
        return data, addr

    def recv_first(self, wanted, timeout=natest.WAIT):
        """The first frame received (not sent) here that is one of @wanted."""
        while True:
            r, _, _ = select.select([self.sock], [], [], timeout)
            if not r:
                raise AssertionError('no frame came to the peer')
            data, addr = self._recv()
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            if data in wanted:
                return data

    def close(self):
        self.sock.close()


def recv_channel(fd, timeout=natest.WAIT):
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        raise AssertionError('no message on the channel')
    return os.read(fd, 65536)


def deliver_after_link_change(wire, fd, frame):
    """Send @frame from the wire until it reaches @fd (bounded).

    After a link comes back the kernel re-activates the *wire side's*
    queueing discipline asynchronously (linkwatch), so the first frames the
    peer sends may be dropped before they ever reach the daemon's NIC; what
    is tested is that the flow carries frames again, not that moment.
    """
    deadline = time.monotonic() + natest.WAIT
    while time.monotonic() < deadline:
        wire.send(frame)
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            return os.read(fd, 65536)
    raise AssertionError('no message on the channel')


class FramesTest(natest.DaemonTestCase):

    def setUp(self):
        with open('/proc/sys/net/ipv6/conf/default/disable_ipv6', 'w') as f:
            f.write('1')       # new TAP devices of this namespace stay quiet
        super().setUp()
        self.wire = Wire('na1')
        self.addCleanup(self.wire.close)

    def agent_mac(self, agent):
        return self.agent_prop(agent, 'HardwareAddress')

    def wait_stat(self, get, key, value):
        natest.wait_until(lambda: get().get(key) == value,
                          '%s = %d' % (key, value))

    # ------------------------------------------------ custom-ether receive

    def test_custom_ether_frame_from_the_wire(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = eth(self.agent_mac(agent), self.wire.mac, ET, payload('a'))
        self.wire.send(frame)
        self.assertEqual(recv_channel(flow.fd), frame)

    def test_other_ethertype_not_delivered(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        mac = self.agent_mac(agent)
        self.wire.send(eth(mac, self.wire.mac, ET + 1, payload('x')))
        good = eth(mac, self.wire.mac, ET, payload('g'))
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)

    def test_unicast_to_another_mac_not_delivered(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        self.wire.send(eth('02:00:00:00:00:99', self.wire.mac, ET, payload('x')))
        good = eth(self.agent_mac(agent), self.wire.mac, ET, payload('g'))
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)

    def test_broadcast_and_multicast_delivered(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        for dst in (BROADCAST, '01:80:c2:00:00:0e'):
            frame = eth(dst, self.wire.mac, ET, payload('b'))
            self.wire.send(frame)
            self.assertEqual(recv_channel(flow.fd), frame)

    def test_priority_tagged_delivered_as_received(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = tagged(self.agent_mac(agent), self.wire.mac, 0, 5, ET,
                       payload('p'))
        self.wire.send(frame)
        self.assertEqual(recv_channel(flow.fd), frame)

    def test_vlan_other_than_0_not_delivered(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        mac = self.agent_mac(agent)
        self.wire.send(tagged(mac, self.wire.mac, 7, 0, ET, payload('x')))
        good = eth(mac, self.wire.mac, ET, payload('g'))
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)

    def test_each_flow_gets_its_own_ethertype(self):
        agent = self.register('na0')
        a = self.flow_insert(agent, {'ethertype': ET})
        b = self.flow_insert(agent, {'ethertype': ET + 1})
        mac = self.agent_mac(agent)
        fb = eth(mac, self.wire.mac, ET + 1, payload('b'))
        fa = eth(mac, self.wire.mac, ET, payload('a'))
        self.wire.send(fb)
        self.wire.send(fa)
        self.assertEqual(recv_channel(a.fd), fa)
        self.assertEqual(recv_channel(b.fd), fb)

    def test_receive_counters(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = eth(self.agent_mac(agent), self.wire.mac, ET, payload('c'))
        self.wire.send(frame)
        self.assertEqual(recv_channel(flow.fd), frame)
        self.wait_stat(lambda: self.flow_prop(flow.path, 'Statistics'),
                       'rx-frames', 1)
        self.assertEqual(self.flow_prop(flow.path, 'Statistics')['rx-bytes'],
                         len(frame))
        self.assertGreaterEqual(self.stats(agent)['rx-delivered'], 1)

    # ----------------------------------------------- custom-ether transmit

    def test_custom_ether_frame_to_the_wire(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = eth(self.wire.mac, self.agent_mac(agent), ET, payload('t'))
        os.write(flow.fd, frame)
        self.assertEqual(self.wire.recv_first([frame]), frame)
        self.wait_stat(lambda: self.flow_prop(flow.path, 'Statistics'),
                       'tx-frames', 1)

    def _tx_rejected(self, bad, agent_counter):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        mac = self.agent_mac(agent)
        bad = bad(mac)
        good = eth(self.wire.mac, mac, ET, payload('g'))
        os.write(flow.fd, bad)
        os.write(flow.fd, good)
        self.assertEqual(self.wire.recv_first([bad, good]), good)
        self.wait_stat(lambda: self.flow_prop(flow.path, 'Statistics'),
                       'tx-rejected', 1)
        self.wait_stat(lambda: self.stats(agent), agent_counter, 1)
        self.assertTrue(self.object_exists(flow.path, natest.IFACE_FLOW),
                        'the flow stays up')

    def test_tx_wrong_source_mac_rejected(self):
        self._tx_rejected(lambda mac: eth(self.wire.mac, '02:00:00:00:00:99',
                                          ET, payload('s')),
                          'tx-rejected-source')

    def test_tx_wrong_ethertype_rejected(self):
        self._tx_rejected(lambda mac: eth(self.wire.mac, mac, ET + 1,
                                          payload('e')),
                          'tx-rejected-flow')

    def test_tx_too_short_rejected(self):
        self._tx_rejected(lambda mac: eth(self.wire.mac, mac, ET, b'')[:13],
                          'tx-rejected-length')

    def test_tx_too_long_rejected(self):
        mtu = natest.link_info('na0')['mtu']
        self._tx_rejected(lambda mac: eth(self.wire.mac, mac, ET,
                                          b'L' * (mtu + 1)),
                          'tx-rejected-length')

    def test_tx_mtu_sized_frame_sent(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        mtu = natest.link_info('na0')['mtu']
        frame = eth(self.wire.mac, self.agent_mac(agent), ET, b'M' * mtu)
        os.write(flow.fd, frame)
        self.assertEqual(self.wire.recv_first([frame]), frame)

    def test_tx_priority_tagged_frame_sent_with_4_more_bytes(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        mac = self.agent_mac(agent)
        mtu = natest.link_info('na0')['mtu']
        # 6 + 6 + 4 (tag) + 2 + mtu = MTU + 18: the longest tagged frame allowed
        frame = tagged(self.wire.mac, mac, 0, 3, ET, b'T' * mtu)
        self.assertEqual(len(frame), mtu + 18)
        os.write(flow.fd, frame)
        self.assertEqual(self.wire.recv_first([frame]), frame)

    def test_tx_tagged_frame_over_the_limit_rejected(self):
        self._tx_rejected(lambda mac: tagged(self.wire.mac, mac, 0, 0, ET,
                                             b'T' * (natest.link_info('na0')['mtu'] + 1)),
                          'tx-rejected-length')

    def test_tx_tagged_with_a_vlan_id_rejected(self):
        # only a VID-0 (priority) tag may precede the flow's ethertype
        self._tx_rejected(lambda mac: tagged(self.wire.mac, mac, 5, 0, ET,
                                             payload('v')),
                          'tx-rejected-flow')

    def test_slow_reader_loses_only_its_own_frames(self):
        agent = self.register('na0')
        slow = self.flow_insert(agent, {'ethertype': ET})
        fast = self.flow_insert(agent, {'ethertype': ET + 1})
        mac = self.agent_mac(agent)
        flood = eth(mac, self.wire.mac, ET, payload('f', 1000))

        def dropped():
            return self.flow_prop(slow.path, 'Statistics')['rx-dropped']
        # flood the unread flow in batches until its channel overflows (no
        # buffer is that large: 100 batches are 20 MB)
        for _ in range(100):
            for _ in range(200):
                self.wire.send(flood)
            self.sync()
            if dropped() >= 1:
                break
        natest.wait_until(lambda: dropped() >= 1, 'rx-dropped of the unread flow')
        last = eth(mac, self.wire.mac, ET + 1, payload('l'))
        self.wire.send(last)
        self.assertEqual(recv_channel(fast.fd), last)
        self.assertEqual(self.flow_prop(fast.path, 'Statistics')['rx-dropped'], 0)
        self.assertGreaterEqual(self.stats(agent)['rx-dropped'], 1)
        # what the slow reader did get is intact
        self.assertEqual(recv_channel(slow.fd), flood)

    # ------------------------------------------------------------ ipv6-ula

    def test_ipv6_ula_both_directions(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        inbound = ipv6_frame(mac, self.wire.mac, REMOTE, LOCAL)
        self.wire.send(inbound)
        self.assertEqual(recv_channel(flow.fd), inbound)
        outbound = ipv6_frame(self.wire.mac, mac, LOCAL, REMOTE)
        os.write(flow.fd, outbound)
        self.assertEqual(self.wire.recv_first([outbound]), outbound)

    def test_ipv6_ula_other_pair_not_delivered(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        self.wire.send(ipv6_frame(mac, self.wire.mac, 'fd00:5::3', LOCAL))
        self.wire.send(ipv6_frame(mac, self.wire.mac, REMOTE, 'fd00:5::4'))
        good = ipv6_frame(mac, self.wire.mac, REMOTE, LOCAL)
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)

    def test_ipv6_ula_tx_wrong_addresses_rejected(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        bad = ipv6_frame(self.wire.mac, mac, 'fd00:5::9', REMOTE)
        good = ipv6_frame(self.wire.mac, mac, LOCAL, REMOTE)
        os.write(flow.fd, bad)
        os.write(flow.fd, good)
        self.assertEqual(self.wire.recv_first([bad, good]), good)

    def test_ipv6_ula_short_frame_not_delivered(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        good = ipv6_frame(mac, self.wire.mac, REMOTE, LOCAL, b'')
        self.assertEqual(len(good), 54)
        self.wire.send(good[:53])
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)

    def test_ipv6_ula_tx_short_frame_rejected(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        good = ipv6_frame(self.wire.mac, mac, LOCAL, REMOTE, b'')
        os.write(flow.fd, good[:53])
        os.write(flow.fd, good)
        self.assertEqual(self.wire.recv_first([good[:53], good]), good)
        self.wait_stat(lambda: self.flow_prop(flow.path, 'Statistics'),
                       'tx-rejected', 1)

    def test_ipv6_ula_tx_other_ethertype_rejected(self):
        agent = self.register('na0', features=['ipv6-ula'])
        flow = self.flow_insert(agent, {'local-address': LOCAL,
                                        'remote-address': REMOTE})
        mac = self.agent_mac(agent)
        good = ipv6_frame(self.wire.mac, mac, LOCAL, REMOTE)
        bad = good[:12] + struct.pack('!H', ET) + good[14:]
        os.write(flow.fd, bad)
        os.write(flow.fd, good)
        self.assertEqual(self.wire.recv_first([bad, good]), good)

    # ----------------------------------------------------------------- tap

    def test_tap_channel_both_directions(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET, 'channel-type': 'tap'})
        mac = self.agent_mac(agent)
        inbound = eth(mac, self.wire.mac, ET, payload('i'))
        self.wire.send(inbound)
        while True:     # the TAP may carry frames of the kernel's own
            msg = recv_channel(flow.fd)
            if msg == inbound:
                break
        outbound = eth(self.wire.mac, mac, ET, payload('o'))
        os.write(flow.fd, outbound)
        self.assertEqual(self.wire.recv_first([outbound]), outbound)

    # -------------------------------------------------------------- filter

    def test_filter_sees_frames_and_passes_what_it_writes_back(self):
        agent = self.register('na0', features=['custom-ether', 'filter'])
        filt = self.flow_insert(agent, {'type': 'filter'})
        flow = self.flow_insert(agent, {'ethertype': ET})
        mac = self.agent_mac(agent)
        dropped = eth(mac, self.wire.mac, ET, payload('d'))
        passed = eth(mac, self.wire.mac, ET, payload('p'))
        self.wire.send(dropped)
        self.wire.send(passed)
        header = bytes([1, 0, 0, 0])
        self.assertEqual(recv_channel(filt.fd), header + dropped)
        msg = recv_channel(filt.fd)
        self.assertEqual(msg, header + passed)
        os.write(filt.fd, msg)
        self.assertEqual(recv_channel(flow.fd), passed)

    def test_filter_sees_transmitted_frames(self):
        agent = self.register('na0', features=['custom-ether', 'filter'])
        filt = self.flow_insert(agent, {'type': 'filter'})
        flow = self.flow_insert(agent, {'ethertype': ET})
        out = eth(self.wire.mac, self.agent_mac(agent), ET, payload('o'))
        os.write(flow.fd, out)
        msg = recv_channel(filt.fd)
        self.assertEqual(msg, bytes([1, 1, 0, 0]) + out)
        os.write(filt.fd, msg)
        self.assertEqual(self.wire.recv_first([out]), out)


    def test_filters_chain_in_insertion_order(self):
        agent = self.register('na0', features=['custom-ether', 'filter'])
        first = self.flow_insert(agent, {'type': 'filter'})
        second = self.flow_insert(agent, {'type': 'filter'})
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = eth(self.agent_mac(agent), self.wire.mac, ET, payload('c'))
        self.wire.send(frame)
        msg = recv_channel(first.fd)
        self.assertEqual(msg, bytes([1, 0, 0, 0]) + frame)
        os.write(first.fd, msg)
        msg = recv_channel(second.fd)
        self.assertEqual(msg, bytes([1, 0, 0, 0]) + frame)
        os.write(second.fd, msg)
        self.assertEqual(recv_channel(flow.fd), frame)

    def test_transmit_counters(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        frame = eth(self.wire.mac, self.agent_mac(agent), ET, payload('k'))
        os.write(flow.fd, frame)
        self.assertEqual(self.wire.recv_first([frame]), frame)
        self.wait_stat(lambda: self.flow_prop(flow.path, 'Statistics'),
                       'tx-frames', 1)
        self.assertEqual(self.flow_prop(flow.path, 'Statistics')['tx-bytes'],
                         len(frame))
        self.wait_stat(lambda: self.stats(agent), 'tx-frames', 1)
        self.assertEqual(self.stats(agent)['tx-bytes'], len(frame))


    # ------------------------------------------------ link changes follow

    def test_new_mtu_applies_to_transmit(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        natest.sh('ip', 'link', 'set', 'na0', 'mtu', '1400')
        natest.sh('ip', 'link', 'set', 'na1', 'mtu', '1400')
        natest.wait_until(lambda: self.agent_prop(agent, 'Mtu') == 1400,
                          'Mtu 1400')
        mac = self.agent_mac(agent)
        too_long = eth(self.wire.mac, mac, ET, b'L' * 1401)
        longest = eth(self.wire.mac, mac, ET, b'L' * 1400)
        os.write(flow.fd, too_long)
        os.write(flow.fd, longest)
        self.assertEqual(self.wire.recv_first([too_long, longest]), longest)

    def test_new_mac_applies_to_both_directions(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        old = self.agent_mac(agent)
        new = '02:00:00:00:4e:43'
        natest.sh('ip', 'link', 'set', 'na0', 'address', new)
        natest.wait_until(lambda: self.agent_mac(agent) == new, 'the new MAC')
        # receive: unicast to the old MAC no more, to the new one yes
        self.wire.send(eth(old, self.wire.mac, ET, payload('o')))
        good = eth(new, self.wire.mac, ET, payload('n'))
        self.wire.send(good)
        self.assertEqual(recv_channel(flow.fd), good)
        # transmit: the source must be the new MAC
        stale = eth(self.wire.mac, old, ET, payload('s'))
        fresh = eth(self.wire.mac, new, ET, payload('f'))
        os.write(flow.fd, stale)
        os.write(flow.fd, fresh)
        self.assertEqual(self.wire.recv_first([stale, fresh]), fresh)

    def test_frames_flow_after_a_rename(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        self.extra_links.append('na7')
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        natest.sh('ip', 'link', 'set', 'na0', 'name', 'na7')
        natest.sh('ip', 'link', 'set', 'na7', 'up')
        natest.wait_until(lambda: self.agent_prop(agent, 'Interface') == 'na7'
                          and self.agent_prop(agent, 'Flags') & natest.FLAG_ACTIVE,
                          'the agent on na7, active')
        mac = self.agent_mac(agent)
        inbound = eth(mac, self.wire.mac, ET, payload('r'))
        self.assertEqual(deliver_after_link_change(self.wire, flow.fd, inbound), inbound)
        outbound = eth(self.wire.mac, mac, ET, payload('t'))
        os.write(flow.fd, outbound)
        self.assertEqual(self.wire.recv_first([outbound]), outbound)

    def test_frames_flow_after_down_and_up(self):
        agent = self.register('na0')
        flow = self.flow_insert(agent, {'ethertype': ET})
        natest.sh('ip', 'link', 'set', 'na0', 'down')
        natest.wait_until(lambda: not self.agent_prop(agent, 'Flags')
                          & natest.FLAG_ACTIVE, 'ACTIVE cleared')
        natest.sh('ip', 'link', 'set', 'na0', 'up')
        natest.wait_until(lambda: self.agent_prop(agent, 'Flags')
                          & natest.FLAG_ACTIVE, 'ACTIVE again')
        inbound = eth(self.agent_mac(agent), self.wire.mac, ET, payload('u'))
        self.assertEqual(deliver_after_link_change(self.wire, flow.fd, inbound), inbound)


if __name__ == '__main__':
    natest.main()
