/* ps-bar-chart.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stacked bars: one bar per category (a day), one segment per series (a
 * carrier), the first series at the bottom. The caller hands over plain
 * arrays; the totals per category are summed once when data arrives, so
 * snapshot only places rectangles.
 *
 * Keyboard: Left/Right move between days, Up/Down through the stack,
 * Enter activates. Signals: "segment-activated" (series, category) on a
 * click or Enter on a segment.
 */

#define G_LOG_DOMAIN "ps-bar-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-bar-chart.h"
#include "ps-chart-private.h"

struct _PsBarChart
{
  GtkWidget     parent_instance;

  PsChartCore   core;
  PsChartData   data;
  double       *totals;        /* per category */

  PsChartFrame  frame;         /* as last drawn */
  gboolean      frame_valid;
};

G_DEFINE_FINAL_TYPE (PsBarChart, ps_bar_chart, GTK_TYPE_WIDGET)

enum {
  SEGMENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static double
value_at (PsBarChart *self,
          int         series,
          int         category)
{
  double v = _ps_chart_data_value (&self->data, series, category);

  return isfinite (v) && v > 0 ? v : 0;
}

static void
data_changed (PsBarChart *self)
{
  g_free (self->totals);
  self->totals = g_new0 (double, MAX (self->data.n_categories, 1));
  for (guint s = 0; s < self->data.series->len; s++)
    for (guint i = 0; i < self->data.n_categories; i++)
      self->totals[i] += value_at (self, s, i);
  self->frame_valid = FALSE;
  _ps_chart_core_data_changed (&self->core);
}

static void
ensure_frame (PsBarChart *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = NULL;
  double max = 0;

  if (self->frame_valid && self->frame.width == gtk_widget_get_width (widget)
      && self->frame.height == gtk_widget_get_height (widget))
    return;
  for (guint i = 0; i < self->data.n_categories; i++)
    max = MAX (max, self->totals[i]);
  layout = _ps_chart_layout_new (widget, 0.85);
  _ps_chart_frame_compute (&self->frame, widget, layout, self->data.series, 0, max,
                           self->data.unit.decimals == 0, &self->data.unit);
  self->frame_valid = TRUE;
}

static double
slot_width (PsBarChart *self)
{
  return self->frame.plot.size.width / MAX (self->data.n_categories, 1);
}

/* A bar fills 75% of its slot, all of it once slots are too thin for a
 * visible gap. */
static void
bar_extent (PsBarChart *self,
            int         category,
            double     *x,
            double     *width)
{
  double slot = slot_width (self);
  double w = slot >= 4 ? slot * 0.75 : slot;

  *x = self->frame.plot.origin.x + slot * category + (slot - w) / 2;
  *width = w;
}

static gboolean
segment_rect (PsBarChart      *self,
              int              series,
              int              category,
              graphene_rect_t *rect)
{
  const graphene_rect_t *plot = &self->frame.plot;
  double bottom = plot->origin.y + plot->size.height;
  double below = 0, x, w, y0, y1;

  for (int s = 0; s < series; s++)
    below += value_at (self, s, category);
  y0 = _ps_chart_axis_pos (&self->frame.axis, below, bottom, plot->origin.y);
  y1 = _ps_chart_axis_pos (&self->frame.axis, below + value_at (self, series, category),
                           bottom, plot->origin.y);
  bar_extent (self, category, &x, &w);
  *rect = GRAPHENE_RECT_INIT (x, round (y1), w, round (y0) - round (y1));
  return value_at (self, series, category) > 0;
}

/* -- PsChartVTable ----------------------------------------------------- */

static gboolean
element_at (GtkWidget *widget,
            double     x,
            double     y,
            int       *series,
            int       *index)
{
  PsBarChart *self = PS_BAR_CHART (widget);
  int category;
  double bx, bw;

  ensure_frame (self);
  if (self->data.n_categories == 0 || x < self->frame.plot.origin.x)
    return FALSE;
  category = (int) ((x - self->frame.plot.origin.x) / slot_width (self));
  if (category >= (int) self->data.n_categories)
    return FALSE;
  bar_extent (self, category, &bx, &bw);
  if (x < bx || x >= bx + bw)
    return FALSE;
  for (guint s = 0; s < self->data.series->len; s++)
    {
      graphene_rect_t rect;

      /* A thin segment still gets a pointer-sized target. */
      if (segment_rect (self, s, category, &rect)
          && y >= rect.origin.y - (rect.size.height < 1 ? 1 : 0)
          && y < rect.origin.y + MAX (rect.size.height, 1))
        {
          *series = s;
          *index = category;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
element_exists (GtkWidget *widget,
                int        series,
                int        index)
{
  return value_at (PS_BAR_CHART (widget), series, index) > 0;
}

static gboolean
element_rect (GtkWidget       *widget,
              int              series,
              int              index,
              graphene_rect_t *rect)
{
  ensure_frame (PS_BAR_CHART (widget));
  return segment_rect (PS_BAR_CHART (widget), series, index, rect);
}

static char *
describe_element (GtkWidget *widget,
                  int        series,
                  int        index)
{
  PsBarChart *self = PS_BAR_CHART (widget);
  PsChartSeries *s = g_ptr_array_index (self->data.series, series);
  g_autofree char *value = _ps_chart_unit_format (&self->data.unit,
                                                  value_at (self, series, index), -1);
  g_autofree char *total = _ps_chart_unit_format (&self->data.unit, self->totals[index], -1);

  /* Translators: series (a carrier), category (a day): value of the
   * day's total, e.g. "UPS, Tue 4 Nov: 42 of 59" */
  return g_strdup_printf (_("%s, %s: %s of %s"), s->name,
                          _ps_chart_data_category (&self->data, index), value, total);
}

static char *
describe (GtkWidget *widget)
{
  PsBarChart *self = PS_BAR_CHART (widget);
  GString *text;
  guint busiest = 0;

  if (self->data.n_categories == 0 || self->data.series->len == 0)
    return g_strdup (_("Bar chart, no data"));

  for (guint i = 1; i < self->data.n_categories; i++)
    if (self->totals[i] > self->totals[busiest])
      busiest = i;
  text = g_string_new (NULL);
  /* Translators: "Stacked bars for 90 categories, Mon 1 Sep to Sat 29 Nov." */
  g_string_append_printf (text, _("Stacked bars for %u categories, %s to %s."),
                          self->data.n_categories, _ps_chart_data_category (&self->data, 0),
                          _ps_chart_data_category (&self->data, self->data.n_categories - 1));
  for (guint s = 0; s < self->data.series->len; s++)
    {
      PsChartSeries *series = g_ptr_array_index (self->data.series, s);
      double sum = 0;
      g_autofree char *value = NULL;

      for (guint i = 0; i < self->data.n_categories; i++)
        sum += value_at (self, s, i);
      value = _ps_chart_unit_format (&self->data.unit, sum, -1);
      g_string_append_printf (text, " %s %s%s", series->name, value,
                              s + 1 < self->data.series->len ? "," : ".");
    }
  {
    g_autofree char *value = _ps_chart_unit_format (&self->data.unit, self->totals[busiest], -1);

    /* Translators: the category with the highest total */
    g_string_append_printf (text, _(" Highest: %s with %s."),
                            _ps_chart_data_category (&self->data, busiest), value);
  }
  return g_string_free (text, FALSE);
}

static void
get_extent (GtkWidget *widget,
            int       *n_series,
            int       *n_index)
{
  PsBarChart *self = PS_BAR_CHART (widget);

  *n_series = self->data.series->len;
  *n_index = self->data.n_categories;
}

static void
activated (GtkWidget *widget,
           int        series,
           int        index)
{
  g_signal_emit (widget, signals[SEGMENT_ACTIVATED], 0, series, index);
}

static const PsChartVTable vtable = {
  element_at, element_exists, element_rect, describe_element, describe, get_extent, activated,
  TRUE,
};

/* -- GtkWidget --------------------------------------------------------- */

static void
ps_bar_chart_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PsBarChart *self = PS_BAR_CHART (widget);
  g_autoptr(PangoLayout) layout = _ps_chart_layout_new (widget, 0.85);
  PsChartPalette palette;
  GdkRGBA *colors;

  ensure_frame (self);
  _ps_chart_palette_load (widget, &palette);
  _ps_chart_frame_draw (&self->frame, snapshot, widget, layout, &palette, self->data.series,
                        &self->data.unit);

  colors = g_newa (GdkRGBA, MAX (self->data.series->len, 1));
  for (guint s = 0; s < self->data.series->len; s++)
    {
      PsChartSeries *series = g_ptr_array_index (self->data.series, s);

      _ps_chart_lookup_color (widget, series->color, &colors[s]);
    }

  for (guint i = 0; i < self->data.n_categories; i++)
    for (guint s = 0; s < self->data.series->len; s++)
      {
        graphene_rect_t rect;

        if (segment_rect (self, s, i, &rect))
          gtk_snapshot_append_color (snapshot, &colors[s], &rect);
      }

  if (self->core.series >= 0)
    {
      graphene_rect_t rect;

      segment_rect (self, self->core.series, self->core.index, &rect);
      _ps_chart_outline (snapshot, &palette.fg, &rect, 2);
    }

  _ps_chart_data_draw_x_labels (&self->data, snapshot, layout, &palette, &self->frame.plot,
                                self->frame.label_y);
  _ps_chart_core_draw_callout (&self->core, snapshot, layout, &palette);
}

static void
ps_bar_chart_finalize (GObject *object)
{
  PsBarChart *self = PS_BAR_CHART (object);

  _ps_chart_data_clear (&self->data);
  g_clear_pointer (&self->totals, g_free);

  G_OBJECT_CLASS (ps_bar_chart_parent_class)->finalize (object);
}

static void
ps_bar_chart_class_init (PsBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_bar_chart_finalize;
  widget_class->snapshot = ps_bar_chart_snapshot;

  /**
   * PsBarChart::segment-activated:
   * @self: the chart
   * @series: index of the series (the stack position)
   * @category: index of the category (the bar)
   *
   * A segment was clicked, or Enter was pressed on the highlighted one.
   */
  signals[SEGMENT_ACTIVATED] = g_signal_new ("segment-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  _ps_chart_class_setup (widget_class);
  gtk_widget_class_set_css_name (widget_class, "barchart");
}

static void
ps_bar_chart_init (PsBarChart *self)
{
  _ps_chart_data_init (&self->data);
  self->totals = g_new0 (double, 1);
  _ps_chart_core_init (&self->core, GTK_WIDGET (self), &vtable);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 160);
}

/* -- Public API -------------------------------------------------------- */

GtkWidget *
ps_bar_chart_new (void)
{
  return g_object_new (PS_TYPE_BAR_CHART, NULL);
}

/**
 * ps_bar_chart_set_categories:
 * @self: a #PsBarChart
 * @labels: (array zero-terminated=1) (nullable): one label per bar
 */
void
ps_bar_chart_set_categories (PsBarChart         *self,
                             const char * const *labels)
{
  g_return_if_fail (PS_IS_BAR_CHART (self));

  _ps_chart_data_set_categories (&self->data, labels);
  data_changed (self);
}

/**
 * ps_bar_chart_add_series:
 * @self: a #PsBarChart
 * @name: shown in the legend and tooltips
 * @color: (nullable): a palette name ("blue", "orange_3", "accent_color");
 *   NULL picks the next hue
 * @values: (array length=n_values): one value per category; negative and
 *   NAN values draw nothing
 * @n_values: the length of @values
 *
 * Stacks a series on the ones added before it.
 */
void
ps_bar_chart_add_series (PsBarChart   *self,
                         const char   *name,
                         const char   *color,
                         const double *values,
                         guint         n_values)
{
  g_return_if_fail (PS_IS_BAR_CHART (self));
  g_return_if_fail (values != NULL || n_values == 0);

  _ps_chart_data_add_series (&self->data, name, color, values, NULL, n_values);
  data_changed (self);
}

void
ps_bar_chart_clear (PsBarChart *self)
{
  g_return_if_fail (PS_IS_BAR_CHART (self));

  _ps_chart_data_remove_all (&self->data);
  data_changed (self);
}

/**
 * ps_bar_chart_set_unit:
 * @self: a #PsBarChart
 * @prefix: (nullable): written before values ("$")
 * @suffix: (nullable): written after values (" kg")
 * @decimals: digits after the point in tooltips
 */
void
ps_bar_chart_set_unit (PsBarChart *self,
                       const char *prefix,
                       const char *suffix,
                       int         decimals)
{
  g_return_if_fail (PS_IS_BAR_CHART (self));

  _ps_chart_unit_set (&self->data.unit, prefix, suffix, decimals);
  data_changed (self);
}

/**
 * ps_bar_chart_get_element_at:
 * @self: a #PsBarChart
 * @x: widget coordinate
 * @y: widget coordinate
 * @series: (out) (optional): the segment's series
 * @category: (out) (optional): the segment's category
 *
 * Returns: whether a segment is drawn at (@x, @y)
 */
gboolean
ps_bar_chart_get_element_at (PsBarChart *self,
                             double      x,
                             double      y,
                             int        *series,
                             int        *category)
{
  g_return_val_if_fail (PS_IS_BAR_CHART (self), FALSE);

  return _ps_chart_core_element_at (&self->core, x, y, series, category);
}

/**
 * ps_bar_chart_describe_element:
 * @self: a #PsBarChart
 * @series: a series index
 * @category: a category index
 *
 * Returns: (transfer full): the segment's tooltip, which is also what
 *   screen readers hear when it is highlighted
 */
char *
ps_bar_chart_describe_element (PsBarChart *self,
                               int         series,
                               int         category)
{
  g_return_val_if_fail (PS_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (series >= 0 && (guint) series < self->data.series->len, NULL);
  g_return_val_if_fail (category >= 0 && (guint) category < self->data.n_categories, NULL);

  return describe_element (GTK_WIDGET (self), series, category);
}

/**
 * ps_bar_chart_get_highlight:
 * @self: a #PsBarChart
 * @series: (out) (optional): the highlighted series
 * @category: (out) (optional): the highlighted category
 *
 * Returns: whether a segment is highlighted (hovered or reached with the
 *   arrow keys)
 */
gboolean
ps_bar_chart_get_highlight (PsBarChart *self,
                            int        *series,
                            int        *category)
{
  g_return_val_if_fail (PS_IS_BAR_CHART (self), FALSE);

  return _ps_chart_core_get_highlight (&self->core, series, category);
}

/**
 * ps_bar_chart_set_highlight:
 * @self: a #PsBarChart
 * @series: a series, or -1 to clear
 * @category: a category
 *
 * Returns: %FALSE if there is no segment there (an empty value)
 */
gboolean
ps_bar_chart_set_highlight (PsBarChart *self,
                            int         series,
                            int         category)
{
  g_return_val_if_fail (PS_IS_BAR_CHART (self), FALSE);

  return _ps_chart_core_set_highlight (&self->core, series, category, FALSE);
}
