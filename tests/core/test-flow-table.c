/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One agent's flow table: uuids, ports, the ethertype and duplicate ULA
 * rules, listeners, limits, removal and purge.
 */
#define G_LOG_DOMAIN "test-flow-table"

#include <arpa/inet.h>
#include <string.h>

#include <netagent/netagent.h>

#include "na-core-test.h"
#include "na-flow-table.h"

#define OWNER     ":1.42"
#define OWNER_PID 4242

#define UUID_A "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
#define UUID_B "1f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
#define UUID_C "2f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
#define UUID_D "3f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b"

#define PAIR_P "{'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>}"

/* Deterministic "random" bytes: 0x11, 0x22, … so the test knows them. */
static void
counting_random (guint8 *buf, gsize len, gpointer user_data)
{
  guint8 *next = user_data;

  for (gsize i = 0; i < len; i++)
    {
      *next += 0x11;
      buf[i] = *next;
    }
}

typedef struct {
  NaUlaGenerator ula;
  guint8         random_state;
} Fixture;

static void
fixture_init (Fixture *f)
{
  f->random_state = 0;
  na_ula_generator_init (&f->ula, counting_random, &f->random_state);
}

static NaFlowEntry *
insert_ok (NaFlowTable *t, Fixture *f, const char *uuid, const char *text,
           guint32 pid, NaFlowInsertResult *res)
{
  g_auto(NaFlowParams) params = { 0 };
  g_autoptr(GError) error = NULL;
  NaFlowInsertResult local_res;
  gboolean ok;

  if (res == NULL)
    res = &local_res;
  na_test_parse_params (text, &params);
  ok = na_flow_table_insert (t, uuid, &params, pid, OWNER, &f->ula, res, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (na_uuid_is_valid (res->flow_uuid));
  return res->entry;
}

static GError *
insert_fails (NaFlowTable *t, Fixture *f, const char *uuid, const char *text,
              guint32 pid, NaError code)
{
  g_auto(NaFlowParams) params = { 0 };
  GError *error = NULL;
  NaFlowInsertResult res;
  guint before = na_flow_table_count (t);

  na_test_parse_params (text, &params);
  g_assert_false (na_flow_table_insert (t, uuid, &params, pid, OWNER, &f->ula, &res, &error));
  na_test_assert_error (error, code);
  /* a refused insert leaves nothing behind */
  g_assert_cmpuint (na_flow_table_count (t), ==, before);
  return error;
}

static char *
ether_text (guint16 ethertype)
{
  return g_strdup_printf ("{'ethertype': <uint16 %u>}", ethertype);
}

static guint64
iid_of (const struct in6_addr *a)
{
  guint64 iid = 0;

  for (int i = 8; i < 16; i++)
    iid = (iid << 8) | a->s6_addr[i];
  return iid;
}

/* ---- uuids ---- */

static void
test_uuid_generated (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;
  NaFlowInsertResult r1, r2;
  NaFlowEntry *e1, *e2;

  fixture_init (&f);
  e1 = insert_ok (t, &f, "", "{'ethertype': <uint16 0x88b5>}", OWNER_PID, &r1);
  e2 = insert_ok (t, &f, NULL, "{'ethertype': <uint16 0x88b6>}", OWNER_PID, &r2);

  g_assert_true (na_uuid_is_valid (e1->uuid));
  g_assert_cmpstr (e1->uuid, ==, r1.flow_uuid);
  g_assert_cmpstr (e2->uuid, ==, r2.flow_uuid);
  g_assert_cmpstr (e1->uuid, !=, e2->uuid);
  g_assert_true (na_flow_table_lookup (t, r1.flow_uuid) == e1);
  g_assert_true (na_flow_table_lookup (t, r2.flow_uuid) == e2);
}

static void
test_uuid_given (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;
  NaFlowInsertResult r;
  NaFlowEntry *e;

  fixture_init (&f);
  e = insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, &r);
  g_assert_cmpstr (r.flow_uuid, ==, UUID_A);
  g_assert_cmpstr (e->uuid, ==, UUID_A);
  g_assert_false (r.reused);
  g_assert_false (r.listener);
  g_assert_cmpuint (e->owner_pid, ==, OWNER_PID);
  g_assert_cmpstr (e->owner, ==, OWNER);
  g_assert_cmpint (e->spec.type, ==, NA_FLOW_TYPE_CUSTOM_ETHER);
  g_assert_cmpuint (e->spec.ethertype, ==, 0x88b5);
  g_assert_null (e->user_data);
}

