/* ps-cli-orders.c: postsale-cli orders
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists or counts the orders of a condition given as JSON (--filter) or of
 * a saved filter (--saved), narrowed by a search (--search, as typed in
 * the Orders page's search bar), with the same SQL the app's lists and
 * sidebar counts use. Day counts in conditions count from now (POSTSALE_NOW pins
 * it), business days in the local time zone (TZ).
 */

#define G_LOG_DOMAIN "ps-cli-orders"

#include "config.h"

#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-enum-types.h"
#include "ps-money.h"
#include "ps-time.h"

typedef struct
{
  /* In */
  PsCondition  *condition;     /* (nullable) from --filter */
  const char   *saved;         /* (nullable) --saved NAME */
  const char   *search;        /* (nullable) --search TEXT */
  gboolean      count_only;
  guint         limit;
  PsOrderSort   sort;
  gboolean      descending;
  gint64        now;
  GTimeZone    *tz;

  /* Out */
  gint64        count;
  GPtrArray    *rows;          /* PsOrderRow */
  gboolean      input_error;   /* the failure is the user's input */
} OrdersJob;

static gpointer
orders_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  OrdersJob *job = data;
  g_autoptr(GArray) ids = NULL;

  if (job->saved != NULL)
    {
      g_autoptr(PsSavedFilter) filter = ps_filter_store_get_sync (db, job->saved, error);

      if (filter == NULL)
        {
          job->input_error = g_error_matches (*error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
          return NULL;
        }
      if (filter->condition == NULL)
        {
          g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_PARSE,
                       "The saved filter “%s” cannot be read by this version: %s",
                       filter->name, filter->definition);
          return NULL;
        }
      job->condition = ps_condition_ref (filter->condition);
    }

  job->count = ps_order_store_search_count_sync (db, job->condition, job->search, job->now,
                                                 job->tz, cancellable, error);
  if (job->count < 0)
    return NULL;
  if (job->count_only)
    return GINT_TO_POINTER (TRUE);

  ids = ps_order_store_search_ids_sync (db, job->condition, job->search, job->now, job->tz,
                                        job->sort, job->descending, job->limit, cancellable,
                                        error);
  if (ids == NULL)
    return NULL;
  job->rows = ps_order_store_fetch_rows_sync (db, (const gint64 *) ids->data, ids->len, error);
  if (job->rows == NULL)
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/* "123.45 USD", with the currency's own number of decimals. */
static char *
format_total (gint64      minor,
              const char *currency)
{
  guint digits = ps_currency_minor_digits (currency);
  guint64 scale = 1;
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;

  for (guint i = 0; i < digits; i++)
    scale *= 10;
  if (digits == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", minor < 0 ? "-" : "", magnitude,
                            currency);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s",
                          minor < 0 ? "-" : "", magnitude / scale, (int) digits,
                          magnitude % scale, currency);
}

static char *
format_time (gint64      t,
             GTimeZone  *tz,
             const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("?");
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, format);
}

static void
print_json (OrdersJob *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  json_builder_begin_object (builder);
  if (!job->count_only)
    {
      json_builder_set_member_name (builder, "orders");
      json_builder_begin_array (builder);
      for (guint i = 0; i < job->rows->len; i++)
        {
          const PsOrderRow *row = g_ptr_array_index (job->rows, i);
          g_autofree char *created = format_time (row->created_at, utc, "%Y-%m-%dT%H:%M:%SZ");

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_int_value (builder, row->id);
          json_builder_set_member_name (builder, "number");
          json_builder_add_string_value (builder, row->order_number);
          json_builder_set_member_name (builder, "customer");
          json_builder_add_string_value (builder, row->customer_name);
          json_builder_set_member_name (builder, "channel");
          json_builder_add_string_value (builder, row->channel_name);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, ps_enum_to_nick (PS_TYPE_ORDER_STATUS,
                                                                   row->status));
          json_builder_set_member_name (builder, "total_minor");
          json_builder_add_int_value (builder, row->total_minor);
          json_builder_set_member_name (builder, "currency");
          json_builder_add_string_value (builder, row->currency);
          json_builder_set_member_name (builder, "created_at");
          json_builder_add_string_value (builder, created);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "count");
  json_builder_add_int_value (builder, job->count);
  json_builder_end_object (builder);
  _ps_cli_print_json (builder);
}

