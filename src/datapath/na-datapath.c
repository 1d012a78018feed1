/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

/*
 * The data path's thread and its narrow interface to the control plane.
 *
 * One thread runs an epoll loop over every agent's ring and every flow's
 * channel.  It alone owns the tables, sockets and buffers; the control
 * thread changes them by queueing a command and waiting until the data
 * path thread has run it between two batches of frames.  So the per-frame
 * path takes no lock, and a function of na-datapath.h returns only once
 * its change is in effect.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "na-dp-bpf.h"
#include "na-dp-private.h"

typedef void (*NaDpCommandFunc) (NaDatapath *dp, gpointer data);

struct _NaDpCommand {
  NaDpCommandFunc func;
  gpointer        data;
  gboolean        done;
};

/* ---- commands ---- */

static void
dp_call (NaDatapath *dp, NaDpCommandFunc func, gpointer data)
{
  NaDpCommand cmd = { func, data, FALSE };
  guint64 one = 1;

  if (g_thread_self () == dp->thread)
    {
      func (dp, data);
      return;
    }

  g_mutex_lock (&dp->cmd_lock);
  g_queue_push_tail (&dp->commands, &cmd);
  g_mutex_unlock (&dp->cmd_lock);
  while (write (dp->evfd, &one, sizeof one) < 0 && errno == EINTR)
    ;
  g_mutex_lock (&dp->cmd_lock);
  while (!cmd.done)
    g_cond_wait (&dp->cmd_cond, &dp->cmd_lock);
  g_mutex_unlock (&dp->cmd_lock);
}

static void
run_commands (NaDatapath *dp)
{
  GQueue batch = G_QUEUE_INIT;
  NaDpCommand *cmd;
  guint64 count;

  /* Read first: a command queued after this read writes the eventfd again. */
  if (read (dp->evfd, &count, sizeof count) < 0 && errno != EAGAIN)
    g_warning ("reading the command eventfd: %s", g_strerror (errno));

  /*
   * Only the commands queued by now: one queued while these run waits for
   * the next round, after the events that were ready before it (that is
   * what makes na_datapath_sync() a barrier).
   */
  g_mutex_lock (&dp->cmd_lock);
  batch = dp->commands;
  g_queue_init (&dp->commands);
  g_mutex_unlock (&dp->cmd_lock);

  while ((cmd = g_queue_pop_head (&batch)) != NULL)
    {
      cmd->func (dp, cmd->data);
      g_mutex_lock (&dp->cmd_lock);
      cmd->done = TRUE;
      g_cond_broadcast (&dp->cmd_cond);
      g_mutex_unlock (&dp->cmd_lock);
    }
}

static gpointer
dp_thread (gpointer user_data)
{
  NaDatapath *dp = user_data;
  struct epoll_event events[NA_DP_BATCH];

  if (pthread_getcpuclockid (pthread_self (), &dp->cpu_clock) != 0)
    dp->cpu_clock = CLOCK_THREAD_CPUTIME_ID;

  while (!dp->quit)
    {
      gboolean commands = FALSE;
      int n = epoll_wait (dp->epfd, events, G_N_ELEMENTS (events), -1);

      if (n < 0)
        {
          if (errno != EINTR)
            g_error ("epoll_wait: %s", g_strerror (errno));
          continue;
        }

      for (int i = 0; i < n; i++)
        {
          NaDpSourceKind *kind = events[i].data.ptr;

          switch (*kind)
            {
            case NA_DP_SRC_COMMAND:
              commands = TRUE;
              break;
            case NA_DP_SRC_AGENT:
              na_dp_io_agent_event (dp, (NaDpAgent *) kind, events[i].events);
              break;
            case NA_DP_SRC_FLOW:
              na_dp_io_flow_event (dp, (NaDpFlow *) kind, events[i].events);
              break;
            case NA_DP_SRC_LINKS:
              na_dp_links_event (dp);
              break;
            default:
              g_assert_not_reached ();
            }
        }

      /*
       * Frames first, commands last: a command may close an fd or free a
       * flow that this round's events or queued deliveries still name.
       */
      na_dp_io_flush (dp);
      if (commands)
        run_commands (dp);
    }
  return NULL;
}

static void
cmd_nothing (NaDatapath *dp, gpointer data)
{
}

static void
cmd_quit (NaDatapath *dp, gpointer data)
{
  dp->quit = TRUE;
}

/* ---- hang-ups ---- */