static void
test_uuid_invalid (void)
{
  static const char *const bad[] = {
    "00000000-0000-0000-0000-000000000000",  /* nil */
    "0F8B5A4E-1C2D-4E3F-8A9B-0C1D2E3F4A5B",  /* upper case */
    "0f8b5a4e-1c2d-4e3f-8a9b-0C1d2e3f4a5b",  /* one upper-case digit */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5",   /* short */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b0", /* long */
    "{0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b}",
    "0f8b5a4e1c2d4e3f8a9b0c1d2e3f4a5b",
    "garbage",
    " ",
    /* long, and not cut in the middle of a character in the message */
    "aéééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé",
  };
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;

  fixture_init (&f);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_error_free (insert_fails (t, &f, bad[i], "{'ethertype': <uint16 0x88b5>}",
                                  OWNER_PID, NA_ERROR_INVALID_ARGUMENT));
    }
  /* the ethertype was not taken by any of them */
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b5));
  insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL);
}

static void
test_uuid_in_use (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER, 126);
  Fixture f;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  fixture_init (&f);
  insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL);
  e1 = insert_fails (t, &f, UUID_A, "{'ethertype': <uint16 0x88b6>}", OWNER_PID,
                     NA_ERROR_ALREADY_EXISTS);
  e2 = insert_fails (t, &f, UUID_A, "{'type': <'filter'>}", OWNER_PID + 1,
                     NA_ERROR_ALREADY_EXISTS);
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b6));
  g_assert_cmpuint (na_flow_table_lookup (t, UUID_A)->spec.ethertype, ==, 0x88b5);
}

/* ---- ports and keys ---- */

static void
test_ports_lowest_free (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;
  NaFlowEntry *e[3];
  NaFlowEntry *again;

  fixture_init (&f);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = ether_text (0x9000 + i);

      e[i] = insert_ok (t, &f, "", text, OWNER_PID, NULL);
      g_assert_cmpuint (e[i]->port, ==, 2 + i);
    }
  g_assert_cmpuint (na_flow_table_count (t), ==, 3);

  na_flow_table_remove (t, e[1]);
  g_assert_cmpuint (na_flow_table_count (t), ==, 2);
  again = insert_ok (t, &f, "", "{'ethertype': <uint16 0x9100>}", OWNER_PID, NULL);
  g_assert_cmpuint (again->port, ==, 3);
  again = insert_ok (t, &f, "", "{'ethertype': <uint16 0x9101>}", OWNER_PID, NULL);
  g_assert_cmpuint (again->port, ==, 5);
}

static void
test_keys (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;
  NaFlowEntry *e1, *e2;

  fixture_init (&f);
  e1 = insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL);
  e2 = insert_ok (t, &f, UUID_B, "{'ethertype': <uint16 0x88b6>}", OWNER_PID, NULL);
  g_assert_true (na_uuid_is_valid (e1->key));
  g_assert_true (na_uuid_is_valid (e2->key));
  g_assert_cmpstr (e1->key, !=, e2->key);
  g_assert_cmpstr (e1->key, !=, e1->uuid);
}

