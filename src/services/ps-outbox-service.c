/* ps-outbox-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends the outbox: claim the due messages (ps-message-store.c explains
 * the states and the crash rules), compose each with GMime, hand it to
 * the SMTP server with libcurl, record the answer. One pass runs in a
 * GTask thread, talking to the database worker with blocking jobs, so
 * neither SQL nor SMTP ever runs on the main thread.
 *
 * What is guaranteed ("never twice"):
 *   * one message per dedup key (UNIQUE in SQL);
 *   * one sender per message at a time (the claim is a committed lease);
 *   * a message is re-sent automatically only when the server cannot
 *     have accepted it: the attempt failed before the body went out, or
 *     the server answered the body with an error. When the sender died or
 *     the connection broke after the body went out and before the
 *     server's answer, the message is marked failed "delivery unknown"
 *     and waits for the merchant (Send now). That resend — a merchant's
 *     decision — is the only way one message can reach the server twice,
 *     and it carries the same Message-ID so the receiving side can tell.
 *   * A claim outlives its lease only if a sender stalls for more than
 *     PS_OUTBOX_LEASE_SECONDS (600 s) in one conversation while curl's
 *     timeout is 120 s: only a suspended machine can do that.
 */

#define G_LOG_DOMAIN "ps-outbox-service"

#include "config.h"

#include <string.h>

#include "ps-mail-compose.h"
#include "ps-outbox.h"
#include "ps-outbox-service.h"
#include "ps-smtp.h"
#include "ps-time.h"

struct _PsOutboxService
{
  GObject        parent_instance;

  PsContext     *context;
  gint64       (*now_func) (gpointer);
  gpointer       now_data;

  /* main thread */
  guint          timer_id;
  GCancellable  *cancellable;
  gboolean       sending;
};

G_DEFINE_FINAL_TYPE (PsOutboxService, ps_outbox_service, G_TYPE_OBJECT)

enum {
  OUTBOX_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
problem_free (PsOutboxProblem *p)
{
  g_free (p->to_address);
  g_free (p->error);
  g_free (p);
}

void
ps_outbox_run_free (PsOutboxRun *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self);
}

static PsOutboxRun *
run_new (void)
{
  PsOutboxRun *run = g_new0 (PsOutboxRun, 1);

  run->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)problem_free);
  return run;
}

/**
 * ps_outbox_retry_delay:
 * @attempts: attempts made so far (1 after the first)
 *
 * The backoff: 1, 2, 4, 8 … minutes, at most 6 hours.
 *
 * Returns: seconds until the next attempt
 */
gint64
ps_outbox_retry_delay (guint attempts)
{
  if (attempts == 0)
    return 0;
  if (attempts > 9)
    return 6 * 3600;
  return MIN ((gint64)60 << (attempts - 1), 6 * 3600);
}

static gint64
now (PsOutboxService *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : ps_time_now ();
}

static PsDatabase *
database (PsOutboxService *self)
{
  return ps_context_get_database (self->context);
}

/* Database jobs. One argument struct for all of them. */

typedef struct
{
  gint64             id;
  gint64             now;
  int                status;
  guint              limit;
  char              *name;
  char              *reason;
  gboolean           count_attempt;
  PsMailSettings    *settings;
  PsMessageTemplate *template_;
} Args;

static void
args_free (Args *a)
{
  g_free (a->name);
  g_free (a->reason);
  g_clear_pointer (&a->settings, ps_mail_settings_free);
  g_clear_pointer (&a->template_, ps_message_template_free);
  g_free (a);
}

static Args *
args_new (gint64 id,
          gint64 t)
{
  Args *a = g_new0 (Args, 1);

  a->id = id;
  a->now = t;
  return a;
}

static gpointer
load_settings_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  return ps_message_store_load_settings_sync (db, error);
}

static gpointer
save_settings_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_save_settings_sync (db, a->settings, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
claim_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;
  guint n_unknown = 0;
  GPtrArray *claimed = ps_message_store_claim_due_sync (db, a->now, PS_OUTBOX_LEASE_SECONDS, 50,
                                                        &n_unknown, error);

  a->limit = n_unknown;
  return claimed;
}

