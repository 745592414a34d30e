/* test-exception-store.c: open exceptions by reason, their ages, resolving
 * with a root cause and reopening, on a real file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exceptions are made the way the app makes them: carrier answers through
 * ps_tracking_store_apply_update_sync() and the clock's late-handoff
 * sweep, so the test follows the tracking store's real events.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "ps-database-private.h"
#include "ps-exception-store.h"
#include "ps-order-writer.h"
#include "ps-tracking-store.h"

#define HOUR ((gint64) 3600)
#define DAY  ((gint64) 86400)
#define T0   1795000000   /* 2026-11-18 08:26 UTC, a Wednesday */

typedef struct
{
  PsDatabase *db;
} Fixture;

/* Rows joined by ";", columns by "|". */
static int
append_row_cb (void  *data,
               int    n_columns,
               char **values,
               char **names)
{
  GString *out = data;

  if (out->len > 0)
    g_string_append_c (out, ';');
  for (int c = 0; c < n_columns; c++)
    g_string_append_printf (out, "%s%s", c > 0 ? "|" : "", values[c] ? values[c] : "NULL");
  return 0;
}

static gpointer
query_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  GString *out = g_string_new (NULL);
  char *message = NULL;

  if (sqlite3_exec (_ps_database_get_handle (db), data, append_row_cb, out, &message) != SQLITE_OK)
    g_error ("%s: %s", (const char *) data, message);
  return g_string_free (out, FALSE);
}

/* The result code of one statement, plus one (a job's NULL is failure). */
static gpointer
exec_rc_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return GINT_TO_POINTER (sqlite3_exec (_ps_database_get_handle (db), data, NULL, NULL, NULL) + 1);
}

