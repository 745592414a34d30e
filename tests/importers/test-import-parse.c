/* test-import-parse.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Values are the quirks listed in reference/formats-and-carriers.md §1 and
 * §6. Expected Unix times were computed independently (Python's zoneinfo
 * with the system tzdata), not with the code under test.
 */

#define G_LOG_DOMAIN "test-import-parse"

#include "config.h"

#include <string.h>

#include "ps-import-parse.h"

#define S(s) ((s) != NULL ? (s) : "(null)")

/* Money */

typedef struct
{
  const char *text;
  const char *currency;
  gboolean    ok;
  gint64      minor;
  const char *detected;   /* "" when the text names no currency */
} MoneyCase;

typedef struct
{
  const MoneyCase *cases;
  gsize            n_cases;
} MoneyTable;

#define MONEY_TABLE(name) { name, G_N_ELEMENTS (name) }

static const MoneyCase money_us[] = {
  { "$1,110.03", "USD", TRUE, 111003, "USD" },
  { "$1,110.03", NULL, TRUE, 111003, "USD" },
  { "1,110.03", "USD", TRUE, 111003, "" },
  { "$ 1,110.03", "USD", TRUE, 111003, "USD" },
  { "1659.95", "USD", TRUE, 165995, "" },
  { "12.5", "USD", TRUE, 1250, "" },
  { "12.50", "USD", TRUE, 1250, "" },
  { "0.99", "USD", TRUE, 99, "" },
  { ".5", "USD", TRUE, 50, "" },
  { "1,000,000", "USD", TRUE, 100000000, "" },
  { "1,000,000.50", "USD", TRUE, 100000050, "" },
  { "$12", "USD", TRUE, 1200, "USD" },
  { "US$12.00", NULL, TRUE, 1200, "USD" },
  { "  12.50  ", "USD", TRUE, 1250, "" },
  { "0", "USD", TRUE, 0, "" },
  { "0.00", "USD", TRUE, 0, "" },
  { "12.5000", "USD", TRUE, 1250, "" },
  { "1.2300", "USD", TRUE, 123, "" },
};

static const MoneyCase money_eu[] = {
  { "1.110,03 \xe2\x82\xac", "EUR", TRUE, 111003, "EUR" },
  { "1.110,03 \xe2\x82\xac", NULL, TRUE, 111003, "EUR" },
  { "\xe2\x82\xac" "1.110,03", NULL, TRUE, 111003, "EUR" },
  { "1.110,03\xe2\x82\xac", NULL, TRUE, 111003, "EUR" },
  { "12,00", "EUR", TRUE, 1200, "" },
  { "1,5", "EUR", TRUE, 150, "" },
  { "1,0000", "EUR", TRUE, 100, "" },
  { "0,99", "EUR", TRUE, 99, "" },
  { "1.000.000", "EUR", TRUE, 100000000, "" },
  { "1.000.000,50", "EUR", TRUE, 100000050, "" },
  { "EUR12,50", NULL, TRUE, 1250, "EUR" },
  { "EUR 12,50", NULL, TRUE, 1250, "EUR" },
  { "12,50 EUR", NULL, TRUE, 1250, "EUR" },
  /* Blanks of every kind group thousands. */
  { "1 110,03 \xe2\x82\xac", NULL, TRUE, 111003, "EUR" },
  { "1\xc2\xa0" "110,03\xc2\xa0\xe2\x82\xac", NULL, TRUE, 111003, "EUR" },        /* NBSP */
  { "1\xe2\x80\xaf" "110,03 \xe2\x82\xac", NULL, TRUE, 111003, "EUR" },           /* narrow NBSP */
  { "1\xe2\x80\x89" "110,03 \xe2\x82\xac", NULL, TRUE, 111003, "EUR" },           /* thin space */
  { "1 000 000", "EUR", TRUE, 100000000, "" },
  /* Swiss apostrophes */
  { "1'110.03 CHF", NULL, TRUE, 111003, "CHF" },
  { "CHF 1\xe2\x80\x99" "110.03", NULL, TRUE, 111003, "CHF" },
  { "Fr. 12.50", NULL, TRUE, 1250, "CHF" },
};

static const MoneyCase money_symbols[] = {
  { "\xc2\xa5" "1,200", NULL, TRUE, 1200, "JPY" },                  /* ¥1,200 */
  { "\xc2\xa5" "1,200", "JPY", TRUE, 1200, "JPY" },
  { "\xc2\xa5" "1,200", "CNY", TRUE, 120000, "CNY" },
  { "\xef\xbf\xa5" "1200", NULL, TRUE, 1200, "JPY" },                /* fullwidth ¥ */
  { "1200\xe5\x86\x86", NULL, TRUE, 1200, "JPY" },                   /* 円 */
  { "\xc2\xa5" "1200.00", "JPY", TRUE, 1200, "JPY" },
  { "\xc2\xa3" "1,234.56", NULL, TRUE, 123456, "GBP" },             /* £ */
  { "\xc2\xac\xc2\xa3" "12.34", NULL, TRUE, 1234, "GBP" },          /* eBay's mojibake */
  { "\xc3\x82\xc2\xa3" "12.34", NULL, TRUE, 1234, "GBP" },
  { "\xc3\xa2\xe2\x80\x9a\xc2\xac" "12,34", NULL, TRUE, 1234, "EUR" },
  { "C$12.00", NULL, TRUE, 1200, "CAD" },
  { "CA$12", NULL, TRUE, 1200, "CAD" },
  { "A$12.95", NULL, TRUE, 1295, "AUD" },
  { "AU$12.95", NULL, TRUE, 1295, "AUD" },
  { "NZ$5", NULL, TRUE, 500, "NZD" },
  { "HK$88.80", NULL, TRUE, 8880, "HKD" },
  { "S$10", NULL, TRUE, 1000, "SGD" },
  { "MX$250.00", NULL, TRUE, 25000, "MXN" },
  { "R$ 1.234,56", NULL, TRUE, 123456, "BRL" },
  /* "$" is whichever dollar the file is in. */
  { "$12.00", "CAD", TRUE, 1200, "CAD" },
  { "$12.00", "AUD", TRUE, 1200, "AUD" },
  { "$12.00", "EUR", TRUE, 1200, "USD" },
  { "\xe2\x82\xb9" "1,23,456.00", NULL, TRUE, 12345600, "INR" },    /* ₹, Indian grouping */
  { "12,34 z\xc5\x82", NULL, TRUE, 1234, "PLN" },
  { "1 234,50 K\xc4\x8d", NULL, TRUE, 123450, "CZK" },
  { "\xe2\x82\xa9" "15,000", NULL, TRUE, 15000, "KRW" },
  { "kr 100,00", "SEK", TRUE, 10000, "SEK" },
  { "99,00 kr.", "DKK", TRUE, 9900, "DKK" },
  { "100 kr", "EUR", TRUE, 10000, "" },
  { "1.500 Ft", NULL, TRUE, 150000, "HUF" },
  { "USD 12.50", NULL, TRUE, 1250, "USD" },
  { "12.50 USD", NULL, TRUE, 1250, "USD" },
  { "12.50USD", NULL, TRUE, 1250, "USD" },
  /* The text names another currency: minor units are still the file's. */
  { "EUR 12,50", "USD", TRUE, 1250, "EUR" },
};

static const MoneyCase money_negative[] = {
  { "(3.50)", "USD", TRUE, -350, "" },
  { "(3.00)", "USD", TRUE, -300, "" },
  { "-3.00", "USD", TRUE, -300, "" },
  { "-$3.50", "USD", TRUE, -350, "USD" },
  { "$-3.50", "USD", TRUE, -350, "USD" },
  { "$ -3.50", "USD", TRUE, -350, "USD" },
  { "($3.50)", "USD", TRUE, -350, "USD" },
  { "$(3.50)", "USD", TRUE, -350, "USD" },
  { "( 3.50 )", "USD", TRUE, -350, "" },
  { "(3,50 \xe2\x82\xac)", NULL, TRUE, -350, "EUR" },
  { "(1.110,03) \xe2\x82\xac", NULL, TRUE, -111003, "EUR" },
  { "3.50-", "USD", TRUE, -350, "" },
  { "\xe2\x88\x92" "3.50", "USD", TRUE, -350, "" },                 /* U+2212 */
  { "-1.110,03 \xe2\x82\xac", NULL, TRUE, -111003, "EUR" },
  { "+3.50", "USD", TRUE, 350, "" },
  { "-0.00", "USD", TRUE, 0, "" },
};

