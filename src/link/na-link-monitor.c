/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-link"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "na-link-monitor.h"
#include "na-link-monitor-testing.h"
#include "na-rtnl.h"

/*
 * Two netlink sockets: a non-blocking one in RTNLGRP_LINK, read from a
 * GSource, that only ever receives events; and a blocking one for dumps
 * and single-link requests, whose answers must not be mixed with events.
 */

/* Room for the largest link notification the kernel sends (no VF data). */
#define EVENT_BUFFER_SIZE   (64 * 1024)
/* Ask for a large queue so that a burst of link events seldom overruns. */
#define EVENT_SOCKET_RCVBUF (4 * 1024 * 1024)
/* Datagrams read per dispatch, so that a storm cannot starve the loop. */
#define MAX_READS_PER_DISPATCH 64
/* Datagrams discarded after an overrun before the list is read again. */
#define MAX_DRAIN_READS 4096

struct _NaLinkMonitor
{
  GObject       parent_instance;

  GMainContext *context;
  NaNlSock     *event_sk;
  NaNlSock     *sync_sk;
  GSource      *event_source;
  GSource      *retry_source;    /* a failed resync is tried again */
  guint8       *buffer;

  GHashTable   *links;           /* ifindex → NaLinkInfo* (owned) */
  GHashTable   *names;           /* name (owned) → GINT_TO_POINTER (ifindex) */
  guint         n_resyncs;
};

enum {
  SIGNAL_LINK_ADDED,
  SIGNAL_LINK_CHANGED,
  SIGNAL_LINK_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (NaLinkMonitor, na_link_monitor, G_TYPE_OBJECT)

static GHashTable *
links_table_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
}

static void
names_rebuild (NaLinkMonitor *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_remove_all (self->names);
  g_hash_table_iter_init (&iter, self->links);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const NaLinkInfo *info = value;
      g_hash_table_insert (self->names, g_strdup (info->name),
                           GINT_TO_POINTER (info->ifindex));
    }
}

static void
names_forget (NaLinkMonitor    *self,
              const NaLinkInfo *info)
{
  /* Only if the name still points at this link: another one may have
   * taken the name already. */
  if (GPOINTER_TO_INT (g_hash_table_lookup (self->names, info->name)) == info->ifindex)
    g_hash_table_remove (self->names, info->name);
}

/* --- Reading the full list ---------------------------------------------- */

static GHashTable *
load_all (NaLinkMonitor *self,
          GError       **error)
{
  g_autoptr(NaNlCache) cache = NULL;
  g_autoptr(GHashTable) links = links_table_new ();
  struct nl_object *obj;
  int err;

  err = rtnl_link_alloc_cache (self->sync_sk, AF_UNSPEC, &cache);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot read the list of links");
      return NULL;
    }
  for (obj = nl_cache_get_first (cache); obj != NULL; obj = nl_cache_get_next (obj))
    {
      NaLinkInfo info;

      if (na_rtnl_link_to_info ((struct rtnl_link *) obj, &info))
        g_hash_table_replace (links, GINT_TO_POINTER (info.ifindex),
                              g_memdup2 (&info, sizeof info));
    }
  return g_steal_pointer (&links);
}

/* Throw away queued events: the dump that follows supersedes them all. */
static void
drain_events (NaLinkMonitor *self)
{
  int fd = nl_socket_get_fd (self->event_sk);

  for (guint i = 0; i < MAX_DRAIN_READS; i++)
    {
      ssize_t n = recv (fd, self->buffer, EVENT_BUFFER_SIZE, MSG_DONTWAIT | MSG_TRUNC);

      if (n < 0 && errno != EINTR && errno != ENOBUFS)
        break;
    }
}

static int
compare_info_by_index (gconstpointer a,
                       gconstpointer b)
{
  const NaLinkInfo *ia = a;
  const NaLinkInfo *ib = b;

  return (ia->ifindex > ib->ifindex) - (ia->ifindex < ib->ifindex);
}

static gboolean resync (NaLinkMonitor *self,
                        gboolean       emit);

