/* test-tracking-store.c: carrier answers applied to shipments and orders,
 * the schedule, the due query and the late-handoff sweep, on a real file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ps-database-private.h"
#include "ps-order-writer.h"
#include "ps-tracking-store.h"

#define HOUR ((gint64) 3600)
#define DAY  ((gint64) 86400)
#define T0   1795000000   /* 2026-11-18 08:26 UTC, a Wednesday */

typedef struct
{
  PsDatabase *db;
  gint64      order_id;
  gint64      shipment_id;
} Fixture;

/* SQL on the worker, for setting up and checking. */
typedef struct
{
  const char *sql;
  gint64      arg;
  gboolean    text;
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
  int rc;

  if (stmt == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, q->arg);
  /* Rows joined by ";", columns by "|". */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
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
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  return g_string_free (out, FALSE);
}

static char *
query_text (Fixture    *f,
            const char *sql,
            gint64      arg)
{
  g_autoptr(GError) error = NULL;
  Query q = { sql, arg, TRUE };
  char *text = ps_database_run_sync (f->db, query_job, &q, NULL, &error);

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

typedef struct
{
  gint64           order_id;
  PsTrackingStatus status;
  gint64           label_created_at;
  gint64           shipment_id;
} AddShipment;

static gpointer
add_order_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Fixture *f = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  PsLineFields line = { "MUG-01", "Mug", NULL, 1, 1500, 350 };
  PsOrderFields order = { 0 };

  ps_order_writer_set_now (writer, T0);
  order.channel_name = "Shop";
  order.channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  order.order_number = "#1001";
  order.customer_name = "Ada Lovelace";
  order.ship_country = "US";
  order.status = PS_ORDER_STATUS_READY_TO_SHIP;
  order.currency = "USD";
  order.created_at = T0 - DAY;
  f->order_id = ps_order_writer_add_order (writer, &order, &line, 1, NULL, error);
  return f->order_id != 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
add_shipment_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  AddShipment *a = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  PsShipmentFields s = { 0 };
  static guint serial;
  g_autofree char *number = g_strdup_printf ("9400100000000000%06u", ++serial);

  ps_order_writer_set_now (writer, a->label_created_at);
  s.order_id = a->order_id;
  s.carrier = "usps";
  s.service = "usps_priority";
  s.tracking_number = number;
  s.tracking_status = a->status;
  s.label_created_at = a->label_created_at;
  s.next_track_at = a->label_created_at + HOUR;
  a->shipment_id = ps_order_writer_add_shipment (writer, &s, error);
  return a->shipment_id != 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

static gint64
add_shipment (Fixture          *f,
              PsTrackingStatus  status,
              gint64            label_created_at)
{
  g_autoptr(GError) error = NULL;
  AddShipment a = { f->order_id, status, label_created_at, 0 };

  g_assert_nonnull (ps_database_run_sync (f->db, add_shipment_job, &a, NULL, &error));
  g_assert_no_error (error);
  return a.shipment_id;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "tracking.db", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (f->db, add_order_job, f, NULL, &error));
  g_assert_no_error (error);
  f->shipment_id = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ps_database_close (f->db);
  g_clear_object (&f->db);
}

/* Applying answers */

typedef struct
{
  gint64                  shipment_id;
  PsTrackingAnswer        answer;
  gint64                  now;
  PsTrackingChange        change;
} Apply;

