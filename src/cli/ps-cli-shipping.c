/* ps-cli-shipping.c: postsale-cli rates, label, void and handoff
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shipping service from a terminal:
 *
 * - `rates ORDER` asks every enabled carrier account at once and prints
 *   the rates cheapest first; accounts that failed are named on stderr
 *   while the others' rates still print.
 * - `label ORDER --carrier C --service S -o FILE` gets the rates again,
 *   picks that service and buys it through the purchase journal under an
 *   idempotency key that, by default, is the same for the same order,
 *   carrier and service: running the command twice prints the label
 *   already bought and buys nothing. The label is written to a temporary
 *   file that replaces FILE only when complete.
 * - `void TRACKING` voids (refunds) a label the carrier has not scanned.
 *   A later `label` with the same key buys a new one: a key whose label
 *   was voided moves on to a key of its own (see buy_label()).
 * - `handoff -o FILE` draws the end-of-day sheet the driver signs: every
 *   label bought on a day of the merchant's calendar (TZ).
 *
 * ORDER is the number the shop gave the order ("#1001", "3110726790"),
 * or `id:N`. Numbers are unique per channel only: a number two channels
 * use asks for --channel.
 *
 * Everything runs in a private main context; the database is reached
 * through its worker and carriers through the service's async calls.
 */

#define G_LOG_DOMAIN "ps-cli-shipping"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ps-cli-private.h"
#include "ps-enum-types.h"
#include "ps-handoff-sheet.h"
#include "ps-money.h"
#include "ps-order-lookup.h"
#include "ps-shipping-service.h"
#include "ps-time.h"

int _ps_cli_rates   (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_label   (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_handoff (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_void    (PsCliGlobals *globals, int argc, char **argv);

/* A command's connection to the services, in its own main context. */
typedef struct
{
  const char        *command;       /* for messages: "rates", "label" */
  PsContext         *context;
  PsShippingService *service;
  GMainContext      *main_context;
  GCancellable      *cancellable;   /* Ctrl+C */
  GSource           *sigint;
} Session;

/* The options rates and label share. */
typedef struct
{
  char *channel;
  int   weight;                     /* -1: the items' weight */
  char *dims;
} ParcelOptions;

#define PARCEL_OPTION_ENTRIES(opts) \
  { "channel", 0, 0, G_OPTION_ARG_STRING, &(opts).channel, \
    "The sales channel, when two channels use the same order number", "NAME" }, \
  { "weight", 0, 0, G_OPTION_ARG_INT, &(opts).weight, \
    "Parcel weight in grams, packaging included (default: the items' weight)", "GRAMS" }, \
  { "dims", 0, 0, G_OPTION_ARG_STRING, &(opts).dims, \
    "Parcel length, width and height in millimetres, as LxWxH (300x200x100)", "LxWxH" }

static void
parcel_options_clear (ParcelOptions *opts)
{
  g_clear_pointer (&opts->channel, g_free);
  g_clear_pointer (&opts->dims, g_free);
}

static gboolean
session_begin (Session      *session,
               const char   *command,
               PsCliGlobals *globals,
               int          *exit_code)
{
  session->command = command;
  session->context = _ps_cli_open (globals, exit_code);
  if (session->context == NULL)
    return FALSE;
  session->main_context = g_main_context_new ();
  g_main_context_push_thread_default (session->main_context);
  session->cancellable = g_cancellable_new ();
  session->sigint = _ps_cli_cancel_on_sigint (session->main_context, session->cancellable);
  session->service = ps_shipping_service_new (session->context);
  return TRUE;
}

static void
session_end (Session *session)
{
  g_clear_object (&session->service);
  if (session->sigint != NULL)
    {
      g_source_destroy (session->sigint);
      g_clear_pointer (&session->sigint, g_source_unref);
    }
  g_clear_object (&session->cancellable);
  if (session->main_context != NULL)
    {
      g_main_context_pop_thread_default (session->main_context);
      g_clear_pointer (&session->main_context, g_main_context_unref);
    }
  g_clear_object (&session->context);
}

/* Input problems the merchant can fix exit 2; everything else 1. */
static int
exit_code_for (const GError *error)
{
  if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS) ||
      g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_PARCEL) ||
      g_error_matches (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND) ||
      g_error_matches (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NO_SHIP_FROM))
    return PS_CLI_EXIT_USAGE;
  return PS_CLI_EXIT_FAILED;
}

/* Runs @job on the database worker and waits for it; NULL after a
 * message (a failed query is never the merchant's input). @data is freed
 * with @data_free either way. */
static gpointer
run_job (Session        *session,
         PsDatabaseJob   job,
         gpointer        data,
         GDestroyNotify  data_free,
         GDestroyNotify  result_free,
         int            *exit_code)
{
  PsDatabase *db = ps_context_get_database (session->context);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gpointer value;

  ps_database_run_async (db, job, data, data_free, result_free, session->cancellable,
                         _ps_cli_result_cb, &result);
  _ps_cli_wait (session->main_context, &result);
  value = ps_database_run_finish (db, result, &error);
  if (value == NULL)
    *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s: %s", session->command, error->message);
  return value;
}

/* "12.34": the amount with the currency's own number of decimals. */
static char *
format_amount (gint64      minor,
               const char *currency)
{
  guint digits = ps_currency_minor_digits (currency);
  guint64 magnitude = minor < 0 ? -(guint64) minor : (guint64) minor;
  g_autofree char *text = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) digits + 1, magnitude);
  gsize n = strlen (text);

  if (digits == 0)
    return g_strconcat (minor < 0 ? "-" : "", text, NULL);
  return g_strdup_printf ("%s%.*s.%s", minor < 0 ? "-" : "", (int) (n - digits), text,
                          text + n - digits);
}

