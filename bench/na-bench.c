/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Benchmarks of the data path, driven through na-datapath.h directly (no
 * D-Bus), each next to a baseline that does the same work with a raw
 * packet socket: the ceiling a root program gets.
 *
 *   na-bench MODE --nic IF --wire IF [--size N] [--flows N] [--seconds S]
 *
 * @nic is where the data path (or the baseline) sits, @wire the other end
 * of a veth pair, where frames are generated or counted.  Every run
 * prints one line: "RESULT mode=… key=value …" (run-benchmarks makes the
 * table).
 *
 * Modes:
 *   rx-dp, rx-v3, rx-mmsg     wire → client throughput (data path; direct
 *                             TPACKET_V3 ring; direct recvmmsg)
 *   tx-dp, tx-direct          client → wire throughput
 *   lat-rx-dp, lat-rx-direct  wire → client one-way latency at a low rate
 *   lat-tx-dp, lat-tx-direct  client → wire one-way latency at a low rate
 *   lat-rx-hop, lat-tx-hop    the same through the least any daemon adds: a
 *                             thread that only moves frames between a
 *                             packet socket and a socketpair
 *   idle                      data path CPU while ~1 Mpps nobody claims
 *                             crosses the NIC
 *
 * Latency runs put the client and the data path thread on CPU 0 and the
 * other end on CPU 1, where it spins (sends on time, polls for arrival) so
 * that its own wake-ups are not measured.  Throughput runs are pinned the
 * same way with --pin, else not at all.
 */
#define G_LOG_DOMAIN "na-bench"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "na-datapath.h"

#define BASE_TYPE   0x9000
#define BATCH       64
#define WARMUP_NS   (300 * G_GUINT64_CONSTANT (1000000))
#define IDLE_PPS    1000000

typedef struct {
  const char *mode;
  const char *nic;
  const char *wire;
  int         nic_index;
  int         wire_index;
  guint8      nic_mac[6];
  guint8      wire_mac[6];
  guint       size;
  guint       flows;
  double      seconds;
  gboolean    pin;             /* throughput: the wire side on CPU 1, the rest on CPU 0 */
  guint64     gap_ns;          /* latency: time between two frames */
  guint       burst;           /* frames of one flow in a row (1: flows interleaved) */
} Bench;

/* Shared by the threads of one run. */
static volatile gint stop;
static guint64 counted;           /* frames counted by the receiving side */

static guint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * 1000000000u + (guint64) ts.tv_nsec;
}

/*
 * Wait for @due by sleeping, not spinning: a spinning sender on the CPU
 * the data path shares would keep it from running (clients block).
 */