static gpointer
data_sent_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_mark_data_sent_sync (db, a->id, a->now, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
sent_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_mark_sent_sync (db, a->id, a->now, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
retry_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_mark_retry_sync (db, a->id, a->reason, a->now, a->count_attempt, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
failed_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_mark_failed_sync (db, a->id, a->reason, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
list_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_list_sync (db, a->status, a->limit, error);
}

static gpointer
load_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_load_sync (db, a->id, error);
}

static gpointer
cancel_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_cancel_sync (db, a->id, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
send_now_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_send_now_sync (db, a->id, a->now, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
list_templates_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  return ps_message_store_list_templates_sync (db, error);
}

static gpointer
save_template_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;
  gint64 *id = g_new0 (gint64, 1);

  *id = ps_message_store_save_template_sync (db, a->template_, a->now, error);
  if (*id == 0)
    g_clear_pointer (&id, g_free);
  return id;
}

static gpointer
delete_template_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_delete_template_sync (db, a->name, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
preview_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_outbox_render_sync (db, a->template_->subject, a->template_->body_html,
                                a->template_->body_text, a->id, 0, error);
}

static gpointer
revert_template_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_revert_template_sync (db, a->name, a->now, error);
}

static gpointer
shipped_orders_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Args *a = data;

  return ps_message_store_list_shipped_orders_sync (db, a->limit, error);
}

/* Runs a job for the public async API; source tag = the public function. */
static void
run_job (PsOutboxService     *self,
         gpointer             source_tag,
         PsDatabaseJob        job,
         Args                *args,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  ps_database_run_for_async (database (self), self, source_tag, job, args, (GDestroyNotify)args_free,
                             result_free, cancellable, callback, user_data);
}

static gpointer
finish_job (PsOutboxService  *self,
            GAsyncResult     *result,
            gpointer          source_tag,
            gboolean          changes_outbox,
            GError          **error)
{
  gpointer value = ps_database_run_for_finish (result, self, source_tag, error);

  if (value != NULL && changes_outbox)
    g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  return value;
}

/* Sending (on a GTask thread) */

static gboolean
mark (PsOutboxService  *self,
      PsDatabaseJob     job,
      gint64            id,
      gint64            t,
      const char       *reason,
      gboolean          count_attempt)
{
  g_autoptr(GError) error = NULL;
  g_autofree Args *a = args_new (id, t);
  gboolean ok;

  a->reason = (char *)reason;
  a->count_attempt = count_attempt;
  ok = ps_database_run_sync (database (self), job, a, NULL, &error) != NULL;
  if (!ok)
    g_warning ("Could not record the outcome of message %" G_GINT64_FORMAT ": %s", id, error->message);
  return ok;
}

typedef struct
{
  PsOutboxService *self;
  gint64           id;
  gboolean         started;
} DataSent;

/* Called by ps-smtp just before the body goes out: commit that first. */
static gboolean
on_data_cb (gpointer   user_data,
            GError   **error)
{
  DataSent *d = user_data;
  g_autofree Args *a = args_new (d->id, now (d->self));

  if (ps_database_run_sync (database (d->self), data_sent_job, a, NULL, error) == NULL)
    return FALSE;
  d->started = TRUE;
  return TRUE;
}

static void
add_problem (PsOutboxRun     *run,
             const PsMessage *m,
             PsMessageStatus  status,
             const char      *error)
{
  PsOutboxProblem *p = g_new0 (PsOutboxProblem, 1);

  p->message_id = m->id;
  p->to_address = g_strdup (m->to_address);
  p->status = status;
  p->error = g_strdup (error);
  g_ptr_array_add (run->problems, p);
}

