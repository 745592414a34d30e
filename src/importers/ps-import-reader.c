/* ps-import-reader.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Turns the rows of an order export into PsImportRecords, one order at a
 * time. Every dialect is described by a table of header names (normalized,
 * see ps_import_header_normalize()) and the internal column each one
 * feeds; a generic file gets the same through a PsImportMapping. Reading
 * then works the same for all: rows are grouped by order number (adjacent
 * rows only, as every channel writes them); order-level cells fill the
 * order's values the first time they are non-empty (Shopify and
 * WooCommerce continuation rows leave them blank, or repeat them); item
 * cells make a line each. What differs per dialect is small and decided
 * when the order is complete (finish_order()): statuses, which amounts are
 * per order and which are per row (Amazon), summary rows (eBay).
 *
 * Memory stays flat however long the file: only the order being built is
 * kept, and only the cells of the columns that are used are copied.
 */

#define G_LOG_DOMAIN "ps-import-reader"

#include "config.h"

#include <string.h>

#include "ps-csv.h"
#include "ps-import-dialect-private.h"
#include "ps-import-mapping-private.h"
#include "ps-import-parse.h"
#include "ps-import-reader.h"
#include "ps-import-reader-private.h"
#include "ps-money.h"

G_DEFINE_QUARK (ps-import-error-quark, ps_import_error)

typedef struct
{
  PsImportRecord *record;
  char           *values[N_COLS];   /* first non-empty order-level cells */
  gboolean        currency_fixed;
  gboolean        summary_row;      /* eBay: a row for the order without an item */
  gboolean        sums_seen;
  gint64          sum_subtotal;
  gint64          sum_shipping;
  gint64          sum_tax;
  gint64          sum_discount;
  gint64          sum_total;
  guint           item_rows;
  guint           rejected_rows;
  GPtrArray      *item_ids;         /* Amazon order-item-id, for promotion rows */
} OrderState;

struct _PsImportReader
{
  GInputStream     *stream;        /* the file's bytes: progress */
  goffset           size;
  PsCsv            *csv;
  PsImportFormat    format;
  const PsImportDialect *dialect;       /* NULL for generic */
  PsImportMapping  *mapping;
  gboolean          needs_mapping;
  char            **header;
  guint             n_columns;
  int               cols[N_COLS];
  GArray           *packed_cols;   /* int: SkyVerge order_item_N */
  const char       *weight_unit;
  GTimeZone        *tz;
  GArray           *problems;
  guint             rows_read;
  char              last_currency[4];
  GString          *key;
  OrderState       *current;
  gboolean          done;

  /* Etsy: the items file, read first */
  GHashTable       *etsy_items;    /* order id -> PsImportRecord */
  GHashTable       *rejected;      /* order ids whose every item was rejected */
  char             *items_name;    /* the items file's name, for warnings */
  char             *problem_prefix;/* names the file in problems (Etsy items) */
};

/* Helpers */

static const char *
cell (const PsImportReader *self,
      const PsCsvRow       *row,
      int                   col)
{
  int i = self->cols[col];
  const char *p;

  if (i < 0 || (guint) i >= row->n_cells)
    return "";

  for (p = row->cells[i]; *p == ' ' || *p == '\t'; p++)
    ;

  return p;
}

/* A copy of a cell without surrounding white space, or NULL if empty. */
static char *
dup_cell (const PsImportReader *self,
          const PsCsvRow       *row,
          int                   col)
{
  const char *p = cell (self, row, col);
  gsize len = strlen (p);

  while (len > 0 && g_ascii_isspace (p[len - 1]))
    len--;

  return len > 0 ? g_strndup (p, len) : NULL;
}

static const char *
column_name (const PsImportReader *self,
             int                   col)
{
  int i = self->cols[col];

  if (i < 0 || (guint) i >= self->n_columns)
    return "?";

  return self->header[i];
}

static void
add_problem (PsImportReader *self,
             guint           line,
             const char     *format,
             ...) G_GNUC_PRINTF (3, 4);

static void
add_problem (PsImportReader *self,
             guint           line,
             const char     *format,
             ...)
{
  PsImportProblem problem;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  problem.line = line;
  problem.message = self->problem_prefix != NULL
    ? g_strdup_printf ("%s: %s", self->problem_prefix, message)
    : g_steal_pointer (&message);
  g_array_append_val (self->problems, problem);
}