/* Rule 5 of ps-import-parse.c: three digits after one separator. */
static const MoneyCase money_ambiguous[] = {
  { "12.500", "EUR", TRUE, 1250000, "" },
  { "12.500", "USD", TRUE, 1250000, "" },
  { "1,200", "USD", TRUE, 120000, "" },
  { "1,200", "JPY", TRUE, 1200, "" },
  { "12.500", "JPY", TRUE, 12500, "" },
  { "12.500", "KWD", TRUE, 12500, "" },
  { "12.500 KWD", NULL, TRUE, 12500, "KWD" },
  { "BHD 1.250", NULL, TRUE, 1250, "BHD" },
  { "0.500", "USD", TRUE, 50, "" },
  { ".500", "USD", TRUE, 50, "" },
  { "1234.500", "USD", TRUE, 123450, "" },
  { "999,999", "USD", TRUE, 99999900, "" },
  /* The other style present makes it unambiguous. */
  { "12.500,00", "USD", TRUE, 1250000, "" },
  { "12,500.00", "EUR", TRUE, 1250000, "" },
  { "1 200,500", "KWD", TRUE, 1200500, "" },
};

static const MoneyCase money_invalid[] = {
  { "", "USD", FALSE, 0, "" },
  { "   ", "USD", FALSE, 0, "" },
  { "$", "USD", FALSE, 0, "" },
  { "-", "USD", FALSE, 0, "" },
  { "abc", "USD", FALSE, 0, "" },
  { "twelve", "USD", FALSE, 0, "" },
  { "12abc", "USD", FALSE, 0, "" },
  { "1,2,3", "USD", FALSE, 0, "" },
  { "1.2.3,4,5", "EUR", FALSE, 0, "" },
  { "1,000.000.00", "USD", FALSE, 0, "" },
  { "1,,000", "USD", FALSE, 0, "" },
  { "12.", "USD", FALSE, 0, "" },
  { "12,-", "EUR", FALSE, 0, "" },
  { "1,0001", "USD", FALSE, 0, "" },
  { "12 34", "USD", FALSE, 0, "" },
  { "0,500.00", "USD", FALSE, 0, "" },
  { "((3.50))", "USD", FALSE, 0, "" },
  { "(3.50", "USD", FALSE, 0, "" },
  { "3.50)", "USD", FALSE, 0, "" },
  { "--3", "USD", FALSE, 0, "" },
  { "-(3.50)", "USD", FALSE, 0, "" },
  { "(3.50)-", "USD", FALSE, 0, "" },
  { "$$12", "USD", FALSE, 0, "" },
  { "$12 \xe2\x82\xac", "USD", FALSE, 0, "" },
  { "1e3", "USD", FALSE, 0, "" },
  { "0x10", "USD", FALSE, 0, "" },
  { "1.2345", "USD", FALSE, 0, "" },
  { "0,125", "USD", FALSE, 0, "" },
  { "1234.567", "USD", FALSE, 0, "" },
  { "\xc2\xa5" "1200.50", "JPY", FALSE, 0, "" },
  { "1,5", "JPY", FALSE, 0, "" },
  { "99999999999999999999", "USD", FALSE, 0, "" },
  { "9999999999999999999", "USD", FALSE, 0, "" },
  { "\xd9\xa1\xd9\xa2", "USD", FALSE, 0, "" },                       /* Arabic-Indic digits */
  { "12 50 USD EUR", "USD", FALSE, 0, "" },
  { "1 2", "USD", FALSE, 0, "" },
};

static void
test_money (gconstpointer data)
{
  const MoneyTable *table = data;
  gsize i;

  for (i = 0; i < table->n_cases; i++)
    {
      const MoneyCase *c = &table->cases[i];
      gint64 minor = G_MININT64;
      char detected[4] = "XXX";
      gboolean ok;

      g_test_message ("%s (%s)", c->text, c->currency ? c->currency : "no currency");
      ok = ps_parse_money (c->text, c->currency, &minor, detected);
      g_assert_cmpint (ok, ==, c->ok);
      if (!ok)
        continue;
      g_assert_cmpint (minor, ==, c->minor);
      g_assert_cmpstr (detected, ==, c->detected);

      /* detected_currency is optional. */
      minor = G_MININT64;
      g_assert_true (ps_parse_money (c->text, c->currency, &minor, NULL));
      g_assert_cmpint (minor, ==, c->minor);
    }
}

static void
test_money_null (void)
{
  gint64 minor = 7;
  char detected[4] = "XXX";

  g_assert_false (ps_parse_money (NULL, "USD", &minor, detected));
  g_assert_cmpint (minor, ==, 7);
  g_assert_cmpstr (detected, ==, "");
}

/* Dates */

typedef struct
{
  const char *text;
  const char *tz;        /* identifier, or NULL for UTC */
  gboolean    ok;
  gint64      unix_utc;
} DateCase;

typedef struct
{
  const DateCase *cases;
  gsize           n_cases;
} DateTable;

#define DATE_TABLE(name) { name, G_N_ELEMENTS (name) }

#define NY "America/New_York"
#define LA "America/Los_Angeles"
#define BERLIN "Europe/Berlin"
#define SYDNEY "Australia/Sydney"

/* 2024-03-05T14:07:12Z */
#define T_0305 G_GINT64_CONSTANT (1709647632)

static const DateCase dates_iso[] = {
  { "2024-03-05T14:07:12Z", NULL, TRUE, T_0305 },
  { "2024-03-05T14:07:12z", NULL, TRUE, T_0305 },
  { "2024-03-05T14:07:12", NULL, TRUE, T_0305 },
  { "2024-03-05 14:07:12", NULL, TRUE, T_0305 },
  { "2024-03-05T14:07:12.123Z", NULL, TRUE, T_0305 },
  { "2024-03-05T14:07:12,5Z", NULL, TRUE, T_0305 },
  { "2024-03-05T19:37:12.123456+05:30", NULL, TRUE, T_0305 },
  { "2024-03-05T19:37:12+0530", NULL, TRUE, T_0305 },
  { "2024-03-05T16:07:12+02", NULL, TRUE, T_0305 },
  { "2024-03-05", NULL, TRUE, 1709596800 },
  { "2024-03-05", NY, TRUE, 1709614800 },
  { "2024/03/05", NULL, TRUE, 1709596800 },
  { "2024-3-5", NULL, TRUE, 1709596800 },
  { "2024-03-05 14:07", NY, TRUE, 1709665620 },
  { "  2024-03-05T14:07:12Z  ", NULL, TRUE, T_0305 },
  { "2024-02-29", NULL, TRUE, 1709164800 },
  { "1969-12-31T23:59:59Z", NULL, TRUE, -1 },
  { "1970-01-01T00:00:00Z", NULL, TRUE, 0 },
};

