/* ps-label-layout.c: our label layout, computed once for cairo and ZPL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The 4 in wide label, top to bottom (points; a 4x8 label gives its two
 * extra inches to the ship-to block, the middle band and the reference):
 *
 *   8–64     service indicator box (first letter of the banner) | FROM
 *            block, ship date, weight, dimensions
 *   70       rule
 *   74–98    service banner
 *   100      rule
 *   104–204  SHIP TO: name (large), company, street lines, city line,
 *            country; each line shrinks, then is cut with "…"
 *   208–296  middle band: carrier 2D symbol (MaxiCode, PDF417 or
 *            DataMatrix) or the USPS routing barcode, and carrier,
 *            service and order text beside it
 *   296      heavy rule
 *   301–424  "… TRACKING #", the tracking barcode (about 0.83 in of bars),
 *            the human-readable number, a rule, order number and reference
 *
 * Barcodes sit on the printer's dot grid: their origin is a whole dot and
 * every module is a whole number of dots (3 at 203 dpi, 5 at 300 for
 * the tracking barcode, fewer when a long number would not fit the
 * width), so a thermal printer prints every bar at its exact width. The
 * quiet zones are part of each barcode's box and nothing else is drawn in
 * them. MaxiCode is the exception: its hexagons have a fixed physical size
 * (about 1.11 × 1.05 in) and are drawn as vectors.
 */

#define G_LOG_DOMAIN "ps-label-layout"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ps-label-layout-private.h"
#include "ps-labels-private.h"

#define MARGIN 8.0
#define MAXICODE_WIDTH_PT (28.14 / 25.4 * 72.0)

typedef struct
{
  PsLabelLayout     *layout;
  const PsLabelSpec *spec;
  double             dot;   /* points per dot */
} Builder;

static void
item_free (PsLayoutItem *item)
{
  g_clear_object (&item->text);
  g_clear_pointer (&item->barcode, ps_label_barcode_free);
  g_clear_pointer (&item->symbol, ps_barcode_symbol_free);
  g_free (item);
}

void
_ps_label_layout_free (PsLabelLayout *layout)
{
  if (layout == NULL)
    return;

  g_clear_pointer (&layout->items, g_ptr_array_unref);
  g_free (layout);
}

static gboolean
is_set (const char *s)
{
  return s != NULL && s[0] != '\0';
}

/* Adds a fitted text; returns the height it took (its box height when
 * @fixed, else the laid-out height). Empty text adds nothing. */
static double
add_text (Builder        *b,
          const char     *text,
          double          x,
          double          y,
          double          width,
          double          height,
          double          max_size,
          double          min_size,
          gboolean        bold,
          int             max_lines,
          PangoAlignment  align)
{
  PsLayoutItem *item;
  PangoRectangle logical;

  if (!is_set (text))
    return 0.0;

  item = g_new0 (PsLayoutItem, 1);
  item->kind = PS_LAYOUT_TEXT;
  item->x = x;
  item->y = y;
  item->width = width;
  item->height = height;
  item->text = _ps_text_fit_cached (text, width, height, max_size, min_size, bold, max_lines,
                                    align);
  g_ptr_array_add (b->layout->items, item);

  pango_layout_get_extents (item->text, NULL, &logical);
  return MIN (height, logical.height / (double) PANGO_SCALE);
}

static void
add_box (Builder *b,
         double   x,
         double   y,
         double   width,
         double   height,
         double   thickness)
{
  PsLayoutItem *item = g_new0 (PsLayoutItem, 1);

  item->kind = PS_LAYOUT_BOX;
  item->x = x;
  item->y = y;
  item->width = width;
  item->height = height;
  item->thickness = thickness;
  g_ptr_array_add (b->layout->items, item);
}

static int
to_dots (Builder *b,
         double   points)
{
  return (int) lround (points / b->dot);
}

/* Places @barcode with its box's left edge at @x (or centred in the label
 * when @x < 0) and its top at @y, at most @max_width × @max_height points.
 * Linear symbols get @bar_height points of bars. Returns the item. */
