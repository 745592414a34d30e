/* ps-handoff-sheet.c: the end-of-day handoff sheet as PDF
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the driver signs for, like a carrier's scan form: the date and
 * store, then per carrier (alphabetical) a heading with the number of
 * shipments and their weight, and a table of shipments: the tracking
 * number as text and as Code 128 (so each can be scanned from the sheet),
 * service, weight and order. Tables break across pages with their
 * heading repeated. The last page ends with the totals and signature,
 * date/time and pieces-received lines.
 */

#define G_LOG_DOMAIN "ps-handoff-sheet"

#include "config.h"

#include <pango/pangocairo.h>

#include "ps-handoff-sheet.h"
#include "ps-labels-private.h"

G_DEFINE_BOXED_TYPE (PsHandoffSheet, ps_handoff_sheet, ps_handoff_sheet_copy,
                     ps_handoff_sheet_free)

static void
shipment_free (PsHandoffShipment *s)
{
  g_free (s->carrier);
  g_free (s->tracking_number);
  g_free (s->service);
  g_free (s->order_number);
  g_free (s);
}

PsHandoffSheet *
ps_handoff_sheet_new (void)
{
  PsHandoffSheet *self = g_new0 (PsHandoffSheet, 1);

  self->shipments = g_ptr_array_new_with_free_func ((GDestroyNotify) shipment_free);
  return self;
}

PsHandoffSheet *
ps_handoff_sheet_copy (const PsHandoffSheet *self)
{
  PsHandoffSheet *copy;
  guint i;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_handoff_sheet_new ();
  copy->date = self->date;
  copy->store_name = g_strdup (self->store_name);
  for (i = 0; i < self->shipments->len; i++)
    {
      const PsHandoffShipment *s = g_ptr_array_index (self->shipments, i);

      ps_handoff_sheet_add (copy, s->carrier, s->tracking_number, s->service, s->weight_grams,
                            s->order_number);
    }

  return copy;
}

void
ps_handoff_sheet_free (PsHandoffSheet *self)
{
  if (self == NULL)
    return;

  g_free (self->store_name);
  g_clear_pointer (&self->shipments, g_ptr_array_unref);
  g_free (self);
}

/**
 * ps_handoff_sheet_add:
 * @self: a sheet
 * @carrier: the carrier as printed
 * @tracking_number: the tracking number
 * @service: (nullable): the service
 * @weight_grams: the weight, 0 when unknown
 * @order_number: (nullable): the order
 */
void
ps_handoff_sheet_add (PsHandoffSheet *self,
                      const char     *carrier,
                      const char     *tracking_number,
                      const char     *service,
                      gint64          weight_grams,
                      const char     *order_number)
{
  PsHandoffShipment *s;

  g_return_if_fail (self != NULL);
  g_return_if_fail (carrier != NULL);
  g_return_if_fail (tracking_number != NULL);

  s = g_new0 (PsHandoffShipment, 1);
  s->carrier = g_strdup (carrier);
  s->tracking_number = g_strdup (tracking_number);
  s->service = g_strdup (service);
  s->weight_grams = weight_grams;
  s->order_number = g_strdup (order_number);
  g_ptr_array_add (self->shipments, s);
}

static int
by_carrier (gconstpointer a,
            gconstpointer b)
{
  const PsHandoffShipment *sa = *(PsHandoffShipment * const *) a;
  const PsHandoffShipment *sb = *(PsHandoffShipment * const *) b;

  return g_utf8_collate (sa->carrier, sb->carrier);
}

typedef struct
{
  cairo_t              *cr;
  PangoContext         *context;
  const PsHandoffSheet *sheet;
  double                width, height, margin, size, y;
  guint                 page;
} Page;

static void
draw_header (Page *p)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (p->sheet->date);
  g_autofree char *date = g_date_time_format (dt, "%Y-%m-%d");
  g_autofree char *title = g_strdup_printf ("End-of-day handoff — %s", date);
  g_autofree char *sub = g_strdup_printf ("%s%sPage %u", p->sheet->store_name != NULL
                                          ? p->sheet->store_name : "",
                                          p->sheet->store_name != NULL ? " · " : "", p->page);
  double w = p->width - 2 * p->margin;

  p->y = p->margin;
  p->y += _ps_doc_text (p->cr, p->context, title, p->margin, p->y, w, p->size * 1.8, TRUE, 1,
                        PANGO_ALIGN_LEFT);
  p->y += _ps_doc_text (p->cr, p->context, sub, p->margin, p->y, w, p->size, FALSE, 1,
                        PANGO_ALIGN_LEFT);
  p->y += p->size * 0.6;
  cairo_rectangle (p->cr, p->margin, p->y, w, 1);
  cairo_fill (p->cr);
  p->y += p->size;
}

static void
draw_carrier_heading (Page       *p,
                      const char *carrier,
                      guint       count,
                      gint64      grams,
                      gboolean    continued)
{
  g_autofree char *text = g_strdup_printf ("%s — %u shipment%s, %.2f kg%s", carrier, count,
                                           count == 1 ? "" : "s", grams / 1000.0,
                                           continued ? " (continued)" : "");

  p->y += _ps_doc_text (p->cr, p->context, text, p->margin, p->y, p->width - 2 * p->margin,
                        p->size * 1.3, TRUE, 1, PANGO_ALIGN_LEFT);
  p->y += p->size * 0.5;
}