/* One per channel of §1. */
static const DateCase dates_channels[] = {
  /* Shopify: local time with a numeric offset */
  { "2025-05-11 09:55:16 -0400", NULL, TRUE, 1746971716 },
  { "2025-05-11 09:55:16 -0400", LA, TRUE, 1746971716 },
  { "2024-03-05 09:07:12 -0500", NULL, TRUE, T_0305 },
  { "2024-03-05 09:07:12 -05:00", NULL, TRUE, T_0305 },
  /* Amazon: ISO 8601 with offset */
  { "2009-01-01T10:50:49-08:00", NULL, TRUE, 1230835849 },
  { "2024-03-05T14:07:12+00:00", NY, TRUE, T_0305 },
  /* WooCommerce (SkyVerge legacy) */
  { "5/31/2016 0:37", NY, TRUE, 1464669420 },
  { "5/31/2016", NULL, TRUE, 1464652800 },
  /* Etsy: MM/DD/YY */
  { "09/03/26", NULL, TRUE, 1788393600 },
  { "03/05/24", NULL, TRUE, 1709596800 },
  { "12/31/99", NULL, TRUE, 946598400 },
  /* ShipStation-style date-time with seconds and AM/PM */
  { "3/5/2024 2:07:12 PM", NY, TRUE, 1709665632 },
  { "3/5/2024 2:07:12 pm", NY, TRUE, 1709665632 },
  { "3/5/2024 2:07:12 p.m.", NY, TRUE, 1709665632 },
  { "03/05/2024 12:30 PM", NULL, TRUE, 1709641800 },
  { "03/05/2024 12:00 AM", NULL, TRUE, 1709596800 },
  /* eBay */
  { "Jul-25-26", NULL, TRUE, 1784937600 },
  { "Mar-05-24 14:07:12 PST", NULL, TRUE, 1709676432 },
  { "Mar-05-24 14:07:12 PST", NY, TRUE, 1709676432 },
  { "Mar-05-24 14:07:12 PDT", NULL, TRUE, 1709672832 },
  { "Mar-05-24 14:07:12", LA, TRUE, 1709676432 },
  { "Mar 5, 2024", NULL, TRUE, 1709596800 },
  { "Mar 05, 2024 14:07:12 GMT", NULL, TRUE, T_0305 },
  /* Spelled-out months and e-mail style */
  { "March 5, 2024", NULL, TRUE, 1709596800 },
  { "March 5th, 2024", NULL, TRUE, 1709596800 },
  { "Mar. 5, 2024", NULL, TRUE, 1709596800 },
  { "march 5 2024", NULL, TRUE, 1709596800 },
  { "March 5, 2024 9:07 AM EST", NULL, TRUE, 1709647620 },
  { "March 5, 2024, 9:07 AM EST", NULL, TRUE, 1709647620 },
  { "Sept 9, 2024", NULL, TRUE, 1725840000 },
  { "September 9, 2024", NULL, TRUE, 1725840000 },
  { "Tue, 05 Mar 2024 14:07:12 +0000", NULL, TRUE, T_0305 },
  { "Tuesday, March 5, 2024", NULL, TRUE, 1709596800 },
  { "5 Mar 2024", NULL, TRUE, 1709596800 },
  { "05 March 2024 14:07:12", NULL, TRUE, T_0305 },
  { "05-Mar-2024", NULL, TRUE, 1709596800 },
  { "5-Mar-24", NULL, TRUE, 1709596800 },
  /* Day-first where it cannot be month-first, and dotted dates */
  { "31/05/2016", NULL, TRUE, 1464652800 },
  { "31.05.2016", NULL, TRUE, 1464652800 },
  { "05.03.2024 14:07:12", NULL, TRUE, T_0305 },
};

/* 2024-07-01 12:00 in each zone. */
#define T_0701 G_GINT64_CONSTANT (1719835200)

static const DateCase dates_zones[] = {
  { "2024-07-01 12:00 UTC", NY, TRUE, T_0701 },
  { "2024-07-01 12:00 GMT", NY, TRUE, T_0701 },
  { "2024-07-01 12:00 Z", NY, TRUE, T_0701 },
  { "2024-07-01 12:00 BST", NULL, TRUE, T_0701 - 3600 },
  { "2024-07-01 12:00 CET", NULL, TRUE, T_0701 - 3600 },
  { "2024-07-01 12:00 CEST", NULL, TRUE, T_0701 - 7200 },
  { "2024-07-01 12:00 EST", NULL, TRUE, T_0701 + 5 * 3600 },
  { "2024-07-01 12:00 EDT", NULL, TRUE, T_0701 + 4 * 3600 },
  { "2024-07-01 12:00 CST", NULL, TRUE, T_0701 + 6 * 3600 },
  { "2024-07-01 12:00 CDT", NULL, TRUE, T_0701 + 5 * 3600 },
  { "2024-07-01 12:00 MST", NULL, TRUE, T_0701 + 7 * 3600 },
  { "2024-07-01 12:00 MDT", NULL, TRUE, T_0701 + 6 * 3600 },
  { "2024-07-01 12:00 PST", NULL, TRUE, T_0701 + 8 * 3600 },
  { "2024-07-01 12:00 PDT", NULL, TRUE, T_0701 + 7 * 3600 },
  { "2024-07-01 12:00 pdt", NULL, TRUE, T_0701 + 7 * 3600 },
  { "2024-07-01 12:00 AKDT", NULL, TRUE, T_0701 + 8 * 3600 },
  { "2024-07-01 12:00 HST", NULL, TRUE, T_0701 + 10 * 3600 },
  { "2024-07-01 12:00 JST", NULL, TRUE, T_0701 - 9 * 3600 },
  { "2024-07-01 12:00 AEST", NULL, TRUE, T_0701 - 10 * 3600 },
  { "2024-07-01 12:00 NZST", NULL, TRUE, T_0701 - 12 * 3600 },
  { "2024-07-01 12:00 GMT+2", NULL, TRUE, T_0701 - 2 * 3600 },
  { "2024-07-01 12:00 UTC-05:00", NULL, TRUE, T_0701 + 5 * 3600 },
  { "2024-07-01 12:00 GMT-0800", NULL, TRUE, T_0701 + 8 * 3600 },
  { "2024-07-01T12:00-03:30", NULL, TRUE, T_0701 + 3 * 3600 + 1800 },
  { "2024-07-01 12:00", LA, TRUE, 1719860400 },
  { "2024-07-01 12:00", "Europe/London", TRUE, 1719831600 },
  /* An explicit zone wins over the default one. */
  { "2024-07-01 12:00 +0000", LA, TRUE, T_0701 },
};

/* Across daylight saving time changes, times without a zone. */
static const DateCase dates_dst[] = {
  /* New York springs forward 2024-03-10 02:00 EST -> 03:00 EDT */
  { "2024-03-10 01:59:59", NY, TRUE, 1710053999 },
  { "2024-03-10 03:00:00", NY, TRUE, 1710054000 },
  { "3/10/2024 3:00 AM", NY, TRUE, 1710054000 },
  /* 02:30 does not exist: moved to the first valid time, 03:00 EDT */
  { "2024-03-10 02:30", NY, TRUE, 1710054000 },
  /* New York falls back 2024-11-03 02:00 EDT -> 01:00 EST */
  { "2024-11-03 00:59", NY, TRUE, 1730609940 },
  /* 01:30 happens twice: standard time, as GDateTime reads it */
  { "2024-11-03 01:30", NY, TRUE, 1730615400 },
  { "2024-11-03 02:00", NY, TRUE, 1730617200 },
  /* Berlin springs forward 2024-03-31 02:00 CET -> 03:00 CEST */
  { "31.03.2024 01:30", BERLIN, TRUE, 1711845000 },
  { "31.03.2024 03:30", BERLIN, TRUE, 1711848600 },
  /* and falls back 2024-10-27 03:00 CEST -> 02:00 CET */
  { "2024-10-27 02:30", BERLIN, TRUE, 1729992600 },
  /* Sydney, southern hemisphere: AEDT ends 2024-04-07 03:00 -> 02:00 */
  { "2024-04-07 01:00", SYDNEY, TRUE, 1712412000 },
  { "2024-04-07 02:30", SYDNEY, TRUE, 1712421000 },
  /* Offsets in the text are never adjusted. */
  { "2024-03-10 02:30 -0500", NY, TRUE, 1710055800 },
  { "2024-11-03 01:30 -0400", NY, TRUE, 1730611800 },
};

static const DateCase dates_invalid[] = {
  { "", NULL, FALSE, 0 },
  { "   ", NULL, FALSE, 0 },
  { "yesterday", NULL, FALSE, 0 },
  { "2024-13-01", NULL, FALSE, 0 },
  { "2024-00-10", NULL, FALSE, 0 },
  { "2024-02-30", NULL, FALSE, 0 },
  { "2023-02-29", NULL, FALSE, 0 },
  { "2024-03-00", NULL, FALSE, 0 },
  { "32/01/2024", NULL, FALSE, 0 },
  { "13/13/2024", NULL, FALSE, 0 },
  { "3/5/202", NULL, FALSE, 0 },
  { "3/5/20245", NULL, FALSE, 0 },
  { "3/5-2024", NULL, FALSE, 0 },
  { "2024-03-05 24:00", NULL, FALSE, 0 },
  { "2024-03-05 14:60", NULL, FALSE, 0 },
  { "2024-03-05 14:07:60", NULL, FALSE, 0 },
  { "2024-03-05 14", NULL, FALSE, 0 },
  { "2024-03-05 14:7", NULL, FALSE, 0 },
  { "2024-03-05T", NULL, FALSE, 0 },
  { "2024-03-05 14:07:12 XYZ", NULL, FALSE, 0 },
  { "2024-03-05 14:07:12 IST", NULL, FALSE, 0 },
  { "2024-03-05 14:07:12 +2500", NULL, FALSE, 0 },
  { "2024-03-05 14:07:12 +5", NULL, FALSE, 0 },
  { "2024-03-05 14:07:12 garbage", NULL, FALSE, 0 },
  { "3/5/2024 13:00 PM", NULL, FALSE, 0 },
  { "3/5/2024 0:30 AM", NULL, FALSE, 0 },
  { "Foo-05-24", NULL, FALSE, 0 },
  { "Mar-05", NULL, FALSE, 0 },
  { "Mar-32-24", NULL, FALSE, 0 },
  { "Feb 30, 2024", NULL, FALSE, 0 },
  { "Marc 5, 2024", NULL, FALSE, 0 },
  { "1709647632", NULL, FALSE, 0 },
  { "20240305", NULL, FALSE, 0 },
  { "2024-3-5x", NULL, FALSE, 0 },
  { "14:07:12", NULL, FALSE, 0 },
};

