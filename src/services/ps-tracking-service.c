/* ps-tracking-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Polls carriers for the tracking of live shipments and writes what they
 * say (ps-tracking-store.c documents what one answer changes and the
 * schedule). A poll:
 *
 *   1. reads the shipments of its scope and the carrier accounts on the
 *      database worker (the due ones through the shipments_due index, in
 *      batches of BATCH, the longest due first);
 *   2. asks carriers on the main context, at most max-concurrent at a
 *      time (carrier calls are asynchronous HTTP, or instant for the
 *      sandbox);
 *   3. writes each answer in its own transaction on the worker, or counts
 *      the failure and backs off; a rate limit leaves the whole account
 *      alone for a while;
 *   4. announces the changed orders (orders-changed) once, at the end.
 *
 * Which account tracks a shipment: the one that bought its label; a
 * sandbox account for sandbox labels ("sbx." shipment ids); otherwise the
 * first enabled EasyPost account, whose trackers follow any carrier's
 * number (imported tracking numbers, labels of removed accounts). With no
 * such account the shipment is untrackable: it is looked at again in a
 * week and counted in the report, not retried every minute.
 *
 * The background poller (ps_tracking_service_start()) sleeps until the
 * earliest next_track_at (one probe of shipments_due), at most
 * MAX_SLEEP_S, polls what is due, runs the late-handoff sweep every
 * SWEEP_INTERVAL_S, and stops when told or when the service is disposed.
 */

#define G_LOG_DOMAIN "ps-tracking-service"

#include "config.h"

#include "ps-enum-types.h"
#include "ps-shipping-store.h"
#include "ps-time.h"
#include "ps-tracking-service.h"

#define BATCH 200
#define MAX_ROUNDS 50
#define DEFAULT_MAX_CONCURRENT 4
#define MAX_SLEEP_S 900
#define SWEEP_INTERVAL_S 900
#define ERROR_RETRY_S 60

typedef struct
{
  gint64 until;
  guint  times;
} RateLimit;

struct _PsTrackingService
{
  GObject        parent_instance;

  PsContext     *context;
  GHashTable    *carriers;     /* account id (gint64 *) → PsCarrier */
  GHashTable    *limited;      /* account id (gint64 *) → RateLimit */
  PsNowFunc      now_func;
  gpointer       now_data;
  guint          max_concurrent;
  int            late_handoff_days;

  /* The background poller; main thread only. */
  gboolean       running;
  gboolean       polling;
  guint          wake_id;
  GCancellable  *poll_cancellable;
  gint64         last_sweep;
};

G_DEFINE_FINAL_TYPE (PsTrackingService, ps_tracking_service, G_TYPE_OBJECT)

enum {
  TRACKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_wake (PsTrackingService *self);

/* Value types */

static void
tracking_problem_free (PsTrackingProblem *problem)
{
  g_free (problem->tracking_number);
  g_free (problem->message);
  g_free (problem);
}

void
ps_tracking_report_free (PsTrackingReport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->by_status, g_hash_table_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->changes, g_array_unref);
  g_clear_pointer (&self->order_ids, g_array_unref);
  g_free (self);
}

static PsTrackingReport *
tracking_report_new (void)
{
  PsTrackingReport *report = g_new0 (PsTrackingReport, 1);

  report->by_status = g_hash_table_new (g_str_hash, g_str_equal);
  report->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) tracking_problem_free);
  report->changes = g_array_new (FALSE, TRUE, sizeof (PsTrackingChange));
  report->order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  return report;
}

static gint64
now (PsTrackingService *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : ps_time_now ();
}

static gint64
sandbox_now_cb (gpointer user_data)
{
  return now (user_data);
}

static PsDatabase *
database (PsTrackingService *self)
{
  return ps_context_get_database (self->context);
}

/* Carriers */