static void
test_limit_reached (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, NETAGENT_DEFAULT_FLOW_MAX);
  Fixture f;
  NaFlowEntry *middle = NULL;
  NaFlowEntry *e;

  fixture_init (&f);
  g_assert_cmpuint (na_flow_table_flow_max (t), ==, 126);
  for (guint i = 0; i < 126; i++)
    {
      g_autofree char *text = ether_text (0x9000 + i);

      e = insert_ok (t, &f, "", text, OWNER_PID, NULL);
      g_assert_cmpuint (e->port, ==, 2 + i);
      if (e->port == 50)
        middle = e;
    }
  g_assert_cmpuint (na_flow_table_count (t), ==, 126);

  g_error_free (insert_fails (t, &f, UUID_A, "{'ethertype': <uint16 0x9900>}",
                              OWNER_PID, NA_ERROR_LIMIT_REACHED));
  /* nothing of the refused flow is kept */
  g_assert_null (na_flow_table_lookup (t, UUID_A));
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x9900));

  g_assert_nonnull (middle);
  na_flow_table_remove (t, middle);
  e = insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x9900>}", OWNER_PID, NULL);
  g_assert_cmpuint (e->port, ==, 50);
  g_assert_cmpuint (na_flow_table_count (t), ==, 126);
}

/* The largest table: ports 2..65534, each exactly once. */
static void
test_limit_max (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_FILTER, NETAGENT_FLOW_MAX_LIMIT);
  g_autofree guint8 *seen = g_new0 (guint8, 65536);
  g_auto(NaFlowParams) params = { 0 };
  Fixture f;
  NaFlowInsertResult res;
  g_autoptr(GError) error = NULL;

  fixture_init (&f);
  na_test_parse_params ("{'type': <'filter'>}", &params);
  for (guint i = 0; i < NETAGENT_FLOW_MAX_LIMIT; i++)
    {
      if (!na_flow_table_insert (t, "", &params, OWNER_PID, OWNER, &f.ula, &res, &error))
        g_error ("insert %u: %s", i, error->message);
      g_assert_cmpuint (res.entry->port, ==, 2 + i);
      g_assert_cmpuint (seen[res.entry->port], ==, 0);
      seen[res.entry->port] = 1;
    }
  g_assert_cmpuint (res.entry->port, ==, 65534);
  g_assert_cmpuint (na_flow_table_count (t), ==, 65533);
  g_assert_false (na_flow_table_insert (t, "", &params, OWNER_PID, OWNER, &f.ula, &res, &error));
  na_test_assert_error (error, NA_ERROR_LIMIT_REACHED);
}

/* ---- custom-ether ---- */

static void
test_ethertype_held (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  Fixture f;
  NaFlowEntry *e;

  fixture_init (&f);
  e = insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL);
  g_assert_true (na_flow_table_lookup_ethertype (t, 0x88b5) == e);
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b6));

  /* by anyone, the same owner included */
  g_error_free (insert_fails (t, &f, UUID_B, "{'ethertype': <uint16 0x88b5>}",
                              OWNER_PID, NA_ERROR_ALREADY_EXISTS));
  g_error_free (insert_fails (t, &f, "", "{'type': <'custom-ether'>, 'ethertype': <uint16 0x88b5>}",
                              OWNER_PID + 1, NA_ERROR_ALREADY_EXISTS));
  g_assert_null (na_flow_table_lookup (t, UUID_B));

  na_flow_table_remove (t, e);
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b5));
  g_assert_null (na_flow_table_lookup (t, UUID_A));
  e = insert_ok (t, &f, UUID_B, "{'ethertype': <uint16 0x88b5>}", OWNER_PID + 1, NULL);
  g_assert_true (na_flow_table_lookup_ethertype (t, 0x88b5) == e);
  g_assert_cmpuint (e->port, ==, 2);
}