static void
send_one (PsOutboxService      *self,
          const PsMessage      *m,
          const PsMailSettings *settings,
          const PsSmtpConfig   *config,
          PsOutboxRun          *run,
          GCancellable         *cancellable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *reason = NULL;
  DataSent data_sent = { self, m->id, FALSE };
  PsMailDraft draft = { 0 };
  gint64 t = now (self);

  draft.from_address = settings->from_address;
  draft.from_name = settings->from_name ? settings->from_name : settings->shop_name;
  draft.reply_to = settings->reply_to;
  draft.to_address = m->to_address;
  draft.to_name = m->customer_name;
  draft.subject = m->subject;
  draft.text = m->body_text;
  draft.html = m->body_html;
  draft.message_id = m->message_id ? m->message_id : m->dedup_key;
  draft.date = t;
  if (settings->logo_path != NULL && *settings->logo_path != '\0')
    {
      draft.logo_path = settings->logo_path;
      draft.logo_cid = PS_OUTBOX_LOGO_CID;
    }

  bytes = ps_mail_compose (&draft, &error);
  if (bytes == NULL)
    {
      mark (self, failed_job, m->id, t, error->message, TRUE);
      add_problem (run, m, PS_MESSAGE_STATUS_FAILED, error->message);
      run->n_failed++;
      return;
    }

  if (ps_smtp_send_sync (config, settings->from_address, m->to_address, bytes,
                         on_data_cb, &data_sent, cancellable, &error))
    {
      mark (self, sent_job, m->id, now (self), NULL, TRUE);
      run->n_sent++;
      return;
    }

  t = now (self);
  if (!data_sent.started && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped before the server had anything: not an attempt. */
      mark (self, retry_job, m->id, t, "Sending was stopped", FALSE);
      add_problem (run, m, PS_MESSAGE_STATUS_QUEUED, error->message);
      run->n_retrying++;
      return;
    }
  if (ps_smtp_error_is_permanent (error))
    {
      mark (self, failed_job, m->id, t, error->message, TRUE);
      add_problem (run, m, PS_MESSAGE_STATUS_FAILED, error->message);
      run->n_failed++;
      return;
    }
  if (data_sent.started && !g_error_matches (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TEMPORARY))
    {
      /* The body went out and no answer came back: maybe delivered. */
      reason = g_strdup_printf ("Delivery unknown: the connection ended after the message was "
                                "handed to the server and before it answered (%s). It is not sent "
                                "again on its own; use Send now to send it again (same Message-ID)",
                                error->message);
      mark (self, failed_job, m->id, t, reason, TRUE);
      add_problem (run, m, PS_MESSAGE_STATUS_FAILED, reason);
      run->n_unknown++;
      return;
    }
  if (m->attempts >= PS_OUTBOX_MAX_ATTEMPTS)
    {
      reason = g_strdup_printf ("Gave up after %u attempts: %s", m->attempts, error->message);
      mark (self, failed_job, m->id, t, reason, TRUE);
      add_problem (run, m, PS_MESSAGE_STATUS_FAILED, reason);
      run->n_failed++;
      return;
    }
  mark (self, retry_job, m->id, t + ps_outbox_retry_delay (m->attempts), error->message, TRUE);
  add_problem (run, m, PS_MESSAGE_STATUS_QUEUED, error->message);
  run->n_retrying++;
}

/* The SMTP configuration from @settings, with the password from the
 * keyring when there is a user. *password must be freed after use. */
static gboolean
smtp_config (const PsMailSettings  *settings,
             PsSmtpConfig          *config,
             char                 **password,
             GCancellable          *cancellable,
             GError               **error)
{
  if (settings->smtp_host == NULL || settings->from_address == NULL)
    {
      g_set_error_literal (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED,
                           "Email is not set up: set the SMTP server and the From address in the "
                           "email settings (or postsale-cli smtp set)");
      return FALSE;
    }
  config->host = settings->smtp_host;
  config->port = settings->smtp_port > 0 ? settings->smtp_port : 0;
  if (!ps_smtp_security_from_nick (settings->smtp_security, &config->security))
    config->security = PS_SMTP_SECURITY_STARTTLS;
  config->user = settings->smtp_user;
  if (config->user != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      *password = ps_smtp_password_lookup_sync (settings->smtp_host, config->user, cancellable, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (*password == NULL)
        {
          g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_AUTH,
                       "The keyring has no SMTP password for %s on %s: enter it in the email settings",
                       config->user, settings->smtp_host);
          return FALSE;
        }
      config->password = *password;
    }

  return TRUE;
}

/**
 * ps_outbox_service_send_due_sync:
 * @self: a #PsOutboxService
 * @cancellable: (nullable): stops between and inside messages
 * @error: return location for an error
 *
 * One pass: sends every due message (up to 50) and records each outcome.
 * Blocks on the database worker, the keyring and the SMTP server: never
 * call it on the main thread.
 *
 * Returns: (transfer full) (nullable): what happened, or %NULL with
 *   %PS_SMTP_ERROR_NOT_CONFIGURED, a keyring or a store error (then no
 *   message was touched)
 */
