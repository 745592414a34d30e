/* ps-histogram.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Bars for counts in consecutive bins, drawn equally wide whatever the
 * bin widths, labelled at their edges. The last edge may be INFINITY for
 * an open bin ("96 h or more"). A bin is hit anywhere in its column, so
 * short bars are still easy to point at.
 *
 * Keyboard: Left/Right move between bins, Enter activates. Signals:
 * "bin-activated" (bin).
 */

#define G_LOG_DOMAIN "ps-histogram"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-chart-private.h"
#include "ps-histogram.h"

struct _PsHistogram
{
  GtkWidget     parent_instance;

  PsChartCore   core;
  double       *edges;        /* n_bins + 1 */
  guint        *counts;
  guint         n_bins;
  guint64       total;
  PsChartUnit   unit;
  char         *color;

  PsChartFrame  frame;        /* as last drawn */
  gboolean      frame_valid;
};

G_DEFINE_FINAL_TYPE (PsHistogram, ps_histogram, GTK_TYPE_WIDGET)

enum {
  BIN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static PsChartUnit count_unit = { (char *) "", (char *) "", 0 };

static void
data_changed (PsHistogram *self)
{
  self->total = 0;
  for (guint i = 0; i < self->n_bins; i++)
    self->total += self->counts[i];
  self->frame_valid = FALSE;
  _ps_chart_core_data_changed (&self->core);
}

static void
ensure_frame (PsHistogram *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(PangoLayout) layout = NULL;
  guint max = 0;

  if (self->frame_valid && self->frame.width == gtk_widget_get_width (widget)
      && self->frame.height == gtk_widget_get_height (widget))
    return;
  for (guint i = 0; i < self->n_bins; i++)
    max = MAX (max, self->counts[i]);
  layout = _ps_chart_layout_new (widget, 0.85);
  _ps_chart_frame_compute (&self->frame, widget, layout, NULL, 0, max, TRUE, &count_unit);
  self->frame_valid = TRUE;
}

static double
slot_width (PsHistogram *self)
{
  return self->frame.plot.size.width / MAX (self->n_bins, 1);
}

static void
bin_rect (PsHistogram     *self,
          int              bin,
          graphene_rect_t *rect)
{
  const graphene_rect_t *plot = &self->frame.plot;
  double slot = slot_width (self);
  double bottom = plot->origin.y + plot->size.height;
  double top = round (_ps_chart_axis_pos (&self->frame.axis, self->counts[bin], bottom,
                                          plot->origin.y));
  double gap = slot >= 6 ? 1 : 0;

  *rect = GRAPHENE_RECT_INIT (round (plot->origin.x + slot * bin) + gap, top,
                              MAX (1, round (slot) - 2 * gap), round (bottom) - top);
}

/* "24 h", or "96 h or more" style text for the open end. */
static char *
format_range (PsHistogram *self,
              int          bin)
{
  g_autofree char *from = _ps_chart_unit_format (&self->unit, self->edges[bin], -1);
  g_autofree char *to = NULL;

  if (!isfinite (self->edges[bin + 1]))
    /* Translators: an open-ended bin, e.g. "96 h or more" */
    return g_strdup_printf (_("%s or more"), from);
  to = _ps_chart_unit_format (&self->unit, self->edges[bin + 1], -1);
  /* Translators: a bin from one edge to the next, e.g. "24 h–48 h" */
  return g_strdup_printf (_("%s–%s"), from, to);
}

/* -- PsChartVTable ----------------------------------------------------- */

static gboolean
element_at (GtkWidget *widget,
            double     x,
            double     y,
            int       *series,
            int       *index)
{
  PsHistogram *self = PS_HISTOGRAM (widget);
  int bin;

  ensure_frame (self);
  if (self->n_bins == 0
      || !graphene_rect_contains_point (&self->frame.plot, &GRAPHENE_POINT_INIT (x, y)))
    return FALSE;
  bin = (int) ((x - self->frame.plot.origin.x) / slot_width (self));
  if (bin >= (int) self->n_bins)
    return FALSE;
  *series = 0;
  *index = bin;
  return TRUE;
}

static gboolean
element_exists (GtkWidget *widget,
                int        series,
                int        index)
{
  return series == 0;
}

static gboolean
element_rect (GtkWidget       *widget,
              int              series,
              int              index,
              graphene_rect_t *rect)
{
  ensure_frame (PS_HISTOGRAM (widget));
  bin_rect (PS_HISTOGRAM (widget), index, rect);
  return TRUE;
}

static char *
describe_element (GtkWidget *widget,
                  int        series,
                  int        index)
{
  PsHistogram *self = PS_HISTOGRAM (widget);
  g_autofree char *range = format_range (self, index);
  g_autofree char *count = _ps_chart_format_count (self->counts[index]);

  /* Translators: bin: count (share of all), e.g. "24 h–48 h: 120 (12.0%)" */
  return g_strdup_printf (_("%s: %s (%.1f%%)"), range, count,
                          self->total > 0 ? 100.0 * self->counts[index] / self->total : 0.0);
}

static char *
describe (GtkWidget *widget)
{
  PsHistogram *self = PS_HISTOGRAM (widget);
  g_autofree char *total = NULL;
  g_autofree char *peak = NULL;
  guint most = 0;

  if (self->n_bins == 0)
    return g_strdup (_("Histogram, no data"));
  for (guint i = 1; i < self->n_bins; i++)
    if (self->counts[i] > self->counts[most])
      most = i;
  total = _ps_chart_format_count (self->total);
  peak = describe_element (widget, 0, most);
  /* Translators: "Histogram of 1,000 in 8 bins. Most: 24 h–48 h: 300 (30.0%)." */
  return g_strdup_printf (_("Histogram of %s in %u bins. Most: %s."), total, self->n_bins, peak);
}

static void
get_extent (GtkWidget *widget,
            int       *n_series,
            int       *n_index)
{
  *n_series = 1;
  *n_index = PS_HISTOGRAM (widget)->n_bins;
}

static void
activated (GtkWidget *widget,
           int        series,
           int        index)
{
  g_signal_emit (widget, signals[BIN_ACTIVATED], 0, index);
}

static const PsChartVTable vtable = {
  element_at, element_exists, element_rect, describe_element, describe, get_extent, activated,
  FALSE,
};

/* -- GtkWidget --------------------------------------------------------- */

static void
ps_histogram_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PsHistogram *self = PS_HISTOGRAM (widget);
  g_autoptr(PangoLayout) layout = _ps_chart_layout_new (widget, 0.85);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  PsChartPalette palette;
  GdkRGBA color;

