/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: what a FlowInsert or Register caller controls, from
 * the serialized bytes up to the flow table.
 *
 * Input: one selector byte, then a serialized GVariant.  The bytes are
 * read as "(sa{sv})" — FlowInsert's (flow_uuid, parameters) — parsed,
 * validated and inserted (three times, to reach the duplicate, in-use and
 * limit paths) into a fresh table; the same bytes are read as "a{sv}" for
 * Register's options, and so is the request's dictionary.
 *
 * Selector bits:
 *   0-2  features the table offers (NaFeatures bits: all 8 combinations)
 *   3-4  flow-max: 126, 1, 2, 65533
 *   5    the second insert comes from another owner pid
 *   6    the second insert asks for a generated uuid instead of the same one
 *   7    the listener interface id counter starts just before its wrap
 *
 * Beyond what the sanitizers catch, every result is checked against the
 * contract (ports in range, forbidden ethertypes never admitted, error
 * messages valid UTF-8, …); a violation aborts.
 *
 * Most byte-level mutations break a GVariant's framing offsets, so the
 * custom mutator below also works on the structure: it deserializes the
 * request, changes one part (uuid, a key, a value) with libFuzzer's own
 * mutators or adds or drops an entry, and serializes it again.
 */
#define G_LOG_DOMAIN "fuzz-flow-params"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include <netagent/netagent.h>

#include "na-error.h"
#include "na-flow-params.h"
#include "na-flow-table.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
size_t LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed);
/* libFuzzer's built-in mutators (dictionary included) */
size_t LLVMFuzzerMutate (uint8_t *data, size_t size, size_t max_size);

static const guint flow_maxes[] = { NETAGENT_DEFAULT_FLOW_MAX, 1, 2, NETAGENT_FLOW_MAX_LIMIT };

#define OWNER     ":1.1"
#define OWNER_PID 100