/* Validation errors come through the table and are counted there. */
static void
test_counters (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  g_autoptr(NaFlowTable) u = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  const NaAgentCounters *c = na_flow_table_counters (t);
  const NaAgentCounters *d = na_flow_table_counters (u);
  GError *error;

  fixture_init (&f);
  error = insert_fails (t, &f, "", "{'ethertype': <uint16 0x86dd>}", OWNER_PID, NA_ERROR_BAD_ETHERTYPE);
  g_clear_error (&error);
  error = insert_fails (t, &f, "", "{'ethertype': <uint16 1500>}", OWNER_PID, NA_ERROR_BAD_ETHERTYPE);
  g_clear_error (&error);
  g_assert_cmpuint (c->bad_ethertype, ==, 2);
  g_assert_cmpuint (c->bad_ipv6_addr, ==, 0);

  error = insert_fails (u, &f, "", "{'local-address': <'::'>, 'remote-address': <'fd00::2'>}",
                        OWNER_PID, NA_ERROR_BAD_ADDRESS);
  g_clear_error (&error);
  error = insert_fails (u, &f, "", "{'local-address': <'fd00::1'>}", OWNER_PID, NA_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  error = insert_fails (u, &f, "", "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NA_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpuint (d->bad_ipv6_addr, ==, 1);
  g_assert_cmpuint (d->bad_ethertype, ==, 0);
  /* counters are per table */
  g_assert_cmpuint (c->bad_ipv6_addr, ==, 0);
  /* a refused request took no port */
  g_assert_cmpuint (insert_ok (u, &f, "", PAIR_P, OWNER_PID, NULL)->port, ==, 2);
}

/* ---- ipv6-ula ---- */

static void
test_ula_flow (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  NaFlowEntry *e;
  struct in6_addr local, remote;

  fixture_init (&f);
  g_assert_cmpint (inet_pton (AF_INET6, "fd00::1", &local), ==, 1);
  g_assert_cmpint (inet_pton (AF_INET6, "fd00::2", &remote), ==, 1);
  e = insert_ok (t, &f, UUID_A, PAIR_P, OWNER_PID, NULL);
  g_assert_cmpint (e->spec.type, ==, NA_FLOW_TYPE_IPV6_ULA);
  g_assert_cmpmem (&e->spec.local, sizeof local, &local, sizeof local);
  g_assert_cmpmem (&e->spec.remote, sizeof remote, &remote, sizeof remote);
  g_assert_true (na_flow_table_lookup_pair (t, &local, &remote) == e);
  g_assert_null (na_flow_table_lookup_pair (t, &remote, &local));
  /* the generator was not used for a connected flow */
  g_assert_cmpuint (f.ula.next_iid, ==, 1);
}

static void
test_ula_duplicate (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  NaFlowInsertResult first, dup;
  NaFlowEntry *e;
  char port_key[NA_UUID_STRLEN];

  fixture_init (&f);
  e = insert_ok (t, &f, UUID_A, PAIR_P, OWNER_PID, &first);
  g_strlcpy (port_key, e->key, sizeof port_key);

  insert_ok (t, &f, UUID_B, PAIR_P, OWNER_PID, &dup);
  g_assert_true (dup.reused);
  g_assert_false (dup.listener);
  g_assert_true (dup.entry == e);                   /* same flow … */
  g_assert_cmpuint (dup.entry->port, ==, first.entry->port); /* … same port … */
  g_assert_cmpstr (dup.entry->key, ==, port_key);   /* … same key */
  g_assert_cmpstr (dup.flow_uuid, ==, UUID_B);      /* the reply carries the request's uuid */
  g_assert_cmpstr (e->uuid, ==, UUID_A);            /* the flow keeps its own */
  g_assert_null (na_flow_table_lookup (t, UUID_B)); /* the new uuid is not recorded */
  g_assert_true (na_flow_table_lookup (t, UUID_A) == e);
  g_assert_cmpuint (na_flow_table_count (t), ==, 1);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 1);

  /* each duplicate counts once, whatever its uuid */
  insert_ok (t, &f, UUID_C, PAIR_P, OWNER_PID, &dup);
  g_assert_true (dup.reused);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 2);
  insert_ok (t, &f, "", PAIR_P, OWNER_PID, &dup);
  g_assert_true (dup.reused && dup.entry == e);
  g_assert_cmpstr (dup.flow_uuid, !=, UUID_A);
  g_assert_null (na_flow_table_lookup (t, dup.flow_uuid));
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 3);
  /* the seed checks for a duplicate before anything else: retrying with
   * the flow's own uuid is a duplicate too, not a uuid in use */
  insert_ok (t, &f, UUID_A, PAIR_P, OWNER_PID, &dup);
  g_assert_true (dup.reused && dup.entry == e);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 4);
  g_assert_cmpuint (na_flow_table_count (t), ==, 1);

  /* the same text in another spelling is the same pair */
  insert_ok (t, &f, UUID_D, "{'type': <'ipv6-ula'>, 'local-address': <'FD00:0::0:1'>,"
                            " 'remote-address': <'fd00:0:0:0:0:0:0:2'>}", OWNER_PID, &dup);
  g_assert_true (dup.reused && dup.entry == e);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 5);
}

