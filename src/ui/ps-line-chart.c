/* ps-line-chart.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lines over categories (days), one per series (a service), with gaps
 * where a value is NAN and a ring on flagged points (cost drift). Lines
 * and dots are the one cairo node; axes and text are GSK nodes.
 *
 * Keyboard: Left/Right move along the line, Up/Down between lines, Enter
 * activates. Signals: "point-activated" (series, index).
 */

#define G_LOG_DOMAIN "ps-line-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-chart-private.h"
#include "ps-line-chart.h"

/* How far from a point the pointer may be and still hit it. */
#define HIT_RADIUS 16

struct _PsLineChart
{
  GtkWidget     parent_instance;

  PsChartCore   core;
  PsChartData   data;
  char         *flag_text;
  double        min;           /* over all finite values */
  double        max;

  PsChartFrame  frame;         /* as last drawn */
  gboolean      frame_valid;
};

G_DEFINE_FINAL_TYPE (PsLineChart, ps_line_chart, GTK_TYPE_WIDGET)

enum {
  POINT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_flagged (PsLineChart *self,
            int          series,
            int          index)
{
  PsChartSeries *s = g_ptr_array_index (self->data.series, series);

  return s->flags != NULL && (guint) index < s->n_values && s->flags[index];
}

static void
data_changed (PsLineChart *self)
{
  self->min = INFINITY;
  self->max = -INFINITY;
  for (guint s = 0; s < self->data.series->len; s++)
    for (guint i = 0; i < self->data.n_categories; i++)
      {
        double v = _ps_chart_data_value (&self->data, s, i);

        if (isfinite (v))
          self->min = MIN (self->min, v), self->max = MAX (self->max, v);
      }
  self->frame_valid = FALSE;
  _ps_chart_core_data_changed (&self->core);
}

static void
ensure_frame (PsLineChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = NULL;
  double lo = self->min, hi = self->max;

  if (self->frame_valid && self->frame.width == gtk_widget_get_width (widget)
      && self->frame.height == gtk_widget_get_height (widget))
    return;
  if (!isfinite (lo))
    lo = 0, hi = 1;
  /* Start at zero unless the values sit high above it: a drift from
   * $7.10 to $7.40 should be visible, not a flat line at the top. */
  if (lo >= 0 && lo < hi * 0.5)
    lo = 0;
  else
    lo -= (hi - lo) * 0.1;
  hi += (hi - lo) * 0.05;
  layout = _ps_chart_layout_new (widget, 0.85);
  _ps_chart_frame_compute (&self->frame, widget, layout, self->data.series, lo, hi, FALSE,
                           &self->data.unit);
  self->frame_valid = TRUE;
}

static gboolean
point_position (PsLineChart *self,
                int          series,
                int          index,
                double      *x,
                double      *y)
{
  const graphene_rect_t *plot = &self->frame.plot;
  double v = _ps_chart_data_value (&self->data, series, index);
  double slot = plot->size.width / MAX (self->data.n_categories, 1);

  *x = plot->origin.x + slot * (index + 0.5);
  *y = _ps_chart_axis_pos (&self->frame.axis, isfinite (v) ? v : 0,
                           plot->origin.y + plot->size.height, plot->origin.y);
  return isfinite (v);
}

/* -- PsChartVTable ----------------------------------------------------- */

static gboolean
element_at (GtkWidget *widget,
            double     x,
            double     y,
            int       *series,
            int       *index)
{
  PsLineChart *self = PS_LINE_CHART (widget);
  const graphene_rect_t *plot;
  double best = HIT_RADIUS;
  int column;

  ensure_frame (self);
  plot = &self->frame.plot;
  if (self->data.n_categories == 0 || x < plot->origin.x || x >= plot->origin.x + plot->size.width)
    return FALSE;
  column = (int) ((x - plot->origin.x) / (plot->size.width / self->data.n_categories));
  column = MIN (column, (int) self->data.n_categories - 1);
  *series = -1;
  for (guint s = 0; s < self->data.series->len; s++)
    {
      double px, py;

      if (point_position (self, s, column, &px, &py) && fabs (py - y) <= best)
        {
          best = fabs (py - y);
          *series = s;
          *index = column;
        }
    }
  return *series >= 0;
}

static gboolean
element_exists (GtkWidget *widget,
                int        series,
                int        index)
{
  return isfinite (_ps_chart_data_value (&PS_LINE_CHART (widget)->data, series, index));
}

static gboolean
element_rect (GtkWidget       *widget,
              int              series,
              int              index,
              graphene_rect_t *rect)
{
  double x, y;

  ensure_frame (PS_LINE_CHART (widget));
  if (!point_position (PS_LINE_CHART (widget), series, index, &x, &y))
    return FALSE;
  *rect = GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8);
  return TRUE;
}

