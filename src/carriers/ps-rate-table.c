/* ps-rate-table.c: a merchant's own rate table (service × destination × weight band)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV a merchant writes in a spreadsheet:
 *
 *   service,destination,max_weight,price[,transit_days][,currency]
 *   Standard,1,500g,6.20,2
 *   Standard,*,2kg,14.00,4
 *   International,CA,1lb,21.50,7
 *
 * - destination: a zone 1–8 ("3" or "zone 3") for domestic parcels, a
 *   two-letter country code for international ones, or "*" for anywhere
 *   without a more specific row;
 * - max_weight: the upper bound of the weight band, inclusive, with a unit
 *   (g, kg, oz, lb; grams without one);
 * - price: a decimal in the table's currency (or the row's currency column).
 *
 * Columns may come in any order; header names are case-insensitive. Each
 * physical line is parsed on its own with libcsv (quotes work, but a
 * field cannot span lines), so every error names its real line number.
 * The parsed table lives in carrier_accounts.settings as JSON.
 */

#define G_LOG_DOMAIN "ps-rate-table"

#include "config.h"

#include <csv.h>
#include <string.h>

#include "ps-carrier-private.h"
#include "ps-money.h"
#include "ps-rate-table.h"

G_DEFINE_QUARK (ps-rate-table-error-quark, ps_rate_table_error)

typedef struct
{
  char   *service;
  int     zone;         /* 1–8, or 0 */
  char    country[3];   /* "CA", or "" */
  gint64  max_grams;
  gint64  price;        /* minor units of the table's currency */
  int     transit_days; /* 0: unknown */
} Row;

struct _PsRateTable
{
  gatomicrefcount  ref_count;
  char             currency[4];
  GArray          *rows;   /* Row */
};

G_DEFINE_BOXED_TYPE (PsRateTable, ps_rate_table, ps_rate_table_ref, ps_rate_table_unref)

enum { COL_SERVICE, COL_DESTINATION, COL_MAX_WEIGHT, COL_PRICE, COL_TRANSIT_DAYS, COL_CURRENCY,
       N_COLS };

static const char * const column_names[N_COLS] = {
  "service", "destination", "max_weight", "price", "transit_days", "currency",
};

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_free (row->service);
}

static PsRateTable *
table_new (const char *currency)
{
  PsRateTable *self = g_new0 (PsRateTable, 1);

  g_atomic_ref_count_init (&self->ref_count);
  g_strlcpy (self->currency, currency, sizeof self->currency);
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  return self;
}

/* Parsing */

typedef struct
{
  GPtrArray *fields;
} LineFields;

static void
on_field_cb (void   *s,
             size_t  len,
             void   *data)
{
  LineFields *line = data;
  g_autofree char *field = g_strndup (s, len);

  g_ptr_array_add (line->fields, g_strstrip (g_steal_pointer (&field)));
}

static void
on_row_cb (int   c,
           void *data)
{
}

/* Splits one physical line into fields; FALSE if libcsv refuses it. */
static gboolean
split_line (const char *line,
            gsize       len,
            GPtrArray  *fields)
{
  struct csv_parser parser;
  LineFields data = { fields };
  gboolean ok;

  if (csv_init (&parser, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0)
    return FALSE;
  ok = csv_parse (&parser, line, len, on_field_cb, on_row_cb, &data) == len
       && csv_fini (&parser, on_field_cb, on_row_cb, &data) == 0;
  csv_free (&parser);
  return ok;
}

/* "500g", "1.5 kg", "2lb", "8 oz", "750" (grams). */
static gboolean
parse_weight (const char *text,
              gint64     *grams)
{
  char *end = NULL;
  double value;
  double factor = 1.0;

  if (text == NULL || !g_ascii_isdigit (*text))
    return FALSE;
  value = g_ascii_strtod (text, &end);
  while (*end == ' ')
    end++;
  if (*end == '\0' || g_ascii_strcasecmp (end, "g") == 0)
    factor = 1.0;
  else if (g_ascii_strcasecmp (end, "kg") == 0)
    factor = 1000.0;
  else if (g_ascii_strcasecmp (end, "lb") == 0 || g_ascii_strcasecmp (end, "lbs") == 0)
    factor = 453.59237;
  else if (g_ascii_strcasecmp (end, "oz") == 0)
    factor = 28.349523125;
  else
    return FALSE;
  if (value <= 0 || value > 1000000)
    return FALSE;
  *grams = (gint64) (value * factor + 0.5);
  return *grams > 0;
}

static gboolean
parse_destination (const char *text,
                   Row        *row)
{
  const char *p = text;

  if (g_strcmp0 (text, "*") == 0 || g_ascii_strcasecmp (text, "any") == 0)
    return TRUE;
  if (g_ascii_strncasecmp (p, "zone", 4) == 0)
    for (p += 4; *p == ' '; p++)
      ;
  if (g_ascii_isdigit (p[0]) && p[1] == '\0' && p[0] >= '1' && p[0] <= '8')
    {
      row->zone = p[0] - '0';
      return TRUE;
    }
  if (p == text && strlen (text) == 2 && g_ascii_isalpha (text[0]) && g_ascii_isalpha (text[1]))
    {
      row->country[0] = g_ascii_toupper (text[0]);
      row->country[1] = g_ascii_toupper (text[1]);
      return TRUE;
    }
  return FALSE;
}

static gboolean
same_band (const Row *a,
           const Row *b)
{
  return g_strcmp0 (a->service, b->service) == 0 && a->zone == b->zone
         && g_str_equal (a->country, b->country) && a->max_grams == b->max_grams;
}

static void
set_line_error (GError    **error,
                guint      *error_line,
                guint      *error_column,
                guint       line,
                int         column,
                const char *format,
                ...) G_GNUC_PRINTF (6, 7);

static void
set_line_error (GError    **error,
                guint      *error_line,
                guint      *error_column,
                guint       line,
                int         column,
                const char *format,
                ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (error_line)
    *error_line = line;
  if (error_column)
    *error_column = column >= 0 ? (guint) column + 1 : 0;
  if (column >= 0)
    g_set_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                 "Line %u, column %d: %s", line, column + 1, detail);
  else
    g_set_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                 "Line %u: %s", line, detail);
}