static PsLayoutItem *
add_barcode (Builder          *b,
             PsLabelBarcode   *barcode,
             double            x,
             double            y,
             double            max_width,
             double            max_height,
             double            bar_height,
             int               preferred_module_dots,
             GError          **error)
{
  g_autoptr(PsBarcodeSymbol) symbol = NULL;
  PsLayoutItem *item;
  double w_mod, h_mod;
  int module_dots, bar_dots = 0;
  gboolean linear = barcode->kind == PS_BARCODE_CODE128 || barcode->kind == PS_BARCODE_GS1_128;

  symbol = ps_barcode_symbol_encode (barcode, 50.0, error);
  if (symbol == NULL)
    return NULL;

  ps_barcode_symbol_get_size (symbol, &w_mod, &h_mod);

  item = g_new0 (PsLayoutItem, 1);
  item->kind = PS_LAYOUT_BARCODE;
  item->barcode = ps_label_barcode_copy (barcode);

  if (ps_barcode_symbol_is_hexagonal (symbol))
    {
      item->module = MAXICODE_WIDTH_PT / (w_mod - 0.0);
      item->module_dots = 0;
      item->symbol = g_steal_pointer (&symbol);
      item->width = w_mod * item->module;
      item->height = h_mod * item->module;
      item->x_dots = to_dots (b, x < 0 ? (b->layout->width - item->width) / 2 : x);
      item->y_dots = to_dots (b, y);
    }
  else
    {
      module_dots = preferred_module_dots;
      while (module_dots > 1
             && (w_mod * module_dots * b->dot > max_width
                 || (!linear && h_mod * module_dots * b->dot > max_height)))
        module_dots--;

      if (w_mod * module_dots * b->dot > max_width + 1e-6
          || (!linear && h_mod * module_dots * b->dot > max_height + 1e-6))
        {
          g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_BARCODE,
                       "The barcode for “%s” is too large for the label at %d dpi",
                       barcode->data, b->layout->dpi);
          item_free (item);
          return NULL;
        }

      if (linear)
        {
          bar_dots = to_dots (b, bar_height);
          g_clear_pointer (&symbol, ps_barcode_symbol_free);
          symbol = ps_barcode_symbol_encode (barcode, (double) bar_dots / module_dots, error);
          if (symbol == NULL)
            {
              item_free (item);
              return NULL;
            }
          ps_barcode_symbol_get_size (symbol, &w_mod, &h_mod);
        }

      item->module_dots = module_dots;
      item->bar_dots = bar_dots;
      item->module = module_dots * b->dot;
      item->width = w_mod * item->module;
      item->height = h_mod * item->module;
      item->symbol = g_steal_pointer (&symbol);
      if (x < 0)
        item->x_dots = (to_dots (b, b->layout->width) - (int) lround (w_mod) * module_dots) / 2;
      else
        item->x_dots = to_dots (b, x);
      item->y_dots = to_dots (b, y);
      /* Code 128 and GS1-128 have 10 modules of quiet zone each side,
       * DataMatrix 1, PDF417 2 (libzint's compliant quiet zones). */
      item->quiet_dots = (linear ? 10 : barcode->kind == PS_BARCODE_PDF417 ? 2 : 1) * module_dots;
    }

  item->x = item->x_dots * b->dot;
  item->y = item->y_dots * b->dot;
  g_ptr_array_add (b->layout->items, item);

  return item;
}

static char *
address_city_line (const PsAddress *a)
{
  GString *s = g_string_new (a->city);

  if (is_set (a->state))
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", a->state);
  if (is_set (a->postcode))
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", a->postcode);

  return g_string_free (s, FALSE);
}

static char *
from_block (const PsAddress *a)
{
  GString *s = g_string_new ("FROM: ");
  g_autofree char *city = NULL;

  if (a == NULL)
    return g_string_free (s, FALSE);

  city = address_city_line (a);
  g_string_append (s, a->name != NULL ? a->name : "");
  if (is_set (a->company))
    g_string_append_printf (s, "\n%s", a->company);
  if (is_set (a->line1))
    g_string_append_printf (s, "\n%s", a->line1);
  if (is_set (a->line2))
    g_string_append_printf (s, "\n%s", a->line2);
  g_string_append_printf (s, "\n%s", city);
  if (is_set (a->country))
    g_string_append_printf (s, " %s", a->country);

  return g_string_free (s, FALSE);
}

static char *
info_block (const PsLabelSpec *spec)
{
  g_autofree char *date = ps_label_spec_format_ship_date (spec);
  g_autofree char *weight = ps_label_spec_format_weight (spec);
  GString *s = g_string_new (NULL);

  if (date[0] != '\0')
    g_string_append_printf (s, "SHIP DATE: %s   ", date);
  if (weight[0] != '\0')
    g_string_append_printf (s, "WT: %s", weight);
  if (spec->length_mm > 0 && spec->width_mm > 0 && spec->height_mm > 0)
    g_string_append_printf (s, "\nDIMS: %.1f × %.1f × %.1f CM", spec->length_mm / 10.0,
                            spec->width_mm / 10.0, spec->height_mm / 10.0);

  return g_string_free (s, FALSE);
}

