/* ps-error.h: error domains of the layers below the UI
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_CORE_ERROR (ps_core_error_quark ())

/**
 * PsCoreError:
 * @PS_CORE_ERROR_INVALID: a value does not fit the vocabulary or format
 *   it claims (an unknown status nick, a malformed currency).
 */
typedef enum
{
  PS_CORE_ERROR_INVALID,
} PsCoreError;

GQuark ps_core_error_quark (void);

G_END_DECLS