static char *
format_date (gint64      t,
             GTimeZone  *tz,
             const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, format);
}

/* "300x200x100" (x, X or ×) in millimetres, each side more than 0. */
static gboolean
parse_dims (const char *text,
            PsParcel   *parcel)
{
  g_autoptr(GString) normal = g_string_new (text);
  g_auto(GStrv) sides = NULL;
  gint64 values[3];

  g_string_replace (normal, "×", "x", 0);
  g_string_replace (normal, "X", "x", 0);
  sides = g_strsplit (normal->str, "x", -1);
  if (g_strv_length (sides) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      guint64 value;

      g_strstrip (sides[i]);
      if (!g_ascii_string_to_unsigned (sides[i], 10, 1, 10000, &value, NULL))
        return FALSE;
      values[i] = (gint64) value;
    }
  parcel->length_mm = values[0];
  parcel->width_mm = values[1];
  parcel->height_mm = values[2];
  return TRUE;
}

/* Options checked before anything is opened. */
static gboolean
check_parcel_options (const char          *command,
                      const ParcelOptions *opts,
                      int                 *exit_code)
{
  PsParcel parcel = { 0 };

  if (opts->weight != -1 && (opts->weight <= 0 || opts->weight > 1000000))
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                                 "%s: --weight is the parcel's weight in grams, more than 0",
                                 command);
      return FALSE;
    }
  if (opts->dims != NULL && !parse_dims (opts->dims, &parcel))
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                                 "%s: --dims “%s” is not LxWxH in whole millimetres (300x200x100)",
                                 command, opts->dims);
      return FALSE;
    }
  return TRUE;
}

/* Order lookup */

typedef struct
{
  char   *number;           /* an order number, or a tracking number */
  char   *channel;
  gint64  shipment_id;
} LookupArgs;

static void
lookup_args_free (LookupArgs *args)
{
  g_free (args->number);
  g_free (args->channel);
  g_free (args);
}

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

static gpointer
shipments_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  LookupArgs *args = data;

  return ps_order_lookup_shipments_sync (db, args->shipment_id, args->number, error);
}

/* The order id ORDER names, or 0 after a message. */
static gint64
resolve_order (Session    *session,
               const char *order,
               const char *channel,
               int        *exit_code)
{
  g_autoptr(GArray) matches = NULL;
  LookupArgs *args;

  if (g_str_has_prefix (order, "id:"))
    {
      guint64 id;

      if (!g_ascii_string_to_unsigned (order + 3, 10, 1, G_MAXINT64, &id, NULL))
        {
          *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: “%s” is not id:N with a number N",
                                     session->command, order);
          return 0;
        }
      return (gint64) id;
    }

  args = g_new0 (LookupArgs, 1);
  args->number = g_strstrip (g_strdup (order));
  args->channel = g_strdup (channel);
  matches = run_job (session, lookup_job, args, (GDestroyNotify)lookup_args_free,
                     (GDestroyNotify)g_array_unref, exit_code);
  if (matches == NULL)
    return 0;

  if (matches->len == 0)
    {
      if (channel != NULL)
        *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: no order “%s” in channel “%s”",
                                   session->command, order, channel);
      else
        *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                                   "%s: no order “%s” (give the number as the shop shows it, "
                                   "or id:N)", session->command, order);
      return 0;
    }
  if (matches->len > 1)
    {
      g_autoptr(GString) channels = g_string_new (NULL);

      for (guint i = 0; i < matches->len; i++)
        g_string_append_printf (channels, "%s%s", i > 0 ? ", " : "",
                                g_array_index (matches, PsOrderMatch, i).channel);
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                                 "%s: order “%s” exists in %u channels (%s): pick one with "
                                 "--channel NAME", session->command, order, matches->len,
                                 channels->str);
      return 0;
    }
  return g_array_index (matches, PsOrderMatch, 0).order_id;
}

/* The draft for ORDER with the parcel options applied, or NULL after a
 * message. A parcel without weight stops here: carriers price by it. */
static PsShipmentDraft *
prepare_draft (Session             *session,
               const char          *order,
               const ParcelOptions *opts,
               int                 *exit_code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsShipmentDraft) draft = NULL;
  gint64 order_id;

  order_id = resolve_order (session, order, opts->channel, exit_code);
  if (order_id == 0)
    return NULL;

  ps_shipping_service_prepare_async (session->service, order_id, session->cancellable,
                                     _ps_cli_result_cb, &result);
  _ps_cli_wait (session->main_context, &result);
  draft = ps_shipping_service_prepare_finish (session->service, result, &error);
  if (draft == NULL)
    {
      *exit_code = _ps_cli_fail (exit_code_for (error), "%s: %s", session->command, error->message);
      return NULL;
    }

  if (opts->weight > 0)
    draft->parcel.weight_grams = opts->weight;
  if (opts->dims != NULL)
    parse_dims (opts->dims, &draft->parcel);
  if (draft->parcel.weight_grams <= 0)
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                                 "%s: order %s has no weight (its items weigh 0 g): weigh the "
                                 "parcel and pass --weight GRAMS", session->command,
                                 draft->order->order_number);
      return NULL;
    }
  return g_steal_pointer (&draft);
}

static void
warn_problems (const char   *command,
               PsRateQuotes *quotes)
{
  for (guint i = 0; i < quotes->problems->len; i++)
    _ps_cli_fail (0, "%s: warning: %s", command, (const char *) g_ptr_array_index (quotes->problems, i));
}