static gpointer
apply_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Apply *a = data;

  return ps_tracking_store_apply_update_sync (db, a->shipment_id, &a->answer, a->now, &a->change,
                                              error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/* The carrier's history of one parcel, cut at "now" by n_events. */
static const PsTrackingEventFields history[] = {
  { T0, PS_TRACKING_STATUS_PRE_TRANSIT, PS_EXCEPTION_REASON_NONE, "Label created", NULL },
  { T0 + 6 * HOUR, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE, "Accepted", "Memphis, TN, US" },
  { T0 + 30 * HOUR, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE, "Departed", "Dallas, TX, US" },
  { T0 + 48 * HOUR, PS_TRACKING_STATUS_OUT_FOR_DELIVERY, PS_EXCEPTION_REASON_NONE, "Out for delivery", NULL },
  { T0 + 54 * HOUR, PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE, "Delivered", NULL },
};

static PsTrackingChange
apply (Fixture                     *f,
       gint64                       shipment_id,
       const PsTrackingEventFields *events,
       guint                        n_events,
       gint64                       now)
{
  g_autoptr(GError) error = NULL;
  Apply a = { 0 };
  guint latest = 0;

  /* The carrier's status is its latest event's, in whatever order it
   * lists them. */
  for (guint i = 1; i < n_events; i++)
    if (events[i].time > events[latest].time)
      latest = i;
  a.shipment_id = shipment_id;
  a.answer.status = n_events > 0 ? events[latest].status : PS_TRACKING_STATUS_UNKNOWN;
  a.answer.reason = n_events > 0 ? events[latest].reason : PS_EXCEPTION_REASON_NONE;
  a.answer.estimated_delivery = T0 + 56 * HOUR;
  a.answer.events = events;
  a.answer.n_events = n_events;
  a.now = now;
  g_assert_nonnull (ps_database_run_sync (f->db, apply_job, &a, NULL, &error));
  g_assert_no_error (error);
  return a.change;
}

static void
test_progress (Fixture       *f,
               gconstpointer  data)
{
  PsTrackingChange change;
  g_autofree char *events = NULL;
  g_autofree char *shipment = NULL;
  g_autofree char *statuses = NULL;

  /* Day 0: label created, nothing changes but the schedule. */
  change = apply (f, f->shipment_id, history, 1, T0 + HOUR);
  g_assert_cmpuint (change.n_new_events, ==, 1);
  g_assert_cmpuint (change.n_status_events, ==, 0);
  g_assert_false (change.order_changed);
  g_assert_cmpint (change.next_track_at, >=, T0 + 13 * HOUR);   /* pre-transit: 12 h */
  g_assert_cmpint (change.next_track_at, <, T0 + 13 * HOUR + 600);

  /* Day 1: in transit, the order is shipped. */
  change = apply (f, f->shipment_id, history, 3, T0 + 33 * HOUR);
  g_assert_cmpuint (change.n_new_events, ==, 2);
  g_assert_cmpuint (change.n_status_events, ==, 1);
  g_assert_cmpint (change.to, ==, PS_TRACKING_STATUS_IN_TRANSIT);
  g_assert_true (change.order_changed);
  g_assert_cmpint (change.order_from, ==, PS_ORDER_STATUS_READY_TO_SHIP);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_SHIPPED);
  /* Delivery is estimated within a day: every 2 h. */
  g_assert_cmpint (change.next_track_at - (T0 + 33 * HOUR), >=, 2 * HOUR);
  g_assert_cmpint (change.next_track_at - (T0 + 33 * HOUR), <, 2 * HOUR + 600);
  statuses = query_text (f, "SELECT status FROM orders WHERE id = ?", f->order_id);
  g_assert_cmpstr (statuses, ==, "shipped");

  /* Day 2: out for delivery and delivered in one poll: two changes. */
  change = apply (f, f->shipment_id, history, 5, T0 + 60 * HOUR);
  g_assert_cmpuint (change.n_new_events, ==, 2);
  g_assert_cmpuint (change.n_status_events, ==, 2);
  g_assert_true (change.delivered);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_DELIVERED);
  g_assert_cmpint (change.next_track_at, ==, 0);

  shipment = query_text (f, "SELECT tracking_status, first_scan_at - ?1, delivered_at - ?1,"
                            " next_track_at, track_failures FROM shipments WHERE id = "
                            "(SELECT max (id) FROM shipments)", T0);
  g_assert_cmpstr (shipment, ==, "delivered|21600|194400|NULL|0");

  /* The event log, in order, with who did it. */
  events = query_text (f, "SELECT type, actor, data FROM events WHERE id > ?"
                          " AND type <> 'order.imported' ORDER BY id", 0);
  g_assert_cmpstr (events, ==,
                   "tracking.status_changed|carrier|{\"from\":\"pre_transit\",\"to\":\"in_transit\",\"reason\":null};"
                   "order.status_changed|carrier|{\"from\":\"ready_to_ship\",\"to\":\"shipped\"};"
                   "tracking.status_changed|carrier|{\"from\":\"in_transit\",\"to\":\"out_for_delivery\",\"reason\":null};"
                   "tracking.status_changed|carrier|{\"from\":\"out_for_delivery\",\"to\":\"delivered\",\"reason\":null};"
                   "shipment.delivered|carrier|{\"carrier\":\"usps\",\"service\":\"usps_priority\",\"on_time\":true};"
                   "order.status_changed|carrier|{\"from\":\"shipped\",\"to\":\"delivered\"}");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                              f->shipment_id), ==, 5);
  g_free (events);
  events = query_text (f, "SELECT location FROM tracking_events WHERE shipment_id = ?"
                          " ORDER BY occurred_at LIMIT 2", f->shipment_id);
  g_assert_cmpstr (events, ==, "NULL;Memphis, TN, US");
}