static void
test_ula_other_owner (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  NaFlowEntry *e, *other;
  g_autoptr(GError) error = NULL;

  fixture_init (&f);
  e = insert_ok (t, &f, UUID_A, PAIR_P, OWNER_PID, NULL);
  error = insert_fails (t, &f, UUID_B, PAIR_P, OWNER_PID + 1, NA_ERROR_ALREADY_EXISTS);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 0);
  g_assert_null (na_flow_table_lookup (t, UUID_B));

  /* a different pair is a different flow, also the same pair reversed */
  other = insert_ok (t, &f, UUID_B,
                     "{'local-address': <'fd00::1'>, 'remote-address': <'fd00::3'>}",
                     OWNER_PID + 1, NULL);
  g_assert_true (other != e);
  g_assert_cmpuint (other->port, ==, 3);
  other = insert_ok (t, &f, UUID_C,
                     "{'local-address': <'fd00::2'>, 'remote-address': <'fd00::1'>}",
                     OWNER_PID, NULL);
  g_assert_cmpuint (other->port, ==, 4);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 0);
  g_assert_cmpuint (na_flow_table_count (t), ==, 3);

  /* once the flow is gone the pair is free for anyone */
  na_flow_table_remove (t, e);
  other = insert_ok (t, &f, UUID_D, PAIR_P, OWNER_PID + 1, NULL);
  g_assert_cmpuint (other->port, ==, 2);
  g_assert_false (other == na_flow_table_lookup (t, UUID_A));
}

/* ---- listeners ---- */

static void
test_listener (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  NaFlowInsertResult r;
  struct in6_addr given;
  const guint8 *b;

  fixture_init (&f);
  g_assert_cmpint (inet_pton (AF_INET6, "fd00::1234", &given), ==, 1);
  insert_ok (t, &f, UUID_A, "{'listener': <true>, 'local-address': <'fd00::1234'>,"
                            " 'remote-address': <'fd00::2'>}", OWNER_PID, &r);
  g_assert_true (r.listener);
  g_assert_false (r.reused);
  g_assert_null (r.entry);
  g_assert_cmpstr (r.flow_uuid, ==, UUID_A);

  /* the caller's address is overwritten by a generated ULA */
  b = r.listener_local.s6_addr;
  g_assert_true (memcmp (&r.listener_local, &given, sizeof given) != 0);
  g_assert_cmphex (b[0], ==, 0xfd);
  g_assert_cmphex (b[1], ==, 0x11);   /* the injected random bytes … */
  g_assert_cmphex (b[2], ==, 0x22);
  g_assert_cmphex (b[3], ==, 0x33);
  g_assert_cmphex (b[4], ==, 0x44);
  g_assert_cmphex (b[5], ==, 0x55);   /* … in bytes 1..5 */
  g_assert_cmphex (b[6], ==, 0);      /* subnet 0 */
  g_assert_cmphex (b[7], ==, 0);
  g_assert_cmpuint (iid_of (&r.listener_local), ==, 1);

  /* no port, no record */
  g_assert_cmpuint (na_flow_table_count (t), ==, 0);
  g_assert_null (na_flow_table_lookup (t, UUID_A));
  g_assert_cmpuint (insert_ok (t, &f, UUID_B, PAIR_P, OWNER_PID, NULL)->port, ==, 2);

  /* a listener is never a duplicate */
  insert_ok (t, &f, UUID_C, "{'listener': <true>, 'local-address': <'fd00::1'>,"
                            " 'remote-address': <'fd00::2'>}", OWNER_PID, &r);
  g_assert_true (r.listener);
  g_assert_false (r.reused);
  g_assert_cmpuint (iid_of (&r.listener_local), ==, 2);
  g_assert_cmpuint (na_flow_table_counters (t)->dup_flow, ==, 0);

  /* a uuid in use is refused for a listener too */
  g_error_free (insert_fails (t, &f, UUID_B, "{'listener': <true>}", OWNER_PID,
                              NA_ERROR_ALREADY_EXISTS));
  g_assert_cmpuint (f.ula.next_iid, ==, 3);
}

