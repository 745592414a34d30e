/* ps-packing-slip.c: packing slips as PDF
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slip: a branded header on every page (logo, store name, "PACKING
 * SLIP", the order number and its Code 128), the ship-to on the first
 * page, then the items table (SKU, item, variant, quantity) which breaks
 * onto as many pages as it needs with its header repeated, then optional
 * totals and notes. The same code draws Letter, A4 and 4x6 slips; only
 * the margins and type sizes change.
 */

#define G_LOG_DOMAIN "ps-packing-slip"

#include "config.h"

#include <math.h>

#include "ps-labels-private.h"
#include "ps-label-size.h"
#include "ps-packing-slip.h"

G_DEFINE_BOXED_TYPE (PsPackingSlip, ps_packing_slip, ps_packing_slip_copy, ps_packing_slip_free)

/**
 * ps_paper_get_points:
 * @paper: a #PsPaper
 * @width: (out) (optional): the width in points
 * @height: (out) (optional): the height in points
 */
void
ps_paper_get_points (PsPaper  paper,
                     double  *width,
                     double  *height)
{
  double w, h;

  switch (paper)
    {
    case PS_PAPER_A4: w = 210 * PS_POINTS_PER_MM; h = 297 * PS_POINTS_PER_MM; break;
    case PS_PAPER_4X6: w = 288; h = 432; break;
    case PS_PAPER_LETTER:
    default: w = 612; h = 792; break;
    }

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

static void
item_free (PsPackingSlipItem *item)
{
  g_free (item->sku);
  g_free (item->name);
  g_free (item->variant);
  g_free (item);
}

PsPackingSlip *
ps_packing_slip_new (void)
{
  PsPackingSlip *self = g_new0 (PsPackingSlip, 1);

  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  return self;
}

PsPackingSlip *
ps_packing_slip_copy (const PsPackingSlip *self)
{
  PsPackingSlip *copy;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_packing_slip_new ();
  copy->store_name = g_strdup (self->store_name);
  copy->logo_path = g_strdup (self->logo_path);
  copy->order_number = g_strdup (self->order_number);
  copy->order_date = self->order_date;
  copy->ship_to = self->ship_to != NULL ? ps_address_copy (self->ship_to) : NULL;
  copy->subtotal = self->subtotal != NULL ? ps_money_copy (self->subtotal) : NULL;
  copy->shipping = self->shipping != NULL ? ps_money_copy (self->shipping) : NULL;
  copy->total = self->total != NULL ? ps_money_copy (self->total) : NULL;
  copy->notes = g_strdup (self->notes);

  for (i = 0; i < self->items->len; i++)
    {
      const PsPackingSlipItem *item = g_ptr_array_index (self->items, i);

      ps_packing_slip_add_item (copy, item->sku, item->name, item->variant, item->quantity);
    }

  return copy;
}

void
ps_packing_slip_free (PsPackingSlip *self)
{
  if (self == NULL)
    return;

  g_free (self->store_name);
  g_free (self->logo_path);
  g_free (self->order_number);
  g_clear_pointer (&self->ship_to, ps_address_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->subtotal, ps_money_free);
  g_clear_pointer (&self->shipping, ps_money_free);
  g_clear_pointer (&self->total, ps_money_free);
  g_free (self->notes);
  g_free (self);
}

/**
 * ps_packing_slip_add_item:
 * @self: a slip
 * @sku: (nullable): the SKU
 * @name: the product name
 * @variant: (nullable): the variant
 * @quantity: how many
 */
void
ps_packing_slip_add_item (PsPackingSlip *self,
                          const char    *sku,
                          const char    *name,
                          const char    *variant,
                          gint64         quantity)
{
  PsPackingSlipItem *item;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  item = g_new0 (PsPackingSlipItem, 1);
  item->sku = g_strdup (sku);
  item->name = g_strdup (name);
  item->variant = g_strdup (variant);
  item->quantity = quantity;
  g_ptr_array_add (self->items, item);
}

static char *
money_format (const PsMoney *money)
{
  guint digits = ps_currency_minor_digits (money->currency);
  gint64 unit = 1;
  gint64 v = money->minor < 0 ? -money->minor : money->minor;
  guint i;

  for (i = 0; i < digits; i++)
    unit *= 10;

  if (digits == 0)
    return g_strdup_printf ("%s%" G_GINT64_FORMAT " %s", money->minor < 0 ? "-" : "", v,
                            money->currency);

  return g_strdup_printf ("%s%" G_GINT64_FORMAT ".%0*" G_GINT64_FORMAT " %s",
                          money->minor < 0 ? "-" : "", v / unit, (int) digits, v % unit,
                          money->currency);
}

typedef struct
{
  cairo_t             *cr;
  PangoContext        *context;
  const PsPackingSlip *slip;
  cairo_surface_t     *logo;
  double               width, height, margin, size;
  double               y;
  guint                page;
} Page;

static gboolean
draw_header (Page    *p,
             GError **error)
{
  const PsPackingSlip *slip = p->slip;
  double x = p->margin, right = p->width - p->margin;
  double header_h = p->size * 4.2;
  double title_w = (right - x) * 0.45;
  double used, bar_w;
  g_autofree char *order = g_strdup_printf ("Order %s", slip->order_number);
  g_autofree char *page_text = g_strdup_printf ("Page %u%s", p->page,
                                                p->page > 1 ? " (continued)" : "");

  if (p->logo != NULL)
    {
      double lw = cairo_image_surface_get_width (p->logo);
      double lh = cairo_image_surface_get_height (p->logo);
      double scale = MIN (header_h / lh, (right - x) * 0.2 / lw);

      cairo_save (p->cr);
      cairo_translate (p->cr, x, p->margin);
      cairo_scale (p->cr, scale, scale);
      cairo_set_source_surface (p->cr, p->logo, 0, 0);
      cairo_paint (p->cr);
      cairo_restore (p->cr);
      x += lw * scale + p->size;
    }

  used = _ps_doc_text (p->cr, p->context, slip->store_name, x, p->margin, right - title_w - x,
                       p->size * 1.8, TRUE, 2, PANGO_ALIGN_LEFT);
  _ps_doc_text (p->cr, p->context, "PACKING SLIP", x, p->margin + used + 2, right - title_w - x,
                p->size, FALSE, 1, PANGO_ALIGN_LEFT);

  used = _ps_doc_text (p->cr, p->context, order, right - title_w, p->margin, title_w,
                       p->size * 1.2, TRUE, 1, PANGO_ALIGN_RIGHT);
  if (!_ps_doc_code128 (p->cr, slip->order_number, right - title_w, p->margin + used + 2, title_w,
                        p->size * 2.2, &bar_w, error))
    return FALSE;
  _ps_doc_text (p->cr, p->context, page_text, right - title_w, p->margin + used + 4 + p->size * 2.2,
                title_w, p->size * 0.8, FALSE, 1, PANGO_ALIGN_RIGHT);

  p->y = p->margin + header_h + p->size * 0.8;
  cairo_rectangle (p->cr, p->margin, p->y, p->width - 2 * p->margin, 1);
  cairo_fill (p->cr);
  p->y += p->size * 0.8;

  return TRUE;
}

/* Columns as fractions of the text width: SKU, item, variant, quantity. */
static const double col_x[] = { 0.0, 0.22, 0.68, 0.88 };
static const double col_w[] = { 0.21, 0.45, 0.19, 0.12 };

static void
draw_table_header (Page *p)
{
  static const char * const titles[] = { "SKU", "Item", "Variant", "Qty" };
  double w = p->width - 2 * p->margin;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (titles); i++)
    _ps_doc_text (p->cr, p->context, titles[i], p->margin + col_x[i] * w, p->y, col_w[i] * w,
                  p->size, TRUE, 1, i == 3 ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);

  p->y += p->size * 1.4;
  cairo_rectangle (p->cr, p->margin, p->y, w, 0.5);
  cairo_fill (p->cr);
  p->y += p->size * 0.4;
}