static PsCarrier *
carrier_for_account (PsTrackingService       *self,
                     const PsCarrierAccount  *account)
{
  PsCarrier *carrier = g_hash_table_lookup (self->carriers, &account->id);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (carrier != NULL)
    return carrier;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, account->settings != NULL ? account->settings : "{}",
                                   -1, &error))
    {
      g_warning ("Carrier account %s has unreadable settings: %s", account->name, error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  carrier = ps_carrier_new_for_backend (account->backend,
                                        JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                      : NULL,
                                        &error);
  if (carrier == NULL)
    {
      g_debug ("Carrier account %s cannot be used: %s", account->name, error->message);
      return NULL;
    }
  if (PS_IS_CARRIER_SANDBOX (carrier) && self->now_func != NULL)
    ps_carrier_sandbox_set_now_func (PS_CARRIER_SANDBOX (carrier), sandbox_now_cb, self, NULL);
  g_hash_table_insert (self->carriers, g_memdup2 (&account->id, sizeof account->id), carrier);
  return carrier;
}

static PsCarrier *
tracking_carrier (PsTrackingService      *self,
                  const PsCarrierAccount *account)
{
  PsCarrier *carrier;

  if (!account->enabled)
    return NULL;
  carrier = carrier_for_account (self, account);
  if (carrier == NULL || !(ps_carrier_get_capabilities (carrier) & PS_CARRIER_CAN_TRACK))
    return NULL;
  return carrier;
}

/* The account that tracks @s, see the top of the file. */
static PsCarrier *
resolve (PsTrackingService        *self,
         GPtrArray                *accounts,
         const PsTrackedShipment  *s,
         gint64                   *account_id)
{
  gboolean sandbox_label = s->carrier_shipment_id != NULL
                           && g_str_has_prefix (s->carrier_shipment_id, "sbx.");

  if (s->tracking_number == NULL && s->carrier_shipment_id == NULL)
    return NULL;

  if (s->account_id != 0)
    for (guint i = 0; i < accounts->len; i++)
      {
        const PsCarrierAccount *account = g_ptr_array_index (accounts, i);
        PsCarrier *carrier;

        if (account->id != s->account_id)
          continue;
        carrier = tracking_carrier (self, account);
        if (carrier != NULL)
          {
            *account_id = account->id;
            return carrier;
          }
      }

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < accounts->len; i++)
      {
        const PsCarrierAccount *account = g_ptr_array_index (accounts, i);
        const char *wanted = pass == 0 ? (sandbox_label ? "sandbox" : NULL) : "easypost";
        PsCarrier *carrier;

        if (wanted == NULL || g_strcmp0 (account->backend, wanted) != 0)
          continue;
        carrier = tracking_carrier (self, account);
        if (carrier != NULL)
          {
            *account_id = account->id;
            return carrier;
          }
      }
  return NULL;
}

/* One poll */

typedef struct
{
  PsTrackingScope   scope;
  gint64           *ids;
  guint             n_ids;
  GPtrArray        *accounts;   /* PsCarrierAccount */
  GPtrArray        *queue;      /* PsTrackedShipment */
  guint             next;
  guint             in_flight;
  guint             rounds;
  GHashTable       *orders;     /* order ids touched (gint64 *) */
  PsTrackingReport *report;
} TrackData;

static void
track_data_free (TrackData *data)
{
  g_free (data->ids);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  g_clear_pointer (&data->queue, g_ptr_array_unref);
  g_clear_pointer (&data->orders, g_hash_table_unref);
  g_clear_pointer (&data->report, ps_tracking_report_free);
  g_free (data);
}

typedef struct
{
  PsTrackingScope  scope;
  gint64          *ids;
  guint            n_ids;
  gint64           now;
} LoadArgs;

typedef struct
{
  GPtrArray *shipments;
  GPtrArray *accounts;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->shipments, g_ptr_array_unref);
  g_clear_pointer (&result->accounts, g_ptr_array_unref);
  g_free (result);
}