PsOutboxRun *
ps_outbox_service_send_due_sync (PsOutboxService  *self,
                                 GCancellable     *cancellable,
                                 GError          **error)
{
  g_autoptr(PsMailSettings) settings = NULL;
  g_autoptr(PsOutboxRun) run = run_new ();
  g_autoptr(GPtrArray) claimed = NULL;
  g_autofree char *password = NULL;
  g_autofree Args *a = NULL;
  PsSmtpConfig config = { 0 };

  g_return_val_if_fail (PS_IS_OUTBOX_SERVICE (self), NULL);

  settings = ps_database_run_sync (database (self), load_settings_job, NULL, cancellable, error);
  if (settings == NULL)
    return NULL;
  if (!smtp_config (settings, &config, &password, cancellable, error))
    return NULL;

  a = args_new (0, now (self));
  claimed = ps_database_run_sync (database (self), claim_job, a, cancellable, error);
  if (claimed == NULL)
    return NULL;
  run->n_unknown = a->limit;

  for (guint i = 0; i < claimed->len; i++)
    {
      const PsMessage *m = g_ptr_array_index (claimed, i);

      if (g_cancellable_is_cancelled (cancellable))
        {
          mark (self, retry_job, m->id, now (self), "Sending was stopped", FALSE);
          run->n_retrying++;
          continue;
        }
      send_one (self, m, settings, &config, run, cancellable);
    }
  return g_steal_pointer (&run);
}

static void
send_due_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;
  PsOutboxRun *run = ps_outbox_service_send_due_sync (source_object, cancellable, &error);

  if (run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, run, (GDestroyNotify)ps_outbox_run_free);
}

/**
 * ps_outbox_service_send_due_async:
 * @self: a #PsOutboxService
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * ps_outbox_service_send_due_sync() in a GTask thread.
 */
void
ps_outbox_service_send_due_async (PsOutboxService     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_outbox_service_send_due_async);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_run_in_thread (task, send_due_thread);
}

/**
 * ps_outbox_service_send_due_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Emits #PsOutboxService::outbox-changed when a message changed.
 *
 * Returns: (transfer full) (nullable): what the pass did
 */
PsOutboxRun *
ps_outbox_service_send_due_finish (PsOutboxService  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  PsOutboxRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_outbox_service_send_due_async, NULL);

  run = g_task_propagate_pointer (G_TASK (result), error);
  if (run != NULL && run->n_sent + run->n_retrying + run->n_failed + run->n_unknown > 0)
    g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  return run;
}

/* Periodic sending */

static void
periodic_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PsOutboxService *self = PS_OUTBOX_SERVICE (object);
  g_autoptr(PsOutboxRun) run = NULL;
  g_autoptr(GError) error = NULL;

  self->sending = FALSE;
  run = ps_outbox_service_send_due_finish (self, result, &error);
  if (run == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED))
    g_debug ("Outbox pass failed: %s", error->message);
}

static gboolean
on_timer_cb (gpointer user_data)
{
  PsOutboxService *self = user_data;

  if (!self->sending)
    {
      self->sending = TRUE;
      ps_outbox_service_send_due_async (self, self->cancellable, periodic_cb, NULL);
    }
  return G_SOURCE_CONTINUE;
}

/**
 * ps_outbox_service_start:
 * @self: a #PsOutboxService
 * @interval_seconds: how often to look for due messages (0: 60)
 *
 * Sends due messages in the background, now and then every
 * @interval_seconds, on the thread-default main context. Quiet while
 * email is not set up.
 */
void
ps_outbox_service_start (PsOutboxService *self,
                         guint            interval_seconds)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  ps_outbox_service_stop (self);
  self->cancellable = g_cancellable_new ();
  self->timer_id = g_timeout_add_seconds_full (G_PRIORITY_LOW, interval_seconds ? interval_seconds : 60,
                                               on_timer_cb, self, NULL);
  on_timer_cb (self);
}

/**
 * ps_outbox_service_stop:
 * @self: a #PsOutboxService
 *
 * Stops background sending; a message being sent is finished or put back.
 */
void
ps_outbox_service_stop (PsOutboxService *self)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* The Outbox view */

/**
 * ps_outbox_service_list_async:
 * @self: a #PsOutboxService
 * @status: a #PsMessageStatus, or -1 for all
 * @limit: at most this many, newest first (0: 500)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Lists messages (without their bodies; ps_outbox_service_load_async()
 * has them).
 */
