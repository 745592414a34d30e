/* test-filter-store.c: saved filters over a real database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-filter-store"

#include "config.h"

#include "ps-database-private.h"
#include "ps-filter-store.h"

typedef struct
{
  PsDatabase    *db;
  PsFilterStore *store;
} Fixture;

static const char * const builtin_names[] = {
  "Awaiting shipment", "Ready to ship", "Late handoff", "Exceptions", "Address issues",
  "High complexity", "Delivered this week",
};

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "filters.db", NULL);
  g_autoptr(GError) error = NULL;

  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  f->store = ps_filter_store_new (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->db);
}

/* The sync API runs on the worker: each test body is a job. */
typedef void (*Body) (PsDatabase *db);

static gpointer
body_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Body body = (Body) data;

  body (db);
  return GINT_TO_POINTER (TRUE);
}

static void
run_on_worker (Fixture *f,
               Body     body)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ps_database_run_sync (f->db, body_job, (gpointer) body, NULL, &error));
  g_assert_no_error (error);
}

static PsCondition *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  PsCondition *condition = ps_condition_from_string (json, &error);

  g_assert_no_error (error);
  return condition;
}

static void
builtins_body (PsDatabase *db)
{
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GError) error = NULL;

  filters = ps_filter_store_list_sync (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filters->len, ==, G_N_ELEMENTS (builtin_names));
  for (guint i = 0; i < filters->len; i++)
    {
      PsSavedFilter *filter = g_ptr_array_index (filters, i);
      g_autofree char *again = NULL;

      g_assert_cmpstr (filter->name, ==, builtin_names[i]);
      g_assert_true (filter->builtin);
      g_assert_cmpint (filter->position, ==, i);
      /* Every built-in definition parses and is stored normalized. */
      g_assert_nonnull (filter->condition);
      again = ps_condition_to_string (filter->condition);
      g_assert_cmpstr (again, ==, filter->definition);
    }
}

static void
test_builtins (Fixture       *f,
               gconstpointer  data)
{
  run_on_worker (f, builtins_body);
}