static void
sleep_until (guint64 due)
{
  struct timespec ts = { (time_t) (due / 1000000000u), (long) (due % 1000000000u) };

  while (clock_nanosleep (CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
    ;
}

static void
pin (int cpu)
{
  cpu_set_t set;

  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  if (sched_setaffinity (0, sizeof set, &set) < 0)
    g_error ("sched_setaffinity: %s", g_strerror (errno));
}

static void
count_add (guint64 n)
{
  __atomic_fetch_add (&counted, n, __ATOMIC_RELAXED);
}

static guint64
count_get (void)
{
  return __atomic_load_n (&counted, __ATOMIC_RELAXED);
}

static void
link_info (const char *name, int *index, guint8 mac[6])
{
  struct ifreq ifr = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

  g_strlcpy (ifr.ifr_name, name, sizeof ifr.ifr_name);
  if (fd < 0 || ioctl (fd, SIOCGIFHWADDR, &ifr) < 0)
    g_error ("%s: %s", name, g_strerror (errno));
  memcpy (mac, ifr.ifr_hwaddr.sa_data, 6);
  close (fd);
  *index = (int) if_nametoindex (name);
  if (*index <= 0)
    g_error ("%s: no such interface", name);
}

/* ---- frames ---- */

typedef struct {
  guint64 seq;
  guint64 stamp;   /* CLOCK_MONOTONIC ns at send, for latency runs */
} Payload;

static void
frame_build (guint8 *buf, guint size, const guint8 dst[6], const guint8 src[6], guint16 type)
{
  memset (buf, 0x5a, size);
  memcpy (buf, dst, 6);
  memcpy (buf + 6, src, 6);
  buf[12] = type >> 8;
  buf[13] = type & 0xff;
}

static void
frame_stamp (guint8 *buf, guint64 seq, guint64 stamp)
{
  Payload p = { seq, stamp };

  memcpy (buf + 14, &p, sizeof p);
}

static guint64
frame_stamp_of (const guint8 *buf)
{
  Payload p;

  memcpy (&p, buf + 14, sizeof p);
  return p.stamp;
}

/* ---- raw packet sockets (the generator, the wire receiver, the baselines) ---- */

/* Pass only our frame types: [BASE_TYPE, BASE_TYPE + flows). */
static void
attach_type_filter (int fd, guint flows)
{
  struct sock_filter insns[] = {
    { BPF_LD | BPF_H | BPF_ABS, 0, 0, 12 },
    { BPF_JMP | BPF_JGE | BPF_K, 0, 2, BASE_TYPE },
    { BPF_JMP | BPF_JGT | BPF_K, 1, 0, BASE_TYPE + flows - 1 },
    { BPF_RET | BPF_K, 0, 0, 0xffffffffu },
    { BPF_RET | BPF_K, 0, 0, 0 },
  };
  struct sock_fprog prog = { G_N_ELEMENTS (insns), insns };

  if (setsockopt (fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0)
    g_error ("SO_ATTACH_FILTER: %s", g_strerror (errno));
}

/* @filter_flows 0: a socket that only sends. */
static int
packet_socket (int ifindex, guint filter_flows)
{
  struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex };
  int fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  int one = 1, bytes = 8 << 20;

  if (fd < 0)
    g_error ("socket(AF_PACKET): %s (run as root)", g_strerror (errno));
  setsockopt (fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes);
  setsockopt (fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes, sizeof bytes);
  if (filter_flows > 0)
    {
      attach_type_filter (fd, filter_flows);
      sll.sll_protocol = htons (ETH_P_ALL);
    }
  if (bind (fd, (struct sockaddr *) &sll, sizeof sll) < 0)
    g_error ("bind: %s", g_strerror (errno));
  return fd;
}

/* ---- generator: frames into the NIC from the wire side ---- */

typedef struct {
  Bench   *b;
  guint16  first_type;
  guint    types;           /* frame i has type first_type + i % types */
  guint64  pps;             /* 0: as fast as possible */
  gboolean stamp_each;      /* latency: one frame per gap, stamped */
  int      cpu;             /* -1: not pinned */
  guint64  sent;
} Gen;

static gpointer
gen_thread (gpointer data)
{
  Gen *g = data;
  int fd = packet_socket (g->b->wire_index, 0);
  guint n = MAX (BATCH, g->types * g->b->burst);
  g_autofree guint8 *frames = g_malloc ((gsize) n * g->b->size);
  g_autofree struct mmsghdr *msgs = g_new0 (struct mmsghdr, n);
  g_autofree struct iovec *iov = g_new0 (struct iovec, n);
  guint64 start = now_ns (), seq = 0;
  guint pos = 0;

  if (g->cpu >= 0)
    pin (g->cpu);
  for (guint i = 0; i < n; i++)
    {
      guint8 *f = frames + (gsize) i * g->b->size;

      frame_build (f, g->b->size, g->b->nic_mac, g->b->wire_mac, g->first_type + (i / g->b->burst) % g->types);
      iov[i].iov_base = f;
      iov[i].iov_len = g->b->size;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }

  while (!g_atomic_int_get (&stop))
    {
      int r;

      if (g->stamp_each)
        {
          guint64 due = start + seq * g->b->gap_ns;

          /* Alone on its CPU: spin, so its own wake-up is not in the way. */
          while (now_ns () < due)
            ;
          frame_stamp (frames, seq, now_ns ());
          if (send (fd, frames, g->b->size, 0) == (gssize) g->b->size)
            __atomic_store_n (&g->sent, g->sent + 1, __ATOMIC_RELAXED);
          seq++;
          continue;
        }

      if (g->pps > 0)
        {
          /* Paced: never ahead of pps. */
          while ((g->sent + BATCH) * G_GUINT64_CONSTANT (1000000000) / g->pps > now_ns () - start &&
                 !g_atomic_int_get (&stop))
            ;
        }
      /* Cycle through every type in order, BATCH frames per call. */
      r = sendmmsg (fd, msgs + pos, MIN (BATCH, n - pos), 0);
      if (r > 0)
        {
          __atomic_store_n (&g->sent, g->sent + (guint) r, __ATOMIC_RELAXED);
          pos = (pos + (guint) r) % n;
        }
    }
  close (fd);
  return NULL;
}

/* ---- receivers on the wire side (and the direct rx baselines on the NIC) ---- */

typedef struct {
  Bench  *b;
  int     ifindex;
  int     cpu;
  GArray *latencies;       /* latency runs: ns per frame */
} Rcv;

/* A TPACKET_V3 ring: the fastest way for a root program to count frames. */
static gpointer
rcv_v3_thread (gpointer data)
{
  Rcv *r = data;
  int fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  int v = TPACKET_V3;
  struct tpacket_req3 req = {
    .tp_block_size = 1 << 20,
    .tp_block_nr = 16,
    .tp_frame_size = 2048,
    .tp_frame_nr = (16 << 20) / 2048,
    .tp_retire_blk_tov = 1,
  };
  struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons (ETH_P_ALL), .sll_ifindex = r->ifindex };
  guint8 *map;
  guint block = 0;

  if (r->cpu >= 0)
    pin (r->cpu);
  attach_type_filter (fd, r->b->flows);
  if (setsockopt (fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) < 0 ||
      setsockopt (fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
    g_error ("TPACKET_V3: %s", g_strerror (errno));
  map = mmap (NULL, (gsize) req.tp_block_size * req.tp_block_nr, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED || bind (fd, (struct sockaddr *) &sll, sizeof sll) < 0)
    g_error ("ring: %s", g_strerror (errno));

  while (!g_atomic_int_get (&stop))
    {
      struct tpacket_block_desc *bd = (gpointer) (map + (gsize) block * req.tp_block_size);

      if (!(__atomic_load_n (&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
        {
          struct pollfd pfd = { fd, POLLIN, 0 };

          poll (&pfd, 1, 100);
          continue;
        }
      count_add (bd->hdr.bh1.num_pkts);
      __atomic_store_n (&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
      block = (block + 1) % req.tp_block_nr;
    }
  munmap (map, (gsize) req.tp_block_size * req.tp_block_nr);
  close (fd);
  return NULL;
}

/* recvmmsg on a plain packet socket: what most root programs do. */
static gpointer
rcv_mmsg_thread (gpointer data)
{
  Rcv *r = data;
  int fd = packet_socket (r->ifindex, r->b->flows);
  static guint8 bufs[BATCH][2048];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct timeval tv = { 0, 100000 };

  if (r->cpu >= 0)
    pin (r->cpu);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  memset (msgs, 0, sizeof msgs);
  for (guint i = 0; i < BATCH; i++)
    {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = sizeof bufs[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
  while (!g_atomic_int_get (&stop))
    {
      int n = recvmmsg (fd, msgs, BATCH, MSG_WAITFORONE, NULL);

      if (n > 0)
        count_add ((guint) n);
    }
  close (fd);
  return NULL;
}

/*
 * Latency: one recv per frame, stamped on arrival.  @spin: the wire side,
 * alone on its CPU, polls, so that only the path under test (on CPU 0)
 * is measured, not the wake-up of an idle CPU at the far end.
 */
static void
latency_loop (int fd, GArray *latencies, gboolean spin)
{
  guint8 buf[2048];

  while (!g_atomic_int_get (&stop))
    {
      gssize n = recv (fd, buf, sizeof buf, spin ? MSG_DONTWAIT : 0);
      guint64 t = now_ns ();

      if (n >= (gssize) (14 + sizeof (Payload)))
        {
          guint64 dt = t - frame_stamp_of (buf);

          g_array_append_val (latencies, dt);
          count_add (1);
        }
    }
}

static gpointer
rcv_latency_thread (gpointer data)
{
  Rcv *r = data;
  int fd = packet_socket (r->ifindex, r->b->flows);
  struct timeval tv = { 0, 100000 };

  if (r->cpu >= 0)
    pin (r->cpu);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  latency_loop (fd, r->latencies, r->ifindex == r->b->wire_index);
  close (fd);
  return NULL;
}

/* ---- the data path under test ---- */

typedef struct {
  NaDatapath *dp;
  NaDpAgent  *agent;
  NaDpFlow  **flows;
  int        *fds;
  guint       n;
} Dp;

static void
dp_start (Dp *d, Bench *b)
{
  g_autoptr(GError) error = NULL;

  d->dp = na_datapath_new (NULL, &error);
  g_assert_no_error (error);
  d->agent = na_dp_agent_new (d->dp, b->nic_index, b->nic_mac, 1500, &error);
  g_assert_no_error (error);
  d->n = b->flows;
  d->flows = g_new0 (NaDpFlow *, d->n);
  d->fds = g_new0 (int, d->n);
  for (guint i = 0; i < d->n; i++)
    {
      NaFlowSpec spec = { .type = NA_FLOW_TYPE_CUSTOM_ETHER, .ethertype = BASE_TYPE + i };
      NaDpChannel channel = { .type = NA_CHANNEL_SOCKETPAIR };

      d->flows[i] = na_dp_flow_add (d->agent, &spec, &channel, NULL, NULL, &d->fds[i], &error);
      g_assert_no_error (error);
    }
}

static void
dp_stats (Dp *d, guint64 *delivered, guint64 *dropped, guint64 *tx, guint64 *ring_drops)
{
  guint64 v[NA_AGENT_N_STATS] = { 0 };

  na_dp_agent_get_stats (d->agent, v);
  *delivered = v[NA_AGENT_STAT_RX_DELIVERED];
  *dropped = v[NA_AGENT_STAT_RX_DROPPED];
  *tx = v[NA_AGENT_STAT_TX_FRAMES];
  *ring_drops = na_dp_agent_get_ring_drops (d->agent);
}

static void
dp_stop (Dp *d)
{
  for (guint i = 0; i < d->n; i++)
    {
      na_dp_flow_remove (d->flows[i]);
      close (d->fds[i]);
    }
  na_dp_agent_free (d->agent);
  na_datapath_free (d->dp);
  g_free (d->flows);
  g_free (d->fds);
}

/* The client of N flows reading as fast as it can. */
typedef struct {
  Dp     *d;
  int     cpu;
  GArray *latencies;
} Client;

static gpointer
client_rx_thread (gpointer data)
{
  Client *c = data;
  Dp *d = c->d;
  static guint8 bufs[BATCH][2048];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  int ep = -1;

  if (c->cpu >= 0)
    pin (c->cpu);
  if (c->latencies != NULL)
    {
      struct timeval tv = { 0, 100000 };

      setsockopt (d->fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      latency_loop (d->fds[0], c->latencies, FALSE);
      return NULL;
    }

  memset (msgs, 0, sizeof msgs);
  for (guint i = 0; i < BATCH; i++)
    {
      iov[i].iov_base = bufs[i];
      iov[i].iov_len = sizeof bufs[i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }

  if (d->n > 1)
    {
      ep = epoll_create1 (EPOLL_CLOEXEC);
      for (guint i = 0; i < d->n; i++)
        {
          struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };

          epoll_ctl (ep, EPOLL_CTL_ADD, d->fds[i], &ev);
        }
    }
  else
    {
      struct timeval tv = { 0, 100000 };

      setsockopt (d->fds[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

  while (!g_atomic_int_get (&stop))
    {
      if (ep < 0)
        {
          int n = recvmmsg (d->fds[0], msgs, BATCH, MSG_WAITFORONE, NULL);

          if (n > 0)
            count_add ((guint) n);
          continue;
        }
      else
        {
          struct epoll_event evs[256];
          int n = epoll_wait (ep, evs, G_N_ELEMENTS (evs), 100);

          for (int i = 0; i < n; i++)
            {
              int m = recvmmsg (d->fds[evs[i].data.u32], msgs, BATCH, MSG_DONTWAIT, NULL);

              if (m > 0)
                count_add ((guint) m);
            }
        }
    }
  if (ep >= 0)
    close (ep);
  return NULL;
}

/* The client writing N flows (or, direct, one packet socket) as fast as it can. */
typedef struct {
  Bench   *b;
  Dp      *d;              /* NULL: direct, on a packet socket */
  int      cpu;
  gboolean stamp_each;
  int      fd;             /* latency: write here (-1: the data path or direct) */
} Writer;

static gpointer
client_tx_thread (gpointer data)
{
  Writer *w = data;
  Bench *b = w->b;
  guint nf = w->d ? w->d->n : 1;
  int direct = w->d ? -1 : packet_socket (b->nic_index, 0);
  /* A round writes every flow, a call one flow's burst. */
  guint per = w->d && nf > 1 ? w->b->burst : BATCH;
  g_autofree guint8 *frames = g_malloc ((gsize) nf * per * b->size);
  g_autofree struct mmsghdr *msgs = g_new0 (struct mmsghdr, (gsize) nf * per);
  g_autofree struct iovec *iov = g_new0 (struct iovec, (gsize) nf * per);
  guint64 start = now_ns (), seq = 0;

  if (w->cpu >= 0)
    pin (w->cpu);
  for (guint i = 0; i < nf * per; i++)
    {
      guint8 *f = frames + (gsize) i * b->size;

      frame_build (f, b->size, b->wire_mac, b->nic_mac, BASE_TYPE + i / per);
      iov[i].iov_base = f;
      iov[i].iov_len = b->size;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }

  while (!g_atomic_int_get (&stop))
    {
      if (w->stamp_each)
        {
          int fd = w->fd >= 0 ? w->fd : direct >= 0 ? direct : w->d->fds[0];

          sleep_until (start + seq * b->gap_ns);
          frame_stamp (frames, seq++, now_ns ());
          if (send (fd, frames, b->size, 0) < 0)
            g_error ("send: %s", g_strerror (errno));
          continue;
        }
      for (guint f = 0; f < nf && !g_atomic_int_get (&stop); f++)
        {
          int fd = direct >= 0 ? direct : w->d->fds[f];

          /* Blocking: a full channel holds the writer back, nothing is lost. */
          if (sendmmsg (fd, msgs + f * per, per, MSG_NOSIGNAL) < 0 && errno != EINTR &&
              !g_atomic_int_get (&stop))
            g_error ("sendmmsg: %s", g_strerror (errno));
        }
    }
  if (direct >= 0)
    close (direct);
  return NULL;
}

/* ---- the least a daemon adds: one thread moving frames, nothing else ---- */

typedef struct {
  int in;
  int out;
} Hop;

static gpointer
hop_thread (gpointer data)
{
  Hop *h = data;
  guint8 buf[2048];
  struct timeval tv = { 0, 100000 };

  pin (0);
  setsockopt (h->in, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (!g_atomic_int_get (&stop))
    {
      gssize n = recv (h->in, buf, sizeof buf, 0);

      if (n > 0)
        send (h->out, buf, (gsize) n, MSG_DONTWAIT | MSG_NOSIGNAL);
    }
  return NULL;
}

/* A client reading its end of the hop's socketpair. */
typedef struct {
  int     fd;
  GArray *latencies;
} FdReader;

static gpointer
fd_latency_thread (gpointer data)
{
  FdReader *r = data;
  struct timeval tv = { 0, 100000 };

  pin (0);
  setsockopt (r->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  latency_loop (r->fd, r->latencies, FALSE);
  return NULL;
}

/* ---- runs ---- */

static void
sleep_ns (guint64 ns)
{
  struct timespec ts = { (time_t) (ns / 1000000000u), (long) (ns % 1000000000u) };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

typedef struct {
  guint64 frames;
  guint64 dp_cpu_ns;
  guint64 elapsed_ns;
} Window;

/* Count over the measurement window, after a warm-up. */
static Window
measure (Bench *b, Dp *d)
{
  Window w = { 0 };
  guint64 c0, c1, t0, t1, cpu0 = 0, cpu1 = 0;

  sleep_ns (WARMUP_NS);
  c0 = count_get ();
  t0 = now_ns ();
  if (d)
    cpu0 = na_datapath_get_cpu_time_ns (d->dp);
  sleep_ns ((guint64) (b->seconds * 1e9));
  c1 = count_get ();
  t1 = now_ns ();
  if (d)
    cpu1 = na_datapath_get_cpu_time_ns (d->dp);
  w.frames = c1 - c0;
  w.elapsed_ns = t1 - t0;
  w.dp_cpu_ns = cpu1 - cpu0;
  return w;
}

static void
print_rate (Bench *b, const Window *w, Dp *d, guint64 gen_sent)
{
  double secs = w->elapsed_ns / 1e9;

  printf ("RESULT mode=%s size=%u flows=%u burst=%u pin=%d fps=%.0f mbps=%.1f",
          b->mode, b->size, b->flows, b->burst, b->pin, w->frames / secs, w->frames * b->size * 8 / secs / 1e6);
  if (d)
    {
      guint64 delivered, dropped, tx, ring_drops;

      dp_stats (d, &delivered, &dropped, &tx, &ring_drops);
      /* The data path's own cost per frame, whatever share of a CPU it got. */
      printf (" dp_cpu=%.0f%% dp_ns_per_frame=%.0f channel_drops=%" G_GUINT64_FORMAT " ring_drops=%" G_GUINT64_FORMAT,
              100.0 * w->dp_cpu_ns / w->elapsed_ns, w->frames ? (double) w->dp_cpu_ns / w->frames : 0.0,
              dropped, ring_drops);
    }
  if (gen_sent)
    printf (" offered=%" G_GUINT64_FORMAT, gen_sent);
  printf ("\n");
}

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

static void
print_latency (Bench *b, GArray *lat)
{
  guint64 *v = (guint64 *) (gpointer) lat->data;
  guint n = lat->len;

  if (n == 0)
    g_error ("%s: no frame arrived", b->mode);
  qsort (v, n, sizeof *v, cmp_u64);
  printf ("RESULT mode=%s size=%u flows=1 gap_us=%" G_GUINT64_FORMAT " samples=%u median_us=%.1f p99_us=%.1f min_us=%.1f\n",
          b->mode, b->size, b->gap_ns / 1000, n, v[n / 2] / 1e3, v[(guint) (n * 0.99)] / 1e3, v[0] / 1e3);
}

static void
run_rx (Bench *b)
{
  Gen gen = { b, BASE_TYPE, b->flows, 0, FALSE, b->pin ? 1 : -1, 0 };
  Rcv rcv = { b, b->nic_index, b->pin ? 0 : -1, NULL };
  Dp d = { 0 };
  Client client = { &d, b->pin ? 0 : -1, NULL };
  GThread *t_gen, *t_rcv;
  Window w;
  gboolean dp = strcmp (b->mode, "rx-dp") == 0;

  if (b->pin)
    pin (0);   /* the data path thread inherits it */
  if (dp)
    {
      dp_start (&d, b);
      t_rcv = g_thread_new ("client", client_rx_thread, &client);
    }
  else
    {
      t_rcv = g_thread_new ("receiver", strcmp (b->mode, "rx-v3") == 0 ? rcv_v3_thread : rcv_mmsg_thread, &rcv);
    }
  sleep_ns (WARMUP_NS / 3);
  t_gen = g_thread_new ("generator", gen_thread, &gen);
  w = measure (b, dp ? &d : NULL);
  g_atomic_int_set (&stop, 1);
  g_thread_join (t_gen);
  g_thread_join (t_rcv);
  print_rate (b, &w, dp ? &d : NULL, 0);
  if (dp)
    dp_stop (&d);
}

static void
run_tx (Bench *b)
{
  Rcv rcv = { b, b->wire_index, b->pin ? 1 : -1, NULL };
  Dp d = { 0 };
  Writer writer = { b, NULL, b->pin ? 0 : -1, FALSE, -1 };
  GThread *t_client, *t_rcv;
  Window w;
  gboolean dp = strcmp (b->mode, "tx-dp") == 0;

  if (b->pin)
    pin (0);
  if (dp)
    {
      dp_start (&d, b);
      writer.d = &d;
    }
  t_rcv = g_thread_new ("receiver", rcv_v3_thread, &rcv);
  sleep_ns (WARMUP_NS / 3);
  t_client = g_thread_new ("client", client_tx_thread, &writer);
  w = measure (b, dp ? &d : NULL);
  g_atomic_int_set (&stop, 1);
  /* A writer blocked on a full channel: removing the flows wakes it. */
  if (dp)
    for (guint i = 0; i < d.n; i++)
      shutdown (d.fds[i], SHUT_RDWR);
  g_thread_join (t_client);
  g_thread_join (t_rcv);
  print_rate (b, &w, dp ? &d : NULL, 0);
  if (dp)
    dp_stop (&d);
}

static void
run_latency (Bench *b)
{
  g_autoptr(GArray) lat = g_array_new (FALSE, FALSE, sizeof (guint64));
  gboolean dp = g_str_has_suffix (b->mode, "-dp");
  gboolean hop = g_str_has_suffix (b->mode, "-hop");
  gboolean rx = g_str_has_prefix (b->mode, "lat-rx");
  static Gen gen;
  static Rcv rcv;
  static Client client;
  static Writer writer;
  static Hop fwd;
  static FdReader reader;
  Dp d = { 0 };
  GThread *t_a, *t_b, *t_hop = NULL;
  int sv[2] = { -1, -1 };

  b->flows = 1;
  /* The client and the data path (or hop) thread share CPU 0; the other end has CPU 1. */
  pin (0);
  if (dp)
    dp_start (&d, b);
  if (hop)
    {
      if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        g_error ("socketpair: %s", g_strerror (errno));
      fwd.in = rx ? packet_socket (b->nic_index, 1) : sv[1];
      fwd.out = rx ? sv[1] : packet_socket (b->nic_index, 0);
      t_hop = g_thread_new ("hop", hop_thread, &fwd);
    }

  if (rx)
    {
      gen = (Gen) { b, BASE_TYPE, 1, 0, TRUE, 1, 0 };
      if (dp)
        {
          client = (Client) { &d, 0, lat };
          t_a = g_thread_new ("client", client_rx_thread, &client);
        }
      else if (hop)
        {
          reader = (FdReader) { sv[0], lat };
          t_a = g_thread_new ("client", fd_latency_thread, &reader);
        }
      else
        {
          rcv = (Rcv) { b, b->nic_index, 0, lat };
          t_a = g_thread_new ("receiver", rcv_latency_thread, &rcv);
        }
      sleep_ns (WARMUP_NS / 3);
      t_b = g_thread_new ("generator", gen_thread, &gen);
    }
  else
    {
      rcv = (Rcv) { b, b->wire_index, 1, lat };
      writer = (Writer) { b, dp ? &d : NULL, 0, TRUE, hop ? sv[0] : -1 };
      t_a = g_thread_new ("receiver", rcv_latency_thread, &rcv);
      sleep_ns (WARMUP_NS / 3);
      t_b = g_thread_new ("client", client_tx_thread, &writer);
    }

  sleep_ns ((guint64) (b->seconds * 1e9));
  g_atomic_int_set (&stop, 1);
  g_thread_join (t_b);
  g_thread_join (t_a);
  if (t_hop)
    {
      g_thread_join (t_hop);
      close (rx ? fwd.in : fwd.out);
      close (sv[0]);
      close (sv[1]);
    }
  /* The first frames pay for cold caches and page faults. */
  if (lat->len > 100)
    g_array_remove_range (lat, 0, 50);
  print_latency (b, lat);
  if (dp)
    dp_stop (&d);
}

/* ~1 Mpps of a type no flow claims: what does the data path pay? */
static void
run_idle (Bench *b)
{
  Gen gen = { b, BASE_TYPE + 0x100, 1, IDLE_PPS, FALSE, -1, 0 };
  Dp d = { 0 };
  GThread *t_gen;
  guint64 cpu0, cpu1, t0, t1, s0, s1, rx0, rx1;
  guint64 v[NA_AGENT_N_STATS] = { 0 };

  b->flows = 1;
  dp_start (&d, b);
  t_gen = g_thread_new ("generator", gen_thread, &gen);
  sleep_ns (WARMUP_NS);
  cpu0 = na_datapath_get_cpu_time_ns (d.dp);
  s0 = __atomic_load_n (&gen.sent, __ATOMIC_RELAXED);
  t0 = now_ns ();
  na_dp_agent_get_stats (d.agent, v);
  rx0 = v[NA_AGENT_STAT_RX_FRAMES];
  sleep_ns ((guint64) (b->seconds * 1e9));
  cpu1 = na_datapath_get_cpu_time_ns (d.dp);
  s1 = __atomic_load_n (&gen.sent, __ATOMIC_RELAXED);
  t1 = now_ns ();
  na_dp_agent_get_stats (d.agent, v);
  rx1 = v[NA_AGENT_STAT_RX_FRAMES];
  g_atomic_int_set (&stop, 1);
  g_thread_join (t_gen);
  printf ("RESULT mode=idle size=%u flows=1 offered_pps=%.0f dp_cpu=%.3f%% dp_cpu_us=%.0f frames_reaching_dp=%" G_GUINT64_FORMAT "\n",
          b->size, (s1 - s0) / ((t1 - t0) / 1e9), 100.0 * (cpu1 - cpu0) / (t1 - t0),
          (cpu1 - cpu0) / 1e3, rx1 - rx0);
  dp_stop (&d);
}

int
main (int argc, char **argv)
{
  Bench b = { .size = 64, .flows = 1, .seconds = 2.0 };
  g_autofree char *nic = NULL, *wire = NULL;
  int size = 64, flows = 1, gap_us = 500, burst = 1;
  double seconds = 2.0;
  GOptionEntry entries[] = {
    { "nic", 0, 0, G_OPTION_ARG_STRING, &nic, "Interface of the data path", "IF" },
    { "wire", 0, 0, G_OPTION_ARG_STRING, &wire, "Its veth peer", "IF" },
    { "size", 0, 0, G_OPTION_ARG_INT, &size, "Frame length with header (64)", "N" },
    { "flows", 0, 0, G_OPTION_ARG_INT, &flows, "Flows (1)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Measurement window (2)", "S" },
    { "pin", 0, 0, G_OPTION_ARG_NONE, &b.pin, "Throughput runs: wire side on CPU 1, the rest on CPU 0", NULL },
    { "gap-us", 0, 0, G_OPTION_ARG_INT, &gap_us, "Latency runs: microseconds between frames (500)", "N" },
    { "burst", 0, 0, G_OPTION_ARG_INT, &burst, "Frames of one flow in a row (1: interleaved)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("MODE - data path benchmarks");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2 || !nic || !wire ||
      size < 64 || size > 1514 || flows < 1 || flows > 4096)
    {
      g_printerr ("%s\n", error ? error->message : "usage: na-bench MODE --nic IF --wire IF [--size 64..1514] [--flows N]");
      return 2;
    }
  b.mode = argv[1];
  b.nic = nic;
  b.wire = wire;
  b.size = (guint) size;
  b.flows = (guint) flows;
  b.seconds = seconds;
  b.gap_ns = (guint64) MAX (gap_us, 1) * 1000;
  b.burst = (guint) CLAMP (burst, 1, BATCH);
  link_info (nic, &b.nic_index, b.nic_mac);
  link_info (wire, &b.wire_index, b.wire_mac);
  /* Stamps need room. */
  g_assert (b.size >= 14 + sizeof (Payload));

  if (g_str_has_prefix (b.mode, "rx-"))
    run_rx (&b);
  else if (g_str_has_prefix (b.mode, "tx-"))
    run_tx (&b);
  else if (g_str_has_prefix (b.mode, "lat-"))
    run_latency (&b);
  else if (strcmp (b.mode, "idle") == 0)
    run_idle (&b);
  else
    {
      g_printerr ("unknown mode %s\n", b.mode);
      return 2;
    }
  return 0;
}
