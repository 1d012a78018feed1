/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test-link"

/* <net/if.h> first: <linux/if.h> (for IFF_LOWER_UP) then adds only what it lacks. */
#include <net/if.h>
#include <linux/if.h>
#include <net/if_arp.h>

#include "na-link.h"

static NaLinkInfo
sample (void)
{
  NaLinkInfo info = {
    .ifindex = 7,
    .name = "na0",
    .arptype = ARPHRD_ETHER,
    .mac = { 0x02, 0xab, 0x0c, 0x00, 0xff, 0x10 },
    .has_ether_mac = TRUE,
    .mtu = 1500,
    .flags = IFF_UP | IFF_LOWER_UP,
    .up = TRUE,
  };
  return info;
}

static void
test_mac_string (void)
{
  NaLinkInfo info = sample ();
  g_autofree char *str = na_link_info_mac_string (&info);

  g_assert_cmpstr (str, ==, "02:ab:0c:00:ff:10");
}

static void
test_equal (void)
{
  NaLinkInfo a = sample ();
  NaLinkInfo b = sample ();

  g_assert_true (na_link_info_equal (&a, &b));

  b.mtu = 1400;
  g_assert_false (na_link_info_equal (&a, &b));
  b = sample ();
  b.mac[5] ^= 1;
  g_assert_false (na_link_info_equal (&a, &b));
  b = sample ();
  g_strlcpy (b.name, "na1", sizeof b.name);
  g_assert_false (na_link_info_equal (&a, &b));
  b = sample ();
  b.up = FALSE;
  g_assert_false (na_link_info_equal (&a, &b));
  b = sample ();
  b.flags |= IFF_RUNNING;
  g_assert_false (na_link_info_equal (&a, &b));
  b = sample ();
  b.ifindex = 8;
  g_assert_false (na_link_info_equal (&a, &b));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/info/mac-string", test_mac_string);
  g_test_add_func ("/link/info/equal", test_equal);

  return g_test_run ();
}
