/* ps-format.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Presentation lives in ui/ (STYLE.md 3.6): the layers below hand over raw
 * values (minor units, Unix seconds, enum values) and these functions make
 * them readable, translated and in the user's time zone.
 */

#define G_LOG_DOMAIN "ps-format"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ps-format.h"
#include "ps-money.h"

static const char *
currency_symbol (const char *currency)
{
  if (g_strcmp0 (currency, "USD") == 0) return "$";
  if (g_strcmp0 (currency, "EUR") == 0) return "€";
  if (g_strcmp0 (currency, "GBP") == 0) return "£";
  if (g_strcmp0 (currency, "JPY") == 0) return "¥";
  if (g_strcmp0 (currency, "CAD") == 0) return "CA$";
  if (g_strcmp0 (currency, "AUD") == 0) return "A$";
  return NULL;
}

/**
 * ps_format_money:
 * @minor: amount in minor units
 * @currency: (nullable): ISO 4217 code
 *
 * Returns: (transfer full): e.g. "$1,110.03" or "1,110.03 CHF"
 */
/* Thousands separators by hand: printf's ' flag depends on the C locale,
 * which has none, and GLib offers no number formatting. */
static void
append_grouped (GString *out,
                guint64  value)
{
  char digits[32];
  gsize len;

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, value);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
}

char *
ps_format_money (gint64      minor,
                 const char *currency)
{
  guint digits = currency ? ps_currency_minor_digits (currency) : 2;
  gint64 scale = 1;
  gint64 whole, frac, abs_minor;
  g_autoptr(GString) number = g_string_new (NULL);
  const char *symbol = currency_symbol (currency);

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  abs_minor = minor < 0 ? -minor : minor;
  whole = abs_minor / scale;
  frac = abs_minor % scale;

  append_grouped (number, (guint64)whole);
  if (digits > 0)
    g_string_append_printf (number, ".%0*" G_GINT64_FORMAT, (int)digits, frac);

  if (symbol != NULL)
    return g_strdup_printf ("%s%s%s", minor < 0 ? "−" : "", symbol, number->str);
  return g_strdup_printf ("%s%s %s", minor < 0 ? "−" : "", number->str, currency ? currency : "");
}

/**
 * ps_format_date:
 * @unix_utc: UTC Unix seconds
 *
 * Returns: (transfer full): the local date and time, e.g. "Nov 21, 14:05"
 *   this year or "Nov 21, 2025" before
 */
char *
ps_format_date (gint64 unix_utc)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (unix_utc == 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (unix_utc);
  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now))
    /* Translators: a date with time in the current year, see g_date_time_format() */
    return g_date_time_format (local, _("%b %-d, %H:%M"));
  /* Translators: a date in another year, see g_date_time_format() */
  return g_date_time_format (local, _("%b %-d, %Y"));
}

/**
 * ps_format_count:
 * @n: a count
 *
 * Returns: (transfer full): @n with thousands separators
 */
char *
ps_format_count (gint64 n)
{
  GString *out = g_string_new (n < 0 ? "−" : "");

  append_grouped (out, (guint64)(n < 0 ? -n : n));
  return g_string_free (out, FALSE);
}

const char *
ps_format_order_status (PsOrderStatus status)
{
  switch (status)
    {
    case PS_ORDER_STATUS_AWAITING_PAYMENT:  return _("Awaiting payment");
    case PS_ORDER_STATUS_AWAITING_SHIPMENT: return _("Awaiting shipment");
    case PS_ORDER_STATUS_ON_HOLD:           return _("On hold");
    case PS_ORDER_STATUS_READY_TO_SHIP:     return _("Ready to ship");
    case PS_ORDER_STATUS_SHIPPED:           return _("Shipped");
    case PS_ORDER_STATUS_DELIVERED:         return _("Delivered");
    case PS_ORDER_STATUS_EXCEPTION:         return _("Exception");
    case PS_ORDER_STATUS_CANCELLED:         return _("Cancelled");
    case PS_ORDER_STATUS_RETURNED:          return _("Returned");
    default:                                return "";
    }
}