#define check(cond)                                                     \
  G_STMT_START {                                                        \
    if (G_UNLIKELY (!(cond)))                                           \
      {                                                                 \
        g_printerr ("%s:%d: contract violated: %s\n", __FILE__, __LINE__, #cond); \
        abort ();                                                       \
      }                                                                 \
  } G_STMT_END

/* Deterministic "random" bytes for the listener addresses. */
static void
counter_random (guint8 *buf, gsize len, gpointer user_data)
{
  guint8 *state = user_data;

  for (gsize i = 0; i < len; i++)
    buf[i] = (*state)++;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* A critical (a g_return_if_fail, a GLib API misuse) is a finding. */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* Register the error domain once, as the daemon does at start. */
  (void) NA_ERROR;
  return 0;
}

/* Each error is one of ours and can be sent as a D-Bus error message. */
static void
check_error (GError *error)
{
  check (error != NULL);
  check (error->domain == NA_ERROR);
  check (error->code >= 0 && error->code < NA_ERROR_N_CODES);
  check (g_utf8_validate (error->message, -1, NULL));
}

static gboolean
is_unspecified (const struct in6_addr *a)
{
  static const struct in6_addr any = IN6ADDR_ANY_INIT;

  return memcmp (a, &any, sizeof any) == 0;
}

static void
check_spec (const NaFlowSpec *spec, NaFeatures offered)
{
  check (na_flow_type_feature (spec->type) & offered);
  switch (spec->type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      check (na_ethertype_is_allowed (spec->ethertype));
      check (spec->ethertype > 1500);
      break;
    case NA_FLOW_TYPE_IPV6_ULA:
      if (!spec->listener)
        check (!is_unspecified (&spec->local) && !is_unspecified (&spec->remote));
      break;
    case NA_FLOW_TYPE_FILTER:
      break;
    case NA_FLOW_TYPE_NONE:
    default:
      check (FALSE);
    }
}

static void
check_register (GVariant *dict)
{
  NaRegisterOptions o;
  g_autoptr(GError) error = NULL;

  if (!na_register_options_parse (dict, &o, &error))
    {
      check_error (error);
      return;
    }
  check (o.features != NA_FEATURE_NONE);
  check ((o.features & ~(NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER)) == 0);
  check (!((o.features & NA_FEATURE_CUSTOM_ETHER) && (o.features & NA_FEATURE_IPV6_ULA)));
  check (o.flow_max >= 1 && o.flow_max <= NETAGENT_FLOW_MAX_LIMIT);
  check (strlen (o.domain) < NETAGENT_DOMAIN_SIZE);
  check (strlen (o.type) < NETAGENT_TYPE_SIZE);
  check (strlen (o.description) < NETAGENT_DESCRIPTION_SIZE);
}

static void
check_insert (NaFlowTable              *table,
              const NaFlowInsertResult *res,
              const char               *request_uuid,
              NaFeatures                offered,
              guint                     flow_max)
{
  NaFlowEntry *e = res->entry;

  check (na_uuid_is_valid (res->flow_uuid));
  if (request_uuid[0] != '\0')
    check (strcmp (res->flow_uuid, request_uuid) == 0);

  if (res->listener)
    {
      const guint8 *b = res->listener_local.s6_addr;

      check (e == NULL && !res->reused);
      check (b[0] == 0xfd && b[6] == 0 && b[7] == 0);
      /* the interface id is never 0 */
      check (memcmp (&b[8], "\0\0\0\0\0\0\0\0", 8) != 0);
      check (na_flow_table_lookup (table, res->flow_uuid) == NULL);
      return;
    }

  check (e != NULL);
  check (e->port >= NETAGENT_FIRST_PORT && e->port < NETAGENT_FIRST_PORT + flow_max);
  check (na_uuid_is_valid (e->uuid) && na_uuid_is_valid (e->key));
  check (na_flow_table_lookup (table, e->uuid) == e);
  check (na_flow_table_count (table) <= flow_max);
  check_spec (&e->spec, offered);

  if (res->reused)
    {
      check (e->spec.type == NA_FLOW_TYPE_IPV6_ULA && !e->spec.listener);
      /* the request's uuid is not recorded for a duplicate */
      if (strcmp (res->flow_uuid, e->uuid) != 0)
        check (na_flow_table_lookup (table, res->flow_uuid) != e);
    }
  else
    check (strcmp (e->uuid, res->flow_uuid) == 0);

  if (e->spec.type == NA_FLOW_TYPE_CUSTOM_ETHER)
    check (na_flow_table_lookup_ethertype (table, e->spec.ethertype) == e);
  else if (e->spec.type == NA_FLOW_TYPE_IPV6_ULA)
    check (na_flow_table_lookup_pair (table, &e->spec.local, &e->spec.remote) == e);
}

static void
count_purged (NaFlowEntry *entry, gpointer user_data)
{
  guint *n = user_data;

  check (na_uuid_is_valid (entry->uuid));
  (*n)++;
}

static void
run_flow_insert (GVariant *request, guint8 selector)
{
  NaFeatures offered = selector & 0x7;
  guint flow_max = flow_maxes[(selector >> 3) & 0x3];
  g_autoptr(NaFlowTable) table = NULL;
  g_autoptr(GVariant) dict = NULL;
  g_auto(NaFlowParams) params = { 0 };
  g_autoptr(GError) error = NULL;
  NaUlaGenerator ula;
  guint8 random_state = selector;
  const char *uuid;
  NaFlowType type;
  NaFlowSpec spec;
  NaAgentCounters counters = { 0 };
  GList *entries;
  guint n_before, n_purged = 0;

  g_variant_get (request, "(&s@a{sv})", &uuid, &dict);
  check_register (dict);

  if (!na_flow_params_parse (dict, &params, &error))
    {
      check_error (error);
      check (error->code == NA_ERROR_INVALID_ARGUMENT);
      check (params.local_address == NULL && params.remote_address == NULL);
      return;
    }

  /* The type alone, then the whole validation, as the service does */
  if (na_flow_params_infer_type (&params, &type, &error))
    check (type != NA_FLOW_TYPE_NONE);
  else
    {
      check_error (error);
      g_clear_error (&error);
    }
  if (na_flow_params_validate (&params, offered, &spec, &counters, &error))
    check_spec (&spec, offered);
  else
    {
      check_error (error);
      check ((error->code == NA_ERROR_BAD_ETHERTYPE) == (counters.bad_ethertype == 1));
      check ((error->code == NA_ERROR_BAD_ADDRESS) == (counters.bad_ipv6_addr == 1));
      g_clear_error (&error);
    }
  check (counters.bad_ethertype + counters.bad_ipv6_addr <= 1);

  table = na_flow_table_new (offered, flow_max);
  na_ula_generator_init (&ula, counter_random, &random_state);
  if (selector & 0x80)
    ula.next_iid = G_MAXUINT64 - 1;

  for (int round = 0; round < 3; round++)
    {
      const char *request_uuid = uuid;
      guint32 pid = OWNER_PID;
      NaFlowInsertResult res;
      NaAgentCounters before = *na_flow_table_counters (table);
      const NaAgentCounters *after;

      if (round == 1 && (selector & 0x20))
        pid = OWNER_PID + 1;
      if ((round == 1 && (selector & 0x40)) || round == 2)
        request_uuid = "";

      if (na_flow_table_insert (table, request_uuid, &params, pid, OWNER, &ula, &res, &error))
        check_insert (table, &res, request_uuid, offered, flow_max);
      else
        {
          check_error (error);
          g_clear_error (&error);
        }
      /* at most one counter moves, by one, per request */
      after = na_flow_table_counters (table);
      check (after->bad_ethertype - before.bad_ethertype +
             after->bad_ipv6_addr - before.bad_ipv6_addr +
             after->dup_flow - before.dup_flow <= 1);
    }

  if (uuid[0] != '\0')
    (void) na_flow_table_forget_listener (table, uuid);
  na_flow_table_forget_listeners_of (table, OWNER);

  entries = na_flow_table_entries (table);
  check (g_list_length (entries) == na_flow_table_count (table));
  if (entries)
    {
      na_flow_table_remove (table, entries->data);
      check (na_flow_table_count (table) == g_list_length (entries) - 1);
    }
  g_list_free (entries);

  n_before = na_flow_table_count (table);
  na_flow_table_purge (table, count_purged, &n_purged);
  check (n_purged == n_before);
  check (na_flow_table_count (table) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GVariant) options = NULL;
  guint8 selector;
  gpointer copy;

  if (size < 1)
    return 0;
  selector = data[0];
  data++;
  size--;

  /* An aligned copy for each reading, owned by its GVariant */
  copy = g_memdup2 (data, size);
  request = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE ("(sa{sv})"),
                                                         copy, size, FALSE, g_free, copy));
  run_flow_insert (request, selector);

  copy = g_memdup2 (data, size);
  options = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE_VARDICT,
                                                         copy, size, FALSE, g_free, copy));
  check_register (options);
  return 0;
}