static NaDpFlow *
flow_ref (NaDpFlow *flow)
{
  g_atomic_ref_count_inc (&flow->ref);
  return flow;
}

static void
flow_unref (gpointer data)
{
  NaDpFlow *flow = data;

  if (g_atomic_ref_count_dec (&flow->ref))
    {
      g_rec_mutex_clear (&flow->hangup_lock);
      g_free (flow);
    }
}

static gboolean
hangup_dispatch (gpointer user_data)
{
  NaDpFlow *flow = user_data;

  /*
   * Held across the callback: a remove on another thread waits for it, a
   * remove from inside it (the usual reaction) re-enters.  Either way no
   * callback starts once a remove has marked the flow.
   */
  g_rec_mutex_lock (&flow->hangup_lock);
  if (!flow->removed)
    flow->hangup (flow, flow->user_data);
  g_rec_mutex_unlock (&flow->hangup_lock);
  return G_SOURCE_REMOVE;
}

void
na_dp_post_hangup (NaDatapath *dp, NaDpFlow *flow)
{
  g_autoptr(GSource) source = NULL;

  if (flow->closed)
    return;
  flow->closed = TRUE;
  if (epoll_ctl (dp->epfd, EPOLL_CTL_DEL, flow->fd, NULL) < 0)
    g_debug ("epoll_ctl(DEL): %s", g_strerror (errno));
  if (flow->hangup == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (source, "[netagentd] channel hang-up");
  g_source_set_callback (source, hangup_dispatch, flow_ref (flow), flow_unref);
  g_source_attach (source, dp->control);
}

/* ---- the kernel prefilter ---- */

static gboolean
agent_update_filter (NaDpAgent *agent, int fd, GError **error)
{
  g_autoptr(GArray) types = g_array_new (FALSE, FALSE, sizeof (guint16));
  g_autoptr(GArray) locals = g_array_new (FALSE, FALSE, sizeof (struct in6_addr));
  NaDpBpfClaims claims = { 0 };
  g_autofree struct sock_filter *insns = NULL;
  struct sock_fprog prog;
  guint n_insns;

  for (guint i = 0; i < agent->flows->len; i++)
    {
      NaDpFlow *flow = g_ptr_array_index (agent->flows, i);

      switch (flow->spec.type)
        {
        case NA_FLOW_TYPE_CUSTOM_ETHER:
          g_array_append_val (types, flow->spec.ethertype);
          break;
        case NA_FLOW_TYPE_IPV6_ULA:
          g_array_append_val (locals, flow->spec.local);
          break;
        case NA_FLOW_TYPE_FILTER:
          claims.pass_all = TRUE;
          break;
        case NA_FLOW_TYPE_NONE:
        default:
          break;
        }
    }
  claims.ethertypes = (const guint16 *) (gpointer) types->data;
  claims.n_ethertypes = types->len;
  claims.locals = (const struct in6_addr *) (gpointer) locals->data;
  claims.n_locals = locals->len;

  insns = na_dp_bpf_build (&claims, &n_insns);
  prog.len = (unsigned short) n_insns;
  prog.filter = insns;
  return na_dp_attach_filter (fd, &prog, error);
}

/* ---- agents ---- */

typedef struct {
  NaDpAgent *agent;
  GError    *error;
} AgentCmd;

static void
cmd_agent_add (NaDatapath *dp, gpointer data)
{
  AgentCmd *cmd = data;
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = cmd->agent };

  if (epoll_ctl (dp->epfd, EPOLL_CTL_ADD, cmd->agent->ring.fd, &ev) < 0)
    g_set_error (&cmd->error, G_IO_ERROR, g_io_error_from_errno (errno),
                 "epoll_ctl(ADD): %s", g_strerror (errno));
  else
    g_ptr_array_add (dp->agents, cmd->agent);
}

