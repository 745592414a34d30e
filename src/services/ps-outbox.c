/* ps-outbox.c: queue a customer email for an order
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-outbox.h"

gint64
ps_outbox_enqueue_sync (PsDatabase  *db,
                        const char  *template_name,
                        gint64       order_id,
                        gint64       event_id,
                        const char  *to_address,
                        const char  *dedup_key,
                        gint64       now,
                        gboolean    *created,
                        GError     **error)
{
  g_return_val_if_fail (PS_IS_DATABASE (db), 0);
  g_return_val_if_fail (template_name != NULL, 0);
  g_return_val_if_fail (dedup_key != NULL, 0);

  if (created != NULL)
    *created = FALSE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "ps_outbox_enqueue_sync: not implemented yet");
  return 0;
}
