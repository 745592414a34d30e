/* ps-outbox-service.h: sending the outbox over SMTP, for the app and CLI
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-context.h"
#include "ps-mail-template.h"
#include "ps-message-store.h"

G_BEGIN_DECLS

/* Attempts before a message is given up on (about 4 hours of retries). */
#define PS_OUTBOX_MAX_ATTEMPTS 8
/* How long a claim holds: far longer than one SMTP conversation (120 s). */
#define PS_OUTBOX_LEASE_SECONDS 600

/**
 * PsOutboxProblem:
 * @message_id: the outbox row
 * @to_address: its recipient
 * @status: where it stands now (queued for a retry, failed)
 * @error: what went wrong, for the merchant
 */
typedef struct
{
  gint64           message_id;
  char            *to_address;
  PsMessageStatus  status;
  char            *error;
} PsOutboxProblem;

/**
 * PsOutboxRun:
 * @n_sent: accepted by the server
 * @n_retrying: failed for now, queued again with a backoff
 * @n_failed: refused for good or out of attempts
 * @n_unknown: found stale after a crash with the body already handed
 *   over: marked failed ("delivery unknown"), not re-sent
 * @problems: (element-type PsOutboxProblem): one per message not sent
 *
 * What one pass over the due messages did.
 */
typedef struct
{
  guint      n_sent;
  guint      n_retrying;
  guint      n_failed;
  guint      n_unknown;
  GPtrArray *problems;
} PsOutboxRun;

void ps_outbox_run_free (PsOutboxRun *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOutboxRun, ps_outbox_run_free)

gint64 ps_outbox_retry_delay (guint attempts);

#define PS_TYPE_OUTBOX_SERVICE (ps_outbox_service_get_type ())

G_DECLARE_FINAL_TYPE (PsOutboxService, ps_outbox_service, PS, OUTBOX_SERVICE, GObject)

PsOutboxService   *ps_outbox_service_new                (PsContext            *context);
void               ps_outbox_service_set_now_func       (PsOutboxService      *self,
                                                         gint64              (*now_func) (gpointer),
                                                         gpointer              user_data);
void               ps_outbox_service_start              (PsOutboxService      *self,
                                                         guint                 interval_seconds);
void               ps_outbox_service_stop               (PsOutboxService      *self);

PsOutboxRun       *ps_outbox_service_send_due_sync      (PsOutboxService      *self,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void               ps_outbox_service_send_due_async     (PsOutboxService      *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PsOutboxRun       *ps_outbox_service_send_due_finish    (PsOutboxService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void               ps_outbox_service_list_async         (PsOutboxService      *self,
                                                         int                   status,
                                                         guint                 limit,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
GPtrArray         *ps_outbox_service_list_finish        (PsOutboxService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               ps_outbox_service_load_async         (PsOutboxService      *self,
                                                         gint64                message_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PsMessage         *ps_outbox_service_load_finish        (PsOutboxService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               ps_outbox_service_cancel_async       (PsOutboxService      *self,
                                                         gint64                message_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean           ps_outbox_service_cancel_finish      (PsOutboxService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               ps_outbox_service_send_now_async     (PsOutboxService      *self,
                                                         gint64                message_id,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PsOutboxRun       *ps_outbox_service_send_now_finish    (PsOutboxService      *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void               ps_outbox_service_load_settings_async  (PsOutboxService    *self,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
PsMailSettings    *ps_outbox_service_load_settings_finish (PsOutboxService    *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
gboolean           ps_outbox_service_check_settings       (const PsMailSettings *settings,
                                                           GError            **error);
void               ps_outbox_service_save_settings_async  (PsOutboxService    *self,
                                                           const PsMailSettings *settings,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean           ps_outbox_service_save_settings_finish (PsOutboxService    *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);

void               ps_outbox_service_list_templates_async  (PsOutboxService    *self,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
GPtrArray         *ps_outbox_service_list_templates_finish (PsOutboxService    *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);
void               ps_outbox_service_save_template_async   (PsOutboxService    *self,
                                                            const PsMessageTemplate *template_,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gint64             ps_outbox_service_save_template_finish  (PsOutboxService    *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);
void               ps_outbox_service_delete_template_async (PsOutboxService    *self,
                                                            const char         *name,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean           ps_outbox_service_delete_template_finish (PsOutboxService   *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);
void               ps_outbox_service_preview_async         (PsOutboxService    *self,
                                                            const PsMessageTemplate *template_,
                                                            gint64              order_id,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
PsMailRendered    *ps_outbox_service_preview_finish        (PsOutboxService    *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);
void               ps_outbox_service_revert_template_async  (PsOutboxService    *self,
                                                             const char         *name,
                                                             GCancellable       *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer            user_data);
PsMessageTemplate *ps_outbox_service_revert_template_finish (PsOutboxService    *self,
                                                             GAsyncResult       *result,
                                                             GError            **error);
void               ps_outbox_service_list_preview_orders_async  (PsOutboxService    *self,
                                                                 guint               limit,
                                                                 GCancellable       *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer            user_data);
GPtrArray         *ps_outbox_service_list_preview_orders_finish (PsOutboxService    *self,
                                                                 GAsyncResult       *result,
                                                                 GError            **error);
void               ps_outbox_service_send_test_async       (PsOutboxService    *self,
                                                            const char         *to_address,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean           ps_outbox_service_send_test_finish      (PsOutboxService    *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);

G_END_DECLS