/* Out of the tables and epoll; @close_fd: the client reads end-of-file. */
static void
flow_detach (NaDatapath *dp, NaDpFlow *flow, gboolean close_fd)
{
  NaDpAgent *agent = flow->agent;

  switch (flow->spec.type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      if (na_dp_ether_table_lookup (&agent->ethers, flow->spec.ethertype) == flow)
        na_dp_ether_table_remove (&agent->ethers, flow->spec.ethertype);
      break;
    case NA_FLOW_TYPE_IPV6_ULA:
      if (na_dp_pair_table_lookup (&agent->pairs, &flow->spec.local, &flow->spec.remote) == flow)
        na_dp_pair_table_remove (&agent->pairs, &flow->spec.local, &flow->spec.remote);
      break;
    case NA_FLOW_TYPE_FILTER:
      g_ptr_array_remove (agent->filters, flow);
      for (guint i = 0; i < agent->filters->len; i++)
        ((NaDpFlow *) g_ptr_array_index (agent->filters, i))->filter_pos = i;
      break;
    case NA_FLOW_TYPE_NONE:
    default:
      break;
    }

  if (!flow->closed)
    epoll_ctl (dp->epfd, EPOLL_CTL_DEL, flow->fd, NULL);
  flow->closed = TRUE;
  if (close_fd)
    g_clear_fd (&flow->fd, NULL);
  g_ptr_array_remove_fast (agent->flows, flow);
}

static void
cmd_agent_remove (NaDatapath *dp, gpointer data)
{
  NaDpAgent *agent = data;

  while (agent->flows->len > 0)
    flow_detach (dp, g_ptr_array_index (agent->flows, agent->flows->len - 1), TRUE);
  epoll_ctl (dp->epfd, EPOLL_CTL_DEL, agent->ring.fd, NULL);
  na_dp_ring_close (&agent->ring);
  g_clear_fd (&agent->tx_fd, NULL);
  g_ptr_array_remove_fast (dp->agents, agent);
  na_dp_ether_table_clear (&agent->ethers);
  na_dp_pair_table_clear (&agent->pairs);
}

NaDpAgent *
na_dp_agent_new (NaDatapath   *dp,
                 int           ifindex,
                 const guint8  mac[6],
                 guint         mtu,
                 GError      **error)
{
  NaDpAgent *agent;
  AgentCmd cmd = { 0 };
  NaDpBpfClaims nothing = { 0 };
  g_autofree struct sock_filter *insns = NULL;
  struct sock_fprog prog;
  guint n_insns;

  g_return_val_if_fail (dp != NULL, NULL);
  g_return_val_if_fail (ifindex > 0, NULL);
  g_return_val_if_fail (mtu > 0, NULL);

  agent = g_new0 (NaDpAgent, 1);
  agent->kind = NA_DP_SRC_AGENT;
  agent->dp = dp;
  agent->ifindex = ifindex;
  memcpy (agent->mac, mac, 6);
  agent->mtu = mtu;
  agent->flows = g_ptr_array_new ();
  agent->filters = g_ptr_array_new ();
  agent->ctl_flows = g_ptr_array_new ();
  agent->tx_fd = -1;

  /* Nothing passes until the first flow. */
  insns = na_dp_bpf_build (&nothing, &n_insns);
  prog.len = (unsigned short) n_insns;
  prog.filter = insns;
  agent->tx_fd = na_dp_tx_socket_open (ifindex, error);
  if (agent->tx_fd < 0)
    goto fail;
  if (!na_dp_ring_open (&agent->ring, ifindex, mtu, &prog, error))
    goto fail;
  na_dp_io_agent_bufs (agent);

  cmd.agent = agent;
  dp_call (dp, cmd_agent_add, &cmd);
  if (cmd.error != NULL)
    {
      g_propagate_error (error, cmd.error);
      na_dp_ring_close (&agent->ring);
      goto fail;
    }
  dp->n_agents++;
  return agent;

fail:
  g_clear_fd (&agent->tx_fd, NULL);
  g_ptr_array_unref (agent->flows);
  g_ptr_array_unref (agent->filters);
  g_ptr_array_unref (agent->ctl_flows);
  g_free (agent->bufs);
  g_free (agent);
  return NULL;
}

void
na_dp_agent_free (NaDpAgent *agent)
{
  NaDatapath *dp;

  if (agent == NULL)
    return;
  dp = agent->dp;

  /* No hang-up is reported for flows removed with their agent. */
  for (guint i = 0; i < agent->ctl_flows->len; i++)
    {
      NaDpFlow *flow = g_ptr_array_index (agent->ctl_flows, i);

      g_rec_mutex_lock (&flow->hangup_lock);
      flow->removed = TRUE;
      g_rec_mutex_unlock (&flow->hangup_lock);
    }

  dp_call (dp, cmd_agent_remove, agent);

  for (guint i = 0; i < agent->ctl_flows->len; i++)
    flow_unref (g_ptr_array_index (agent->ctl_flows, i));
  g_ptr_array_unref (agent->ctl_flows);
  g_ptr_array_unref (agent->flows);
  g_ptr_array_unref (agent->filters);
  g_free (agent->bufs);
  g_free (agent);
  dp->n_agents--;
}

