/* ps-label-spec.c: what one shipping label says, as data
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-label-spec"

#include "config.h"

#include "ps-label-spec.h"
#include "ps-labels-private.h"

G_DEFINE_QUARK (ps-label-error-quark, ps_label_error)

G_DEFINE_BOXED_TYPE (PsLabelSpec, ps_label_spec, ps_label_spec_copy, ps_label_spec_free)

static const char * const style_nicks[] = {
  [PS_LABEL_STYLE_GENERIC] = "generic",
  [PS_LABEL_STYLE_USPS] = "usps",
  [PS_LABEL_STYLE_UPS] = "ups",
  [PS_LABEL_STYLE_FEDEX] = "fedex",
};

G_STATIC_ASSERT (G_N_ELEMENTS (style_nicks) == PS_LABEL_STYLE_LAST + 1);

/**
 * ps_label_style_to_nick:
 * @style: a #PsLabelStyle
 *
 * Returns: (transfer none) (nullable): the style's nick, or %NULL when
 *   @style is out of range.
 */
const char *
ps_label_style_to_nick (PsLabelStyle style)
{
  if ((guint) style >= G_N_ELEMENTS (style_nicks))
    return NULL;

  return style_nicks[style];
}

/**
 * ps_label_style_from_nick:
 * @nick: (nullable): a nick
 * @style: (out): where to store the style
 *
 * Returns: %TRUE if @nick names a style; @style is untouched otherwise.
 */
gboolean
ps_label_style_from_nick (const char   *nick,
                          PsLabelStyle *style)
{
  guint i;

  g_return_val_if_fail (style != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (style_nicks); i++)
    {
      if (g_str_equal (nick, style_nicks[i]))
        {
          *style = (PsLabelStyle) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_label_style_for_carrier:
 * @carrier: (nullable): a carrier hint such as "usps", "ups", "fedex",
 *   "dhl" or "generic" (case-insensitive)
 *
 * Returns: the barcode set for labels we draw for that carrier's format;
 *   %PS_LABEL_STYLE_GENERIC for anything else.
 */
PsLabelStyle
ps_label_style_for_carrier (const char *carrier)
{
  PsLabelStyle style;
  g_autofree char *lower = NULL;

  if (carrier == NULL)
    return PS_LABEL_STYLE_GENERIC;

  lower = g_ascii_strdown (carrier, -1);
  if (ps_label_style_from_nick (lower, &style))
    return style;

  return PS_LABEL_STYLE_GENERIC;
}

PsLabelSpec *
ps_label_spec_new (void)
{
  return g_new0 (PsLabelSpec, 1);
}

PsLabelSpec *
ps_label_spec_copy (const PsLabelSpec *self)
{
  PsLabelSpec *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->ship_from = self->ship_from != NULL ? ps_address_copy (self->ship_from) : NULL;
  copy->ship_to = self->ship_to != NULL ? ps_address_copy (self->ship_to) : NULL;
  copy->carrier_id = g_strdup (self->carrier_id);
  copy->carrier_name = g_strdup (self->carrier_name);
  copy->service_name = g_strdup (self->service_name);
  copy->service_banner = g_strdup (self->service_banner);
  copy->service_code = g_strdup (self->service_code);
  copy->tracking_number = g_strdup (self->tracking_number);
  copy->order_number = g_strdup (self->order_number);
  copy->reference = g_strdup (self->reference);
  copy->shipper_account = g_strdup (self->shipper_account);

  return copy;
}

void
ps_label_spec_free (PsLabelSpec *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->ship_from, ps_address_free);
  g_clear_pointer (&self->ship_to, ps_address_free);
  g_free (self->carrier_id);
  g_free (self->carrier_name);
  g_free (self->service_name);
  g_free (self->service_banner);
  g_free (self->service_code);
  g_free (self->tracking_number);
  g_free (self->order_number);
  g_free (self->reference);
  g_free (self->shipper_account);
  g_free (self);
}

static gboolean
is_set (const char *s)
{
  return s != NULL && s[0] != '\0';
}

static gboolean
is_printable_ascii (const char *s)
{
  for (; *s != '\0'; s++)
    {
      if (*s < 0x21 || *s > 0x7e)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;

  for (; *s != '\0'; s++)
    {
      if (!g_ascii_isdigit (*s))
        return FALSE;
    }

  return TRUE;
}

/* The ZIP or ZIP+4 of a US postcode ("94107", "94107-1234", "941071234")
 * as 5 or 9 digits, or NULL. */
char *
_ps_label_us_zip (const char *postcode)
{
  GString *digits;

  if (postcode == NULL)
    return NULL;

  digits = g_string_new (NULL);
  for (; *postcode != '\0'; postcode++)
    {
      if (g_ascii_isdigit (*postcode))
        g_string_append_c (digits, *postcode);
      else if (*postcode != '-' && *postcode != ' ')
        return (g_string_free (digits, TRUE), NULL);
    }

  if (digits->len != 5 && digits->len != 9)
    return (g_string_free (digits, TRUE), NULL);

  return g_string_free (digits, FALSE);
}

/**
 * ps_label_spec_validate:
 * @self: a #PsLabelSpec
 * @error: return location for a #PS_LABEL_ERROR_INVALID naming the field
 *
 * Checks what every renderer needs: a tracking number of printable ASCII,
 * a ship-to with name, first line, city and country, and for the USPS
 * style an IMpb tracking number (20–34 digits starting 92–95) and a US
 * ZIP or ZIP+4.
 *
 * Returns: %TRUE when the spec can be drawn.
 */
gboolean
ps_label_spec_validate (const PsLabelSpec  *self,
                        GError            **error)
{
  const PsAddress *to;
  const char *trk;
  gsize len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((guint) self->style > PS_LABEL_STYLE_LAST)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                   "Label style %d is not a known style", (int) self->style);
      return FALSE;
    }

  trk = self->tracking_number;
  if (!is_set (trk))
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                           "The tracking number is missing");
      return FALSE;
    }

  len = strlen (trk);
  if (!is_printable_ascii (trk) || len > 48)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                   "The tracking number “%s” must be at most 48 letters, digits or "
                   "punctuation, without spaces", trk);
      return FALSE;
    }

  to = self->ship_to;
  if (to == NULL || !is_set (to->name) || !is_set (to->line1) || !is_set (to->city)
      || !is_set (to->country))
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                   "The ship-to address needs a %s",
                   to == NULL || !is_set (to->name) ? "name"
                   : !is_set (to->line1) ? "first address line"
                   : !is_set (to->city) ? "city" : "country");
      return FALSE;
    }

  if (self->style == PS_LABEL_STYLE_USPS)
    {
      g_autofree char *zip = _ps_label_us_zip (to->postcode);

      if (!is_digits (trk) || len < 20 || len > 34 || len % 2 != 0
          || trk[0] != '9' || trk[1] < '2' || trk[1] > '5')
        {
          g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                       "The tracking number “%s” is not a USPS IMpb number "
                       "(22 to 34 digits starting 92, 93, 94 or 95)", trk);
          return FALSE;
        }

      if (zip == NULL)
        {
          g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                       "The ship-to postcode “%s” is not a US ZIP or ZIP+4, which a "
                       "USPS label's routing barcode needs",
                       to->postcode != NULL ? to->postcode : "");
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * ps_label_spec_dup_banner:
 * @self: a #PsLabelSpec
 *
 * Returns: (transfer full): the service banner: @service_banner, else the
 *   upper-cased service name, else the upper-cased carrier name, else "".
 */
