/* ps-error.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-error.h"

G_DEFINE_QUARK (ps-core-error-quark, ps_core_error)