static void
test_listener_forget (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  g_auto(NaFlowParams) params = { 0 };
  NaFlowInsertResult r;

  fixture_init (&f);
  insert_ok (t, &f, UUID_A, "{'listener': <true>}", OWNER_PID, NULL);
  g_assert_true (na_flow_table_forget_listener (t, UUID_A));
  g_assert_false (na_flow_table_forget_listener (t, UUID_A));
  g_assert_false (na_flow_table_forget_listener (t, UUID_B));

  /* forget_listeners_of forgets one owner's listeners only */
  na_test_parse_params ("{'listener': <true>}", &params);
  g_assert_true (na_flow_table_insert (t, UUID_A, &params, 1, ":1.1", &f.ula, &r, NULL));
  g_assert_true (na_flow_table_insert (t, UUID_B, &params, 2, ":1.2", &f.ula, &r, NULL));
  g_assert_true (na_flow_table_insert (t, UUID_C, &params, 1, ":1.1", &f.ula, &r, NULL));
  na_flow_table_forget_listeners_of (t, ":1.1");
  g_assert_false (na_flow_table_forget_listener (t, UUID_A));
  g_assert_false (na_flow_table_forget_listener (t, UUID_C));
  g_assert_true (na_flow_table_forget_listener (t, UUID_B));
  g_assert_false (na_flow_table_forget_listener (t, UUID_B));

  /* a listener uuid is not a flow: forgetting never touches flows */
  insert_ok (t, &f, UUID_D, PAIR_P, OWNER_PID, NULL);
  g_assert_false (na_flow_table_forget_listener (t, UUID_D));
  g_assert_nonnull (na_flow_table_lookup (t, UUID_D));
  na_flow_table_forget_listeners_of (t, OWNER);
  g_assert_nonnull (na_flow_table_lookup (t, UUID_D));
}

/* The interface id counter is daemon-wide: one generator, many agents. */
static void
test_listener_iid_across_agents (void)
{
  g_autoptr(NaFlowTable) t1 = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  g_autoptr(NaFlowTable) t2 = na_flow_table_new (NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER, 126);
  Fixture f;

  fixture_init (&f);
  for (guint64 i = 1; i <= 6; i++)
    {
      NaFlowInsertResult r;

      insert_ok (i % 2 ? t1 : t2, &f, "", "{'listener': <true>}", OWNER_PID, &r);
      g_assert_cmpuint (iid_of (&r.listener_local), ==, i);
      g_assert_cmphex (r.listener_local.s6_addr[0], ==, 0xfd);
    }
}

static void
test_listener_iid_wrap (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  Fixture f;
  NaFlowInsertResult r;

  fixture_init (&f);
  f.ula.next_iid = G_MAXUINT64;
  insert_ok (t, &f, "", "{'listener': <true>}", OWNER_PID, &r);
  g_assert_cmpuint (iid_of (&r.listener_local), ==, G_MAXUINT64);
  insert_ok (t, &f, "", "{'listener': <true>}", OWNER_PID, &r);
  g_assert_cmpuint (iid_of (&r.listener_local), ==, 1);   /* 0 skipped */
}

/* ---- removal and purge ---- */