const char *
ps_format_tracking_status (PsTrackingStatus status)
{
  switch (status)
    {
    case PS_TRACKING_STATUS_UNKNOWN:              return "";
    case PS_TRACKING_STATUS_PRE_TRANSIT:          return _("Label created");
    case PS_TRACKING_STATUS_IN_TRANSIT:           return _("In transit");
    case PS_TRACKING_STATUS_OUT_FOR_DELIVERY:     return _("Out for delivery");
    case PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP: return _("Ready for pickup");
    case PS_TRACKING_STATUS_DELIVERED:            return _("Delivered");
    case PS_TRACKING_STATUS_EXCEPTION:            return _("Exception");
    case PS_TRACKING_STATUS_RETURN_TO_SENDER:     return _("Returning to sender");
    case PS_TRACKING_STATUS_CANCELLED:            return _("Cancelled");
    default:                                      return "";
    }
}

const char *
ps_format_exception_reason (PsExceptionReason reason)
{
  switch (reason)
    {
    case PS_EXCEPTION_REASON_NONE:           return _("None");
    case PS_EXCEPTION_REASON_ADDRESS_ISSUE:  return _("Address issue");
    case PS_EXCEPTION_REASON_DELAY:          return _("Delay");
    case PS_EXCEPTION_REASON_FAILED_ATTEMPT: return _("Failed delivery attempt");
    case PS_EXCEPTION_REASON_DAMAGED:        return _("Damaged");
    case PS_EXCEPTION_REASON_LOST:           return _("Lost");
    case PS_EXCEPTION_REASON_CUSTOMS_HOLD:   return _("Held in customs");
    case PS_EXCEPTION_REASON_WEATHER:        return _("Weather");
    case PS_EXCEPTION_REASON_REFUSED:        return _("Refused");
    case PS_EXCEPTION_REASON_LATE_HANDOFF:   return _("Late handoff");
    case PS_EXCEPTION_REASON_OTHER:          return _("Other");
    default:                                 return "";
    }
}

const char *
ps_format_channel_kind (PsChannelKind kind)
{
  switch (kind)
    {
    case PS_CHANNEL_KIND_SHOPIFY:     return "Shopify";
    case PS_CHANNEL_KIND_WOOCOMMERCE: return "WooCommerce";
    case PS_CHANNEL_KIND_ETSY:        return "Etsy";
    case PS_CHANNEL_KIND_AMAZON:      return "Amazon";
    case PS_CHANNEL_KIND_EBAY:        return "eBay";
    case PS_CHANNEL_KIND_MANUAL:      return _("Manual");
    case PS_CHANNEL_KIND_CUSTOM:
    default:                          return _("Other");
    }
}

/**
 * ps_format_destination:
 * @city: (nullable): city
 * @state: (nullable): state or province code
 * @country: (nullable): ISO country code
 *
 * Returns: (transfer full): "Portland, OR" for the US, "Lyon, FR" elsewhere
 */
char *
ps_format_destination (const char *city,
                       const char *state,
                       const char *country)
{
  if (city == NULL || *city == '\0')
    return g_strdup (country ? country : "");
  if (g_strcmp0 (country, "US") == 0 && state != NULL && *state != '\0')
    return g_strdup_printf ("%s, %s", city, state);
  return g_strdup_printf ("%s, %s", city, country ? country : "");
}

/**
 * ps_format_carrier:
 * @carrier: (nullable): a carrier id
 *
 * Returns: (transfer none): the carrier's name
 */
const char *
ps_format_carrier (const char *carrier)
{
  if (carrier == NULL)
    return "";
  if (g_str_equal (carrier, "usps")) return "USPS";
  if (g_str_equal (carrier, "ups")) return "UPS";
  if (g_str_equal (carrier, "fedex")) return "FedEx";
  if (g_str_equal (carrier, "dhl")) return "DHL Express";
  if (g_str_equal (carrier, "sandbox")) return _("Sandbox");
  return carrier;
}