static void
add_warning (PsImportRecord *record,
             const char     *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_warning (PsImportRecord *record,
             const char     *format,
             ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (record->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static char *
join_names (const char *first,
            const char *last)
{
  if (first == NULL && last == NULL)
    return NULL;
  if (first == NULL || last == NULL)
    return g_strdup (first != NULL ? first : last);

  return g_strconcat (first, " ", last, NULL);
}

/* Rounds @total / @quantity half away from zero: a line total that does
 * not divide evenly (Amazon "item-price" 10.00 for 3) gives the nearest
 * minor unit (3.33), so unit × quantity may differ from the file's line
 * total by less than @quantity minor units; the order totals still come
 * from the file. Computed from the remainder, so it cannot overflow. */
static gint64
divide_rounded (gint64 total,
                int    quantity)
{
  gint64 quotient = total / quantity;
  gint64 remainder = total % quantity;

  if (remainder < 0)
    remainder = -remainder;
  if (remainder * 2 >= quantity)
    quotient += total < 0 ? -1 : 1;

  return quotient;
}

/* Amounts come from files: sums and products saturate instead of
 * overflowing (a total of "92233720368547758.07" is garbage, not a
 * reason to crash). */
static gint64
add_saturated (gint64 a,
               gint64 b)
{
  gint64 sum;

  if (__builtin_add_overflow (a, b, &sum))
    return b > 0 ? G_MAXINT64 : G_MININT64;

  return sum;
}

static gint64
multiply_saturated (gint64 a,
                    gint64 b)
{
  gint64 product;

  if (__builtin_mul_overflow (a, b, &product))
    return (a < 0) != (b < 0) ? G_MININT64 : G_MAXINT64;

  return product;
}

/* Parses an amount in the order's currency. A currency the text names
 * ("$", "£", "EUR") becomes the order's currency if no column gave one. */
static gboolean
parse_amount (PsImportReader *self,
              OrderState     *state,
              const char     *text,
              gint64         *minor)
{
  char detected[4] = "";

  if (!ps_parse_money (text, state->record->currency, minor, detected))
    return FALSE;

  if (detected[0] != '\0' && !state->currency_fixed)
    {
      state->currency_fixed = TRUE;
      if (ps_currency_is_valid (detected) && strcmp (detected, state->record->currency) != 0)
        {
          memcpy (state->record->currency, detected, 4);
          memcpy (self->last_currency, detected, 4);
          return ps_parse_money (text, state->record->currency, minor, NULL);
        }
    }

  return TRUE;
}

static void
add_tracking (PsImportRecord *record,
              const char     *text,
              gboolean        loose)
{
  g_auto(GStrv) tokens = g_strsplit_set (text, ",;| \t\r\n", -1);
  guint i, j;

  for (i = 0; tokens[i] != NULL; i++)
    {
      const char *token = tokens[i];
      gboolean seen = FALSE;
      guint digits = 0;
      const char *p;

      if (*token == '\0')
        continue;

      /* A "Fulfillment" cell mixes words and numbers: keep only tokens
       * shaped like a tracking number. */
      for (p = token; *p != '\0'; p++)
        {
          if (g_ascii_isdigit (*p))
            digits++;
          else if (!g_ascii_isalpha (*p) && *p != '-')
            break;
        }
      if (*p != '\0' || (loose && (strlen (token) < 8 || digits < 4)))
        continue;

      for (j = 0; j < record->tracking_numbers->len && !seen; j++)
        seen = g_str_equal (g_ptr_array_index (record->tracking_numbers, j), token);
      if (!seen)
        g_ptr_array_add (record->tracking_numbers, g_strdup (token));
    }
}

static void
order_state_free (OrderState *state)
{
  guint i;

  if (state == NULL)
    return;

  ps_import_record_free (state->record);
  for (i = 0; i < N_COLS; i++)
    g_free (state->values[i]);
  g_clear_pointer (&state->item_ids, g_ptr_array_unref);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrderState, order_state_free)

/* Per-order state */

static OrderState *
order_state_new (PsImportReader *self,
                 const PsCsvRow *row,
                 const char     *order_number)
{
  OrderState *state = g_new0 (OrderState, 1);
  PsImportRecord *record = ps_import_record_new ();
  const char *currency = cell (self, row, PS_IMPORT_FIELD_CURRENCY);

  state->record = record;
  record->line = row->line;
  record->order_number = g_strdup (order_number);
  record->channel_kind = self->dialect != NULL ? self->dialect->kind : PS_CHANNEL_KIND_CUSTOM;
  record->channel_name = g_strdup (self->dialect != NULL ? self->dialect->channel_name : "Custom");

  if (strlen (currency) >= 3)
    {
      char code[4];

      code[0] = g_ascii_toupper (currency[0]);
      code[1] = g_ascii_toupper (currency[1]);
      code[2] = g_ascii_toupper (currency[2]);
      code[3] = '\0';
      if (ps_currency_is_valid (code) && (currency[3] == '\0' || currency[3] == ' '))
        {
          memcpy (record->currency, code, 4);
          state->currency_fixed = TRUE;
        }
    }
  if (!state->currency_fixed)
    memcpy (record->currency, self->last_currency, 4);

  return state;
}

/* Order-level cells: the first non-empty value of each wins. */
static void
read_order_cells (PsImportReader *self,
                  OrderState     *state,
                  const PsCsvRow *row,
                  gboolean        item_row)
{
  int col;

  for (col = 0; col < N_COLS; col++)
    {
      if (self->cols[col] < 0 || state->values[col] != NULL || _ps_import_col_is_item (col))
        continue;

      /* Amounts on Amazon rows, and on eBay item rows, are per item. */
      if (_ps_import_col_is_amount (col) &&
          (self->format == PS_IMPORT_FORMAT_AMAZON ||
           (self->format == PS_IMPORT_FORMAT_EBAY && item_row)))
        continue;

      state->values[col] = dup_cell (self, row, col);
    }
}

/* Adds the amount in @col of @row to *sum; an amount that cannot be read
 * is left out with a warning. */
static void
sum_amount (PsImportReader *self,
            OrderState     *state,
            const PsCsvRow *row,
            int             col,
            gboolean        absolute,
            gint64         *sum)
{
  const char *text = cell (self, row, col);
  gint64 minor;

  if (*text == '\0')
    return;

  if (!parse_amount (self, state, text, &minor))
    {
      add_warning (state->record, "Line %u: %s “%s” is not an amount",
                   row->line, column_name (self, col), text);
      return;
    }

  if (absolute && minor < 0)
    minor = minor == G_MININT64 ? G_MAXINT64 : -minor;
  *sum = add_saturated (*sum, minor);
  state->sums_seen = TRUE;
}

static void
read_row_amounts (PsImportReader *self,
                  OrderState     *state,
                  const PsCsvRow *row,
                  gboolean        duplicate_item)
{
  if (self->format == PS_IMPORT_FORMAT_AMAZON)
    {
      /* Every row carries its item's part; a row repeating an item only
       * adds the promotions that did not fit on the first. */
      if (!duplicate_item)
        {
          sum_amount (self, state, row, PS_IMPORT_FIELD_LINE_TOTAL, FALSE, &state->sum_subtotal);
          sum_amount (self, state, row, PS_IMPORT_FIELD_SHIPPING, FALSE, &state->sum_shipping);
          sum_amount (self, state, row, COL_ITEM_TAX, FALSE, &state->sum_tax);
          sum_amount (self, state, row, COL_SHIPPING_TAX, FALSE, &state->sum_tax);
        }
      sum_amount (self, state, row, COL_ITEM_DISCOUNT, TRUE, &state->sum_discount);
      sum_amount (self, state, row, COL_SHIPPING_DISCOUNT, TRUE, &state->sum_discount);
    }
  else if (self->format == PS_IMPORT_FORMAT_EBAY)
    {
      sum_amount (self, state, row, PS_IMPORT_FIELD_SHIPPING, FALSE, &state->sum_shipping);
      sum_amount (self, state, row, PS_IMPORT_FIELD_TAX, FALSE, &state->sum_tax);
      sum_amount (self, state, row, COL_ITEM_TAX, FALSE, &state->sum_tax);
      sum_amount (self, state, row, PS_IMPORT_FIELD_TOTAL, FALSE, &state->sum_total);
    }
}

/* Makes a line from the item cells; FALSE (and a problem) if the row
 * cannot be used. */
static gboolean
parse_line (PsImportReader *self,
            OrderState     *state,
            const PsCsvRow *row,
            int             quantity_col,
            const char     *quantity_text,
            int             price_col,
            const char     *price_text,
            int             total_col,
            const char     *total_text,
            PsImportLine   *line)
{
  int quantity = 1;
  gint64 minor = 0;

  if (*quantity_text != '\0')
    {
      if (!ps_parse_quantity (quantity_text, &quantity) || quantity <= 0)
        {
          add_problem (self, row->line, "%s “%s” is not a quantity",
                       column_name (self, quantity_col), quantity_text);
          return FALSE;
        }
    }
  else if (self->cols[quantity_col] >= 0 && self->dialect != NULL)
    {
      add_problem (self, row->line, "%s is empty", column_name (self, quantity_col));
      return FALSE;
    }

  if (*price_text != '\0')
    {
      if (!parse_amount (self, state, price_text, &minor))
        {
          add_problem (self, row->line, "%s “%s” is not an amount",
                       column_name (self, price_col), price_text);
          return FALSE;
        }
    }
  else if (*total_text != '\0')
    {
      if (!parse_amount (self, state, total_text, &minor))
        {
          add_problem (self, row->line, "%s “%s” is not an amount",
                       column_name (self, total_col), total_text);
          return FALSE;
        }
      minor = divide_rounded (minor, quantity);
    }

  line->quantity = quantity;
  line->unit_price_minor = minor;

  return TRUE;
}

/* SkyVerge packs items into cells: "line_items" holds
 * "name:Mug|sku:MUG-1|quantity:2|total:24.00;name:…" and the legacy
 * "order_item_1" columns hold "product_id:4959|1|30|size: Medium"
 * (id, quantity, line total, then item meta). */
static void
read_packed_items (PsImportReader *self,
                   OrderState     *state,
                   const PsCsvRow *row,
                   int             column)
{
  const char *text = row->cells[column];
  g_auto(GStrv) items = g_strsplit (text, ";", -1);
  guint i;

  for (i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (items[i], "|", -1);
      g_autoptr(GPtrArray) meta = g_ptr_array_new ();
      const char *quantity = "";
      const char *total = "";
      const char *price = "";
      const char *name = NULL;
      const char *sku = NULL;
      guint positional = 0;
      PsImportLine line = { 0 };
      guint j;

      if (*g_strstrip (items[i]) == '\0')
        continue;

      for (j = 0; parts[j] != NULL; j++)
        {
          const char *part = g_strstrip (parts[j]);
          const char *colon = strchr (part, ':');
          const char *value = part;
          g_autofree char *key = NULL;

          if (colon != NULL)
            {
              g_autofree char *raw_key = g_strndup (part, colon - part);

              key = _ps_import_fold_word (raw_key);
              for (value = colon + 1; *value == ' '; value++)
                ;
            }

          if (key == NULL)
            {
              if (positional == 0)
                quantity = part;
              else if (positional == 1)
                total = part;
              else if (*part != '\0')
                g_ptr_array_add (meta, (gpointer) part);
              positional++;
            }
          else if (g_str_equal (key, "name"))
            name = value;
          else if (g_str_equal (key, "sku"))
            sku = *value != '\0' ? value : sku;
          else if (g_str_equal (key, "productid"))
            sku = sku != NULL ? sku : value;
          else if (g_str_equal (key, "quantity") || g_str_equal (key, "qty"))
            quantity = value;
          else if (g_str_equal (key, "total"))
            total = value;
          else if (g_str_equal (key, "price"))
            price = value;
          else if (g_str_equal (key, "meta"))
            {
              if (*value != '\0')
                g_ptr_array_add (meta, (gpointer) value);
            }
          else if (g_str_equal (key, "refunded") || g_str_equal (key, "subtotal") ||
                   g_str_equal (key, "tax") || g_str_equal (key, "id") ||
                   g_str_equal (key, "variationid") || g_str_equal (key, "refundedqty"))
            continue;
          else
            g_ptr_array_add (meta, (gpointer) part);   /* "size: Medium" */
        }

      state->item_rows++;
      {
        /* Quantities and amounts are checked as if they were columns,
         * named after the packed column. */
        int saved_quantity = self->cols[PS_IMPORT_FIELD_QUANTITY];
        int saved_price = self->cols[PS_IMPORT_FIELD_UNIT_PRICE];
        int saved_total = self->cols[PS_IMPORT_FIELD_LINE_TOTAL];
        gboolean ok;

        self->cols[PS_IMPORT_FIELD_QUANTITY] = column;
        self->cols[PS_IMPORT_FIELD_UNIT_PRICE] = column;
        self->cols[PS_IMPORT_FIELD_LINE_TOTAL] = column;
        ok = parse_line (self, state, row,
                         PS_IMPORT_FIELD_QUANTITY, quantity,
                         PS_IMPORT_FIELD_UNIT_PRICE, price,
                         PS_IMPORT_FIELD_LINE_TOTAL, total, &line);
        self->cols[PS_IMPORT_FIELD_QUANTITY] = saved_quantity;
        self->cols[PS_IMPORT_FIELD_UNIT_PRICE] = saved_price;
        self->cols[PS_IMPORT_FIELD_LINE_TOTAL] = saved_total;

        if (!ok)
          {
            state->rejected_rows++;
            continue;
          }
      }

      line.sku = g_strdup (sku);
      line.name = g_strdup (name);
      if (meta->len > 0)
        {
          g_ptr_array_add (meta, NULL);
          line.variant = g_strjoinv (", ", (char **) meta->pdata);
        }
      g_array_append_val (state->record->lines, line);
    }
}

static gboolean
row_has_item (PsImportReader *self,
              const PsCsvRow *row)
{
  if (self->format == PS_IMPORT_FORMAT_EBAY)
    return *cell (self, row, COL_ITEM_NUMBER) != '\0' ||
           *cell (self, row, PS_IMPORT_FIELD_ITEM_NAME) != '\0' ||
           *cell (self, row, PS_IMPORT_FIELD_SKU) != '\0';

  return *cell (self, row, PS_IMPORT_FIELD_SKU) != '\0' ||
         *cell (self, row, PS_IMPORT_FIELD_ITEM_NAME) != '\0' ||
         *cell (self, row, PS_IMPORT_FIELD_QUANTITY) != '\0' ||
         *cell (self, row, PS_IMPORT_FIELD_UNIT_PRICE) != '\0' ||
         *cell (self, row, PS_IMPORT_FIELD_LINE_TOTAL) != '\0';
}

/* The item cells of a row: a line, or a problem. *duplicate is set for an
 * Amazon row repeating an item (promotions that did not fit). */
static void
read_item (PsImportReader *self,
           OrderState     *state,
           const PsCsvRow *row,
           gboolean       *duplicate)
{
  PsImportLine line = { 0 };
  const char *item_id = cell (self, row, COL_ORDER_ITEM_ID);
  const char *weight = cell (self, row, PS_IMPORT_FIELD_WEIGHT);

  *duplicate = FALSE;

  if (*item_id != '\0')
    {
      guint i;

      if (state->item_ids == NULL)
        state->item_ids = g_ptr_array_new_with_free_func (g_free);
      for (i = 0; i < state->item_ids->len; i++)
        {
          if (g_str_equal (g_ptr_array_index (state->item_ids, i), item_id))
            {
              *duplicate = TRUE;
              return;
            }
        }
    }

  state->item_rows++;

  if (!parse_line (self, state, row,
                   PS_IMPORT_FIELD_QUANTITY, cell (self, row, PS_IMPORT_FIELD_QUANTITY),
                   PS_IMPORT_FIELD_UNIT_PRICE, cell (self, row, PS_IMPORT_FIELD_UNIT_PRICE),
                   PS_IMPORT_FIELD_LINE_TOTAL, cell (self, row, PS_IMPORT_FIELD_LINE_TOTAL),
                   &line))
    {
      state->rejected_rows++;
      return;
    }

  if (*item_id != '\0')
    g_ptr_array_add (state->item_ids, g_strdup (item_id));

  /* Gift cards and other items that are not shipped stay out of the
   * parcel. */
  if (g_ascii_strcasecmp (cell (self, row, COL_REQUIRES_SHIPPING), "false") == 0)
    return;

  if (*weight != '\0' && !ps_parse_weight (weight, self->weight_unit, &line.weight_grams))
    {
      add_warning (state->record, "Line %u: %s “%s” is not a weight",
                   row->line, column_name (self, PS_IMPORT_FIELD_WEIGHT), weight);
      line.weight_grams = 0;
    }

  line.sku = dup_cell (self, row, PS_IMPORT_FIELD_SKU);
  line.name = dup_cell (self, row, PS_IMPORT_FIELD_ITEM_NAME);
  line.variant = dup_cell (self, row, PS_IMPORT_FIELD_VARIANT);
  g_array_append_val (state->record->lines, line);
}

static void
read_row (PsImportReader *self,
          OrderState     *state,
          const PsCsvRow *row)
{
  gboolean item_row = row_has_item (self, row);
  gboolean duplicate = FALSE;
  const char *tracking;
  guint i;

  read_order_cells (self, state, row, item_row);

  if (item_row)
    read_item (self, state, row, &duplicate);
  else if (self->format == PS_IMPORT_FORMAT_EBAY)
    state->summary_row = TRUE;

  if (item_row || self->format == PS_IMPORT_FORMAT_AMAZON)
    read_row_amounts (self, state, row, duplicate);

  for (i = 0; i < self->packed_cols->len; i++)
    {
      int column = g_array_index (self->packed_cols, int, i);

      if ((guint) column < row->n_cells && *row->cells[column] != '\0')
        read_packed_items (self, state, row, column);
    }

  tracking = cell (self, row, PS_IMPORT_FIELD_TRACKING_NUMBER);
  if (*tracking != '\0')
    add_tracking (state->record, tracking, FALSE);
  tracking = cell (self, row, COL_FULFILLMENT);
  if (*tracking != '\0')
    add_tracking (state->record, tracking, TRUE);
}

/* Finishing an order */

static void
set_date (PsImportReader *self,
          OrderState     *state,
          int             col,
          gint64         *out)
{
  const char *text = state->values[col];

  if (text == NULL)
    return;

  if (!ps_parse_datetime (text, self->tz, out))
    {
      add_warning (state->record, "%s “%s” is not a date", column_name (self, col), text);
      *out = 0;
    }
}

static gboolean
get_amount (PsImportReader *self,
            OrderState     *state,
            int             col,
            gint64         *out)
{
  const char *text = state->values[col];

  if (text == NULL)
    return FALSE;

  if (!parse_amount (self, state, text, out))
    {
      add_warning (state->record, "%s “%s” is not an amount", column_name (self, col), text);
      return FALSE;
    }

  return TRUE;
}

static PsOrderStatus
shopify_status (OrderState *state)
{
  g_autofree char *financial = _ps_import_fold_word (state->values[COL_FINANCIAL_STATUS] ?: "");
  g_autofree char *fulfillment = _ps_import_fold_word (state->values[COL_FULFILLMENT_STATUS] ?: "");

  if (state->values[COL_CANCELLED_AT] != NULL || g_str_equal (financial, "voided"))
    return PS_ORDER_STATUS_CANCELLED;
  if (g_str_equal (fulfillment, "fulfilled") || g_str_equal (fulfillment, "shipped"))
    return PS_ORDER_STATUS_SHIPPED;
  if (g_str_equal (financial, "refunded"))
    return PS_ORDER_STATUS_CANCELLED;
  if (g_str_equal (financial, "pending") || g_str_equal (financial, "expired"))
    return PS_ORDER_STATUS_AWAITING_PAYMENT;

  /* paid, authorized, partially_paid, partially_refunded; "partial"
   * fulfilment still has items to ship. */
  return PS_ORDER_STATUS_AWAITING_SHIPMENT;
}

static PsOrderStatus
order_status (PsImportReader *self,
              OrderState     *state)
{
  PsOrderStatus status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  gboolean known = _ps_import_status_from_text (state->values[PS_IMPORT_FIELD_STATUS], &status);

  switch (self->format)
    {
    case PS_IMPORT_FORMAT_SHOPIFY:
      return shopify_status (state);

    case PS_IMPORT_FORMAT_ETSY_ORDERS:
    case PS_IMPORT_FORMAT_ETSY_ITEMS:
      if (known && status == PS_ORDER_STATUS_CANCELLED)
        return status;
      if (state->values[COL_SHIPPED_AT] != NULL)
        return PS_ORDER_STATUS_SHIPPED;
      return PS_ORDER_STATUS_AWAITING_SHIPMENT;

    case PS_IMPORT_FORMAT_EBAY:
      if (state->values[COL_SHIPPED_AT] != NULL)
        return PS_ORDER_STATUS_SHIPPED;
      if (state->values[PS_IMPORT_FIELD_PAID_AT] != NULL)
        return PS_ORDER_STATUS_AWAITING_SHIPMENT;
      if (self->cols[PS_IMPORT_FIELD_PAID_AT] >= 0)
        return PS_ORDER_STATUS_AWAITING_PAYMENT;
      return PS_ORDER_STATUS_AWAITING_SHIPMENT;

    case PS_IMPORT_FORMAT_WOOCOMMERCE:
    case PS_IMPORT_FORMAT_AMAZON:
    case PS_IMPORT_FORMAT_GENERIC:
    case PS_IMPORT_FORMAT_AUTO:
    default:
      if (!known && state->values[COL_SHIPPED_AT] != NULL)
        return PS_ORDER_STATUS_SHIPPED;
      return status;
    }
}

static void
take (char **field,
      char **value)
{
  g_free (*field);
  *field = g_steal_pointer (value);
}

static void
finish_address (PsImportReader *self,
                OrderState     *state)
{
  PsImportRecord *record = state->record;
  char **v = state->values;
  const char *code;
  g_autofree char *message = NULL;

  take (&record->customer_email, &v[PS_IMPORT_FIELD_CUSTOMER_EMAIL]);
  take (&record->customer_phone, &v[PS_IMPORT_FIELD_CUSTOMER_PHONE]);
  if (record->customer_phone == NULL)
    take (&record->customer_phone, &v[COL_SHIP_PHONE]);

  take (&record->ship_name, &v[PS_IMPORT_FIELD_SHIP_NAME]);
  if (record->ship_name == NULL)
    record->ship_name = join_names (v[COL_SHIP_FIRST], v[COL_SHIP_LAST]);
  take (&record->ship_company, &v[PS_IMPORT_FIELD_SHIP_COMPANY]);
  take (&record->ship_line1, &v[PS_IMPORT_FIELD_SHIP_LINE1]);
  take (&record->ship_line2, &v[PS_IMPORT_FIELD_SHIP_LINE2]);
  if (v[COL_SHIP_LINE3] != NULL)
    {
      char *line2 = record->ship_line2 != NULL
        ? g_strconcat (record->ship_line2, ", ", v[COL_SHIP_LINE3], NULL)
        : g_strdup (v[COL_SHIP_LINE3]);

      g_free (record->ship_line2);
      record->ship_line2 = line2;
    }
  take (&record->ship_city, &v[PS_IMPORT_FIELD_SHIP_CITY]);
  take (&record->ship_state, &v[PS_IMPORT_FIELD_SHIP_STATE]);
  if (record->ship_state == NULL)
    take (&record->ship_state, &v[COL_SHIP_STATE_NAME]);
  take (&record->ship_postcode, &v[PS_IMPORT_FIELD_SHIP_POSTCODE]);
  take (&record->ship_country, &v[PS_IMPORT_FIELD_SHIP_COUNTRY]);

  /* No shipping address (a WooCommerce order without one, an eBay report
   * with only the buyer's): the billing address is where it goes. */
  if (record->ship_line1 == NULL && record->ship_city == NULL &&
      (v[COL_BILL_LINE1] != NULL || v[COL_BILL_CITY] != NULL))
    {
      if (record->ship_name == NULL)
        {
          take (&record->ship_name, &v[COL_BILL_NAME]);
          if (record->ship_name == NULL)
            record->ship_name = join_names (v[COL_BILL_FIRST], v[COL_BILL_LAST]);
        }
      if (record->ship_company == NULL)
        take (&record->ship_company, &v[COL_BILL_COMPANY]);
      take (&record->ship_line1, &v[COL_BILL_LINE1]);
      take (&record->ship_line2, &v[COL_BILL_LINE2]);
      take (&record->ship_city, &v[COL_BILL_CITY]);
      take (&record->ship_state, &v[COL_BILL_STATE]);
      take (&record->ship_postcode, &v[COL_BILL_POSTCODE]);
      take (&record->ship_country, &v[COL_BILL_COUNTRY]);
    }

  take (&record->customer_name, &v[PS_IMPORT_FIELD_CUSTOMER_NAME]);
  if (record->customer_name == NULL)
    record->customer_name = join_names (v[COL_CUSTOMER_FIRST], v[COL_CUSTOMER_LAST]);
  if (record->customer_name == NULL && v[COL_BILL_NAME] != NULL)
    record->customer_name = g_strdup (v[COL_BILL_NAME]);
  if (record->customer_name == NULL)
    record->customer_name = join_names (v[COL_BILL_FIRST], v[COL_BILL_LAST]);
  if (record->customer_name == NULL)
    record->customer_name = g_strdup (record->ship_name);
  if (record->customer_name == NULL)
    record->customer_name = g_strdup (v[COL_CUSTOMER_ALT_NAME]);
  if (record->ship_name == NULL)
    record->ship_name = g_strdup (record->customer_name);

  /* Shopify writes "-" for "no postcode" (Bangladesh). */
  if (record->ship_postcode != NULL && strspn (record->ship_postcode, "-") == strlen (record->ship_postcode))
    g_clear_pointer (&record->ship_postcode, g_free);

  if (record->ship_country != NULL)
    {
      code = ps_country_code (record->ship_country);
      if (code == NULL)
        {
          add_warning (record, "Unknown country “%s”", record->ship_country);
          g_clear_pointer (&record->ship_country, g_free);
        }
      else if (strcmp (code, record->ship_country) != 0)
        {
          g_free (record->ship_country);
          record->ship_country = g_strdup (code);
        }
    }

  if (record->ship_state != NULL && record->ship_country != NULL)
    {
      code = ps_region_code (record->ship_country, record->ship_state);
      if (code != NULL && strcmp (code, record->ship_state) != 0)
        {
          g_free (record->ship_state);
          record->ship_state = g_strdup (code);
        }
    }

  if (!ps_address_check (record->ship_country, record->ship_state, record->ship_postcode,
                         record->ship_city, record->ship_line1, &message))
    {
      record->address_issue = TRUE;
      record->address_message = g_strdup (message != NULL ? message : "The address is incomplete");
      g_ptr_array_add (record->warnings, g_strdup (record->address_message));
    }
}

static void
finish_amounts (PsImportReader *self,
                OrderState     *state)
{
  PsImportRecord *record = state->record;
  gint64 lines_total = 0;
  gboolean have_subtotal, have_shipping, have_tax, have_total;
  gint64 extra_tax = 0;
  guint i;

  for (i = 0; i < record->lines->len; i++)
    {
      const PsImportLine *line = &g_array_index (record->lines, PsImportLine, i);

      lines_total = add_saturated (lines_total,
                                   multiply_saturated (line->unit_price_minor, line->quantity));
    }

  if (self->format == PS_IMPORT_FORMAT_AMAZON)
    {
      record->subtotal_minor = state->sums_seen ? state->sum_subtotal : lines_total;
      record->shipping_minor = state->sum_shipping;
      record->tax_minor = state->sum_tax;
      record->total_minor = add_saturated (add_saturated (record->subtotal_minor,
                                                          record->shipping_minor),
                                           add_saturated (record->tax_minor,
                                                          state->sum_discount == G_MININT64
                                                            ? G_MAXINT64 : -state->sum_discount));
      return;
    }

  if (self->format == PS_IMPORT_FORMAT_EBAY && !state->summary_row)
    {
      /* Every row is an item with its own shipping, tax and total. */
      record->subtotal_minor = lines_total;
      record->shipping_minor = state->sum_shipping;
      record->tax_minor = state->sum_tax;
      record->total_minor = state->sum_total != 0
        ? state->sum_total
        : add_saturated (add_saturated (record->subtotal_minor, record->shipping_minor),
                         record->tax_minor);
      return;
    }

  have_subtotal = get_amount (self, state, PS_IMPORT_FIELD_SUBTOTAL, &record->subtotal_minor);
  have_shipping = get_amount (self, state, PS_IMPORT_FIELD_SHIPPING, &record->shipping_minor);
  have_tax = get_amount (self, state, PS_IMPORT_FIELD_TAX, &record->tax_minor);
  have_total = get_amount (self, state, PS_IMPORT_FIELD_TOTAL, &record->total_minor);
  if (get_amount (self, state, COL_ITEM_TAX, &extra_tax))
    {
      record->tax_minor = have_tax ? add_saturated (record->tax_minor, extra_tax) : extra_tax;
      have_tax = TRUE;
    }

  if (!have_subtotal)
    record->subtotal_minor = lines_total;
  if (!have_shipping)
    record->shipping_minor = 0;
  if (!have_tax)
    record->tax_minor = 0;
  if (!have_total)
    record->total_minor = add_saturated (add_saturated (record->subtotal_minor,
                                                        record->shipping_minor),
                                         record->tax_minor);
}

/* Etsy: the items file's lines for this order. */
static gboolean
join_etsy_items (PsImportReader *self,
                 OrderState     *state)
{
  PsImportRecord *record = state->record;
  PsImportRecord *items;
  guint i;

  if (self->etsy_items == NULL)
    return TRUE;

  if (g_hash_table_contains (self->rejected, record->order_number))
    return FALSE;

  items = g_hash_table_lookup (self->etsy_items, record->order_number);
  if (items == NULL)
    {
      add_warning (record, "Order %s has no items in %s", record->order_number,
                   self->items_name != NULL ? self->items_name : "the items file");
      return TRUE;
    }

  for (i = 0; i < items->lines->len; i++)
    {
      PsImportLine *line = &g_array_index (items->lines, PsImportLine, i);
      PsImportLine copy = *line;

      /* The items record gives its strings away. */
      line->sku = line->name = line->variant = NULL;
      g_array_append_val (record->lines, copy);
    }
  for (i = 0; i < items->tracking_numbers->len; i++)
    add_tracking (record, g_ptr_array_index (items->tracking_numbers, i), FALSE);
  if (state->values[PS_IMPORT_FIELD_PAID_AT] == NULL && items->paid_at != 0)
    record->paid_at = items->paid_at;
  if (state->values[COL_SHIPPED_AT] == NULL && items->status == PS_ORDER_STATUS_SHIPPED)
    state->values[COL_SHIPPED_AT] = g_strdup ("yes");

  g_hash_table_remove (self->etsy_items, record->order_number);

  return TRUE;
}

/* Returns the finished record, or NULL if the order is rejected (it had
 * item rows and every one of them was rejected). Consumes @state. */
static PsImportRecord *
finish_order (PsImportReader *self,
              OrderState     *state)
{
  g_autoptr(OrderState) owned = state;
  PsImportRecord *record = state->record;

  if (state->item_rows > 0 && state->rejected_rows == state->item_rows)
    {
      if (self->rejected != NULL)
        g_hash_table_add (self->rejected, g_strdup (record->order_number));
      return NULL;
    }

  if (!join_etsy_items (self, state))
    return NULL;

  set_date (self, state, PS_IMPORT_FIELD_CREATED_AT, &record->created_at);
  set_date (self, state, PS_IMPORT_FIELD_PAID_AT, &record->paid_at);
  record->status = order_status (self, state);
  finish_amounts (self, state);
  finish_address (self, state);

  state->record = NULL;

  return record;
}

/* Opening */

static void
find_columns (PsImportReader *self)
{
  g_autoptr(GHashTable) positions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint i;

  for (i = 0; i < N_COLS; i++)
    self->cols[i] = -1;

  for (i = 0; i < self->n_columns; i++)
    {
      char *name = ps_import_header_normalize (self->header[i]);

      /* SkyVerge legacy: order_item_1, order_item_2, … */
      if (self->format == PS_IMPORT_FORMAT_WOOCOMMERCE && g_str_has_prefix (name, "orderitem") &&
          name[9] != '\0' && strspn (name + 9, "0123456789") == strlen (name + 9))
        {
          int column = (int) i;

          g_array_append_val (self->packed_cols, column);
        }

      if (g_hash_table_contains (positions, name))
        g_free (name);
      else
        g_hash_table_insert (positions, name, GUINT_TO_POINTER (i + 1));
    }

  if (self->dialect != NULL)
    {
      for (i = 0; i < self->dialect->n_columns; i++)
        {
          const PsImportColumnName *c = &self->dialect->columns[i];
          guint position = GPOINTER_TO_UINT (g_hash_table_lookup (positions, c->name));

          if (position > 0 && self->cols[c->col] < 0)
            self->cols[c->col] = (int) position - 1;
        }

      if (self->cols[COL_PACKED_ITEMS] >= 0)
        {
          int column = self->cols[COL_PACKED_ITEMS];

          g_array_append_val (self->packed_cols, column);
        }
    }
  else if (self->mapping != NULL)
    {
      for (i = 0; i < self->n_columns; i++)
        {
          PsImportField field = ps_import_mapping_get (self->mapping, self->header[i]);

          if (field != PS_IMPORT_FIELD_IGNORE && self->cols[field] < 0)
            self->cols[field] = (int) i;
        }
    }

  if (self->cols[PS_IMPORT_FIELD_WEIGHT] >= 0)
    {
      g_autofree char *name = ps_import_header_normalize (self->header[self->cols[PS_IMPORT_FIELD_WEIGHT]]);

      self->weight_unit = _ps_import_weight_unit_for_header (name);
    }
}

static gboolean
check_mapping (PsImportReader  *self,
               GError         **error)
{
  guint n = _ps_import_mapping_get_n_columns (self->mapping);
  guint i, j;

  if (!ps_import_mapping_is_complete (self->mapping, error))
    return FALSE;

  for (i = 0; i < n; i++)
    {
      PsImportField field;
      const char *column = _ps_import_mapping_get_column (self->mapping, i, &field);
      gboolean found = FALSE;

      if (field == PS_IMPORT_FIELD_IGNORE)
        continue;

      for (j = 0; j < self->n_columns && !found; j++)
        found = ps_import_mapping_get (self->mapping, self->header[j]) == field;

      if (!found)
        {
          g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING,
                       "The mapping names a column “%s” that is not in the file", column);
          return FALSE;
        }
    }

  return TRUE;
}

static PsImportReader *
reader_new (void)
{
  PsImportReader *self = g_new0 (PsImportReader, 1);

  self->size = -1;
  self->packed_cols = g_array_new (FALSE, FALSE, sizeof (int));
  self->problems = g_array_new (FALSE, TRUE, sizeof (PsImportProblem));
  g_array_set_clear_func (self->problems, (GDestroyNotify) ps_import_problem_clear);
  self->tz = g_time_zone_new_local ();
  self->key = g_string_sized_new (64);
  self->weight_unit = "g";
  memcpy (self->last_currency, "USD", 4);

  return self;
}

static gboolean
reader_open (PsImportReader         *self,
             GInputStream           *stream,
             PsImportFormat          format,
             const PsImportMapping  *mapping,
             GCancellable           *cancellable,
             GError                **error)
{
  GError *local_error = NULL;
  const PsCsvRow *row;
  PsImportFormat requested;
  PsImportFormat detected;
  guint i;

  self->stream = g_object_ref (stream);
  self->csv = ps_csv_new (stream, cancellable, error);
  if (self->csv == NULL)
    return FALSE;

  row = ps_csv_read_header (self->csv, cancellable, &local_error);
  if (row == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY,
                             "The file has only blank lines");
      return FALSE;
    }

  self->n_columns = row->n_cells;
  self->header = g_new0 (char *, row->n_cells + 1);
  for (i = 0; i < row->n_cells; i++)
    self->header[i] = g_strstrip (g_strdup (row->cells[i]));

  requested = format;
  detected = ps_import_format_detect ((const char * const *) self->header, self->n_columns);
  if (detected == PS_IMPORT_FORMAT_AUTO)
    detected = PS_IMPORT_FORMAT_GENERIC;

  if (format == PS_IMPORT_FORMAT_AUTO)
    format = detected;
  else if (format != PS_IMPORT_FORMAT_GENERIC && format != detected)
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT,
                   "The header is not that of a %s export (it looks like %s)",
                   ps_import_format_to_nick (format), ps_import_format_to_nick (detected));
      return FALSE;
    }

  self->format = format;
  self->dialect = _ps_import_dialect_find (format);
  if (self->dialect != NULL)
    {
      find_columns (self);

      /* A header that looks like a dialect but has no order number
       * column: if the dialect was only detected, the merchant can still
       * map it; if it was asked for, it is the wrong file. */
      if (self->cols[PS_IMPORT_FIELD_ORDER_NUMBER] < 0 && self->cols[COL_ALT_ORDER_NUMBER] < 0)
        {
          if (requested != PS_IMPORT_FORMAT_AUTO)
            {
              g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT,
                           "The %s header has no order number column",
                           ps_import_format_to_nick (self->format));
              return FALSE;
            }
          self->dialect = NULL;
        }
    }

  if (self->dialect == NULL)
    {
      self->format = PS_IMPORT_FORMAT_GENERIC;
      g_array_set_size (self->packed_cols, 0);
      if (mapping == NULL)
        self->needs_mapping = TRUE;
      else
        self->mapping = ps_import_mapping_copy (mapping);
      find_columns (self);
    }

  if (self->mapping != NULL && !check_mapping (self, error))
    return FALSE;

  /* eBay ends with "83 record(s) downloaded" and "Seller ID: …". */
  ps_csv_set_skip_footer (self->csv, self->format == PS_IMPORT_FORMAT_EBAY);

  row = ps_csv_next (self->csv, cancellable, &local_error);
  if (row == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      else
        g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_HEADER_ONLY,
                             "The file has a header and no data rows");
      return FALSE;
    }
  ps_csv_unread (self->csv);

  g_debug ("Reading a %s file (%s, delimiter 0x%02x, %u columns)",
           ps_import_format_to_nick (self->format), ps_csv_get_encoding (self->csv),
           (guint) ps_csv_get_delimiter (self->csv), self->n_columns);

  return TRUE;
}