typedef struct {
  NaDpAgent *agent;
  guint8     mac[6];
  guint      mtu;
} SetLinkCmd;

static void
cmd_agent_set_link (NaDatapath *dp, gpointer data)
{
  SetLinkCmd *cmd = data;
  NaDpAgent *agent = cmd->agent;

  memcpy (agent->mac, cmd->mac, 6);
  if (cmd->mtu == agent->mtu)
    return;
  agent->mtu = cmd->mtu;
  /* Between flushes: nothing refers to the old buffers or ring frames. */
  na_dp_io_agent_bufs (agent);

  if (!na_dp_ring_fits (&agent->ring, agent->mtu))
    {
      g_autoptr(GError) error = NULL;
      NaDpBpfClaims nothing = { 0 };
      g_autofree struct sock_filter *insns = NULL;
      struct sock_fprog prog;
      guint n_insns;
      NaDpRing ring;
      struct epoll_event ev = { .events = EPOLLIN, .data.ptr = agent };

      insns = na_dp_bpf_build (&nothing, &n_insns);
      prog.len = (unsigned short) n_insns;
      prog.filter = insns;
      if (!na_dp_ring_open (&ring, agent->ifindex, agent->mtu, &prog, &error) ||
          !agent_update_filter (agent, ring.fd, &error) ||
          epoll_ctl (dp->epfd, EPOLL_CTL_ADD, ring.fd, &ev) < 0)
        {
          /* Keep the old ring: frames too big for its slots are counted as dropped. */
          g_warning ("ifindex %d: no ring for MTU %u: %s", agent->ifindex, agent->mtu,
                     error ? error->message : g_strerror (errno));
          if (ring.fd >= 0)
            na_dp_ring_close (&ring);
          return;
        }
      epoll_ctl (dp->epfd, EPOLL_CTL_DEL, agent->ring.fd, NULL);
      na_dp_ring_close (&agent->ring);
      agent->ring = ring;
    }
}

void
na_dp_agent_set_link (NaDpAgent    *agent,
                      const guint8  mac[6],
                      guint         mtu)
{
  SetLinkCmd cmd = { .agent = agent, .mtu = mtu };

  g_return_if_fail (agent != NULL);
  g_return_if_fail (mtu > 0);

  memcpy (cmd.mac, mac, 6);
  dp_call (agent->dp, cmd_agent_set_link, &cmd);
}

void
na_dp_agent_get_stats (NaDpAgent *agent,
                       guint64    values[NA_AGENT_N_STATS])
{
  g_return_if_fail (agent != NULL);

  for (guint i = NA_AGENT_STAT_RX_FRAMES; i < NA_AGENT_N_STATS; i++)
    values[i] = __atomic_load_n (&agent->stats[i], __ATOMIC_RELAXED);
}