static void
test_datetime (gconstpointer data)
{
  const DateTable *table = data;
  gsize i;

  for (i = 0; i < table->n_cases; i++)
    {
      const DateCase *c = &table->cases[i];
      g_autoptr(GTimeZone) tz = NULL;
      gint64 t = G_MININT64;
      gboolean ok;

      g_test_message ("%s (%s)", c->text, c->tz ? c->tz : "UTC");
      if (c->tz != NULL)
        {
          tz = g_time_zone_new_identifier (c->tz);
          g_assert_nonnull (tz);
        }
      ok = ps_parse_datetime (c->text, tz, &t);
      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        g_assert_cmpint (t, ==, c->unix_utc);
    }
}

/* The same instant written by every channel comes out the same. */
static void
test_datetime_agree (void)
{
  static const char * const texts[] = {
    "2024-03-05T14:07:12Z",
    "2024-03-05 09:07:12 -0500",
    "2024-03-05T06:07:12-08:00",
    "Mar-05-24 06:07:12 PST",
    "Mar 5, 2024 9:07:12 AM EST",
    "Tue, 05 Mar 2024 14:07:12 GMT",
    "3/5/2024 3:07:12 PM CET",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      gint64 t = 0;

      g_assert_true (ps_parse_datetime (texts[i], NULL, &t));
      g_assert_cmpint (t, ==, T_0305);
    }
}

/* Quantities */