static gboolean
new_page (Page    *p,
          GError **error)
{
  cairo_show_page (p->cr);
  p->page++;
  if (!draw_header (p, error))
    return FALSE;
  draw_table_header (p);
  return TRUE;
}

static gboolean
draw_slip (Page    *p,
           GError **error)
{
  const PsPackingSlip *slip = p->slip;
  double w = p->width - 2 * p->margin;
  double row_h = p->size * 2.7;   /* two lines of item name at most */
  guint i;

  p->page = 1;
  if (!draw_header (p, error))
    return FALSE;

  if (slip->ship_to != NULL)
    {
      g_autofree char *to = ps_address_format (slip->ship_to, "\n");
      g_autofree char *text = g_strdup_printf ("Ship to:\n%s", to);

      p->y += _ps_doc_text (p->cr, p->context, text, p->margin, p->y, w * 0.6, p->size, FALSE, 7,
                            PANGO_ALIGN_LEFT);
      p->y += p->size;
    }

  draw_table_header (p);

  for (i = 0; i < slip->items->len; i++)
    {
      const PsPackingSlipItem *item = g_ptr_array_index (slip->items, i);
      g_autofree char *qty = g_strdup_printf ("%" G_GINT64_FORMAT, item->quantity);

      if (p->y + row_h > p->height - p->margin && !new_page (p, error))
        return FALSE;

      _ps_doc_text (p->cr, p->context, item->sku, p->margin + col_x[0] * w, p->y, col_w[0] * w,
                    p->size, FALSE, 1, PANGO_ALIGN_LEFT);
      _ps_doc_text (p->cr, p->context, item->name, p->margin + col_x[1] * w, p->y, col_w[1] * w,
                    p->size, FALSE, 2, PANGO_ALIGN_LEFT);
      _ps_doc_text (p->cr, p->context, item->variant, p->margin + col_x[2] * w, p->y,
                    col_w[2] * w, p->size, FALSE, 2, PANGO_ALIGN_LEFT);
      _ps_doc_text (p->cr, p->context, qty, p->margin + col_x[3] * w, p->y, col_w[3] * w,
                    p->size, TRUE, 1, PANGO_ALIGN_RIGHT);
      p->y += row_h;
    }

  {
    const PsMoney *amounts[] = { slip->subtotal, slip->shipping, slip->total };
    static const char * const names[] = { "Subtotal", "Shipping", "Total" };

    for (i = 0; i < G_N_ELEMENTS (amounts); i++)
      {
        g_autofree char *value = NULL;
        g_autofree char *line = NULL;

        if (amounts[i] == NULL)
          continue;
        if (p->y + p->size * 1.6 > p->height - p->margin && !new_page (p, error))
          return FALSE;

        value = money_format (amounts[i]);
        line = g_strdup_printf ("%s: %s", names[i], value);
        p->y += _ps_doc_text (p->cr, p->context, line, p->margin, p->y, w, p->size, i == 2, 1,
                              PANGO_ALIGN_RIGHT) + 2;
      }
  }

  if (slip->notes != NULL && slip->notes[0] != '\0')
    {
      g_autofree char *notes = g_strdup_printf ("Notes: %s", slip->notes);
      int lines = 6;

      if (p->y + p->size * 1.3 * lines > p->height - p->margin && !new_page (p, error))
        return FALSE;
      p->y += p->size * 0.6;
      _ps_doc_text (p->cr, p->context, notes, p->margin, p->y, w, p->size, FALSE, lines,
                    PANGO_ALIGN_LEFT);
    }

  cairo_show_page (p->cr);
  return _ps_cairo_check (p->cr, error);
}