void
ps_outbox_service_list_async (PsOutboxService     *self,
                              int                  status,
                              guint                limit,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  a = args_new (0, 0);
  a->status = status;
  a->limit = limit;
  run_job (self, ps_outbox_service_list_async, list_job, a, (GDestroyNotify)g_ptr_array_unref,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_list_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type PsMessage) (nullable): the
 *   messages
 */
GPtrArray *
ps_outbox_service_list_finish (PsOutboxService  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  return finish_job (self, result, ps_outbox_service_list_async, FALSE, error);
}

/**
 * ps_outbox_service_load_async:
 * @self: a #PsOutboxService
 * @message_id: the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Loads one message with its text and HTML.
 */
void
ps_outbox_service_load_async (PsOutboxService     *self,
                              gint64               message_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  run_job (self, ps_outbox_service_load_async, load_job, args_new (message_id, 0),
           (GDestroyNotify)ps_message_free, cancellable, callback, user_data);
}

/**
 * ps_outbox_service_load_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the message
 */
PsMessage *
ps_outbox_service_load_finish (PsOutboxService  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  return finish_job (self, result, ps_outbox_service_load_async, FALSE, error);
}

/**
 * ps_outbox_service_cancel_async:
 * @self: a #PsOutboxService
 * @message_id: a queued or failed message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Cancels a message that has not been sent (%PS_MESSAGE_ERROR_STATE for
 * one that is sent or being sent).
 */
void
ps_outbox_service_cancel_async (PsOutboxService     *self,
                                gint64               message_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  run_job (self, ps_outbox_service_cancel_async, cancel_job, args_new (message_id, 0), NULL,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_cancel_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if cancelled (emits #PsOutboxService::outbox-changed)
 */
gboolean
ps_outbox_service_cancel_finish (PsOutboxService  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  return finish_job (self, result, ps_outbox_service_cancel_async, TRUE, error) != NULL;
}

static void
send_now_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PsOutboxRun *run = g_task_propagate_pointer (G_TASK (result), &error);

  if (run == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, run, (GDestroyNotify)ps_outbox_run_free);
}

static void
send_now_queued_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsOutboxService *self = g_task_get_source_object (task);
  GCancellable *cancellable;
  GError *error = NULL;
  GTask *pass;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  pass = g_task_new (self, cancellable, send_now_sent_cb, g_steal_pointer (&task));
  g_task_set_source_tag (pass, ps_outbox_service_send_due_async);
  g_task_run_in_thread (pass, send_due_thread);
  g_object_unref (pass);
}

/**
 * ps_outbox_service_send_now_async:
 * @self: a #PsOutboxService
 * @message_id: a queued, failed or cancelled message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * "Send now": makes the message due and runs a sending pass (which also
 * sends any other due message). A sent message is never sent again
 * (%PS_MESSAGE_ERROR_STATE).
 */
void
ps_outbox_service_send_now_async (PsOutboxService     *self,
                                  gint64               message_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_outbox_service_send_now_async);
  a = args_new (message_id, now (self));
  ps_database_run_async (database (self), send_now_job, a, (GDestroyNotify)args_free, NULL,
                         cancellable, send_now_queued_cb, task);
}

/**
 * ps_outbox_service_send_now_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the pass did; the message's
 *   own outcome is in @n_sent or @problems (emits
 *   #PsOutboxService::outbox-changed)
 */
PsOutboxRun *
ps_outbox_service_send_now_finish (PsOutboxService  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  PsOutboxRun *run;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_outbox_service_send_now_async, NULL);

  run = g_task_propagate_pointer (G_TASK (result), error);
  g_signal_emit (self, signals[OUTBOX_CHANGED], 0);
  return run;
}

/* Settings */

/**
 * ps_outbox_service_load_settings_async:
 * @self: a #PsOutboxService
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Loads the email settings (SMTP server, sender, brand).
 */
void
ps_outbox_service_load_settings_async (PsOutboxService     *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  run_job (self, ps_outbox_service_load_settings_async, load_settings_job, args_new (0, 0),
           (GDestroyNotify)ps_mail_settings_free, cancellable, callback, user_data);
}

/**
 * ps_outbox_service_load_settings_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the settings
 */
PsMailSettings *
ps_outbox_service_load_settings_finish (PsOutboxService  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  return finish_job (self, result, ps_outbox_service_load_settings_async, FALSE, error);
}

static gboolean
valid_address (const char *address)
{
  const char *at = address ? strchr (address, '@') : NULL;

  return at != NULL && at > address && at[1] != '\0' && strpbrk (address, "<>\r\n \t,;\"") == NULL;
}

/**
 * ps_outbox_service_check_settings:
 * @settings: settings about to be saved
 * @error: return location for a %G_IO_ERROR_INVALID_ARGUMENT naming the
 *   field
 *
 * Returns: %TRUE if @settings can be saved
 */
