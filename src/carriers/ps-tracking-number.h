/* ps-tracking-number.h: carrier tracking-number formats and check digits
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PsTrackingFormat:
 * @PS_TRACKING_FORMAT_UNKNOWN: not a recognised number
 * @PS_TRACKING_FORMAT_UPS: UPS "1Z" + 16 characters, mod-10 check
 * @PS_TRACKING_FORMAT_USPS_IMPB: USPS Intelligent Mail package barcode,
 *   22 digits starting 92–95, GS1 mod-10 check
 * @PS_TRACKING_FORMAT_FEDEX_EXPRESS: FedEx Express 12 digits, weights 1,3,7
 *   mod 11 mod 10
 * @PS_TRACKING_FORMAT_DHL_EXPRESS: DHL Express 10 digits, mod-7 check
 */
typedef enum
{
  PS_TRACKING_FORMAT_UNKNOWN,
  PS_TRACKING_FORMAT_UPS,
  PS_TRACKING_FORMAT_USPS_IMPB,
  PS_TRACKING_FORMAT_FEDEX_EXPRESS,
  PS_TRACKING_FORMAT_DHL_EXPRESS,
} PsTrackingFormat;

/* The longest number any format accepts, without separators. */
#define PS_TRACKING_NUMBER_MAX_LEN 34

PsTrackingFormat  ps_tracking_number_detect      (const char       *number);
gboolean          ps_tracking_number_is_valid    (PsTrackingFormat  format,
                                                  const char       *number);
char             *ps_tracking_number_make        (PsTrackingFormat  format,
                                                  guint64           serial);
char             *ps_tracking_number_normalize   (const char       *number);
const char       *ps_tracking_format_carrier     (PsTrackingFormat  format);
PsTrackingFormat  ps_tracking_format_for_carrier (const char       *carrier);

G_END_DECLS