static void
test_remove (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER, 126);
  Fixture f;
  NaFlowEntry *ula, *filter;
  struct in6_addr local, remote;

  fixture_init (&f);
  inet_pton (AF_INET6, "fd00::1", &local);
  inet_pton (AF_INET6, "fd00::2", &remote);
  ula = insert_ok (t, &f, UUID_A, PAIR_P, OWNER_PID, NULL);
  filter = insert_ok (t, &f, UUID_B, "{'type': <'filter'>}", OWNER_PID, NULL);
  g_assert_cmpuint (filter->port, ==, 3);

  na_flow_table_remove (t, ula);
  g_assert_null (na_flow_table_lookup (t, UUID_A));
  g_assert_null (na_flow_table_lookup_pair (t, &local, &remote));
  g_assert_true (na_flow_table_lookup (t, UUID_B) == filter);
  g_assert_cmpuint (na_flow_table_count (t), ==, 1);

  na_flow_table_remove (t, filter);
  g_assert_null (na_flow_table_lookup (t, UUID_B));
  g_assert_cmpuint (na_flow_table_count (t), ==, 0);
}

static void
test_entries_order (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER, 126);
  Fixture f;
  NaFlowEntry *e[4];
  GList *list, *l;
  guint i = 0;

  fixture_init (&f);
  e[0] = insert_ok (t, &f, UUID_D, "{'ethertype': <uint16 0x9003>}", OWNER_PID, NULL);
  e[1] = insert_ok (t, &f, UUID_A, "{'type': <'filter'>}", OWNER_PID, NULL);
  e[2] = insert_ok (t, &f, UUID_C, "{'ethertype': <uint16 0x9001>}", OWNER_PID, NULL);
  e[3] = insert_ok (t, &f, UUID_B, "{'type': <'filter'>}", OWNER_PID, NULL);
  na_flow_table_remove (t, e[1]);
  e[1] = insert_ok (t, &f, UUID_A, "{'type': <'filter'>}", OWNER_PID, NULL);

  list = na_flow_table_entries (t);
  g_assert_cmpuint (g_list_length (list), ==, 4);
  /* insertion order (the re-inserted one last), not port order */
  {
    NaFlowEntry *expected[] = { e[0], e[2], e[3], e[1] };

    for (l = list; l; l = l->next, i++)
      g_assert_true (l->data == expected[i]);
  }
  g_list_free (list);
  g_assert_cmpuint (e[1]->port, ==, 3);
}

typedef struct {
  NaFlowTable *table;
  GHashTable  *seen;   /* uuid → count */
} PurgeData;

static void
purge_cb (NaFlowEntry *entry, gpointer user_data)
{
  PurgeData *d = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (d->seen, entry->uuid));

  /* the entry is still readable, but already forgotten by the table */
  g_assert_true (na_uuid_is_valid (entry->uuid));
  g_assert_null (na_flow_table_lookup (d->table, entry->uuid));
  g_hash_table_insert (d->seen, g_strdup (entry->uuid), GUINT_TO_POINTER (n + 1));
}

static void
test_purge (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER, 126);
  g_autoptr(NaFlowTable) u = na_flow_table_new (NA_FEATURE_IPV6_ULA, 126);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  PurgeData d = { t, seen };
  Fixture f;
  struct in6_addr local, remote;
  const char *uuids[] = { UUID_A, UUID_B, UUID_C };

  fixture_init (&f);
  inet_pton (AF_INET6, "fd00::1", &local);
  inet_pton (AF_INET6, "fd00::2", &remote);
  insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL);
  insert_ok (t, &f, UUID_B, "{'ethertype': <uint16 0x88b6>}", OWNER_PID, NULL);
  insert_ok (t, &f, UUID_C, "{'type': <'filter'>}", OWNER_PID, NULL);

  na_flow_table_purge (t, purge_cb, &d);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (uuids); i++)
    {
      g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (seen, uuids[i])), ==, 1);
      g_assert_null (na_flow_table_lookup (t, uuids[i]));
    }
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b5));
  g_assert_null (na_flow_table_lookup_ethertype (t, 0x88b6));
  g_assert_cmpuint (na_flow_table_count (t), ==, 0);
  g_assert_null (na_flow_table_entries (t));

  /* the table is usable again: ports and ethertypes are free */
  g_assert_cmpuint (insert_ok (t, &f, UUID_A, "{'ethertype': <uint16 0x88b5>}", OWNER_PID, NULL)->port, ==, 2);

  /* the pair index is emptied as well, and the listeners are forgotten */
  d.table = u;
  g_hash_table_remove_all (seen);
  insert_ok (u, &f, UUID_A, PAIR_P, OWNER_PID, NULL);
  insert_ok (u, &f, UUID_B, "{'listener': <true>}", OWNER_PID, NULL);
  na_flow_table_purge (u, purge_cb, &d);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 1);
  g_assert_null (na_flow_table_lookup_pair (u, &local, &remote));
  g_assert_null (na_flow_table_lookup (u, UUID_A));
  g_assert_false (na_flow_table_forget_listener (u, UUID_B));
  /* no duplicate of a purged flow */
  {
    NaFlowInsertResult r;

    insert_ok (u, &f, UUID_C, PAIR_P, OWNER_PID, &r);
    g_assert_false (r.reused);
    g_assert_cmpuint (r.entry->port, ==, 2);
  }

  /* a NULL callback is allowed */
  na_flow_table_purge (u, NULL, NULL);
  g_assert_cmpuint (na_flow_table_count (u), ==, 0);
}

