/* test-tracking-number.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real-world vectors come from formats-and-carriers.md §5.3: EasyPost,
 * Shippo, ShipEngine and karrio fixtures.
 */

#define G_LOG_DOMAIN "test-tracking-number"

#include "config.h"

#include <string.h>

#include "ps-tracking-number.h"

typedef struct
{
  const char       *number;
  PsTrackingFormat  format;
} Vector;

static const Vector real_numbers[] = {
  { "1Z63R0960332529481",     PS_TRACKING_FORMAT_UPS },
  { "1ZA82D672031716786",     PS_TRACKING_FORMAT_UPS },
  { "9400100208303109505657", PS_TRACKING_FORMAT_USPS_IMPB },
  { "9205590164917337534322", PS_TRACKING_FORMAT_USPS_IMPB },
  { "9200190132607600833457", PS_TRACKING_FORMAT_USPS_IMPB },
  { "776094337676",           PS_TRACKING_FORMAT_FEDEX_EXPRESS },
  { "3318810025",             PS_TRACKING_FORMAT_DHL_EXPRESS },
};

static const PsTrackingFormat all_formats[] = {
  PS_TRACKING_FORMAT_UPS,
  PS_TRACKING_FORMAT_USPS_IMPB,
  PS_TRACKING_FORMAT_FEDEX_EXPRESS,
  PS_TRACKING_FORMAT_DHL_EXPRESS,
};

static void
check_vectors (PsTrackingFormat format)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (real_numbers); i++)
    {
      if (real_numbers[i].format != format)
        continue;
      n++;
      g_assert_true (ps_tracking_number_is_valid (format, real_numbers[i].number));
      g_assert_cmpint (ps_tracking_number_detect (real_numbers[i].number), ==, format);
      for (guint k = 0; k < G_N_ELEMENTS (all_formats); k++)
        if (all_formats[k] != format)
          g_assert_false (ps_tracking_number_is_valid (all_formats[k], real_numbers[i].number));
    }
  g_assert_cmpuint (n, >, 0);
}

/* Changing any one digit to any other breaks the check, with the blind
 * spots of each algorithm skipped: UPS doubles every second character, so a
 * change by 5 there keeps the sum mod 10; DHL's mod 7 misses changes by 7
 * in the data digits. GS1 weights 3 and 1 are coprime to 10 and FedEx's
 * 1, 3, 7 to 11, so those catch every single-digit change (for FedEx as
 * long as the sum mod 11 is not 0 or 10, true for the vector used). */
static void
check_mutations (PsTrackingFormat format)
{
  for (guint i = 0; i < G_N_ELEMENTS (real_numbers); i++)
    {
      const char *number = real_numbers[i].number;
      gsize len = strlen (number);

      if (real_numbers[i].format != format)
        continue;

      for (gsize pos = 0; pos < len; pos++)
        {
          char copy[64];

          if (!g_ascii_isdigit (number[pos]))
            continue;

          for (char d = '0'; d <= '9'; d++)
            {
              if (d == number[pos])
                continue;
              if (format == PS_TRACKING_FORMAT_DHL_EXPRESS && pos < len - 1
                  && ABS (d - number[pos]) == 7)
                continue;
              if (format == PS_TRACKING_FORMAT_UPS && pos >= 2 && pos < len - 1
                  && (pos - 2) % 2 == 1 && ABS (d - number[pos]) == 5)
                continue;
              memcpy (copy, number, len + 1);
              copy[pos] = d;
              if (ps_tracking_number_is_valid (format, copy))
                g_error ("%s accepted (mutated from %s at %" G_GSIZE_FORMAT ")",
                         copy, number, pos);
              g_assert_cmpint (ps_tracking_number_detect (copy), ==, PS_TRACKING_FORMAT_UNKNOWN);
            }
        }
    }
}

