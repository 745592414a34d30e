/* ps-region.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A destination region is stored with each order (orders.ship_region) so
 * that the dashboard can group a million shipments without a lookup table
 * in SQL. The codes are stable; ui/ turns them into names.
 */

#define G_LOG_DOMAIN "ps-region"

#include "config.h"

#include <string.h>

#include "ps-region.h"

typedef struct
{
  const char *region;
  const char *members;   /* space separated, with a leading and trailing space */
} RegionTable;

static const RegionTable us_regions[] = {
  { "us-northeast",         " CT ME MA NH RI VT NJ NY PA " },
  { "us-southeast",         " DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA " },
  { "us-midwest",           " IL IN MI OH WI IA KS MN MO NE ND SD " },
  { "us-southwest",         " AZ NM OK TX " },
  { "us-mountain",          " CO MT UT WY NV " },
  { "us-pacific-northwest", " WA OR ID " },
  { "us-california",        " CA " },
  { "us-noncontiguous",     " AK HI PR GU VI AS MP AA AE AP " },
};

static const RegionTable world_regions[] = {
  { "canada",        " CA " },
  { "uk",            " GB IM JE GG " },
  { "europe",        " AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK "
                     "SI ES SE CH NO IS LI MC AD SM " },
  { "oceania",       " AU NZ " },
  { "asia",          " JP KR CN HK TW SG MY TH VN PH ID IN IL AE SA " },
  { "latin-america", " MX BR AR CL CO PE UY EC CR PA " },
};

static const char * const all_regions[] = {
  "us-northeast", "us-southeast", "us-midwest", "us-southwest", "us-mountain",
  "us-pacific-northwest", "us-california", "us-noncontiguous", "us-other",
  "canada", "uk", "europe", "oceania", "asia", "latin-america", "other", NULL
};

static const char *
lookup (const RegionTable *table,
        gsize              n,
        const char        *code)
{
  char key[8];

  if (code == NULL || strlen (code) != 2)
    return NULL;
  key[0] = ' ';
  key[1] = g_ascii_toupper (code[0]);
  key[2] = g_ascii_toupper (code[1]);
  key[3] = ' ';
  key[4] = '\0';
  for (gsize i = 0; i < n; i++)
    if (strstr (table[i].members, key) != NULL)
      return table[i].region;
  return NULL;
}

/**
 * ps_region_for_address:
 * @country: (nullable): ISO 3166-1 alpha-2 country code
 * @state: (nullable): for the US, the USPS state code
 *
 * Returns: (transfer none): the stable region code, "other" when unknown.
 */
const char *
ps_region_for_address (const char *country,
                       const char *state)
{
  const char *region;

  if (country != NULL && g_ascii_strcasecmp (country, "US") == 0)
    {
      region = lookup (us_regions, G_N_ELEMENTS (us_regions), state);
      return region ? region : "us-other";
    }

  region = lookup (world_regions, G_N_ELEMENTS (world_regions), country);
  return region ? region : "other";
}

/**
 * ps_region_list:
 *
 * Returns: (transfer none): every region code, %NULL-terminated.
 */
const char * const *
ps_region_list (void)
{
  return all_regions;
}
