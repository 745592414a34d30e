/* test-tracking.c: the tracking service over a real database, with the
 * sandbox carrier moving through simulated days and a fake carrier that
 * fails on demand
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-tracking"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ps-carrier-sandbox.h"
#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-writer.h"
#include "ps-shipping-store.h"
#include "ps-tracking-number.h"
#include "ps-tracking-service.h"

#define HOUR ((gint64) 3600)
#define DAY  ((gint64) 86400)
#define T0   1795000000   /* 2026-11-18 08:26 UTC, a Wednesday */

/* A carrier that fails every track with a chosen error. */

#define TEST_TYPE_FAILING_CARRIER (test_failing_carrier_get_type ())
G_DECLARE_FINAL_TYPE (TestFailingCarrier, test_failing_carrier, TEST, FAILING_CARRIER, GObject)

struct _TestFailingCarrier
{
  GObject        parent_instance;
  PsCarrierError code;
  guint          calls;
};

static void test_failing_carrier_iface_init (PsCarrierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFailingCarrier, test_failing_carrier, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_CARRIER,
                                                      test_failing_carrier_iface_init))

static const char *
failing_get_id (PsCarrier *carrier)
{
  return "failing";
}

static PsCarrierCapabilities
failing_get_capabilities (PsCarrier *carrier)
{
  return PS_CARRIER_CAN_TRACK;
}

static void
failing_track_async (PsCarrier           *carrier,
                     const char          *tracking_number,
                     const char          *carrier_shipment_id,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  TestFailingCarrier *self = TEST_FAILING_CARRIER (carrier);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ps_carrier_track_async);
  self->calls++;
  g_task_return_new_error (task, PS_CARRIER_ERROR, self->code,
                           "The test carrier fails (code %d)", self->code);
}

static void
test_failing_carrier_iface_init (PsCarrierInterface *iface)
{
  iface->get_id = failing_get_id;
  iface->get_display_name = failing_get_id;
  iface->get_capabilities = failing_get_capabilities;
  iface->track_async = failing_track_async;
}

static void
test_failing_carrier_class_init (TestFailingCarrierClass *klass)
{
}

static void
test_failing_carrier_init (TestFailingCarrier *self)
{
  self->code = PS_CARRIER_ERROR_SERVER;
}

/* Fixture */

typedef struct
{
  PsContext         *context;
  PsTrackingService *service;
  gint64             now;
  gint64             account_id;
  gint64             order_id;
  GArray            *changed;      /* order ids from orders-changed */
  guint              n_tracked;
} Fixture;

static gint64
fixture_now (gpointer data)
{
  return ((Fixture *) data)->now;
}

typedef struct
{
  const char *sql;
  gint64      arg;
} Query;

static gpointer
query_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Query *q = data;
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = _ps_database_prepare (db, q->sql, error);

  if (stmt == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, q->arg);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (out->len > 0)
        g_string_append_c (out, ';');
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, c);

          g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", v ? v : "NULL");
        }
    }
  sqlite3_reset (stmt);
  return g_string_free (out, FALSE);
}

static char *
query_text (Fixture    *f,
            const char *sql,
            gint64      arg)
{
  g_autoptr(GError) error = NULL;
  Query q = { sql, arg };
  char *text = ps_database_run_sync (ps_context_get_database (f->context), query_job, &q, NULL,
                                     &error);

  g_assert_no_error (error);
  return text;
}

static gint64
query_int (Fixture    *f,
           const char *sql,
           gint64      arg)
{
  g_autofree char *text = query_text (f, sql, arg);

  return g_ascii_strtoll (text, NULL, 10);
}

static gpointer
setup_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Fixture *f = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  PsLineFields line = { "MUG-01", "Mug", NULL, 1, 1500, 350 };
  PsOrderFields order = { 0 };

  f->account_id = ps_shipping_store_add_account_sync (db, "sandbox", "Sandbox", "{}", error);
  if (f->account_id == 0)
    return NULL;
  ps_order_writer_set_now (writer, T0);
  order.channel_name = "Shop";
  order.channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  order.order_number = "#1001";
  order.ship_country = "US";
  order.status = PS_ORDER_STATUS_READY_TO_SHIP;
  order.currency = "USD";
  order.created_at = T0 - DAY;
  f->order_id = ps_order_writer_add_order (writer, &order, &line, 1, NULL, error);
  return f->order_id != 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
orders_changed_cb (PsOrderStore *store,
                   GArray       *ids,
                   Fixture      *f)
{
  if (ids != NULL)
    g_array_append_vals (f->changed, ids->data, ids->len);
}