/* Rates for @draft, cheapest first, or NULL after a message. */
static PsRateQuotes *
fetch_rates (Session               *session,
             const PsShipmentDraft *draft,
             int                   *exit_code)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsRateQuotes *quotes;

  ps_shipping_service_rates_async (session->service, draft, session->cancellable,
                                   _ps_cli_result_cb, &result);
  _ps_cli_wait (session->main_context, &result);
  quotes = ps_shipping_service_rates_finish (session->service, result, &error);
  if (quotes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s: stopped", session->command);
      else if (exit_code_for (error) == PS_CLI_EXIT_USAGE)
        *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: order %s: %s", session->command,
                                   draft->order->order_number, error->message);
      else
        *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s: no carrier account gave a rate: %s",
                                   session->command, error->message);
      return NULL;
    }
  if (quotes->quotes->len == 0)
    {
      warn_problems (session->command, quotes);
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED,
                                 "%s: no carrier offers a service for order %s (%" G_GINT64_FORMAT
                                 " g to %s)", session->command, draft->order->order_number,
                                 draft->parcel.weight_grams, draft->order->ship_to->country);
      ps_rate_quotes_free (quotes);
      return NULL;
    }
  return quotes;
}

/* rates */

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
print_rates_json (const PsShipmentDraft *draft,
                  PsRateQuotes          *quotes,
                  const PsRateQuote     *fastest)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "order");
  json_builder_add_string_value (builder, draft->order->order_number);
  json_builder_set_member_name (builder, "order_id");
  json_builder_add_int_value (builder, draft->order->id);
  json_builder_set_member_name (builder, "weight_grams");
  json_builder_add_int_value (builder, draft->parcel.weight_grams);
  json_builder_set_member_name (builder, "rates");
  json_builder_begin_array (builder);
  for (guint i = 0; i < quotes->quotes->len; i++)
    {
      const PsRateQuote *quote = g_ptr_array_index (quotes->quotes, i);
      const PsRate *rate = quote->rate;
      g_autofree char *price = format_amount (rate->price.minor, rate->price.currency);
      g_autofree char *delivery = NULL;

      if (rate->estimated_delivery != 0)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (rate->estimated_delivery);

          delivery = g_date_time_format_iso8601 (dt);
        }

      json_builder_begin_object (builder);
      add_string_or_null (builder, "carrier", rate->carrier);
      add_string_or_null (builder, "carrier_code", rate->carrier_code);
      add_string_or_null (builder, "service", rate->service_name);
      add_string_or_null (builder, "service_code", rate->service_code);
      json_builder_set_member_name (builder, "price");
      json_builder_add_string_value (builder, price);
      json_builder_set_member_name (builder, "currency");
      json_builder_add_string_value (builder, rate->price.currency);
      json_builder_set_member_name (builder, "transit_days");
      if (rate->transit_days > 0)
        json_builder_add_int_value (builder, rate->transit_days);
      else
        json_builder_add_null_value (builder);
      add_string_or_null (builder, "estimated_delivery", delivery);
      add_string_or_null (builder, "account", quote->account_name);
      json_builder_set_member_name (builder, "cheapest");
      json_builder_add_boolean_value (builder, i == 0);
      json_builder_set_member_name (builder, "fastest");
      json_builder_add_boolean_value (builder, quote == fastest);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "problems");
  json_builder_begin_array (builder);
  for (guint i = 0; i < quotes->problems->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (quotes->problems, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  _ps_cli_print_json (builder);
}

static void
print_rates_text (const PsShipmentDraft *draft,
                  PsRateQuotes          *quotes,
                  const PsRateQuote     *fastest,
                  GTimeZone             *tz)
{
  const char *header[] = { "CARRIER", "SERVICE", "CODE", "PRICE", "DAYS", "DELIVERY", "ACCOUNT" };
  guint n_cols = G_N_ELEMENTS (header);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  int widths[G_N_ELEMENTS (header)] = { 0 };

  printf ("Order %s, %" G_GINT64_FORMAT " g, to %s %s\n", draft->order->order_number,
          draft->parcel.weight_grams,
          draft->order->ship_to->postcode != NULL ? draft->order->ship_to->postcode : "",
          draft->order->ship_to->country);

  for (guint c = 0; c < n_cols; c++)
    g_ptr_array_add (cells, g_strdup (header[c]));
  for (guint i = 0; i < quotes->quotes->len; i++)
    {
      const PsRateQuote *quote = g_ptr_array_index (quotes->quotes, i);
      const PsRate *rate = quote->rate;
      g_autofree char *amount = format_amount (rate->price.minor, rate->price.currency);

      g_ptr_array_add (cells, g_strdup (rate->carrier));
      g_ptr_array_add (cells, g_strdup (rate->service_name != NULL ? rate->service_name : rate->service_code));
      g_ptr_array_add (cells, g_strdup (rate->service_code));
      g_ptr_array_add (cells, g_strdup_printf ("%s %s", amount, rate->price.currency));
      g_ptr_array_add (cells, rate->transit_days > 0 ? g_strdup_printf ("%d", rate->transit_days) : g_strdup ("-"));
      g_ptr_array_add (cells, rate->estimated_delivery != 0
                              ? format_date (rate->estimated_delivery, tz, "%a %Y-%m-%d")
                              : g_strdup ("-"));
      g_ptr_array_add (cells, g_strdup (quote->account_name));
    }

  for (guint i = 0; i < cells->len; i++)
    {
      const char *cell = g_ptr_array_index (cells, i);
      int len = cell != NULL ? (int) g_utf8_strlen (cell, -1) : 0;

      widths[i % n_cols] = MAX (widths[i % n_cols], len);
    }

  for (guint row = 0; row * n_cols < cells->len; row++)
    {
      g_autoptr(GString) line = g_string_new (NULL);
      const PsRateQuote *quote = row > 0 ? g_ptr_array_index (quotes->quotes, row - 1) : NULL;

      for (guint c = 0; c < n_cols; c++)
        {
          const char *cell = g_ptr_array_index (cells, row * n_cols + c);
          int pad;

          if (cell == NULL)
            cell = "";
          pad = widths[c] - (int) g_utf8_strlen (cell, -1);
          g_string_append (line, cell);
          g_string_append_printf (line, "%*s", pad + 2, "");
        }
      if (row == 1)
        g_string_append (line, "CHEAPEST ");
      if (quote != NULL && quote == fastest)
        g_string_append (line, "FASTEST");
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      printf ("%s\n", line->str);
    }
}

int
_ps_cli_rates (PsCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  ParcelOptions opts = { NULL, -1, NULL };
  const GOptionEntry entries[] = {
    PARCEL_OPTION_ENTRIES (opts),
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsShipmentDraft) draft = NULL;
  g_autoptr(PsRateQuotes) quotes = NULL;
  const PsRateQuote *fastest = NULL;
  Session session = { 0 };
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "rates", "ORDER",
                                        "Ask every enabled carrier account for rates for an order "
                                        "(its number as the shop shows it, or id:N), cheapest "
                                        "first. Accounts that fail are named on stderr. With "
                                        "--json: {\"order\", \"rates\": [{\"carrier\", "
                                        "\"carrier_code\", \"service\", \"service_code\", "
                                        "\"price\", \"currency\", \"transit_days\", "
                                        "\"estimated_delivery\", \"account\"}], \"problems\"}.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    goto out;
  if (argc < 2)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "rates: which order? (rates ORDER)");
      goto out;
    }
  if (argc > 2)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "rates: unexpected argument “%s”", argv[2]);
      goto out;
    }
  if (!check_parcel_options ("rates", &opts, &exit_code) ||
      !session_begin (&session, "rates", globals, &exit_code))
    goto out;

  draft = prepare_draft (&session, argv[1], &opts, &exit_code);
  if (draft == NULL)
    goto out;
  quotes = fetch_rates (&session, draft, &exit_code);
  if (quotes == NULL)
    goto out;

  fastest = ps_rate_quotes_choose (quotes->quotes, PS_RATE_CHOICE_FASTEST, 0);
  if (fastest != NULL && fastest->rate->transit_days <= 0)
    fastest = NULL;
  if (globals->json)
    print_rates_json (draft, quotes, fastest);
  else
    {
      print_rates_text (draft, quotes, fastest,
                        ps_order_store_get_time_zone (ps_context_get_order_store (session.context)));
      warn_problems ("rates", quotes);
    }