/**
 * ps_handoff_sheet_render_pdf:
 * @self: the sheet
 * @paper: Letter or A4 (4x6 works, cramped)
 * @error: return location for a #PsLabelError
 *
 * Returns: (transfer full) (nullable): the PDF.
 */
GBytes *
ps_handoff_sheet_render_pdf (const PsHandoffSheet  *self,
                             PsPaper                paper,
                             GError               **error)
{
  PangoContext *context = _ps_text_context_new ();
  g_autoptr(GObject) context_owner = G_OBJECT (context);
  g_autoptr(GPtrArray) sorted = NULL;
  GByteArray *buffer;
  cairo_surface_t *surface;
  Page p = { 0 };
  double w, row_h;
  gint64 total_grams = 0;
  guint i, j, k;

  g_return_val_if_fail (self != NULL, NULL);

  sorted = g_ptr_array_copy (self->shipments, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL);  /* the copy borrows the shipments */
  g_ptr_array_sort (sorted, by_carrier);  /* stable: keeps each carrier's order */

  ps_paper_get_points (paper, &p.width, &p.height);
  p.margin = paper == PS_PAPER_4X6 ? 12 : 40;
  p.size = paper == PS_PAPER_4X6 ? 6.5 : 10;
  p.context = context;
  p.sheet = self;
  p.page = 1;
  w = p.width - 2 * p.margin;
  row_h = p.size * 3.6;

  buffer = g_byte_array_new ();
  surface = _ps_pdf_surface_new (buffer, p.width, p.height);
  p.cr = cairo_create (surface);
  cairo_set_source_rgb (p.cr, 0, 0, 0);
  draw_header (&p);

  for (i = 0; i < sorted->len; i = j)
    {
      const PsHandoffShipment *first = g_ptr_array_index (sorted, i);
      gint64 grams = 0;

      for (j = i; j < sorted->len; j++)
        {
          const PsHandoffShipment *s = g_ptr_array_index (sorted, j);

          if (!g_str_equal (s->carrier, first->carrier))
            break;
          grams += MAX (s->weight_grams, 0);
        }
      total_grams += grams;

      if (p.y + p.size * 3 + row_h > p.height - p.margin)
        {
          cairo_show_page (p.cr);
          p.page++;
          draw_header (&p);
        }
      draw_carrier_heading (&p, first->carrier, j - i, grams, FALSE);

      for (k = i; k < j; k++)
        {
          const PsHandoffShipment *s = g_ptr_array_index (sorted, k);
          g_autofree char *num = g_strdup_printf ("%u.", k - i + 1);
          g_autofree char *detail = NULL;
          double bar_w;

          if (p.y + row_h > p.height - p.margin)
            {
              cairo_show_page (p.cr);
              p.page++;
              draw_header (&p);
              draw_carrier_heading (&p, first->carrier, j - i, grams, TRUE);
            }

          detail = g_strdup_printf ("%s\n%s · %.2f kg%s%s", s->tracking_number,
                                    s->service != NULL ? s->service : "",
                                    s->weight_grams / 1000.0,
                                    s->order_number != NULL ? " · order " : "",
                                    s->order_number != NULL ? s->order_number : "");
          _ps_doc_text (p.cr, context, num, p.margin, p.y, w * 0.06, p.size, FALSE, 1,
                        PANGO_ALIGN_LEFT);
          _ps_doc_text (p.cr, context, detail, p.margin + w * 0.06, p.y, w * 0.44, p.size, FALSE,
                        2, PANGO_ALIGN_LEFT);
          if (!_ps_doc_code128 (p.cr, s->tracking_number, p.margin + w * 0.5, p.y, w * 0.5,
                                row_h - p.size, &bar_w, error))
            {
              cairo_destroy (p.cr);
              cairo_surface_destroy (surface);
              g_byte_array_unref (buffer);
              return NULL;
            }
          cairo_set_source_rgb (p.cr, 0, 0, 0);
          p.y += row_h;
        }
      p.y += p.size;
    }

  {
    g_autofree char *totals = g_strdup_printf ("Total: %u shipment%s, %.2f kg", sorted->len,
                                               sorted->len == 1 ? "" : "s",
                                               total_grams / 1000.0);
    const char *lines = "Driver signature: ______________________________\n\n"
                        "Date and time: ____________________   Pieces received: ________";

    if (p.y + p.size * 7 > p.height - p.margin)
      {
        cairo_show_page (p.cr);
        p.page++;
        draw_header (&p);
      }
    p.y += _ps_doc_text (p.cr, context, totals, p.margin, p.y, w, p.size * 1.2, TRUE, 1,
                         PANGO_ALIGN_LEFT);
    p.y += p.size * 1.5;
    _ps_doc_text (p.cr, context, lines, p.margin, p.y, w, p.size, FALSE, 3, PANGO_ALIGN_LEFT);
  }

  cairo_show_page (p.cr);
  if (!_ps_cairo_check (p.cr, error))
    {
      cairo_destroy (p.cr);
      cairo_surface_destroy (surface);
      g_byte_array_unref (buffer);
      return NULL;
    }

  cairo_destroy (p.cr);
  return _ps_pdf_surface_finish (surface, buffer, error);
}