/**
 * ps_rate_table_parse_csv:
 * @data: the CSV text, UTF-8
 * @length: its length, or -1 if nul-terminated
 * @currency: (nullable): the currency of prices without a currency column;
 *   %NULL for "USD"
 * @error_line: (out) (optional): the 1-based line of the first problem
 * @error_column: (out) (optional): its 1-based column, 0 for the whole line
 * @error: %PS_RATE_TABLE_ERROR_INVALID naming line, column and the fix
 *
 * Returns: (transfer full) (nullable): the table
 */
PsRateTable *
ps_rate_table_parse_csv (const char  *data,
                         gssize       length,
                         const char  *currency,
                         guint       *error_line,
                         guint       *error_column,
                         GError     **error)
{
  g_autoptr(PsRateTable) table = NULL;
  int columns[N_COLS];
  gboolean have_header = FALSE;
  const char *p, *end;
  guint line_no = 0;
  guint digits;

  g_return_val_if_fail (data != NULL, NULL);

  if (currency == NULL)
    currency = "USD";
  if (!ps_currency_is_valid (currency))
    {
      set_line_error (error, error_line, error_column, 0, -1,
                      "\"%s\" is not an ISO 4217 currency code", currency);
      return NULL;
    }
  if (length < 0)
    length = (gssize) strlen (data);
  if (!g_utf8_validate_len (data, (gsize) length, NULL))
    {
      set_line_error (error, error_line, error_column, 1, -1,
                      "the file is not UTF-8 text: save it as CSV UTF-8");
      return NULL;
    }

  table = table_new (currency);
  p = data;
  end = data + length;
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *eol = memchr (p, '\n', (gsize) (end - p));
      gsize len = (gsize) ((eol ? eol : end) - p);
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      const char *line = p;
      Row row = { 0 };
      const char *row_currency = currency;

      p = eol ? eol + 1 : end;
      line_no++;
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (len == 0 || (len == strspn (line, " \t,") ))
        continue;

      if (!split_line (line, len, fields))
        {
          set_line_error (error, error_line, error_column, line_no, -1,
                          "unbalanced quotes: close the quoted field");
          return NULL;
        }

      if (!have_header)
        {
          for (int c = 0; c < N_COLS; c++)
            columns[c] = -1;
          for (guint f = 0; f < fields->len; f++)
            for (int c = 0; c < N_COLS; c++)
              if (g_ascii_strcasecmp (g_ptr_array_index (fields, f), column_names[c]) == 0)
                {
                  if (columns[c] >= 0)
                    {
                      set_line_error (error, error_line, error_column, line_no, (int) f,
                                      "the column \"%s\" appears twice", column_names[c]);
                      return NULL;
                    }
                  columns[c] = (int) f;
                }
          for (int c = COL_SERVICE; c <= COL_PRICE; c++)
            if (columns[c] < 0)
              {
                set_line_error (error, error_line, error_column, line_no, -1,
                                "the header has no \"%s\" column; the first line must name "
                                "the columns service, destination, max_weight and price",
                                column_names[c]);
                return NULL;
              }
          have_header = TRUE;
          continue;
        }

      for (int c = 0; c < N_COLS; c++)
        if (columns[c] >= (int) fields->len)
          {
            set_line_error (error, error_line, error_column, line_no, -1,
                            "%u fields, but the header has a \"%s\" column at position %d",
                            fields->len, column_names[c], columns[c] + 1);
            return NULL;
          }

#define FIELD(c) ((const char *) g_ptr_array_index (fields, columns[c]))
      if (*FIELD (COL_SERVICE) == '\0')
        {
          set_line_error (error, error_line, error_column, line_no, columns[COL_SERVICE],
                          "the service name is empty");
          return NULL;
        }
      if (!parse_destination (FIELD (COL_DESTINATION), &row))
        {
          set_line_error (error, error_line, error_column, line_no, columns[COL_DESTINATION],
                          "\"%s\" is not a destination: write a zone 1-8, a two-letter "
                          "country code or *", FIELD (COL_DESTINATION));
          return NULL;
        }
      if (!parse_weight (FIELD (COL_MAX_WEIGHT), &row.max_grams))
        {
          set_line_error (error, error_line, error_column, line_no, columns[COL_MAX_WEIGHT],
                          "\"%s\" is not a weight: write e.g. 500g, 1.5kg, 8oz or 2lb",
                          FIELD (COL_MAX_WEIGHT));
          return NULL;
        }
      if (columns[COL_CURRENCY] >= 0 && *FIELD (COL_CURRENCY) != '\0')
        {
          row_currency = FIELD (COL_CURRENCY);
          if (g_ascii_strcasecmp (row_currency, currency) != 0)
            {
              set_line_error (error, error_line, error_column, line_no, columns[COL_CURRENCY],
                              "the currency \"%s\" differs from the table's %s: one table "
                              "has one currency", row_currency, currency);
              return NULL;
            }
        }
      digits = ps_currency_minor_digits (currency);
      if (!_ps_carrier_parse_decimal (FIELD (COL_PRICE), digits, &row.price))
        {
          set_line_error (error, error_line, error_column, line_no, columns[COL_PRICE],
                          "\"%s\" is not a price: write digits with at most %u decimals "
                          "and a dot, e.g. 7.45", FIELD (COL_PRICE), digits);
          return NULL;
        }
      if (columns[COL_TRANSIT_DAYS] >= 0 && *FIELD (COL_TRANSIT_DAYS) != '\0')
        {
          guint64 days;

          if (!g_ascii_string_to_unsigned (FIELD (COL_TRANSIT_DAYS), 10, 0, 90, &days, NULL))
            {
              set_line_error (error, error_line, error_column, line_no,
                              columns[COL_TRANSIT_DAYS],
                              "\"%s\" is not a number of days (0-90)", FIELD (COL_TRANSIT_DAYS));
              return NULL;
            }
          row.transit_days = (int) days;
        }
      row.service = g_strdup (FIELD (COL_SERVICE));
#undef FIELD

      for (guint i = 0; i < table->rows->len; i++)
        if (same_band (&g_array_index (table->rows, Row, i), &row))
          {
            set_line_error (error, error_line, error_column, line_no, -1,
                            "a second price for the same service, destination and weight "
                            "band: remove one of them");
            g_free (row.service);
            return NULL;
          }
      g_array_append_val (table->rows, row);
    }

  if (table->rows->len == 0)
    {
      set_line_error (error, error_line, error_column, MAX (line_no, 1), -1,
                      have_header ? "the table has a header but no rates"
                                  : "the file is empty");
      return NULL;
    }
  return g_steal_pointer (&table);
}