out:
  session_end (&session);
  parcel_options_clear (&opts);
  return exit_code;
}

/* label */

static gboolean
carrier_matches (const PsRate *rate,
                 const char   *carrier)
{
  return (rate->carrier_code != NULL && g_ascii_strcasecmp (rate->carrier_code, carrier) == 0) ||
         (rate->carrier != NULL && g_utf8_collate (rate->carrier, carrier) == 0) ||
         (rate->carrier != NULL && g_ascii_strcasecmp (rate->carrier, carrier) == 0);
}

/* The quote for --carrier/--service/--account (the cheapest when two
 * accounts offer it), or NULL after a message listing what there is. */
static const PsRateQuote *
pick_quote (Session      *session,
            PsRateQuotes *quotes,
            const char   *carrier,
            const char   *service,
            const char   *account,
            int          *exit_code)
{
  g_autoptr(GString) available = g_string_new (NULL);
  gboolean carrier_known = FALSE;

  /* Quotes are sorted cheapest first: the first match is the cheapest. */
  for (guint i = 0; i < quotes->quotes->len; i++)
    {
      const PsRateQuote *quote = g_ptr_array_index (quotes->quotes, i);

      if (!carrier_matches (quote->rate, carrier))
        continue;
      if (account != NULL && g_ascii_strcasecmp (quote->account_name, account) != 0)
        continue;
      carrier_known = TRUE;
      if (g_ascii_strcasecmp (quote->rate->service_code, service) == 0)
        return quote;
    }

  for (guint i = 0; i < quotes->quotes->len; i++)
    {
      const PsRateQuote *quote = g_ptr_array_index (quotes->quotes, i);
      g_autofree char *amount = NULL;

      if (carrier_known && !carrier_matches (quote->rate, carrier))
        continue;
      if (account != NULL && carrier_known && g_ascii_strcasecmp (quote->account_name, account) != 0)
        continue;
      amount = format_amount (quote->rate->price.minor, quote->rate->price.currency);
      g_string_append_printf (available, "%s%s%s%s (%s %s)", available->len > 0 ? ", " : "",
                              carrier_known ? "" : quote->rate->carrier_code,
                              carrier_known ? "" : " ", quote->rate->service_code, amount,
                              quote->rate->price.currency);
    }

  if (carrier_known)
    *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                               "%s: %s offers no service “%s” for this parcel%s%s; available: %s",
                               session->command, carrier, service,
                               account != NULL ? " through " : "",
                               account != NULL ? account : "", available->str);
  else
    *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE,
                               "%s: no rate from carrier “%s”%s%s; available: %s",
                               session->command, carrier, account != NULL ? " through account " : "",
                               account != NULL ? account : "", available->str);
  return NULL;
}

/* Fails early, before anything is bought, when FILE cannot be written:
 * its folder must exist. */
