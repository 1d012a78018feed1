/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the seed corpus of fuzz-flow-params: a selector byte (see the
 * target) followed by a serialized request — valid ones that reach each
 * rule, invalid ones, Register options, and bytes that are no GVariant.
 * The output is deterministic; regenerate with
 *   make-corpus tests/fuzz/corpus/flow-params
 */
#define G_LOG_DOMAIN "make-corpus"

#include <stdlib.h>

#include <glib.h>

/* Selector bits, as in fuzz-flow-params.c */
#define CE        0x01
#define ULA       0x02
#define FILTER    0x04
#define MAX_1     0x08
#define MAX_2     0x10
#define MAX_LIMIT 0x18
#define OTHER_PID 0x20
#define NEW_UUID  0x40
#define IID_WRAP  0x80

#define UUID "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"

typedef struct {
  const char *name;
  guint8      selector;
  const char *type;      /* "(sa{sv})" or "a{sv}" */
  const char *text;      /* GVariant text; NULL: raw bytes below */
  const char *raw;
  gsize       raw_len;
} Seed;

static const Seed seeds[] = {
  /* FlowInsert: custom-ether */
  { "ce-ok", CE, "(sa{sv})", "('', {'ethertype': <uint16 0x88b5>})" },
  { "ce-tap", CE | FILTER, "(sa{sv})",
    "('" UUID "', {'type': <'custom-ether'>, 'ethertype': <uint16 0x88b6>,"
    " 'channel-type': <'tap'>, 'tap-name': <'natap0'>, 'pid': <uint32 4242>})" },
  { "ce-same-uuid", CE | OTHER_PID, "(sa{sv})", "('" UUID "', {'ethertype': <uint16 0x9000>})" },
  { "ce-forbidden", CE, "(sa{sv})", "('', {'ethertype': <uint16 0x86dd>})" },
  { "ce-boundary", CE, "(sa{sv})", "('', {'ethertype': <uint16 1500>})" },
  { "ce-not-offered", ULA, "(sa{sv})", "('', {'ethertype': <uint16 0x88b5>})" },
  /* FlowInsert: ipv6-ula */
  { "ula-ok", ULA, "(sa{sv})",
    "('', {'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>})" },
  { "ula-dup", ULA | FILTER | NEW_UUID, "(sa{sv})",
    "('" UUID "', {'type': <'ipv6-ula'>, 'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>})" },
  { "ula-other-owner", ULA | OTHER_PID | NEW_UUID, "(sa{sv})",
    "('', {'local-address': <'fd12:3456::1'>, 'remote-address': <'fd12:3456::2'>})" },
  { "ula-global", ULA | MAX_1, "(sa{sv})",
    "('', {'local-address': <'2001:db8::'>, 'remote-address': <'2001:db8::1'>, 'listener': <false>})" },
  { "ula-unspecified", ULA, "(sa{sv})", "('', {'local-address': <'::'>, 'remote-address': <'fd00::2'>})" },
  { "ula-ipv4", ULA, "(sa{sv})", "('', {'local-address': <'fd00::1'>, 'remote-address': <'192.0.2.1'>})" },
  { "ula-missing", ULA, "(sa{sv})", "('', {'local-address': <'fd00::1'>})" },
  { "ula-long-address", ULA, "(sa{sv})",
    "('', {'local-address': <'fd00:0000:0000:0000:0000:0000:0000:0001/fd00:0000:0000:0001'>,"
    " 'remote-address': <'fd00::2'>})" },
  /* regressions: a cut in the middle of a UTF-8 character made an error
   * message that cannot be sent on D-Bus */
  { "regress-address-utf8-cut", ULA, "(sa{sv})",
    "('', {'local-address': <'fd00::1'>,"
    " 'remote-address': <'ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255\u00e9\u00e9'>})" },
  { "regress-uuid-utf8-cut", CE, "(sa{sv})",
    "('a\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
    "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9',"
    " {'ethertype': <uint16 0x88b5>})" },
  { "ula-listener", ULA, "(sa{sv})", "('" UUID "', {'listener': <true>, 'local-address': <'fd00::1234'>})" },
  { "ula-listener-wrap", ULA | IID_WRAP, "(sa{sv})", "('', {'listener': <true>})" },
  /* FlowInsert: filter */
  { "filter-ok", FILTER | MAX_LIMIT, "(sa{sv})", "('', {'type': <'filter'>, 'channel-type': <'socketpair'>})" },
  { "filter-limit", FILTER | MAX_1 | NEW_UUID, "(sa{sv})", "('', {'type': <'filter'>})" },
  /* FlowInsert: malformed */
  { "incompatible", CE | ULA | FILTER, "(sa{sv})", "('', {'ethertype': <uint16 0x88b5>, 'listener': <true>})" },
  { "no-type", CE, "(sa{sv})", "('', @a{sv} {})" },
  { "unknown-key", CE, "(sa{sv})", "('', {'ethertype': <uint16 0x88b5>, 'colour': <'blue'>})" },
  { "wrong-type", CE, "(sa{sv})", "('', {'ethertype': <uint32 35000>})" },
  { "pid-zero", CE, "(sa{sv})", "('', {'ethertype': <uint16 0x88b5>, 'pid': <uint32 0>})" },
  { "uuid-upper", CE, "(sa{sv})", "('0F8B5A4E-1C2D-4E3F-8A9B-0C1D2E3F4A5B', {'ethertype': <uint16 0x88b5>})" },
  { "uuid-nil", CE, "(sa{sv})", "('00000000-0000-0000-0000-000000000000', {'ethertype': <uint16 0x88b5>})" },
  /* Register options */
  { "register-defaults", 0, "a{sv}", "@a{sv} {}" },
  { "register-all", 0, "a{sv}",
    "{'features': <['ipv6-ula', 'filter']>, 'flow-max': <uint32 65533>, 'domain': <'Skywalk'>,"
    " 'type': <'NetIf'>, 'description': <'Userspace Networking'>}" },
  { "register-bad", 0, "a{sv}", "{'features': <['custom-ether', 'ipv6-ula']>, 'flow-max': <uint32 0>}" },
  /* Not a serialized request at all */
  { "garbage", CE | ULA | FILTER, NULL, NULL, "\xff\x00garbage\x01", 10 },
};