char *
ps_label_spec_dup_banner (const PsLabelSpec *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (is_set (self->service_banner))
    return g_strdup (self->service_banner);
  if (is_set (self->service_name))
    return g_utf8_strup (self->service_name, -1);
  if (is_set (self->carrier_name))
    return g_utf8_strup (self->carrier_name, -1);

  return g_strdup ("");
}

/**
 * ps_label_spec_format_tracking:
 * @self: a #PsLabelSpec
 *
 * The human-readable tracking number: UPS numbers as "1Z 999 AA1 01 2345
 * 6784", everything else in groups of four from the left.
 *
 * Returns: (transfer full): the grouped number.
 */
char *
ps_label_spec_format_tracking (const PsLabelSpec *self)
{
  static const int ups_groups[] = { 2, 3, 3, 2, 4, 4 };
  const char *trk;
  GString *out;
  gsize i, len;

  g_return_val_if_fail (self != NULL, NULL);

  trk = self->tracking_number != NULL ? self->tracking_number : "";
  len = strlen (trk);
  out = g_string_new (NULL);

  if (len == 18 && g_ascii_strncasecmp (trk, "1Z", 2) == 0)
    {
      gsize pos = 0;

      for (i = 0; i < G_N_ELEMENTS (ups_groups); i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, trk + pos, ups_groups[i]);
          pos += ups_groups[i];
        }

      return g_string_free (out, FALSE);
    }

  for (i = 0; i < len; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, trk[i]);
    }

  return g_string_free (out, FALSE);
}

/**
 * ps_label_spec_format_weight:
 * @self: a #PsLabelSpec
 *
 * Returns: (transfer full): "2.50 LB (1.13 KG)" for a US ship-from, else
 *   "1.13 KG (2.50 LB)"; "" when the weight is unknown.
 */
char *
ps_label_spec_format_weight (const PsLabelSpec *self)
{
  double kg, lb;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->weight_grams <= 0)
    return g_strdup ("");

  kg = self->weight_grams / 1000.0;
  lb = self->weight_grams / 453.59237;

  if (self->ship_from != NULL && g_strcmp0 (self->ship_from->country, "US") == 0)
    return g_strdup_printf ("%.2f LB (%.2f KG)", lb, kg);

  return g_strdup_printf ("%.2f KG (%.2f LB)", kg, lb);
}

/**
 * ps_label_spec_format_ship_date:
 * @self: a #PsLabelSpec
 *
 * Returns: (transfer full): the ship date as "2026-11-22" (UTC), or ""
 *   when unset.
 */
char *
ps_label_spec_format_ship_date (const PsLabelSpec *self)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->ship_date <= 0)
    return g_strdup ("");

  dt = g_date_time_new_from_unix_utc (self->ship_date);
  if (dt == NULL)
    return g_strdup ("");

  return g_date_time_format (dt, "%Y-%m-%d");
}
