/* ps-import-parse.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value formats of shop exports (formats-and-carriers.md §1) and an
 * offline address check (§6). Every function here runs for every cell of
 * imports that may have a million rows, so they scan the text in place,
 * never allocate on the success path (ps_address_check() allocates only the
 * message of an address that fails), and build their lookup tables once,
 * under g_once, after which the tables are read-only and shared by all
 * threads.
 */

#define G_LOG_DOMAIN "ps-import-parse"

#include "config.h"

#include <string.h>

#include "ps-money.h"
#include "ps-import-parse.h"

/* Shared helpers */

/* Length in bytes of the blank at @p: ASCII blanks, no-break space, the
 * typographic spaces U+2000–U+200A, narrow no-break space and ideographic
 * space, all of which exports use as padding or as a thousands separator.
 * Returns 0 when @p is not a blank. */
static gsize
blank_len (const char *p)
{
  const guchar *u = (const guchar *) p;

  switch (u[0])
    {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
      return 1;
    case 0xc2:
      return u[1] == 0xa0 ? 2 : 0;
    case 0xe2:
      if (u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xaf))
        return 3;
      return 0;
    case 0xe3:
      return (u[1] == 0x80 && u[2] == 0x80) ? 3 : 0;
    default:
      return 0;
    }
}

static const char *
skip_blanks (const char *p)
{
  gsize n;

  while ((n = blank_len (p)) > 0)
    p += n;
  return p;
}

/* Reads 1 to @max_digits ASCII digits. */
static gboolean
read_uint (const char **pp,
           guint        max_digits,
           int         *value,
           guint       *n_digits)
{
  const char *p = *pp;
  int v = 0;
  guint n = 0;

  while (g_ascii_isdigit (*p) && n < max_digits)
    {
      v = v * 10 + (*p - '0');
      p++;
      n++;
    }
  if (n == 0 || g_ascii_isdigit (*p))
    return FALSE;
  *pp = p;
  *value = v;
  if (n_digits != NULL)
    *n_digits = n;
  return TRUE;
}

/* Reads an ASCII word, lower-cased, into @buf. Fails on an empty word or
 * one that does not fit. */
static gboolean
read_word (const char **pp,
           char        *buf,
           gsize        size)
{
  const char *p = *pp;
  gsize n = 0;

  while (g_ascii_isalpha (*p))
    {
      if (n + 1 >= size)
        return FALSE;
      buf[n++] = g_ascii_tolower (*p);
      p++;
    }
  if (n == 0)
    return FALSE;
  buf[n] = '\0';
  *pp = p;
  return TRUE;
}

static gboolean
is_blank_or_null (const char *s)
{
  return s == NULL || *skip_blanks (s) == '\0';
}

/* Folds @text into a lookup key: case and diacritics folded, everything
 * that is not a letter or digit dropped ("Côte d'Ivoire" -> "cotedivoire",
 * "U.S.A." -> "usa"), "&" read as "and". Letters outside Latin (日本,
 * Россия) are kept, lower-cased. Returns FALSE if @text is not UTF-8 or
 * the key does not fit in @size bytes; nothing we look up is that long. */
