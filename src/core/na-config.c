/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <netagent/netagent-names.h>

#include "na-config.h"

/*
 * A small INI reader of our own rather than GKeyFile: GKeyFile knows no
 * line numbers once a file is loaded, and an administrator deserves to be
 * told which line is wrong.
 */

#define DAEMON_GROUP "daemon"
#define AGENT_PREFIX "agent "

static void
rule_free (gpointer data)
{
  NaConfigRule *rule = data;

  g_free (rule->name);
  g_strfreev (rule->patterns);
  g_free (rule);
}

NaConfig *
na_config_new (void)
{
  NaConfig *config = g_new0 (NaConfig, 1);

  config->rules = g_ptr_array_new_with_free_func (rule_free);
  return config;
}

void
na_config_free (NaConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->rules);
  g_free (config);
}

typedef struct {
  const char   *filename;
  guint         line;
  GString      *errors;
  NaConfig     *config;
  NaConfigRule *rule;       /* the [agent …] group being read */
  gboolean      in_daemon;  /* in [daemon] */
  gboolean      skipping;   /* in a group already reported as wrong */
} Parser;

static void G_GNUC_PRINTF (2, 3)
problem (Parser *p, const char *fmt, ...)
{
  va_list ap;

  g_string_append_printf (p->errors, "%s:%u: ", p->filename, p->line);
  va_start (ap, fmt);
  g_string_append_vprintf (p->errors, fmt, ap);
  va_end (ap);
  g_string_append_c (p->errors, '\n');
}

static gboolean
parse_uint (const char *value, guint max, guint *out)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (value, 10, 0, max, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

/* "a;b; c" → { "a", "b", "c" }, empty items dropped. */
static char **
split_list (const char *value)
{
  g_auto(GStrv) items = g_strsplit (value, ";", -1);
  GStrvBuilder *builder = g_strv_builder_new ();
  char **out;

  for (char **i = items; *i; i++)
    {
      g_strstrip (*i);
      if (**i)
        g_strv_builder_add (builder, *i);
    }
  out = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return out;
}

static void
set_string (Parser *p, const char *key, const char *value, char *out, gsize size)
{
  if (strlen (value) >= size)
    problem (p, _("%s is too long (at most %zu bytes)"), key, size - 1);
  else
    g_strlcpy (out, value, size);
}

static void
agent_key (Parser *p, const char *key, const char *value)
{
  NaConfigRule *rule = p->rule;

  if (g_str_equal (key, "Interfaces"))
    {
      g_strfreev (rule->patterns);
      rule->patterns = split_list (value);
      for (char **pat = rule->patterns; *pat; pat++)
        if (strlen (*pat) >= 64 || strchr (*pat, '/'))
          problem (p, _("“%s” is not an interface name pattern"), *pat);
    }
  else if (g_str_equal (key, "Features"))
    {
      g_auto(GStrv) names = split_list (value);
      g_autoptr(GError) error = NULL;

      if (!na_features_from_strv ((const char *const *) names, &rule->options.features, &error))
        problem (p, "%s", error->message);
    }
  else if (g_str_equal (key, "FlowMax"))
    {
      if (!parse_uint (value, NETAGENT_FLOW_MAX_LIMIT, &rule->options.flow_max) ||
          rule->options.flow_max == 0)
        problem (p, _("FlowMax must be a number from 1 to %u"), NETAGENT_FLOW_MAX_LIMIT);
    }
  else if (g_str_equal (key, "Domain"))
    set_string (p, key, value, rule->options.domain, sizeof rule->options.domain);
  else if (g_str_equal (key, "Type"))
    set_string (p, key, value, rule->options.type, sizeof rule->options.type);
  else if (g_str_equal (key, "Description"))
    set_string (p, key, value, rule->options.description, sizeof rule->options.description);
  else
    problem (p, _("unknown key “%s” in [%s%s]"), key, AGENT_PREFIX, rule->name);
}

static void
daemon_key (Parser *p, const char *key, const char *value)
{
  if (g_str_equal (key, "UserFlowQuota"))
    {
      if (!parse_uint (value, G_MAXINT32, &p->config->user_flow_quota))
        problem (p, _("UserFlowQuota must be a number (0: no quota)"));
    }
  else
    problem (p, _("unknown key “%s” in [%s]"), key, DAEMON_GROUP);
}

static void
group_line (Parser *p, const char *line)
{
  gsize len = strlen (line);
  g_autofree char *group = NULL;

  p->rule = NULL;
  p->in_daemon = FALSE;
  p->skipping = FALSE;

  if (line[len - 1] != ']')
    {
      problem (p, _("a group header must end with “]”"));
      p->skipping = TRUE;
      return;
    }
  group = g_strndup (line + 1, len - 2);
  if (g_str_equal (group, DAEMON_GROUP))
    p->in_daemon = TRUE;
  else if (g_str_has_prefix (group, AGENT_PREFIX) && group[strlen (AGENT_PREFIX)] != '\0')
    {
      const char *name = group + strlen (AGENT_PREFIX);
      NaRegisterOptions defaults;
      g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));

      for (guint i = 0; i < p->config->rules->len; i++)
        if (g_str_equal (((NaConfigRule *) p->config->rules->pdata[i])->name, name))
          problem (p, _("[%s] appears twice"), group);

      /* The Register method's defaults, from the one place they live. */
      na_register_options_parse (empty, &defaults, NULL);
      p->rule = g_new0 (NaConfigRule, 1);
      p->rule->name = g_strdup (name);
      p->rule->patterns = g_new0 (char *, 1);
      p->rule->options = defaults;
      g_ptr_array_add (p->config->rules, p->rule);
    }
  else
    {
      problem (p, _("unknown group [%s] (expected [daemon] or [agent NAME])"), group);
      p->skipping = TRUE;
    }
}