gboolean
ps_outbox_service_check_settings (const PsMailSettings  *settings,
                                  GError               **error)
{
  PsSmtpSecurity security;

  g_return_val_if_fail (settings != NULL, FALSE);

  if (settings->smtp_port < 0 || settings->smtp_port > 65535)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The SMTP port %d is not a port number (1–65535)", settings->smtp_port);
  else if (settings->smtp_security != NULL && !ps_smtp_security_from_nick (settings->smtp_security, &security))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The SMTP security “%s” is not one of none, starttls-optional, starttls, tls",
                 settings->smtp_security);
  else if (settings->smtp_host != NULL && strpbrk (settings->smtp_host, " /\r\n") != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The SMTP server “%s” is not a host name", settings->smtp_host);
  else if (settings->from_address != NULL && !valid_address (settings->from_address))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The From address “%s” is not an email address", settings->from_address);
  else if (settings->reply_to != NULL && *settings->reply_to != '\0' && !valid_address (settings->reply_to))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                 "The Reply-To address “%s” is not an email address", settings->reply_to);
  else
    return TRUE;
  return FALSE;
}

/**
 * ps_outbox_service_save_settings_async:
 * @self: a #PsOutboxService
 * @settings: the settings (copied); checked with
 *   ps_outbox_service_check_settings() first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Saves the email settings. The password is not one of them: store it
 * with ps_smtp_password_store_async().
 */
