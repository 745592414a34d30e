/* ps-label-preview.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The label as it will print: a PDF page through poppler (the same
 * drawing call printing uses), a PNG as it is, at a zoom where 1.0 is
 * the label's real size on a 96 dpi screen and 0 fits the widget. ZPL
 * cannot be drawn without a printer; the preview says so and shows the
 * commands, which is what goes to the thermal printer.
 */

#define G_LOG_DOMAIN "ps-label-preview"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-carrier-label.h"
#include "ps-label-preview.h"

struct _PsLabelPreview
{
  GtkWidget        parent_instance;

  GBytes          *bytes;
  PsLabelFormat    format;
  cairo_surface_t *png;
  double           page_width;     /* points */
  double           page_height;
  double           zoom;           /* 0 = fit */
  char            *zpl_text;
};

G_DEFINE_FINAL_TYPE (PsLabelPreview, ps_label_preview, GTK_TYPE_WIDGET)

static double
scale_for (PsLabelPreview *self,
           int             width,
           int             height)
{
  if (self->page_width <= 0 || self->page_height <= 0)
    return 1;
  if (self->zoom > 0)
    return self->zoom * 96.0 / 72.0;
  return MIN ((width - 24) / self->page_width, (height - 24) / self->page_height);
}

static void
ps_label_preview_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PsLabelPreview *self = PS_LABEL_PREVIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double scale = scale_for (self, width, height);
  double w = self->page_width * scale, h = self->page_height * scale;
  double x = MAX (12, (width - w) / 2), y = MAX (12, (height - h) / 2);
  cairo_t *cr;

  if (self->bytes == NULL)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, MAX (width, x * 2 + w), MAX (height, y * 2 + h)));

  /* The label stock: white with a soft edge. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.15);
  cairo_rectangle (cr, x + 2, y + 2, w, h);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, w, h);
  cairo_fill (cr);

  cairo_translate (cr, x, y);
  cairo_scale (cr, scale, scale);
  switch (self->format)
    {
    case PS_LABEL_FORMAT_PDF:
      ps_carrier_label_render_pdf (cr, self->bytes, self->page_width, self->page_height, NULL);
      break;
    case PS_LABEL_FORMAT_PNG:
      if (self->png != NULL)
        {
          cairo_scale (cr, self->page_width / cairo_image_surface_get_width (self->png),
                       self->page_height / cairo_image_surface_get_height (self->png));
          cairo_set_source_surface (cr, self->png, 0, 0);
          cairo_paint (cr);
        }
      break;
    case PS_LABEL_FORMAT_ZPL:
    default:
      {
        PangoLayout *layout = pango_cairo_create_layout (cr);
        PangoFontDescription *font = pango_font_description_from_string ("Monospace 6");

        pango_layout_set_font_description (layout, font);
        pango_layout_set_width (layout, (int) ((self->page_width - 16) * PANGO_SCALE));
        pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);
        pango_layout_set_text (layout, self->zpl_text, -1);
        cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
        cairo_move_to (cr, 8, 8);
        pango_cairo_show_layout (cr, layout);
        pango_font_description_free (font);
        g_object_unref (layout);
      }
      break;
    }
  cairo_destroy (cr);
}

static void
ps_label_preview_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PsLabelPreview *self = PS_LABEL_PREVIEW (widget);
  double zoom = self->zoom > 0 ? self->zoom : 0.75;
  double points = orientation == GTK_ORIENTATION_HORIZONTAL ? self->page_width : self->page_height;
  int size = (int) (points * zoom * 96.0 / 72.0) + 24;

  *minimum = self->zoom > 0 ? size : 120;
  *natural = size;
}

static void
ps_label_preview_finalize (GObject *object)
{
  PsLabelPreview *self = (PsLabelPreview *)object;

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->png, cairo_surface_destroy);
  g_free (self->zpl_text);

  G_OBJECT_CLASS (ps_label_preview_parent_class)->finalize (object);
}

static void
ps_label_preview_class_init (PsLabelPreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_label_preview_finalize;
  widget_class->snapshot = ps_label_preview_snapshot;
  widget_class->measure = ps_label_preview_measure;
  gtk_widget_class_set_css_name (widget_class, "labelpreview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
ps_label_preview_init (PsLabelPreview *self)
{
  self->page_width = 288;
  self->page_height = 432;
}

GtkWidget *
ps_label_preview_new (void)
{
  return g_object_new (PS_TYPE_LABEL_PREVIEW, NULL);
}

/**
 * ps_label_preview_set_label:
 * @self: a #PsLabelPreview
 * @bytes: the label: PDF, PNG or ZPL
 * @error: return location for an error
 *
 * Returns: whether @bytes could be shown
 */
gboolean
ps_label_preview_set_label (PsLabelPreview  *self,
                            GBytes          *bytes,
                            GError         **error)
{
  PsLabelFormat format;

  g_return_val_if_fail (PS_IS_LABEL_PREVIEW (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  if (!ps_label_format_detect (bytes, &format))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This label is not a PDF, PNG or ZPL file"));
      return FALSE;
    }

  g_clear_pointer (&self->png, cairo_surface_destroy);
  g_clear_pointer (&self->zpl_text, g_free);
  self->page_width = 288;
  self->page_height = 432;
  if (format == PS_LABEL_FORMAT_PDF &&
      !ps_carrier_label_get_pdf_size (bytes, &self->page_width, &self->page_height, error))
    return FALSE;
  if (format == PS_LABEL_FORMAT_PNG)
    {
      self->png = ps_carrier_label_load_png (bytes, error);
      if (self->png == NULL)
        return FALSE;
      /* A 4x6 label at whatever resolution it came in. */
      self->page_height = self->page_width * cairo_image_surface_get_height (self->png)
                          / MAX (1, cairo_image_surface_get_width (self->png));
    }
  if (format == PS_LABEL_FORMAT_ZPL)
    self->zpl_text = g_strndup (g_bytes_get_data (bytes, NULL), MIN (g_bytes_get_size (bytes), 4000));

  g_clear_pointer (&self->bytes, g_bytes_unref);
  self->bytes = g_bytes_ref (bytes);
  self->format = format;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  format == PS_LABEL_FORMAT_ZPL ? _("ZPL label for a thermal printer")
                                                                : _("Shipping label"), -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return TRUE;
}

/**
 * ps_label_preview_set_zoom:
 * @self: a #PsLabelPreview
 * @zoom: 1.0 for the real size, 0 to fit the space given
 */
void
ps_label_preview_set_zoom (PsLabelPreview *self,
                           double          zoom)
{
  g_return_if_fail (PS_IS_LABEL_PREVIEW (self));

  self->zoom = CLAMP (zoom, 0, 4);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

double
ps_label_preview_get_zoom (PsLabelPreview *self)
{
  g_return_val_if_fail (PS_IS_LABEL_PREVIEW (self), 0);
  return self->zoom;
}