/* JSON: {"currency": "USD", "rows": [{"service", "destination" ("3", "CA"
 * or "*"), "max_weight_grams", "price_minor", "transit_days"}]} */

static char *
destination_string (const Row *row)
{
  if (row->zone > 0)
    return g_strdup_printf ("%d", row->zone);
  if (row->country[0] != '\0')
    return g_strdup (row->country);
  return g_strdup ("*");
}

/**
 * ps_rate_table_new_from_json:
 * @object: what ps_rate_table_to_json() made
 * @error: %PS_RATE_TABLE_ERROR_INVALID naming the member
 *
 * Returns: (transfer full) (nullable): the table
 */
PsRateTable *
ps_rate_table_new_from_json (JsonObject  *object,
                             GError     **error)
{
  g_autoptr(PsRateTable) table = NULL;
  const char *currency;
  JsonArray *rows;

  g_return_val_if_fail (object != NULL, NULL);

  currency = json_object_get_string_member_with_default (object, "currency", "USD");
  if (!ps_currency_is_valid (currency))
    {
      g_set_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                   "The rate table's currency \"%s\" is not an ISO 4217 code", currency);
      return NULL;
    }
  if (!json_object_has_member (object, "rows")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "rows")))
    {
      g_set_error_literal (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                           "The rate table has no \"rows\" array: import the rate CSV again");
      return NULL;
    }

  table = table_new (currency);
  rows = json_object_get_array_member (object, "rows");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      Row row = { 0 };

      if (o == NULL
          || json_object_get_string_member_with_default (o, "service", NULL) == NULL
          || !parse_destination (json_object_get_string_member_with_default (o, "destination",
                                                                             ""), &row)
          || (row.max_grams = json_object_get_int_member_with_default (o, "max_weight_grams",
                                                                       0)) <= 0
          || (row.price = json_object_get_int_member_with_default (o, "price_minor", -1)) < 0)
        {
          g_set_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                       "Rate table row %u needs service, destination, max_weight_grams and "
                       "price_minor: import the rate CSV again", i + 1);
          return NULL;
        }
      row.service = g_strdup (json_object_get_string_member (o, "service"));
      row.transit_days = (int) json_object_get_int_member_with_default (o, "transit_days", 0);
      g_array_append_val (table->rows, row);
    }
  return g_steal_pointer (&table);
}