  ensure_frame (self);
  _ps_chart_palette_load (widget, &palette);
  _ps_chart_lookup_color (widget, self->color, &color);
  _ps_chart_frame_draw (&self->frame, snapshot, widget, layout, &palette, NULL, &count_unit);

  for (guint i = 0; i < self->n_bins; i++)
    {
      graphene_rect_t rect;

      bin_rect (self, i, &rect);
      gtk_snapshot_append_color (snapshot, &color, &rect);
    }
  if (self->core.series >= 0)
    {
      graphene_rect_t rect;

      bin_rect (self, self->core.index, &rect);
      _ps_chart_outline (snapshot, &palette.fg, &rect, 2);
    }

  for (guint i = 0; i <= self->n_bins && self->n_bins > 0; i++)
    if (isfinite (self->edges[i]))
      g_ptr_array_add (labels, _ps_chart_unit_format (&self->unit, self->edges[i], -1));
  _ps_chart_draw_x_labels (snapshot, layout, &palette, (const char * const *) labels->pdata,
                           labels->len, self->frame.plot.origin.x, slot_width (self),
                           self->frame.label_y, TRUE);
  _ps_chart_core_draw_callout (&self->core, snapshot, layout, &palette);
}

static void
ps_histogram_finalize (GObject *object)
{
  PsHistogram *self = PS_HISTOGRAM (object);

  g_clear_pointer (&self->edges, g_free);
  g_clear_pointer (&self->counts, g_free);
  g_clear_pointer (&self->color, g_free);
  _ps_chart_unit_clear (&self->unit);

  G_OBJECT_CLASS (ps_histogram_parent_class)->finalize (object);
}

