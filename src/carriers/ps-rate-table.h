/* ps-rate-table.h: a merchant's own rate table (service × destination × weight band)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PS_RATE_TABLE_ERROR (ps_rate_table_error_quark ())

/**
 * PsRateTableError:
 * @PS_RATE_TABLE_ERROR_INVALID: the CSV or JSON is not a rate table; the
 *   message names the line and column (or the JSON member) to fix
 */
typedef enum
{
  PS_RATE_TABLE_ERROR_INVALID,
} PsRateTableError;

GQuark ps_rate_table_error_quark (void);

#define PS_TYPE_RATE_TABLE (ps_rate_table_get_type ())

typedef struct _PsRateTable PsRateTable;

GType        ps_rate_table_get_type          (void) G_GNUC_CONST;
PsRateTable *ps_rate_table_parse_csv         (const char   *data,
                                              gssize        length,
                                              const char   *currency,
                                              guint        *error_line,
                                              guint        *error_column,
                                              GError      **error);
PsRateTable *ps_rate_table_new_from_json     (JsonObject   *object,
                                              GError      **error);
JsonObject  *ps_rate_table_to_json           (PsRateTable  *self);
PsRateTable *ps_rate_table_ref               (PsRateTable  *self);
void         ps_rate_table_unref             (PsRateTable  *self);
const char  *ps_rate_table_get_currency      (PsRateTable  *self);
guint        ps_rate_table_get_n_rows        (PsRateTable  *self);
GStrv        ps_rate_table_dup_services      (PsRateTable  *self);
gboolean     ps_rate_table_lookup            (PsRateTable  *self,
                                              const char   *service,
                                              int           zone,
                                              const char   *country,
                                              gint64        weight_grams,
                                              gint64       *price_minor,
                                              int          *transit_days);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRateTable, ps_rate_table_unref)

G_END_DECLS