static goffset
query_size (GFile        *file,
            GCancellable *cancellable)
{
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info == NULL)
    return -1;

  return g_file_info_get_size (info);
}

static GInputStream *
open_file (GFile         *file,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GFileInputStream *stream;

  stream = g_file_read (file, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ,
                     "Cannot open the file: %s", local_error->message);
      return NULL;
    }

  return G_INPUT_STREAM (stream);
}

/* Public API */

/**
 * _ps_import_reader_new_for_stream:
 * @stream: the bytes of an export
 * @size: the size of @stream in bytes, or -1
 * @format: the dialect, or %PS_IMPORT_FORMAT_AUTO
 * @mapping: (nullable): the mapping for a generic file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * As ps_import_reader_new(), reading from @stream (tests and fuzzing use a
 * #GMemoryInputStream).
 *
 * Returns: (transfer full) (nullable): the reader
 */
PsImportReader *
_ps_import_reader_new_for_stream (GInputStream           *stream,
                                  goffset                 size,
                                  PsImportFormat          format,
                                  const PsImportMapping  *mapping,
                                  GCancellable           *cancellable,
                                  GError                **error)
{
  g_autoptr(PsImportReader) self = NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail ((guint) format <= PS_IMPORT_FORMAT_LAST, NULL);

  self = reader_new ();
  self->size = size;

  if (!reader_open (self, stream, format, mapping, cancellable, error))
    return NULL;

  return g_steal_pointer (&self);
}

