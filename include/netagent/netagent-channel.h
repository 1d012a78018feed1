/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netagentd — what travels on a flow's channel.
 *
 * A socketpair channel is AF_UNIX/SOCK_SEQPACKET: one message is one
 * Ethernet frame with its 14-byte header.  A filter flow's messages carry
 * the header below in front of the frame; a message written back continues
 * on its way, one not written back is dropped.
 */
#pragma once

#include <stdint.h>

#define NETAGENT_FILTER_HEADER_VERSION 1

enum netagent_filter_direction {
	NETAGENT_FILTER_FROM_WIRE = 0,
	NETAGENT_FILTER_TO_WIRE   = 1,
};

struct netagent_filter_header {
	uint8_t  version;   /* NETAGENT_FILTER_HEADER_VERSION */
	uint8_t  direction; /* enum netagent_filter_direction */
	uint16_t reserved;  /* 0 */
};

_Static_assert (sizeof (struct netagent_filter_header) == 4,
                "the filter header is 4 bytes on the wire");

/* Environment variable netagentctl sets for a command run with a channel */
#define NETAGENT_CHANNEL_FD_ENV "NETAGENT_CHANNEL_FD"