static gpointer
load_job (PsDatabase    *db,
          gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  LoadArgs *args = user_data;
  g_autoptr(GPtrArray) shipments = NULL;
  LoadResult *result;

  switch (args->scope)
    {
    case PS_TRACKING_SCOPE_DUE:
      shipments = ps_tracking_store_list_due_sync (db, args->now, BATCH, error);
      break;
    case PS_TRACKING_SCOPE_UNDELIVERED:
      shipments = ps_tracking_store_list_undelivered_sync (db, 0, error);
      break;
    case PS_TRACKING_SCOPE_SHIPMENTS:
      shipments = ps_tracking_store_load_sync (db, args->ids, args->n_ids, error);
      break;
    case PS_TRACKING_SCOPE_ORDERS:
      shipments = ps_tracking_store_list_for_orders_sync (db, args->ids, args->n_ids, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (shipments == NULL)
    return NULL;

  result = g_new0 (LoadResult, 1);
  result->accounts = ps_shipping_store_list_accounts_sync (db, error);
  if (result->accounts == NULL)
    {
      load_result_free (result);
      return NULL;
    }
  result->shipments = g_steal_pointer (&shipments);
  return result;
}

static void
track_finish_task (GTask *task)
{
  PsTrackingService *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  PsTrackingReport *report = g_steal_pointer (&data->report);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, data->orders);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (report->order_ids, *(gint64 *) key);

  /* Everything written is committed: tell the lists, even when the poll
   * was cancelled half way. */
  if (report->order_ids->len > 0)
    ps_order_store_emit_changed (ps_context_get_order_store (self->context), report->order_ids);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      ps_tracking_report_free (report);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Tracking was cancelled");
      return;
    }
  g_signal_emit (self, signals[TRACKED], 0, report);
  g_task_return_pointer (task, report, (GDestroyNotify) ps_tracking_report_free);
}

static void load_batch (GTask *task);
static void start_one (GTask *task, PsTrackedShipment *s);

static void
pump (GTask *task)
{
  PsTrackingService *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (task));

  while (!cancelled && data->in_flight < self->max_concurrent && data->next < data->queue->len)
    start_one (task, g_ptr_array_index (data->queue, data->next++));

  if (data->in_flight > 0)
    return;
  if (!cancelled && data->next >= data->queue->len && data->scope == PS_TRACKING_SCOPE_DUE
      && data->queue->len == BATCH && ++data->rounds < MAX_ROUNDS)
    {
      /* Everything polled has moved its next_track_at past now (answers,
       * failures and deferrals alike), so the next batch is new. */
      load_batch (task);
      return;
    }
  track_finish_task (task);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TrackData *data = g_task_get_task_data (task);
  GError *error = NULL;
  LoadResult *loaded = ps_database_run_finish (PS_DATABASE (source), result, &error);

  if (loaded == NULL)
    {
      /* A later batch that fails still reports what was written. */
      if (data->rounds > 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not read the next shipments due: %s", error->message);
          g_clear_error (&error);
          track_finish_task (task);
        }
      else
        g_task_return_error (task, error);
      return;
    }
  g_clear_pointer (&data->queue, g_ptr_array_unref);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  data->queue = g_steal_pointer (&loaded->shipments);
  data->accounts = g_steal_pointer (&loaded->accounts);
  data->next = 0;
  load_result_free (loaded);
  pump (task);
}

static void
load_batch (GTask *task)
{
  PsTrackingService *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  LoadArgs *args = g_new0 (LoadArgs, 1);

  args->scope = data->scope;
  args->ids = data->ids;     /* owned by the task data, which outlives the job */
  args->n_ids = data->n_ids;
  args->now = now (self);
  ps_database_run_async (database (self), load_job, args, g_free,
                         (GDestroyNotify) load_result_free, g_task_get_cancellable (task),
                         load_cb, g_object_ref (task));
}

/* One shipment: the carrier call, then one write on the worker. */

typedef enum
{
  WRITE_ANSWER,
  WRITE_FAILURE,
  WRITE_DEFER,
  WRITE_DEFER_ACCOUNT,
} WriteKind;

typedef struct
{
  GTask             *task;
  PsTrackedShipment *shipment;   /* borrowed from the queue */
  gint64             account_id;
  WriteKind          kind;
  PsTrackingUpdate  *update;
  PsTrackingFailure  failure;
  char              *message;
  gint64             now;
  gint64             until;
  gboolean           problem;    /* report @message as a problem */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->task);
  g_clear_pointer (&call->update, ps_tracking_update_free);
  g_free (call->message);
  g_free (call);
}