static char *
describe_element (GtkWidget *widget,
                  int        series,
                  int        index)
{
  PsLineChart *self = PS_LINE_CHART (widget);
  PsChartSeries *s = g_ptr_array_index (self->data.series, series);
  g_autofree char *value = _ps_chart_unit_format (&self->data.unit,
                                                  _ps_chart_data_value (&self->data, series, index),
                                                  -1);

  if (is_flagged (self, series, index))
    /* Translators: series, category: value (why it is flagged), e.g.
     * "Ground, Tue 4 Nov: $7.42 (cost drift)" */
    return g_strdup_printf (_("%s, %s: %s (%s)"), s->name,
                            _ps_chart_data_category (&self->data, index), value, self->flag_text);
  /* Translators: series, category: value, e.g. "Ground, Tue 4 Nov: $7.42" */
  return g_strdup_printf (_("%s, %s: %s"), s->name, _ps_chart_data_category (&self->data, index),
                          value);
}

static char *
describe (GtkWidget *widget)
{
  PsLineChart *self = PS_LINE_CHART (widget);
  GString *text;
  guint flagged = 0;

  if (self->data.n_categories == 0 || self->data.series->len == 0)
    return g_strdup (_("Line chart, no data"));

  text = g_string_new (NULL);
  /* Translators: "Line chart of 3 series, Mon 1 Sep to Sat 29 Nov." */
  g_string_append_printf (text, _("Line chart of %u series, %s to %s."), self->data.series->len,
                          _ps_chart_data_category (&self->data, 0),
                          _ps_chart_data_category (&self->data, self->data.n_categories - 1));
  for (guint s = 0; s < self->data.series->len; s++)
    {
      PsChartSeries *series = g_ptr_array_index (self->data.series, s);
      int first = -1, last = -1;

      for (guint i = 0; i < self->data.n_categories; i++)
        {
          if (isfinite (_ps_chart_data_value (&self->data, s, i)))
            {
              last = i;
              if (first < 0)
                first = i;
            }
          flagged += is_flagged (self, s, i) ? 1 : 0;
        }
      if (first >= 0)
        {
          double a = _ps_chart_data_value (&self->data, s, first);
          double b = _ps_chart_data_value (&self->data, s, last);
          g_autofree char *from = _ps_chart_unit_format (&self->data.unit, a, -1);
          g_autofree char *to = _ps_chart_unit_format (&self->data.unit, b, -1);

          /* Translators: a series going from its first to its last value */
          g_string_append_printf (text, _(" %s from %s to %s."), series->name, from, to);
        }
    }
  if (flagged > 0)
    g_string_append_printf (text, ngettext (" %u point flagged: %s.", " %u points flagged: %s.",
                                            flagged),
                            flagged, self->flag_text);
  return g_string_free (text, FALSE);
}

static void
get_extent (GtkWidget *widget,
            int       *n_series,
            int       *n_index)
{
  *n_series = PS_LINE_CHART (widget)->data.series->len;
  *n_index = PS_LINE_CHART (widget)->data.n_categories;
}

static void
activated (GtkWidget *widget,
           int        series,
           int        index)
{
  g_signal_emit (widget, signals[POINT_ACTIVATED], 0, series, index);
}

static const PsChartVTable vtable = {
  element_at, element_exists, element_rect, describe_element, describe, get_extent, activated,
  FALSE,
};

/* -- GtkWidget --------------------------------------------------------- */