static char *
query (Fixture    *f,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static char *
query (Fixture    *f,
       const char *format,
       ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;
  char *text;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  text = ps_database_run_sync (f->db, query_job, sql, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* One order with one pre-transit shipment whose label was made at @label_at. */
typedef struct
{
  const char *number;
  const char *customer;
  gint64      label_at;
  gint64      order_id;
  gint64      shipment_id;
} AddParcel;

static gpointer
add_parcel_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  AddParcel *a = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  g_autofree char *tracking = g_strdup_printf ("1Z999AA1%s", a->number + 1);
  PsLineFields line = { "MUG-01", "Mug", NULL, 1, 1500, 350 };
  PsOrderFields order = { 0 };
  PsShipmentFields s = { 0 };

  ps_order_writer_set_now (writer, a->label_at);
  order.channel_name = "Shop";
  order.channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  order.order_number = a->number;
  order.customer_name = a->customer;
  order.customer_email = "customer@example.com";
  order.ship_country = "US";
  order.status = PS_ORDER_STATUS_READY_TO_SHIP;
  order.currency = "USD";
  order.created_at = a->label_at - DAY;
  a->order_id = ps_order_writer_add_order (writer, &order, &line, 1, NULL, error);
  if (a->order_id == 0)
    return NULL;
  s.order_id = a->order_id;
  s.carrier = "ups";
  s.service = "ups_ground";
  s.tracking_number = tracking;
  s.tracking_status = PS_TRACKING_STATUS_PRE_TRANSIT;
  s.label_created_at = a->label_at;
  s.next_track_at = a->label_at + HOUR;
  a->shipment_id = ps_order_writer_add_shipment (writer, &s, error);
  if (a->shipment_id == 0 || !ps_order_writer_flush (writer, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gint64
add_parcel (Fixture    *f,
            const char *number,
            const char *customer,
            gint64      label_at)
{
  g_autoptr(GError) error = NULL;
  AddParcel a = { number, customer, label_at, 0, 0 };

  g_assert_nonnull (ps_database_run_sync (f->db, add_parcel_job, &a, NULL, &error));
  g_assert_no_error (error);
  return a.shipment_id;
}

/* A carrier answer whose status is its last event's. */
typedef struct
{
  gint64                       shipment_id;
  const PsTrackingEventFields *events;
  guint                        n_events;
  gint64                       now;
} Apply;

static gpointer
apply_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Apply *a = data;
  PsTrackingAnswer answer = { 0 };
  PsTrackingChange change;

  answer.status = a->events[a->n_events - 1].status;
  answer.reason = a->events[a->n_events - 1].reason;
  answer.events = a->events;
  answer.n_events = a->n_events;
  return ps_tracking_store_apply_update_sync (db, a->shipment_id, &answer, a->now, &change, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
apply (Fixture                     *f,
       gint64                       shipment_id,
       const PsTrackingEventFields *events,
       guint                        n_events,
       gint64                       now)
{
  g_autoptr(GError) error = NULL;
  Apply a = { shipment_id, events, n_events, now };

  g_assert_nonnull (ps_database_run_sync (f->db, apply_job, &a, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  gint64 now;
} Sweep;

static gpointer
sweep_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Sweep *s = data;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  return ps_tracking_store_sweep_late_handoff_sync (db, s->now, utc, PS_TRACKING_LATE_HANDOFF_DAYS,
                                                    error);
}

static guint
sweep (Fixture *f,
       gint64   now)
{
  g_autoptr(GError) error = NULL;
  Sweep s = { now };
  g_autoptr(GArray) orders = ps_database_run_sync (f->db, sweep_job, &s, NULL, &error);

  g_assert_no_error (error);
  return orders->len;
}

typedef struct
{
  guint max_rows;
} List;

static gpointer
list_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_exception_store_list_open_sync (db, ((List *) data)->max_rows, error);
}

static GPtrArray *
list_open (Fixture *f,
           guint    max_rows)
{
  g_autoptr(GError) error = NULL;
  List l = { max_rows };
  GPtrArray *groups = ps_database_run_sync (f->db, list_job, &l, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (groups);
  return groups;
}

static PsExceptionGroup *
find_group (GPtrArray         *groups,
            PsExceptionReason  reason)
{
  for (guint i = 0; i < groups->len; i++)
    {
      PsExceptionGroup *g = g_ptr_array_index (groups, i);

      if (g->reason == reason)
        return g;
    }
  return NULL;
}

static PsExceptionRow *
find_row (GPtrArray *groups,
          gint64     shipment_id)
{
  for (guint i = 0; i < groups->len; i++)
    {
      PsExceptionGroup *g = g_ptr_array_index (groups, i);

      for (guint j = 0; j < g->rows->len; j++)
        {
          PsExceptionRow *row = g_ptr_array_index (g->rows, j);

          if (row->shipment_id == shipment_id)
            return row;
        }
    }
  return NULL;
}

typedef struct
{
  gint64               shipment_id;
  PsExceptionRootCause cause;
  const char          *note;
  gint64               now;
  gint64               order_id;
} Resolve;

static gpointer
resolve_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  Resolve *r = data;

  return ps_exception_store_resolve_sync (db, r->shipment_id, r->cause, r->note, r->now,
                                          &r->order_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gboolean
resolve (Fixture               *f,
         gint64                 shipment_id,
         PsExceptionRootCause   cause,
         gint64                 now,
         GError               **error)
{
  Resolve r = { shipment_id, cause, NULL, now, 0 };

  return ps_database_run_sync (f->db, resolve_job, &r, NULL, error) != NULL;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "exceptions.db", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ps_database_close (f->db);
  g_clear_object (&f->db);
}

#define EV(t, status, reason, text) \
  { (t), PS_TRACKING_STATUS_##status, PS_EXCEPTION_REASON_##reason, (text), NULL }

/* A parcel picked up at T0 + 6 h, then in exception at @t for @reason. */
static void
carrier_exception (Fixture           *f,
                   gint64             shipment_id,
                   gint64             t,
                   PsExceptionReason  reason,
                   const char        *text)
{
  PsTrackingEventFields events[] = {
    EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
    { t, PS_TRACKING_STATUS_EXCEPTION, reason, text, NULL },
  };

  apply (f, shipment_id, events, G_N_ELEMENTS (events), t + HOUR);
}

static void
test_grouping (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  PsExceptionGroup *delay, *address, *late;
  PsExceptionRow *row;
  gint64 d1, d2, a1, l1, moving, voided, delivered;

  d1 = add_parcel (f, "#1001", "Ada Lovelace", T0);
  d2 = add_parcel (f, "#1002", "Grace Hopper", T0);
  a1 = add_parcel (f, "#1003", "Alan Turing", T0);
  l1 = add_parcel (f, "#1004", "Edsger Dijkstra", T0);
  moving = add_parcel (f, "#1005", "Barbara Liskov", T0);
  voided = add_parcel (f, "#1006", "Donald Knuth", T0);
  delivered = add_parcel (f, "#1007", "Ken Thompson", T0);

  carrier_exception (f, d1, T0 + 30 * HOUR, PS_EXCEPTION_REASON_DELAY, "Late trailer");
  carrier_exception (f, d2, T0 + 20 * HOUR, PS_EXCEPTION_REASON_DELAY, "Missed connection");
  carrier_exception (f, a1, T0 + 40 * HOUR, PS_EXCEPTION_REASON_ADDRESS_ISSUE, "Bad address");
  carrier_exception (f, voided, T0 + 40 * HOUR, PS_EXCEPTION_REASON_DELAY, "Late");
  carrier_exception (f, delivered, T0 + 40 * HOUR, PS_EXCEPTION_REASON_DELAY, "Late");
  {
    PsTrackingEventFields events[] = { EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up") };
    apply (f, moving, events, 1, T0 + 7 * HOUR);
  }
  {
    PsTrackingEventFields events[] = {
      EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
      EV (T0 + 40 * HOUR, EXCEPTION, DELAY, "Late"),
      EV (T0 + 60 * HOUR, DELIVERED, NONE, "Delivered"),
    };
    apply (f, delivered, events, G_N_ELEMENTS (events), T0 + 61 * HOUR);
  }
  g_free (query (f, "UPDATE shipments SET voided_at = %" G_GINT64_FORMAT " WHERE id = %" G_GINT64_FORMAT,
                 T0 + 50 * HOUR, voided));
  /* Only l1 is still pre-transit: the clock flags it. */
  g_assert_cmpuint (sweep (f, T0 + 5 * DAY), ==, 1);

  groups = list_open (f, 0);
  g_assert_cmpuint (groups->len, ==, 3);
  /* The biggest group first. */
  delay = g_ptr_array_index (groups, 0);
  g_assert_cmpint (delay->reason, ==, PS_EXCEPTION_REASON_DELAY);
  g_assert_cmpuint (delay->n_open, ==, 2);
  g_assert_cmpuint (delay->rows->len, ==, 2);
  g_assert_cmpint (delay->oldest_since, ==, T0 + 20 * HOUR);
  /* Oldest first. */
  row = g_ptr_array_index (delay->rows, 0);
  g_assert_cmpint (row->shipment_id, ==, d2);
  g_assert_cmpstr (row->order_number, ==, "#1002");
  g_assert_cmpstr (row->customer, ==, "Grace Hopper");
  g_assert_cmpstr (row->carrier, ==, "ups");
  g_assert_cmpstr (row->service, ==, "ups_ground");
  g_assert_cmpstr (row->tracking_number, ==, "1Z999AA11002");
  g_assert_cmpstr (row->last_event, ==, "Missed connection");
  g_assert_cmpint (row->last_event_at, ==, T0 + 20 * HOUR);
  g_assert_cmpint (row->reason, ==, PS_EXCEPTION_REASON_DELAY);
  row = g_ptr_array_index (delay->rows, 1);
  g_assert_cmpint (row->shipment_id, ==, d1);

  address = find_group (groups, PS_EXCEPTION_REASON_ADDRESS_ISSUE);
  g_assert_nonnull (address);
  g_assert_cmpuint (address->n_open, ==, 1);
  g_assert_cmpint (address->oldest_since, ==, T0 + 40 * HOUR);
  g_assert_cmpint (((PsExceptionRow *) g_ptr_array_index (address->rows, 0))->shipment_id, ==, a1);

  late = find_group (groups, PS_EXCEPTION_REASON_LATE_HANDOFF);
  g_assert_nonnull (late);
  g_assert_cmpuint (late->n_open, ==, 1);
  row = g_ptr_array_index (late->rows, 0);
  g_assert_cmpint (row->shipment_id, ==, l1);
  g_assert_cmpint (row->since, ==, T0 + 5 * DAY);   /* the sweep's event */
  g_assert_null (row->last_event);                  /* no carrier event yet */

  g_assert_null (find_row (groups, moving));
  g_assert_null (find_row (groups, voided));
  g_assert_null (find_row (groups, delivered));

  /* A row limit keeps the counts and the oldest time of the whole group. */
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = list_open (f, 1);
  delay = find_group (groups, PS_EXCEPTION_REASON_DELAY);
  g_assert_cmpuint (delay->n_open, ==, 2);
  g_assert_cmpuint (delay->rows->len, ==, 1);
  g_assert_cmpint (((PsExceptionRow *) g_ptr_array_index (delay->rows, 0))->shipment_id, ==, d2);
  g_assert_cmpint (delay->oldest_since, ==, T0 + 20 * HOUR);
}

/* "Since" is the start of the current episode. */
static void
test_ages (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  PsExceptionRow *row;
  gint64 again, changed, flagged;

  /* In exception, moving again, in exception again: the second one counts. */
  again = add_parcel (f, "#2001", "Ada Lovelace", T0);
  {
    PsTrackingEventFields events[] = {
      EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
      EV (T0 + 20 * HOUR, EXCEPTION, WEATHER, "Storm"),
      EV (T0 + 44 * HOUR, IN_TRANSIT, NONE, "Resumed"),
      EV (T0 + 70 * HOUR, EXCEPTION, DELAY, "Late trailer"),
    };
    apply (f, again, events, G_N_ELEMENTS (events), T0 + 71 * HOUR);
  }
  /* In exception for one reason, then another without moving: the first
   * one started the trouble. */
  changed = add_parcel (f, "#2002", "Grace Hopper", T0);
  {
    PsTrackingEventFields events[] = {
      EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
      EV (T0 + 30 * HOUR, EXCEPTION, DELAY, "Late"),
      EV (T0 + 50 * HOUR, EXCEPTION, LOST, "Cannot be located"),
    };
    apply (f, changed, events, G_N_ELEMENTS (events), T0 + 51 * HOUR);
  }
  /* Flagged without any event (as the demo history does): from the label. */
  flagged = add_parcel (f, "#2003", "Alan Turing", T0 - DAY);
  g_free (query (f, "UPDATE shipments SET exception_reason = 'late_handoff' WHERE id = %"
                 G_GINT64_FORMAT, flagged));

  groups = list_open (f, 0);
  row = find_row (groups, again);
  g_assert_nonnull (row);
  g_assert_cmpint (row->reason, ==, PS_EXCEPTION_REASON_DELAY);
  g_assert_cmpint (row->since, ==, T0 + 70 * HOUR);
  g_assert_cmpstr (row->last_event, ==, "Late trailer");

  row = find_row (groups, changed);
  g_assert_nonnull (row);
  g_assert_cmpint (row->reason, ==, PS_EXCEPTION_REASON_LOST);
  g_assert_cmpint (row->since, ==, T0 + 30 * HOUR);
  g_assert_cmpstr (row->last_event, ==, "Cannot be located");

  row = find_row (groups, flagged);
  g_assert_nonnull (row);
  g_assert_cmpint (row->since, ==, T0 - DAY);
  g_assert_cmpstr (row->last_event, ==, NULL);
}

static void
test_resolve (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *note = NULL;
  g_autofree char *event = NULL;
  gint64 d1, d2;

  d1 = add_parcel (f, "#3001", "Ada Lovelace", T0);
  d2 = add_parcel (f, "#3002", "Grace Hopper", T0);
  carrier_exception (f, d1, T0 + 30 * HOUR, PS_EXCEPTION_REASON_DAMAGED, "Damaged");
  carrier_exception (f, d2, T0 + 31 * HOUR, PS_EXCEPTION_REASON_DAMAGED, "Damaged");

  g_assert_true (resolve (f, d1, PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE, T0 + 3 * DAY, &error));
  g_assert_no_error (error);

  groups = list_open (f, 0);
  g_assert_cmpuint (groups->len, ==, 1);
  g_assert_cmpuint (((PsExceptionGroup *) g_ptr_array_index (groups, 0))->n_open, ==, 1);
  g_assert_null (find_row (groups, d1));
  g_assert_nonnull (find_row (groups, d2));

  /* The root cause and the time are on the shipment; the exception stays
   * the carrier's (the tracking store's columns are untouched). */
  stored = query (f, "SELECT exception_resolved_at, exception_root_cause, tracking_status,"
                     " exception_reason FROM shipments WHERE id = %" G_GINT64_FORMAT, d1);
  g_assert_cmpstr (stored, ==, "1795259200|warehouse|exception|damaged");
  /* A note for the order and its event, pointing at the shipment. */
  note = query (f, "SELECT n.author, n.body FROM notes n JOIN shipments s ON s.order_id = n.order_id"
                   " WHERE s.id = %" G_GINT64_FORMAT, d1);
  g_assert_cmpstr (note, ==, "merchant|Exception resolved (damaged), root cause: warehouse");
  event = query (f, "SELECT type, actor, occurred_at, json_extract (data, '$.root_cause'),"
                    " json_extract (data, '$.exception_reason'),"
                    " CAST (json_extract (data, '$.note_id') AS INTEGER) = (SELECT max (id) FROM notes)"
                    " FROM events WHERE shipment_id = %" G_GINT64_FORMAT
                    " ORDER BY id DESC LIMIT 1", d1);
  g_assert_cmpstr (event, ==, "note.added|merchant|1795259200|warehouse|damaged|1");

  /* Resolving again, or something that is no exception, says so. */
  g_assert_false (resolve (f, d1, PS_EXCEPTION_ROOT_CAUSE_CARRIER, T0 + 4 * DAY, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no open exception"));
  g_clear_error (&error);
  g_free (stored);
  stored = query (f, "SELECT exception_root_cause FROM shipments WHERE id = %" G_GINT64_FORMAT, d1);
  g_assert_cmpstr (stored, ==, "warehouse");   /* the failed attempt changed nothing */
  g_assert_false (resolve (f, 999999, PS_EXCEPTION_ROOT_CAUSE_CARRIER, T0 + 4 * DAY, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Every root cause is stored under its nick. */
  for (PsExceptionRootCause c = 0; c <= PS_EXCEPTION_ROOT_CAUSE_LAST; c++)
    {
      PsExceptionRootCause back;
      gint64 s = 0;
      g_autofree char *number = g_strdup_printf ("#31%02d", c);
      g_autofree char *cause = NULL;

      s = add_parcel (f, number, "Ada Lovelace", T0);
      carrier_exception (f, s, T0 + 30 * HOUR, PS_EXCEPTION_REASON_OTHER, "Exception");
      g_assert_true (resolve (f, s, c, T0 + 3 * DAY, &error));
      g_assert_no_error (error);
      cause = query (f, "SELECT exception_root_cause FROM shipments WHERE id = %" G_GINT64_FORMAT, s);
      g_assert_cmpstr (cause, ==, ps_exception_root_cause_to_nick (c));
      g_assert_true (ps_exception_root_cause_from_nick (cause, &back));
      g_assert_cmpint (back, ==, c);
    }
  {
    PsExceptionRootCause back = PS_EXCEPTION_ROOT_CAUSE_CARRIER;
    g_assert_false (ps_exception_root_cause_from_nick ("gremlins", &back));
    g_assert_false (ps_exception_root_cause_from_nick (NULL, &back));
  }
  /* The column refuses anything else. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE shipments SET exception_root_cause = 'gremlins'"
                                            " WHERE id = %" G_GINT64_FORMAT, d2);
    int rc = GPOINTER_TO_INT (ps_database_run_sync (f->db, exec_rc_job, sql, NULL, NULL)) - 1;

    g_assert_cmpint (rc, ==, SQLITE_CONSTRAINT_CHECK);
  }
}

static void
test_reopen (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;
  PsExceptionRow *row;
  gint64 same, moved, late, backfilled;
  PsTrackingEventFields same_events[] = {
    EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
    EV (T0 + 30 * HOUR, EXCEPTION, DELAY, "Late trailer"),
    EV (T0 + 4 * DAY, EXCEPTION, DELAY, "Missed the next trailer too"),
  };
  PsTrackingEventFields moved_events[] = {
    EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
    EV (T0 + 30 * HOUR, EXCEPTION, WEATHER, "Storm"),
    EV (T0 + 3 * DAY + HOUR, IN_TRANSIT, NONE, "Resumed"),
    EV (T0 + 5 * DAY, EXCEPTION, FAILED_ATTEMPT, "No access"),
  };
  PsTrackingEventFields backfilled_events[] = {
    EV (T0 + 6 * HOUR, IN_TRANSIT, NONE, "Picked up"),
    EV (T0 + 30 * HOUR, EXCEPTION, DAMAGED, "Damaged"),
    EV (T0 + 2 * DAY, EXCEPTION, DAMAGED, "Repackaging"),
  };

  same = add_parcel (f, "#4001", "Ada Lovelace", T0);
  moved = add_parcel (f, "#4002", "Grace Hopper", T0);
  late = add_parcel (f, "#4003", "Alan Turing", T0);
  backfilled = add_parcel (f, "#4004", "Edsger Dijkstra", T0);
  apply (f, same, same_events, 2, T0 + 31 * HOUR);
  apply (f, moved, moved_events, 2, T0 + 31 * HOUR);
  apply (f, backfilled, backfilled_events, 2, T0 + 31 * HOUR);
  g_assert_cmpuint (sweep (f, T0 + 3 * DAY), ==, 1);

  for (guint i = 0; i < 4; i++)
    {
      gint64 ids[] = { same, moved, late, backfilled };
      g_assert_true (resolve (f, ids[i], PS_EXCEPTION_ROOT_CAUSE_CARRIER, T0 + 3 * DAY + 60, &error));
      g_assert_no_error (error);
    }
  groups = list_open (f, 0);
  g_assert_cmpuint (groups->len, ==, 0);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* Polling again with nothing new keeps them resolved. */
  apply (f, same, same_events, 2, T0 + 3 * DAY + HOUR);
  groups = list_open (f, 0);
  g_assert_cmpuint (groups->len, ==, 0);
  g_clear_pointer (&groups, g_ptr_array_unref);

  /* A new carrier exception with the same reason (no status change, only
   * a new exception scan) reopens it, dated from that scan. */
  apply (f, same, same_events, 3, T0 + 4 * DAY + HOUR);
  /* Moving again then a new exception: open, from the new one. */
  apply (f, moved, moved_events, 3, T0 + 3 * DAY + 2 * HOUR);
  apply (f, moved, moved_events, 4, T0 + 5 * DAY + HOUR);
  /* A carrier event dated before the resolution (filled in late) does not. */
  apply (f, backfilled, backfilled_events, 3, T0 + 4 * DAY);
  /* The late handoff is scanned, then stalls in an exception. */
  {
    PsTrackingEventFields events[] = {
      EV (T0 + 3 * DAY + 3 * HOUR, IN_TRANSIT, NONE, "Picked up"),
      EV (T0 + 6 * DAY, EXCEPTION, ADDRESS_ISSUE, "Address incomplete"),
    };
    apply (f, late, events, 1, T0 + 3 * DAY + 4 * HOUR);
    groups = list_open (f, 0);
    g_assert_null (find_row (groups, late));
    g_clear_pointer (&groups, g_ptr_array_unref);
    apply (f, late, events, 2, T0 + 6 * DAY + HOUR);
  }

  groups = list_open (f, 0);
  row = find_row (groups, same);
  g_assert_nonnull (row);
  g_assert_cmpint (row->since, ==, T0 + 4 * DAY);
  g_assert_cmpstr (row->last_event, ==, "Missed the next trailer too");
  row = find_row (groups, moved);
  g_assert_nonnull (row);
  g_assert_cmpint (row->reason, ==, PS_EXCEPTION_REASON_FAILED_ATTEMPT);
  g_assert_cmpint (row->since, ==, T0 + 5 * DAY);
  row = find_row (groups, late);
  g_assert_nonnull (row);
  g_assert_cmpint (row->reason, ==, PS_EXCEPTION_REASON_ADDRESS_ISSUE);
  g_assert_cmpint (row->since, ==, T0 + 6 * DAY);
  g_assert_null (find_row (groups, backfilled));

  /* Reopened ones resolve again, with the new root cause kept. */
  g_assert_true (resolve (f, same, PS_EXCEPTION_ROOT_CAUSE_WORKFLOW, T0 + 7 * DAY, &error));
  g_assert_no_error (error);
  {
    g_autofree char *cause = query (f, "SELECT exception_root_cause FROM shipments WHERE id = %"
                                    G_GINT64_FORMAT, same);
    g_assert_cmpstr (cause, ==, "workflow");
  }
  g_clear_pointer (&groups, g_ptr_array_unref);
  groups = list_open (f, 0);
  g_assert_null (find_row (groups, same));
  g_assert_nonnull (find_row (groups, moved));
}

/* EXPLAIN QUERY PLAN of the statement the store ran, found in the
 * connection's statement cache: one detail a line. */
static gpointer
plan_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  sqlite3 *handle = _ps_database_get_handle (db);
  sqlite3_stmt *stmt = NULL;
  sqlite3_stmt *explain = NULL;
  g_autofree char *sql = NULL;
  GString *out = g_string_new (NULL);

  while ((stmt = sqlite3_next_stmt (handle, stmt)) != NULL)
    if (strstr (sqlite3_sql (stmt), "WITH flagged AS MATERIALIZED") != NULL)
      break;
  g_assert_nonnull (stmt);
  sql = g_strconcat ("EXPLAIN QUERY PLAN ", sqlite3_sql (stmt), NULL);
  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &explain, NULL), ==, SQLITE_OK);
  while (sqlite3_step (explain) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len > 0 ? "\n" : "",
                            (const char *) sqlite3_column_text (explain, 3));
  sqlite3_finalize (explain);
  return g_string_free (out, FALSE);
}

/* The view's statement reads the partial index, not every shipment. */
static void
test_index (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *index = NULL;
  gint64 s;

  s = add_parcel (f, "#5001", "Ada Lovelace", T0);
  carrier_exception (f, s, T0 + 30 * HOUR, PS_EXCEPTION_REASON_DELAY, "Late");
  groups = list_open (f, 0);
  g_assert_cmpuint (groups->len, ==, 1);

  index = query (f, "SELECT sql FROM sqlite_master WHERE name = 'shipments_exceptions_open'");
  g_assert_nonnull (strstr (index, "WHERE exception_reason IS NOT NULL"));

  plan = ps_database_run_sync (f->db, plan_job, NULL, NULL, NULL);
  g_assert_nonnull (plan);
  g_test_message ("plan: %s", plan);
  g_assert_nonnull (strstr (plan, "USING INDEX shipments_exceptions_open"));
  /* No full scan of the shipments table. */
  g_assert_null (strstr (plan, "SCAN s\n"));
  g_assert_null (g_str_has_suffix (plan, "SCAN s") ? plan : NULL);
}

/* The async pair, and orders-changed after a resolution committed. */
typedef struct
{
  GPtrArray *groups;
  gboolean   resolved;
  GError    *error;
  guint      changed;
  gint64     changed_id;
  gboolean   done;
} Async;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Async *a = user_data;

  a->groups = ps_exception_store_list_open_finish (PS_DATABASE (object), result, &a->error);
  a->done = TRUE;
}

static void
resolved_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Async *a = user_data;

  a->resolved = ps_exception_store_resolve_finish (PS_ORDER_STORE (object), result, &a->error);
  a->done = TRUE;
}

static void
changed_cb (PsOrderStore *store,
            GArray       *ids,
            gpointer      user_data)
{
  Async *a = user_data;

  a->changed++;
  a->changed_id = ids != NULL && ids->len == 1 ? g_array_index (ids, gint64, 0) : -1;
}

static void
wait_done (Async *a)
{
  while (!a->done)
    g_main_context_iteration (NULL, TRUE);
  a->done = FALSE;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PsOrderStore) store = ps_order_store_new (f->db);
  g_autofree char *order = NULL;
  Async a = { 0 };
  gint64 s;

  s = add_parcel (f, "#6001", "Ada Lovelace", T0);
  carrier_exception (f, s, T0 + 30 * HOUR, PS_EXCEPTION_REASON_LOST, "Cannot be located");
  order = query (f, "SELECT order_id FROM shipments WHERE id = %" G_GINT64_FORMAT, s);

  ps_exception_store_list_open_async (f->db, 10, NULL, listed_cb, &a);
  wait_done (&a);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.groups->len, ==, 1);
  g_clear_pointer (&a.groups, g_ptr_array_unref);

  g_signal_connect (store, "orders-changed", G_CALLBACK (changed_cb), &a);
  ps_exception_store_resolve_async (store, s, PS_EXCEPTION_ROOT_CAUSE_CARRIER, "Carrier lost it",
                                    NULL, resolved_cb, &a);
  wait_done (&a);
  g_assert_no_error (a.error);
  g_assert_true (a.resolved);
  g_assert_cmpuint (a.changed, ==, 1);
  g_assert_cmpint (a.changed_id, ==, g_ascii_strtoll (order, NULL, 10));
  {
    g_autofree char *body = query (f, "SELECT body FROM notes");
    g_assert_cmpstr (body, ==, "Carrier lost it");
  }

  /* Again: refused, and nothing announced. */
  ps_exception_store_resolve_async (store, s, PS_EXCEPTION_ROOT_CAUSE_CARRIER, NULL, NULL,
                                    resolved_cb, &a);
  wait_done (&a);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (a.resolved);
  g_assert_cmpuint (a.changed, ==, 1);
  g_clear_error (&a.error);

  ps_exception_store_list_open_async (f->db, 10, NULL, listed_cb, &a);
  wait_done (&a);
  g_assert_no_error (a.error);
  g_assert_cmpuint (a.groups->len, ==, 0);
  g_clear_pointer (&a.groups, g_ptr_array_unref);
}

static void
test_email_key (void)
{
  g_autofree char *a = ps_exception_email_key (12, PS_EXCEPTION_REASON_DELAY);
  g_autofree char *b = ps_exception_email_key (12, PS_EXCEPTION_REASON_DELAY);
  g_autofree char *c = ps_exception_email_key (12, PS_EXCEPTION_REASON_LOST);
  g_autofree char *d = ps_exception_email_key (13, PS_EXCEPTION_REASON_DELAY);

  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, "manual:exception:shipment:12:reason:delay");
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/store/exceptions/grouping", test_grouping);
  ADD ("/store/exceptions/ages", test_ages);
  ADD ("/store/exceptions/resolve", test_resolve);
  ADD ("/store/exceptions/reopen", test_reopen);
  ADD ("/store/exceptions/index", test_index);
  ADD ("/store/exceptions/async", test_async);
  g_test_add_func ("/store/exceptions/email-key", test_email_key);

  return g_test_run ();
}