static void
check_make (PsTrackingFormat format)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint64 serials[5000];
  guint n = 0;

  /* Small serials, a dense run, and large scattered ones. */
  for (guint64 s = 0; s < 2000; s++)
    serials[n++] = s;
  for (guint64 s = 0; s < 2000; s++)
    serials[n++] = G_GUINT64_CONSTANT (9999000) + s;
  while (n < G_N_ELEMENTS (serials))
    {
      serials[n] = (guint64)n * G_GUINT64_CONSTANT (2654435761) * 7919;
      n++;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *number = ps_tracking_number_make (format, serials[i]);
      g_autofree char *again = ps_tracking_number_make (format, serials[i]);

      g_assert_nonnull (number);
      g_assert_cmpstr (number, ==, again);
      if (!ps_tracking_number_is_valid (format, number))
        g_error ("made %s from %" G_GUINT64_FORMAT " but it does not validate",
                 number, serials[i]);
      g_assert_cmpint (ps_tracking_number_detect (number), ==, format);
      g_assert_cmpint (ps_tracking_format_for_carrier (ps_tracking_format_carrier (format)),
                       ==, format);

      /* The first 4000 serials are all in every format's distinct range. */
      if (i < 4000)
        {
          g_assert_false (g_hash_table_contains (seen, number));
          g_hash_table_add (seen, g_steal_pointer (&number));
        }
    }
}

static void
test_ups_valid (void)
{
  check_vectors (PS_TRACKING_FORMAT_UPS);
  /* Lower case and separators, as people paste them. */
  g_assert_true (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1z63r0960332529481"));
  g_assert_cmpint (ps_tracking_number_detect ("1Z 63R 096 03 3252 948 1"), ==,
                   PS_TRACKING_FORMAT_UPS);
}

static void
test_ups_invalid (void)
{
  check_mutations (PS_TRACKING_FORMAT_UPS);
  /* A letter in the check position, a wrong prefix, wrong lengths. */
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1Z63R096033252948A"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1Y63R0960332529481"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1Z63R096033252948"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1Z63R09603325294811"));
  /* A letter changed to one with a different value. */
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, "1Z63S0960332529481"));
}

static void
test_ups_make (void)
{
  g_autofree char *number = ps_tracking_number_make (PS_TRACKING_FORMAT_UPS, 1234567);

  g_assert_cmpuint (strlen (number), ==, 18);
  g_assert_true (g_str_has_prefix (number, "1Z"));
  check_make (PS_TRACKING_FORMAT_UPS);
}

static void
test_usps_valid (void)
{
  check_vectors (PS_TRACKING_FORMAT_USPS_IMPB);
  /* As printed on labels, in groups of four. */
  g_assert_true (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_USPS_IMPB,
                                              "9400 1002 0830 3109 5056 57"));
  /* As scanned from the GS1-128 barcode, with "420" + ZIP in front. */
  g_assert_cmpint (ps_tracking_number_detect ("420902109400100208303109505657"), ==,
                   PS_TRACKING_FORMAT_USPS_IMPB);
  g_assert_cmpint (ps_tracking_number_detect ("4209021012349400100208303109505657"), ==,
                   PS_TRACKING_FORMAT_USPS_IMPB);
}

static void
test_usps_invalid (void)
{
  check_mutations (PS_TRACKING_FORMAT_USPS_IMPB);
  /* Channel identifiers outside 92–95 are not IMpb. */
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_USPS_IMPB,
                                               "9100100208303109505657"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_USPS_IMPB,
                                               "940010020830310950565"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_USPS_IMPB,
                                               "94001002083031095056A7"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_USPS_IMPB,
                                               "421902109400100208303109505657"));
}

static void
test_usps_make (void)
{
  g_autofree char *number = ps_tracking_number_make (PS_TRACKING_FORMAT_USPS_IMPB, 42);

  g_assert_cmpuint (strlen (number), ==, 22);
  check_make (PS_TRACKING_FORMAT_USPS_IMPB);
}

static void
test_fedex_valid (void)
{
  check_vectors (PS_TRACKING_FORMAT_FEDEX_EXPRESS);
  g_assert_true (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_FEDEX_EXPRESS,
                                              "7760 9433 7676"));
}

static void
test_fedex_invalid (void)
{
  check_mutations (PS_TRACKING_FORMAT_FEDEX_EXPRESS);
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_FEDEX_EXPRESS, "77609433767"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_FEDEX_EXPRESS, "77609433767X"));
}

static void
test_fedex_make (void)
{
  g_autofree char *number = ps_tracking_number_make (PS_TRACKING_FORMAT_FEDEX_EXPRESS, 42);

  g_assert_cmpuint (strlen (number), ==, 12);
  check_make (PS_TRACKING_FORMAT_FEDEX_EXPRESS);
}