static void
ps_histogram_class_init (PsHistogramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_histogram_finalize;
  widget_class->snapshot = ps_histogram_snapshot;

  /**
   * PsHistogram::bin-activated:
   * @self: the histogram
   * @bin: the bin's index
   *
   * A bin was clicked, or Enter was pressed on the highlighted one.
   */
  signals[BIN_ACTIVATED] = g_signal_new ("bin-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_INT);

  _ps_chart_class_setup (widget_class);
  gtk_widget_class_set_css_name (widget_class, "histogram");
}

static void
ps_histogram_init (PsHistogram *self)
{
  self->edges = g_new0 (double, 1);
  self->counts = g_new0 (guint, 1);
  self->color = g_strdup ("purple");
  _ps_chart_unit_set (&self->unit, NULL, NULL, 0);
  _ps_chart_core_init (&self->core, GTK_WIDGET (self), &vtable);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 160);
}

/* -- Public API -------------------------------------------------------- */

GtkWidget *
ps_histogram_new (void)
{
  return g_object_new (PS_TYPE_HISTOGRAM, NULL);
}

/**
 * ps_histogram_set_bins:
 * @self: a #PsHistogram
 * @edges: (array): @n_bins + 1 increasing edges; the last may be INFINITY
 * @counts: (array length=n_bins): how many fell in each bin
 * @n_bins: the number of bins
 */
void
ps_histogram_set_bins (PsHistogram  *self,
                       const double *edges,
                       const guint  *counts,
                       guint         n_bins)
{
  g_return_if_fail (PS_IS_HISTOGRAM (self));
  g_return_if_fail (n_bins == 0 || (edges != NULL && counts != NULL));

  g_free (self->edges);
  g_free (self->counts);
  self->n_bins = n_bins;
  self->edges = n_bins > 0 ? g_memdup2 (edges, sizeof (double) * (n_bins + 1)) : g_new0 (double, 1);
  self->counts = n_bins > 0 ? g_memdup2 (counts, sizeof (guint) * n_bins) : g_new0 (guint, 1);
  data_changed (self);
}

/**
 * ps_histogram_set_unit:
 * @self: a #PsHistogram
 * @prefix: (nullable): written before edges
 * @suffix: (nullable): written after edges (" h")
 * @decimals: digits after the point of the edges
 */
void
ps_histogram_set_unit (PsHistogram *self,
                       const char  *prefix,
                       const char  *suffix,
                       int          decimals)
{
  g_return_if_fail (PS_IS_HISTOGRAM (self));

  _ps_chart_unit_set (&self->unit, prefix, suffix, decimals);
  data_changed (self);
}

/**
 * ps_histogram_set_color:
 * @self: a #PsHistogram
 * @color: a palette name (default "purple"), see ps_bar_chart_add_series()
 */
void
ps_histogram_set_color (PsHistogram *self,
                        const char  *color)
{
  g_return_if_fail (PS_IS_HISTOGRAM (self));

  g_free (self->color);
  self->color = g_strdup (color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
ps_histogram_get_element_at (PsHistogram *self,
                             double       x,
                             double       y,
                             int         *bin)
{
  g_return_val_if_fail (PS_IS_HISTOGRAM (self), FALSE);

  return _ps_chart_core_element_at (&self->core, x, y, NULL, bin);
}

char *
ps_histogram_describe_element (PsHistogram *self,
                               int          bin)
{
  g_return_val_if_fail (PS_IS_HISTOGRAM (self), NULL);
  g_return_val_if_fail (bin >= 0 && (guint) bin < self->n_bins, NULL);

  return describe_element (GTK_WIDGET (self), 0, bin);
}

gboolean
ps_histogram_get_highlight (PsHistogram *self,
                            int         *bin)
{
  g_return_val_if_fail (PS_IS_HISTOGRAM (self), FALSE);

  return _ps_chart_core_get_highlight (&self->core, NULL, bin);
}

gboolean
ps_histogram_set_highlight (PsHistogram *self,
                            int          bin)
{
  g_return_val_if_fail (PS_IS_HISTOGRAM (self), FALSE);

  return _ps_chart_core_set_highlight (&self->core, bin < 0 ? -1 : 0, bin, FALSE);
}