static void
test_repoll (Fixture       *f,
             gconstpointer  data)
{
  PsTrackingChange change;
  gint64 n_events, n_log;
  PsTrackingEventFields reversed[3];

  apply (f, f->shipment_id, history, 3, T0 + 31 * HOUR);
  n_events = query_int (f, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                        f->shipment_id);
  n_log = query_int (f, "SELECT count(*) FROM events WHERE ? > 0", 1);

  /* The same answer, newest first this time: nothing new. */
  for (guint i = 0; i < 3; i++)
    reversed[i] = history[2 - i];
  change = apply (f, f->shipment_id, reversed, 3, T0 + 33 * HOUR);
  g_assert_cmpuint (change.n_new_events, ==, 0);
  g_assert_cmpuint (change.n_status_events, ==, 0);
  g_assert_false (change.order_changed);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                              f->shipment_id), ==, n_events);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE ? > 0", 1), ==, n_log);
  g_assert_cmpint (query_int (f, "SELECT last_tracked_at FROM shipments WHERE id = ?",
                              f->shipment_id), ==, T0 + 33 * HOUR);
}

static void
test_exception (Fixture       *f,
                gconstpointer  data)
{
  const PsTrackingEventFields trouble[] = {
    history[0], history[1],
    { T0 + 40 * HOUR, PS_TRACKING_STATUS_EXCEPTION, PS_EXCEPTION_REASON_ADDRESS_ISSUE,
      "Undeliverable as addressed", NULL },
  };
  const PsTrackingEventFields recovered[] = {
    trouble[0], trouble[1], trouble[2],
    { T0 + 70 * HOUR, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE, "Address corrected", NULL },
  };
  PsTrackingChange change;
  g_autofree char *row = NULL;
  g_autofree char *last = NULL;

  change = apply (f, f->shipment_id, trouble, 3, T0 + 41 * HOUR);
  g_assert_cmpint (change.to, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (change.reason, ==, PS_EXCEPTION_REASON_ADDRESS_ISSUE);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_EXCEPTION);
  g_assert_cmpint (change.next_track_at - (T0 + 41 * HOUR), >=, 3 * HOUR);
  row = query_text (f, "SELECT s.tracking_status, s.exception_reason, o.status FROM shipments s"
                       " JOIN orders o ON o.id = s.order_id WHERE s.id = ?", f->shipment_id);
  g_assert_cmpstr (row, ==, "exception|address_issue|exception");
  last = query_text (f, "SELECT data FROM events WHERE type = 'tracking.status_changed'"
                        " AND shipment_id = ? ORDER BY id DESC LIMIT 1", f->shipment_id);
  g_assert_cmpstr (last, ==, "{\"from\":\"in_transit\",\"to\":\"exception\",\"reason\":\"address_issue\"}");

  /* Moving again clears the reason and the order is shipped again. */
  change = apply (f, f->shipment_id, recovered, 4, T0 + 71 * HOUR);
  g_assert_cmpint (change.to, ==, PS_TRACKING_STATUS_IN_TRANSIT);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_SHIPPED);
  g_free (row);
  row = query_text (f, "SELECT s.tracking_status, s.exception_reason, o.status FROM shipments s"
                       " JOIN orders o ON o.id = s.order_id WHERE s.id = ?", f->shipment_id);
  g_assert_cmpstr (row, ==, "in_transit|NULL|shipped");
}

static void
test_split_shipments (Fixture       *f,
                      gconstpointer  data)
{
  gint64 second = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0);
  PsTrackingChange change;
  g_autofree char *status = NULL;

  /* One parcel delivered, the other still in transit: shipped. */
  change = apply (f, f->shipment_id, history, 5, T0 + 60 * HOUR);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_SHIPPED);
  change = apply (f, second, history, 3, T0 + 60 * HOUR);
  g_assert_false (change.order_changed);
  status = query_text (f, "SELECT status FROM orders WHERE id = ?", f->order_id);
  g_assert_cmpstr (status, ==, "shipped");

  /* Both delivered: delivered. */
  change = apply (f, second, history, 5, T0 + 62 * HOUR);
  g_assert_true (change.order_changed);
  g_assert_cmpint (change.order_to, ==, PS_ORDER_STATUS_DELIVERED);
}