static const char *
carrier_display (const PsLabelSpec *spec)
{
  if (is_set (spec->carrier_name))
    return spec->carrier_name;
  if (spec->style == PS_LABEL_STYLE_USPS)
    return "USPS";
  if (spec->style == PS_LABEL_STYLE_UPS)
    return "UPS";
  if (spec->style == PS_LABEL_STYLE_FEDEX)
    return "FedEx";
  return is_set (spec->carrier_id) ? spec->carrier_id : "";
}

static gboolean
build (Builder  *b,
       GError  **error)
{
  const PsLabelSpec *spec = b->spec;
  const PsAddress *to = spec->ship_to;
  PsLabelLayout *layout = b->layout;
  double W = layout->width;
  double extra = layout->height - 432.0;
  double f = 1.0 + extra * 0.4 / 90.0;   /* ship-to growth on 4x8 */
  double inner = W - 2 * MARGIN;
  double y, mid, mid_height, bottom;
  int track_dots = layout->dpi < 250 ? 3 : 5;
  g_autofree char *banner = ps_label_spec_dup_banner (spec);
  g_autofree char *letter = NULL;
  g_autofree char *from = from_block (spec->ship_from);
  g_autofree char *info = info_block (spec);
  g_autofree char *city = address_city_line (to);
  g_autofree char *caption = NULL;
  g_autofree char *human = ps_label_spec_format_tracking (spec);
  g_autoptr(GString) side = g_string_new (NULL);
  g_autoptr(GString) ref = g_string_new (NULL);
  g_autoptr(GPtrArray) barcodes = NULL;
  PsLabelBarcode *tracking = NULL, *upper = NULL;
  PsLayoutItem *item;
  guint i;

  barcodes = ps_label_spec_dup_barcodes (spec, error);
  if (barcodes == NULL)
    return FALSE;

  for (i = 0; i < barcodes->len; i++)
    {
      PsLabelBarcode *bc = g_ptr_array_index (barcodes, i);

      if (bc->role == PS_BARCODE_ROLE_TRACKING)
        tracking = bc;
      else
        upper = bc;
    }

  /* Header: service indicator, from, ship date and weight. */
  add_box (b, MARGIN, MARGIN, 56, 56, 2);
  letter = g_utf8_substring (banner[0] != '\0' ? banner : "·", 0, 1);
  add_text (b, letter, MARGIN + 3, MARGIN + 4, 50, 48, 40, 12, TRUE, 1, PANGO_ALIGN_CENTER);
  add_text (b, from, MARGIN + 64, MARGIN, inner - 64, 44, 8, 5, FALSE, 6, PANGO_ALIGN_LEFT);
  add_text (b, info, MARGIN + 64, MARGIN + 45, inner - 64, 17, 6.5, 5, FALSE, 2, PANGO_ALIGN_LEFT);
  add_box (b, 0, 69, W, 1.5, 0);

  add_text (b, banner, MARGIN, 73, inner, 25, 20, 9, TRUE, 1, PANGO_ALIGN_CENTER);
  add_box (b, 0, 99, W, 1.5, 0);

  /* Ship-to. */
  add_text (b, "SHIP TO:", MARGIN, 104, 60, 10, 7, 7, TRUE, 1, PANGO_ALIGN_LEFT);
  y = 113;
  y += add_text (b, to->name, MARGIN + 12, y, inner - 12, 26 * f, 15 * f, 8, TRUE, 2,
                 PANGO_ALIGN_LEFT);
  y += add_text (b, to->company, MARGIN + 12, y, inner - 12, 12 * f, 10.5 * f, 7, FALSE, 1,
                 PANGO_ALIGN_LEFT);
  y += add_text (b, to->line1, MARGIN + 12, y, inner - 12, 12 * f, 10.5 * f, 7, FALSE, 1,
                 PANGO_ALIGN_LEFT);
  y += add_text (b, to->line2, MARGIN + 12, y, inner - 12, 12 * f, 10.5 * f, 7, FALSE, 1,
                 PANGO_ALIGN_LEFT);
  y += add_text (b, city, MARGIN + 12, y, inner - 12, 16 * f, 13 * f, 8, TRUE, 1,
                 PANGO_ALIGN_LEFT);
  add_text (b, to->country, MARGIN + 12, y, inner - 12, 12 * f, 10.5 * f, 7, FALSE, 1,
            PANGO_ALIGN_LEFT);

  /* Middle band. */
  mid = 113 + 91 * f + 4;
  mid_height = 88 + extra * 0.2;
  add_box (b, 0, mid - 2, W, 1, 0);

  g_string_append (side, carrier_display (spec));
  if (is_set (spec->service_name))
    g_string_append_printf (side, "\n%s", spec->service_name);
  if (is_set (spec->order_number))
    g_string_append_printf (side, "\nORDER %s", spec->order_number);

  if (upper != NULL && upper->role == PS_BARCODE_ROLE_ROUTING)
    {
      g_autofree char *zip_caption = g_strdup_printf ("ZIP %s", upper->data + 5);

      item = add_barcode (b, upper, MARGIN - 4, mid + 4, inner * 0.6, mid_height - 20,
                          mid_height - 26, track_dots, error);
      if (item == NULL)
        return FALSE;
      add_text (b, zip_caption, MARGIN, item->y + item->height + 2, item->width, 12, 9, 6, TRUE,
                1, PANGO_ALIGN_CENTER);
      add_text (b, side->str, item->x + item->width + 6, mid + 4,
                W - MARGIN - (item->x + item->width + 6), mid_height - 8, 10, 6, FALSE, 4,
                PANGO_ALIGN_LEFT);
    }
  else if (upper != NULL)
    {
      int pref = upper->kind == PS_BARCODE_PDF417 ? (layout->dpi < 250 ? 2 : 3)
                                                  : (layout->dpi < 250 ? 3 : 5);

      item = add_barcode (b, upper, MARGIN, mid + 2, inner * 0.62, mid_height - 6, 0, pref, error);
      if (item == NULL)
        return FALSE;
      add_text (b, side->str, item->x + item->width + 6, mid + 4,
                W - MARGIN - (item->x + item->width + 6), mid_height - 8, 10, 6, FALSE, 5,
                PANGO_ALIGN_LEFT);
    }

  /* Tracking. */
  bottom = mid + mid_height;
  add_box (b, 0, bottom, W, 3, 0);
  caption = g_strdup_printf ("%s TRACKING #", carrier_display (spec));
  add_text (b, g_strstrip (caption), MARGIN, bottom + 5, inner, 12, 9, 6, TRUE, 1,
            PANGO_ALIGN_CENTER);
  item = add_barcode (b, tracking, -1, bottom + 19, W, 0, 60, track_dots, error);
  if (item == NULL)
    return FALSE;
  y = item->y + item->height + 3;
  add_text (b, human, MARGIN, y, inner, 16, 12, 7, TRUE, 1, PANGO_ALIGN_CENTER);
  y += 19;
  add_box (b, 0, y, W, 1, 0);
  y += 3;

  if (is_set (spec->order_number))
    g_string_append_printf (ref, "ORDER %s", spec->order_number);
  if (is_set (spec->reference))
    g_string_append_printf (ref, "%sREF: %s", ref->len > 0 ? "   " : "", spec->reference);
  add_text (b, ref->str, MARGIN, y, inner, layout->height - MARGIN - y, 8, 5.5, FALSE,
            MAX (1, (int) ((layout->height - MARGIN - y) / 7)), PANGO_ALIGN_LEFT);

  return TRUE;
}

/**
 * _ps_label_layout_new:
 * @spec: the label
 * @size: the stock; two-up sizes lay out one 4x6 label
 * @dpi: the printer's resolution (dot grid), such as 203 or 300
 * @error: return location for a #PsLabelError
 *
 * Returns: (transfer full) (nullable): the layout.
 */
PsLabelLayout *
_ps_label_layout_new (const PsLabelSpec  *spec,
                      PsLabelSize         size,
                      int                 dpi,
                      GError            **error)
{
  g_autoptr(PsLabelLayout) layout = NULL;
  Builder b;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail ((guint) size <= PS_LABEL_SIZE_LAST, NULL);

  if (dpi < 100 || dpi > 1200)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                   "A printer resolution of %d dpi is not supported (use 203 or 300)", dpi);
      return NULL;
    }

  layout = g_new0 (PsLabelLayout, 1);
  layout->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  layout->dpi = dpi;
  ps_label_size_get_label_points (size, &layout->width, &layout->height);

  b.layout = layout;
  b.spec = spec;
  b.dot = PS_POINTS_PER_INCH / dpi;

  if (!build (&b, error))
    return NULL;

  return g_steal_pointer (&layout);
}