/**
 * ps_import_reader_new:
 * @file: an order export
 * @format: the dialect, or %PS_IMPORT_FORMAT_AUTO to detect it
 * @mapping: (nullable): which column means what, for a generic file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Opens @file and reads its start: encoding, delimiter, preamble, header,
 * dialect and whether a data row follows. Errors: %PS_IMPORT_ERROR_READ,
 * %PS_IMPORT_ERROR_EMPTY, %PS_IMPORT_ERROR_BINARY,
 * %PS_IMPORT_ERROR_ENCODING, %PS_IMPORT_ERROR_HEADER_ONLY,
 * %PS_IMPORT_ERROR_BAD_MAPPING and %PS_IMPORT_ERROR_WRONG_FORMAT.
 *
 * A header of no known dialect without @mapping still opens, so that
 * ps_import_reader_get_header() and ps_import_reader_read_sample() can
 * tell the columns to whoever chooses a mapping; ps_import_reader_next()
 * then fails with %PS_IMPORT_ERROR_NEEDS_MAPPING.
 *
 * Any thread; the reader is not thread-safe.
 *
 * Returns: (transfer full) (nullable): the reader
 */
PsImportReader *
ps_import_reader_new (GFile                  *file,
                      PsImportFormat          format,
                      const PsImportMapping  *mapping,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail ((guint) format <= PS_IMPORT_FORMAT_LAST, NULL);

  stream = open_file (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  return _ps_import_reader_new_for_stream (stream, query_size (file, cancellable), format,
                                           mapping, cancellable, error);
}

/**
 * ps_import_reader_new_etsy:
 * @orders_file: an `EtsySoldOrders<YYYY>-<M>.csv`
 * @items_file: the `EtsySoldOrderItems<YYYY>-<M>.csv` of the same period
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the items file first, whole, into a table by Order ID (it holds
 * only what lines need), then streams the orders file: each order gets the
 * lines of its Order ID. An order whose every item row was rejected is
 * rejected; an order without items keeps a warning. Problems in the items
 * file name the file in their message. Progress counts the orders file.
 *
 * Returns: (transfer full) (nullable): the reader
 */
PsImportReader *
ps_import_reader_new_etsy (GFile         *orders_file,
                           GFile         *items_file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(PsImportReader) items = NULL;
  g_autoptr(PsImportReader) self = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GHashTable) table = NULL;
  g_autoptr(GHashTable) rejected = NULL;
  g_autofree char *items_name = NULL;
  PsImportRecord *record;
  GError *local_error = NULL;
  guint i;

  g_return_val_if_fail (G_IS_FILE (orders_file), NULL);
  g_return_val_if_fail (G_IS_FILE (items_file), NULL);

  items = ps_import_reader_new (items_file, PS_IMPORT_FORMAT_ETSY_ITEMS, NULL, cancellable, error);
  if (items == NULL)
    return NULL;

  items_name = g_file_get_basename (items_file);
  items->problem_prefix = g_strdup (items_name);
  items->rejected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                 (GDestroyNotify) ps_import_record_free);

  while ((record = ps_import_reader_next (items, cancellable, &local_error)) != NULL)
    {
      PsImportRecord *existing = g_hash_table_lookup (table, record->order_number);

      /* The same order again further down: one set of lines. */
      if (existing != NULL)
        {
          for (i = 0; i < record->lines->len; i++)
            {
              PsImportLine *line = &g_array_index (record->lines, PsImportLine, i);
              PsImportLine copy = *line;

              line->sku = line->name = line->variant = NULL;
              g_array_append_val (existing->lines, copy);
            }
          ps_import_record_free (record);
        }
      else
        g_hash_table_insert (table, g_strdup (record->order_number), record);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  stream = open_file (orders_file, cancellable, error);
  if (stream == NULL)
    return NULL;

  self = reader_new ();
  self->size = query_size (orders_file, cancellable);
  if (!reader_open (self, stream, PS_IMPORT_FORMAT_ETSY_ORDERS, NULL, cancellable, error))
    return NULL;

  self->etsy_items = g_steal_pointer (&table);
  self->rejected = g_steal_pointer (&items->rejected);
  self->items_name = g_steal_pointer (&items_name);

  /* The items file's problems come first: it was read first. */
  for (i = 0; i < items->problems->len; i++)
    {
      PsImportProblem *problem = &g_array_index (items->problems, PsImportProblem, i);
      PsImportProblem copy = { problem->line, g_steal_pointer (&problem->message) };

      g_array_append_val (self->problems, copy);
    }

  return g_steal_pointer (&self);
}

