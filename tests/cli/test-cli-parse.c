/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "test-cli-parse"

#include <string.h>

#include "nactl-frame.h"
#include "nactl-parse.h"

static void
test_ethertype (void)
{
  static const struct { const char *text; guint16 value; } good[] = {
    { "0x88cc", 0x88cc }, { "0X88CC", 0x88cc }, { "0x88B5", 0x88b5 }, { "35020", 0x88cc },
    { "0x1", 1 }, { "0", 0 }, { "65535", 0xffff }, { "0xffff", 0xffff }, { "0x0800", 0x0800 },
  };
  static const char *const bad[] = {
    "", "0x", "0x12345", "65536", "-1", "+5", " 5", "5 ", "88cc", "0x88cg", "0x 88", "1e3",
    "0b101", "99999999999999999999999",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 value = 0;

      g_assert_true (nactl_parse_ethertype ("--ethertype", good[i].text, &value, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (value, ==, good[i].value);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      guint16 value = 0x1234;

      g_assert_false (nactl_parse_ethertype ("--ethertype", bad[i], &value, &error));
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, "--ethertype"));
      g_assert_cmpuint (value, ==, 0x1234);
    }
}

static void
test_mac (void)
{
  static const char *const bad[] = {
    "", "02:00:00:00:00", "02:00:00:00:00:01:", "02:00:00:00:00:1", "02-00-00-00-00-01",
    "0200.0000.0001", "020000000001", "02:00:00:00:00:0g", " 2:00:00:00:00:01",
    "02:00:00:00:00:01 ", "02::00:00:00:00:01", "2:0:0:0:0:1",
  };
  guint8 mac[6] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (nactl_parse_mac ("--to", "02:ab:CD:ef:00:ff", mac, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (mac, 6, ((guint8[]) { 0x02, 0xab, 0xcd, 0xef, 0x00, 0xff }), 6);
  text = nactl_mac_to_string (mac);
  g_assert_cmpstr (text, ==, "02:ab:cd:ef:00:ff");

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local = NULL;
      guint8 out[6] = { 9, 9, 9, 9, 9, 9 };

      g_assert_false (nactl_parse_mac ("--to", bad[i], out, &local));
      g_assert_error (local, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
      g_assert_cmpmem (out, 6, ((guint8[]) { 9, 9, 9, 9, 9, 9 }), 6);
    }
}

static void
test_uint (void)
{
  guint64 value = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (nactl_parse_uint ("--count", "1", 1, 10, &value, &error));
  g_assert_cmpuint (value, ==, 1);
  g_assert_true (nactl_parse_uint ("--count", "10", 1, 10, &value, &error));
  g_assert_cmpuint (value, ==, 10);
  g_assert_true (nactl_parse_uint ("--count", "18446744073709551615", 0, G_MAXUINT64,
                                   &value, &error));
  g_assert_cmpuint (value, ==, G_MAXUINT64);
  g_assert_no_error (error);

  for (gsize i = 0; i < 8; i++)
    {
      static const char *const bad[] = { "0", "11", "", "-1", "+1", "1 ", "0x5", "abc" };
      g_autoptr(GError) local = NULL;

      g_assert_false (nactl_parse_uint ("--count", bad[i], 1, 10, &value, &local));
      g_assert_error (local, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
  {
    g_autoptr(GError) local = NULL;

    g_assert_false (nactl_parse_uint ("--count", "18446744073709551616", 0, G_MAXUINT64,
                                      &value, &local));
    g_assert_error (local, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  }
}

static void
check_hex (const char *text, const guint8 *expected, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = nactl_parse_hex ("--payload", text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, len);
}

static void
test_hex (void)
{
  static const guint8 abc[] = { 0x01, 0x02, 0xab };
  static const char *const bad[] = {
    "0", "012", "0x", "zz", ":01", "01:", "01::02", "0 1", "01\n", "0x:01", "g0",
  };

  check_hex ("", NULL, 0);
  check_hex ("0102ab", abc, 3);
  check_hex ("0102AB", abc, 3);
  check_hex ("0x0102ab", abc, 3);
  check_hex ("01:02:ab", abc, 3);
  check_hex ("01-02-ab", abc, 3);
  check_hex ("01 02 ab", abc, 3);
  check_hex ("0102.ab", abc, 3);

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = nactl_parse_hex ("--payload", bad[i], &error);

      g_assert_null (bytes);
      g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
    }
}

static void
test_split_list (void)
{
  const char *const args[] = { "custom-ether,filter", " ipv6-ula ", ",,", "a,,b,", NULL };
  g_auto(GStrv) list = nactl_split_list (args);
  const char *const expected[] = { "custom-ether", "filter", "ipv6-ula", "a", "b", NULL };
  g_auto(GStrv) empty = nactl_split_list (NULL);

  g_assert_cmpstrv (list, expected);
  g_assert_cmpuint (g_strv_length (empty), ==, 0);
}

static void
test_frame (void)
{
  static const guint8 dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
  static const guint8 src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
  g_autoptr(GBytes) small = g_bytes_new ("\x01\x02\x03", 3);
  g_autoptr(GBytes) frame = nactl_frame_new (dst, src, 0x88b5, small);
  g_autofree guint8 *big_payload = g_malloc (100);
  g_autoptr(GBytes) big = NULL;
  g_autoptr(GBytes) big_frame = NULL;
  g_autoptr(GBytes) empty_frame = nactl_frame_new (dst, src, 0x88cc, NULL);
  const guint8 *data;
  gsize len;

  data = g_bytes_get_data (frame, &len);
  g_assert_cmpuint (len, ==, 60);
  g_assert_cmpmem (data, 6, dst, 6);
  g_assert_cmpmem (data + 6, 6, src, 6);
  g_assert_cmpuint (data[12], ==, 0x88);
  g_assert_cmpuint (data[13], ==, 0xb5);
  g_assert_cmpmem (data + 14, 3, "\x01\x02\x03", 3);
  for (gsize i = 17; i < len; i++)
    g_assert_cmpuint (data[i], ==, 0);

  data = g_bytes_get_data (empty_frame, &len);
  g_assert_cmpuint (len, ==, 60);
  g_assert_cmpuint (data[12], ==, 0x88);
  g_assert_cmpuint (data[13], ==, 0xcc);

  /* A payload of 46 bytes or more is not padded. */
  for (int i = 0; i < 100; i++)
    big_payload[i] = (guint8) i;
  big = g_bytes_new (big_payload, 100);
  big_frame = nactl_frame_new (dst, src, 0x88b5, big);
  data = g_bytes_get_data (big_frame, &len);
  g_assert_cmpuint (len, ==, 114);
  g_assert_cmpmem (data + 14, 100, big_payload, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/parse/ethertype", test_ethertype);
  g_test_add_func ("/cli/parse/mac", test_mac);
  g_test_add_func ("/cli/parse/uint", test_uint);
  g_test_add_func ("/cli/parse/hex", test_hex);
  g_test_add_func ("/cli/parse/split-list", test_split_list);
  g_test_add_func ("/cli/frame/build", test_frame);
  return g_test_run ();
}