static gboolean
check_output (Session    *session,
              GFile      *file,
              int        *exit_code)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_parse_name (file);

  if (parent == NULL)
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: cannot write to “%s”", session->command, name);
      return FALSE;
    }
  g_file_query_info_async (parent, G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, session->cancellable,
                           _ps_cli_result_cb, &result);
  _ps_cli_wait (session->main_context, &result);
  info = g_file_query_info_finish (parent, result, &error);
  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *folder = g_file_get_parse_name (parent);

      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: -o %s: the folder %s does not exist",
                                 session->command, name, folder);
      return FALSE;
    }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_WRITE))
    {
      g_autofree char *folder = g_file_get_parse_name (parent);

      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: -o %s: the folder %s is not writable",
                                 session->command, name, folder);
      return FALSE;
    }
  return TRUE;
}

/* Writes @bytes to a temporary file beside @file and renames it over
 * @file, so a reader never sees half a label.
 *
 * Returns: (transfer full) (nullable): @file's path (or URI) to print,
 *   %NULL on failure */
static char *
write_file (Session  *session,
            GFile    *file,
            GBytes   *bytes,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *path;

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL /* a bought label is always written */,
                                       _ps_cli_result_cb, &result);
  _ps_cli_wait (session->main_context, &result);
  if (!g_file_replace_contents_finish (file, result, NULL, error))
    return NULL;
  path = g_file_get_path (file);
  return path != NULL ? path : g_file_get_uri (file);
}

static gboolean
parse_format (const char    *text,
              PsLabelFormat *format)
{
  int value;

  if (!ps_enum_from_nick (PS_TYPE_LABEL_FORMAT, text, &value))
    return FALSE;
  *format = (PsLabelFormat) value;
  return TRUE;
}

static void
print_label_result (PsCliGlobals          *globals,
                    const PsShipmentDraft *draft,
                    const PsRateQuote     *quote,
                    const PsLabelResult   *label,
                    const char            *path)
{
  const char *format = ps_enum_to_nick (PS_TYPE_LABEL_FORMAT, label->label_format);
  const char *service = quote->rate->service_name != NULL ? quote->rate->service_name
                                                          : quote->rate->service_code;
  g_autofree char *what = NULL;

  /* "USPS Priority Mail", but "UPS Ground" rather than "UPS UPS Ground". */
  if (g_str_has_prefix (service, quote->rate->carrier))
    what = g_strdup (service);
  else
    what = g_strdup_printf ("%s %s", quote->rate->carrier, service);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autofree char *price = format_amount (quote->rate->price.minor, quote->rate->price.currency);

      /* A label bought earlier was paid at its price then, which the
       * rate asked now does not tell: no price for it. */
      if (label->already_bought)
        g_clear_pointer (&price, g_free);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "order");
      json_builder_add_string_value (builder, draft->order->order_number);
      json_builder_set_member_name (builder, "order_id");
      json_builder_add_int_value (builder, draft->order->id);
      json_builder_set_member_name (builder, "carrier");
      json_builder_add_string_value (builder, quote->rate->carrier_code);
      json_builder_set_member_name (builder, "service");
      json_builder_add_string_value (builder, quote->rate->service_code);
      add_string_or_null (builder, "price", price);
      add_string_or_null (builder, "currency", price != NULL ? quote->rate->price.currency : NULL);
      json_builder_set_member_name (builder, "tracking_number");
      json_builder_add_string_value (builder, label->tracking_number);
      json_builder_set_member_name (builder, "shipment_id");
      json_builder_add_int_value (builder, label->shipment_id);
      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, format);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "already_bought");
      json_builder_add_boolean_value (builder, label->already_bought);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
      return;
    }

  if (label->already_bought)
    printf ("Order %s: already bought (%s), tracking %s; nothing was bought now\n",
            draft->order->order_number, what, label->tracking_number);
  else
    {
      g_autofree char *price = format_amount (quote->rate->price.minor, quote->rate->price.currency);

      printf ("Order %s: bought %s for %s %s, tracking %s\n", draft->order->order_number, what,
              price, quote->rate->price.currency, label->tracking_number);
    }
  printf ("Label (%s) written to %s\n", format, path);
}

/* Shipments by id (@shipment_id > 0) or by tracking number, voided ones
 * included; NULL after a message. */
static GPtrArray *
load_shipments (Session    *session,
                gint64      shipment_id,
                const char *tracking_number,
                int        *exit_code)
{
  LookupArgs *args = g_new0 (LookupArgs, 1);

  args->shipment_id = shipment_id;
  args->number = g_strdup (tracking_number);
  return run_job (session, shipments_job, args, (GDestroyNotify)lookup_args_free,
                  (GDestroyNotify)g_ptr_array_unref, exit_code);
}

/* Buys @quote under @key. The journal keeps a voided purchase as bought,
 * so a key whose label was voided would only ever return that dead label:
 * such a key is followed by "KEY:after-void:SHIPMENT", which keeps running
 * the same command idempotent after a void (it finds the live label, or
 * buys one once). Returns NULL after a message. */
