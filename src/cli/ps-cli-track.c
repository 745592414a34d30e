/* ps-cli-track.c: postsale-cli track
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One tracking poll from the command line (cron, scripts, tests): the due
 * shipments, every undelivered one, or those of one order; optionally the
 * late-handoff sweep of the clock. Carrier failures are reported, not
 * fatal: they are backed off in the database like the poller does.
 */

#define G_LOG_DOMAIN "ps-cli"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ps-cli-private.h"
#include "ps-order-lookup.h"
#include "ps-tracking-service.h"

int _ps_cli_track (PsCliGlobals *globals, int argc, char **argv);

typedef struct
{
  char *number;
  char *channel;
} LookupArgs;

static gpointer
lookup_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  LookupArgs *args = data;
  GArray *matches = NULL;

  if (!ps_order_lookup_by_number_sync (db, args->number, args->channel, &matches, error))
    return NULL;
  return matches;
}

/* The order id ORDER ("1001" or "id:N") names, or 0 after a message. */
static gint64
order_id_for (PsContext  *context,
              const char *order,
              const char *channel,
              int        *exit_code)
{
  g_autoptr(GArray) matches = NULL;
  g_autoptr(GError) error = NULL;
  LookupArgs args = { (char *) order, (char *) channel };
  guint64 id;
  gint64 found;

  if (g_str_has_prefix (order, "id:"))
    {
      if (g_ascii_string_to_unsigned (order + 3, 10, 1, G_MAXINT64, &id, NULL))
        return (gint64) id;
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "track: “%s” is not id:N with a number N",
                                 order);
      return 0;
    }

  matches = ps_database_run_sync (ps_context_get_database (context), lookup_job, &args, NULL,
                                  &error);
  if (matches == NULL)
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "track: %s", error->message);
      return 0;
    }
  if (matches->len != 1)
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, matches->len == 0
                                 ? "track: no order “%s” (give the number as the shop shows it, "
                                   "or id:N)"
                                 : "track: order “%s” exists in several channels: pick one with "
                                   "--channel NAME", order);
      for (guint i = 0; i < matches->len; i++)
        ps_order_match_clear (&g_array_index (matches, PsOrderMatch, i));
      return 0;
    }
  found = g_array_index (matches, PsOrderMatch, 0).order_id;
  ps_order_match_clear (&g_array_index (matches, PsOrderMatch, 0));
  return found;
}

static gint
compare_nicks (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
print_report (PsCliGlobals     *globals,
              PsTrackingReport *report,
              gboolean          swept,
              guint             late_handoffs)
{
  g_autofree gpointer *nicks = NULL;
  guint n_nicks = 0;

  nicks = g_hash_table_get_keys_as_array (report->by_status, &n_nicks);
  qsort (nicks, n_nicks, sizeof (gpointer), compare_nicks);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "checked");
      json_builder_add_int_value (builder, report->checked);
      json_builder_set_member_name (builder, "changed");
      json_builder_add_int_value (builder, report->changed);
      json_builder_set_member_name (builder, "by_status");
      json_builder_begin_object (builder);
      for (guint i = 0; i < n_nicks; i++)
        {
          json_builder_set_member_name (builder, nicks[i]);
          json_builder_add_int_value (builder, GPOINTER_TO_UINT (
                                        g_hash_table_lookup (report->by_status, nicks[i])));
        }
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "new_events");
      json_builder_add_int_value (builder, report->new_events);
      json_builder_set_member_name (builder, "delivered");
      json_builder_add_int_value (builder, report->delivered);
      json_builder_set_member_name (builder, "orders_changed");
      json_builder_add_int_value (builder, report->orders_changed);
      json_builder_set_member_name (builder, "untrackable");
      json_builder_add_int_value (builder, report->untrackable);
      json_builder_set_member_name (builder, "deferred");
      json_builder_add_int_value (builder, report->deferred);
      if (swept)
        {
          json_builder_set_member_name (builder, "late_handoffs");
          json_builder_add_int_value (builder, late_handoffs);
        }
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint i = 0; i < report->problems->len; i++)
        {
          const PsTrackingProblem *problem = g_ptr_array_index (report->problems, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "shipment_id");
          json_builder_add_int_value (builder, problem->shipment_id);
          json_builder_set_member_name (builder, "order_id");
          json_builder_add_int_value (builder, problem->order_id);
          json_builder_set_member_name (builder, "tracking_number");
          if (problem->tracking_number != NULL)
            json_builder_add_string_value (builder, problem->tracking_number);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
      return;
    }

  printf ("Checked %u shipment%s, %u changed status", report->checked,
          report->checked == 1 ? "" : "s", report->changed);
  for (guint i = 0; i < n_nicks; i++)
    printf ("%s %s %u", i == 0 ? ":" : ",", (const char *) nicks[i],
            GPOINTER_TO_UINT (g_hash_table_lookup (report->by_status, nicks[i])));
  printf ("\n");
  if (report->new_events > 0 || report->orders_changed > 0)
    printf ("%u new tracking event%s, %u order%s changed status\n", report->new_events,
            report->new_events == 1 ? "" : "s", report->orders_changed,
            report->orders_changed == 1 ? "" : "s");
  if (report->untrackable > 0)
    printf ("%u shipment%s cannot be tracked by any carrier account (looked at again in a "
            "week; an EasyPost account tracks any carrier's number)\n", report->untrackable,
            report->untrackable == 1 ? "" : "s");
  if (report->deferred > 0)
    printf ("%u shipment%s left for later: the carrier is limiting requests\n", report->deferred,
            report->deferred == 1 ? "" : "s");
  if (swept)
    printf ("%u new late handoff%s\n", late_handoffs, late_handoffs == 1 ? "" : "s");
  for (guint i = 0; i < report->problems->len; i++)
    {
      const PsTrackingProblem *problem = g_ptr_array_index (report->problems, i);

      /* Untrackable shipments are counted above, not listed one by one. */
      if (i >= 20 && report->problems->len > 21)
        {
          fprintf (stderr, "postsale-cli: track: … and %u more failures\n",
                   report->problems->len - i);
          break;
        }
      fprintf (stderr, "postsale-cli: track: %s: %s\n",
               problem->tracking_number ? problem->tracking_number : "(no number)",
               problem->message);
    }
}