static void
print_text (OrdersJob *job)
{
  if (job->count_only)
    {
      printf ("%" G_GINT64_FORMAT "\n", job->count);
      return;
    }

  /* Tab-separated, one order per line: number, date, customer, channel,
   * status, total. */
  for (guint i = 0; i < job->rows->len; i++)
    {
      const PsOrderRow *row = g_ptr_array_index (job->rows, i);
      g_autofree char *date = format_time (row->created_at, job->tz, "%Y-%m-%d %H:%M");
      g_autofree char *total = format_total (row->total_minor, row->currency);

      printf ("%s\t%s\t%s\t%s\t%s\t%s\n", row->order_number, date,
              row->customer_name != NULL ? row->customer_name : "",
              row->channel_name != NULL ? row->channel_name : "",
              ps_enum_to_nick (PS_TYPE_ORDER_STATUS, row->status), total);
    }
}

int
_ps_cli_orders (PsCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autofree char *filter_json = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *search = NULL;
  g_autofree char *sort_text = NULL;
  gboolean count_only = FALSE;
  gboolean ascending = FALSE;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter_json,
      "Only orders matching this condition, as JSON: {\"all\": [{\"field\": \"channel\", "
      "\"op\": \"is\", \"value\": \"etsy\"}]}", "JSON" },
    { "saved", 0, 0, G_OPTION_ARG_STRING, &saved,
      "Only orders of this saved filter (see “filters list”)", "NAME" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      "Only orders with a word starting with each word of TEXT in their number, customer "
      "name or email, SKUs, product names or tracking numbers", "TEXT" },
    { "count", 0, 0, G_OPTION_ARG_NONE, &count_only, "Print only how many orders match", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "List at most N orders (default: all)", "N" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_text,
      "created (default), number, customer, channel, items, total, destination or status",
      "KEY" },
    { "ascending", 0, 0, G_OPTION_ARG_NONE, &ascending,
      "Oldest, lowest or A first (default: newest, highest or Z first)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GError) error = NULL;
  OrdersJob job = { 0 };
  int sort = PS_ORDER_SORT_CREATED;
  int exit_code = 0;
  gpointer ok;

  options = _ps_cli_option_context_new (globals, "orders", NULL,
                                        "List or count orders, all of them or those of a "
                                        "condition (--filter) or saved filter (--saved), "
                                        "and of a search (--search). "
                                        "Each order is one tab-separated line: number, date, "
                                        "customer, channel, status, total. With --json: "
                                        "{\"orders\": [...], \"count\": N}, where count is "
                                        "every matching order, whatever --limit says.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "orders: unexpected argument “%s”", argv[1]);
  if (filter_json != NULL && saved != NULL)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "orders: give --filter or --saved, not both");
  if (limit < 0)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "orders: --limit must not be negative");
  if (sort_text != NULL && !ps_enum_from_nick (PS_TYPE_ORDER_SORT, sort_text, &sort))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "orders: unknown sort key “%s”", sort_text);

  if (filter_json != NULL)
    {
      job.condition = ps_condition_from_string (filter_json, &error);
      if (job.condition == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "orders: --filter: %s", error->message);
    }

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    {
      g_clear_pointer (&job.condition, ps_condition_unref);
      return exit_code;
    }

  job.saved = saved;
  job.search = search;
  job.count_only = count_only;
  job.limit = (guint) limit;
  job.sort = (PsOrderSort) sort;
  job.descending = !ascending;
  job.now = ps_time_now ();
  job.tz = ps_order_store_get_time_zone (ps_context_get_order_store (context));

  ok = ps_database_run_sync (ps_context_get_database (context), orders_job, &job, NULL, &error);
  g_clear_pointer (&job.condition, ps_condition_unref);
  if (ok == NULL)
    {
      g_clear_pointer (&job.rows, g_ptr_array_unref);
      return _ps_cli_fail (job.input_error ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                           "orders: %s", error->message);
    }

  if (globals->json)
    print_json (&job);
  else
    print_text (&job);

  g_clear_pointer (&job.rows, g_ptr_array_unref);
  return 0;
}