static PsLabelResult *
buy_label (Session               *session,
           const PsShipmentDraft *draft,
           const PsRateQuote     *quote,
           const char            *key,
           int                   *exit_code)
{
  g_autofree char *current = g_strdup (key);

  /* Each round is a shipment voided before: a bound only against a loop. */
  for (guint round = 0; round < 1000; round++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PsLabelResult) label = NULL;
      g_autoptr(GPtrArray) shipments = NULL;
      const PsShipmentMatch *shipment;

      /* Ctrl+C stops the purchase only before the carrier is asked. */
      ps_shipping_service_buy_async (session->service, draft, quote, current, session->cancellable,
                                     _ps_cli_result_cb, &result);
      _ps_cli_wait (session->main_context, &result);
      label = ps_shipping_service_buy_finish (session->service, result, &error);
      if (label == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s: stopped; nothing was bought",
                                       session->command);
          else
            *exit_code = _ps_cli_fail (exit_code_for (error), "%s: order %s: %s", session->command,
                                       draft->order->order_number, error->message);
          return NULL;
        }
      if (!label->already_bought)
        return g_steal_pointer (&label);

      shipments = load_shipments (session, label->shipment_id, NULL, exit_code);
      if (shipments == NULL)
        return NULL;
      shipment = shipments->len > 0 ? g_ptr_array_index (shipments, 0) : NULL;
      if (shipment == NULL || shipment->voided_at == 0)
        return g_steal_pointer (&label);

      g_free (current);
      current = g_strdup_printf ("%s:after-void:%" G_GINT64_FORMAT, key, shipment->shipment_id);
    }
  *exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s: too many voided labels under key “%s”; "
                             "pass another --key", session->command, key);
  return NULL;
}

int
_ps_cli_label (PsCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  ParcelOptions opts = { NULL, -1, NULL };
  g_autofree char *carrier = NULL;
  g_autofree char *service_code = NULL;
  g_autofree char *account = NULL;
  g_autofree char *format_text = NULL;
  g_autofree char *key = NULL;
  g_autofree char *output = NULL;
  int dpi = 203;
  const GOptionEntry entries[] = {
    { "carrier", 0, 0, G_OPTION_ARG_STRING, &carrier,
      "The carrier, by code or name as `rates` prints it (usps, UPS)", "C" },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service_code,
      "The service code as `rates` prints it (usps_priority)", "S" },
    { "account", 0, 0, G_OPTION_ARG_STRING, &account,
      "The carrier account, when two offer the service (default: the cheaper)", "NAME" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      "pdf (default), png or zpl; carriers that send their own labels send their format",
      "FORMAT" },
    { "dpi", 0, 0, G_OPTION_ARG_INT, &dpi, "Printer resolution for png and zpl: 203 (default) or 300",
      "DPI" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key,
      "Idempotency key: a key already bought is never bought again (default: "
      "cli:ORDER_ID:CARRIER:SERVICE)", "KEY" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The label file to write (replaced only when complete)", "FILE" },
    PARCEL_OPTION_ENTRIES (opts),
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsShipmentDraft) draft = NULL;
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  const PsRateQuote *quote;
  PsLabelFormat format = PS_LABEL_FORMAT_PDF;
  Session session = { 0 };
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "label", "ORDER",
                                        "Buy a label for an order (its number as the shop shows "
                                        "it, or id:N) through a carrier and service from "
                                        "`rates`, and write it to a file. The same command run "
                                        "again prints the label already bought and buys nothing. "
                                        "With --json: {\"order\", \"tracking_number\", "
                                        "\"shipment_id\", \"format\", \"path\", "
                                        "\"already_bought\"}.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    goto out;
  if (argc < 2)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: which order? (label ORDER --carrier C "
                                "--service S -o FILE)");
      goto out;
    }
  if (argc > 2)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: unexpected argument “%s”", argv[2]);
      goto out;
    }
  if (carrier == NULL || service_code == NULL)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: say which rate with --carrier C "
                                "--service S (see `rates %s`)", argv[1]);
      goto out;
    }
  if (output == NULL || *output == '\0')
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: say where to write the label with -o FILE");
      goto out;
    }
  if (format_text != NULL && !parse_format (format_text, &format))
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: unknown --format “%s” (pdf, png or zpl)",
                                format_text);
      goto out;
    }
  if (dpi != 203 && dpi != 300)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: --dpi is 203 or 300");
      goto out;
    }
  if (key != NULL && *key == '\0')
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "label: --key cannot be empty");
      goto out;
    }
  if (!check_parcel_options ("label", &opts, &exit_code) ||
      !session_begin (&session, "label", globals, &exit_code))
    goto out;

  file = g_file_new_for_commandline_arg (output);
  if (!check_output (&session, file, &exit_code))
    goto out;

  draft = prepare_draft (&session, argv[1], &opts, &exit_code);
  if (draft == NULL)
    goto out;
  quotes = fetch_rates (&session, draft, &exit_code);
  if (quotes == NULL)
    goto out;
  quote = pick_quote (&session, quotes, carrier, service_code, account, &exit_code);
  if (quote == NULL)
    goto out;
  warn_problems ("label", quotes);

  if (key == NULL)
    key = g_strdup_printf ("cli:%" G_GINT64_FORMAT ":%s:%s", draft->order->id,
                           quote->rate->carrier_code, quote->rate->service_code);

  ps_shipping_service_set_label_format (session.service, format, dpi);
  label = buy_label (&session, draft, quote, key, &exit_code);
  if (label == NULL)
    goto out;

  path = write_file (&session, file, label->label, &error);
  if (path == NULL)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED,
                                "label: the label was bought (tracking %s) but could not be "
                                "written: %s; run the same command again to write it",
                                label->tracking_number, error->message);
      goto out;
    }

  if (!label->already_bought && draft->order->n_live_shipments > 0)
    _ps_cli_fail (0, "label: note: order %s had %u %s already; this one is another shipment",
                  draft->order->order_number, draft->order->n_live_shipments,
                  draft->order->n_live_shipments == 1 ? "label" : "labels");
  if (label->label_format != format)
    _ps_cli_fail (0, "label: note: the label is %s, not %s: %s",
                  ps_enum_to_nick (PS_TYPE_LABEL_FORMAT, label->label_format),
                  ps_enum_to_nick (PS_TYPE_LABEL_FORMAT, format),
                  label->already_bought ? "it was stored in that format when it was bought"
                                        : "the carrier sends its own labels");

  print_label_result (globals, draft, quote, label, path);