static void
test_merchant_status_kept (Fixture       *f,
                           gconstpointer  data)
{
  PsTrackingChange change;
  g_autofree char *status = NULL;

  g_free (query_text (f, "UPDATE orders SET status = 'cancelled' WHERE id = ?", f->order_id));
  change = apply (f, f->shipment_id, history, 3, T0 + 31 * HOUR);
  g_assert_cmpuint (change.n_status_events, ==, 1);
  g_assert_false (change.order_changed);
  status = query_text (f, "SELECT status FROM orders WHERE id = ?", f->order_id);
  g_assert_cmpstr (status, ==, "cancelled");
}

/* The due query */

typedef struct
{
  gint64     now;
  GPtrArray *due;
  gint64     next;
} Due;

static gpointer
due_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Due *d = data;

  d->due = ps_tracking_store_list_due_sync (db, d->now, 100, error);
  if (d->due == NULL)
    return NULL;
  d->next = ps_tracking_store_next_due_sync (db, error);
  return GINT_TO_POINTER (TRUE);
}

static void
test_due (Fixture       *f,
          gconstpointer  data)
{
  gint64 later = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0 + 10 * HOUR);
  gint64 delivered = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0 - HOUR);
  gint64 voided = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0 - 2 * HOUR);
  g_autoptr(GError) error = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *next_plan = NULL;
  Due d = { T0 + 2 * HOUR, NULL, 0 };
  PsTrackedShipment *s;

  g_free (query_text (f, "UPDATE shipments SET delivered_at = 1 WHERE id = ?", delivered));
  g_free (query_text (f, "UPDATE shipments SET voided_at = 1 WHERE id = ?", voided));

  g_assert_nonnull (ps_database_run_sync (f->db, due_job, &d, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (d.due->len, ==, 1);
  s = g_ptr_array_index (d.due, 0);
  g_assert_cmpint (s->id, ==, f->shipment_id);
  g_assert_cmpint (s->order_id, ==, f->order_id);
  g_assert_cmpint (s->tracking_status, ==, PS_TRACKING_STATUS_PRE_TRANSIT);
  g_assert_cmpint (s->next_track_at, ==, T0 + HOUR);
  g_assert_cmpint (d.next, ==, T0 + HOUR);
  g_clear_pointer (&d.due, g_ptr_array_unref);

  d.now = T0 + 11 * HOUR;
  g_assert_nonnull (ps_database_run_sync (f->db, due_job, &d, NULL, &error));
  g_assert_cmpuint (d.due->len, ==, 2);
  g_assert_cmpint (((PsTrackedShipment *) g_ptr_array_index (d.due, 1))->id, ==, later);
  g_clear_pointer (&d.due, g_ptr_array_unref);

  /* Both read the partial index, never the table. */
  plan = query_text (f, "EXPLAIN QUERY PLAN SELECT s.id FROM shipments s"
                        " WHERE s.next_track_at <= ? AND s.delivered_at IS NULL AND s.voided_at IS NULL"
                        " ORDER BY s.next_track_at LIMIT 10", T0);
  g_assert_nonnull (strstr (plan, "USING INDEX shipments_due"));
  g_assert_null (strstr (plan, "SCAN s|"));
  next_plan = query_text (f, "EXPLAIN QUERY PLAN SELECT s.next_track_at FROM shipments s"
                             " WHERE s.next_track_at IS NOT NULL AND s.delivered_at IS NULL"
                             " AND s.voided_at IS NULL ORDER BY s.next_track_at LIMIT ?", 1);
  g_assert_nonnull (strstr (next_plan, "shipments_due"));
  g_assert_null (strstr (next_plan, "TEMP B-TREE"));
}

/* Failures and the schedule */

typedef struct
{
  gint64            shipment_id;
  PsTrackingFailure failure;
  gint64            now;
  gint64            next;
} Failure;

static gpointer
failure_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Failure *fl = data;

  return ps_tracking_store_record_failure_sync (db, fl->shipment_id, fl->failure,
                                                "The carrier failed (HTTP 503)", fl->now,
                                                &fl->next, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
test_failure_backoff (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 previous = 0;
  g_autofree char *row = NULL;

  for (guint i = 1; i <= 10; i++)
    {
      Failure fl = { f->shipment_id, PS_TRACKING_FAILURE_ERROR, T0, 0 };
      gint64 delay;

      g_assert_nonnull (ps_database_run_sync (f->db, failure_job, &fl, NULL, &error));
      g_assert_no_error (error);
      delay = fl.next - T0;
      /* 15 min, 30, 1 h, 2 h … up to a day (plus under a minute of jitter). */
      g_assert_cmpint (delay, >=, MIN (DAY, 900 << (i - 1)));
      g_assert_cmpint (delay, <, MIN (DAY, 900 << (i - 1)) + 60);
      g_assert_cmpint (delay, >=, previous);
      previous = delay;
    }
  row = query_text (f, "SELECT track_failures, track_error FROM shipments WHERE id = ?",
                    f->shipment_id);
  g_assert_cmpstr (row, ==, "10|The carrier failed (HTTP 503)");

  /* A good answer resets the count. */
  apply (f, f->shipment_id, history, 2, T0 + 7 * HOUR);
  g_assert_cmpint (query_int (f, "SELECT track_failures FROM shipments WHERE id = ?",
                              f->shipment_id), ==, 0);

  g_assert_cmpint (ps_tracking_schedule_retry (PS_TRACKING_FAILURE_NO_ACCOUNT, 1, 1, T0) - T0,
                   >=, 7 * DAY);
  g_assert_cmpint (ps_tracking_schedule_retry (PS_TRACKING_FAILURE_AUTH, 1, 1, T0) - T0, >=, DAY);
  g_assert_cmpint (ps_tracking_schedule_rate_limited (1, T0) - T0, ==, 900);
  g_assert_cmpint (ps_tracking_schedule_rate_limited (3, T0) - T0, ==, 3600);
  g_assert_cmpint (ps_tracking_schedule_rate_limited (40, T0) - T0, ==, 6 * HOUR);
}

static void
test_schedule (void)
{
  struct {
    PsTrackingStatus status;
    gint64           estimate;
    gint64           label;
    gint64           interval;    /* 0: never */
  } cases[] = {
    { PS_TRACKING_STATUS_PRE_TRANSIT, 0, T0, 12 * HOUR },
    { PS_TRACKING_STATUS_UNKNOWN, 0, 0, 12 * HOUR },
    { PS_TRACKING_STATUS_IN_TRANSIT, T0 + 3 * DAY, T0, 6 * HOUR },
    { PS_TRACKING_STATUS_IN_TRANSIT, T0 + 20 * HOUR, T0, 2 * HOUR },
    { PS_TRACKING_STATUS_IN_TRANSIT, T0 - DAY, T0 - 3 * DAY, 2 * HOUR },
    { PS_TRACKING_STATUS_OUT_FOR_DELIVERY, T0, T0, HOUR },
    { PS_TRACKING_STATUS_EXCEPTION, 0, T0, 3 * HOUR },
    { PS_TRACKING_STATUS_RETURN_TO_SENDER, 0, T0, 12 * HOUR },
    { PS_TRACKING_STATUS_IN_TRANSIT, 0, T0 - 60 * DAY, DAY },
    { PS_TRACKING_STATUS_DELIVERED, 0, T0, 0 },
    { PS_TRACKING_STATUS_CANCELLED, 0, T0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gint64 id = 1; id < 2000; id += 333)
      {
        gint64 next = ps_tracking_schedule_next (cases[i].status, cases[i].estimate,
                                                 cases[i].label, id, T0);

        if (cases[i].interval == 0)
          {
            g_assert_cmpint (next, ==, 0);
            continue;
          }
        g_assert_cmpint (next - T0, >=, cases[i].interval);
        g_assert_cmpint (next - T0, <, cases[i].interval + 600);
      }
}

/* Late handoff */

typedef struct
{
  gint64  now;
  GArray *orders;
} Sweep;

static gpointer
sweep_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Sweep *sw = data;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  sw->orders = ps_tracking_store_sweep_late_handoff_sync (db, sw->now, utc,
                                                          PS_TRACKING_LATE_HANDOFF_DAYS, error);
  return sw->orders != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static guint
sweep (Fixture *f,
       gint64   now)
{
  g_autoptr(GError) error = NULL;
  Sweep sw = { now, NULL };
  guint n;

  g_assert_nonnull (ps_database_run_sync (f->db, sweep_job, &sw, NULL, &error));
  g_assert_no_error (error);
  n = sw.orders->len;
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (g_array_index (sw.orders, gint64, i), ==, f->order_id);
  g_array_unref (sw.orders);
  return n;
}

static void
test_late_handoff (Fixture       *f,
                   gconstpointer  data)
{
  gint64 scanned = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0);
  gint64 fresh = add_shipment (f, PS_TRACKING_STATUS_PRE_TRANSIT, T0 + 2 * DAY);
  g_autofree char *plan = NULL;
  g_autofree char *event = NULL;
  g_autofree char *row = NULL;
  PsTrackingChange change;

  apply (f, scanned, history, 2, T0 + 7 * HOUR);

  /* Wednesday + 2 business days is Friday at the same time: not yet. */
  g_assert_cmpuint (sweep (f, T0 + 2 * DAY - 60), ==, 0);
  /* Friday after that time: the first label is late; the scanned one and
   * the one made on Friday are not. */
  g_assert_cmpuint (sweep (f, T0 + 2 * DAY + 60), ==, 1);
  row = query_text (f, "SELECT tracking_status, exception_reason FROM shipments WHERE id = ?",
                    f->shipment_id);
  g_assert_cmpstr (row, ==, "pre_transit|late_handoff");
  event = query_text (f, "SELECT occurred_at - ?1, actor, data FROM events"
                         " WHERE type = 'tracking.status_changed' AND actor = 'clock'", T0);
  g_assert_cmpstr (event, ==, "172860|clock|{\"from\":\"pre_transit\",\"to\":\"pre_transit\","
                              "\"reason\":\"late_handoff\"}");

  /* Once: later sweeps and a carrier answer still pre-transit report it
   * no more. */
  g_assert_cmpuint (sweep (f, T0 + 3 * DAY), ==, 0);
  change = apply (f, f->shipment_id, history, 1, T0 + 3 * DAY);
  g_assert_cmpint (change.reason, ==, PS_EXCEPTION_REASON_LATE_HANDOFF);
  g_assert_cmpuint (change.n_status_events, ==, 0);
  g_assert_cmpuint (sweep (f, T0 + 8 * DAY), ==, 1);   /* only the Friday label, now late */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE actor = 'clock' AND shipment_id = ?",
                              f->shipment_id), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM events WHERE actor = 'clock' AND shipment_id = ?",
                              fresh), ==, 1);

  /* The first scan clears the flag. */
  change = apply (f, f->shipment_id, history, 2, T0 + 9 * DAY);
  g_assert_cmpint (change.to, ==, PS_TRACKING_STATUS_IN_TRANSIT);
  g_assert_cmpint (change.reason, ==, PS_EXCEPTION_REASON_NONE);
  g_free (row);
  row = query_text (f, "SELECT tracking_status, exception_reason FROM shipments WHERE id = ?",
                    f->shipment_id);
  g_assert_cmpstr (row, ==, "in_transit|NULL");

  /* The sweep reads a range of shipments_status_label. */
  plan = query_text (f, "EXPLAIN QUERY PLAN SELECT id, order_id FROM shipments"
                        " WHERE tracking_status = 'pre_transit' AND label_created_at < ?"
                        " AND exception_reason IS NULL AND voided_at IS NULL AND delivered_at IS NULL",
                     T0);
  g_assert_nonnull (strstr (plan, "shipments_status_label (tracking_status=? AND label_created_at<?)"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/tracking/progress", test_progress);
  ADD ("/store/tracking/repoll", test_repoll);
  ADD ("/store/tracking/exception", test_exception);
  ADD ("/store/tracking/split-shipments", test_split_shipments);
  ADD ("/store/tracking/merchant-status-kept", test_merchant_status_kept);
  ADD ("/store/tracking/due", test_due);
  ADD ("/store/tracking/failure-backoff", test_failure_backoff);
  ADD ("/store/tracking/late-handoff", test_late_handoff);
  g_test_add_func ("/store/tracking/schedule", test_schedule);

  return g_test_run ();
}