static void
test_quantity (void)
{
  static const struct
  {
    const char *text;
    gboolean    ok;
    int         quantity;
  } cases[] = {
    { "2", TRUE, 2 },
    { "1", TRUE, 1 },
    { "2.0", TRUE, 2 },
    { "2.00", TRUE, 2 },
    { "2,0", TRUE, 2 },
    { "2,00", TRUE, 2 },
    { " 3 ", TRUE, 3 },
    { "+4", TRUE, 4 },
    { "02", TRUE, 2 },
    { "1000000", TRUE, 1000000 },
    { "1000001", FALSE, 0 },
    { "99999999999", FALSE, 0 },
    { "0", FALSE, 0 },
    { "0.0", FALSE, 0 },
    { "-1", FALSE, 0 },
    { "-2.0", FALSE, 0 },
    { "two", FALSE, 0 },
    { "2.5", FALSE, 0 },
    { "2.01", FALSE, 0 },
    { "1,000", FALSE, 0 },
    { "1.000", FALSE, 0 },
    { "2.", FALSE, 0 },
    { "", FALSE, 0 },
    { " ", FALSE, 0 },
    { "2 pcs", FALSE, 0 },
    { "x2", FALSE, 0 },
    { "1e3", FALSE, 0 },
    { "2 2", FALSE, 0 },
    { NULL, FALSE, 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int quantity = -1;
      gboolean ok;

      g_test_message ("“%s”", S (cases[i].text));
      ok = ps_parse_quantity (cases[i].text, &quantity);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (quantity, ==, cases[i].quantity);
      else
        g_assert_cmpint (quantity, ==, -1);
    }
}

/* Weights */

static void
test_weight (void)
{
  static const struct
  {
    const char *text;
    const char *default_unit;
    gboolean    ok;
    int         grams;
  } cases[] = {
    { "2.5 lb", NULL, TRUE, 1134 },          /* 1133.98 */
    { "1.2kg", NULL, TRUE, 1200 },
    { "340 g", NULL, TRUE, 340 },
    { "12 oz", NULL, TRUE, 340 },            /* 340.19 */
    { "1 lb", "g", TRUE, 454 },
    { "16 oz", NULL, TRUE, 454 },
    { "1 oz", NULL, TRUE, 28 },
    { "1 lb 4 oz", NULL, TRUE, 567 },
    { "1lb 4oz", NULL, TRUE, 567 },
    { "2 lbs 8.5 oz", NULL, TRUE, 1148 },
    { "1,5 kg", NULL, TRUE, 1500 },
    { "0,25 kg", NULL, TRUE, 250 },
    { "1,500 g", NULL, TRUE, 1500 },
    { "1.500 g", NULL, TRUE, 1500 },
    { "1.500", "g", TRUE, 1500 },
    { "0.500 kg", NULL, TRUE, 500 },
    { "1.234 kg", NULL, TRUE, 1234 },
    { "2 Pounds", NULL, TRUE, 907 },
    { "3 LBS", NULL, TRUE, 1361 },
    { "3 lbs.", NULL, TRUE, 1361 },
    { "16 ounces", NULL, TRUE, 454 },
    { "12 oz.", NULL, TRUE, 340 },
    { "500 grams", NULL, TRUE, 500 },
    { "500 gr", NULL, TRUE, 500 },
    { "1.2 kgs", NULL, TRUE, 1200 },
    { "2 kilograms", NULL, TRUE, 2000 },
    { "100", NULL, TRUE, 100 },
    { "100", "g", TRUE, 100 },
    { "100", "kg", TRUE, 100000 },
    { "2.5", "lb", TRUE, 1134 },
    { "0.25", "oz", TRUE, 7 },
    { "  7.1  ", "oz", TRUE, 201 },
    { "100 g", "lb", TRUE, 100 },
    { "0", NULL, TRUE, 0 },
    { "0.0 lb", NULL, TRUE, 0 },
    { "0.4 g", NULL, TRUE, 0 },
    { "0.5 g", NULL, TRUE, 1 },
    { "2000000 kg", NULL, TRUE, 2000000000 },
    { "3000000 kg", NULL, FALSE, 0 },
    { "99999999999 kg", NULL, FALSE, 0 },
    { "-1 kg", NULL, FALSE, 0 },
    { "abc", NULL, FALSE, 0 },
    { "kg", NULL, FALSE, 0 },
    { "", NULL, FALSE, 0 },
    { "12 stone", NULL, FALSE, 0 },
    { "1 kg 4 oz", NULL, FALSE, 0 },
    { "1 lb 4 lb", NULL, FALSE, 0 },
    { "1 lb 4", NULL, FALSE, 0 },
    { "1.2.3 kg", NULL, FALSE, 0 },
    { "1,2,3 kg", NULL, FALSE, 0 },
    { "1 kg extra", NULL, FALSE, 0 },
    { NULL, NULL, FALSE, 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int grams = -1;
      gboolean ok;

      g_test_message ("“%s” in %s", S (cases[i].text), S (cases[i].default_unit));
      ok = ps_parse_weight (cases[i].text, cases[i].default_unit, &grams);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        g_assert_cmpint (grams, ==, cases[i].grams);
    }
}

/* Countries */

typedef struct
{
  const char *text;
  const char *code;   /* NULL: unknown */
} NameCase;

static const NameCase country_aliases[] = {
  /* The header's examples */
  { "United States", "US" }, { "USA", "US" }, { "U.S.", "US" }, { "us", "US" },
  { "Deutschland", "DE" }, { "UK", "GB" },
  /* English variants */
  { "U.S.A.", "US" }, { "United States of America", "US" }, { "America", "US" },
  { "united states", "US" }, { "UNITED STATES", "US" }, { "  United  States  ", "US" },
  { "United Kingdom", "GB" }, { "U.K.", "GB" }, { "Great Britain", "GB" }, { "Britain", "GB" },
  { "England", "GB" }, { "Scotland", "GB" }, { "Wales", "GB" }, { "Northern Ireland", "GB" },
  { "GBR", "GB" }, { "gb", "GB" },
  { "Germany", "DE" }, { "DEU", "DE" },
  { "The Netherlands", "NL" }, { "Netherlands", "NL" }, { "Holland", "NL" },
  { "The Bahamas", "BS" }, { "Gambia", "GM" }, { "the gambia", "GM" },
  { "Czech Republic", "CZ" }, { "Czechia", "CZ" },
  { "Ivory Coast", "CI" }, { "Côte d'Ivoire", "CI" }, { "Cote d\xe2\x80\x99Ivoire", "CI" },
  { "cote divoire", "CI" },
  { "South Korea", "KR" }, { "Korea, Republic of", "KR" }, { "Korea", "KR" },
  { "North Korea", "KP" },
  { "Russia", "RU" }, { "Russian Federation", "RU" },
  { "Vietnam", "VN" }, { "Viet Nam", "VN" },
  { "Turkey", "TR" }, { "Türkiye", "TR" }, { "Turkiye", "TR" },
  { "Burma", "MM" }, { "Swaziland", "SZ" }, { "Eswatini", "SZ" },
  { "Macedonia", "MK" }, { "North Macedonia", "MK" },
  { "Cape Verde", "CV" }, { "East Timor", "TL" },
  { "Congo", "CG" }, { "DR Congo", "CD" }, { "Congo, The Democratic Republic of the", "CD" },
  { "UAE", "AE" }, { "U.A.E.", "AE" },
  { "Vatican City", "VA" }, { "Holy See", "VA" },
  { "Iran, Islamic Republic of", "IR" }, { "Tanzania, United Republic of", "TZ" },
  { "Bolivia, Plurinational State of", "BO" }, { "Venezuela, Bolivarian Republic of", "VE" },
  { "Taiwan, Province of China", "TW" }, { "Lao People's Democratic Republic", "LA" },
  { "Virgin Islands, British", "VG" }, { "Virgin Islands, U.S.", "VI" },
  { "St. Kitts and Nevis", "KN" }, { "Saint Lucia", "LC" }, { "St Lucia", "LC" },
  { "Trinidad & Tobago", "TT" }, { "Bosnia & Herzegovina", "BA" },
  { "Hong Kong SAR China", "HK" }, { "Macau", "MO" }, { "Kosovo", "XK" },
  { "Curacao", "CW" }, { "Réunion", "RE" }, { "Reunion", "RE" }, { "Åland Islands", "AX" },
  { "Aland Islands", "AX" }, { "Republic of Ireland", "IE" },
  /* Native names */
  { "España", "ES" }, { "Espana", "ES" }, { "ESPAÑA", "ES" },
  { "Österreich", "AT" }, { "Osterreich", "AT" }, { "ÖSTERREICH", "AT" },
  { "Schweiz", "CH" }, { "Suisse", "CH" }, { "Svizzera", "CH" },
  { "Nederland", "NL" }, { "Italia", "IT" }, { "Sverige", "SE" }, { "Norge", "NO" },
  { "Danmark", "DK" }, { "Suomi", "FI" }, { "Polska", "PL" }, { "Éire", "IE" }, { "Eire", "IE" },
  { "Nippon", "JP" }, { "Nihon", "JP" }, { "日本", "JP" },
  { "Belgique", "BE" }, { "België", "BE" }, { "Brasil", "BR" }, { "México", "MX" },
  { "Česko", "CZ" }, { "Magyarország", "HU" }, { "Hrvatska", "HR" }, { "Ísland", "IS" },
  { "中国", "CN" }, { "대한민국", "KR" }, { "Россия", "RU" }, { "Ελλάδα", "GR" },
  { "Lëtzebuerg", "LU" }, { "Føroyar", "FO" },
  /* Alpha-3 */
  { "FRA", "FR" }, { "CHE", "CH" }, { "JPN", "JP" }, { "AUS", "AU" }, { "CAN", "CA" },
  { "NZL", "NZ" }, { "IRL", "IE" }, { "ESP", "ES" },
  /* Unknown */
  { "Atlantis", NULL }, { "", NULL }, { "   ", NULL }, { "...", NULL }, { "U", NULL },
  { "Europe", NULL }, { "Virgin Islands", NULL }, { "The", NULL }, { "XX", NULL },
  { "Ship\xe9 Country", NULL }, { NULL, NULL },
};

static void
test_country_aliases (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (country_aliases); i++)
    {
      const NameCase *c = &country_aliases[i];

      g_test_message ("“%s”", S (c->text));
      g_assert_cmpstr (ps_country_code (c->text), ==, c->code);
    }
}

/* Every code maps to itself in either case and from its name. */
static void
test_country_all (void)
{
  const char * const *codes = ps_country_list ();
  guint n;

  for (n = 0; codes[n] != NULL; n++)
    {
      const char *name = ps_country_name (codes[n]);
      char lower[3] = { g_ascii_tolower (codes[n][0]), g_ascii_tolower (codes[n][1]), '\0' };

      g_test_message ("%s", codes[n]);
      g_assert_cmpuint (strlen (codes[n]), ==, 2);
      if (n > 0)
        g_assert_cmpint (strcmp (codes[n - 1], codes[n]), <, 0);
      g_assert_nonnull (name);
      g_assert_cmpstr (ps_country_code (codes[n]), ==, codes[n]);
      g_assert_cmpstr (ps_country_code (lower), ==, codes[n]);
      g_assert_cmpstr (ps_country_code (name), ==, codes[n]);
      g_assert_cmpstr (ps_country_name (lower), ==, name);
    }

  /* The 249 of ISO 3166-1 plus XK */
  g_assert_cmpuint (n, ==, 250);
  g_assert_cmpstr (ps_country_name ("DE"), ==, "Germany");
  g_assert_null (ps_country_name ("XX"));
  g_assert_null (ps_country_name ("DEU"));
  g_assert_null (ps_country_name (NULL));
}

/* Regions */

typedef struct
{
  const char *country;
  const char *text;
  const char *code;
} RegionCase;

static const RegionCase regions_us[] = {
  { "US", "Alabama", "AL" }, { "US", "Alaska", "AK" }, { "US", "Arizona", "AZ" },
  { "US", "Arkansas", "AR" }, { "US", "California", "CA" }, { "US", "Colorado", "CO" },
  { "US", "Connecticut", "CT" }, { "US", "Delaware", "DE" }, { "US", "Florida", "FL" },
  { "US", "Georgia", "GA" }, { "US", "Hawaii", "HI" }, { "US", "Idaho", "ID" },
  { "US", "Illinois", "IL" }, { "US", "Indiana", "IN" }, { "US", "Iowa", "IA" },
  { "US", "Kansas", "KS" }, { "US", "Kentucky", "KY" }, { "US", "Louisiana", "LA" },
  { "US", "Maine", "ME" }, { "US", "Maryland", "MD" }, { "US", "Massachusetts", "MA" },
  { "US", "Michigan", "MI" }, { "US", "Minnesota", "MN" }, { "US", "Mississippi", "MS" },
  { "US", "Missouri", "MO" }, { "US", "Montana", "MT" }, { "US", "Nebraska", "NE" },
  { "US", "Nevada", "NV" }, { "US", "New Hampshire", "NH" }, { "US", "New Jersey", "NJ" },
  { "US", "New Mexico", "NM" }, { "US", "New York", "NY" }, { "US", "North Carolina", "NC" },
  { "US", "North Dakota", "ND" }, { "US", "Ohio", "OH" }, { "US", "Oklahoma", "OK" },
  { "US", "Oregon", "OR" }, { "US", "Pennsylvania", "PA" }, { "US", "Rhode Island", "RI" },
  { "US", "South Carolina", "SC" }, { "US", "South Dakota", "SD" }, { "US", "Tennessee", "TN" },
  { "US", "Texas", "TX" }, { "US", "Utah", "UT" }, { "US", "Vermont", "VT" },
  { "US", "Virginia", "VA" }, { "US", "Washington", "WA" }, { "US", "West Virginia", "WV" },
  { "US", "Wisconsin", "WI" }, { "US", "Wyoming", "WY" },
  { "US", "District of Columbia", "DC" }, { "US", "Washington, D.C.", "DC" },
  { "US", "D.C.", "DC" },
  /* Case and punctuation */
  { "US", "oregon", "OR" }, { "US", "OREGON", "OR" }, { "US", " Oregon ", "OR" },
  { "US", "new-york", "NY" }, { "US", "n.y.", "NY" }, { "US", "Calif.", "CA" },
  { "US", "Mass.", "MA" }, { "US", "W. Va.", "WV" }, { "US", "Hawaiʻi", "HI" },
};

static const RegionCase regions_us_other[] = {
  { "US", "American Samoa", "AS" }, { "US", "Guam", "GU" },
  { "US", "Northern Mariana Islands", "MP" }, { "US", "Puerto Rico", "PR" },
  { "US", "U.S. Virgin Islands", "VI" }, { "US", "Virgin Islands", "VI" },
  { "US", "Federated States of Micronesia", "FM" }, { "US", "Marshall Islands", "MH" },
  { "US", "Palau", "PW" },
  { "US", "Armed Forces Americas", "AA" }, { "US", "Armed Forces Europe", "AE" },
  { "US", "Armed Forces Middle East", "AE" }, { "US", "Armed Forces Pacific", "AP" },
  { "US", "aa", "AA" }, { "US", "ae", "AE" }, { "US", "ap", "AP" },
  { "US", "pr", "PR" }, { "US", "dc", "DC" }, { "US", "gu", "GU" },
};

static const RegionCase regions_ca[] = {
  { "CA", "Alberta", "AB" }, { "CA", "British Columbia", "BC" }, { "CA", "Manitoba", "MB" },
  { "CA", "New Brunswick", "NB" }, { "CA", "Newfoundland and Labrador", "NL" },
  { "CA", "Newfoundland & Labrador", "NL" }, { "CA", "Newfoundland", "NL" },
  { "CA", "Nova Scotia", "NS" }, { "CA", "Northwest Territories", "NT" },
  { "CA", "Nunavut", "NU" }, { "CA", "Ontario", "ON" }, { "CA", "Prince Edward Island", "PE" },
  { "CA", "Quebec", "QC" }, { "CA", "Québec", "QC" }, { "CA", "QUÉBEC", "QC" },
  { "CA", "Saskatchewan", "SK" }, { "CA", "Yukon", "YT" },
  /* French names and old abbreviations */
  { "CA", "Colombie-Britannique", "BC" }, { "CA", "Nouvelle-Écosse", "NS" },
  { "CA", "Nouveau-Brunswick", "NB" }, { "CA", "Terre-Neuve-et-Labrador", "NL" },
  { "CA", "Île-du-Prince-Édouard", "PE" }, { "CA", "Territoires du Nord-Ouest", "NT" },
  { "CA", "PQ", "QC" }, { "CA", "NF", "NL" }, { "CA", "PEI", "PE" },
  { "CA", "on", "ON" }, { "CA", "bc", "BC" }, { "CA", "nt", "NT" },
};

static const RegionCase regions_au[] = {
  { "AU", "Australian Capital Territory", "ACT" }, { "AU", "New South Wales", "NSW" },
  { "AU", "Northern Territory", "NT" }, { "AU", "Queensland", "QLD" },
  { "AU", "South Australia", "SA" }, { "AU", "Tasmania", "TAS" }, { "AU", "Victoria", "VIC" },
  { "AU", "Western Australia", "WA" },
  { "AU", "nsw", "NSW" }, { "AU", "Qld", "QLD" }, { "AU", "Vic", "VIC" }, { "AU", "Tas", "TAS" },
  { "AU", "act", "ACT" }, { "AU", "wa", "WA" }, { "AU", "N.S.W.", "NSW" },
};

static const RegionCase regions_other[] = {
  /* ISO 3166-2, as Shopify writes it */
  { "US", "US-OR", "OR" }, { "CA", "CA-ON", "ON" }, { "AU", "AU-NSW", "NSW" },
  { "CA", "ca-qc", "QC" },
  /* Country given by name */
  { "United States", "oregon", "OR" }, { "Canada", "Ontario", "ON" },
  { "Australia", "Victoria", "VIC" }, { "us", "Texas", "TX" },
  /* No country: the US, then Canada, then Australia */
  { NULL, "Oregon", "OR" }, { NULL, "Ontario", "ON" }, { NULL, "Queensland", "QLD" },
  { NULL, "WA", "WA" }, { "", "Nunavut", "NU" },
  /* The same code in different countries */
  { "AU", "WA", "WA" }, { "CA", "NT", "NT" }, { "AU", "NT", "NT" },
  /* Unknown */
  { "US", "Atlantis", NULL }, { "US", "ON", NULL }, { "US", "XX", NULL },
  { "CA", "OR", NULL }, { "CA", "Oregon", NULL }, { "AU", "XYZ", NULL },
  { "AU", "Ontario", NULL }, { "DE", "Bayern", NULL }, { "GB", "Kent", NULL },
  { "Atlantis", "Oregon", NULL }, { "US", "", NULL }, { "US", "  ", NULL },
  { "US", NULL, NULL }, { NULL, "Bayern", NULL }, { "US", "US-", NULL },
};

typedef struct
{
  const RegionCase *cases;
  gsize             n_cases;
} RegionTable;

#define REGION_TABLE(name) { name, G_N_ELEMENTS (name) }

static void
test_region (gconstpointer data)
{
  const RegionTable *table = data;
  gsize i;

  for (i = 0; i < table->n_cases; i++)
    {
      const RegionCase *c = &table->cases[i];

      g_test_message ("%s “%s”", S (c->country), S (c->text));
      g_assert_cmpstr (ps_region_code (c->country, c->text), ==, c->code);
      /* A code maps to itself. */
      if (c->code != NULL && c->country != NULL && strlen (c->country) == 2)
        g_assert_cmpstr (ps_region_code (c->country, c->code), ==, c->code);
    }
}

/* Addresses */

typedef struct
{
  const char *country;
  const char *state;
  const char *postcode;
  const char *city;
  const char *line1;
  gboolean    ok;
  const char *mentions;  /* for failures: text the message must contain */
} AddressCase;

static const AddressCase addresses[] = {
  /* United States */
  { "US", "OR", "97201", "Portland", "1 Main St", TRUE, NULL },
  { "US", "Oregon", "97201-1234", "Portland", "1 Main St", TRUE, NULL },
  { "US", "or", "972011234", "Portland", "1 Main St", TRUE, NULL },
  { "US", "MA", " 02134 ", "Boston", "1 Main St", TRUE, NULL },
  { "US", "PR", "00901", "San Juan", "1 Calle", TRUE, NULL },
  { "US", "AE", "09012", "APO", "Unit 2050 Box 4190", TRUE, NULL },
  { "United States", "DC", "20500", "Washington", "1600 Pennsylvania Ave NW", TRUE, NULL },
  { "US", "OR", "9720", "Portland", "1 Main St", FALSE,
    "ZIP code “9720” does not look like a US ZIP code" },
  { "US", "MA", "2134", "Boston", "1 Main St", FALSE, "leading zero" },
  { "US", "OR", "972012", "Portland", "1 Main St", FALSE, "“972012”" },
  { "US", "OR", "97201-12", "Portland", "1 Main St", FALSE, "“97201-12”" },
  { "US", "OR", "ABCDE", "Portland", "1 Main St", FALSE, "ZIP code" },
  { "US", "OR", "", "Portland", "1 Main St", FALSE, "ZIP code is missing" },
  { "US", "OR", "-", "Portland", "1 Main St", FALSE, "ZIP code is missing" },
  { "US", "ZZ", "97201", "Portland", "1 Main St", FALSE, "State “ZZ” is not a US state" },
  { "US", "Ontario", "97201", "Portland", "1 Main St", FALSE, "“Ontario”" },
  { "US", NULL, "97201", "Portland", "1 Main St", FALSE, "State is missing" },
  { "US", "OR", "97201", "", "1 Main St", FALSE, "City is missing" },
  { "US", "OR", "97201", "Portland", "  ", FALSE, "Street address is missing" },
  /* Canada */
  { "CA", "ON", "K2P 2L8", "Ottawa", "1 Elgin St", TRUE, NULL },
  { "CA", "ON", "K2P2L8", "Ottawa", "1 Elgin St", TRUE, NULL },
  { "CA", "Ontario", "k2p 2l8", "Ottawa", "1 Elgin St", TRUE, NULL },
  { "CA", "QC", "H2X 1Y4", "Montréal", "1 rue", TRUE, NULL },
  { "CA", "NU", "X0A 0H0", "Iqaluit", "1 Road", TRUE, NULL },
  { "CA", "BC", "V5K 0A1", "Vancouver", "1 Hastings", TRUE, NULL },
  { "CA", NULL, "K2P 2L8", "Ottawa", "1 Elgin St", FALSE, "Province is missing" },
  { "CA", "XX", "K2P 2L8", "Ottawa", "1 Elgin St", FALSE, "Province “XX”" },
  { "CA", "ON", "D2P 2L8", "Ottawa", "1 Elgin St", FALSE,
    "“D2P 2L8” does not look like a CA postal code" },
  { "CA", "ON", "K2P 2L", "Ottawa", "1 Elgin St", FALSE, "postal code" },
  { "CA", "ON", "12345", "Ottawa", "1 Elgin St", FALSE, "“12345”" },
  { "CA", "BC", "K2P 2L8", "Ottawa", "1 Elgin St", FALSE, "not to province “BC”" },
  /* United Kingdom */
  { "GB", NULL, "SW1A 1AA", "London", "10 Downing St", TRUE, NULL },
  { "GB", NULL, "sw1a1aa", "London", "10 Downing St", TRUE, NULL },
  { "GB", NULL, "EC1A 1BB", "London", "1 St", TRUE, NULL },
  { "GB", NULL, "W1A 0AX", "London", "1 St", TRUE, NULL },
  { "GB", NULL, "M1 1AE", "Manchester", "1 St", TRUE, NULL },
  { "GB", NULL, "B33 8TH", "Birmingham", "1 St", TRUE, NULL },
  { "GB", NULL, "CR2 6XH", "Croydon", "1 St", TRUE, NULL },
  { "GB", NULL, "DN55 1PT", "Doncaster", "1 St", TRUE, NULL },
  { "GB", NULL, "GIR 0AA", "Bootle", "1 St", TRUE, NULL },
  { "UK", NULL, "BFPO 1234", "BFPO", "Unit 1", TRUE, NULL },
  { "GB", NULL, "SW1A 1A", "London", "1 St", FALSE,
    "Postcode “SW1A 1A” does not look like a GB postcode" },
  { "GB", NULL, "12345", "London", "1 St", FALSE, "“12345”" },
  { "GB", NULL, "QW1 1AA", "London", "1 St", FALSE, "“QW1 1AA”" },
  { "GB", NULL, "SW1A 1CA", "London", "1 St", FALSE, "“SW1A 1CA”" },
  { "GB", NULL, NULL, "London", "1 St", FALSE, "Postcode is missing for a GB address" },
  /* Germany */
  { "DE", NULL, "10115", "Berlin", "Invalidenstraße 1", TRUE, NULL },
  { "DE", NULL, "D-10115", "Berlin", "Invalidenstraße 1", TRUE, NULL },
  { "Deutschland", NULL, "DE-10115", "Berlin", "Invalidenstraße 1", TRUE, NULL },
  { "DE", NULL, "1011", "Berlin", "Invalidenstraße 1", FALSE,
    "“1011” does not look like a DE postcode" },
  { "DE", NULL, "101155", "Berlin", "Invalidenstraße 1", FALSE, "“101155”" },
  { "DE", NULL, "10115", NULL, "Invalidenstraße 1", FALSE, "City is missing" },
  /* France */
  { "FR", NULL, "75008", "Paris", "1 rue", TRUE, NULL },
  { "FR", NULL, "75 008", "Paris", "1 rue", TRUE, NULL },
  { "FR", NULL, "7500", "Paris", "1 rue", FALSE, "an FR postcode" },
  /* Netherlands */
  { "NL", NULL, "1012 AB", "Amsterdam", "Dam 1", TRUE, NULL },
  { "NL", NULL, "1012ab", "Amsterdam", "Dam 1", TRUE, NULL },
  { "NL", NULL, "0123 AB", "Amsterdam", "Dam 1", FALSE, "“0123 AB”" },
  { "NL", NULL, "1012", "Amsterdam", "Dam 1", FALSE, "an NL postcode" },
  /* Belgium, Austria, Switzerland */
  { "BE", NULL, "1000", "Bruxelles", "Rue 1", TRUE, NULL },
  { "BE", NULL, "B-1000", "Bruxelles", "Rue 1", TRUE, NULL },
  { "BE", NULL, "0100", "Bruxelles", "Rue 1", FALSE, "“0100”" },
  { "AT", NULL, "1010", "Wien", "Ring 1", TRUE, NULL },
  { "Österreich", NULL, "A-1010", "Wien", "Ring 1", TRUE, NULL },
  { "AT", NULL, "10100", "Wien", "Ring 1", FALSE, "an AT postcode" },
  { "CH", NULL, "8001", "Zürich", "Bahnhofstrasse 1", TRUE, NULL },
  { "CH", NULL, "CH-8001", "Zürich", "Bahnhofstrasse 1", TRUE, NULL },
  { "CH", NULL, "800", "Zürich", "Bahnhofstrasse 1", FALSE, "“800”" },
  /* Italy, Spain, Portugal */
  { "IT", NULL, "00144", "Roma", "Via 1", TRUE, NULL },
  { "IT", NULL, "0014", "Roma", "Via 1", FALSE, "an IT postcode" },
  { "ES", NULL, "28013", "Madrid", "Calle 1", TRUE, NULL },
  { "ES", NULL, "53001", "Madrid", "Calle 1", FALSE, "“53001”" },
  { "ES", NULL, "00001", "Madrid", "Calle 1", FALSE, "“00001”" },
  { "PT", NULL, "1100-148", "Lisboa", "Rua 1", TRUE, NULL },
  { "PT", NULL, "1100148", "Lisboa", "Rua 1", TRUE, NULL },
  { "PT", NULL, "1100", "Lisboa", "Rua 1", FALSE, "“1100”" },
  /* Ireland: Eircodes are optional but must be well formed */
  { "IE", NULL, "D02 X285", "Dublin", "1 Street", TRUE, NULL },
  { "IE", NULL, "D02X285", "Dublin", "1 Street", TRUE, NULL },
  { "IE", NULL, "D6W 1234", "Dublin", "1 Street", TRUE, NULL },
  { "IE", NULL, "D02", "Dublin", "1 Street", TRUE, NULL },
  { "IE", NULL, NULL, "Dublin", "1 Street", TRUE, NULL },
  { "IE", NULL, "B02 X285", "Dublin", "1 Street", FALSE,
    "Eircode “B02 X285” does not look like an IE Eircode" },
  /* Nordics */
  { "DK", NULL, "8660", "Skanderborg", "Vej 1", TRUE, NULL },
  { "DK", NULL, "DK-8660", "Skanderborg", "Vej 1", TRUE, NULL },
  { "DK", NULL, "866", "Skanderborg", "Vej 1", FALSE, "“866”" },
  { "SE", NULL, "114 55", "Stockholm", "Gatan 1", TRUE, NULL },
  { "SE", NULL, "11455", "Stockholm", "Gatan 1", TRUE, NULL },
  { "SE", NULL, "SE-114 55", "Stockholm", "Gatan 1", TRUE, NULL },
  { "SE", NULL, "014 55", "Stockholm", "Gatan 1", FALSE, "an SE postcode" },
  { "NO", NULL, "0150", "Oslo", "Gate 1", TRUE, NULL },
  { "NO", NULL, "15", "Oslo", "Gate 1", FALSE, "“15”" },
  { "FI", NULL, "00100", "Helsinki", "Katu 1", TRUE, NULL },
  { "FI", NULL, "0010", "Helsinki", "Katu 1", FALSE, "“0010”" },
  /* Poland, Czechia */
  { "PL", NULL, "00-950", "Warszawa", "Ulica 1", TRUE, NULL },
  { "PL", NULL, "00950", "Warszawa", "Ulica 1", TRUE, NULL },
  { "PL", NULL, "00-95", "Warszawa", "Ulica 1", FALSE, "“00-95”" },
  { "CZ", NULL, "110 00", "Praha", "Ulice 1", TRUE, NULL },
  { "CZ", NULL, "11000", "Praha", "Ulice 1", TRUE, NULL },
  { "CZ", NULL, "910 00", "Praha", "Ulice 1", FALSE, "“910 00”" },
  /* Australia, New Zealand */
  { "AU", "NSW", "2000", "Sydney", "1 George St", TRUE, NULL },
  { "AU", "New South Wales", "2000", "Sydney", "1 George St", TRUE, NULL },
  { "AU", "WA", "6000", "Perth", "1 St Georges Tce", TRUE, NULL },
  { "AU", NULL, "2000", "Sydney", "1 George St", FALSE, "State is missing for an AU address" },
  { "AU", "Oregon", "2000", "Sydney", "1 George St", FALSE, "State “Oregon” is not an AU state" },
  { "AU", "NSW", "200", "Sydney", "1 George St", FALSE, "“200” does not look like an AU postcode" },
  { "NZ", NULL, "6011", "Wellington", "1 Lambton Quay", TRUE, NULL },
  { "NZ", NULL, "60111", "Wellington", "1 Lambton Quay", FALSE, "“60111”" },
  /* Japan: no city field needed */
  { "JP", "Tokyo", "100-0001", NULL, "1-1 Chiyoda", TRUE, NULL },
  { "日本", NULL, "1000001", NULL, "1-1 Chiyoda", TRUE, NULL },
  { "JP", NULL, "100-001", NULL, "1-1 Chiyoda", FALSE, "“100-001”" },
  { "JP", NULL, NULL, "Tokyo", "1-1 Chiyoda", FALSE, "Postal code is missing" },
  /* Mexico, Brazil, India */
  { "MX", NULL, "06600", "Ciudad de México", "Calle 1", TRUE, NULL },
  { "MX", NULL, "6600", "Ciudad de México", "Calle 1", FALSE, "an MX postal code" },
  { "BR", "SP", "01310-100", "São Paulo", "Av. Paulista 1", TRUE, NULL },
  { "BR", "SP", "01310100", "São Paulo", "Av. Paulista 1", TRUE, NULL },
  { "BR", NULL, "01310-100", "São Paulo", "Av. Paulista 1", FALSE, "State is missing" },
  { "BR", "SP", "01310-10", "São Paulo", "Av. Paulista 1", FALSE, "CEP “01310-10”" },
  { "IN", "Delhi", "110001", "New Delhi", "1 Rajpath", TRUE, NULL },
  { "IN", "Delhi", "110 001", "New Delhi", "1 Rajpath", TRUE, NULL },
  { "IN", "Delhi", "010001", "New Delhi", "1 Rajpath", FALSE,
    "PIN code “010001” does not look like an IN PIN code" },
  { "IN", NULL, "110001", "New Delhi", "1 Rajpath", FALSE, "State is missing" },
  /* City states */
  { "SG", NULL, "238801", NULL, "1 Orchard Rd", TRUE, NULL },
  { "SG", NULL, "23880", NULL, "1 Orchard Rd", FALSE, "“23880”" },
  { "HK", NULL, NULL, NULL, "1 Queen's Road", TRUE, NULL },
  { "HK", NULL, "999077", "Hong Kong", "1 Queen's Road", TRUE, NULL },
  { "HK", NULL, NULL, NULL, NULL, FALSE, "Street address is missing" },
  /* Countries without a rule of their own */
  { "KE", NULL, NULL, "Nairobi", "1 Kenyatta Ave", TRUE, NULL },
  { "KE", NULL, "anything", "Nairobi", "1 Kenyatta Ave", TRUE, NULL },
  { "KE", NULL, NULL, NULL, "1 Kenyatta Ave", FALSE, "City is missing" },
  { "KE", NULL, NULL, "Nairobi", NULL, FALSE, "Street address is missing" },
  /* No or unknown country */
  { NULL, NULL, "97201", "Portland", "1 Main St", FALSE, "Country is missing" },
  { "", NULL, "97201", "Portland", "1 Main St", FALSE, "Country is missing" },
  { "Atlantis", NULL, "97201", "Portland", "1 Main St", FALSE, "Country “Atlantis”" },
  /* Several problems, one line */
  { "US", "ZZ", "123", NULL, NULL, FALSE,
    "Street address is missing; City is missing; State “ZZ”" },
};

static void
test_address (gconstpointer data)
{
  const char *country = data;
  guint n = 0;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      const AddressCase *c = &addresses[i];
      g_autofree char *message = NULL;
      gboolean ok;

      if (g_strcmp0 (ps_country_code (c->country), country) != 0 &&
          !(country[0] == '-' && ps_country_code (c->country) == NULL))
        continue;
      n++;

      g_test_message ("%s / %s / %s / %s / %s", S (c->country), S (c->state), S (c->postcode),
                      S (c->city), S (c->line1));
      ok = ps_address_check (c->country, c->state, c->postcode, c->city, c->line1, &message);
      g_assert_cmpint (ok, ==, c->ok);
      if (ok)
        {
          g_assert_null (message);
        }
      else
        {
          g_assert_nonnull (message);
          g_test_message ("→ %s", message);
          g_assert_nonnull (strstr (message, c->mentions));
          g_assert_null (strchr (message, '\n'));
        }

      /* The verdict does not depend on asking for the message. */
      ok = ps_address_check (c->country, c->state, c->postcode, c->city, c->line1, NULL);
      g_assert_cmpint (ok, ==, c->ok);
    }
  g_assert_cmpuint (n, >, 0);
}

