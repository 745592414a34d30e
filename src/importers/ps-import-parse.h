/* ps-import-parse.h: the value formats found in shop exports
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "$1,110.03", "1.110,03 €", "USD 12.50", "12.5", "-3.00", "(3.00)" ->
 * minor units of @currency (digits from ps_currency_minor_digits). A symbol
 * or code in the text sets *detected_currency (may be NULL) when found. */
gboolean    ps_parse_money         (const char  *text,
                                    const char  *currency,
                                    gint64      *minor,
                                    char         detected_currency[4]);
/* Every date format listed in formats-and-carriers.md §1, with or without
 * time and UTC offset; a time without offset is read in @default_tz. */
gboolean    ps_parse_datetime      (const char  *text,
                                    GTimeZone   *default_tz,
                                    gint64      *unix_utc);
gboolean    ps_parse_quantity      (const char  *text,
                                    int         *quantity);
/* "2.5 lb", "1.2kg", "340 g", "12 oz", bare numbers in @default_unit
 * ("g", "kg", "lb", "oz") -> grams. */
gboolean    ps_parse_weight        (const char  *text,
                                    const char  *default_unit,
                                    int         *grams);
/* "United States", "USA", "U.S.", "us", "Deutschland", "UK" -> "US", "DE",
 * "GB". Returns NULL if unknown. */
const char *ps_country_code        (const char  *text);
/* The English short name of an ISO 3166-1 alpha-2 code ("DE" ->
 * "Germany"), NULL if unknown. */
const char *ps_country_name        (const char  *code);
/* Every code ps_country_code() can return, NULL-terminated. */
const char * const *ps_country_list (void);
/* US states, Canadian provinces, Australian states by name -> code
 * ("Oregon" -> "OR"); codes pass through upper-cased. NULL if unknown. */
const char *ps_region_code         (const char  *country,
                                    const char  *text);
/* Offline address check: required fields and postal code pattern for the
 * country. Returns TRUE if it passes; else *message (transfer full) says
 * what is wrong ("ZIP code “9720” does not look like a US ZIP code"). */
gboolean    ps_address_check       (const char  *country,
                                    const char  *state,
                                    const char  *postcode,
                                    const char  *city,
                                    const char  *line1,
                                    char       **message);

G_END_DECLS