static void
crud_body (PsDatabase *db)
{
  g_autoptr(PsCondition) etsy = parse ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}]}");
  g_autoptr(PsCondition) ebay = parse ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"ebay\"}]}");
  g_autoptr(PsSavedFilter) saved = NULL;
  g_autoptr(PsSavedFilter) updated = NULL;
  g_autoptr(PsSavedFilter) got = NULL;
  g_autoptr(PsSavedFilter) copy = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GError) error = NULL;

  /* Save: new, at the end, trimmed. */
  saved = ps_filter_store_save_sync (db, "  Etsy orders ", etsy, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->name, ==, "Etsy orders");
  g_assert_false (saved->builtin);
  g_assert_cmpint (saved->position, ==, G_N_ELEMENTS (builtin_names));
  g_assert_true (ps_condition_equal (saved->condition, etsy));
  g_assert_cmpint (saved->created_at, >, 0);

  /* Get: any ASCII case. */
  got = ps_filter_store_get_sync (db, "ETSY ORDERS", &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, saved->id);

  /* Save again under another case: the same filter, new spelling and
   * condition. */
  updated = ps_filter_store_save_sync (db, "etsy Orders", ebay, &error);
  g_assert_no_error (error);
  g_assert_cmpint (updated->id, ==, saved->id);
  g_assert_cmpstr (updated->name, ==, "etsy Orders");
  g_assert_true (ps_condition_equal (updated->condition, ebay));
  g_assert_cmpint (updated->position, ==, saved->position);

  filters = ps_filter_store_list_sync (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filters->len, ==, G_N_ELEMENTS (builtin_names) + 1);

  /* Duplicate: "Name (copy)", then "(copy 2)", or a name of our own. */
  copy = ps_filter_store_duplicate_sync (db, "ETSY orders", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->name, ==, "etsy Orders (copy)");
  g_assert_cmpstr (copy->definition, ==, updated->definition);
  g_clear_pointer (&copy, ps_saved_filter_free);
  copy = ps_filter_store_duplicate_sync (db, "etsy orders", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->name, ==, "etsy Orders (copy 2)");
  g_clear_pointer (&copy, ps_saved_filter_free);
  copy = ps_filter_store_duplicate_sync (db, "Late handoff", "My late handoff", &error);
  g_assert_no_error (error);
  g_assert_false (copy->builtin);
  g_assert_cmpint (copy->position, ==, G_N_ELEMENTS (builtin_names) + 3);
  g_clear_pointer (&copy, ps_saved_filter_free);
  g_assert_null (ps_filter_store_duplicate_sync (db, "Late handoff", "MY LATE HANDOFF", &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ps_filter_store_duplicate_sync (db, "Nope", NULL, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Delete. */
  g_assert_true (ps_filter_store_delete_sync (db, "Etsy Orders (COPY)", &error));
  g_assert_no_error (error);
  g_assert_null (ps_filter_store_get_sync (db, "etsy orders (copy)", &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (ps_filter_store_delete_sync (db, "etsy orders (copy)", &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_crud (Fixture       *f,
           gconstpointer  data)
{
  run_on_worker (f, crud_body);
}

static void
errors_body (PsDatabase *db)
{
  g_autoptr(PsCondition) any = parse ("{\"any\":[]}");
  g_autofree char *long_name = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSavedFilter) builtin = NULL;

  /* Built-in filters are read-only, whatever the case of the name. */
  g_assert_null (ps_filter_store_save_sync (db, "ready TO ship", any, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN);
  g_clear_error (&error);
  g_assert_false (ps_filter_store_delete_sync (db, "Exceptions", &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN);
  g_clear_error (&error);
  builtin = ps_filter_store_get_sync (db, "Ready to ship", &error);
  g_assert_no_error (error);
  g_assert_false (ps_condition_equal (builtin->condition, any));

  /* Names. */
  g_assert_null (ps_filter_store_save_sync (db, "   ", any, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME);
  g_clear_error (&error);
  g_assert_null (ps_filter_store_save_sync (db, "tab\there", any, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME);
  g_clear_error (&error);
  long_name = g_strnfill (PS_FILTER_NAME_MAX + 1, 'x');
  g_assert_null (ps_filter_store_save_sync (db, long_name, any, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME);
  g_clear_error (&error);
  long_name[PS_FILTER_NAME_MAX] = '\0';
  g_clear_pointer (&builtin, ps_saved_filter_free);
  builtin = ps_filter_store_save_sync (db, long_name, any, &error);
  g_assert_no_error (error);
  /* Its copy's name is cut to fit. */
  g_clear_pointer (&builtin, ps_saved_filter_free);
  builtin = ps_filter_store_duplicate_sync (db, long_name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (builtin->name, -1), ==, PS_FILTER_NAME_MAX);
  g_assert_true (g_str_has_suffix (builtin->name, "x (copy)"));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  run_on_worker (f, errors_body);
}

/* The editor's Save on an existing filter, and Undo of a delete. */
static void
replace_restore_body (PsDatabase *db)
{
  g_autoptr(PsCondition) etsy = parse ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}]}");
  g_autoptr(PsCondition) vip = parse ("{\"all\":[{\"field\":\"tags\",\"op\":\"is\",\"value\":\"vip\"}]}");
  g_autoptr(PsSavedFilter) first = NULL;
  g_autoptr(PsSavedFilter) second = NULL;
  g_autoptr(PsSavedFilter) renamed = NULL;
  g_autoptr(PsSavedFilter) restored = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GError) error = NULL;

  first = ps_filter_store_save_sync (db, "Etsy", etsy, &error);
  g_assert_no_error (error);
  second = ps_filter_store_save_sync (db, "VIP", vip, &error);
  g_assert_no_error (error);

  /* Rename and redefine: same id and position. */
  renamed = ps_filter_store_replace_sync (db, "etsy", "Etsy VIPs", vip, &error);
  g_assert_no_error (error);
  g_assert_cmpint (renamed->id, ==, first->id);
  g_assert_cmpint (renamed->position, ==, first->position);
  g_assert_cmpstr (renamed->name, ==, "Etsy VIPs");
  g_assert_true (ps_condition_equal (renamed->condition, vip));
  g_clear_pointer (&renamed, ps_saved_filter_free);

  /* A case-only rename of itself is fine; taking another's name is not. */
  renamed = ps_filter_store_replace_sync (db, "Etsy VIPs", "etsy vips", vip, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renamed->name, ==, "etsy vips");
  g_assert_null (ps_filter_store_replace_sync (db, "etsy vips", "vip", etsy, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (ps_filter_store_replace_sync (db, "Exceptions", "Mine", etsy, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN);
  g_clear_error (&error);
  g_assert_null (ps_filter_store_replace_sync (db, "Nope", "Mine", etsy, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Delete the first, then undo: back in its place, before "VIP". */
  g_assert_true (ps_filter_store_delete_sync (db, "etsy vips", &error));
  g_assert_no_error (error);
  restored = ps_filter_store_restore_sync (db, renamed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (restored->definition, ==, renamed->definition);
  g_assert_cmpint (restored->position, ==, renamed->position);
  filters = ps_filter_store_list_sync (db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((PsSavedFilter *) g_ptr_array_index (filters, filters->len - 2))->name, ==, "etsy vips");
  g_assert_cmpstr (((PsSavedFilter *) g_ptr_array_index (filters, filters->len - 1))->name, ==, "VIP");

  /* Restoring twice finds its name taken. */
  g_assert_null (ps_filter_store_restore_sync (db, renamed, &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS);
}

static void
test_replace_restore (Fixture       *f,
                      gconstpointer  data)
{
  run_on_worker (f, replace_restore_body);
}

/* A definition this version cannot read (a newer field) still lists. */
static void
unreadable_body (PsDatabase *db)
{
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GError) error = NULL;
  PsSavedFilter *last;

  g_assert_true (_ps_database_exec (db,
    "INSERT INTO saved_filters (name, definition, builtin, position, created_at, updated_at)"
    " VALUES ('From the future', '{\"field\":\"mood\",\"op\":\"is\",\"value\":\"happy\"}',"
    " 0, 99, 1, 1)", &error));
  g_assert_no_error (error);

  filters = ps_filter_store_list_sync (db, &error);
  g_assert_no_error (error);
  last = g_ptr_array_index (filters, filters->len - 1);
  g_assert_cmpstr (last->name, ==, "From the future");
  g_assert_null (last->condition);
  g_assert_nonnull (last->definition);
}

static void
test_unreadable (Fixture       *f,
                 gconstpointer  data)
{
  run_on_worker (f, unreadable_body);
}

/* The async API from the main thread, with filters-changed. */
static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
changed_cb (PsFilterStore *store,
            gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PsCondition) cond = parse ("{\"field\":\"tags\",\"op\":\"is\",\"value\":\"vip\"}");
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(PsSavedFilter) saved = NULL;
  g_autoptr(PsSavedFilter) got = NULL;
  g_autoptr(PsSavedFilter) copy = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_signal_connect (f->store, "filters-changed", G_CALLBACK (changed_cb), &changes);

  ps_filter_store_save_async (f->store, "VIP", cond, NULL, async_done_cb, &r1);
  saved = ps_filter_store_save_finish (f->store, wait_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (saved->name, ==, "VIP");
  g_assert_cmpuint (changes, ==, 1);

  ps_filter_store_get_async (f->store, "vip", NULL, async_done_cb, &r2);
  got = ps_filter_store_get_finish (f->store, wait_result (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (got->id, ==, saved->id);

  ps_filter_store_duplicate_async (f->store, "vip", NULL, NULL, async_done_cb, &r3);
  copy = ps_filter_store_duplicate_finish (f->store, wait_result (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (copy->name, ==, "VIP (copy)");
  g_assert_cmpuint (changes, ==, 2);

  ps_filter_store_delete_async (f->store, "Exceptions", NULL, async_done_cb, &r4);
  g_assert_false (ps_filter_store_delete_finish (f->store, wait_result (&r4), &error));
  g_assert_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN);
  g_clear_error (&error);
  g_assert_cmpuint (changes, ==, 2);

  ps_filter_store_delete_async (f->store, "VIP (copy)", NULL, async_done_cb, &r5);
  g_assert_true (ps_filter_store_delete_finish (f->store, wait_result (&r5), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 3);

  ps_filter_store_list_async (f->store, NULL, async_done_cb, &r6);
  filters = ps_filter_store_list_finish (f->store, wait_result (&r6), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (filters->len, ==, G_N_ELEMENTS (builtin_names) + 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/filter-store/builtins", Fixture, NULL,
              fixture_setup, test_builtins, fixture_teardown);
  g_test_add ("/store/filter-store/crud", Fixture, NULL,
              fixture_setup, test_crud, fixture_teardown);
  g_test_add ("/store/filter-store/errors", Fixture, NULL,
              fixture_setup, test_errors, fixture_teardown);
  g_test_add ("/store/filter-store/replace-restore", Fixture, NULL,
              fixture_setup, test_replace_restore, fixture_teardown);
  g_test_add ("/store/filter-store/unreadable", Fixture, NULL,
              fixture_setup, test_unreadable, fixture_teardown);
  g_test_add ("/store/filter-store/async", Fixture, NULL,
              fixture_setup, test_async, fixture_teardown);

  return g_test_run ();
}
