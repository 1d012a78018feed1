/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test-link"

#include <string.h>

#include "link-test-util.h"

/* Far beyond any netlink latency: reaching it means the event never came. */
#define WAIT_BOUND_SECONDS 30

static gboolean
on_wait_bound (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
link_test_wait (LinkTestCond cond,
                gpointer     data,
                const char  *what)
{
  GMainContext *context = g_main_context_get_thread_default ();
  gboolean expired = FALSE;
  GSource *bound = g_timeout_source_new_seconds (WAIT_BOUND_SECONDS);

  g_source_set_callback (bound, on_wait_bound, &expired, NULL);
  g_source_attach (bound, context);
  while (!cond (data) && !expired)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (bound);
  g_source_unref (bound);

  if (expired)
    {
      g_test_message ("Gave up waiting for %s", what);
      g_assert_not_reached ();
    }
}

static void
record (LinkRecorder     *rec,
        LinkEvKind        kind,
        const NaLinkInfo *info)
{
  LinkEv ev = { .kind = kind, .info = *info };

  g_array_append_val (rec->events, ev);
}

static void
on_added (NaLinkMonitor *monitor,
          gpointer       info,
          gpointer       user_data)
{
  record (user_data, LINK_EV_ADDED, info);
}

static void
on_changed (NaLinkMonitor *monitor,
            gpointer       info,
            gpointer       user_data)
{
  record (user_data, LINK_EV_CHANGED, info);
}

static void
on_removed (NaLinkMonitor *monitor,
            int            ifindex,
            const char    *last_name,
            gpointer       user_data)
{
  NaLinkInfo info = { .ifindex = ifindex };

  g_strlcpy (info.name, last_name, sizeof info.name);
  record (user_data, LINK_EV_REMOVED, &info);
}

LinkRecorder *
link_recorder_new (NaLinkMonitor *monitor)
{
  LinkRecorder *rec = g_new0 (LinkRecorder, 1);

  rec->monitor = g_object_ref (monitor);
  rec->events = g_array_new (FALSE, TRUE, sizeof (LinkEv));
  g_signal_connect (monitor, "link-added", G_CALLBACK (on_added), rec);
  g_signal_connect (monitor, "link-changed", G_CALLBACK (on_changed), rec);
  g_signal_connect (monitor, "link-removed", G_CALLBACK (on_removed), rec);
  return rec;
}

void
link_recorder_free (LinkRecorder *rec)
{
  g_signal_handlers_disconnect_by_data (rec->monitor, rec);
  g_object_unref (rec->monitor);
  g_array_unref (rec->events);
  g_free (rec);
}

void
link_recorder_clear (LinkRecorder *rec)
{
  g_array_set_size (rec->events, 0);
}

typedef struct {
  LinkRecorder *rec;
  LinkEvKind    kind;
  int           ifindex;
  LinkEvMatch   match;
  gpointer      data;
  LinkEv       *out;
} WaitFor;

static gboolean
find_event (gpointer user_data)
{
  WaitFor *w = user_data;

  for (guint i = 0; i < w->rec->events->len; i++)
    {
      const LinkEv *ev = &g_array_index (w->rec->events, LinkEv, i);

      if (ev->kind == w->kind && ev->info.ifindex == w->ifindex
          && (w->match == NULL || w->match (ev, w->data)))
        {
          *w->out = *ev;
          return TRUE;
        }
    }
  return FALSE;
}

void
link_recorder_wait (LinkRecorder *rec,
                    LinkEvKind    kind,
                    int           ifindex,
                    LinkEvMatch   match,
                    gpointer      data,
                    LinkEv       *out)
{
  static const char *const kinds[] = { "link-added", "link-changed", "link-removed" };
  g_autofree char *what = g_strdup_printf ("%s for link %d", kinds[kind], ifindex);
  LinkEv unused;
  WaitFor w = { rec, kind, ifindex, match, data, out ? out : &unused };

  link_test_wait (find_event, &w, what);
}

guint
link_recorder_count (LinkRecorder *rec,
                     LinkEvKind    kind,
                     int           ifindex)
{
  guint n = 0;

  for (guint i = 0; i < rec->events->len; i++)
    {
      const LinkEv *ev = &g_array_index (rec->events, LinkEv, i);

      if (ev->kind == kind && (ifindex == 0 || ev->info.ifindex == ifindex))
        n++;
    }
  return n;
}

char *
link_test_output (const char *fmt,
                  ...)
{
  g_autofree char *cmd = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;
  va_list ap;

  va_start (ap, fmt);
  cmd = g_strdup_vprintf (fmt, ap);
  va_end (ap);

  const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  if (error != NULL)
    g_test_message ("%s: %s", cmd, err);
  g_assert_no_error (error);
  return out;
}

gboolean
link_test_has_ipv6_address (const char *name)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  /* Per network namespace, like everything under /proc/net. */
  g_file_get_contents ("/proc/net/if_inet6", &contents, NULL, &error);
  if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    return FALSE;   /* no IPv6 at all */
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      guint n = g_strv_length (fields);

      if (n > 0 && strcmp (fields[n - 1], name) == 0)
        return TRUE;
    }
  return FALSE;
}