static void
cmd_ring_drops (NaDatapath *dp, gpointer data)
{
  NaDpAgent *agent = data;
  struct tpacket_stats st = { 0 };
  socklen_t len = sizeof st;

  /* Reading resets the kernel's counters: accumulate. */
  if (getsockopt (agent->ring.fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
    __atomic_store_n (&agent->ring_drops, agent->ring_drops + st.tp_drops, __ATOMIC_RELAXED);
}

guint64
na_dp_agent_get_ring_drops (NaDpAgent *agent)
{
  g_return_val_if_fail (agent != NULL, 0);

  dp_call (agent->dp, cmd_ring_drops, agent);
  return __atomic_load_n (&agent->ring_drops, __ATOMIC_RELAXED);
}

/* ---- flows ---- */

typedef struct {
  NaDpFlow *flow;
  GError   *error;
} FlowCmd;

static void
cmd_flow_add (NaDatapath *dp, gpointer data)
{
  FlowCmd *cmd = data;
  NaDpFlow *flow = cmd->flow;
  NaDpAgent *agent = flow->agent;
  struct epoll_event ev = { .data.ptr = flow };
  char buf[INET6_ADDRSTRLEN];

  switch (flow->spec.type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      if (!na_dp_ether_table_insert (&agent->ethers, flow->spec.ethertype, flow))
        {
          g_set_error (&cmd->error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "ethertype 0x%04x already has a flow", flow->spec.ethertype);
          return;
        }
      break;
    case NA_FLOW_TYPE_IPV6_ULA:
      if (!na_dp_pair_table_insert (&agent->pairs, &flow->spec.local, &flow->spec.remote, flow))
        {
          g_set_error (&cmd->error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "a flow from %s already exists", na_in6_to_string (&flow->spec.local, buf));
          return;
        }
      break;
    case NA_FLOW_TYPE_FILTER:
      flow->filter_pos = agent->filters->len;
      g_ptr_array_add (agent->filters, flow);
      break;
    case NA_FLOW_TYPE_NONE:
    default:
      g_assert_not_reached ();
    }
  g_ptr_array_add (agent->flows, flow);

  ev.events = EPOLLIN | (flow->channel == NA_CHANNEL_SOCKETPAIR ? EPOLLRDHUP : 0);
  if (epoll_ctl (dp->epfd, EPOLL_CTL_ADD, flow->fd, &ev) < 0)
    {
      int errsv = errno;

      g_set_error (&cmd->error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "epoll_ctl(ADD): %s", g_strerror (errsv));
      flow->closed = TRUE;   /* not in epoll */
    }
  else if (agent_update_filter (agent, agent->ring.fd, &cmd->error))
    {
      /* A TAP that went before we watched for it would never be reported. */
      if (flow->channel == NA_CHANNEL_TAP && na_dp_io_tap_gone (flow))
        na_dp_post_hangup (dp, flow);
      return;
    }

  /* Undo (the fd stays with the caller); a failed attach left the old filter. */
  flow_detach (dp, flow, FALSE);
}

static void
cmd_flow_remove (NaDatapath *dp, gpointer data)
{
  NaDpFlow *flow = data;
  g_autoptr(GError) error = NULL;

  flow_detach (dp, flow, TRUE);
  /* On failure the old program stays: a superset, its extra frames count as unmatched. */
  if (!agent_update_filter (flow->agent, flow->agent->ring.fd, &error))
    g_warning ("updating the kernel filter: %s", error->message);
}

NaDpFlow *
na_dp_flow_add (NaDpAgent          *agent,
                const NaFlowSpec   *spec,
                const NaDpChannel  *channel,
                NaDpHangupFunc      hangup,
                gpointer            user_data,
                int                *client_fd,
                GError            **error)
{
  g_autofd int ours = -1;
  g_autofd int theirs = -1;
  NaDpFlow *flow;
  FlowCmd cmd = { 0 };

  g_return_val_if_fail (agent != NULL, NULL);
  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (channel != NULL, NULL);
  g_return_val_if_fail (client_fd != NULL, NULL);

  *client_fd = -1;

  if (spec->type != NA_FLOW_TYPE_CUSTOM_ETHER &&
      spec->type != NA_FLOW_TYPE_IPV6_ULA &&
      spec->type != NA_FLOW_TYPE_FILTER)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a flow needs a type");
      return NULL;
    }
  if (spec->type == NA_FLOW_TYPE_IPV6_ULA && spec->listener)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "a listener has no channel");
      return NULL;
    }

  switch (channel->type)
    {
    case NA_CHANNEL_SOCKETPAIR:
      if (!na_dp_socketpair_open (&ours, &theirs, error))
        return NULL;
      break;
    case NA_CHANNEL_TAP:
      /* A TAP carries plain frames; a filter's messages have a header. */
      if (spec->type == NA_FLOW_TYPE_FILTER)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "a filter flow needs a socketpair channel");
          return NULL;
        }
      if (channel->tap_ifindex <= 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "no TAP device");
          return NULL;
        }
      ours = na_dp_tap_socket_open (channel->tap_ifindex, error);
      if (ours < 0)
        return NULL;
      break;
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "unknown channel type");
      return NULL;
    }

  flow = g_new0 (NaDpFlow, 1);
  flow->kind = NA_DP_SRC_FLOW;
  g_atomic_ref_count_init (&flow->ref);
  g_rec_mutex_init (&flow->hangup_lock);
  flow->dp = agent->dp;
  flow->agent = agent;
  flow->spec = *spec;
  flow->channel = channel->type;
  flow->fd = ours;
  flow->tap_ifindex = channel->type == NA_CHANNEL_TAP ? channel->tap_ifindex : 0;
  flow->hangup = hangup;
  flow->user_data = user_data;
  flow->pend_first = flow->pend_last = -1;

  cmd.flow = flow;
  dp_call (agent->dp, cmd_flow_add, &cmd);
  if (cmd.error != NULL)
    {
      g_propagate_error (error, cmd.error);
      flow_unref (flow);
      return NULL;
    }
  ours = -1;   /* the data path thread owns it now */

  g_ptr_array_add (agent->ctl_flows, flow);
  *client_fd = g_steal_fd (&theirs);
  return flow;
}