/**
 * ps_import_reader_free:
 * @self: (transfer full) (nullable): a #PsImportReader
 *
 * Closes the file and frees the reader, its problems and the order it was
 * building.
 */
void
ps_import_reader_free (PsImportReader *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->csv, ps_csv_free);
  g_clear_object (&self->stream);
  g_clear_pointer (&self->mapping, ps_import_mapping_free);
  g_strfreev (self->header);
  g_array_unref (self->packed_cols);
  g_array_unref (self->problems);
  g_time_zone_unref (self->tz);
  g_string_free (self->key, TRUE);
  order_state_free (self->current);
  g_clear_pointer (&self->etsy_items, g_hash_table_unref);
  g_clear_pointer (&self->rejected, g_hash_table_unref);
  g_free (self->items_name);
  g_free (self->problem_prefix);
  g_free (self);
}

/**
 * ps_import_reader_get_format:
 * @self: a #PsImportReader
 *
 * Returns: the dialect being read; %PS_IMPORT_FORMAT_GENERIC for a file
 *   read through a mapping or waiting for one
 */
PsImportFormat
ps_import_reader_get_format (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, PS_IMPORT_FORMAT_AUTO);

  return self->format;
}

/**
 * ps_import_reader_get_encoding:
 * @self: a #PsImportReader
 *
 * Returns: the charset the file is read in ("UTF-8", "WINDOWS-1252",
 *   "UTF-16LE", …)
 */