static char *
event_location (const PsTrackingEvent *event)
{
  const char *parts[4];
  guint n = 0;

  if (event->city != NULL && *event->city != '\0')
    parts[n++] = event->city;
  if (event->state != NULL && *event->state != '\0')
    parts[n++] = event->state;
  if (event->country != NULL && *event->country != '\0')
    parts[n++] = event->country;
  if (n == 0)
    return NULL;
  parts[n] = NULL;
  return g_strjoinv (", ", (char **) parts);
}

static gpointer
write_job (PsDatabase    *db,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  Call *call = user_data;
  PsTrackingChange *change = g_new0 (PsTrackingChange, 1);
  gboolean ok = FALSE;

  switch (call->kind)
    {
    case WRITE_ANSWER:
      {
        GPtrArray *events = call->update->events;
        g_autofree PsTrackingEventFields *fields = g_new0 (PsTrackingEventFields, MAX (events->len, 1));
        g_autoptr(GPtrArray) locations = g_ptr_array_new_with_free_func (g_free);
        PsTrackingAnswer answer = { 0 };

        for (guint i = 0; i < events->len; i++)
          {
            const PsTrackingEvent *event = g_ptr_array_index (events, i);
            char *location = event_location (event);

            g_ptr_array_add (locations, location);
            fields[i].time = event->time;
            fields[i].status = event->status;
            fields[i].reason = event->reason;
            fields[i].description = event->description;
            fields[i].location = location;
          }
        answer.status = call->update->status;
        answer.reason = call->update->reason;
        answer.estimated_delivery = call->update->estimated_delivery;
        answer.events = fields;
        answer.n_events = events->len;
        ok = ps_tracking_store_apply_update_sync (db, call->shipment->id, &answer, call->now,
                                                  change, error);
      }
      break;
    case WRITE_FAILURE:
      ok = ps_tracking_store_record_failure_sync (db, call->shipment->id, call->failure,
                                                  call->message, call->now,
                                                  &change->next_track_at, error);
      break;
    case WRITE_DEFER_ACCOUNT:
      {
        GError *local_error = NULL;

        ps_tracking_store_defer_account_sync (db, call->account_id, call->until, call->message,
                                              &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, local_error);
            break;
          }
      }
      G_GNUC_FALLTHROUGH;
    case WRITE_DEFER:
      ok = ps_tracking_store_defer_sync (db, call->shipment->id, call->until, call->message,
                                         error);
      change->next_track_at = call->until;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      g_free (change);
      return NULL;
    }
  return change;
}

static void
add_problem (TrackData          *data,
             const Call         *call,
             const char         *message)
{
  PsTrackingProblem *problem = g_new0 (PsTrackingProblem, 1);

  problem->shipment_id = call->shipment->id;
  problem->order_id = call->shipment->order_id;
  problem->tracking_number = g_strdup (call->shipment->tracking_number);
  problem->message = g_strdup (message);
  g_ptr_array_add (data->report->problems, problem);
}

static void
written_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GTask) task = g_object_ref (call->task);
  TrackData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree PsTrackingChange *change = ps_database_run_finish (PS_DATABASE (source), result,
                                                                &error);

  if (change == NULL)
    {
      g_autofree char *message = g_strdup_printf ("Could not save tracking: %s", error->message);

      add_problem (data, call, message);
    }
  else if (call->kind == WRITE_ANSWER)
    {
      PsTrackingReport *report = data->report;

      g_array_append_val (report->changes, *change);
      report->new_events += change->n_new_events;
      if (change->n_status_events > 0)
        {
          const char *nick = ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, change->to);

          report->changed++;
          g_hash_table_insert (report->by_status, (gpointer) nick,
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                 g_hash_table_lookup (report->by_status, nick)) + 1));
          g_hash_table_add (data->orders, g_memdup2 (&change->order_id, sizeof (gint64)));
        }
      if (change->delivered)
        report->delivered++;
      if (change->order_changed)
        report->orders_changed++;
    }
  else if (call->problem)
    add_problem (data, call, call->message);

  data->in_flight--;
  call_free (call);
  pump (task);
}

