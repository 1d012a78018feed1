/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "test-cli-pcap"

#include <string.h>

#include <gio/gio.h>

#include "nactl-pcap.h"

static guint32
get_u32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static guint16
get_u16 (const guint8 *p)
{
  guint16 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static const guint8 *
memory_data (GMemoryOutputStream *memory, gsize *len)
{
  *len = g_memory_output_stream_get_data_size (memory);
  return g_memory_output_stream_get_data (memory);
}

static void
test_header (void)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NactlPcapWriter) writer = nactl_pcap_writer_new (memory, NACTL_PCAP_SNAPLEN, &error);
  const guint8 *data;
  gsize len;

  g_assert_no_error (error);
  g_assert_nonnull (writer);
  data = memory_data (G_MEMORY_OUTPUT_STREAM (memory), &len);
  g_assert_cmpuint (len, ==, 24);
  g_assert_cmphex (get_u32 (data), ==, 0xa1b2c3d4);
  g_assert_cmpuint (get_u16 (data + 4), ==, 2);
  g_assert_cmpuint (get_u16 (data + 6), ==, 4);
  g_assert_cmpuint (get_u32 (data + 8), ==, 0);
  g_assert_cmpuint (get_u32 (data + 12), ==, 0);
  g_assert_cmpuint (get_u32 (data + 16), ==, 65535);
  g_assert_cmpuint (get_u32 (data + 20), ==, 1);
  g_assert_cmpuint (nactl_pcap_writer_get_count (writer), ==, 0);
}

static void
test_records (void)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NactlPcapWriter) writer = nactl_pcap_writer_new (memory, NACTL_PCAP_SNAPLEN, &error);
  guint8 frame1[60], frame2[1514];
  const guint8 *data;
  gsize len;
  /* 2026-01-02T03:04:05.678901Z */
  const gint64 t1 = G_GINT64_CONSTANT (1767323045678901);

  for (gsize i = 0; i < sizeof frame1; i++)
    frame1[i] = (guint8) i;
  for (gsize i = 0; i < sizeof frame2; i++)
    frame2[i] = (guint8) (255 - i % 256);

  g_assert_true (nactl_pcap_writer_write (writer, t1, frame1, sizeof frame1, &error));
  g_assert_true (nactl_pcap_writer_write (writer, t1 + 999999, frame2, sizeof frame2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nactl_pcap_writer_get_count (writer), ==, 2);

  data = memory_data (G_MEMORY_OUTPUT_STREAM (memory), &len);
  g_assert_cmpuint (len, ==, 24 + 16 + 60 + 16 + 1514);
  data += 24;
  g_assert_cmpuint (get_u32 (data), ==, 1767323045);
  g_assert_cmpuint (get_u32 (data + 4), ==, 678901);
  g_assert_cmpuint (get_u32 (data + 8), ==, 60);
  g_assert_cmpuint (get_u32 (data + 12), ==, 60);
  g_assert_cmpmem (data + 16, 60, frame1, sizeof frame1);
  data += 16 + 60;
  /* The microseconds carry into the seconds. */
  g_assert_cmpuint (get_u32 (data), ==, 1767323046);
  g_assert_cmpuint (get_u32 (data + 4), ==, 678900);
  g_assert_cmpuint (get_u32 (data + 8), ==, 1514);
  g_assert_cmpuint (get_u32 (data + 12), ==, 1514);
  g_assert_cmpmem (data + 16, 1514, frame2, sizeof frame2);
}

static void
test_snaplen (void)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NactlPcapWriter) writer = nactl_pcap_writer_new (memory, 20, &error);
  guint8 frame[60] = { 1, 2, 3 };
  const guint8 *data;
  gsize len;

  g_assert_true (nactl_pcap_writer_write (writer, 0, frame, sizeof frame, &error));
  g_assert_no_error (error);
  data = memory_data (G_MEMORY_OUTPUT_STREAM (memory), &len);
  g_assert_cmpuint (get_u32 (data + 16), ==, 20);
  g_assert_cmpuint (len, ==, 24 + 16 + 20);
  g_assert_cmpuint (get_u32 (data + 24 + 8), ==, 20);   /* captured */
  g_assert_cmpuint (get_u32 (data + 24 + 12), ==, 60);  /* on the wire */
  g_assert_cmpmem (data + 24 + 16, 20, frame, 20);
}

/* Each frame reaches the stream below at once (a reader on a pipe sees it). */
static void
test_flushes_each_frame (void)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) buffered = g_buffered_output_stream_new_sized (memory, 65536);
  g_autoptr(GError) error = NULL;
  g_autoptr(NactlPcapWriter) writer = nactl_pcap_writer_new (buffered, NACTL_PCAP_SNAPLEN, &error);
  guint8 frame[60] = { 0 };

  g_assert_no_error (error);
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==, 24);
  g_assert_true (nactl_pcap_writer_write (writer, 0, frame, sizeof frame, &error));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==,
                    24 + 16 + 60);
  g_assert_true (nactl_pcap_writer_write (writer, 0, frame, sizeof frame, &error));
  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)), ==,
                    24 + 2 * (16 + 60));
}

static void
test_write_errors (void)
{
  g_autoptr(GOutputStream) closed = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(NactlPcapWriter) writer = NULL;
  guint8 frame[60] = { 0 };

  g_assert_true (g_output_stream_close (closed, NULL, NULL));
  writer = nactl_pcap_writer_new (closed, NACTL_PCAP_SNAPLEN, &error);
  g_assert_null (writer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);

  writer = nactl_pcap_writer_new (memory, NACTL_PCAP_SNAPLEN, &error);
  g_assert_nonnull (writer);
  g_assert_true (g_output_stream_close (memory, NULL, NULL));
  g_assert_false (nactl_pcap_writer_write (writer, 0, frame, sizeof frame, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (nactl_pcap_writer_get_count (writer), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/pcap/header", test_header);
  g_test_add_func ("/cli/pcap/records", test_records);
  g_test_add_func ("/cli/pcap/snaplen", test_snaplen);
  g_test_add_func ("/cli/pcap/flushes-each-frame", test_flushes_each_frame);
  g_test_add_func ("/cli/pcap/write-errors", test_write_errors);
  return g_test_run ();
}