/* Tables are built on first use; many threads may get there at once. */
static gpointer
parse_in_thread (gpointer data)
{
  guint i;

  for (i = 0; i < 2000; i++)
    {
      gint64 minor, t;
      char *message = NULL;

      g_assert_cmpstr (ps_country_code ("Deutschland"), ==, "DE");
      g_assert_cmpstr (ps_region_code ("US", "Oregon"), ==, "OR");
      g_assert_true (ps_address_check ("CA", "ON", "K2P 2L8", "Ottawa", "1 Elgin St", &message));
      g_assert_false (ps_address_check ("US", "OR", "9720", "Portland", "1 Main St", &message));
      g_free (message);
      g_assert_true (ps_parse_money ("$1,110.03", "USD", &minor, NULL));
      g_assert_cmpint (minor, ==, 111003);
      g_assert_true (ps_parse_datetime ("Mar-05-24 06:07:12 PST", NULL, &t));
      g_assert_cmpint (t, ==, T_0305);
    }
  return NULL;
}

static void
test_threads (void)
{
  GThread *threads[8];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("parse", parse_in_thread, NULL);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

int
main (int   argc,
      char *argv[])
{
  static const MoneyTable money_tables[] = {
    MONEY_TABLE (money_us), MONEY_TABLE (money_eu), MONEY_TABLE (money_symbols),
    MONEY_TABLE (money_negative), MONEY_TABLE (money_ambiguous), MONEY_TABLE (money_invalid),
  };
  static const char * const money_paths[] = {
    "us-thousands", "eu-thousands", "symbols", "negative", "ambiguous", "invalid",
  };
  static const DateTable date_tables[] = {
    DATE_TABLE (dates_iso), DATE_TABLE (dates_channels), DATE_TABLE (dates_zones),
    DATE_TABLE (dates_dst), DATE_TABLE (dates_invalid),
  };
  static const char * const date_paths[] = {
    "iso", "channels", "zones", "dst", "invalid",
  };
  static const RegionTable region_tables[] = {
    REGION_TABLE (regions_us), REGION_TABLE (regions_us_other), REGION_TABLE (regions_ca),
    REGION_TABLE (regions_au), REGION_TABLE (regions_other),
  };
  static const char * const region_paths[] = {
    "us-states", "us-territories-military", "ca-provinces", "au-states", "other",
  };
  static const char * const address_countries[] = {
    "US", "CA", "GB", "DE", "FR", "NL", "BE", "AT", "CH", "IT", "ES", "PT", "IE", "DK", "SE",
    "NO", "FI", "PL", "CZ", "AU", "NZ", "JP", "MX", "BR", "IN", "SG", "HK", "KE", "-unknown",
  };
  guint i;

  G_STATIC_ASSERT (G_N_ELEMENTS (money_tables) == G_N_ELEMENTS (money_paths));
  G_STATIC_ASSERT (G_N_ELEMENTS (date_tables) == G_N_ELEMENTS (date_paths));
  G_STATIC_ASSERT (G_N_ELEMENTS (region_tables) == G_N_ELEMENTS (region_paths));

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (i = 0; i < G_N_ELEMENTS (money_tables); i++)
    {
      g_autofree char *path = g_strdup_printf ("/importers/parse/money/%s", money_paths[i]);

      g_test_add_data_func (path, &money_tables[i], test_money);
    }
  g_test_add_func ("/importers/parse/money/null", test_money_null);

  for (i = 0; i < G_N_ELEMENTS (date_tables); i++)
    {
      g_autofree char *path = g_strdup_printf ("/importers/parse/datetime/%s", date_paths[i]);

      g_test_add_data_func (path, &date_tables[i], test_datetime);
    }
  g_test_add_func ("/importers/parse/datetime/agree", test_datetime_agree);

  g_test_add_func ("/importers/parse/quantity", test_quantity);
  g_test_add_func ("/importers/parse/weight", test_weight);

  g_test_add_func ("/importers/parse/country/aliases", test_country_aliases);
  g_test_add_func ("/importers/parse/country/all", test_country_all);

  for (i = 0; i < G_N_ELEMENTS (region_tables); i++)
    {
      g_autofree char *path = g_strdup_printf ("/importers/parse/region/%s", region_paths[i]);

      g_test_add_data_func (path, &region_tables[i], test_region);
    }

  for (i = 0; i < G_N_ELEMENTS (address_countries); i++)
    {
      const char *country = address_countries[i];
      g_autofree char *path = g_strdup_printf ("/importers/parse/address/%s",
                                               country[0] == '-' ? country + 1 : country);

      g_test_add_data_func (path, country, test_address);
    }

  g_test_add_func ("/importers/parse/threads", test_threads);

  return g_test_run ();
}