static void
write_call (Call *call)
{
  PsTrackingService *self = g_task_get_source_object (call->task);

  /* Not cancellable: a carrier answer that arrived is always written. */
  ps_database_run_async (database (self), write_job, call, NULL, g_free, NULL, written_cb, call);
}

static void
tracked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;
  PsTrackingService *self = g_task_get_source_object (call->task);
  g_autoptr(GError) error = NULL;

  call->update = ps_carrier_track_finish (PS_CARRIER (source), result, &error);
  call->now = now (self);
  if (call->update != NULL)
    {
      g_hash_table_remove (self->limited, &call->account_id);
      call->kind = WRITE_ANSWER;
      write_call (call);
      return;
    }

  call->message = g_strdup (error->message);
  call->problem = TRUE;
  call->kind = WRITE_FAILURE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Nothing to write: the shipment stays due. */
      TrackData *data = g_task_get_task_data (call->task);
      GTask *task = call->task;

      data->in_flight--;
      call->task = NULL;
      call_free (call);
      pump (task);
      g_object_unref (task);
      return;
    }
  if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_RATE_LIMITED))
    {
      RateLimit *limit = g_hash_table_lookup (self->limited, &call->account_id);

      if (limit == NULL)
        {
          limit = g_new0 (RateLimit, 1);
          g_hash_table_insert (self->limited, g_memdup2 (&call->account_id, sizeof (gint64)),
                               limit);
        }
      limit->times++;
      limit->until = ps_tracking_schedule_rate_limited (limit->times, call->now);
      call->until = limit->until;
      call->kind = WRITE_DEFER_ACCOUNT;
    }
  else if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH))
    call->failure = PS_TRACKING_FAILURE_AUTH;
  else if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED))
    call->failure = PS_TRACKING_FAILURE_NO_ACCOUNT;
  else
    call->failure = PS_TRACKING_FAILURE_ERROR;
  write_call (call);
}

static void
start_one (GTask             *task,
           PsTrackedShipment *s)
{
  PsTrackingService *self = g_task_get_source_object (task);
  TrackData *data = g_task_get_task_data (task);
  Call *call = g_new0 (Call, 1);
  PsCarrier *carrier;
  RateLimit *limit;

  call->task = g_object_ref (task);
  call->shipment = s;
  call->now = now (self);
  data->in_flight++;
  data->report->checked++;

  carrier = resolve (self, data->accounts, s, &call->account_id);
  if (carrier == NULL)
    {
      data->report->untrackable++;
      call->kind = WRITE_FAILURE;
      call->failure = PS_TRACKING_FAILURE_NO_ACCOUNT;
      if (s->tracking_number == NULL && s->carrier_shipment_id == NULL)
        call->message = g_strdup ("The shipment has no tracking number");
      else
        call->message = g_strdup_printf ("No carrier account can track this %s number: add an "
                                         "EasyPost account in Preferences to track it",
                                         g_strcmp0 (s->carrier, "unknown") != 0
                                         ? s->carrier : "carrier's");
      write_call (call);
      return;
    }

  limit = g_hash_table_lookup (self->limited, &call->account_id);
  if (limit != NULL && limit->until > call->now)
    {
      data->report->deferred++;
      call->kind = WRITE_DEFER;
      call->until = limit->until;
      write_call (call);
      return;
    }

  ps_carrier_track_async (carrier, s->tracking_number, s->carrier_shipment_id,
                          g_task_get_cancellable (task), tracked_cb, call);
}

/**
 * ps_tracking_service_track_async:
 * @self: a #PsTrackingService
 * @scope: which shipments
 * @ids: (array length=n_ids) (nullable): shipment or order ids for
 *   %PS_TRACKING_SCOPE_SHIPMENTS and %PS_TRACKING_SCOPE_ORDERS
 * @n_ids: how many
 * @cancellable: (nullable): stops starting new carrier calls; answers
 *   already received are still written
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Polls the carriers once for the shipments of @scope and writes their
 * answers. Delivered, voided and cancelled shipments are never asked.
 * The due scope works through everything due, in batches. On completion
 * the order store's orders-changed names every order whose shipment
 * changed status, and #PsTrackingService::tracked is emitted.
 *
 * Main thread (the service's main context).
 */