static void
tracked_cb (PsTrackingService *service,
            PsTrackingReport  *report,
            Fixture           *f)
{
  f->n_tracked++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "tracking.db", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  f->now = T0;
  f->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), setup_job, f,
                                          NULL, &error));
  g_assert_no_error (error);
  f->service = ps_tracking_service_new (f->context);
  ps_tracking_service_set_now_func (f->service, fixture_now, f);
  g_signal_connect (ps_context_get_order_store (f->context), "orders-changed",
                    G_CALLBACK (orders_changed_cb), f);
  g_signal_connect (f->service, "tracked", G_CALLBACK (tracked_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (ps_context_get_order_store (f->context), f);
  g_clear_object (&f->service);
  g_clear_object (&f->context);
  g_clear_pointer (&f->changed, g_array_unref);
}

/* A sandbox label: the shipment id carries what the sandbox's history
 * needs ("sbx.<service>.<zone>.<purchased_at>.<number>", documented in
 * ps-carrier-sandbox.c), so any sandbox tracks it. Finds the first serial
 * whose planned history has (or has not) an exception. */
static char *
sandbox_label (gboolean   with_exception,
               char     **number_out)
{
  g_autoptr(PsCarrierSandbox) sandbox = ps_carrier_sandbox_new (0);

  for (guint64 serial = 1; serial < 1000; serial++)
    {
      g_autofree char *number = ps_tracking_number_make (PS_TRACKING_FORMAT_USPS_IMPB, serial);
      g_autofree char *id = g_strdup_printf ("sbx.usps_priority.4.%d.%s", T0, number);
      g_autoptr(PsTrackingUpdate) plan = ps_carrier_sandbox_track_at (sandbox, number, id,
                                                                      T0 + 30 * DAY, NULL);
      gboolean exception = FALSE;

      g_assert_nonnull (plan);
      for (guint i = 0; i < plan->events->len; i++)
        if (((PsTrackingEvent *) g_ptr_array_index (plan->events, i))->status == PS_TRACKING_STATUS_EXCEPTION)
          exception = TRUE;
      if (exception == with_exception
          && (with_exception || plan->status == PS_TRACKING_STATUS_DELIVERED))
        {
          *number_out = g_steal_pointer (&number);
          return g_steal_pointer (&id);
        }
    }
  g_assert_not_reached ();
}

typedef struct
{
  gint64      order_id;
  gint64      account_id;
  const char *carrier;
  const char *number;
  const char *carrier_shipment_id;
  const char *status;
  gint64      label_created_at;
  gint64      next_track_at;
  gint64      id;
} NewShipment;

static gpointer
insert_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  NewShipment *s = data;
  sqlite3_stmt *stmt = _ps_database_prepare (db,
    "INSERT INTO shipments (order_id, account_id, carrier, service, tracking_number,"
    " carrier_shipment_id, tracking_status, label_created_at, next_track_at, created_at)"
    " VALUES (?, nullif (?, 0), ?, 'usps_priority', ?, ?, ?, nullif (?, 0), ?, ?)", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, s->order_id);
  sqlite3_bind_int64 (stmt, 2, s->account_id);
  sqlite3_bind_text (stmt, 3, s->carrier, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, s->number, -1, SQLITE_STATIC);
  _ps_bind_text (stmt, 5, s->carrier_shipment_id);
  sqlite3_bind_text (stmt, 6, s->status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, s->label_created_at);
  sqlite3_bind_int64 (stmt, 8, s->next_track_at);
  sqlite3_bind_int64 (stmt, 9, T0);
  if (!_ps_database_step_done (db, stmt, error))
    return NULL;
  s->id = sqlite3_last_insert_rowid (_ps_database_get_handle (db));
  return GINT_TO_POINTER (TRUE);
}

static gint64
insert_shipment (Fixture    *f,
                 gint64      account_id,
                 const char *carrier,
                 const char *number,
                 const char *carrier_shipment_id,
                 const char *status)
{
  g_autoptr(GError) error = NULL;
  NewShipment s = { f->order_id, account_id, carrier, number, carrier_shipment_id, status,
                    g_strcmp0 (status, "unknown") != 0 ? T0 : 0, T0 + HOUR, 0 };

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), insert_job, &s,
                                          NULL, &error));
  g_assert_no_error (error);
  return s.id;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static PsTrackingReport *
