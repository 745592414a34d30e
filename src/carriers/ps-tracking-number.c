/* ps-tracking-number.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Check digits per formats-and-carriers.md §5.3 (after the MIT dataset
 * jkeen/tracking_number_data), verified against real numbers in the tests.
 * Everything here works on a small stack buffer: the demo generator makes
 * a million numbers and the importer checks as many.
 */

#define G_LOG_DOMAIN "ps-tracking-number"

#include "config.h"

#include <string.h>

#include "ps-tracking-number.h"

typedef char NumberBuf[PS_TRACKING_NUMBER_MAX_LEN + 1];

/* Shipper-account characters for made-up UPS numbers: digits and capitals
 * without I and O, which people misread. */
static const char ups_account_alphabet[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/* UPS service indicators (characters 9–10): Next Day Air, 2nd Day Air,
 * Ground, 3 Day Select, Next Day Air Saver. */
static const char * const ups_service_codes[] = { "01", "02", "03", "12", "13" };

/* Copies @number into @buf without spaces and hyphens, letters upper-cased.
 * Returns the length, or 0 if @number is empty, too long or holds anything
 * but ASCII letters and digits. */
static gsize
normalize_into (const char *number,
                NumberBuf   buf)
{
  gsize len = 0;

  if (number == NULL)
    return 0;

  for (const char *p = number; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-')
        continue;
      if (!g_ascii_isalnum (*p) || len == PS_TRACKING_NUMBER_MAX_LEN)
        return 0;
      buf[len++] = g_ascii_toupper (*p);
    }
  buf[len] = '\0';
  return len;
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* UPS: the 15 characters after "1Z"; letters count as (ord − 3) mod 10
 * (A = 2 … Z = 7), every second character (1-based even positions) is
 * doubled, check = (10 − sum mod 10) mod 10. */
static int
ups_check_digit (const char *body)
{
  int sum = 0;

  for (guint i = 0; i < 15; i++)
    {
      int v = g_ascii_isdigit (body[i]) ? body[i] - '0' : (body[i] - 3) % 10;

      sum += (i % 2 == 1) ? 2 * v : v;
    }
  return (10 - sum % 10) % 10;
}

/* GS1 mod 10 over @n data digits: weight 3 on the rightmost, then 1, 3, … */
static int
gs1_check_digit (const char *digits,
                 gsize       n)
{
  int sum = 0;

  for (gsize i = 0; i < n; i++)
    sum += (digits[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
  return (10 - sum % 10) % 10;
}

/* FedEx Express: the 11 data digits weighted 1, 3, 7, 1, 3, 7 … from the
 * right, sum mod 11 mod 10. */
static int
fedex_check_digit (const char *digits)
{
  static const int weights[] = { 1, 3, 7 };
  int sum = 0;

  for (guint i = 0; i < 11; i++)
    sum += (digits[10 - i] - '0') * weights[i % 3];
  return (sum % 11) % 10;
}

/* DHL Express: the 9 data digits as a number, mod 7. */
static int
dhl_check_digit (const char *digits)
{
  guint64 value = 0;

  for (guint i = 0; i < 9; i++)
    value = value * 10 + (guint64)(digits[i] - '0');
  return (int)(value % 7);
}

static gboolean
ups_is_valid (const char *s,
              gsize       len)
{
  return len == 18 && s[0] == '1' && s[1] == 'Z' && g_ascii_isdigit (s[17])
         && ups_check_digit (s + 2) == s[17] - '0';
}

/* The IMpb proper: 22 or 26 digits, channel application identifier
 * 92–95, check digit last. */
static gboolean
impb_core_is_valid (const char *s,
                    gsize       len)
{
  if (len != 22 && len != 26)
    return FALSE;
  if (!all_digits (s, len) || s[0] != '9' || s[1] < '2' || s[1] > '5')
    return FALSE;
  return gs1_check_digit (s, len - 1) == s[len - 1] - '0';
}

/* Also accepts what a scanner reads off the label: "420" + destination ZIP
 * (5 or 9 digits) in front of the IMpb. */
static gboolean
usps_is_valid (const char *s,
               gsize       len)
{
  if (impb_core_is_valid (s, len))
    return TRUE;
  if (len < 30 || !all_digits (s, len) || strncmp (s, "420", 3) != 0)
    return FALSE;
  return impb_core_is_valid (s + 8, len - 8) || impb_core_is_valid (s + 12, len - 12);
}

static gboolean
fedex_is_valid (const char *s,
                gsize       len)
{
  return len == 12 && all_digits (s, len) && fedex_check_digit (s) == s[11] - '0';
}

static gboolean
dhl_is_valid (const char *s,
              gsize       len)
{
  return len == 10 && all_digits (s, len) && dhl_check_digit (s) == s[9] - '0';
}

/**
 * ps_tracking_number_detect:
 * @number: (nullable): a tracking number as typed, pasted or scanned;
 *   spaces and hyphens are ignored and letters may be lower case
 *
 * Recognises a number by its shape *and* its check digit, so a mistyped
 * number is %PS_TRACKING_FORMAT_UNKNOWN rather than a wrong guess. The
 * formats have different lengths, so at most one matches.
 *
 * Returns: the format, or %PS_TRACKING_FORMAT_UNKNOWN
 */
PsTrackingFormat
ps_tracking_number_detect (const char *number)
{
  NumberBuf buf;
  gsize len = normalize_into (number, buf);

  if (len == 0)
    return PS_TRACKING_FORMAT_UNKNOWN;
  if (ups_is_valid (buf, len))
    return PS_TRACKING_FORMAT_UPS;
  if (usps_is_valid (buf, len))
    return PS_TRACKING_FORMAT_USPS_IMPB;
  if (fedex_is_valid (buf, len))
    return PS_TRACKING_FORMAT_FEDEX_EXPRESS;
  if (dhl_is_valid (buf, len))
    return PS_TRACKING_FORMAT_DHL_EXPRESS;
  return PS_TRACKING_FORMAT_UNKNOWN;
}

/**
 * ps_tracking_number_is_valid:
 * @format: the format @number claims to be
 * @number: (nullable): a tracking number; spaces and hyphens are ignored
 *
 * Returns: %TRUE if @number has the shape and check digit of @format;
 *   always %FALSE for %PS_TRACKING_FORMAT_UNKNOWN
 */
gboolean
ps_tracking_number_is_valid (PsTrackingFormat  format,
                             const char       *number)
{
  NumberBuf buf;
  gsize len = normalize_into (number, buf);

  if (len == 0)
    return FALSE;

  switch (format)
    {
    case PS_TRACKING_FORMAT_UPS:
      return ups_is_valid (buf, len);
    case PS_TRACKING_FORMAT_USPS_IMPB:
      return usps_is_valid (buf, len);
    case PS_TRACKING_FORMAT_FEDEX_EXPRESS:
      return fedex_is_valid (buf, len);
    case PS_TRACKING_FORMAT_DHL_EXPRESS:
      return dhl_is_valid (buf, len);
    case PS_TRACKING_FORMAT_UNKNOWN:
    default:
      return FALSE;
    }
}

/**
 * ps_tracking_number_make:
 * @format: a format other than %PS_TRACKING_FORMAT_UNKNOWN
 * @serial: any number; the same serial always gives the same result
 *
 * Builds a well-formed number with a correct check digit, for the sandbox
 * carrier, the demo data and tests. Different serials give different
 * numbers up to 10^9 (DHL), 10^10 (FedEx), 10^16 (USPS) or about 7.7·10^16
 * (UPS) serials.
 *
 * - UPS: "1Z", a 6-character shipper account, a 2-digit service
 *   indicator, a 7-digit package number and the check digit;
 * - USPS: "94001", a 9-digit mailer id, a 7-digit serial and the check
 *   digit (22 digits);
 * - FedEx Express: "7", 10 digits and the check digit;
 * - DHL Express: 9 digits not starting with 0 and the check digit.
 *
 * Returns: (transfer full) (nullable): the number, %NULL for
 *   %PS_TRACKING_FORMAT_UNKNOWN
 */
char *
ps_tracking_number_make (PsTrackingFormat format,
                         guint64          serial)
{
  NumberBuf buf;

  switch (format)
    {
    case PS_TRACKING_FORMAT_UPS:
      {
        guint64 package = serial % G_GUINT64_CONSTANT (10000000);
        guint64 rest = serial / G_GUINT64_CONSTANT (10000000);
        const char *service = ups_service_codes[rest % G_N_ELEMENTS (ups_service_codes)];
        guint base = sizeof ups_account_alphabet - 1;

        rest /= G_N_ELEMENTS (ups_service_codes);
        buf[0] = '1';
        buf[1] = 'Z';
        for (int i = 7; i >= 2; i--)
          {
            buf[i] = ups_account_alphabet[rest % base];
            rest /= base;
          }
        g_snprintf (buf + 8, sizeof buf - 8, "%s%07" G_GUINT64_FORMAT, service, package);
        buf[17] = (char)('0' + ups_check_digit (buf + 2));
        buf[18] = '\0';
        break;
      }
    case PS_TRACKING_FORMAT_USPS_IMPB:
      g_snprintf (buf, sizeof buf, "94001%09" G_GUINT64_FORMAT "%07" G_GUINT64_FORMAT,
                  (serial / G_GUINT64_CONSTANT (10000000)) % G_GUINT64_CONSTANT (1000000000),
                  serial % G_GUINT64_CONSTANT (10000000));
      buf[21] = (char)('0' + gs1_check_digit (buf, 21));
      buf[22] = '\0';
      break;
    case PS_TRACKING_FORMAT_FEDEX_EXPRESS:
      g_snprintf (buf, sizeof buf, "7%010" G_GUINT64_FORMAT,
                  serial % G_GUINT64_CONSTANT (10000000000));
      buf[11] = (char)('0' + fedex_check_digit (buf));
      buf[12] = '\0';
      break;
    case PS_TRACKING_FORMAT_DHL_EXPRESS:
      g_snprintf (buf, sizeof buf, "%09" G_GUINT64_FORMAT,
                  G_GUINT64_CONSTANT (100000000) + serial % G_GUINT64_CONSTANT (900000000));
      buf[9] = (char)('0' + dhl_check_digit (buf));
      buf[10] = '\0';
      break;
    case PS_TRACKING_FORMAT_UNKNOWN:
    default:
      g_return_val_if_reached (NULL);
    }

  return g_strdup (buf);
}

/**
 * ps_tracking_number_normalize:
 * @number: (nullable): a tracking number as typed or pasted
 *
 * Returns: (transfer full) (nullable): @number without spaces and hyphens,
 *   letters upper-cased; %NULL if it is empty, longer than
 *   %PS_TRACKING_NUMBER_MAX_LEN or holds other characters
 */
char *
ps_tracking_number_normalize (const char *number)
{
  NumberBuf buf;

  if (normalize_into (number, buf) == 0)
    return NULL;
  return g_strdup (buf);
}

/**
 * ps_tracking_format_carrier:
 * @format: a format
 *
 * Returns: (transfer none) (nullable): the carrier id of @format ("ups",
 *   "usps", "fedex", "dhl"), %NULL for %PS_TRACKING_FORMAT_UNKNOWN
 */
const char *
ps_tracking_format_carrier (PsTrackingFormat format)
{
  switch (format)
    {
    case PS_TRACKING_FORMAT_UPS:
      return "ups";
    case PS_TRACKING_FORMAT_USPS_IMPB:
      return "usps";
    case PS_TRACKING_FORMAT_FEDEX_EXPRESS:
      return "fedex";
    case PS_TRACKING_FORMAT_DHL_EXPRESS:
      return "dhl";
    case PS_TRACKING_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}

/**
 * ps_tracking_format_for_carrier:
 * @carrier: (nullable): a carrier id
 *
 * The inverse of ps_tracking_format_carrier(): the format this code makes
 * numbers in for @carrier.
 *
 * Returns: the format, %PS_TRACKING_FORMAT_UNKNOWN for other carriers
 */
PsTrackingFormat
ps_tracking_format_for_carrier (const char *carrier)
{
  if (carrier == NULL)
    return PS_TRACKING_FORMAT_UNKNOWN;
  if (g_str_equal (carrier, "ups"))
    return PS_TRACKING_FORMAT_UPS;
  if (g_str_equal (carrier, "usps"))
    return PS_TRACKING_FORMAT_USPS_IMPB;
  if (g_str_equal (carrier, "fedex"))
    return PS_TRACKING_FORMAT_FEDEX_EXPRESS;
  if (g_str_equal (carrier, "dhl"))
    return PS_TRACKING_FORMAT_DHL_EXPRESS;
  return PS_TRACKING_FORMAT_UNKNOWN;
}