out:
  session_end (&session);
  parcel_options_clear (&opts);
  return exit_code;
}

/* handoff */

typedef struct
{
  gint64     from;
  gint64     to;
  /* Out */
  GPtrArray *rows;          /* PsHandoffRow */
  char      *store_name;
} HandoffJob;

static gpointer
handoff_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  HandoffJob *job = data;
  g_autoptr(PsAddress) ship_from = NULL;

  job->rows = ps_order_lookup_handoff_sync (db, job->from, job->to, error);
  if (job->rows == NULL)
    return NULL;
  /* The sheet's heading; a store without a ship-from address yet prints
   * none. */
  ship_from = ps_shipping_store_get_ship_from_sync (db, NULL);
  if (ship_from != NULL)
    job->store_name = g_strdup (ship_from->company != NULL && *ship_from->company != '\0'
                                ? ship_from->company : ship_from->name);
  return GINT_TO_POINTER (TRUE);
}

static const char *
carrier_display_name (const char *code)
{
  static const struct { const char *code; const char *name; } names[] = {
    { "usps", "USPS" }, { "ups", "UPS" }, { "fedex", "FedEx" }, { "dhl", "DHL Express" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (code, names[i].code) == 0)
      return names[i].name;
  return code;
}

/* Local midnight of "YYYY-MM-DD" (or of today) and of the next day. */
static gboolean
day_range (const char *text,
           GTimeZone  *tz,
           gint64     *from,
           gint64     *to)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (text == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (ps_time_now ());
      g_autoptr(GDateTime) local = g_date_time_to_timezone (now, tz);

      start = g_date_time_new (tz, g_date_time_get_year (local), g_date_time_get_month (local),
                               g_date_time_get_day_of_month (local), 0, 0, 0);
    }
  else
    {
      guint64 y, m, d;
      g_auto(GStrv) parts = g_strsplit (text, "-", -1);

      if (strlen (text) != 10 || g_strv_length (parts) != 3 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 1, 9999, &y, NULL) ||
          !g_ascii_string_to_unsigned (parts[1], 10, 1, 12, &m, NULL) ||
          !g_ascii_string_to_unsigned (parts[2], 10, 1, 31, &d, NULL) ||
          !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
        return FALSE;
      start = g_date_time_new (tz, (int) y, (int) m, (int) d, 0, 0, 0);
    }
  if (start == NULL)
    return FALSE;
  end = g_date_time_add_days (start, 1);
  *from = g_date_time_to_unix (start);
  *to = g_date_time_to_unix (end);
  return TRUE;
}

int
_ps_cli_handoff (PsCliGlobals  *globals,
                 int            argc,
                 char         **argv)
{
  g_autofree char *date_text = NULL;
  g_autofree char *paper_text = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date_text,
      "The day, in the local time zone (default: today)", "YYYY-MM-DD" },
    { "paper", 0, 0, G_OPTION_ARG_STRING, &paper_text, "letter (default), a4 or 4x6", "PAPER" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "The PDF file to write", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsHandoffSheet) sheet = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *day = NULL;
  HandoffJob job = { 0 };
  PsPaper paper = PS_PAPER_LETTER;
  GTimeZone *tz;
  Session session = { 0 };
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "handoff", NULL,
                                        "Write the end-of-day handoff sheet (PDF) of the labels "
                                        "bought on a day, by carrier, for the driver to sign. "
                                        "With --json: {\"date\", \"shipments\", \"path\"}.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    goto out;
  if (argc > 1)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "handoff: unexpected argument “%s”", argv[1]);
      goto out;
    }
  if (output == NULL || *output == '\0')
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "handoff: say where to write the sheet with -o FILE");
      goto out;
    }
  if (paper_text != NULL)
    {
      if (g_ascii_strcasecmp (paper_text, "letter") == 0)
        paper = PS_PAPER_LETTER;
      else if (g_ascii_strcasecmp (paper_text, "a4") == 0)
        paper = PS_PAPER_A4;
      else if (g_ascii_strcasecmp (paper_text, "4x6") == 0)
        paper = PS_PAPER_4X6;
      else
        {
          exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "handoff: unknown --paper “%s” (letter, a4 "
                                    "or 4x6)", paper_text);
          goto out;
        }
    }
  if (!session_begin (&session, "handoff", globals, &exit_code))
    goto out;

  tz = ps_order_store_get_time_zone (ps_context_get_order_store (session.context));
  if (!day_range (date_text, tz, &job.from, &job.to))
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "handoff: --date “%s” is not a date "
                                "(YYYY-MM-DD)", date_text);
      goto out;
    }
  file = g_file_new_for_commandline_arg (output);
  if (!check_output (&session, file, &exit_code))
    goto out;

  if (run_job (&session, handoff_job, &job, NULL, NULL, &exit_code) == NULL)
    goto out;

  sheet = ps_handoff_sheet_new ();
  /* The sheet prints its date in UTC: give it UTC midnight of the local
   * day, so a zone east of UTC does not print the day before. */
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (job.from);
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
    g_autoptr(GDateTime) midnight = g_date_time_new_utc (g_date_time_get_year (local),
                                                         g_date_time_get_month (local),
                                                         g_date_time_get_day_of_month (local),
                                                         0, 0, 0);

    sheet->date = g_date_time_to_unix (midnight);
  }
  sheet->store_name = g_strdup (job.store_name);
  for (guint i = 0; i < job.rows->len; i++)
    {
      const PsHandoffRow *row = g_ptr_array_index (job.rows, i);

      ps_handoff_sheet_add (sheet, carrier_display_name (row->carrier), row->tracking_number,
                            row->service, row->weight_grams, row->order_number);
    }
  pdf = ps_handoff_sheet_render_pdf (sheet, paper, &error);
  if (pdf != NULL)
    path = write_file (&session, file, pdf, &error);
  if (path == NULL)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "handoff: %s", error->message);
      goto out;
    }

  day = format_date (job.from, tz, "%Y-%m-%d");
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, day);
      json_builder_set_member_name (builder, "shipments");
      json_builder_add_int_value (builder, job.rows->len);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    printf ("Handoff sheet for %s: %u %s, written to %s\n", day, job.rows->len,
            job.rows->len == 1 ? "shipment" : "shipments", path);