static gboolean
on_retry (gpointer user_data)
{
  NaLinkMonitor *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  resync (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (NaLinkMonitor *self)
{
  if (self->retry_source != NULL || self->event_sk == NULL)
    return;
  self->retry_source = g_timeout_source_new_seconds (1);
  g_source_set_callback (self->retry_source, on_retry, self, NULL);
  g_source_set_static_name (self->retry_source, "[netagentd] link resync retry");
  g_source_attach (self->retry_source, self->context);
}

/*
 * Replace the table with a fresh dump; with @emit, tell listeners what
 * differs (removed first, so that a reused name never looks taken twice).
 */
static gboolean
resync (NaLinkMonitor *self,
        gboolean       emit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) old = NULL;
  g_autoptr(GArray) removed = g_array_new (FALSE, FALSE, sizeof (NaLinkInfo));
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (NaLinkInfo));
  g_autoptr(GArray) added = g_array_new (FALSE, FALSE, sizeof (NaLinkInfo));
  GHashTable *fresh;
  GHashTableIter iter;
  gpointer value;

  drain_events (self);
  fresh = load_all (self, &error);
  if (fresh == NULL)
    {
      g_warning ("Link list out of date, retrying: %s", error->message);
      schedule_retry (self);
      return FALSE;
    }

  old = g_steal_pointer (&self->links);
  self->links = fresh;
  names_rebuild (self);
  self->n_resyncs++;
  if (!emit || old == NULL)
    return TRUE;

  g_hash_table_iter_init (&iter, old);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const NaLinkInfo *was = value;
      const NaLinkInfo *now = g_hash_table_lookup (fresh, GINT_TO_POINTER (was->ifindex));

      if (now == NULL)
        g_array_append_val (removed, *was);
      else if (!na_link_info_equal (was, now))
        g_array_append_val (changed, *now);
    }
  g_hash_table_iter_init (&iter, fresh);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const NaLinkInfo *now = value;

      if (!g_hash_table_contains (old, GINT_TO_POINTER (now->ifindex)))
        g_array_append_val (added, *now);
    }
  g_array_sort (removed, compare_info_by_index);
  g_array_sort (changed, compare_info_by_index);
  g_array_sort (added, compare_info_by_index);

  g_debug ("Link list re-read: %u removed, %u changed, %u added",
           removed->len, changed->len, added->len);

  /* The arrays hold copies: a handler may change the table freely. */
  for (guint i = 0; i < removed->len; i++)
    {
      const NaLinkInfo *info = &g_array_index (removed, NaLinkInfo, i);
      g_signal_emit (self, signals[SIGNAL_LINK_REMOVED], 0, info->ifindex, info->name);
    }
  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[SIGNAL_LINK_CHANGED], 0, &g_array_index (changed, NaLinkInfo, i));
  for (guint i = 0; i < added->len; i++)
    g_signal_emit (self, signals[SIGNAL_LINK_ADDED], 0, &g_array_index (added, NaLinkInfo, i));
  return TRUE;
}

/* --- Events ------------------------------------------------------------- */

static void
parse_link_cb (struct nl_object *obj,
               void             *user_data)
{
  NaLinkInfo *out = user_data;

  if (!na_rtnl_link_to_info ((struct rtnl_link *) obj, out))
    out->ifindex = 0;
}

static void
handle_new_link (NaLinkMonitor   *self,
                 struct nlmsghdr *hdr)
{
  g_autoptr(NaNlMsg) msg = nlmsg_convert (hdr);
  NaLinkInfo info = { 0 };
  NaLinkInfo *known;

  if (msg == NULL)
    return;
  nlmsg_set_proto (msg, NETLINK_ROUTE);
  if (nl_msg_parse (msg, parse_link_cb, &info) < 0 || info.ifindex <= 0)
    return;

  known = g_hash_table_lookup (self->links, GINT_TO_POINTER (info.ifindex));
  if (known == NULL)
    {
      g_hash_table_replace (self->links, GINT_TO_POINTER (info.ifindex),
                            g_memdup2 (&info, sizeof info));
      g_hash_table_insert (self->names, g_strdup (info.name),
                           GINT_TO_POINTER (info.ifindex));
      g_signal_emit (self, signals[SIGNAL_LINK_ADDED], 0, &info);
      return;
    }

  /* The kernel repeats RTM_NEWLINK for changes we do not track
   * (features, statistics, alias, …): those are not news. */
  if (na_link_info_equal (known, &info))
    return;

  if (strcmp (known->name, info.name) != 0)
    {
      names_forget (self, known);
      g_hash_table_insert (self->names, g_strdup (info.name),
                           GINT_TO_POINTER (info.ifindex));
    }
  *known = info;
  g_signal_emit (self, signals[SIGNAL_LINK_CHANGED], 0, &info);
}

static void
handle_del_link (NaLinkMonitor *self,
                 int            ifindex)
{
  NaLinkInfo *known = g_hash_table_lookup (self->links, GINT_TO_POINTER (ifindex));
  NaLinkInfo gone;

  if (known == NULL)
    return;
  gone = *known;
  names_forget (self, known);
  g_hash_table_remove (self->links, GINT_TO_POINTER (ifindex));
  g_signal_emit (self, signals[SIGNAL_LINK_REMOVED], 0, gone.ifindex, gone.name);
}

