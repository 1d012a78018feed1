/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <string.h>

#include "nactl-pcap.h"

struct _NactlPcapWriter {
  GOutputStream *stream;
  guint32        snaplen;
  guint64        count;
  GByteArray    *buffer;   /* one record, reused */
};

/* Fields in host order, packed by hand: no struct padding to worry about. */
static void
put_u32 (guint8 *p, guint32 v)
{
  memcpy (p, &v, sizeof v);
}

static void
put_u16 (guint8 *p, guint16 v)
{
  memcpy (p, &v, sizeof v);
}

NactlPcapWriter *
nactl_pcap_writer_new (GOutputStream  *stream,
                       guint32         snaplen,
                       GError        **error)
{
  g_autoptr(NactlPcapWriter) self = g_new0 (NactlPcapWriter, 1);
  guint8 header[NACTL_PCAP_FILE_HEADER_LEN] = { 0 };

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), NULL);
  g_return_val_if_fail (snaplen > 0, NULL);

  self->stream = g_object_ref (stream);
  self->snaplen = snaplen;
  self->buffer = g_byte_array_new ();

  put_u32 (header + 0, NACTL_PCAP_MAGIC_USEC);
  put_u16 (header + 4, NACTL_PCAP_VERSION_MAJOR);
  put_u16 (header + 6, NACTL_PCAP_VERSION_MINOR);
  put_u32 (header + 8, 0);      /* thiszone: timestamps are UTC */
  put_u32 (header + 12, 0);     /* sigfigs */
  put_u32 (header + 16, snaplen);
  put_u32 (header + 20, NACTL_PCAP_LINKTYPE_ETHERNET);

  if (!g_output_stream_write_all (stream, header, sizeof header, NULL, NULL, error) ||
      !g_output_stream_flush (stream, NULL, error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
nactl_pcap_writer_write (NactlPcapWriter  *self,
                         gint64            time_us,
                         const guint8     *frame,
                         gsize             len,
                         GError          **error)
{
  guint8 record[NACTL_PCAP_RECORD_HEADER_LEN];
  guint32 caplen = (guint32) MIN (len, (gsize) self->snaplen);
  guint32 wirelen = (guint32) MIN (len, (gsize) G_MAXUINT32);

  if (time_us < 0)
    time_us = 0;
  put_u32 (record + 0, (guint32) (time_us / G_USEC_PER_SEC));
  put_u32 (record + 4, (guint32) (time_us % G_USEC_PER_SEC));
  put_u32 (record + 8, caplen);
  put_u32 (record + 12, wirelen);

  /* One write per record: a reader never sees half a header. */
  g_byte_array_set_size (self->buffer, 0);
  g_byte_array_append (self->buffer, record, sizeof record);
  g_byte_array_append (self->buffer, frame, caplen);
  if (!g_output_stream_write_all (self->stream, self->buffer->data, self->buffer->len,
                                  NULL, NULL, error) ||
      !g_output_stream_flush (self->stream, NULL, error))
    return FALSE;
  self->count++;
  return TRUE;
}

guint64
nactl_pcap_writer_get_count (NactlPcapWriter *self)
{
  return self->count;
}

void
nactl_pcap_writer_free (NactlPcapWriter *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->stream);
  if (self->buffer)
    g_byte_array_unref (self->buffer);
  g_free (self);
}