track (Fixture         *f,
       PsTrackingScope  scope,
       const gint64    *ids,
       guint            n_ids)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsTrackingReport *report;

  ps_tracking_service_track_async (f->service, scope, ids, n_ids, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  report = ps_tracking_service_track_finish (f->service, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static char *
order_status (Fixture *f)
{
  return query_text (f, "SELECT status FROM orders WHERE id = ?", f->order_id);
}

static void
test_sandbox_delivered (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *id = sandbox_label (FALSE, &number);
  gint64 shipment = insert_shipment (f, f->account_id, "usps", number, id, "pre_transit");
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PsCarrierSandbox) sandbox = ps_carrier_sandbox_new (0);
  g_autoptr(PsTrackingUpdate) plan = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *row = NULL;
  gboolean repolled = FALSE;
  guint polls = 0;

  g_ptr_array_add (statuses, order_status (f));

  /* Nothing is due before the first hour. */
  {
    g_autoptr(PsTrackingReport) report = track (f, PS_TRACKING_SCOPE_DUE, NULL, 0);
    g_assert_cmpuint (report->checked, ==, 0);
  }

  /* The poller's own schedule over simulated days: jump to each due time. */
  while (f->now < T0 + 20 * DAY)
    {
      g_autoptr(PsTrackingReport) report = NULL;
      g_autofree char *status = NULL;
      gint64 next = query_int (f, "SELECT coalesce (next_track_at, 0) FROM shipments WHERE id = ?",
                               shipment);

      if (next == 0)
        break;
      f->now = next;
      report = track (f, PS_TRACKING_SCOPE_DUE, NULL, 0);
      g_assert_cmpuint (report->checked, ==, 1);
      g_assert_cmpuint (report->problems->len, ==, 0);
      polls++;
      status = order_status (f);
      if (statuses->len == 0 || g_strcmp0 (g_ptr_array_index (statuses, statuses->len - 1), status) != 0)
        g_ptr_array_add (statuses, g_strdup (status));

      /* Refresh on demand in transit: the same answer adds nothing. */
      if (!repolled && g_str_equal (status, "shipped"))
        {
          g_autoptr(PsTrackingReport) again = track (f, PS_TRACKING_SCOPE_SHIPMENTS, &shipment, 1);

          g_assert_cmpuint (again->checked, ==, 1);
          g_assert_cmpuint (again->new_events, ==, 0);
          g_assert_cmpuint (again->changed, ==, 0);
          repolled = TRUE;
        }
    }
  g_assert_true (repolled);
  g_assert_cmpuint (polls, >, 3);

  /* Ready to ship → shipped → delivered, and nothing else. */
  g_assert_cmpuint (statuses->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (statuses, 0), ==, "ready_to_ship");
  g_assert_cmpstr (g_ptr_array_index (statuses, 1), ==, "shipped");
  g_assert_cmpstr (g_ptr_array_index (statuses, 2), ==, "delivered");

  /* Every planned event stored once, in order. */
  plan = ps_carrier_sandbox_track_at (sandbox, number, id, f->now, NULL);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                              shipment), ==, plan->events->len);
  changes = query_text (f, "SELECT json_extract (data, '$.to') FROM events"
                           " WHERE type = 'tracking.status_changed' AND shipment_id = ? ORDER BY id",
                        shipment);
  g_assert_cmpstr (changes, ==, "in_transit;out_for_delivery;delivered");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE type = 'shipment.delivered'"
                                 " AND shipment_id = ?", shipment), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE type = 'order.status_changed'"
                                 " AND actor = 'carrier' AND order_id = ?", f->order_id), ==, 2);
  row = query_text (f, "SELECT tracking_status, next_track_at IS NULL, delivered_at IS NOT NULL,"
                       " first_scan_at IS NOT NULL, estimated_delivery_at IS NOT NULL FROM shipments"
                       " WHERE id = ?", shipment);
  g_assert_cmpstr (row, ==, "delivered|1|1|1|1");

  /* The lists heard about it. */
  g_assert_cmpuint (f->changed->len, >=, 2);
  g_assert_cmpint (g_array_index (f->changed, gint64, 0), ==, f->order_id);
  g_assert_cmpuint (f->n_tracked, ==, polls + 2);
}