const char *
ps_import_reader_get_encoding (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return ps_csv_get_encoding (self->csv);
}

/**
 * ps_import_reader_get_delimiter:
 * @self: a #PsImportReader
 *
 * Returns: the cell delimiter: ',', ';' or '\t'
 */
char
ps_import_reader_get_delimiter (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return ps_csv_get_delimiter (self->csv);
}

/**
 * ps_import_reader_get_header:
 * @self: a #PsImportReader
 * @n_columns: (out) (optional): the number of columns
 *
 * Returns: (transfer none) (array length=n_columns): the header row, as in
 *   the file (without surrounding spaces), %NULL-terminated
 */
const char * const *
ps_import_reader_get_header (PsImportReader *self,
                             guint          *n_columns)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_columns != NULL)
    *n_columns = self->n_columns;

  return (const char * const *) self->header;
}

/**
 * ps_import_reader_read_sample:
 * @self: a #PsImportReader
 * @max_rows: how many data rows to read at most
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the first data rows as cells, each row exactly as wide as the
 * header, for ps_import_mapping_guess() and for showing a merchant what a
 * column holds. Only before ps_import_reader_next(); the reader cannot
 * read records afterwards (open the file again with the mapping).
 *
 * Returns: (transfer full) (element-type GStrv) (nullable): the rows, or
 *   %NULL on an error
 */