void
ps_tracking_service_track_async (PsTrackingService   *self,
                                 PsTrackingScope      scope,
                                 const gint64        *ids,
                                 guint                n_ids,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TrackData *data;

  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));
  g_return_if_fail (n_ids == 0 || ids != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_tracking_service_track_async);
  g_task_set_priority (task, G_PRIORITY_LOW);

  data = g_new0 (TrackData, 1);
  data->scope = scope;
  data->ids = n_ids > 0 ? g_memdup2 (ids, n_ids * sizeof (gint64)) : NULL;
  data->n_ids = n_ids;
  data->queue = g_ptr_array_new ();
  data->orders = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  data->report = tracking_report_new ();
  g_task_set_task_data (task, data, (GDestroyNotify) track_data_free);

  load_batch (task);
}

/**
 * ps_tracking_service_track_finish:
 * @self: a #PsTrackingService
 * @result: the #GAsyncResult
 * @error: return location for an error (a database failure, or
 *   %G_IO_ERROR_CANCELLED); carrier failures are in the report
 *
 * Returns: (transfer full): what the poll did, or %NULL on error
 */
PsTrackingReport *
ps_tracking_service_track_finish (PsTrackingService  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_tracking_service_track_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_tracking_service_refresh_async:
 * @self: a #PsTrackingService
 * @shipment_ids: (array length=n_ids) (nullable): the shipments, or
 *   %NULL for every shipment that is due
 * @n_ids: how many
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * "Refresh tracking": ps_tracking_service_track_async() for the given
 * shipments now, due or not (or for the due ones).
 */
void
ps_tracking_service_refresh_async (PsTrackingService   *self,
                                   const gint64        *shipment_ids,
                                   guint                n_ids,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  ps_tracking_service_track_async (self,
                                   shipment_ids != NULL ? PS_TRACKING_SCOPE_SHIPMENTS
                                                        : PS_TRACKING_SCOPE_DUE,
                                   shipment_ids, shipment_ids != NULL ? n_ids : 0,
                                   cancellable, callback, user_data);
}

/**
 * ps_tracking_service_refresh_finish:
 * @self: a #PsTrackingService
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full): what the poll did, or %NULL on error
 */
PsTrackingReport *
ps_tracking_service_refresh_finish (PsTrackingService  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  return ps_tracking_service_track_finish (self, result, error);
}

/* The late-handoff sweep */

static void
sweep_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsTrackingService *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(GArray) orders = ps_tracking_store_sweep_late_handoff_finish (PS_DATABASE (source),
                                                                          result, &error);

  if (orders == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (orders->len > 0)
    ps_order_store_emit_changed (ps_context_get_order_store (self->context), orders);
  g_task_return_int (task, orders->len);
}

/**
 * ps_tracking_service_sweep_async:
 * @self: a #PsTrackingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * The clock's part of tracking: flags the shipments still pre-transit
 * more than the late-handoff business days (2 unless set) after their
 * label, in the merchant's time zone, each once, with a
 * `tracking.status_changed` event (actor "clock", reason
 * "late_handoff"); see ps_tracking_store_sweep_late_handoff_sync(). The
 * background poller runs it every 15 minutes.
 */
void
ps_tracking_service_sweep_async (PsTrackingService   *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_tracking_service_sweep_async);
  ps_tracking_store_sweep_late_handoff_async (database (self), now (self),
                                              ps_order_store_get_time_zone (
                                                ps_context_get_order_store (self->context)),
                                              self->late_handoff_days, cancellable, sweep_cb, task);
}

/**
 * ps_tracking_service_sweep_finish:
 * @self: a #PsTrackingService
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: how many shipments were flagged as late handoffs now (0 on
 *   error, with @error set)
 */
guint
ps_tracking_service_sweep_finish (PsTrackingService  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_tracking_service_sweep_async,
                        0);

  n = g_task_propagate_int (G_TASK (result), error);
  return n > 0 ? (guint) n : 0;
}

/* The background poller */