static void
handle_datagram (NaLinkMonitor *self,
                 guint8        *data,
                 int            len)
{
  struct nlmsghdr *hdr = (struct nlmsghdr *) data;
  int remaining = len;

  for (; nlmsg_ok (hdr, remaining); hdr = nlmsg_next (hdr, &remaining))
    {
      const struct ifinfomsg *ifi;

      if (hdr->nlmsg_type != RTM_NEWLINK && hdr->nlmsg_type != RTM_DELLINK)
        continue;
      if (hdr->nlmsg_len < NLMSG_LENGTH (sizeof *ifi))
        continue;
      ifi = NLMSG_DATA (hdr);
      /* AF_BRIDGE (and other families) report port state on the same
       * group; an AF_BRIDGE RTM_DELLINK only means "left the bridge". */
      if (ifi->ifi_family != AF_UNSPEC)
        continue;

      if (hdr->nlmsg_type == RTM_NEWLINK)
        handle_new_link (self, hdr);
      else
        handle_del_link (self, ifi->ifi_index);

      if (self->event_sk == NULL)   /* disposed by a signal handler */
        return;
    }
}

static gboolean
on_events (int          fd,
           GIOCondition condition,
           gpointer     user_data)
{
  g_autoptr(NaLinkMonitor) self = g_object_ref (user_data);

  for (guint i = 0; i < MAX_READS_PER_DISPATCH && self->event_sk != NULL; i++)
    {
      struct sockaddr_nl from = { 0 };
      struct iovec iov = { self->buffer, EVENT_BUFFER_SIZE };
      struct msghdr mh = {
        .msg_name = &from,
        .msg_namelen = sizeof from,
        .msg_iov = &iov,
        .msg_iovlen = 1,
      };
      ssize_t n = recvmsg (fd, &mh, MSG_DONTWAIT);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN)
            break;
          if (errno == ENOBUFS)
            {
              g_debug ("Link events overran the socket queue, re-reading the list");
              resync (self, TRUE);
            }
          else
            {
              g_warning ("Reading link events: %s", g_strerror (errno));
            }
          break;
        }
      if (mh.msg_flags & MSG_TRUNC)
        {
          /* An event we could not read whole is as good as lost. */
          resync (self, TRUE);
          break;
        }
      /* Only the kernel speaks on this group. */
      if (from.nl_pid != 0)
        continue;
      handle_datagram (self, self->buffer, (int) n);
    }
  return G_SOURCE_CONTINUE;
}

static NaNlSock *
event_socket_new (GError **error)
{
  g_autoptr(NaNlSock) sk = NULL;
  int fd;
  int size = EVENT_SOCKET_RCVBUF;
  int err;

  sk = na_rtnl_socket_new (error);
  if (sk == NULL)
    return NULL;
  /* Events carry the kernel's sequence numbers, not ours. */
  nl_socket_disable_seq_check (sk);
  err = nl_socket_add_membership (sk, RTNLGRP_LINK);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot subscribe to link events");
      return NULL;
    }
  err = nl_socket_set_nonblocking (sk);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot make the link event socket non-blocking");
      return NULL;
    }
  fd = nl_socket_get_fd (sk);
  /* Past rmem_max only with CAP_NET_ADMIN; a smaller queue still works,
   * an overrun is then just more likely. */
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  return g_steal_pointer (&sk);
}

static gboolean
event_pending (NaLinkMonitor *self)
{
  struct pollfd pfd = { .fd = nl_socket_get_fd (self->event_sk), .events = POLLIN };

  return poll (&pfd, 1, 0) > 0;
}

/* --- Public API ---------------------------------------------------------- */

NaLinkMonitor *
na_link_monitor_new (GError **error)
{
  g_autoptr(NaLinkMonitor) self = g_object_new (NA_TYPE_LINK_MONITOR, NULL);
  GHashTable *links;

  self->context = g_main_context_ref_thread_default ();
  self->sync_sk = na_rtnl_socket_new (error);
  if (self->sync_sk == NULL)
    return NULL;
  /* Subscribe before the first dump, so no change falls between them. */
  self->event_sk = event_socket_new (error);
  if (self->event_sk == NULL)
    return NULL;

  links = load_all (self, error);
  if (links == NULL)
    return NULL;
  g_hash_table_unref (self->links);
  self->links = links;
  names_rebuild (self);

  self->event_source = g_unix_fd_source_new (nl_socket_get_fd (self->event_sk),
                                             G_IO_IN | G_IO_ERR);
  g_source_set_callback (self->event_source, G_SOURCE_FUNC (on_events), self, NULL);
  g_source_set_static_name (self->event_source, "[netagentd] link events");
  g_source_attach (self->event_source, self->context);

  return g_steal_pointer (&self);
}