GPtrArray *
ps_import_reader_read_sample (PsImportReader  *self,
                              guint            max_rows,
                              GCancellable    *cancellable,
                              GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  while (rows->len < max_rows)
    {
      const PsCsvRow *row = ps_csv_next (self->csv, cancellable, &local_error);
      char **cells;
      guint i;

      if (row == NULL)
        break;

      cells = g_new0 (char *, self->n_columns + 1);
      for (i = 0; i < self->n_columns; i++)
        cells[i] = g_strdup (i < row->n_cells ? row->cells[i] : "");
      g_ptr_array_add (rows, cells);
    }

  self->done = TRUE;

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return g_steal_pointer (&rows);
}

/**
 * ps_import_reader_next:
 * @self: a #PsImportReader
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the rows of the next order. Rows that cannot be used are skipped
 * and reported by ps_import_reader_get_problems(). A rejected row's
 * order-level cells (address, totals) still count for the order's other
 * rows; an order all of whose item rows are rejected is skipped.
 *
 * Returns: (transfer full) (nullable): the next order; %NULL at the end
 *   (@error unset) or on a fatal error (@error set: I/O, encoding,
 *   %PS_IMPORT_ERROR_NEEDS_MAPPING)
 */
PsImportRecord *
ps_import_reader_next (PsImportReader  *self,
                       GCancellable    *cancellable,
                       GError         **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->needs_mapping)
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING,
                   "No known export has this header (%u columns); a mapping is needed",
                   self->n_columns);
      return NULL;
    }

  while (!self->done)
    {
      GError *local_error = NULL;
      const PsCsvRow *row;
      PsImportRecord *finished = NULL;
      const char *key;
      gsize len;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      row = ps_csv_next (self->csv, cancellable, &local_error);
      if (row == NULL)
        {
          self->done = TRUE;
          if (local_error != NULL)
            {
              g_propagate_error (error, local_error);
              return NULL;
            }
          if (self->current != NULL)
            {
              finished = finish_order (self, g_steal_pointer (&self->current));
              if (finished != NULL)
                return finished;
            }
          return NULL;
        }

      self->rows_read++;

      key = cell (self, row, PS_IMPORT_FIELD_ORDER_NUMBER);
      if (*key == '\0')
        key = cell (self, row, COL_ALT_ORDER_NUMBER);
      len = strlen (key);
      while (len > 0 && g_ascii_isspace (key[len - 1]))
        len--;
      g_string_truncate (self->key, 0);
      g_string_append_len (self->key, key, len);

      if (self->key->len == 0)
        {
          add_problem (self, row->line, "%s is empty: no order number",
                       column_name (self, self->cols[PS_IMPORT_FIELD_ORDER_NUMBER] >= 0
                                          ? PS_IMPORT_FIELD_ORDER_NUMBER : COL_ALT_ORDER_NUMBER));
          continue;
        }

      if (self->current == NULL || !g_str_equal (self->current->record->order_number, self->key->str))
        {
          if (self->current != NULL)
            finished = finish_order (self, g_steal_pointer (&self->current));
          self->current = order_state_new (self, row, self->key->str);
        }

      read_row (self, self->current, row);

      if (finished != NULL)
        return finished;
    }

  return NULL;
}

/**
 * ps_import_reader_get_problems:
 * @self: a #PsImportReader
 *
 * Returns: (transfer none) (element-type PsImportProblem): the rows
 *   rejected so far, in line order
 */
GArray *
ps_import_reader_get_problems (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->problems;
}

/**
 * ps_import_reader_get_rows_read:
 * @self: a #PsImportReader
 *
 * Returns: the data rows read so far (not counting the header, preamble,
 *   blank lines and footer)
 */
guint
ps_import_reader_get_rows_read (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rows_read;
}

/**
 * ps_import_reader_get_bytes_read:
 * @self: a #PsImportReader
 *
 * Returns: how far into the file reading is, in bytes of the file (read
 *   ahead by up to 64 KiB); with ps_import_reader_get_size(), a progress
 *   fraction
 */
goffset
ps_import_reader_get_bytes_read (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  if (G_IS_SEEKABLE (self->stream))
    return g_seekable_tell (G_SEEKABLE (self->stream));

  return 0;
}

/**
 * ps_import_reader_get_size:
 * @self: a #PsImportReader
 *
 * Returns: the size of the file in bytes, or -1 if unknown
 */
goffset
ps_import_reader_get_size (PsImportReader *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->size;
}