static void
draw_lines (PsLineChart          *self,
            GtkSnapshot          *snapshot,
            const PsChartPalette *palette)
{
  GtkWidget *widget = GTK_WIDGET (self);
  const graphene_rect_t *plot = &self->frame.plot;
  double slot = plot->size.width / MAX (self->data.n_categories, 1);
  gboolean dots = slot >= 10;
  GdkRGBA warning;
  cairo_t *cr;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (plot->origin.x - 8,
                                                                  plot->origin.y - 8,
                                                                  plot->size.width + 16,
                                                                  plot->size.height + 16));
  _ps_chart_lookup_color (widget, "warning_color", &warning);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint s = 0; s < self->data.series->len; s++)
    {
      PsChartSeries *series = g_ptr_array_index (self->data.series, s);
      gboolean drawing = FALSE;
      GdkRGBA color;

      _ps_chart_lookup_color (widget, series->color, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, 2);
      for (guint i = 0; i < self->data.n_categories; i++)
        {
          double x, y;

          if (!point_position (self, s, i, &x, &y))
            {
              drawing = FALSE;
              continue;
            }
          if (drawing)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          drawing = TRUE;
        }
      cairo_stroke (cr);

      for (guint i = 0; i < self->data.n_categories; i++)
        {
          double x, y;

          if (!point_position (self, s, i, &x, &y))
            continue;
          if (is_flagged (self, s, i))
            {
              gdk_cairo_set_source_rgba (cr, &warning);
              cairo_arc (cr, x, y, 5.5, 0, 2 * G_PI);
              cairo_fill (cr);
              gdk_cairo_set_source_rgba (cr, &palette->fg);
              cairo_set_line_width (cr, 1);
              cairo_arc (cr, x, y, 5.5, 0, 2 * G_PI);
              cairo_stroke (cr);
            }
          else if (dots)
            {
              gdk_cairo_set_source_rgba (cr, &color);
              cairo_arc (cr, x, y, 2.5, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
    }

  if (self->core.series >= 0)
    {
      double x, y;

      point_position (self, self->core.series, self->core.index, &x, &y);
      gdk_cairo_set_source_rgba (cr, &palette->fg);
      cairo_set_line_width (cr, 2);
      cairo_arc (cr, x, y, 7, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
ps_line_chart_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  PsLineChart *self = PS_LINE_CHART (widget);
  g_autoptr(PangoLayout) layout = _ps_chart_layout_new (widget, 0.85);
  PsChartPalette palette;

  ensure_frame (self);
  _ps_chart_palette_load (widget, &palette);
  _ps_chart_frame_draw (&self->frame, snapshot, widget, layout, &palette, self->data.series,
                        &self->data.unit);
  if (self->data.n_categories > 0)
    draw_lines (self, snapshot, &palette);
  _ps_chart_data_draw_x_labels (&self->data, snapshot, layout, &palette, &self->frame.plot,
                                self->frame.label_y);
  _ps_chart_core_draw_callout (&self->core, snapshot, layout, &palette);
}

static void
ps_line_chart_finalize (GObject *object)
{
  PsLineChart *self = PS_LINE_CHART (object);

  _ps_chart_data_clear (&self->data);
  g_clear_pointer (&self->flag_text, g_free);

  G_OBJECT_CLASS (ps_line_chart_parent_class)->finalize (object);
}

static void
ps_line_chart_class_init (PsLineChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_line_chart_finalize;
  widget_class->snapshot = ps_line_chart_snapshot;

  /**
   * PsLineChart::point-activated:
   * @self: the chart
   * @series: the line
   * @index: the category (day) of the point
   *
   * A point was clicked, or Enter was pressed on the highlighted one.
   */
  signals[POINT_ACTIVATED] = g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  _ps_chart_class_setup (widget_class);
  gtk_widget_class_set_css_name (widget_class, "linechart");
}

static void
ps_line_chart_init (PsLineChart *self)
{
  _ps_chart_data_init (&self->data);
  self->flag_text = g_strdup (_("flagged"));
  self->min = INFINITY;
  self->max = -INFINITY;
  _ps_chart_core_init (&self->core, GTK_WIDGET (self), &vtable);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 160);
}

/* -- Public API -------------------------------------------------------- */

GtkWidget *
ps_line_chart_new (void)
{
  return g_object_new (PS_TYPE_LINE_CHART, NULL);
}

/**
 * ps_line_chart_set_categories:
 * @self: a #PsLineChart
 * @labels: (array zero-terminated=1) (nullable): one label per point
 */
void
ps_line_chart_set_categories (PsLineChart        *self,
                              const char * const *labels)
{
  g_return_if_fail (PS_IS_LINE_CHART (self));

  _ps_chart_data_set_categories (&self->data, labels);
  data_changed (self);
}

/**
 * ps_line_chart_add_series:
 * @self: a #PsLineChart
 * @name: shown in the legend and tooltips
 * @color: (nullable): a palette name, see ps_bar_chart_add_series()
 * @values: (array length=n_values): one value per category; NAN leaves a gap
 * @flagged: (array length=n_values) (nullable): points to mark
 * @n_values: the length of @values and @flagged
 */
void
ps_line_chart_add_series (PsLineChart    *self,
                          const char     *name,
                          const char     *color,
                          const double   *values,
                          const gboolean *flagged,
                          guint           n_values)
{
  g_return_if_fail (PS_IS_LINE_CHART (self));
  g_return_if_fail (values != NULL || n_values == 0);

  _ps_chart_data_add_series (&self->data, name, color, values, flagged, n_values);
  data_changed (self);
}

void
ps_line_chart_clear (PsLineChart *self)
{
  g_return_if_fail (PS_IS_LINE_CHART (self));

  _ps_chart_data_remove_all (&self->data);
  data_changed (self);
}

/**
 * ps_line_chart_set_unit:
 * @self: a #PsLineChart
 * @prefix: (nullable): written before values ("$")
 * @suffix: (nullable): written after values
 * @decimals: digits after the point in tooltips
 */
void
ps_line_chart_set_unit (PsLineChart *self,
                        const char  *prefix,
                        const char  *suffix,
                        int          decimals)
{
  g_return_if_fail (PS_IS_LINE_CHART (self));

  _ps_chart_unit_set (&self->data.unit, prefix, suffix, decimals);
  data_changed (self);
}

/**
 * ps_line_chart_set_flag_text:
 * @self: a #PsLineChart
 * @text: what a flagged point means ("cost drift"), said in its tooltip
 */
void
ps_line_chart_set_flag_text (PsLineChart *self,
                             const char  *text)
{
  g_return_if_fail (PS_IS_LINE_CHART (self));
  g_return_if_fail (text != NULL);

  g_free (self->flag_text);
  self->flag_text = g_strdup (text);
  data_changed (self);
}

/**
 * ps_line_chart_get_element_at:
 * @self: a #PsLineChart
 * @x: widget coordinate
 * @y: widget coordinate
 * @series: (out) (optional): the point's series
 * @index: (out) (optional): the point's category
 *
 * Returns: whether a point is within reach of (@x, @y): the nearest line
 *   at the category under @x, if it passes within 16 pixels
 */
gboolean
ps_line_chart_get_element_at (PsLineChart *self,
                              double       x,
                              double       y,
                              int         *series,
                              int         *index)
{
  g_return_val_if_fail (PS_IS_LINE_CHART (self), FALSE);

  return _ps_chart_core_element_at (&self->core, x, y, series, index);
}

/**
 * ps_line_chart_get_point_position:
 * @self: a #PsLineChart
 * @series: a series
 * @index: a category
 * @x: (out): where the point is drawn
 * @y: (out): where the point is drawn
 *
 * Returns: %FALSE when the value is missing (NAN)
 */
gboolean
ps_line_chart_get_point_position (PsLineChart *self,
                                  int          series,
                                  int          index,
                                  double      *x,
                                  double      *y)
{
  g_return_val_if_fail (PS_IS_LINE_CHART (self), FALSE);
  g_return_val_if_fail (series >= 0 && (guint) series < self->data.series->len, FALSE);
  g_return_val_if_fail (x != NULL && y != NULL, FALSE);

  ensure_frame (self);
  return point_position (self, series, index, x, y);
}

char *
ps_line_chart_describe_element (PsLineChart *self,
                                int          series,
                                int          index)
{
  g_return_val_if_fail (PS_IS_LINE_CHART (self), NULL);
  g_return_val_if_fail (series >= 0 && (guint) series < self->data.series->len, NULL);
  g_return_val_if_fail (index >= 0 && (guint) index < self->data.n_categories, NULL);

  return describe_element (GTK_WIDGET (self), series, index);
}

gboolean
ps_line_chart_get_highlight (PsLineChart *self,
                             int         *series,
                             int         *index)
{
  g_return_val_if_fail (PS_IS_LINE_CHART (self), FALSE);

  return _ps_chart_core_get_highlight (&self->core, series, index);
}

gboolean
ps_line_chart_set_highlight (PsLineChart *self,
                             int          series,
                             int          index)
{
  g_return_val_if_fail (PS_IS_LINE_CHART (self), FALSE);

  return _ps_chart_core_set_highlight (&self->core, series, index, FALSE);
}