out:
  g_clear_pointer (&job.rows, g_ptr_array_unref);
  g_free (job.store_name);
  session_end (&session);
  return exit_code;
}

/* void */

static void
print_void_result (PsCliGlobals          *globals,
                   const PsShipmentMatch *shipment,
                   gboolean               already)
{
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "shipment_id");
      json_builder_add_int_value (builder, shipment->shipment_id);
      add_string_or_null (builder, "tracking_number", shipment->tracking_number);
      json_builder_set_member_name (builder, "order");
      json_builder_add_string_value (builder, shipment->order_number);
      json_builder_set_member_name (builder, "order_status");
      json_builder_add_string_value (builder, shipment->order_status);
      json_builder_set_member_name (builder, "already_voided");
      json_builder_add_boolean_value (builder, already);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
      return;
    }
  printf ("%s label %s (%s %s) of order %s; the order is now %s\n",
          already ? "Already voided:" : "Voided", shipment->tracking_number != NULL
          ? shipment->tracking_number : "without tracking number",
          carrier_display_name (shipment->carrier), shipment->service, shipment->order_number,
          shipment->order_status);
}

int
_ps_cli_void (PsCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GPtrArray) shipments = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const PsShipmentMatch *shipment = NULL;
  const char *which;
  guint64 id = 0;
  guint n_live = 0;
  Session session = { 0 };
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "void", "SHIPMENT_OR_TRACKING",
                                        "Void (refund) a label before the carrier scans the "
                                        "parcel: give its tracking number or id:N (the "
                                        "shipment_id `label` prints). The order goes back to "
                                        "awaiting_shipment when no other label is live. With "
                                        "--json: {\"shipment_id\", \"tracking_number\", "
                                        "\"order\", \"order_status\", \"already_voided\"}.",
                                        NULL);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    goto out;
  if (argc != 2)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, argc < 2
                                ? "void: which label? (void TRACKING_NUMBER or void id:N)"
                                : "void: one label at a time");
      goto out;
    }
  which = argv[1];
  if (g_str_has_prefix (which, "id:") &&
      !g_ascii_string_to_unsigned (which + 3, 10, 1, G_MAXINT64, &id, NULL))
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "void: “%s” is not id:N with a number N", which);
      goto out;
    }
  if (!session_begin (&session, "void", globals, &exit_code))
    goto out;

  shipments = load_shipments (&session, (gint64) id, id == 0 ? which : NULL, &exit_code);
  if (shipments == NULL)
    goto out;
  for (guint i = 0; i < shipments->len; i++)
    {
      const PsShipmentMatch *match = g_ptr_array_index (shipments, i);

      /* A reused tracking number: the live label is the one meant. */
      if (match->voided_at == 0)
        {
          shipment = match;
          n_live++;
        }
    }
  if (shipments->len == 0)
    {
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "void: no shipment %s “%s”",
                                id != 0 ? "with id" : "with tracking number", id != 0 ? which + 3 : which);
      goto out;
    }
  if (n_live > 1)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (guint i = 0; i < shipments->len; i++)
        {
          const PsShipmentMatch *match = g_ptr_array_index (shipments, i);

          if (match->voided_at == 0)
            g_string_append_printf (ids, "%sid:%" G_GINT64_FORMAT " (order %s)", ids->len > 0 ? ", " : "",
                                    match->shipment_id, match->order_number);
        }
      exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "void: %u labels have tracking number “%s”: "
                                "give one as %s", n_live, which, ids->str);
      goto out;
    }
  if (shipment == NULL)
    {
      print_void_result (globals, g_ptr_array_index (shipments, 0), TRUE);
      goto out;
    }

  ps_shipping_service_void_async (session.service, shipment->shipment_id, session.cancellable,
                                  _ps_cli_result_cb, &result);
  _ps_cli_wait (session.main_context, &result);
  if (!ps_shipping_service_void_finish (session.service, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        exit_code = _ps_cli_fail (PS_CLI_EXIT_FAILED, "void: stopped; the label may still be live");
      else
        exit_code = _ps_cli_fail (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED)
                                  ? PS_CLI_EXIT_FAILED : exit_code_for (error),
                                  "void: %s: %s", shipment->tracking_number != NULL
                                  ? shipment->tracking_number : which, error->message);
      goto out;
    }

  /* Read back what the void left: the order's status. */
  after = load_shipments (&session, shipment->shipment_id, NULL, &exit_code);
  if (after == NULL)
    goto out;
  print_void_result (globals, after->len > 0 ? g_ptr_array_index (after, 0) : shipment, FALSE);

out:
  session_end (&session);
  return exit_code;
}