/**
 * ps_rate_table_to_json:
 * @self: a table
 *
 * Returns: (transfer full): the table as JSON, for carrier_accounts.settings
 */
JsonObject *
ps_rate_table_to_json (PsRateTable *self)
{
  JsonObject *object = json_object_new ();
  JsonArray *rows = json_array_new ();

  g_return_val_if_fail (self != NULL, object);

  json_object_set_string_member (object, "currency", self->currency);
  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      JsonObject *o = json_object_new ();
      g_autofree char *destination = destination_string (row);

      json_object_set_string_member (o, "service", row->service);
      json_object_set_string_member (o, "destination", destination);
      json_object_set_int_member (o, "max_weight_grams", row->max_grams);
      json_object_set_int_member (o, "price_minor", row->price);
      if (row->transit_days > 0)
        json_object_set_int_member (o, "transit_days", row->transit_days);
      json_array_add_object_element (rows, o);
    }
  json_object_set_array_member (object, "rows", rows);
  return object;
}

PsRateTable *
ps_rate_table_ref (PsRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
ps_rate_table_unref (PsRateTable *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_array_unref (self->rows);
  g_free (self);
}

const char *
ps_rate_table_get_currency (PsRateTable *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->currency;
}

guint
ps_rate_table_get_n_rows (PsRateTable *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->rows->len;
}

/**
 * ps_rate_table_dup_services:
 * @self: a table
 *
 * Returns: (transfer full): the service names, in the order they first
 *   appear
 */
GStrv
ps_rate_table_dup_services (PsRateTable *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);

      if (g_hash_table_add (seen, row->service))
        g_strv_builder_add (builder, row->service);
    }
  return g_strv_builder_end (builder);
}

/**
 * ps_rate_table_lookup:
 * @self: a table
 * @service: the service name
 * @zone: the domestic zone 1–8, used when @country is %NULL
 * @country: (nullable): the destination country of an international parcel
 * @weight_grams: the parcel's weight
 * @price_minor: (out): the price of the smallest band that holds the weight
 * @transit_days: (out) (optional): its transit days, 0 when unknown
 *
 * Rows for the exact zone or country win over "*" rows. A weight exactly
 * at a band's upper bound is in that band.
 *
 * Returns: %TRUE if @service has a price for the destination and weight
 */
gboolean
ps_rate_table_lookup (PsRateTable *self,
                      const char  *service,
                      int          zone,
                      const char  *country,
                      gint64       weight_grams,
                      gint64      *price_minor,
                      int         *transit_days)
{
  const Row *best_specific = NULL, *best_any = NULL, *best;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (service != NULL, FALSE);
  g_return_val_if_fail (price_minor != NULL, FALSE);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const Row *row = &g_array_index (self->rows, Row, i);
      gboolean any = row->zone == 0 && row->country[0] == '\0';
      gboolean specific = country ? g_ascii_strcasecmp (row->country, country) == 0
                                  : row->zone == zone;

      if (!g_str_equal (row->service, service) || row->max_grams < weight_grams
          || (!any && !specific))
        continue;
      if (any && (best_any == NULL || row->max_grams < best_any->max_grams))
        best_any = row;
      if (!any && (best_specific == NULL || row->max_grams < best_specific->max_grams))
        best_specific = row;
    }

  best = best_specific ? best_specific : best_any;
  if (best == NULL)
    return FALSE;
  *price_minor = best->price;
  if (transit_days)
    *transit_days = best->transit_days;
  return TRUE;
}