static void
test_dhl_valid (void)
{
  check_vectors (PS_TRACKING_FORMAT_DHL_EXPRESS);
}

static void
test_dhl_invalid (void)
{
  check_mutations (PS_TRACKING_FORMAT_DHL_EXPRESS);
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_DHL_EXPRESS, "3318810024"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_DHL_EXPRESS, "331881002"));
}

static void
test_dhl_make (void)
{
  g_autofree char *number = ps_tracking_number_make (PS_TRACKING_FORMAT_DHL_EXPRESS, 42);

  g_assert_cmpuint (strlen (number), ==, 10);
  g_assert_cmpint (number[0], !=, '0');
  check_make (PS_TRACKING_FORMAT_DHL_EXPRESS);
}

static void
test_unknown (void)
{
  static const char * const junk[] = {
    "", "1Z", "hello", "12345", "1Z63R0960332529481X", "9400100208303109505657 1",
    "1Z63R0960332529481/", "0000000000000000000000000000000000000000",
  };

  for (guint i = 0; i < G_N_ELEMENTS (junk); i++)
    g_assert_cmpint (ps_tracking_number_detect (junk[i]), ==, PS_TRACKING_FORMAT_UNKNOWN);
  g_assert_cmpint (ps_tracking_number_detect (NULL), ==, PS_TRACKING_FORMAT_UNKNOWN);
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UNKNOWN, "3318810025"));
  g_assert_false (ps_tracking_number_is_valid (PS_TRACKING_FORMAT_UPS, NULL));
}

static void
test_carrier (void)
{
  g_autofree char *normalized = ps_tracking_number_normalize (" 1z63r096-0332529481 ");

  g_assert_cmpstr (ps_tracking_format_carrier (PS_TRACKING_FORMAT_UPS), ==, "ups");
  g_assert_cmpstr (ps_tracking_format_carrier (PS_TRACKING_FORMAT_USPS_IMPB), ==, "usps");
  g_assert_cmpstr (ps_tracking_format_carrier (PS_TRACKING_FORMAT_FEDEX_EXPRESS), ==, "fedex");
  g_assert_cmpstr (ps_tracking_format_carrier (PS_TRACKING_FORMAT_DHL_EXPRESS), ==, "dhl");
  g_assert_null (ps_tracking_format_carrier (PS_TRACKING_FORMAT_UNKNOWN));
  g_assert_cmpint (ps_tracking_format_for_carrier ("sandbox"), ==, PS_TRACKING_FORMAT_UNKNOWN);
  g_assert_cmpint (ps_tracking_format_for_carrier (NULL), ==, PS_TRACKING_FORMAT_UNKNOWN);

  g_assert_cmpstr (normalized, ==, "1Z63R0960332529481");
  g_assert_null (ps_tracking_number_normalize ("1Z63R0960332529481?"));
  g_assert_null (ps_tracking_number_normalize ("  "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/carriers/tracking/ups/valid", test_ups_valid);
  g_test_add_func ("/carriers/tracking/ups/invalid", test_ups_invalid);
  g_test_add_func ("/carriers/tracking/ups/make", test_ups_make);
  g_test_add_func ("/carriers/tracking/usps/valid", test_usps_valid);
  g_test_add_func ("/carriers/tracking/usps/invalid", test_usps_invalid);
  g_test_add_func ("/carriers/tracking/usps/make", test_usps_make);
  g_test_add_func ("/carriers/tracking/fedex/valid", test_fedex_valid);
  g_test_add_func ("/carriers/tracking/fedex/invalid", test_fedex_invalid);
  g_test_add_func ("/carriers/tracking/fedex/make", test_fedex_make);
  g_test_add_func ("/carriers/tracking/dhl/valid", test_dhl_valid);
  g_test_add_func ("/carriers/tracking/dhl/invalid", test_dhl_invalid);
  g_test_add_func ("/carriers/tracking/dhl/make", test_dhl_make);
  g_test_add_func ("/carriers/tracking/unknown", test_unknown);
  g_test_add_func ("/carriers/tracking/carrier", test_carrier);

  return g_test_run ();
}