static gboolean
fold_key (const char *text,
          char       *key,
          gsize       size)
{
  const char *p = text;
  gsize n = 0;

  while (*p != '\0')
    {
      gunichar c;
      gunichar a, b;
      const char *ascii = NULL;
      char one[2] = { 0, 0 };
      char utf8[6];
      gsize len;

      if ((guchar) *p < 0x80)
        {
          if (g_ascii_isalnum (*p))
            {
              if (n + 1 >= size)
                return FALSE;
              key[n++] = g_ascii_tolower (*p);
            }
          else if (*p == '&')
            {
              if (n + 3 >= size)
                return FALSE;
              memcpy (key + n, "and", 3);
              n += 3;
            }
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        return FALSE;
      p = g_utf8_next_char (p);

      if (!g_unichar_isalnum (c))
        continue;

      /* Strip accents: é -> e + U+0301, and so on until nothing is left
       * to decompose. */
      while (g_unichar_decompose (c, &a, &b) && a != c)
        c = a;

      switch (c)
        {
        case 0x00df: ascii = "ss"; break;                 /* ß */
        case 0x00c6: case 0x00e6: ascii = "ae"; break;    /* Æ æ */
        case 0x0152: case 0x0153: ascii = "oe"; break;    /* Œ œ */
        case 0x00d8: case 0x00f8: ascii = "o"; break;     /* Ø ø */
        case 0x0141: case 0x0142: ascii = "l"; break;     /* Ł ł */
        case 0x0110: case 0x0111: ascii = "d"; break;     /* Đ đ */
        case 0x00de: case 0x00fe: ascii = "th"; break;    /* Þ þ */
        case 0x00d0: case 0x00f0: ascii = "d"; break;     /* Ð ð */
        case 0x0131: ascii = "i"; break;                  /* ı */
        default:
          if (c < 0x80)
            {
              one[0] = g_ascii_tolower ((char) c);
              ascii = one;
            }
          break;
        }

      if (ascii != NULL)
        {
          len = strlen (ascii);
          if (n + len >= size)
            return FALSE;
          memcpy (key + n, ascii, len);
          n += len;
        }
      else
        {
          len = (gsize) g_unichar_to_utf8 (g_unichar_tolower (c), utf8);
          if (n + len >= size)
            return FALSE;
          memcpy (key + n, utf8, len);
          n += len;
        }
    }

  key[n] = '\0';
  return TRUE;
}

/* Inserts every "|"-separated spelling of @spellings into @table. Two
 * spellings that fold to the same key must mean the same thing: the tables
 * below are checked for that by the tests, which run with fatal criticals. */
static void
add_spellings (GHashTable *table,
               const char *spellings,
               const char *value)
{
  g_auto(GStrv) parts = g_strsplit (spellings, "|", -1);
  guint i;

  for (i = 0; parts[i] != NULL; i++)
    {
      char key[128];
      const char *old;

      if (!fold_key (parts[i], key, sizeof key) || key[0] == '\0')
        {
          g_critical ("Cannot fold “%s”", parts[i]);
          continue;
        }
      old = g_hash_table_lookup (table, key);
      if (old != NULL && strcmp (old, value) != 0)
        {
          g_critical ("“%s” means both %s and %s", parts[i], old, value);
          continue;
        }
      g_hash_table_insert (table, g_strdup (key), (gpointer) value);
    }
}

/* Money
 *
 * An amount is: an optional sign, parenthesis and currency marker in any
 * order, the number, then optionally a currency marker, a trailing minus and
 * the closing parenthesis. Blanks may appear between any of them.
 *
 * Which of "." and "," is the decimal separator:
 *
 *  1. Both appear ("1,110.03", "1.110,03"): the last one is the decimal
 *     separator and must appear once; the other groups thousands.
 *  2. One of them appears several times ("1,000,000"): it groups
 *     thousands and there are no decimals.
 *  3. One appears once and blanks or apostrophes group the digits
 *     ("1 110,03", "1'110.03"): it is the decimal separator.
 *  4. One appears once with other than three digits after it ("1,5",
 *     "12.50", "0,99"): it is the decimal separator.
 *  5. One appears once with exactly three digits after it ("12.500",
 *     "1,200"): the ambiguous case. It groups thousands, unless the
 *     currency has three minor digits (KWD 12.500 is twelve and a half
 *     dinars), or the digits before it cannot be a first group of
 *     thousands (empty, "0", or more than three digits: "0.500",
 *     "1234.500"). For two-digit and zero-digit currencies, three decimals
 *     could not be a price anyway, so thousands is the only reading that
 *     gives a valid amount.
 *
 * Groups of thousands must be well formed: a first group of one to three
 * digits, then groups of three ("1,234,567"), or the Indian grouping of
 * twos before a last group of three ("1,23,45,678.00"). Blanks (including
 * no-break and thin spaces) and apostrophes only ever group thousands.
 *
 * Decimals beyond the currency's minor digits are accepted only when they
 * are zeros ("12.5000" USD, "¥1200.00"); anything else would be rounding
 * money, so the value is rejected instead. */

typedef struct
{
  const char *text;
  const char *currency;  /* ISO 4217, or NULL when the symbol alone does not say */
  const char *family;    /* blank-framed codes the symbol also stands for */
} CurrencyMark;

/* Longer marks come before the marks they start with ("US$" before "$"). */
static const CurrencyMark currency_marks[] = {
  { "US$", "USD", NULL },
  { "CA$", "CAD", NULL },
  { "C$", "CAD", NULL },
  { "AU$", "AUD", NULL },
  { "A$", "AUD", NULL },
  { "NZ$", "NZD", NULL },
  { "HK$", "HKD", NULL },
  { "S$", "SGD", NULL },
  { "R$", "BRL", NULL },
  { "MX$", "MXN", NULL },
  { "$", "USD",
    " USD CAD AUD NZD HKD SGD MXN TWD ARS CLP COP UYU FJD BSD BBD BZD BMD KYD JMD TTD XCD "
    "LRD NAD SBD SRD GYD " },
  { "\xe2\x82\xac", "EUR", NULL },                 /* € */
  { "\xc3\xa2\xe2\x80\x9a\xc2\xac", "EUR", NULL }, /* € in UTF-8 read as cp1252 */
  { "\xc2\xa3", "GBP", " GBP GIP FKP SHP " },      /* £ */
  { "\xc2\xac\xc2\xa3", "GBP", NULL },             /* £ read as Mac Roman (eBay) */
  { "\xc3\x82\xc2\xa3", "GBP", NULL },             /* £ read as cp1252 */
  { "\xc2\xa5", "JPY", " JPY CNY " },              /* ¥ */
  { "\xef\xbf\xa5", "JPY", " JPY CNY " },          /* fullwidth ¥ */
  { "\xe5\x86\x86", "JPY", NULL },                 /* 円 */
  { "\xe5\x85\x83", "CNY", NULL },                 /* 元 */
  { "\xe2\x82\xb9", "INR", NULL },                 /* ₹ */
  { "\xe2\x82\xa9", "KRW", NULL },                 /* ₩ */
  { "\xe2\x82\xbd", "RUB", NULL },                 /* ₽ */
  { "\xe2\x82\xba", "TRY", NULL },                 /* ₺ */
  { "\xe2\x82\xaa", "ILS", NULL },                 /* ₪ */
  { "\xe0\xb8\xbf", "THB", NULL },                 /* ฿ */
  { "\xe2\x82\xb1", "PHP", NULL },                 /* ₱ */
  { "\xe2\x82\xab", "VND", NULL },                 /* ₫ */
  { "z\xc5\x82", "PLN", NULL },                    /* zł */
  { "K\xc4\x8d", "CZK", NULL },                    /* Kč */
  { "Ft", "HUF", NULL },
  { "Fr.", "CHF", NULL },
  { "kr.", NULL, " DKK NOK SEK ISK " },
  { "kr", NULL, " SEK NOK DKK ISK " },
};

typedef enum
{
  SEP_DOT,
  SEP_COMMA,
  SEP_GROUP,   /* blank or apostrophe: thousands only */
} SepKind;

typedef struct
{
  SepKind kind;
  guint   pos;     /* digits before it */
} Sep;

/* Matches a currency marker at @p. Sets *@len to its length and writes the
 * currency it stands for, given the expected @currency, into @found (empty
 * when the marker does not say, like "kr" for a euro amount). */
static gboolean
match_currency (const char *p,
                const char *currency,
                gsize      *len,
                char        found[4])
{
  guint i;

  found[0] = '\0';

  /* Most calls look at a digit or a sign: no need to try every mark. */
  if (*p == '\0' || g_ascii_isdigit (*p) || strchr ("-+().,'", *p) != NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (currency_marks); i++)
    {
      const CurrencyMark *mark = &currency_marks[i];
      const char *code = mark->currency;
      gsize n;

      if (mark->text[0] != *p)
        continue;
      n = strlen (mark->text);
      if (strncmp (p, mark->text, n) != 0)
        continue;
      /* "kr" must not be the start of a word. */
      if (g_ascii_isalpha (mark->text[n - 1]) && g_ascii_isalpha (p[n]))
        continue;

      if (mark->family != NULL && currency != NULL && strlen (currency) == 3)
        {
          char framed[6] = { ' ', currency[0], currency[1], currency[2], ' ', '\0' };

          if (strstr (mark->family, framed) != NULL)
            code = currency;
        }
      if (code != NULL)
        memcpy (found, code, 4);
      *len = n;
      return TRUE;
    }

  /* An ISO 4217 code: three capitals that are a word of their own. */
  if (g_ascii_isupper (p[0]) && g_ascii_isupper (p[1]) && g_ascii_isupper (p[2]) &&
      !g_ascii_isalpha (p[3]))
    {
      memcpy (found, p, 3);
      found[3] = '\0';
      *len = 3;
      return TRUE;
    }

  return FALSE;
}

static gboolean
groups_valid (const Sep   *seps,
              guint        n_seps,
              SepKind      thousands,
              guint        int_digits,
              const char  *digits)
{
  guint group_len[16];
  guint n_groups = 0;
  guint prev = 0;
  guint i;
  gboolean western = TRUE;
  gboolean indian = TRUE;

  for (i = 0; i < n_seps; i++)
    {
      if (seps[i].kind != thousands && seps[i].kind != SEP_GROUP)
        continue;
      group_len[n_groups++] = seps[i].pos - prev;
      prev = seps[i].pos;
    }
  if (n_groups == 0)
    return TRUE;
  group_len[n_groups++] = int_digits - prev;

  /* "0,500" is not a thousand-grouped number. */
  if (digits[0] == '0')
    return FALSE;

  if (group_len[0] < 1 || group_len[0] > 3)
    western = FALSE;
  if (group_len[0] < 1 || group_len[0] > 2 || n_groups < 3)
    indian = FALSE;
  for (i = 1; i < n_groups; i++)
    {
      if (group_len[i] != 3)
        western = FALSE;
      if (group_len[i] != (i + 1 == n_groups ? 3u : 2u))
        indian = FALSE;
    }
  return western || indian;
}

/* Converts the digits and separators of the number in @p..@end. */
static gboolean
parse_number (const char *p,
              const char *end,
              guint       minor_digits,
              gint64     *value)
{
  char digits[40];
  Sep seps[16];
  guint n_digits = 0;
  guint n_seps = 0;
  guint n_dot = 0, n_comma = 0, n_group = 0;
  gboolean have_decimal = FALSE;
  SepKind decimal = SEP_DOT;
  SepKind thousands = SEP_COMMA;
  guint int_digits;
  guint i;
  gint64 v = 0;

  while (p < end)
    {
      if (g_ascii_isdigit (*p))
        {
          if (n_digits >= 19)
            return FALSE;
          digits[n_digits++] = *p++;
          continue;
        }

      if (n_seps >= G_N_ELEMENTS (seps))
        return FALSE;
      if (*p == '.' || *p == ',')
        {
          seps[n_seps].kind = *p == '.' ? SEP_DOT : SEP_COMMA;
          p++;
        }
      else if (*p == '\'')
        {
          seps[n_seps].kind = SEP_GROUP;
          p++;
        }
      else if (strncmp (p, "\xe2\x80\x99", 3) == 0)  /* ’ */
        {
          seps[n_seps].kind = SEP_GROUP;
          p += 3;
        }
      else
        {
          gsize n = blank_len (p);

          if (n == 0)
            return FALSE;
          seps[n_seps].kind = SEP_GROUP;
          p += n;
        }
      /* Every separator needs a digit after it; a group separator also
       * needs one before it. */
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;
      if (seps[n_seps].kind == SEP_GROUP && n_digits == 0)
        return FALSE;
      seps[n_seps].pos = n_digits;
      switch (seps[n_seps].kind)
        {
        case SEP_DOT: n_dot++; break;
        case SEP_COMMA: n_comma++; break;
        case SEP_GROUP: n_group++; break;
        default: g_assert_not_reached ();
        }
      n_seps++;
    }

  if (n_digits == 0)
    return FALSE;

  if (n_dot > 0 && n_comma > 0)
    {
      /* Rule 1 */
      decimal = seps[n_seps - 1].kind;
      if (decimal == SEP_GROUP)
        return FALSE;
      thousands = decimal == SEP_DOT ? SEP_COMMA : SEP_DOT;
      if ((decimal == SEP_DOT ? n_dot : n_comma) != 1)
        return FALSE;
      have_decimal = TRUE;
    }
  else if (n_dot + n_comma > 1)
    {
      /* Rule 2 */
      thousands = n_dot > 0 ? SEP_DOT : SEP_COMMA;
      if (n_group > 0)
        return FALSE;
    }
  else if (n_dot + n_comma == 1)
    {
      guint at = 0;
      guint after;

      for (i = 0; i < n_seps; i++)
        if (seps[i].kind != SEP_GROUP)
          at = i;
      decimal = seps[at].kind;
      thousands = decimal == SEP_DOT ? SEP_COMMA : SEP_DOT;
      after = n_digits - seps[at].pos;

      if (n_group > 0 || after != 3)
        {
          /* Rules 3 and 4 */
          have_decimal = TRUE;
        }
      else
        {
          /* Rule 5 */
          guint before = seps[at].pos;

          have_decimal = minor_digits == 3 || before == 0 || before > 3 || digits[0] == '0';
          if (!have_decimal)
            {
              thousands = decimal;
              decimal = decimal == SEP_DOT ? SEP_COMMA : SEP_DOT;
            }
        }
    }

  int_digits = n_digits;
  if (have_decimal)
    {
      for (i = 0; i < n_seps; i++)
        if (seps[i].kind == decimal)
          int_digits = seps[i].pos;
      /* Nothing may group the decimals. */
      for (i = 0; i < n_seps; i++)
        if (seps[i].pos > int_digits)
          return FALSE;
    }

  if (!groups_valid (seps, n_seps, thousands, int_digits, digits))
    return FALSE;

  for (i = 0; i < int_digits + minor_digits; i++)
    {
      int d = i < n_digits ? digits[i] - '0' : 0;

      if (__builtin_mul_overflow (v, 10, &v) || __builtin_add_overflow (v, d, &v))
        return FALSE;
    }
  for (i = int_digits + minor_digits; i < n_digits; i++)
    if (digits[i] != '0')
      return FALSE;

  *value = v;
  return TRUE;
}

/* Is @p the start of a minus sign; sets *@len. */
static gboolean
match_minus (const char *p,
             gsize      *len)
{
  if (*p == '-')
    {
      *len = 1;
      return TRUE;
    }
  if (strncmp (p, "\xe2\x88\x92", 3) == 0)  /* U+2212 MINUS SIGN */
    {
      *len = 3;
      return TRUE;
    }
  return FALSE;
}

/**
 * ps_parse_money:
 * @text: an amount as found in an export
 * @currency: (nullable): the ISO 4217 code the amount is in, from the
 *   file's currency column or the shop's settings
 * @minor: (out): the amount in minor units
 * @detected_currency: (out caller-allocates) (nullable): set to the
 *   currency named by a symbol or code in @text, or to "" when @text names
 *   none
 *
 * Parses "$1,110.03", "1.110,03 €", "USD 12.50", "-3.00", "(3.00)" and
 * the like. The number of minor digits comes from @currency, or from the
 * detected currency when @currency is %NULL or empty, or is 2 when neither
 * is known. When the text names a currency other than @currency, the
 * amount is still in @currency's minor digits: compare @detected_currency
 * with @currency to catch that. A symbol shared by several currencies
 * ("$", "¥", "kr") is read as @currency when it can stand for it, so
 * "$12" is CAD in a CAD file and "¥1,200" is CNY in a CNY file.
 *
 * See the comment above for how the decimal separator is told from the
 * thousands separator. Safe to call from any thread; never allocates.
 *
 * Returns: %TRUE if @text is an amount
 */
gboolean
ps_parse_money (const char *text,
                const char *currency,
                gint64     *minor,
                char        detected_currency[4])
{
  const char *p;
  const char *num_start;
  const char *num_end;
  char found[4] = "";
  char mark[4];
  gboolean have_mark = FALSE;
  gboolean negative = FALSE;
  gboolean have_sign = FALSE;
  gboolean open_paren = FALSE;
  gboolean close_paren = FALSE;
  guint minor_digits;
  gint64 value;
  gsize len;

  g_return_val_if_fail (minor != NULL, FALSE);

  if (detected_currency != NULL)
    detected_currency[0] = '\0';
  if (text == NULL)
    return FALSE;

  /* Prefix: sign, parenthesis and currency, in any order. */
  p = skip_blanks (text);
  for (;;)
    {
      if (!have_sign && match_minus (p, &len))
        {
          have_sign = negative = TRUE;
          p += len;
        }
      else if (!have_sign && *p == '+')
        {
          have_sign = TRUE;
          p++;
        }
      else if (!open_paren && *p == '(')
        {
          open_paren = TRUE;
          p++;
        }
      else if (!have_mark && match_currency (p, currency, &len, mark))
        {
          have_mark = TRUE;
          memcpy (found, mark, 4);
          p += len;
        }
      else
        break;
      p = skip_blanks (p);
    }

  /* The number: digits with separators between them. A blank only belongs
   * to it when a digit follows. */
  num_start = p;
  num_end = p;
  while (*p != '\0')
    {
      if (g_ascii_isdigit (*p))
        {
          p++;
          num_end = p;
        }
      else if (*p == '.' || *p == ',' || *p == '\'')
        p++;
      else if (strncmp (p, "\xe2\x80\x99", 3) == 0)
        p += 3;
      else if ((len = blank_len (p)) > 0 && g_ascii_isdigit (p[len]) && num_end == p)
        p += len;
      else
        break;
    }
  /* A separator after the last digit ("12.", "12,-") is not part of it. */
  p = num_end;
  if (num_end == num_start)
    return FALSE;

  /* Suffix: currency, trailing minus, closing parenthesis. */
  p = skip_blanks (p);
  for (;;)
    {
      if (!have_mark && match_currency (p, currency, &len, mark))
        {
          have_mark = TRUE;
          memcpy (found, mark, 4);
          p += len;
        }
      else if (!have_sign && !open_paren && match_minus (p, &len))
        {
          have_sign = negative = TRUE;
          p += len;
        }
      else if (open_paren && !close_paren && *p == ')')
        {
          close_paren = TRUE;
          p++;
        }
      else
        break;
      p = skip_blanks (p);
    }

  if (*p != '\0' || open_paren != close_paren)
    return FALSE;
  if (open_paren && negative)
    return FALSE;

  if (currency != NULL && ps_currency_is_valid (currency))
    minor_digits = ps_currency_minor_digits (currency);
  else if (found[0] != '\0')
    minor_digits = ps_currency_minor_digits (found);
  else
    minor_digits = 2;

  if (!parse_number (num_start, num_end, minor_digits, &value))
    return FALSE;

  *minor = (negative || open_paren) ? -value : value;
  if (detected_currency != NULL)
    memcpy (detected_currency, found, 4);
  return TRUE;
}

/* Dates
 *
 * Formats (formats-and-carriers.md §1), each with or without a time:
 *
 *   2025-05-11 09:55:16 -0400        Shopify
 *   2009-01-01T10:50:49-08:00        Amazon, any ISO 8601 with "T", "Z",
 *                                    fractions of a second
 *   5/31/2016 0:37, 3/5/2024 2:07 PM WooCommerce, ShipStation
 *   09/03/26                         Etsy, MM/DD/YY
 *   Jul-25-26, Mar-05-24 14:07:12 PST, Mar 5, 2024, March 5th, 2024
 *                                    eBay and spelled-out months
 *   Tue, 05 Mar 2024 14:07:12 +0000, 5-Mar-2024, 31.05.2024
 *
 * Slashed and dashed numeric dates are US month-first, as every channel
 * above writes them, unless the first number cannot be a month and the
 * second can ("31/05/2016"). Dotted dates are day-first, as in Europe. Two-
 * digit years are 2000–2069 and 1970–1999.
 *
 * A time zone is "Z", a numeric offset ("+00:00", "-0500", "+05"), one of
 * the abbreviations below, or "UTC"/"GMT" with an offset ("GMT+1"). A time
 * without one is local time in the caller's zone; as with GDateTime, a time
 * that happens twice when clocks go back is read as standard time, and one
 * that does not exist when they go forward moves to the first valid time. */

typedef struct
{
  const char *name;
  int         minutes;
} ZoneAbbrev;

/* Only abbreviations that mean one thing in shop exports; "IST" (India,
 * Ireland, Israel) is left out on purpose. */
static const ZoneAbbrev zone_abbrevs[] = {
  { "utc", 0 }, { "gmt", 0 }, { "ut", 0 }, { "z", 0 },
  { "wet", 0 }, { "west", 60 }, { "bst", 60 },
  { "cet", 60 }, { "cest", 120 }, { "met", 60 }, { "mest", 120 },
  { "eet", 120 }, { "eest", 180 }, { "msk", 180 },
  { "hst", -600 }, { "akst", -540 }, { "akdt", -480 },
  { "pst", -480 }, { "pdt", -420 }, { "mst", -420 }, { "mdt", -360 },
  { "cst", -360 }, { "cdt", -300 }, { "est", -300 }, { "edt", -240 },
  { "ast", -240 }, { "adt", -180 }, { "nst", -210 }, { "ndt", -150 },
  { "jst", 540 }, { "kst", 540 }, { "hkt", 480 }, { "sgt", 480 },
  { "awst", 480 }, { "acst", 570 }, { "acdt", 630 }, { "aest", 600 },
  { "aedt", 660 }, { "nzst", 720 }, { "nzdt", 780 },
};

static int
month_from_word (const char *word)
{
  static const char * const months[] = {
    "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december"
  };
  gsize len = strlen (word);
  guint i;

  if (strcmp (word, "sept") == 0)
    return 9;
  for (i = 0; i < G_N_ELEMENTS (months); i++)
    {
      /* The abbreviation or the full name, nothing in between. */
      if ((len == 3 || len == strlen (months[i])) && strncmp (word, months[i], len) == 0)
        return (int) i + 1;
    }
  return 0;
}

static gboolean
is_weekday (const char *word)
{
  static const char * const days[] = {
    "mon", "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu",
    "thur", "thurs", "thursday", "fri", "friday", "sat", "saturday", "sun",
    "sunday", NULL
  };

  return g_strv_contains (days, word);
}

/* "Mar" "Mar." "March" */
static gboolean
read_month (const char **pp,
            int         *month)
{
  const char *p = *pp;
  char word[16];

  if (!read_word (&p, word, sizeof word))
    return FALSE;
  *month = month_from_word (word);
  if (*month == 0)
    return FALSE;
  if (*p == '.')
    p++;
  *pp = p;
  return TRUE;
}

/* A year of two or four digits. */
static gboolean
read_year (const char **pp,
           int         *year)
{
  guint n;

  if (!read_uint (pp, 4, year, &n) || (n != 2 && n != 4))
    return FALSE;
  if (n == 2)
    *year += *year < 70 ? 2000 : 1900;
  return TRUE;
}

/* "5th" "1st" */
static void
skip_ordinal (const char **pp)
{
  const char *p = *pp;

  if ((g_ascii_strncasecmp (p, "st", 2) == 0 || g_ascii_strncasecmp (p, "nd", 2) == 0 ||
       g_ascii_strncasecmp (p, "rd", 2) == 0 || g_ascii_strncasecmp (p, "th", 2) == 0) &&
      !g_ascii_isalpha (p[2]))
    *pp = p + 2;
}

static gboolean
parse_date_part (const char **pp,
                 int         *year,
                 int         *month,
                 int         *day)
{
  const char *p = *pp;
  const char *q;
  char word[16];
  int n1, n2;
  guint d1;

  /* "Tue, 05 Mar 2024" */
  q = p;
  if (read_word (&q, word, sizeof word) && is_weekday (word))
    {
      if (*q == '.')
        q++;
      if (*q == ',')
        q++;
      p = skip_blanks (q);
    }

  if (g_ascii_isalpha (*p))
    {
      /* "Mar-05-24", "Mar 5, 2024", "March 5th 2024" */
      if (!read_month (&p, month))
        return FALSE;
      if (*p == '-' || *p == '/')
        p++;
      else if (skip_blanks (p) != p)
        p = skip_blanks (p);
      else
        return FALSE;
      if (!read_uint (&p, 2, day, NULL))
        return FALSE;
      skip_ordinal (&p);
      if (*p == '-' || *p == '/')
        p++;
      else
        {
          q = p;
          if (*q == ',')
            q++;
          q = skip_blanks (q);
          if (q == p)
            return FALSE;
          p = q;
        }
      if (!read_year (&p, year))
        return FALSE;
    }
  else if (g_ascii_isdigit (*p))
    {
      if (!read_uint (&p, 4, &n1, &d1))
        return FALSE;

      if (d1 == 4)
        {
          /* ISO 8601 and "2024/03/05" */
          char sep = *p;

          if (sep != '-' && sep != '/' && sep != '.')
            return FALSE;
          p++;
          *year = n1;
          if (!read_uint (&p, 2, month, NULL) || *p != sep)
            return FALSE;
          p++;
          if (!read_uint (&p, 2, day, NULL))
            return FALSE;
        }
      else if (d1 <= 2 && (*p == '/' || *p == '-' || *p == '.'))
        {
          char sep = *p++;

          if (g_ascii_isalpha (*p))
            {
              /* "5-Mar-2024" */
              *day = n1;
              if (!read_month (&p, month) || *p != sep)
                return FALSE;
              p++;
              if (!read_year (&p, year))
                return FALSE;
            }
          else
            {
              if (!read_uint (&p, 2, &n2, NULL) || *p != sep)
                return FALSE;
              p++;
              if (!read_year (&p, year))
                return FALSE;
              if (sep == '.' || (n1 > 12 && n2 <= 12))
                {
                  *day = n1;
                  *month = n2;
                }
              else
                {
                  *month = n1;
                  *day = n2;
                }
            }
        }
      else if (d1 <= 2 && blank_len (p) > 0)
        {
          /* "5 Mar 2024", "05 March, 2024" */
          *day = n1;
          p = skip_blanks (p);
          if (!read_month (&p, month))
            return FALSE;
          if (*p == ',')
            p++;
          q = skip_blanks (p);
          if (q == p && *p != '-')
            return FALSE;
          p = (*q == '-') ? q + 1 : q;
          if (!read_year (&p, year))
            return FALSE;
        }
      else
        return FALSE;
    }
  else
    return FALSE;

  if (!g_date_valid_dmy ((GDateDay) *day, (GDateMonth) *month, (GDateYear) *year) ||
      *day < 1 || *month < 1 || *year < 1)
    return FALSE;

  *pp = p;
  return TRUE;
}

/* "+05:30", "-0800", "+05", and after GMT/UTC also "+1". */
static gboolean
read_offset (const char **pp,
             gboolean     short_ok,
             int         *minutes)
{
  const char *p = *pp;
  int sign, hours, mins = 0;
  guint n;
  gsize len;

  if (*p == '+')
    {
      sign = 1;
      p++;
    }
  else if (match_minus (p, &len))
    {
      sign = -1;
      p += len;
    }
  else
    return FALSE;

  if (!g_ascii_isdigit (*p))
    return FALSE;
  if (g_ascii_isdigit (p[1]) && g_ascii_isdigit (p[2]) && g_ascii_isdigit (p[3]) &&
      !g_ascii_isdigit (p[4]))
    {
      hours = (p[0] - '0') * 10 + (p[1] - '0');
      mins = (p[2] - '0') * 10 + (p[3] - '0');
      p += 4;
    }
  else
    {
      if (!read_uint (&p, 2, &hours, &n) || (n == 1 && !short_ok))
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!read_uint (&p, 2, &mins, &n) || n != 2)
            return FALSE;
        }
    }
  if (hours > 14 || mins > 59)
    return FALSE;

  *minutes = sign * (hours * 60 + mins);
  *pp = p;
  return TRUE;
}

