/* ps-money.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-money"

#include "config.h"

#include <string.h>

#include "ps-money.h"

G_DEFINE_BOXED_TYPE (PsMoney, ps_money, ps_money_copy, ps_money_free)

/**
 * ps_currency_is_valid:
 * @currency: (nullable): a currency code
 *
 * Returns: %TRUE if @currency has the shape of an ISO 4217 code (three
 *   upper-case ASCII letters).
 */
gboolean
ps_currency_is_valid (const char *currency)
{
  if (currency == NULL || strlen (currency) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (currency[i]))
      return FALSE;
  return TRUE;
}

/**
 * ps_currency_minor_digits:
 * @currency: an ISO 4217 code
 *
 * Returns: the number of decimal digits of the currency's minor unit
 *   (2 for USD and EUR, 0 for JPY, 3 for KWD).
 */
guint
ps_currency_minor_digits (const char *currency)
{
  /* ISO 4217 exceptions to the common two digits. */
  static const char * const zero[] = {
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
    "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF", NULL
  };
  static const char * const three[] = {
    "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND", NULL
  };

  g_return_val_if_fail (currency != NULL, 2);

  if (g_strv_contains (zero, currency))
    return 0;
  if (g_strv_contains (three, currency))
    return 3;
  return 2;
}

/**
 * ps_money_new:
 * @minor: amount in minor units
 * @currency: ISO 4217 code
 *
 * Returns: (transfer full): a new #PsMoney
 */
PsMoney *
ps_money_new (gint64      minor,
              const char *currency)
{
  PsMoney *self;

  g_return_val_if_fail (ps_currency_is_valid (currency), NULL);

  self = g_new0 (PsMoney, 1);
  self->minor = minor;
  memcpy (self->currency, currency, 3);
  return self;
}

PsMoney *
ps_money_copy (const PsMoney *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_memdup2 (self, sizeof *self);
}

void
ps_money_free (PsMoney *self)
{
  g_free (self);
}

gboolean
ps_money_equal (const PsMoney *a,
                const PsMoney *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);
  return a->minor == b->minor && strcmp (a->currency, b->currency) == 0;
}

/**
 * ps_money_add:
 * @self: an amount, changed in place
 * @other: the amount to add
 *
 * Adds @other to @self. Amounts in different currencies cannot be added.
 *
 * Returns: %FALSE, leaving @self unchanged, if the currencies differ or the
 *   sum would overflow.
 */
gboolean
ps_money_add (PsMoney       *self,
              const PsMoney *other)
{
  gint64 sum;

  g_return_val_if_fail (self != NULL && other != NULL, FALSE);

  if (strcmp (self->currency, other->currency) != 0)
    return FALSE;
  if (__builtin_add_overflow (self->minor, other->minor, &sum))
    return FALSE;
  self->minor = sum;
  return TRUE;
}