NaConfig *
na_config_parse (const char  *text,
                 gsize        length,
                 const char  *filename,
                 GError     **error)
{
  g_autoptr(NaConfig) config = na_config_new ();
  g_autofree char *copy = g_strndup (text, length);
  g_auto(GStrv) lines = NULL;
  Parser p = { .filename = filename, .config = config, .errors = g_string_new (NULL) };

  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                   _("%s: not UTF-8 text"), filename);
      g_string_free (p.errors, TRUE);
      return NULL;
    }

  lines = g_strsplit (copy, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char *line = g_strstrip (*l);
      char *eq;

      p.line++;
      if (*line == '\0' || *line == '#' || *line == ';')
        continue;
      if (*line == '[')
        {
          group_line (&p, line);
          continue;
        }
      if (p.skipping)
        continue;

      eq = strchr (line, '=');
      if (eq == NULL)
        {
          problem (&p, _("expected “Key=Value”"));
          continue;
        }
      *eq = '\0';
      g_strstrip (line);
      if (p.in_daemon)
        daemon_key (&p, line, g_strstrip (eq + 1));
      else if (p.rule)
        agent_key (&p, line, g_strstrip (eq + 1));
      else
        problem (&p, _("“%s” is outside any group"), line);
    }

  for (guint i = 0; i < config->rules->len; i++)
    {
      NaConfigRule *rule = config->rules->pdata[i];

      if (rule->patterns[0] == NULL)
        {
          g_string_append_printf (p.errors, _("%s: [%s%s] has no Interfaces"),
                                  filename, AGENT_PREFIX, rule->name);
          g_string_append_c (p.errors, '\n');
        }
    }

  if (p.errors->len > 0)
    {
      g_string_truncate (p.errors, p.errors->len - 1);
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, p.errors->str);
      g_string_free (p.errors, TRUE);
      return NULL;
    }
  g_string_free (p.errors, TRUE);
  return g_steal_pointer (&config);
}

NaConfig *
na_config_load (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) local = NULL;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return na_config_new ();
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return na_config_parse (text, length, path, error);
}

const NaConfigRule *
na_config_match (const NaConfig *config, const char *ifname)
{
  for (guint i = 0; i < config->rules->len; i++)
    {
      const NaConfigRule *rule = config->rules->pdata[i];

      for (char **pat = rule->patterns; *pat; pat++)
        if (g_pattern_match_simple (*pat, ifname))
          return rule;
    }
  return NULL;
}