static gboolean
read_zone (const char **pp,
           int         *minutes)
{
  const char *p = *pp;
  char word[8];
  guint i;

  if (read_offset (&p, FALSE, minutes))
    {
      *pp = p;
      return TRUE;
    }
  if (!read_word (&p, word, sizeof word))
    return FALSE;
  for (i = 0; i < G_N_ELEMENTS (zone_abbrevs); i++)
    {
      if (strcmp (word, zone_abbrevs[i].name) != 0)
        continue;
      *minutes = zone_abbrevs[i].minutes;
      /* "GMT+1", "UTC-05:00" */
      if (*minutes == 0 && strcmp (word, "z") != 0)
        {
          int extra;

          if (read_offset (&p, TRUE, &extra))
            *minutes = extra;
        }
      *pp = p;
      return TRUE;
    }
  return FALSE;
}

/**
 * ps_parse_datetime:
 * @text: a date, or a date and time, as found in an export
 * @default_tz: (nullable): the zone of times that carry no zone; %NULL
 *   means UTC
 * @unix_utc: (out): the time as UTC Unix seconds
 *
 * Parses every date format of formats-and-carriers.md §1; the comment above
 * lists them and how ambiguous ones are read. A date without a time is
 * midnight. Fractions of a second are dropped. Safe to call from any
 * thread; never allocates.
 *
 * Returns: %TRUE if @text is a date
 */