/* ---- structure-aware mutation ---- */

static const char *const known_keys[] = {
  "type", "ethertype", "local-address", "remote-address", "listener",
  "channel-type", "tap-name", "pid", "features", "flow-max", "domain",
  "description",
};

/* A string run through libFuzzer's mutators (the dictionary's UTF-8
 * sequences included), made a valid GVariant string again: no NUL, valid
 * UTF-8.  Returns a new reference. */
static GVariant *
mutate_string (const char *str)
{
  gsize len = strlen (str);
  gsize cap = MAX (2 * len, 64);
  g_autofree guint8 *buf = g_malloc (cap);
  g_autoptr(GString) clean = NULL;
  gsize n;

  memcpy (buf, str, len);
  n = LLVMFuzzerMutate (buf, len, cap);
  clean = g_string_sized_new (n);
  for (gsize i = 0; i < n; i++)
    if (buf[i] != '\0')
      g_string_append_c (clean, (char) buf[i]);
  return g_variant_ref_sink (g_variant_new_take_string (g_utf8_make_valid (clean->str,
                                                                           (gssize) clean->len)));
}

/* A value of some type, right or wrong for any key.  A new reference. */
static GVariant *
fresh_value (unsigned int seed)
{
  static const char *const features[] = { "custom-ether", "ipv6-ula", "filter" };
  GVariant *v;

  switch ((seed >> 8) % 6)
    {
    case 0:
      v = g_variant_new_uint16 ((guint16) (seed >> 12));
      break;
    case 1:
      v = g_variant_new_uint32 (seed >> 12);
      break;
    case 2:
      v = g_variant_new_boolean ((seed >> 12) & 1);
      break;
    case 3:
      v = g_variant_new_string (features[(seed >> 12) % G_N_ELEMENTS (features)]);
      break;
    case 4:
      v = g_variant_new_strv (features, (seed >> 12) % (G_N_ELEMENTS (features) + 1));
      break;
    default:
      v = g_variant_new_string ("fd00::1");
      break;
    }
  return g_variant_ref_sink (v);
}