static gboolean
ask_kernel (NaLinkMonitor *self,
            int            ifindex,
            const char    *name,
            NaLinkInfo    *out)
{
  g_autoptr(NaRtnlLink) link = NULL;
  NaLinkInfo info;
  int err;

  err = rtnl_link_get_kernel (self->sync_sk, ifindex, name, &link);
  if (err < 0)
    {
      if (err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
        g_debug ("Looking up link %s/%d: %s", name ? name : "", ifindex, nl_geterror (err));
      return FALSE;
    }
  if (!na_rtnl_link_to_info (link, &info))
    return FALSE;
  /* The kernel also resolves alternative names; the table knows only
   * primary names, and both paths must give the same answer. */
  if (name != NULL && strcmp (info.name, name) != 0)
    return FALSE;
  *out = info;
  return TRUE;
}

gboolean
na_link_monitor_lookup_name (NaLinkMonitor *self,
                             const char    *name,
                             NaLinkInfo    *out)
{
  gpointer value;

  g_return_val_if_fail (NA_IS_LINK_MONITOR (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  /* libnl would truncate a long name and could match another link. */
  if (name[0] == '\0' || strlen (name) >= sizeof out->name)
    return FALSE;
  if (self->event_sk == NULL)   /* disposed */
    return FALSE;

  if (!event_pending (self)
      && g_hash_table_lookup_extended (self->names, name, NULL, &value))
    {
      const NaLinkInfo *info = g_hash_table_lookup (self->links, value);
      if (info != NULL)
        {
          *out = *info;
          return TRUE;
        }
    }
  return ask_kernel (self, 0, name, out);
}

gboolean
na_link_monitor_lookup_index (NaLinkMonitor *self,
                              int            ifindex,
                              NaLinkInfo    *out)
{
  const NaLinkInfo *info;

  g_return_val_if_fail (NA_IS_LINK_MONITOR (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (ifindex <= 0 || self->event_sk == NULL)
    return FALSE;
  if (!event_pending (self))
    {
      info = g_hash_table_lookup (self->links, GINT_TO_POINTER (ifindex));
      if (info != NULL)
        {
          *out = *info;
          return TRUE;
        }
    }
  return ask_kernel (self, ifindex, NULL, out);
}

GArray *
na_link_monitor_list (NaLinkMonitor *self)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (NaLinkInfo));
  g_autoptr(GList) values = NULL;

  g_return_val_if_fail (NA_IS_LINK_MONITOR (self), list);

  /* From the table as it is: a caller that wants what is pending too
   * runs the main loop first. */
  values = g_hash_table_get_values (self->links);
  values = g_list_sort (values, compare_info_by_index);
  for (GList *l = values; l != NULL; l = l->next)
    g_array_append_vals (list, l->data, 1);
  return list;
}

gboolean
na_link_monitor_set_event_buffer_for_testing (NaLinkMonitor *self,
                                              int            bytes,
                                              GError       **error)
{
  int fd;

  g_return_val_if_fail (NA_IS_LINK_MONITOR (self), FALSE);

  fd = nl_socket_get_fd (self->event_sk);
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "setsockopt(SO_RCVBUF): %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

guint
na_link_monitor_get_n_resyncs_for_testing (NaLinkMonitor *self)
{
  g_return_val_if_fail (NA_IS_LINK_MONITOR (self), 0);

  return self->n_resyncs;
}

/* --- GObject ------------------------------------------------------------- */

static void
na_link_monitor_dispose (GObject *object)
{
  NaLinkMonitor *self = NA_LINK_MONITOR (object);

  if (self->event_source != NULL)
    {
      g_source_destroy (self->event_source);
      g_clear_pointer (&self->event_source, g_source_unref);
    }
  if (self->retry_source != NULL)
    {
      g_source_destroy (self->retry_source);
      g_clear_pointer (&self->retry_source, g_source_unref);
    }
  g_clear_pointer (&self->event_sk, nl_socket_free);
  g_clear_pointer (&self->sync_sk, nl_socket_free);

  G_OBJECT_CLASS (na_link_monitor_parent_class)->dispose (object);
}

static void
na_link_monitor_finalize (GObject *object)
{
  NaLinkMonitor *self = NA_LINK_MONITOR (object);

  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (na_link_monitor_parent_class)->finalize (object);
}

static void
na_link_monitor_class_init (NaLinkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = na_link_monitor_dispose;
  object_class->finalize = na_link_monitor_finalize;

  signals[SIGNAL_LINK_ADDED] =
    g_signal_new ("link-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_LINK_CHANGED] =
    g_signal_new ("link-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_LINK_REMOVED] =
    g_signal_new ("link-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
na_link_monitor_init (NaLinkMonitor *self)
{
  self->links = links_table_new ();
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->buffer = g_malloc (EVENT_BUFFER_SIZE);
}