/**
 * ps_packing_slip_render_pdf:
 * @slips: (array length=n_slips): the slips; each starts a new page
 * @n_slips: how many, at least one
 * @paper: Letter, A4 or a 4x6 label
 * @error: return location for a #PsLabelError naming the order
 *
 * Returns: (transfer full) (nullable): the PDF.
 */
GBytes *
ps_packing_slip_render_pdf (const PsPackingSlip * const  *slips,
                            guint                         n_slips,
                            PsPaper                       paper,
                            GError                      **error)
{
  PangoContext *context = _ps_text_context_new ();
  g_autoptr(GObject) context_owner = G_OBJECT (context);
  GByteArray *buffer = g_byte_array_new ();
  cairo_surface_t *surface;
  Page p = { 0 };
  guint i;

  g_return_val_if_fail (slips != NULL && n_slips > 0, NULL);

  for (i = 0; i < n_slips; i++)
    {
      if (slips[i]->order_number == NULL || slips[i]->order_number[0] == '\0')
        {
          g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                       "Packing slip %u has no order number", i + 1);
          g_byte_array_unref (buffer);
          return NULL;
        }
    }

  ps_paper_get_points (paper, &p.width, &p.height);
  p.margin = paper == PS_PAPER_4X6 ? 12 : 40;
  p.size = paper == PS_PAPER_4X6 ? 6.5 : 10;
  p.context = context;
  surface = _ps_pdf_surface_new (buffer, p.width, p.height);
  p.cr = cairo_create (surface);

  for (i = 0; i < n_slips; i++)
    {
      g_autoptr(GError) local_error = NULL;

      p.slip = slips[i];
      p.logo = NULL;
      if (p.slip->logo_path != NULL)
        {
          p.logo = cairo_image_surface_create_from_png (p.slip->logo_path);
          if (cairo_surface_status (p.logo) != CAIRO_STATUS_SUCCESS)
            {
              g_debug ("Logo %s not drawn: %s", p.slip->logo_path,
                       cairo_status_to_string (cairo_surface_status (p.logo)));
              g_clear_pointer (&p.logo, cairo_surface_destroy);
            }
        }

      cairo_set_source_rgb (p.cr, 0, 0, 0);
      if (!draw_slip (&p, &local_error))
        {
          g_set_error (error, local_error->domain, local_error->code,
                       "Packing slip for order %s: %s", p.slip->order_number,
                       local_error->message);
          g_clear_pointer (&p.logo, cairo_surface_destroy);
          cairo_destroy (p.cr);
          cairo_surface_destroy (surface);
          g_byte_array_unref (buffer);
          return NULL;
        }
      g_clear_pointer (&p.logo, cairo_surface_destroy);
    }

  cairo_destroy (p.cr);
  return _ps_pdf_surface_finish (surface, buffer, error);
}
