/* ps-context.h: the services an application or the CLI works with
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-filter-store.h"
#include "ps-order-store.h"

G_BEGIN_DECLS

#define PS_TYPE_CONTEXT (ps_context_get_type ())

G_DECLARE_FINAL_TYPE (PsContext, ps_context, PS, CONTEXT, GObject)

/**
 * PsContextFlags:
 * @PS_CONTEXT_FLAGS_NONE: open or create an empty database
 * @PS_CONTEXT_FLAGS_DEMO_IF_NEW: when the file does not exist yet, fill it
 *   with the built-in demo history (the app's first start)
 */
typedef enum
{
  PS_CONTEXT_FLAGS_NONE        = 0,
  PS_CONTEXT_FLAGS_DEMO_IF_NEW = 1 << 0,
} PsContextFlags;

char         *ps_context_dup_default_path (void);
void          ps_context_open_async       (const char           *path,
                                           PsContextFlags        flags,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
PsContext    *ps_context_open_finish      (GAsyncResult         *result,
                                           GError              **error);
PsContext    *ps_context_open             (const char           *path,
                                           PsContextFlags        flags,
                                           GCancellable         *cancellable,
                                           GError              **error);
PsDatabase   *ps_context_get_database     (PsContext            *self);
PsOrderStore *ps_context_get_order_store  (PsContext            *self);
PsFilterStore *ps_context_get_filter_store (PsContext           *self);
gboolean      ps_context_get_created_demo (PsContext            *self);

G_END_DECLS