gboolean
ps_parse_datetime (const char *text,
                   GTimeZone  *default_tz,
                   gint64     *unix_utc)
{
  const char *p;
  const char *q;
  int year, month, day;
  int hour = 0, minute = 0, second = 0;
  int offset = 0;
  gboolean have_offset = FALSE;
  GDate date;
  gint64 local;

  g_return_val_if_fail (unix_utc != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  p = skip_blanks (text);
  if (!parse_date_part (&p, &year, &month, &day))
    return FALSE;

  /* The time: after "T", blanks, or ", " */
  q = p;
  if (*q == 'T' || *q == 't')
    q++;
  else
    {
      if (*q == ',')
        q++;
      q = skip_blanks (q);
    }
  if (q != p && g_ascii_isdigit (*q))
    {
      guint n;

      p = q;
      if (!read_uint (&p, 2, &hour, NULL) || *p != ':')
        return FALSE;
      p++;
      if (!read_uint (&p, 2, &minute, &n) || n != 2)
        return FALSE;
      if (*p == ':')
        {
          p++;
          if (!read_uint (&p, 2, &second, &n) || n != 2)
            return FALSE;
          if (*p == '.' || *p == ',')
            {
              p++;
              if (!g_ascii_isdigit (*p))
                return FALSE;
              while (g_ascii_isdigit (*p))
                p++;
            }
        }
      if (hour > 23 || minute > 59 || second > 59)
        return FALSE;

      /* AM/PM */
      q = skip_blanks (p);
      if (g_ascii_strncasecmp (q, "a.m.", 4) == 0 || g_ascii_strncasecmp (q, "p.m.", 4) == 0 ||
          ((g_ascii_strncasecmp (q, "am", 2) == 0 || g_ascii_strncasecmp (q, "pm", 2) == 0) &&
           !g_ascii_isalpha (q[2])))
        {
          gboolean pm = g_ascii_tolower (*q) == 'p';

          if (hour < 1 || hour > 12)
            return FALSE;
          hour = (hour % 12) + (pm ? 12 : 0);
          p = q + (q[1] == '.' ? 4 : 2);
        }

      /* Zone */
      q = skip_blanks (p);
      if (read_zone (&q, &offset))
        {
          have_offset = TRUE;
          p = q;
        }
    }

  /* Anything left, such as a zone we do not know, makes the hour
   * uncertain: say no rather than guess. */
  p = skip_blanks (p);
  if (*p != '\0')
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  /* Julian day 1 is 0001-01-01; 719163 is 1970-01-01. */
  local = ((gint64) g_date_get_julian (&date) - 719163) * 86400 +
          hour * 3600 + minute * 60 + second;

  if (have_offset)
    *unix_utc = local - (gint64) offset * 60;
  else if (default_tz != NULL)
    {
      gint64 t = local;
      int interval = g_time_zone_adjust_time (default_tz, G_TIME_TYPE_STANDARD, &t);

      *unix_utc = t - g_time_zone_get_offset (default_tz, interval);
    }
  else
    *unix_utc = local;
  return TRUE;
}

/* Quantities and weights */

/**
 * ps_parse_quantity:
 * @text: a quantity as found in an export
 * @quantity: (out): the quantity
 *
 * Accepts a whole number from 1 to 1,000,000, optionally written with
 * zero decimals ("2.0", "2,00", as spreadsheets save them). Words ("two"),
 * zero, negative and fractional quantities, and thousands separators
 * ("1,000" could be one or a thousand) are rejected.
 *
 * Returns: %TRUE if @text is a quantity
 */
gboolean
ps_parse_quantity (const char *text,
                   int        *quantity)
{
  const char *p;
  int value;

  g_return_val_if_fail (quantity != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  p = skip_blanks (text);
  if (*p == '+')
    p++;
  if (!read_uint (&p, 7, &value, NULL))
    return FALSE;
  if (*p == '.' || *p == ',')
    {
      const char *zeros = ++p;

      while (*p == '0')
        p++;
      if (p == zeros || p - zeros == 3)
        return FALSE;
    }
  p = skip_blanks (p);
  if (*p != '\0' || value < 1 || value > 1000000)
    return FALSE;
  *quantity = value;
  return TRUE;
}

typedef enum
{
  UNIT_NONE,
  UNIT_G,
  UNIT_KG,
  UNIT_LB,
  UNIT_OZ,
} WeightUnit;

static WeightUnit
unit_from_word (const char *word)
{
  static const struct { const char *word; WeightUnit unit; } words[] = {
    { "g", UNIT_G }, { "gr", UNIT_G }, { "grs", UNIT_G }, { "gram", UNIT_G },
    { "grams", UNIT_G }, { "gramm", UNIT_G }, { "gramme", UNIT_G }, { "grammes", UNIT_G },
    { "kg", UNIT_KG }, { "kgs", UNIT_KG }, { "kilo", UNIT_KG }, { "kilos", UNIT_KG },
    { "kilogram", UNIT_KG }, { "kilograms", UNIT_KG }, { "kilogramme", UNIT_KG },
    { "kilogrammes", UNIT_KG },
    { "lb", UNIT_LB }, { "lbs", UNIT_LB }, { "pound", UNIT_LB }, { "pounds", UNIT_LB },
    { "oz", UNIT_OZ }, { "ozs", UNIT_OZ }, { "ounce", UNIT_OZ }, { "ounces", UNIT_OZ },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (word, words[i].word) == 0)
      return words[i].unit;
  return UNIT_NONE;
}

/* A weight number: digits with at most one decimal separator. Returns the
 * digits as @mantissa and the number of decimals as @scale; *@three_after
 * says the separator had exactly three digits after it ("1,500"). */
static gboolean
read_weight_number (const char **pp,
                    gint64      *mantissa,
                    guint       *scale,
                    gboolean    *three_after)
{
  const char *p = *pp;
  gint64 m = 0;
  guint n = 0;
  guint decimals = 0;
  char first = *p;
  gboolean in_decimals = FALSE;

  for (;;)
    {
      if (g_ascii_isdigit (*p))
        {
          if (++n > 10)
            return FALSE;
          m = m * 10 + (*p - '0');
          if (in_decimals)
            decimals++;
          p++;
        }
      else if ((*p == '.' || *p == ',') && !in_decimals && g_ascii_isdigit (p[1]))
        {
          in_decimals = TRUE;
          p++;
        }
      else
        break;
    }
  if (n == 0)
    return FALSE;
  *mantissa = m;
  *scale = decimals;
  /* Could be thousands: one to three digits, not starting with 0, then
   * exactly three. */
  *three_after = in_decimals && decimals == 3 && n > 3 && n <= 6 && first != '0';
  *pp = p;
  return TRUE;
}

static gboolean
read_unit (const char **pp,
           WeightUnit  *unit)
{
  const char *p = *pp;
  char word[16];

  if (!read_word (&p, word, sizeof word))
    return FALSE;
  *unit = unit_from_word (word);
  if (*unit == UNIT_NONE)
    return FALSE;
  if (*p == '.')
    p++;
  *pp = p;
  return TRUE;
}

/* Rounds @mantissa × 10^-@scale @unit to the nearest gram. */
static gint64
to_grams (gint64     mantissa,
          guint      scale,
          WeightUnit unit)
{
  /* One pound is exactly 453.59237 g, one ounce a sixteenth of that. */
  gint64 num, den;
  guint i;

  switch (unit)
    {
    case UNIT_KG: num = 1000; den = 1; break;
    case UNIT_LB: num = 45359237; den = 100000; break;
    case UNIT_OZ: num = 45359237; den = 1600000; break;
    case UNIT_G:
    case UNIT_NONE:
    default:
      num = 1; den = 1; break;
    }
  for (i = 0; i < scale; i++)
    den *= 10;
  return (mantissa * num * 2 + den) / (den * 2);
}

/**
 * ps_parse_weight:
 * @text: a weight as found in an export
 * @default_unit: (nullable): the unit of a bare number: "g", "kg", "lb"
 *   or "oz"; %NULL means grams
 * @grams: (out): the weight, rounded to the nearest gram
 *
 * Parses "2.5 lb", "1.2kg", "340 g", "12 oz", "1,5 kg", "1 lb 4 oz" and
 * bare numbers. Units may be spelled out and in any case ("Pounds", "kgs").
 * A decimal comma is accepted; "1,500 g" and "1.500 g" are 1500 grams,
 * because grams are never given with three decimals. Zero is accepted (a
 * weight of zero means "unknown" to the caller); negative weights are not.
 *
 * Returns: %TRUE if @text is a weight
 */
gboolean
ps_parse_weight (const char *text,
                 const char *default_unit,
                 int        *grams)
{
  const char *p;
  WeightUnit unit = UNIT_G;
  gint64 mantissa;
  guint scale;
  gboolean three_after;
  gint64 total;

  g_return_val_if_fail (grams != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  if (default_unit != NULL)
    {
      char word[16];
      const char *d = default_unit;

      if (!read_word (&d, word, sizeof word) || *d != '\0' ||
          (unit = unit_from_word (word)) == UNIT_NONE)
        {
          g_critical ("Unknown default weight unit “%s”", default_unit);
          return FALSE;
        }
    }

  p = skip_blanks (text);
  if (!read_weight_number (&p, &mantissa, &scale, &three_after))
    return FALSE;
  p = skip_blanks (p);
  if (*p != '\0' && !read_unit (&p, &unit))
    return FALSE;
  if (three_after && unit == UNIT_G)
    scale = 0;
  total = to_grams (mantissa, scale, unit);

  /* "1 lb 4 oz" */
  p = skip_blanks (p);
  if (*p != '\0')
    {
      WeightUnit second;

      if (unit != UNIT_LB || !read_weight_number (&p, &mantissa, &scale, &three_after))
        return FALSE;
      p = skip_blanks (p);
      if (!read_unit (&p, &second) || second != UNIT_OZ)
        return FALSE;
      total += to_grams (mantissa, scale, UNIT_OZ);
      p = skip_blanks (p);
      if (*p != '\0')
        return FALSE;
    }

  if (total > G_MAXINT)
    return FALSE;
  *grams = (int) total;
  return TRUE;
}

/* Countries
 *
 * ISO 3166-1 alpha-2 and alpha-3 codes and English short names, plus the
 * spellings shops and buyers use. Keys are folded with fold_key(), so case,
 * accents, spaces and punctuation never matter ("U.S.A.", "cote divoire").
 * XK (Kosovo) is not in ISO 3166-1 but every carrier uses it. */

typedef struct
{
  const char *code;
  const char *alpha3;
  const char *name;
  const char *aliases;  /* "|"-separated, or NULL */
} Country;

static const Country countries[] = {
  { "AD", "AND", "Andorra", NULL },
  { "AE", "ARE", "United Arab Emirates", "UAE|Emirates" },
  { "AF", "AFG", "Afghanistan", NULL },
  { "AG", "ATG", "Antigua and Barbuda", "Antigua & Barbuda|Antigua" },
  { "AI", "AIA", "Anguilla", NULL },
  { "AL", "ALB", "Albania", "Shqipëria" },
  { "AM", "ARM", "Armenia", NULL },
  { "AO", "AGO", "Angola", NULL },
  { "AQ", "ATA", "Antarctica", NULL },
  { "AR", "ARG", "Argentina", NULL },
  { "AS", "ASM", "American Samoa", NULL },
  { "AT", "AUT", "Austria", "Österreich" },
  { "AU", "AUS", "Australia", NULL },
  { "AW", "ABW", "Aruba", NULL },
  { "AX", "ALA", "Åland Islands", "Åland" },
  { "AZ", "AZE", "Azerbaijan", NULL },
  { "BA", "BIH", "Bosnia and Herzegovina", "Bosnia & Herzegovina|Bosnia|Bosna i Hercegovina" },
  { "BB", "BRB", "Barbados", NULL },
  { "BD", "BGD", "Bangladesh", NULL },
  { "BE", "BEL", "Belgium", "Belgique|België|Belgien" },
  { "BF", "BFA", "Burkina Faso", NULL },
  { "BG", "BGR", "Bulgaria", "България" },
  { "BH", "BHR", "Bahrain", NULL },
  { "BI", "BDI", "Burundi", NULL },
  { "BJ", "BEN", "Benin", NULL },
  { "BL", "BLM", "Saint Barthélemy", "St. Barthélemy|St Barts|Saint Barts" },
  { "BM", "BMU", "Bermuda", NULL },
  { "BN", "BRN", "Brunei", "Brunei Darussalam" },
  { "BO", "BOL", "Bolivia", "Bolivia, Plurinational State of|Plurinational State of Bolivia" },
  { "BQ", "BES", "Caribbean Netherlands",
    "Bonaire, Sint Eustatius and Saba|Bonaire, Saint Eustatius and Saba|Bonaire" },
  { "BR", "BRA", "Brazil", "Brasil" },
  { "BS", "BHS", "Bahamas", NULL },
  { "BT", "BTN", "Bhutan", NULL },
  { "BV", "BVT", "Bouvet Island", NULL },
  { "BW", "BWA", "Botswana", NULL },
  { "BY", "BLR", "Belarus", NULL },
  { "BZ", "BLZ", "Belize", NULL },
  { "CA", "CAN", "Canada", NULL },
  { "CC", "CCK", "Cocos (Keeling) Islands", "Cocos Islands|Keeling Islands" },
  { "CD", "COD", "Democratic Republic of the Congo",
    "Congo, Democratic Republic of the|Congo, The Democratic Republic of the|DR Congo|DRC|"
    "Congo-Kinshasa|Congo (Kinshasa)|Zaire" },
  { "CF", "CAF", "Central African Republic", NULL },
  { "CG", "COG", "Republic of the Congo",
    "Congo|Congo-Brazzaville|Congo (Brazzaville)|Congo Republic" },
  { "CH", "CHE", "Switzerland", "Schweiz|Suisse|Svizzera|Svizra|Helvetia" },
  { "CI", "CIV", "Côte d'Ivoire", "Ivory Coast" },
  { "CK", "COK", "Cook Islands", NULL },
  { "CL", "CHL", "Chile", NULL },
  { "CM", "CMR", "Cameroon", NULL },
  { "CN", "CHN", "China", "People's Republic of China|PRC|Mainland China|中国|中國" },
  { "CO", "COL", "Colombia", NULL },
  { "CR", "CRI", "Costa Rica", NULL },
  { "CU", "CUB", "Cuba", NULL },
  { "CV", "CPV", "Cabo Verde", "Cape Verde" },
  { "CW", "CUW", "Curaçao", NULL },
  { "CX", "CXR", "Christmas Island", NULL },
  { "CY", "CYP", "Cyprus", NULL },
  { "CZ", "CZE", "Czechia", "Czech Republic|Česko|Česká republika" },
  { "DE", "DEU", "Germany", "Deutschland|Federal Republic of Germany" },
  { "DJ", "DJI", "Djibouti", NULL },
  { "DK", "DNK", "Denmark", "Danmark" },
  { "DM", "DMA", "Dominica", NULL },
  { "DO", "DOM", "Dominican Republic", "República Dominicana" },
  { "DZ", "DZA", "Algeria", NULL },
  { "EC", "ECU", "Ecuador", NULL },
  { "EE", "EST", "Estonia", "Eesti" },
  { "EG", "EGY", "Egypt", NULL },
  { "EH", "ESH", "Western Sahara", NULL },
  { "ER", "ERI", "Eritrea", NULL },
  { "ES", "ESP", "Spain", "España" },
  { "ET", "ETH", "Ethiopia", NULL },
  { "FI", "FIN", "Finland", "Suomi" },
  { "FJ", "FJI", "Fiji", NULL },
  { "FK", "FLK", "Falkland Islands", "Falkland Islands (Malvinas)|Falklands|Malvinas" },
  { "FM", "FSM", "Micronesia", "Federated States of Micronesia|Micronesia, Federated States of" },
  { "FO", "FRO", "Faroe Islands", "Faeroe Islands|Føroyar" },
  { "FR", "FRA", "France", NULL },
  { "GA", "GAB", "Gabon", NULL },
  { "GB", "GBR", "United Kingdom",
    "UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland|"
    "United Kingdom of Great Britain and Northern Ireland" },
  { "GD", "GRD", "Grenada", NULL },
  { "GE", "GEO", "Georgia", NULL },
  { "GF", "GUF", "French Guiana", "Guyane" },
  { "GG", "GGY", "Guernsey", NULL },
  { "GH", "GHA", "Ghana", NULL },
  { "GI", "GIB", "Gibraltar", NULL },
  { "GL", "GRL", "Greenland", "Kalaallit Nunaat" },
  { "GM", "GMB", "Gambia", NULL },
  { "GN", "GIN", "Guinea", NULL },
  { "GP", "GLP", "Guadeloupe", NULL },
  { "GQ", "GNQ", "Equatorial Guinea", NULL },
  { "GR", "GRC", "Greece", "Hellas|Ελλάδα" },
  { "GS", "SGS", "South Georgia and the South Sandwich Islands", "South Georgia" },
  { "GT", "GTM", "Guatemala", NULL },
  { "GU", "GUM", "Guam", NULL },
  { "GW", "GNB", "Guinea-Bissau", NULL },
  { "GY", "GUY", "Guyana", NULL },
  { "HK", "HKG", "Hong Kong", "Hong Kong SAR|Hong Kong SAR China|Hong Kong, China|香港" },
  { "HM", "HMD", "Heard Island and McDonald Islands", NULL },
  { "HN", "HND", "Honduras", NULL },
  { "HR", "HRV", "Croatia", "Hrvatska" },
  { "HT", "HTI", "Haiti", NULL },
  { "HU", "HUN", "Hungary", "Magyarország" },
  { "ID", "IDN", "Indonesia", NULL },
  { "IE", "IRL", "Ireland", "Éire|Republic of Ireland" },
  { "IL", "ISR", "Israel", NULL },
  { "IM", "IMN", "Isle of Man", NULL },
  { "IN", "IND", "India", "Bharat" },
  { "IO", "IOT", "British Indian Ocean Territory", NULL },
  { "IQ", "IRQ", "Iraq", NULL },
  { "IR", "IRN", "Iran", "Iran, Islamic Republic of|Islamic Republic of Iran" },
  { "IS", "ISL", "Iceland", "Ísland" },
  { "IT", "ITA", "Italy", "Italia" },
  { "JE", "JEY", "Jersey", NULL },
  { "JM", "JAM", "Jamaica", NULL },
  { "JO", "JOR", "Jordan", NULL },
  { "JP", "JPN", "Japan", "Nippon|Nihon|日本" },
  { "KE", "KEN", "Kenya", NULL },
  { "KG", "KGZ", "Kyrgyzstan", "Kyrgyz Republic" },
  { "KH", "KHM", "Cambodia", NULL },
  { "KI", "KIR", "Kiribati", NULL },
  { "KM", "COM", "Comoros", NULL },
  { "KN", "KNA", "Saint Kitts and Nevis", "St. Kitts and Nevis|St Kitts and Nevis" },
  { "KP", "PRK", "North Korea",
    "Korea, Democratic People's Republic of|Democratic People's Republic of Korea|DPRK" },
  { "KR", "KOR", "South Korea", "Korea|Korea, Republic of|Republic of Korea|대한민국|한국" },
  { "KW", "KWT", "Kuwait", NULL },
  { "KY", "CYM", "Cayman Islands", NULL },
  { "KZ", "KAZ", "Kazakhstan", NULL },
  { "LA", "LAO", "Laos", "Lao People's Democratic Republic|Lao PDR" },
  { "LB", "LBN", "Lebanon", NULL },
  { "LC", "LCA", "Saint Lucia", "St. Lucia" },
  { "LI", "LIE", "Liechtenstein", NULL },
  { "LK", "LKA", "Sri Lanka", NULL },
  { "LR", "LBR", "Liberia", NULL },
  { "LS", "LSO", "Lesotho", NULL },
  { "LT", "LTU", "Lithuania", "Lietuva" },
  { "LU", "LUX", "Luxembourg", "Lëtzebuerg|Luxemburg" },
  { "LV", "LVA", "Latvia", "Latvija" },
  { "LY", "LBY", "Libya", NULL },
  { "MA", "MAR", "Morocco", NULL },
  { "MC", "MCO", "Monaco", NULL },
  { "MD", "MDA", "Moldova", "Moldova, Republic of|Republic of Moldova" },
  { "ME", "MNE", "Montenegro", "Crna Gora" },
  { "MF", "MAF", "Saint Martin", "Saint Martin (French part)|St. Martin" },
  { "MG", "MDG", "Madagascar", NULL },
  { "MH", "MHL", "Marshall Islands", NULL },
  { "MK", "MKD", "North Macedonia",
    "Macedonia|Macedonia, the former Yugoslav Republic of|Republic of North Macedonia" },
  { "ML", "MLI", "Mali", NULL },
  { "MM", "MMR", "Myanmar", "Burma|Myanmar (Burma)" },
  { "MN", "MNG", "Mongolia", NULL },
  { "MO", "MAC", "Macao", "Macau|Macao SAR China|澳門" },
  { "MP", "MNP", "Northern Mariana Islands", NULL },
  { "MQ", "MTQ", "Martinique", NULL },
  { "MR", "MRT", "Mauritania", NULL },
  { "MS", "MSR", "Montserrat", NULL },
  { "MT", "MLT", "Malta", NULL },
  { "MU", "MUS", "Mauritius", NULL },
  { "MV", "MDV", "Maldives", NULL },
  { "MW", "MWI", "Malawi", NULL },
  { "MX", "MEX", "Mexico", "México" },
  { "MY", "MYS", "Malaysia", NULL },
  { "MZ", "MOZ", "Mozambique", NULL },
  { "NA", "NAM", "Namibia", NULL },
  { "NC", "NCL", "New Caledonia", "Nouvelle-Calédonie" },
  { "NE", "NER", "Niger", NULL },
  { "NF", "NFK", "Norfolk Island", NULL },
  { "NG", "NGA", "Nigeria", NULL },
  { "NI", "NIC", "Nicaragua", NULL },
  { "NL", "NLD", "Netherlands", "Nederland|Holland|Netherlands, Kingdom of the" },
  { "NO", "NOR", "Norway", "Norge|Noreg" },
  { "NP", "NPL", "Nepal", NULL },
  { "NR", "NRU", "Nauru", NULL },
  { "NU", "NIU", "Niue", NULL },
  { "NZ", "NZL", "New Zealand", "Aotearoa" },
  { "OM", "OMN", "Oman", NULL },
  { "PA", "PAN", "Panama", NULL },
  { "PE", "PER", "Peru", NULL },
  { "PF", "PYF", "French Polynesia", "Polynésie française" },
  { "PG", "PNG", "Papua New Guinea", NULL },
  { "PH", "PHL", "Philippines", "Pilipinas" },
  { "PK", "PAK", "Pakistan", NULL },
  { "PL", "POL", "Poland", "Polska" },
  { "PM", "SPM", "Saint Pierre and Miquelon", "St. Pierre and Miquelon" },
  { "PN", "PCN", "Pitcairn Islands", "Pitcairn" },
  { "PR", "PRI", "Puerto Rico", NULL },
  { "PS", "PSE", "Palestine", "Palestine, State of|State of Palestine|Palestinian Territories" },
  { "PT", "PRT", "Portugal", NULL },
  { "PW", "PLW", "Palau", NULL },
  { "PY", "PRY", "Paraguay", NULL },
  { "QA", "QAT", "Qatar", NULL },
  { "RE", "REU", "Réunion", NULL },
  { "RO", "ROU", "Romania", "România" },
  { "RS", "SRB", "Serbia", "Srbija|Србија" },
  { "RU", "RUS", "Russia", "Russian Federation|Россия" },
  { "RW", "RWA", "Rwanda", NULL },
  { "SA", "SAU", "Saudi Arabia", "KSA" },
  { "SB", "SLB", "Solomon Islands", NULL },
  { "SC", "SYC", "Seychelles", NULL },
  { "SD", "SDN", "Sudan", NULL },
  { "SE", "SWE", "Sweden", "Sverige" },
  { "SG", "SGP", "Singapore", NULL },
  { "SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha",
    "Saint Helena|St. Helena|Ascension Island|Tristan da Cunha" },
  { "SI", "SVN", "Slovenia", "Slovenija" },
  { "SJ", "SJM", "Svalbard and Jan Mayen", "Svalbard" },
  { "SK", "SVK", "Slovakia", "Slovensko|Slovak Republic" },
  { "SL", "SLE", "Sierra Leone", NULL },
  { "SM", "SMR", "San Marino", NULL },
  { "SN", "SEN", "Senegal", NULL },
  { "SO", "SOM", "Somalia", NULL },
  { "SR", "SUR", "Suriname", "Surinam" },
  { "SS", "SSD", "South Sudan", NULL },
  { "ST", "STP", "São Tomé and Príncipe", NULL },
  { "SV", "SLV", "El Salvador", NULL },
  { "SX", "SXM", "Sint Maarten", "Sint Maarten (Dutch part)" },
  { "SY", "SYR", "Syria", "Syrian Arab Republic" },
  { "SZ", "SWZ", "Eswatini", "Swaziland" },
  { "TC", "TCA", "Turks and Caicos Islands", "Turks & Caicos" },
  { "TD", "TCD", "Chad", NULL },
  { "TF", "ATF", "French Southern Territories", "French Southern and Antarctic Lands" },
  { "TG", "TGO", "Togo", NULL },
  { "TH", "THA", "Thailand", NULL },
  { "TJ", "TJK", "Tajikistan", NULL },
  { "TK", "TKL", "Tokelau", NULL },
  { "TL", "TLS", "Timor-Leste", "East Timor" },
  { "TM", "TKM", "Turkmenistan", NULL },
  { "TN", "TUN", "Tunisia", NULL },
  { "TO", "TON", "Tonga", NULL },
  { "TR", "TUR", "Türkiye", "Turkey" },
  { "TT", "TTO", "Trinidad and Tobago", "Trinidad & Tobago|Trinidad" },
  { "TV", "TUV", "Tuvalu", NULL },
  { "TW", "TWN", "Taiwan", "Taiwan, Province of China|台灣|臺灣" },
  { "TZ", "TZA", "Tanzania", "Tanzania, United Republic of|United Republic of Tanzania" },
  { "UA", "UKR", "Ukraine", "Україна" },
  { "UG", "UGA", "Uganda", NULL },
  { "UM", "UMI", "United States Minor Outlying Islands", "U.S. Minor Outlying Islands" },
  { "US", "USA", "United States",
    "U.S.|United States of America|America|U.S. of A.|United States (US)" },
  { "UY", "URY", "Uruguay", NULL },
  { "UZ", "UZB", "Uzbekistan", NULL },
  { "VA", "VAT", "Vatican City", "Holy See|Holy See (Vatican City State)|Vatican" },
  { "VC", "VCT", "Saint Vincent and the Grenadines",
    "St. Vincent and the Grenadines|St Vincent & Grenadines|Saint Vincent" },
  { "VE", "VEN", "Venezuela", "Venezuela, Bolivarian Republic of" },
  { "VG", "VGB", "British Virgin Islands", "Virgin Islands, British|BVI" },
  { "VI", "VIR", "U.S. Virgin Islands",
    "US Virgin Islands|Virgin Islands, U.S.|United States Virgin Islands|USVI" },
  { "VN", "VNM", "Vietnam", "Viet Nam" },
  { "VU", "VUT", "Vanuatu", NULL },
  { "WF", "WLF", "Wallis and Futuna", NULL },
  { "WS", "WSM", "Samoa", NULL },
  { "XK", "XKX", "Kosovo", NULL },
  { "YE", "YEM", "Yemen", NULL },
  { "YT", "MYT", "Mayotte", NULL },
  { "ZA", "ZAF", "South Africa", NULL },
  { "ZM", "ZMB", "Zambia", NULL },
  { "ZW", "ZWE", "Zimbabwe", NULL },
};

typedef struct
{
  GHashTable  *by_key;    /* folded spelling -> code */
  const char **codes;     /* NULL-terminated */
} CountryIndex;

static gpointer
build_country_index (gpointer data)
{
  CountryIndex *index = g_new0 (CountryIndex, 1);
  guint i;

  index->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index->codes = g_new0 (const char *, G_N_ELEMENTS (countries) + 1);
  for (i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      const Country *c = &countries[i];

      g_assert (strlen (c->code) == 2 && strlen (c->alpha3) == 3);
      index->codes[i] = c->code;
      add_spellings (index->by_key, c->code, c->code);
      add_spellings (index->by_key, c->alpha3, c->code);
      add_spellings (index->by_key, c->name, c->code);
      if (c->aliases != NULL)
        add_spellings (index->by_key, c->aliases, c->code);
    }
  return index;
}

static const CountryIndex *
country_index (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_country_index, NULL);
}

/**
 * ps_country_code:
 * @text: (nullable): a country as found in an export: a code, a name or
 *   a common other spelling
 *
 * Maps "United States", "USA", "U.S.", "us", "Deutschland", "UK", "日本"
 * and the like to ISO 3166-1 alpha-2. Case, accents, blanks and
 * punctuation do not matter, nor does a leading "The". Alpha-3 codes are
 * understood. Safe to call from any thread; never allocates.
 *
 * Returns: (transfer none) (nullable): the alpha-2 code, or %NULL if
 *   @text is not a country we know
 */
const char *
ps_country_code (const char *text)
{
  const CountryIndex *index;
  const char *code;
  char key[128];

  if (text == NULL || !fold_key (text, key, sizeof key) || key[0] == '\0')
    return NULL;

  index = country_index ();
  code = g_hash_table_lookup (index->by_key, key);
  if (code == NULL && g_str_has_prefix (key, "the") && key[3] != '\0')
    code = g_hash_table_lookup (index->by_key, key + 3);
  return code;
}

/**
 * ps_country_name:
 * @code: (nullable): an ISO 3166-1 alpha-2 code, in any case
 *
 * Returns: (transfer none) (nullable): the English short name ("Germany"),
 *   or %NULL if @code is not a code we know
 */
const char *
ps_country_name (const char *code)
{
  guint lo = 0, hi = G_N_ELEMENTS (countries);
  char upper[3];

  if (code == NULL || strlen (code) != 2)
    return NULL;
  upper[0] = g_ascii_toupper (code[0]);
  upper[1] = g_ascii_toupper (code[1]);
  upper[2] = '\0';

  /* The table is sorted by code. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      int cmp = strcmp (upper, countries[mid].code);

      if (cmp == 0)
        return countries[mid].name;
      if (cmp < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

/**
 * ps_country_list:
 *
 * Returns: (transfer none): every alpha-2 code ps_country_code() can
 *   return, sorted, %NULL-terminated
 */
const char * const *
ps_country_list (void)
{
  return (const char * const *) country_index ()->codes;
}

/* Regions: US states and territories, Canadian provinces and territories,
 * Australian states and territories. The code comes first, then the
 * spellings that mean it. */

typedef struct
{
  const char *code;
  const char *spellings;
} Region;

static const Region us_regions[] = {
  { "AL", "Alabama|Ala." },
  { "AK", "Alaska" },
  { "AZ", "Arizona|Ariz." },
  { "AR", "Arkansas|Ark." },
  { "CA", "California|Calif.|Cal." },
  { "CO", "Colorado|Colo." },
  { "CT", "Connecticut|Conn." },
  { "DE", "Delaware|Del." },
  { "DC", "District of Columbia|Washington DC|Washington, D.C.|D.C." },
  { "FL", "Florida|Fla." },
  { "GA", "Georgia" },
  { "HI", "Hawaii|Hawaiʻi|Hawai'i" },
  { "ID", "Idaho" },
  { "IL", "Illinois|Ill." },
  { "IN", "Indiana|Ind." },
  { "IA", "Iowa" },
  { "KS", "Kansas|Kan.|Kans." },
  { "KY", "Kentucky|Ky." },
  { "LA", "Louisiana" },
  { "ME", "Maine" },
  { "MD", "Maryland|Md." },
  { "MA", "Massachusetts|Mass." },
  { "MI", "Michigan|Mich." },
  { "MN", "Minnesota|Minn." },
  { "MS", "Mississippi|Miss." },
  { "MO", "Missouri" },
  { "MT", "Montana|Mont." },
  { "NE", "Nebraska|Neb.|Nebr." },
  { "NV", "Nevada|Nev." },
  { "NH", "New Hampshire" },
  { "NJ", "New Jersey" },
  { "NM", "New Mexico" },
  { "NY", "New York|New York State" },
  { "NC", "North Carolina" },
  { "ND", "North Dakota" },
  { "OH", "Ohio" },
  { "OK", "Oklahoma|Okla." },
  { "OR", "Oregon|Ore.|Oreg." },
  { "PA", "Pennsylvania|Penn.|Penna." },
  { "RI", "Rhode Island" },
  { "SC", "South Carolina" },
  { "SD", "South Dakota" },
  { "TN", "Tennessee|Tenn." },
  { "TX", "Texas|Tex." },
  { "UT", "Utah" },
  { "VT", "Vermont" },
  { "VA", "Virginia" },
  { "WA", "Washington|Washington State|Wash." },
  { "WV", "West Virginia|W. Va.|W.Va." },
  { "WI", "Wisconsin|Wis.|Wisc." },
  { "WY", "Wyoming|Wyo." },
  { "AS", "American Samoa" },
  { "GU", "Guam" },
  { "MP", "Northern Mariana Islands" },
  { "PR", "Puerto Rico" },
  { "VI", "U.S. Virgin Islands|US Virgin Islands|United States Virgin Islands|Virgin Islands" },
  { "FM", "Federated States of Micronesia|Micronesia" },
  { "MH", "Marshall Islands" },
  { "PW", "Palau" },
  { "AA", "Armed Forces Americas|Armed Forces Americas (except Canada)" },
  { "AE", "Armed Forces Europe|Armed Forces Middle East|Armed Forces Africa|Armed Forces Canada|"
          "Armed Forces Europe, the Middle East, and Canada" },
  { "AP", "Armed Forces Pacific" },
};

static const Region ca_regions[] = {
  { "AB", "Alberta|Alta." },
  { "BC", "British Columbia|Colombie-Britannique" },
  { "MB", "Manitoba|Man." },
  { "NB", "New Brunswick|Nouveau-Brunswick" },
  { "NL", "Newfoundland and Labrador|Newfoundland|Labrador|Terre-Neuve-et-Labrador|NF|Nfld." },
  { "NS", "Nova Scotia|Nouvelle-Écosse" },
  { "NT", "Northwest Territories|Territoires du Nord-Ouest|NWT" },
  { "NU", "Nunavut" },
  { "ON", "Ontario|Ont." },
  { "PE", "Prince Edward Island|Île-du-Prince-Édouard|PEI" },
  { "QC", "Quebec|PQ|Que." },
  { "SK", "Saskatchewan|Sask." },
  { "YT", "Yukon|Yukon Territory|YK" },
};

static const Region au_regions[] = {
  { "ACT", "Australian Capital Territory" },
  { "NSW", "New South Wales" },
  { "NT", "Northern Territory" },
  { "QLD", "Queensland" },
  { "SA", "South Australia" },
  { "TAS", "Tasmania" },
  { "VIC", "Victoria" },
  { "WA", "Western Australia" },
};

typedef struct
{
  const char   *country;
  const Region *regions;
  gsize         n_regions;
} RegionSet;

static const RegionSet region_sets[] = {
  { "US", us_regions, G_N_ELEMENTS (us_regions) },
  { "CA", ca_regions, G_N_ELEMENTS (ca_regions) },
  { "AU", au_regions, G_N_ELEMENTS (au_regions) },
};

static gpointer
build_region_index (gpointer data)
{
  GHashTable **tables = g_new0 (GHashTable *, G_N_ELEMENTS (region_sets));
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (region_sets); i++)
    {
      tables[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (j = 0; j < region_sets[i].n_regions; j++)
        {
          const Region *r = &region_sets[i].regions[j];

          add_spellings (tables[i], r->code, r->code);
          add_spellings (tables[i], r->spellings, r->code);
        }
    }
  return tables;
}

static const char *
lookup_region (guint       set,
               const char *text)
{
  static GOnce once = G_ONCE_INIT;
  GHashTable **tables = g_once (&once, build_region_index, NULL);
  const char *country = region_sets[set].country;
  char key[96];

  /* ISO 3166-2 as Shopify writes it: "US-OR", "CA-ON", "AU-NSW". */
  if (g_ascii_strncasecmp (text, country, 2) == 0 && text[2] == '-' && text[3] != '\0')
    text += 3;

  if (!fold_key (text, key, sizeof key) || key[0] == '\0')
    return NULL;
  return g_hash_table_lookup (tables[set], key);
}

/**
 * ps_region_code:
 * @country: (nullable): an ISO 3166-1 alpha-2 code, or a country name
 *   ps_country_code() knows
 * @text: (nullable): a state, province or territory: a code, a name or
 *   an ISO 3166-2 code ("US-OR")
 *
 * Maps US states (with DC, the territories, the freely associated states
 * and the military codes AA, AE and AP), Canadian provinces and territories
 * and Australian states and territories to their postal codes: "Oregon" ->
 * "OR", "Québec" -> "QC", "New South Wales" -> "NSW". Codes in any case
 * come back upper-cased. Case, accents and punctuation do not matter
 * ("n.y.", "Newfoundland & Labrador"). When @country is %NULL, the US,
 * then Canada, then Australia are tried. Safe to call from any thread;
 * never allocates.
 *
 * Returns: (transfer none) (nullable): the code, or %NULL if unknown or
 *   if @country has no table
 */
const char *
ps_region_code (const char *country,
                const char *text)
{
  guint i;

  if (is_blank_or_null (text))
    return NULL;

  if (is_blank_or_null (country))
    {
      for (i = 0; i < G_N_ELEMENTS (region_sets); i++)
        {
          const char *code = lookup_region (i, text);

          if (code != NULL)
            return code;
        }
      return NULL;
    }

  if (strlen (country) != 2)
    country = ps_country_code (country);
  if (country == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (region_sets); i++)
    if (g_ascii_strcasecmp (country, region_sets[i].country) == 0)
      return lookup_region (i, text);
  return NULL;
}

/* Address check
 *
 * Postal code patterns match the whole code after trimming, upper-casing
 * and collapsing blanks. Where people often write the country's old vehicle
 * letter in front ("D-10115", "CH-8001"), the pattern accepts it. */

typedef enum
{
  NEED_LINE1    = 1 << 0,
  NEED_CITY     = 1 << 1,
  NEED_STATE    = 1 << 2,
  NEED_POSTCODE = 1 << 3,
  KNOWN_STATE   = 1 << 4,   /* the state must be one ps_region_code() knows */
  NO_POSTCODE   = 1 << 5,   /* the country has no postal codes: ignore one */
} AddressNeeds;

#define NEED_BASIC (NEED_LINE1 | NEED_CITY)
#define NEED_ZIP   (NEED_LINE1 | NEED_CITY | NEED_POSTCODE)

typedef struct
{
  const char *country;
  guint       needs;
  const char *label;        /* what the country calls its postal code */
  const char *state_label;  /* and its states */
  const char *pattern;      /* NULL: not checked */
  const char *example;
} AddressRule;

static const AddressRule address_rules[] = {
  { "US", NEED_ZIP | NEED_STATE | KNOWN_STATE, "ZIP code", "state",
    "\\d{5}(?:[ -]?\\d{4})?", "97201" },
  { "CA", NEED_ZIP | NEED_STATE | KNOWN_STATE, "postal code", "province",
    "[ABCEGHJ-NPRSTVXY]\\d[ABCEGHJ-NPRSTV-Z] ?\\d[ABCEGHJ-NPRSTV-Z]\\d", "K2P 2L8" },
  { "GB", NEED_ZIP, "postcode", NULL,
    "GIR ?0AA|BFPO ?\\d{1,4}|"
    "[A-PR-UWYZ](?:\\d[A-HJKPSTUW\\d]?|[A-HK-Y]\\d[ABEHMNPRVWXY\\d]?) ?\\d[ABD-HJLNP-UW-Z]{2}",
    "SW1A 1AA" },
  { "DE", NEED_ZIP, "postcode", NULL, "(?:DE?-)?\\d{5}", "10115" },
  { "FR", NEED_ZIP, "postcode", NULL, "(?:FR?-)?\\d{2} ?\\d{3}", "75008" },
  { "NL", NEED_ZIP, "postcode", NULL, "(?:NL-)?[1-9]\\d{3} ?[A-Z]{2}", "1012 AB" },
  { "BE", NEED_ZIP, "postcode", NULL, "(?:BE?-)?[1-9]\\d{3}", "1000" },
  { "AT", NEED_ZIP, "postcode", NULL, "(?:AT?-)?[1-9]\\d{3}", "1010" },
  { "CH", NEED_ZIP, "postcode", NULL, "(?:CH-)?[1-9]\\d{3}", "8001" },
  { "IT", NEED_ZIP, "postcode", NULL, "(?:IT?-)?\\d{5}", "00144" },
  { "ES", NEED_ZIP, "postcode", NULL, "(?:ES?-)?(?:0[1-9]|[1-4]\\d|5[0-2])\\d{3}", "28013" },
  { "PT", NEED_ZIP, "postcode", NULL, "(?:PT?-)?[1-9]\\d{3}[ -]?\\d{3}", "1100-148" },
  { "IE", NEED_BASIC, "Eircode", NULL,
    "(?:[AC-FHKNPRTV-Y]\\d{2}|D6W)(?: ?[\\dAC-FHKNPRTV-Y]{4})?", "D02 X285" },
  { "DK", NEED_ZIP, "postcode", NULL, "(?:DK-)?\\d{4}", "8660" },
  { "SE", NEED_ZIP, "postcode", NULL, "(?:SE?-)?[1-9]\\d{2} ?\\d{2}", "114 55" },
  { "NO", NEED_ZIP, "postcode", NULL, "(?:NO?-)?\\d{4}", "0150" },
  { "FI", NEED_ZIP, "postcode", NULL, "(?:FI-)?\\d{5}", "00100" },
  { "PL", NEED_ZIP, "postcode", NULL, "(?:PL-)?\\d{2}-?\\d{3}", "00-950" },
  { "CZ", NEED_ZIP, "postcode", NULL, "(?:CZ-)?[1-7]\\d{2} ?\\d{2}", "110 00" },
  { "AU", NEED_ZIP | NEED_STATE | KNOWN_STATE, "postcode", "state", "\\d{4}", "2000" },
  { "NZ", NEED_ZIP, "postcode", NULL, "\\d{4}", "6011" },
  /* Japanese addresses put the city in the street lines. */
  { "JP", NEED_LINE1 | NEED_POSTCODE, "postal code", "prefecture", "\\d{3}-?\\d{4}", "100-0001" },
  { "MX", NEED_ZIP, "postal code", "state", "\\d{5}", "06600" },
  { "BR", NEED_ZIP | NEED_STATE, "CEP", "state", "\\d{5}-?\\d{3}", "01310-100" },
  { "IN", NEED_ZIP | NEED_STATE, "PIN code", "state", "[1-9]\\d{2} ?\\d{3}", "110001" },
  /* City states. */
  { "SG", NEED_LINE1 | NEED_POSTCODE, "postal code", NULL, "\\d{6}", "238801" },
  { "HK", NEED_LINE1 | NO_POSTCODE, "postcode", NULL, NULL, NULL },
  { "MO", NEED_LINE1 | NO_POSTCODE, "postcode", NULL, NULL, NULL },
  /* Checked when given, not required. */
  { "LU", NEED_BASIC, "postcode", NULL, "(?:LU?-)?\\d{4}", "1950" },
  { "GR", NEED_BASIC, "postcode", NULL, "\\d{3} ?\\d{2}", "106 71" },
  { "HU", NEED_BASIC, "postcode", NULL, "\\d{4}", "1051" },
  { "SK", NEED_BASIC, "postcode", NULL, "(?:SK-)?\\d{3} ?\\d{2}", "811 01" },
  { "SI", NEED_BASIC, "postcode", NULL, "(?:SI-)?\\d{4}", "1000" },
  { "HR", NEED_BASIC, "postcode", NULL, "(?:HR-)?\\d{5}", "10000" },
  { "RO", NEED_BASIC, "postcode", NULL, "\\d{6}", "010011" },
  { "BG", NEED_BASIC, "postcode", NULL, "\\d{4}", "1000" },
  { "EE", NEED_BASIC, "postcode", NULL, "\\d{5}", "10111" },
  { "LV", NEED_BASIC, "postcode", NULL, "(?:LV-)?\\d{4}", "LV-1050" },
  { "LT", NEED_BASIC, "postcode", NULL, "(?:LT-)?\\d{5}", "01100" },
  { "IS", NEED_BASIC, "postcode", NULL, "\\d{3}", "101" },
  { "KR", NEED_BASIC, "postal code", NULL, "\\d{5}", "03187" },
  { "CN", NEED_BASIC, "postal code", NULL, "\\d{6}", "100000" },
  { "TW", NEED_BASIC, "postal code", NULL, "\\d{3}(?:\\d{2,3})?", "100" },
  { "ZA", NEED_BASIC, "postal code", NULL, "\\d{4}", "8001" },
  { "IL", NEED_BASIC, "postal code", NULL, "\\d{5}(?:\\d{2})?", "9614303" },
  { "AE", NEED_LINE1 | NO_POSTCODE, "postcode", NULL, NULL, NULL },
};

/* The first letter of a Canadian postal code names the province. */
static const struct
{
  char        letter;
  const char *provinces;
} ca_postal_letters[] = {
  { 'A', "NL" }, { 'B', "NS" }, { 'C', "PE" }, { 'E', "NB" },
  { 'G', "QC" }, { 'H', "QC" }, { 'J', "QC" },
  { 'K', "ON" }, { 'L', "ON" }, { 'M', "ON" }, { 'N', "ON" }, { 'P', "ON" },
  { 'R', "MB" }, { 'S', "SK" }, { 'T', "AB" }, { 'V', "BC" },
  { 'X', "NT NU" }, { 'Y', "YT" },
};

static const AddressRule default_rule = {
  NULL, NEED_BASIC, "postal code", NULL, NULL, NULL
};

static gpointer
compile_patterns (gpointer data)
{
  GRegex **regexes = g_new0 (GRegex *, G_N_ELEMENTS (address_rules));
  guint i;

  for (i = 0; i < G_N_ELEMENTS (address_rules); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *anchored = NULL;

      if (address_rules[i].pattern == NULL)
        continue;
      anchored = g_strdup_printf ("^(?:%s)$", address_rules[i].pattern);
      regexes[i] = g_regex_new (anchored, G_REGEX_OPTIMIZE, 0, &error);
      if (regexes[i] == NULL)
        g_critical ("Bad postal code pattern for %s: %s", address_rules[i].country, error->message);
    }
  return regexes;
}

static GRegex *
rule_regex (const AddressRule *rule)
{
  static GOnce once = G_ONCE_INIT;
  GRegex **regexes = g_once (&once, compile_patterns, NULL);

  if (rule < address_rules || rule >= address_rules + G_N_ELEMENTS (address_rules))
    return NULL;
  return regexes[rule - address_rules];
}

/* Trims, upper-cases and collapses blanks into @buf. FALSE if it does not
 * fit; no postal code is that long. */
static gboolean
normalize_postcode (const char *postcode,
                    char       *buf,
                    gsize       size)
{
  const char *p = skip_blanks (postcode);
  gsize n = 0;

  while (*p != '\0')
    {
      gsize blank = blank_len (p);

      if (blank > 0)
        {
          p = skip_blanks (p);
          if (*p == '\0')
            break;
          if (n + 1 >= size)
            return FALSE;
          buf[n++] = ' ';
          continue;
        }
      if (n + 1 >= size)
        return FALSE;
      buf[n++] = g_ascii_toupper (*p);
      p++;
    }
  buf[n] = '\0';
  return TRUE;
}

/* "a US …", "an FR …": the article before a letter-by-letter code. */
static const char *
article_for (const char *code)
{
  return strchr ("AEFHILMNORSX", code[0]) != NULL ? "an" : "a";
}

static void
add_problem (GString    **message,
             const char  *text)
{
  if (*message == NULL)
    *message = g_string_new (NULL);
  else
    g_string_append (*message, "; ");
  g_string_append (*message, text);
}

static void
add_missing (GString    **message,
             const char  *field,
             const char  *country)
{
  g_autofree char *text = NULL;

  if (country != NULL)
    text = g_strdup_printf ("%c%s is missing for %s %s address", g_ascii_toupper (field[0]),
                            field + 1, article_for (country), country);
  else
    text = g_strdup_printf ("%c%s is missing", g_ascii_toupper (field[0]), field + 1);
  add_problem (message, text);
}

/**
 * ps_address_check:
 * @country: (nullable): ISO 3166-1 alpha-2 code, or a name
 *   ps_country_code() knows
 * @state: (nullable): state, province or region
 * @postcode: (nullable): postal code
 * @city: (nullable): city
 * @line1: (nullable): first street line
 * @message: (out) (optional) (transfer full) (nullable): where to store
 *   why the address fails, or %NULL
 *
 * Checks an address offline: the fields its country requires, the postal
 * code's pattern, and for the US, Canada and Australia that the state is a
 * real one (and for Canada that it agrees with the postal code). Countries
 * without a rule of their own need a street line and a city. The message is
 * one line of English naming each field and value that is wrong, joined
 * with "; ", for example "ZIP code “9720” does not look like a US ZIP code
 * (like 97201)". Safe to call from any thread; allocates only the message.
 *
 * Returns: %TRUE if the address passes; *@message is then %NULL
 */
gboolean
ps_address_check (const char  *country,
                  const char  *state,
                  const char  *postcode,
                  const char  *city,
                  const char  *line1,
                  char       **message)
{
  const AddressRule *rule = &default_rule;
  const char *code;
  const char *region = NULL;
  GString *problems = NULL;
  gboolean ok = TRUE;
  char zip[32];
  guint i;

  if (message != NULL)
    *message = NULL;

  if (is_blank_or_null (country))
    {
      if (message != NULL)
        *message = g_strdup ("Country is missing");
      return FALSE;
    }
  code = ps_country_code (country);
  if (code == NULL)
    {
      if (message != NULL)
        *message = g_strdup_printf ("Country “%s” is not a country we know", country);
      return FALSE;
    }

  for (i = 0; i < G_N_ELEMENTS (address_rules); i++)
    if (strcmp (address_rules[i].country, code) == 0)
      {
        rule = &address_rules[i];
        break;
      }

  /* Street and city */
  if ((rule->needs & NEED_LINE1) && is_blank_or_null (line1))
    {
      ok = FALSE;
      if (message != NULL)
        add_missing (&problems, "street address", NULL);
    }
  if ((rule->needs & NEED_CITY) && is_blank_or_null (city))
    {
      ok = FALSE;
      if (message != NULL)
        add_missing (&problems, "city", NULL);
    }

  /* State */
  if ((rule->needs & NEED_STATE) && is_blank_or_null (state))
    {
      ok = FALSE;
      if (message != NULL)
        add_missing (&problems, rule->state_label, code);
    }
  else if ((rule->needs & KNOWN_STATE) && !is_blank_or_null (state))
    {
      region = ps_region_code (code, state);
      if (region == NULL)
        {
          ok = FALSE;
          if (message != NULL)
            {
              g_autofree char *text = NULL;

              text = g_strdup_printf ("%c%s “%s” is not %s %s %s",
                                      g_ascii_toupper (rule->state_label[0]), rule->state_label + 1,
                                      state, article_for (code), code, rule->state_label);
              add_problem (&problems, text);
            }
        }
    }

  /* Postal code; Shopify writes "-" for none. */
  if (!(rule->needs & NO_POSTCODE))
    {
      gboolean fits = postcode != NULL && normalize_postcode (postcode, zip, sizeof zip);

      if (postcode == NULL || (fits && (zip[0] == '\0' || strcmp (zip, "-") == 0)))
        {
          if (rule->needs & NEED_POSTCODE)
            {
              ok = FALSE;
              if (message != NULL)
                add_missing (&problems, rule->label, code);
            }
        }
      else
        {
          GRegex *regex = rule_regex (rule);
          gboolean matches = TRUE;

          if (regex != NULL)
            matches = fits && g_regex_match (regex, zip, 0, NULL);

          if (!matches)
            {
              ok = FALSE;
              if (message != NULL)
                {
                  g_autofree char *text = NULL;
                  const char *hint = "";

                  /* Spreadsheets turn 02134 into 2134. */
                  if (strcmp (code, "US") == 0 && fits && strlen (zip) == 4 &&
                      strspn (zip, "0123456789") == 4)
                    hint = "; a spreadsheet may have dropped its leading zero";

                  text = g_strdup_printf ("%c%s “%s” does not look like %s %s %s (like %s)%s",
                                          g_ascii_toupper (rule->label[0]), rule->label + 1,
                                          postcode, article_for (code), code, rule->label,
                                          rule->example, hint);
                  add_problem (&problems, text);
                }
            }
          else if (strcmp (code, "CA") == 0 && region != NULL)
            {
              const char *expected = NULL;

              for (i = 0; i < G_N_ELEMENTS (ca_postal_letters); i++)
                if (ca_postal_letters[i].letter == zip[0])
                  expected = ca_postal_letters[i].provinces;
              if (expected != NULL && strstr (expected, region) == NULL)
                {
                  ok = FALSE;
                  if (message != NULL)
                    {
                      g_autofree char *text = NULL;

                      text = g_strdup_printf ("Postal code “%s” belongs to %s, "
                                              "not to province “%s”",
                                              postcode, expected, state);
                      add_problem (&problems, text);
                    }
                }
            }
        }
    }

  if (message != NULL && problems != NULL)
    *message = g_string_free (problems, FALSE);
  else if (problems != NULL)
    g_string_free (problems, TRUE);
  return ok;
}