static void
test_accessors (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER, 7);
  const NaAgentCounters *c = na_flow_table_counters (t);

  g_assert_cmpint (na_flow_table_offered (t), ==, NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER);
  g_assert_cmpuint (na_flow_table_flow_max (t), ==, 7);
  g_assert_cmpuint (na_flow_table_count (t), ==, 0);
  g_assert_cmpuint (c->bad_ethertype + c->bad_ipv6_addr + c->dup_flow, ==, 0);
  g_assert_null (na_flow_table_entries (t));
}

/* The owner tag is copied, not borrowed. */
static void
test_owner_copied (void)
{
  g_autoptr(NaFlowTable) t = na_flow_table_new (NA_FEATURE_CUSTOM_ETHER, 126);
  g_auto(NaFlowParams) params = { 0 };
  Fixture f;
  NaFlowInsertResult r;
  char owner[] = ":1.99";

  fixture_init (&f);
  na_test_parse_params ("{'ethertype': <uint16 0x88b5>}", &params);
  g_assert_true (na_flow_table_insert (t, UUID_A, &params, 99, owner, &f.ula, &r, NULL));
  owner[1] = 'X';
  g_assert_cmpstr (r.entry->owner, ==, ":1.99");
  g_assert_cmpuint (r.entry->owner_pid, ==, 99);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flow-table/uuid/generated", test_uuid_generated);
  g_test_add_func ("/flow-table/uuid/given", test_uuid_given);
  g_test_add_func ("/flow-table/uuid/invalid", test_uuid_invalid);
  g_test_add_func ("/flow-table/uuid/in-use", test_uuid_in_use);
  g_test_add_func ("/flow-table/ports/lowest-free", test_ports_lowest_free);
  g_test_add_func ("/flow-table/ports/keys", test_keys);
  g_test_add_func ("/flow-table/ports/limit-reached", test_limit_reached);
  g_test_add_func ("/flow-table/ports/limit-max", test_limit_max);
  g_test_add_func ("/flow-table/custom-ether/held", test_ethertype_held);
  g_test_add_func ("/flow-table/counters", test_counters);
  g_test_add_func ("/flow-table/ula/flow", test_ula_flow);
  g_test_add_func ("/flow-table/ula/duplicate", test_ula_duplicate);
  g_test_add_func ("/flow-table/ula/other-owner", test_ula_other_owner);
  g_test_add_func ("/flow-table/listener/generated", test_listener);
  g_test_add_func ("/flow-table/listener/forget", test_listener_forget);
  g_test_add_func ("/flow-table/listener/iid-across-agents", test_listener_iid_across_agents);
  g_test_add_func ("/flow-table/listener/iid-wrap", test_listener_iid_wrap);
  g_test_add_func ("/flow-table/remove", test_remove);
  g_test_add_func ("/flow-table/entries-order", test_entries_order);
  g_test_add_func ("/flow-table/purge", test_purge);
  g_test_add_func ("/flow-table/accessors", test_accessors);
  g_test_add_func ("/flow-table/owner-copied", test_owner_copied);

  return g_test_run ();
}