static gboolean
wake_cb (gpointer user_data);

static void
sleep_for (PsTrackingService *self,
           gint64             seconds)
{
  g_clear_handle_id (&self->wake_id, g_source_remove);
  if (!self->running)
    return;
  self->wake_id = g_timeout_add_seconds_full (G_PRIORITY_LOW,
                                              (guint) CLAMP (seconds, 0, MAX_SLEEP_S),
                                              wake_cb, self, NULL);
}

static void
next_due_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsTrackingService) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 next = ps_tracking_store_next_due_finish (PS_DATABASE (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
    return;
  if (error != NULL)
    {
      g_warning ("Could not read when tracking is due: %s", error->message);
      sleep_for (self, ERROR_RETRY_S);
      return;
    }
  sleep_for (self, next == 0 ? MAX_SLEEP_S : next - now (self));
}

static void
schedule_wake (PsTrackingService *self)
{
  if (!self->running)
    return;
  ps_tracking_store_next_due_async (database (self), self->poll_cancellable, next_due_cb,
                                    g_object_ref (self));
}

static void
poll_swept_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PsTrackingService) self = user_data;
  g_autoptr(GError) error = NULL;

  ps_tracking_service_sweep_finish (self, result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("The late-handoff sweep failed: %s", error->message);
  self->polling = FALSE;
  schedule_wake (self);
}

static void
poll_tracked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PsTrackingService) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsTrackingReport) report = ps_tracking_service_track_finish (self, result, &error);
  gint64 t = now (self);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Tracking poll failed: %s", error->message);
  if (!self->running)
    {
      self->polling = FALSE;
      return;
    }
  if (self->last_sweep == 0 || t - self->last_sweep >= SWEEP_INTERVAL_S)
    {
      self->last_sweep = t;
      ps_tracking_service_sweep_async (self, self->poll_cancellable, poll_swept_cb,
                                       g_object_ref (self));
      return;
    }
  self->polling = FALSE;
  schedule_wake (self);
}

static gboolean
wake_cb (gpointer user_data)
{
  PsTrackingService *self = user_data;

  self->wake_id = 0;
  if (!self->running || self->polling)
    return G_SOURCE_REMOVE;
  self->polling = TRUE;
  ps_tracking_service_track_async (self, PS_TRACKING_SCOPE_DUE, NULL, 0, self->poll_cancellable,
                                   poll_tracked_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/**
 * ps_tracking_service_start:
 * @self: a #PsTrackingService
 *
 * Starts the background poller: it polls what is due at once, then
 * sleeps until the next shipment is due (at most 15 minutes), and runs
 * the late-handoff sweep every 15 minutes. All SQL runs on the database
 * worker. Main thread only.
 */
void
ps_tracking_service_start (PsTrackingService *self)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));

  if (self->running)
    return;
  self->running = TRUE;
  g_clear_object (&self->poll_cancellable);
  self->poll_cancellable = g_cancellable_new ();
  sleep_for (self, 0);
}

/**
 * ps_tracking_service_stop:
 * @self: a #PsTrackingService
 *
 * Stops the background poller: no new carrier call starts; answers that
 * already arrived are still written. Disposing the service stops it too.
 */
void
ps_tracking_service_stop (PsTrackingService *self)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));

  self->running = FALSE;
  g_clear_handle_id (&self->wake_id, g_source_remove);
  if (self->poll_cancellable != NULL)
    g_cancellable_cancel (self->poll_cancellable);
}

/**
 * ps_tracking_service_get_running:
 * @self: a #PsTrackingService
 *
 * Returns: whether the background poller is started
 */
gboolean
ps_tracking_service_get_running (PsTrackingService *self)
{
  g_return_val_if_fail (PS_IS_TRACKING_SERVICE (self), FALSE);
  return self->running;
}

/**
 * ps_tracking_service_wake:
 * @self: a #PsTrackingService
 *
 * Tells a sleeping poller to look now (a label was just bought, the
 * merchant changed carrier accounts). Does nothing when it is stopped or
 * already polling.
 */
void
ps_tracking_service_wake (PsTrackingService *self)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));

  if (self->running && !self->polling)
    sleep_for (self, 0);
}