void
na_dp_flow_remove (NaDpFlow *flow)
{
  NaDpAgent *agent;

  g_return_if_fail (flow != NULL);
  agent = flow->agent;

  g_rec_mutex_lock (&flow->hangup_lock);
  flow->removed = TRUE;
  g_rec_mutex_unlock (&flow->hangup_lock);

  dp_call (flow->dp, cmd_flow_remove, flow);
  g_ptr_array_remove_fast (agent->ctl_flows, flow);
  flow_unref (flow);
}

void
na_dp_flow_get_stats (NaDpFlow *flow,
                      guint64   values[NA_FLOW_N_STATS])
{
  g_return_if_fail (flow != NULL);

  for (guint i = 0; i < NA_FLOW_N_STATS; i++)
    values[i] = __atomic_load_n (&flow->stats[i], __ATOMIC_RELAXED);
}

/* ---- the data path ---- */

NaDatapath *
na_datapath_new (GMainContext *control, GError **error)
{
  g_autofree NaDatapath *dp = g_new0 (NaDatapath, 1);
  struct epoll_event ev = { .events = EPOLLIN };
  int errsv;

  dp->kind = NA_DP_SRC_COMMAND;
  dp->links_kind = NA_DP_SRC_LINKS;
  dp->evfd = -1;
  dp->links_fd = -1;
  dp->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (dp->epfd < 0)
    goto fail_errno;
  dp->evfd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (dp->evfd < 0)
    goto fail_errno;
  ev.data.ptr = &dp->kind;
  if (epoll_ctl (dp->epfd, EPOLL_CTL_ADD, dp->evfd, &ev) < 0)
    goto fail_errno;
  dp->links_fd = na_dp_links_open (error);
  if (dp->links_fd < 0)
    goto fail;
  ev.data.ptr = &dp->links_kind;
  if (epoll_ctl (dp->epfd, EPOLL_CTL_ADD, dp->links_fd, &ev) < 0)
    goto fail_errno;
  dp->agents = g_ptr_array_new ();

  dp->control = control ? g_main_context_ref (control) : g_main_context_ref_thread_default ();
  g_mutex_init (&dp->cmd_lock);
  g_cond_init (&dp->cmd_cond);
  g_queue_init (&dp->commands);

  dp->thread = g_thread_try_new ("na-datapath", dp_thread, dp, error);
  if (dp->thread == NULL)
    {
      g_mutex_clear (&dp->cmd_lock);
      g_cond_clear (&dp->cmd_cond);
      g_main_context_unref (dp->control);
      g_ptr_array_unref (dp->agents);
      goto fail;
    }
  /* Returns once the thread runs its loop (and has its CPU clock). */
  dp_call (dp, cmd_nothing, NULL);
  return g_steal_pointer (&dp);

fail_errno:
  errsv = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               "starting the data path: %s", g_strerror (errsv));
fail:
  g_clear_fd (&dp->links_fd, NULL);
  g_clear_fd (&dp->evfd, NULL);
  g_clear_fd (&dp->epfd, NULL);
  return NULL;
}

void
na_datapath_free (NaDatapath *dp)
{
  if (dp == NULL)
    return;
  if (dp->n_agents > 0)
    g_critical ("%s: %u agents still attached", G_STRFUNC, dp->n_agents);

  dp_call (dp, cmd_quit, NULL);
  g_thread_join (dp->thread);
  g_close (dp->links_fd, NULL);
  g_ptr_array_unref (dp->agents);
  g_close (dp->evfd, NULL);
  g_close (dp->epfd, NULL);
  g_mutex_clear (&dp->cmd_lock);
  g_cond_clear (&dp->cmd_cond);
  g_main_context_unref (dp->control);
  g_free (dp);
}

void
na_datapath_sync (NaDatapath *dp)
{
  g_return_if_fail (dp != NULL);

  /* Commands run after the round's events and flush. */
  dp_call (dp, cmd_nothing, NULL);
}

guint64
na_datapath_get_cpu_time_ns (NaDatapath *dp)
{
  struct timespec ts;

  g_return_val_if_fail (dp != NULL, 0);

  if (clock_gettime (dp->cpu_clock, &ts) < 0)
    return 0;
  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}