static void
test_sandbox_exception (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *id = sandbox_label (TRUE, &number);
  gint64 shipment = insert_shipment (f, f->account_id, "usps", number, id, "pre_transit");
  g_autoptr(PsCarrierSandbox) sandbox = ps_carrier_sandbox_new (0);
  gboolean seen = FALSE;

  /* Every 6 hours of simulated time until the exception shows. */
  for (f->now = T0 + HOUR; f->now < T0 + 20 * DAY && !seen; f->now += 6 * HOUR)
    {
      g_autoptr(PsTrackingReport) report = track (f, PS_TRACKING_SCOPE_SHIPMENTS, &shipment, 1);
      g_autofree char *row = query_text (f, "SELECT tracking_status, exception_reason FROM shipments"
                                            " WHERE id = ?", shipment);

      if (g_str_has_prefix (row, "exception|"))
        {
          g_autoptr(PsTrackingUpdate) state = ps_carrier_sandbox_track_at (sandbox, number, id,
                                                                           f->now, NULL);
          g_autofree char *expected = g_strdup_printf ("exception|%s",
                                                       ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON,
                                                                        state->reason));
          g_autofree char *status = order_status (f);
          g_autofree char *event = NULL;

          g_assert_cmpstr (row, ==, expected);
          g_assert_cmpstr (status, ==, "exception");
          g_assert_cmpuint (g_hash_table_size (report->by_status), ==, 1);
          g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (report->by_status, "exception")), ==, 1);
          event = query_text (f, "SELECT json_extract (data, '$.reason') FROM events"
                                 " WHERE type = 'tracking.status_changed' AND shipment_id = ?"
                                 " ORDER BY id DESC LIMIT 1", shipment);
          g_assert_cmpstr (event, ==, expected + strlen ("exception|"));
          seen = TRUE;
        }
    }
  g_assert_true (seen);
}

static void
test_backoff (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(TestFailingCarrier) failing = g_object_new (TEST_TYPE_FAILING_CARRIER, NULL);
  gint64 shipment = insert_shipment (f, f->account_id, "usps", "9400100000000000000017", NULL,
                                     "pre_transit");
  gint64 other = insert_shipment (f, f->account_id, "usps", "9400100000000000000024", NULL,
                                  "pre_transit");
  gint64 delays[3];

  ps_tracking_service_set_carrier (f->service, f->account_id, PS_CARRIER (failing));
  ps_tracking_service_set_max_concurrent (f->service, 1);
  g_free (query_text (f, "UPDATE shipments SET next_track_at = 0 + ? WHERE id = (SELECT max (id) FROM shipments)",
                          T0 + 100 * DAY));

  /* Server errors: 15, 30, 60 minutes. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PsTrackingReport) report = NULL;
      const PsTrackingProblem *problem;

      f->now = query_int (f, "SELECT next_track_at FROM shipments WHERE id = ?", shipment);
      report = track (f, PS_TRACKING_SCOPE_DUE, NULL, 0);
      g_assert_cmpuint (report->checked, ==, 1);
      g_assert_cmpuint (report->problems->len, ==, 1);
      problem = g_ptr_array_index (report->problems, 0);
      g_assert_cmpint (problem->shipment_id, ==, shipment);
      g_assert_nonnull (strstr (problem->message, "test carrier fails"));
      delays[i] = query_int (f, "SELECT next_track_at FROM shipments WHERE id = ?", shipment) - f->now;
      g_assert_cmpint (query_int (f, "SELECT track_failures FROM shipments WHERE id = ?", shipment),
                       ==, i + 1);
    }
  g_assert_cmpint (delays[0], >=, 900);
  g_assert_cmpint (delays[0], <, 960);
  g_assert_cmpint (delays[1], >=, 1800);
  g_assert_cmpint (delays[2], >=, 3600);
  g_assert_cmpuint (failing->calls, ==, 3);

  /* A rate limit defers every due-soon shipment of the account, and the
   * rest of the poll does not call the carrier again. */
  failing->code = PS_CARRIER_ERROR_RATE_LIMITED;
  failing->calls = 0;
  g_free (query_text (f, "UPDATE shipments SET next_track_at = ? WHERE id IN (SELECT id FROM shipments)", T0));
  f->now = T0 + HOUR;
  {
    g_autoptr(PsTrackingReport) report = track (f, PS_TRACKING_SCOPE_DUE, NULL, 0);

    g_assert_cmpuint (failing->calls, ==, 1);
    g_assert_cmpuint (report->checked, ==, 2);
    g_assert_cmpuint (report->deferred, ==, 1);
  }
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM shipments WHERE next_track_at = ?",
                              T0 + HOUR + 900), ==, 2);
  /* Within the limit nothing is asked; after it, the carrier is asked again. */
  f->now = T0 + HOUR + 600;
  ps_tracking_report_free (track (f, PS_TRACKING_SCOPE_SHIPMENTS, &other, 1));
  g_assert_cmpuint (failing->calls, ==, 1);
  f->now = T0 + HOUR + 900;
  {
    g_autoptr(PsTrackingReport) report = track (f, PS_TRACKING_SCOPE_DUE, NULL, 0);

    g_assert_cmpuint (failing->calls, ==, 2);
    g_assert_cmpuint (report->deferred, ==, 1);
  }
  /* The second limit in a row waits twice as long. */
  g_assert_cmpint (query_int (f, "SELECT max (next_track_at) FROM shipments WHERE ? > 0", 1), ==,
                   T0 + HOUR + 900 + 1800);
}

