/* ps-sparkline.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A line and a faint area under it, scaled to the widget, for the trend
 * on a tile. No axes and no interaction: the tile around it is the
 * button, and its accessible label carries the numbers. On its own the
 * sparkline is an image described by its first, last, lowest and highest
 * values.
 */

#define G_LOG_DOMAIN "ps-sparkline"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "ps-chart-private.h"
#include "ps-sparkline.h"

struct _PsSparkline
{
  GtkWidget  parent_instance;

  double    *values;     /* NAN = missing */
  guint      n_values;
  double     min;
  double     max;
  char      *color;
};

G_DEFINE_FINAL_TYPE (PsSparkline, ps_sparkline, GTK_TYPE_WIDGET)

static void
update_description (PsSparkline *self)
{
  g_autofree char *text = NULL;
  double first = NAN, last = NAN;

  for (guint i = 0; i < self->n_values; i++)
    if (isfinite (self->values[i]))
      {
        if (!isfinite (first))
          first = self->values[i];
        last = self->values[i];
      }
  if (!isfinite (first))
    text = g_strdup (_("Trend, no data"));
  else
    /* Translators: a trend line's first, last, lowest and highest values */
    text = g_strdup_printf (_("Trend from %g to %g, lowest %g, highest %g"), first, last,
                            self->min, self->max);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
ps_sparkline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PsSparkline *self = PS_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double range = self->max > self->min ? self->max - self->min : 1;
  double step = self->n_values > 1 ? (width - 4) / (self->n_values - 1) : 0;
  GdkRGBA color, fill;
  cairo_t *cr;
  gboolean drawing = FALSE;
  double first_x = 0, last_x = 0;

  if (self->n_values == 0 || !isfinite (self->min))
    return;

  _ps_chart_lookup_color (widget, self->color, &color);
  fill = color;
  fill.alpha *= 0.18;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);

  /* The line, broken at missing values; then the same path closed down
   * to the bottom for the area. */
  for (int pass = 0; pass < 2; pass++)
    {
      drawing = FALSE;
      for (guint i = 0; i < self->n_values; i++)
        {
          double x = 2 + step * i;
          double y = 2 + (height - 4) * (1 - (self->values[i] - self->min) / range);

          if (!isfinite (self->values[i]))
            {
              if (drawing && pass == 1)
                {
                  cairo_line_to (cr, last_x, height);
                  cairo_line_to (cr, first_x, height);
                  cairo_close_path (cr);
                }
              drawing = FALSE;
              continue;
            }
          if (!drawing)
            {
              cairo_move_to (cr, x, y);
              first_x = x;
            }
          else
            cairo_line_to (cr, x, y);
          last_x = x;
          drawing = TRUE;
        }
      if (pass == 0)
        {
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_stroke (cr);
        }
      else
        {
          if (drawing)
            {
              cairo_line_to (cr, last_x, height);
              cairo_line_to (cr, first_x, height);
              cairo_close_path (cr);
            }
          gdk_cairo_set_source_rgba (cr, &fill);
          cairo_fill (cr);
        }
    }
  cairo_destroy (cr);
}

static void
ps_sparkline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 40 : 24;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 32;
}

static void
ps_sparkline_finalize (GObject *object)
{
  PsSparkline *self = PS_SPARKLINE (object);

  g_clear_pointer (&self->values, g_free);
  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (ps_sparkline_parent_class)->finalize (object);
}

static void
ps_sparkline_class_init (PsSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_sparkline_finalize;
  widget_class->snapshot = ps_sparkline_snapshot;
  widget_class->measure = ps_sparkline_measure;

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "sparkline");
}

static void
ps_sparkline_init (PsSparkline *self)
{
  self->color = g_strdup ("accent_color");
  self->min = INFINITY;
  self->max = -INFINITY;
  update_description (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);
}

GtkWidget *
ps_sparkline_new (void)
{
  return g_object_new (PS_TYPE_SPARKLINE, NULL);
}

/**
 * ps_sparkline_set_values:
 * @self: a #PsSparkline
 * @values: (array length=n_values) (nullable): the trend, oldest first;
 *   NAN breaks the line
 * @n_values: the length of @values
 */
void
ps_sparkline_set_values (PsSparkline  *self,
                         const double *values,
                         guint         n_values)
{
  g_return_if_fail (PS_IS_SPARKLINE (self));
  g_return_if_fail (values != NULL || n_values == 0);

  g_free (self->values);
  self->values = g_memdup2 (values, sizeof (double) * n_values);
  self->n_values = n_values;
  self->min = INFINITY;
  self->max = -INFINITY;
  for (guint i = 0; i < n_values; i++)
    if (isfinite (values[i]))
      self->min = MIN (self->min, values[i]), self->max = MAX (self->max, values[i]);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
ps_sparkline_get_n_values (PsSparkline *self)
{
  g_return_val_if_fail (PS_IS_SPARKLINE (self), 0);

  return self->n_values;
}

/**
 * ps_sparkline_set_color:
 * @self: a #PsSparkline
 * @color: a palette name (default "accent_color"), see ps_bar_chart_add_series()
 */
void
ps_sparkline_set_color (PsSparkline *self,
                        const char  *color)
{
  g_return_if_fail (PS_IS_SPARKLINE (self));

  g_free (self->color);
  self->color = g_strdup (color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