static void
write_seed (const char *dir, const Seed *seed)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree char *path = g_build_filename (dir, seed->name, NULL);
  g_autoptr(GError) error = NULL;

  g_byte_array_append (out, &seed->selector, 1);
  if (seed->text)
    {
      g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE (seed->type), seed->text,
                                               NULL, NULL, &error);

      if (v == NULL)
        g_error ("%s: %s", seed->name, error->message);
      g_byte_array_append (out, g_variant_get_data (v), (guint) g_variant_get_size (v));
    }
  else
    g_byte_array_append (out, (const guint8 *) seed->raw, (guint) seed->raw_len);

  if (!g_file_set_contents (path, (const char *) out->data, out->len, &error))
    g_error ("%s", error->message);
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s DIRECTORY\n", argv[0]);
      return EXIT_FAILURE;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    g_error ("cannot create %s", argv[1]);
  for (gsize i = 0; i < G_N_ELEMENTS (seeds); i++)
    write_seed (argv[1], &seeds[i]);
  /* one more: the first half of a valid request */
  {
    g_autoptr(GVariant) v = g_variant_parse (G_VARIANT_TYPE ("(sa{sv})"),
                                             "('', {'local-address': <'fd00::1'>,"
                                             " 'remote-address': <'fd00::2'>})",
                                             NULL, NULL, NULL);
    Seed truncated = { "truncated", ULA, NULL, NULL, g_variant_get_data (v), g_variant_get_size (v) / 2 };

    write_seed (argv[1], &truncated);
  }
  return EXIT_SUCCESS;
}
