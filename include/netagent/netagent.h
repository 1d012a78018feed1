/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <netagent/netagent-names.h>
#include <netagent/netagent-flags.h>
#include <netagent/netagent-channel.h>