static void
test_untrackable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PsTrackingReport) report = NULL;
  g_autofree char *row = NULL;
  /* An imported UPS number: no account bought it, the sandbox cannot track
   * it and there is no EasyPost account. */
  gint64 shipment = insert_shipment (f, 0, "ups", "1Z999AA10123456784", NULL, "unknown");

  f->now = T0 + 2 * HOUR;
  report = track (f, PS_TRACKING_SCOPE_UNDELIVERED, NULL, 0);
  g_assert_cmpuint (report->checked, ==, 1);
  g_assert_cmpuint (report->untrackable, ==, 1);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (query_int (f, "SELECT next_track_at FROM shipments WHERE id = ?", shipment)
                   - f->now, >=, 7 * DAY);
  row = query_text (f, "SELECT track_error FROM shipments WHERE id = ?", shipment);
  g_assert_nonnull (strstr (row, "EasyPost"));
  g_assert_nonnull (strstr (row, "ups"));

  /* An account that can track any number takes it (a fake standing in
   * for EasyPost): it is asked. */
  {
    g_autoptr(TestFailingCarrier) failing = g_object_new (TEST_TYPE_FAILING_CARRIER, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(PsTrackingReport) again = NULL;
    Query q = { "INSERT INTO carrier_accounts (backend, name, created_at) VALUES ('easypost', 'EP', ?)"
                " RETURNING id", T0 };
    g_autofree char *ep = ps_database_run_sync (ps_context_get_database (f->context), query_job,
                                                &q, NULL, &error);

    g_assert_no_error (error);
    ps_tracking_service_set_carrier (f->service, g_ascii_strtoll (ep, NULL, 10), PS_CARRIER (failing));
    again = track (f, PS_TRACKING_SCOPE_SHIPMENTS, &shipment, 1);
    g_assert_cmpuint (again->untrackable, ==, 0);
    g_assert_cmpuint (failing->calls, ==, 1);
  }
}

static void
test_sweep (Fixture       *f,
            gconstpointer  data)
{
  gint64 shipment = insert_shipment (f, f->account_id, "usps", "9400100000000000000031", NULL,
                                     "pre_transit");
  guint counts[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      f->now = T0 + (3 + i) * DAY;
      ps_tracking_service_sweep_async (f->service, NULL, result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      counts[i] = ps_tracking_service_sweep_finish (f->service, result, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (counts[0], ==, 1);
  g_assert_cmpuint (counts[1], ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE actor = 'clock' AND shipment_id = ?",
                              shipment), ==, 1);
  g_assert_cmpuint (f->changed->len, ==, 1);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("The poller did not poll within 20 s");
  return G_SOURCE_REMOVE;
}

static void
test_poller (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *number = NULL;
  g_autofree char *id = sandbox_label (FALSE, &number);
  gint64 shipment = insert_shipment (f, f->account_id, "usps", number, id, "pre_transit");
  guint timeout;

  f->now = T0 + DAY;
  ps_tracking_service_start (f->service);
  g_assert_true (ps_tracking_service_get_running (f->service));
  timeout = g_timeout_add_seconds (20, timeout_cb, NULL);
  while (f->n_tracked == 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
  ps_tracking_service_stop (f->service);
  g_assert_false (ps_tracking_service_get_running (f->service));
  /* The sweep that followed the poll ends (cancelled or done) and lets go. */
  while (G_OBJECT (f->service)->ref_count > 1)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (query_int (f, "SELECT last_tracked_at FROM shipments WHERE id = ?", shipment),
                   ==, T0 + DAY);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                              shipment), >, 1);
  /* Stopped: polling the main context a while does nothing more. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (f->n_tracked, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/services/tracking/sandbox-delivered", test_sandbox_delivered);
  ADD ("/services/tracking/sandbox-exception", test_sandbox_exception);
  ADD ("/services/tracking/backoff", test_backoff);
  ADD ("/services/tracking/untrackable", test_untrackable);
  ADD ("/services/tracking/sweep", test_sweep);
  ADD ("/services/tracking/poller", test_poller);

  return g_test_run ();
}