void
ps_outbox_service_save_settings_async (PsOutboxService      *self,
                                       const PsMailSettings *settings,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  GError *error = NULL;
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (settings != NULL);

  if (!ps_outbox_service_check_settings (settings, &error))
    {
      GTask *task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, ps_outbox_service_save_settings_async);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  a = args_new (0, 0);
  a->settings = ps_mail_settings_copy (settings);
  run_job (self, ps_outbox_service_save_settings_async, save_settings_job, a, NULL,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_save_settings_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if saved
 */
gboolean
ps_outbox_service_save_settings_finish (PsOutboxService  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  return finish_job (self, result, ps_outbox_service_save_settings_async, FALSE, error) != NULL;
}

/* Templates */

/**
 * ps_outbox_service_list_templates_async:
 * @self: a #PsOutboxService
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Lists the message templates, built-in ones first.
 */
void
ps_outbox_service_list_templates_async (PsOutboxService     *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  run_job (self, ps_outbox_service_list_templates_async, list_templates_job, args_new (0, 0),
           (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * ps_outbox_service_list_templates_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type PsMessageTemplate) (nullable):
 *   the templates
 */
GPtrArray *
ps_outbox_service_list_templates_finish (PsOutboxService  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  return finish_job (self, result, ps_outbox_service_list_templates_async, FALSE, error);
}

static gboolean
return_if_invalid (PsOutboxService          *self,
                   const PsMessageTemplate  *template_,
                   gpointer                  source_tag,
                   GCancellable             *cancellable,
                   GAsyncReadyCallback       callback,
                   gpointer                  user_data)
{
  GError *error = NULL;
  GTask *task;

  if (template_->name != NULL && *template_->name != '\0' &&
      ps_mail_template_check (template_->subject, template_->body_html, template_->body_text, &error))
    return FALSE;
  if (error == NULL)
    error = g_error_new_literal (PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_SYNTAX,
                                 "The template needs a name");
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_return_error (task, error);
  g_object_unref (task);
  return TRUE;
}

/**
 * ps_outbox_service_save_template_async:
 * @self: a #PsOutboxService
 * @template_: the template (copied)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Checks the template (an unknown placeholder fails with
 * %PS_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER, naming it) and saves it.
 */
void
ps_outbox_service_save_template_async (PsOutboxService          *self,
                                       const PsMessageTemplate  *template_,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (template_ != NULL && template_->subject != NULL);
  g_return_if_fail (template_->body_html != NULL && template_->body_text != NULL);

  if (return_if_invalid (self, template_, ps_outbox_service_save_template_async,
                         cancellable, callback, user_data))
    return;
  a = args_new (0, now (self));
  a->template_ = ps_message_template_copy (template_);
  run_job (self, ps_outbox_service_save_template_async, save_template_job, a, g_free,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_save_template_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: the template's id, or 0 with @error set
 */
gint64
ps_outbox_service_save_template_finish (PsOutboxService  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_autofree gint64 *id = finish_job (self, result, ps_outbox_service_save_template_async, FALSE, error);

  return id != NULL ? *id : 0;
}

/**
 * ps_outbox_service_delete_template_async:
 * @self: a #PsOutboxService
 * @name: a template the merchant made
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Deletes a template (%PS_MESSAGE_ERROR_BUILTIN for a built-in one).
 */
void
ps_outbox_service_delete_template_async (PsOutboxService     *self,
                                         const char          *name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (name != NULL);

  a = args_new (0, 0);
  a->name = g_strdup (name);
  run_job (self, ps_outbox_service_delete_template_async, delete_template_job, a, NULL,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_delete_template_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if deleted
 */
gboolean
ps_outbox_service_delete_template_finish (PsOutboxService  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return finish_job (self, result, ps_outbox_service_delete_template_async, FALSE, error) != NULL;
}

/**
 * ps_outbox_service_preview_async:
 * @self: a #PsOutboxService
 * @template_: a template, saved or not (copied)
 * @order_id: a real order to fill it in with
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * The template editor's preview with a real order and the current brand.
 */
void
ps_outbox_service_preview_async (PsOutboxService          *self,
                                 const PsMessageTemplate  *template_,
                                 gint64                    order_id,
                                 GCancellable             *cancellable,
                                 GAsyncReadyCallback       callback,
                                 gpointer                  user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (template_ != NULL && template_->subject != NULL);
  g_return_if_fail (template_->body_html != NULL && template_->body_text != NULL);

  a = args_new (order_id, 0);
  a->template_ = ps_message_template_copy (template_);
  run_job (self, ps_outbox_service_preview_async, preview_job, a, (GDestroyNotify)ps_mail_rendered_free,
           cancellable, callback, user_data);
}

/**
 * ps_outbox_service_preview_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): subject, text and HTML
 */
PsMailRendered *
ps_outbox_service_preview_finish (PsOutboxService  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return finish_job (self, result, ps_outbox_service_preview_async, FALSE, error);
}

/**
 * ps_outbox_service_revert_template_async:
 * @self: a #PsOutboxService
 * @name: a built-in template's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Puts back the text a built-in template shipped with
 * (ps_message_store_builtin_template()).
 */
void
ps_outbox_service_revert_template_async (PsOutboxService     *self,
                                         const char          *name,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (name != NULL);

  a = args_new (0, now (self));
  a->name = g_strdup (name);
  run_job (self, ps_outbox_service_revert_template_async, revert_template_job, a,
           (GDestroyNotify)ps_message_template_free, cancellable, callback, user_data);
}

/**
 * ps_outbox_service_revert_template_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the template as now stored, or
 *   %NULL with %PS_MESSAGE_ERROR_NOT_FOUND when it is not built in
 */
PsMessageTemplate *
ps_outbox_service_revert_template_finish (PsOutboxService  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  return finish_job (self, result, ps_outbox_service_revert_template_async, FALSE, error);
}

/**
 * ps_outbox_service_list_preview_orders_async:
 * @self: a #PsOutboxService
 * @limit: at most this many
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Orders to preview a template with: those with a shipment, newest first.
 */
void
ps_outbox_service_list_preview_orders_async (PsOutboxService     *self,
                                             guint                limit,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  Args *a;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  a = args_new (0, 0);
  a->limit = limit;
  run_job (self, ps_outbox_service_list_preview_orders_async, shipped_orders_job, a,
           (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * ps_outbox_service_list_preview_orders_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type PsMessageOrder) (nullable):
 *   the orders (id, order_number and customer_name set)
 */
GPtrArray *
ps_outbox_service_list_preview_orders_finish (PsOutboxService  *self,
                                              GAsyncResult     *result,
                                              GError          **error)
{
  return finish_job (self, result, ps_outbox_service_list_preview_orders_async, FALSE, error);
}

/* Test message */

static void
send_test_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PsOutboxService *self = source_object;
  const char *to = task_data;
  g_autoptr(PsMailSettings) settings = NULL;
  g_autoptr(PsMailRendered) rendered = NULL;
  g_autoptr(PsMailContext) context = ps_mail_context_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *password = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *key = NULL;
  PsSmtpConfig config = { 0 };
  PsMailBrand brand = { 0 };
  PsMailDraft draft = { 0 };
  GError *error = NULL;
  gboolean has_logo;

  settings = ps_database_run_sync (database (self), load_settings_job, NULL, cancellable, &error);
  if (settings == NULL || !smtp_config (settings, &config, &password, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  has_logo = settings->logo_path != NULL && *settings->logo_path != '\0';
  brand.shop_name = settings->shop_name;
  brand.color = settings->brand_color;
  brand.logo_cid = has_logo ? PS_OUTBOX_LOGO_CID : NULL;
  context->order_number = g_strdup ("TEST");
  rendered = ps_mail_template_render ("Test email from {{shop_name}}",
                                      "<p>This is a test email from Postsale.</p>"
                                      "<p>Customer emails from {{shop_name}} will look like this.</p>",
                                      "This is a test email from Postsale.\n\n"
                                      "Customer emails from {{shop_name}} will come from this address.\n",
                                      context, &brand, &error);
  if (rendered == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  key = g_strdup_printf ("test:%" G_GINT64_FORMAT, g_get_real_time ());
  message_id = ps_mail_make_message_id (key, settings->from_address);
  draft.from_address = settings->from_address;
  draft.from_name = settings->from_name ? settings->from_name : settings->shop_name;
  draft.reply_to = settings->reply_to;
  draft.to_address = to;
  draft.subject = rendered->subject;
  draft.text = rendered->text;
  draft.html = rendered->html;
  draft.message_id = message_id;
  draft.date = now (self);
  if (has_logo)
    {
      draft.logo_path = settings->logo_path;
      draft.logo_cid = PS_OUTBOX_LOGO_CID;
    }
  bytes = ps_mail_compose (&draft, &error);
  if (bytes == NULL ||
      !ps_smtp_send_sync (&config, settings->from_address, to, bytes, NULL, NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * ps_outbox_service_send_test_async:
 * @self: a #PsOutboxService
 * @to_address: where the test message goes
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * Sends one test message with the saved settings (server, keyring
 * password, sender, brand header) in a GTask thread. Nothing is queued
 * in the outbox.
 */
void
ps_outbox_service_send_test_async (PsOutboxService     *self,
                                   const char          *to_address,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));
  g_return_if_fail (to_address != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_outbox_service_send_test_async);
  g_task_set_task_data (task, g_strdup (to_address), g_free);
  g_task_run_in_thread (task, send_test_thread);
}

/**
 * ps_outbox_service_send_test_finish:
 * @self: a #PsOutboxService
 * @result: the result
 * @error: return location for an error: %PS_SMTP_ERROR_NOT_CONFIGURED,
 *   a keyring error or the SMTP error (its message quotes the server)
 *
 * Returns: %TRUE if the server accepted the message
 */
gboolean
ps_outbox_service_send_test_finish (PsOutboxService  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_outbox_service_send_test_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
ps_outbox_service_dispose (GObject *object)
{
  PsOutboxService *self = PS_OUTBOX_SERVICE (object);

  ps_outbox_service_stop (self);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ps_outbox_service_parent_class)->dispose (object);
}

static void
ps_outbox_service_class_init (PsOutboxServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_outbox_service_dispose;

  /**
   * PsOutboxService::outbox-changed:
   * @self: the service
   *
   * Messages changed state (sent, failed, cancelled, queued again):
   * reload the Outbox view. Emitted on the main thread.
   */
  signals[OUTBOX_CHANGED] = g_signal_new ("outbox-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_outbox_service_init (PsOutboxService *self)
{
}

/* Public API */

/**
 * ps_outbox_service_new:
 * @context: the open context
 *
 * Returns: (transfer full): a new service; call ps_outbox_service_start()
 *   for background sending
 */
PsOutboxService *
ps_outbox_service_new (PsContext *context)
{
  PsOutboxService *self;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);

  self = g_object_new (PS_TYPE_OUTBOX_SERVICE, NULL);
  self->context = g_object_ref (context);
  return self;
}

/**
 * ps_outbox_service_set_now_func:
 * @self: a #PsOutboxService
 * @now_func: (nullable): the clock, UTC Unix seconds (called on threads)
 * @user_data: data for @now_func
 *
 * For tests and the demo: what "now" is for due times and backoff.
 */
void
ps_outbox_service_set_now_func (PsOutboxService  *self,
                                gint64          (*now_func) (gpointer),
                                gpointer          user_data)
{
  g_return_if_fail (PS_IS_OUTBOX_SERVICE (self));

  self->now_func = now_func;
  self->now_data = user_data;
}
