/* ps-import-mapping.h: which column of an unknown layout means what
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Nicks (ps_import_field_to_nick) are stored in saved mappings: add, never
 * rename. */
typedef enum
{
  PS_IMPORT_FIELD_IGNORE,
  PS_IMPORT_FIELD_ORDER_NUMBER,
  PS_IMPORT_FIELD_CREATED_AT,
  PS_IMPORT_FIELD_PAID_AT,
  PS_IMPORT_FIELD_STATUS,
  PS_IMPORT_FIELD_CUSTOMER_NAME,
  PS_IMPORT_FIELD_CUSTOMER_EMAIL,
  PS_IMPORT_FIELD_CUSTOMER_PHONE,
  PS_IMPORT_FIELD_SHIP_NAME,
  PS_IMPORT_FIELD_SHIP_COMPANY,
  PS_IMPORT_FIELD_SHIP_LINE1,
  PS_IMPORT_FIELD_SHIP_LINE2,
  PS_IMPORT_FIELD_SHIP_CITY,
  PS_IMPORT_FIELD_SHIP_STATE,
  PS_IMPORT_FIELD_SHIP_POSTCODE,
  PS_IMPORT_FIELD_SHIP_COUNTRY,
  PS_IMPORT_FIELD_CURRENCY,
  PS_IMPORT_FIELD_SUBTOTAL,
  PS_IMPORT_FIELD_SHIPPING,
  PS_IMPORT_FIELD_TAX,
  PS_IMPORT_FIELD_TOTAL,
  PS_IMPORT_FIELD_SKU,
  PS_IMPORT_FIELD_ITEM_NAME,
  PS_IMPORT_FIELD_VARIANT,
  PS_IMPORT_FIELD_QUANTITY,
  PS_IMPORT_FIELD_UNIT_PRICE,
  PS_IMPORT_FIELD_LINE_TOTAL,
  PS_IMPORT_FIELD_WEIGHT,
  PS_IMPORT_FIELD_TRACKING_NUMBER,
} PsImportField;

#define PS_IMPORT_FIELD_LAST PS_IMPORT_FIELD_TRACKING_NUMBER

#define PS_TYPE_IMPORT_MAPPING (ps_import_mapping_get_type ())

typedef struct _PsImportMapping PsImportMapping;

const char      *ps_import_field_to_nick          (PsImportField           field);
gboolean         ps_import_field_from_nick        (const char             *nick,
                                                   PsImportField          *field);

GType            ps_import_mapping_get_type       (void) G_GNUC_CONST;
PsImportMapping *ps_import_mapping_new            (void);
PsImportMapping *ps_import_mapping_copy           (const PsImportMapping  *self);
void             ps_import_mapping_free           (PsImportMapping        *self);
/* Keyed by the column's header text as in the file. */
void             ps_import_mapping_set            (PsImportMapping        *self,
                                                   const char             *column,
                                                   PsImportField           field);
PsImportField    ps_import_mapping_get            (const PsImportMapping  *self,
                                                   const char             *column);
/* Guess from header names (normalized) and sample values (dates, money,
 * emails, 2-letter countries...). sample_rows: n_samples rows of n_columns. */
PsImportMapping *ps_import_mapping_guess          (const char * const     *columns,
                                                   guint                   n_columns,
                                                   const char * const * const *sample_rows,
                                                   guint                   n_samples);
gboolean         ps_import_mapping_is_complete    (const PsImportMapping  *self,
                                                   GError                **error);
char            *ps_import_mapping_to_json        (const PsImportMapping  *self);
PsImportMapping *ps_import_mapping_from_json      (const char             *json,
                                                   GError                **error);
/* A stable key for "this source's layout": a hash of the normalized header,
 * so next week's export of the same shape finds its saved mapping. */
char            *ps_import_mapping_source_key     (const char * const     *columns,
                                                   guint                   n_columns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportMapping, ps_import_mapping_free)

G_END_DECLS
