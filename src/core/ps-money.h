/* ps-money.h: an amount in minor units of an ISO 4217 currency
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PS_TYPE_MONEY (ps_money_get_type ())

typedef struct _PsMoney PsMoney;

/* Money is never a double: an integer count of the currency's minor unit
 * (cents for USD, yen for JPY) plus the ISO 4217 code. */
struct _PsMoney
{
  gint64 minor;
  char   currency[4];
};

GType    ps_money_get_type         (void) G_GNUC_CONST;
PsMoney *ps_money_new              (gint64         minor,
                                    const char    *currency);
PsMoney *ps_money_copy             (const PsMoney *self);
void     ps_money_free             (PsMoney       *self);
gboolean ps_money_equal            (const PsMoney *a,
                                    const PsMoney *b);
gboolean ps_money_add              (PsMoney       *self,
                                    const PsMoney *other);
guint    ps_currency_minor_digits  (const char    *currency);
gboolean ps_currency_is_valid      (const char    *currency);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMoney, ps_money_free)

G_END_DECLS