/* A new reference to a changed value. */
static GVariant *
mutate_value (GVariant *value, unsigned int seed)
{
  g_autoptr(GVariant) mutated = NULL;
  gsize size, cap, n;
  guint8 *buf;

  if (seed % 4 == 0)
    return fresh_value (seed);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return mutate_string (g_variant_get_string (value, NULL));

  /* Its serialized bytes, mutated and read back as the same type */
  size = g_variant_get_size (value);
  cap = 2 * size + 16;
  buf = g_malloc0 (cap);
  g_variant_store (value, buf);
  n = LLVMFuzzerMutate (buf, size, cap);
  mutated = g_variant_ref_sink (g_variant_new_from_data (g_variant_get_type (value),
                                                         buf, n, FALSE, g_free, buf));
  return g_variant_get_normal_form (mutated);
}

/* A floating (s, a{sv}) with one part changed. */
static GVariant *
mutate_request (GVariant *request, unsigned int seed)
{
  g_autoptr(GVariant) uuid = NULL;
  g_autoptr(GVariant) dict = NULL;
  GVariantBuilder builder;
  gsize n_entries, pick;
  guint what = seed % 6;

  seed /= 6;
  g_variant_get (request, "(@s@a{sv})", &uuid, &dict);
  if (what == 0)
    {
      GVariant *old = g_steal_pointer (&uuid);

      uuid = mutate_string (g_variant_get_string (old, NULL));
      g_variant_unref (old);
    }

  n_entries = g_variant_n_children (dict);
  pick = n_entries ? seed % n_entries : 0;
  seed /= 16;
  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (gsize i = 0; i < n_entries; i++)
    {
      g_autoptr(GVariant) key = NULL;
      g_autoptr(GVariant) value = NULL;
      g_autoptr(GVariant) changed = NULL;

      g_variant_get_child (dict, i, "{@sv}", &key, &value);
      if (i == pick && what == 1)
        {
          changed = mutate_string (g_variant_get_string (key, NULL));
          g_variant_builder_add (&builder, "{@sv}", changed, value);
        }
      else if (i == pick && (what == 2 || what == 3))
        {
          changed = mutate_value (value, seed);
          g_variant_builder_add (&builder, "{@sv}", key, changed);
        }
      else if (!(i == pick && what == 4))   /* 4: the entry is dropped */
        g_variant_builder_add (&builder, "{@sv}", key, value);
    }
  if (what == 5 || n_entries == 0)
    {
      g_autoptr(GVariant) value = fresh_value (seed);

      g_variant_builder_add (&builder, "{sv}",
                             known_keys[seed % G_N_ELEMENTS (known_keys)], value);
    }
  return g_variant_new ("(@s@a{sv})", uuid, g_variant_builder_end (&builder));
}

size_t
LLVMFuzzerCustomMutator (uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
  g_autoptr(GVariant) parsed = NULL;
  g_autoptr(GVariant) request = NULL;
  g_autoptr(GVariant) mutated = NULL;
  gpointer copy;
  gsize out_size;

  /* Half the time bytes, framing and selector included, as usual */
  if (size < 1 || seed % 2 == 0)
    return LLVMFuzzerMutate (data, size, max_size);

  copy = g_memdup2 (data + 1, size - 1);
  parsed = g_variant_ref_sink (g_variant_new_from_data (G_VARIANT_TYPE ("(sa{sv})"),
                                                        copy, size - 1, FALSE, g_free, copy));
  request = g_variant_get_normal_form (parsed);
  mutated = g_variant_ref_sink (mutate_request (request, seed / 2));

  out_size = 1 + g_variant_get_size (mutated);
  if (out_size > max_size)
    return LLVMFuzzerMutate (data, size, max_size);
  /* not g_variant_store(): GLib wants an aligned destination */
  memcpy (data + 1, g_variant_get_data (mutated), out_size - 1);
  return out_size;
}
