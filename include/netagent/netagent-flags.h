/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netagentd — flag values published by agents, with the seed's numbers so
 * that a client used to the xnu netagent reads them the same way.
 */
#pragma once

/* Agent "Flags" (netagent flags) */
#define NETAGENT_FLAG_REGISTERED          0x0001u
#define NETAGENT_FLAG_ACTIVE              0x0002u
#define NETAGENT_FLAG_NETWORK_PROVIDER    0x0040u
#define NETAGENT_FLAG_NEXUS_PROVIDER      0x0080u
#define NETAGENT_FLAG_NEXUS_LISTENER      0x0400u
#define NETAGENT_FLAG_CUSTOM_ETHER_NEXUS  0x2000u
#define NETAGENT_FLAG_INTERPOSE_NEXUS     0x8000u

/* Agent "NexusFlags" */
#define NETAGENT_NEXUS_FLAG_SUPPORTS_USER_PACKET_POOL 0x1u
#define NETAGENT_NEXUS_FLAG_ASSERT_UNSUPPORTED        0x2u
#define NETAGENT_NEXUS_FLAG_SHOULD_USE_EVENT_RING     0x4u

/* Agent "FrameType" */
#define NETAGENT_NEXUS_FRAME_TYPE_LINK 1u