int
_ps_cli_track (PsCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  gboolean due = FALSE, sweep = FALSE;
  char *order = NULL, *channel = NULL;
  const GOptionEntry entries[] = {
    { "due", 0, 0, G_OPTION_ARG_NONE, &due,
      "Only the shipments whose next poll is due (default: every undelivered shipment)", NULL },
    { "order", 0, 0, G_OPTION_ARG_STRING, &order,
      "Only the shipments of this order (its number, or id:N)", "ORDER" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel,
      "The sales channel, when two channels use the same order number", "NAME" },
    { "sweep", 0, 0, G_OPTION_ARG_NONE, &sweep,
      "Also flag late handoffs: labels not scanned after 2 business days", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(PsTrackingService) service = NULL;
  g_autoptr(PsTrackingReport) report = NULL;
  g_autoptr(GMainContext) main_context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GSource *sigint = NULL;
  PsTrackingScope scope;
  guint late_handoffs = 0;
  gint64 order_id = 0;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "track", NULL,
                                        "Ask the carriers once about live shipments and store "
                                        "what changed (events, shipment and order status). "
                                        "Failures are backed off, not retried at once. With "
                                        "--json: {\"checked\", \"changed\", \"by_status\": "
                                        "{STATUS: N}, \"new_events\", \"delivered\", "
                                        "\"orders_changed\", \"untrackable\", \"deferred\", "
                                        "[\"late_handoffs\",] \"errors\": [{\"shipment_id\", "
                                        "\"order_id\", \"tracking_number\", \"message\"}]}.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    goto out;
  if (argc > 1)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "track: unexpected argument “%s”", argv[1]);
      goto out;
    }
  if (due && order != NULL)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "track: use --due or --order, not both");
      goto out;
    }

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    goto out;
  if (order != NULL)
    {
      order_id = order_id_for (context, order, channel, &exit_code);
      if (order_id == 0)
        goto out;
    }

  main_context = g_main_context_new ();
  g_main_context_push_thread_default (main_context);
  cancellable = g_cancellable_new ();
  sigint = _ps_cli_cancel_on_sigint (main_context, cancellable);
  service = ps_tracking_service_new (context);

  scope = order_id != 0 ? PS_TRACKING_SCOPE_ORDERS
                        : due ? PS_TRACKING_SCOPE_DUE : PS_TRACKING_SCOPE_UNDELIVERED;
  ps_tracking_service_track_async (service, scope, order_id != 0 ? &order_id : NULL,
                                   order_id != 0 ? 1 : 0, cancellable, _ps_cli_result_cb,
                                   &result);
  _ps_cli_wait (main_context, &result);
  report = ps_tracking_service_track_finish (service, result, &error);
  g_clear_object (&result);

  if (report != NULL && sweep)
    {
      ps_tracking_service_sweep_async (service, cancellable, _ps_cli_result_cb, &result);
      _ps_cli_wait (main_context, &result);
      late_handoffs = ps_tracking_service_sweep_finish (service, result, &error);
    }

  g_clear_object (&service);
  g_source_destroy (sigint);
  g_source_unref (sigint);
  g_main_context_pop_thread_default (main_context);

  if (error != NULL)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "track: %s", error->message);
      goto out;
    }
  print_report (globals, report, sweep, late_handoffs);

out:
  g_free (order);
  g_free (channel);
  return exit_code;
}