/* Settings */

/**
 * ps_tracking_service_set_now_func:
 * @self: a #PsTrackingService
 * @func: (nullable): the clock, %NULL for the real one (which honours
 *   POSTSALE_NOW)
 * @user_data: data for @func
 *
 * Sets the clock of polls, schedules, sweeps and of the sandbox carriers
 * the service builds (tests and the demo move time on their own).
 */
void
ps_tracking_service_set_now_func (PsTrackingService *self,
                                  PsNowFunc          func,
                                  gpointer           user_data)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));

  self->now_func = func;
  self->now_data = user_data;
}

/**
 * ps_tracking_service_set_carrier:
 * @self: a #PsTrackingService
 * @account_id: a carrier_accounts row
 * @carrier: the carrier to use for it
 *
 * Uses @carrier for the account instead of building one from its
 * settings: tests pass fakes, and the application can share the shipping
 * service's carriers (one EasyPost session, the sandbox's memory).
 */
void
ps_tracking_service_set_carrier (PsTrackingService *self,
                                 gint64             account_id,
                                 PsCarrier         *carrier)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));
  g_return_if_fail (PS_IS_CARRIER (carrier));

  g_hash_table_insert (self->carriers, g_memdup2 (&account_id, sizeof account_id),
                       g_object_ref (carrier));
}

/**
 * ps_tracking_service_set_max_concurrent:
 * @self: a #PsTrackingService
 * @n: carrier calls in flight at once (>= 1; 4 by default)
 */
void
ps_tracking_service_set_max_concurrent (PsTrackingService *self,
                                        guint              n)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));
  g_return_if_fail (n >= 1);

  self->max_concurrent = n;
}

/**
 * ps_tracking_service_set_late_handoff_days:
 * @self: a #PsTrackingService
 * @business_days: business days without a first scan that make a late
 *   handoff (%PS_TRACKING_LATE_HANDOFF_DAYS by default)
 */
void
ps_tracking_service_set_late_handoff_days (PsTrackingService *self,
                                           int                business_days)
{
  g_return_if_fail (PS_IS_TRACKING_SERVICE (self));
  g_return_if_fail (business_days >= 0);

  self->late_handoff_days = business_days;
}

/* GObject */

static void
ps_tracking_service_dispose (GObject *object)
{
  PsTrackingService *self = PS_TRACKING_SERVICE (object);

  ps_tracking_service_stop (self);
  g_clear_object (&self->poll_cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ps_tracking_service_parent_class)->dispose (object);
}

static void
ps_tracking_service_finalize (GObject *object)
{
  PsTrackingService *self = PS_TRACKING_SERVICE (object);

  g_clear_pointer (&self->carriers, g_hash_table_unref);
  g_clear_pointer (&self->limited, g_hash_table_unref);

  G_OBJECT_CLASS (ps_tracking_service_parent_class)->finalize (object);
}

static void
ps_tracking_service_class_init (PsTrackingServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_tracking_service_dispose;
  object_class->finalize = ps_tracking_service_finalize;

  /**
   * PsTrackingService::tracked:
   * @self: the service
   * @report: (type gpointer): the #PsTrackingReport of the poll (transfer
   *   none; valid during the emission)
   *
   * Emitted after every poll that completed, on demand or in the
   * background, after orders-changed.
   */
  signals[TRACKED] = g_signal_new ("tracked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
ps_tracking_service_init (PsTrackingService *self)
{
  self->carriers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->limited = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->max_concurrent = DEFAULT_MAX_CONCURRENT;
  self->late_handoff_days = PS_TRACKING_LATE_HANDOFF_DAYS;
}

/**
 * ps_tracking_service_new:
 * @context: the open database and its stores
 *
 * Returns: (transfer full): a tracking service; its poller is stopped
 *   until ps_tracking_service_start()
 */
PsTrackingService *
ps_tracking_service_new (PsContext *context)
{
  PsTrackingService *self;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);

  self = g_object_new (PS_TYPE_TRACKING_SERVICE, NULL);
  self->context = g_object_ref (context);
  return self;
}
