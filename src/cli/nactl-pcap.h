/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The classic pcap file format (what tcpdump -r and Wireshark read):
 * a 24-byte file header, then per frame a 16-byte record header and the
 * captured bytes.  Written in host byte order with the microsecond magic,
 * as libpcap does; readers swap when needed.
 */
#define NACTL_PCAP_MAGIC_USEC        0xa1b2c3d4u
#define NACTL_PCAP_VERSION_MAJOR     2
#define NACTL_PCAP_VERSION_MINOR     4
#define NACTL_PCAP_LINKTYPE_ETHERNET 1
#define NACTL_PCAP_SNAPLEN           65535
#define NACTL_PCAP_FILE_HEADER_LEN   24
#define NACTL_PCAP_RECORD_HEADER_LEN 16

typedef struct _NactlPcapWriter NactlPcapWriter;

/*
 * Write the file header for Ethernet frames cut at @snaplen bytes to
 * @stream (which the writer references); NULL with @error when it cannot
 * be written.
 */
NactlPcapWriter *nactl_pcap_writer_new   (GOutputStream    *stream,
                                          guint32           snaplen,
                                          GError          **error);

/*
 * Append one frame received at @time_us (microseconds since the epoch,
 * as g_get_real_time()) and flush, so a reader at the other end of a pipe
 * sees each frame as it comes.  @len is the frame's length on the wire;
 * at most snaplen bytes of it are stored.
 */
gboolean         nactl_pcap_writer_write (NactlPcapWriter  *self,
                                          gint64            time_us,
                                          const guint8     *frame,
                                          gsize             len,
                                          GError          **error);

guint64          nactl_pcap_writer_get_count (NactlPcapWriter *self);

void             nactl_pcap_writer_free  (NactlPcapWriter  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NactlPcapWriter, nactl_pcap_writer_free)

G_END_DECLS
