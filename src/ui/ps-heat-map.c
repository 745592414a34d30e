/* ps-heat-map.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A grid of rates, hits ÷ totals per cell (shipments with an exception ÷
 * shipments, per carrier × region), coloured from faint to full by the
 * rate relative to the highest trustworthy rate. Cells with fewer than
 * min-samples shipments are hatched and do not set the scale: 1 of 2 is
 * 50% but says nothing. Tooltips give the counts, not just the rate.
 *
 * Keyboard: arrows move between cells, Enter activates. Signals:
 * "cell-activated" (row, column).
 */

#define G_LOG_DOMAIN "ps-heat-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-chart-private.h"
#include "ps-heat-map.h"

#define GAP 2

struct _PsHeatMap
{
  GtkWidget    parent_instance;

  PsChartCore  core;
  GStrv        rows;
  GStrv        columns;
  guint        n_rows;
  guint        n_columns;
  guint       *hits;         /* n_rows × n_columns, row-major */
  guint       *totals;
  double       max_rate;     /* over cells with enough samples */
  guint        min_samples;
  char        *color;

  /* Geometry as last drawn */
  graphene_rect_t grid;
  double       header_height;
  int          width;
  int          height;
};

G_DEFINE_FINAL_TYPE (PsHeatMap, ps_heat_map, GTK_TYPE_WIDGET)

enum {
  CELL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
enough (PsHeatMap *self,
        guint      cell)
{
  return self->totals[cell] > 0 && self->totals[cell] >= self->min_samples;
}

static double
rate (PsHeatMap *self,
      guint      cell)
{
  return self->totals[cell] > 0 ? (double) self->hits[cell] / self->totals[cell] : 0;
}

static void
data_changed (PsHeatMap *self)
{
  self->max_rate = 0;
  for (guint c = 0; c < self->n_rows * self->n_columns; c++)
    if (enough (self, c))
      self->max_rate = MAX (self->max_rate, rate (self, c));
  self->width = -1;
  _ps_chart_core_data_changed (&self->core);
}

static PangoLayout *
column_layout (PsHeatMap *self,
               double     column_width)
{
  PangoLayout *layout = _ps_chart_layout_new (GTK_WIDGET (self), 0.85);

  pango_layout_set_width (layout, MAX (1, column_width - 4) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_height (layout, -2);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  return layout;
}

static double
legend_height (PangoLayout *layout)
{
  int h;

  pango_layout_set_text (layout, "0%", -1);
  pango_layout_get_pixel_size (layout, NULL, &h);
  return h + 10;
}

/* Row labels on the left, column labels on top (up to two lines each),
 * the legend below. */
static void
ensure_geometry (PsHeatMap *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = NULL;
  g_autoptr(PangoLayout) header = NULL;
  double left = 0, column_width;

  if (self->width == width && self->height == height)
    return;
  self->width = width;
  self->height = height;

  layout = _ps_chart_layout_new (widget, 0.85);
  for (guint r = 0; r < self->n_rows; r++)
    left = MAX (left, _ps_chart_text_width (layout, self->rows[r]));
  left += left > 0 ? 8 : 0;
  column_width = (width - left) / MAX (self->n_columns, 1);

  header = column_layout (self, column_width);
  self->header_height = 0;
  for (guint c = 0; c < self->n_columns; c++)
    {
      int h;

      pango_layout_set_text (header, self->columns[c], -1);
      pango_layout_get_pixel_size (header, NULL, &h);
      self->header_height = MAX (self->header_height, h + 4);
    }
  self->grid = GRAPHENE_RECT_INIT (left, self->header_height, MAX (1, width - left),
                                   MAX (1, height - self->header_height - legend_height (layout)));
}

static void
cell_rect (PsHeatMap       *self,
           int              row,
           int              column,
           graphene_rect_t *rect)
{
  double w = self->grid.size.width / MAX (self->n_columns, 1);
  double h = self->grid.size.height / MAX (self->n_rows, 1);

  *rect = GRAPHENE_RECT_INIT (round (self->grid.origin.x + column * w) + GAP / 2,
                              round (self->grid.origin.y + row * h) + GAP / 2,
                              MAX (1, round (w) - GAP), MAX (1, round (h) - GAP));
}

/* The scale: faint at 0, full colour at the highest trustworthy rate. */
static GdkRGBA
shade (const GdkRGBA *base,
       double         t)
{
  GdkRGBA color = *base;

  color.alpha = 0.08 + 0.92 * CLAMP (t, 0, 1);
  return color;
}

/* -- PsChartVTable ----------------------------------------------------- */

static gboolean
element_at (GtkWidget *widget,
            double     x,
            double     y,
            int       *series,
            int       *index)
{
  PsHeatMap *self = PS_HEAT_MAP (widget);
  int row, column;

  ensure_geometry (self);
  if (self->n_rows == 0 || self->n_columns == 0
      || !graphene_rect_contains_point (&self->grid, &GRAPHENE_POINT_INIT (x, y)))
    return FALSE;
  column = (int) ((x - self->grid.origin.x) / (self->grid.size.width / self->n_columns));
  row = (int) ((y - self->grid.origin.y) / (self->grid.size.height / self->n_rows));
  if (row >= (int) self->n_rows || column >= (int) self->n_columns)
    return FALSE;
  *series = row;
  *index = column;
  return TRUE;
}

static gboolean
element_exists (GtkWidget *widget,
                int        series,
                int        index)
{
  return TRUE;
}

static gboolean
element_rect (GtkWidget       *widget,
              int              series,
              int              index,
              graphene_rect_t *rect)
{
  ensure_geometry (PS_HEAT_MAP (widget));
  cell_rect (PS_HEAT_MAP (widget), series, index, rect);
  return TRUE;
}

static char *
describe_element (GtkWidget *widget,
                  int        series,
                  int        index)
{
  PsHeatMap *self = PS_HEAT_MAP (widget);
  guint cell = series * self->n_columns + index;
  g_autofree char *counts = NULL;

  if (self->totals[cell] == 0)
    /* Translators: row (a carrier), column (a region) */
    return g_strdup_printf (_("%s, %s: no shipments"), self->rows[series], self->columns[index]);

  /* Translators: "14 of 80 shipments, 17.5%" */
  counts = g_strdup_printf (ngettext ("%u of %u shipment, %.1f%%", "%u of %u shipments, %.1f%%",
                                      self->totals[cell]),
                            self->hits[cell], self->totals[cell], 100 * rate (self, cell));
  if (!enough (self, cell))
    /* Translators: the counts, then why the cell is hatched */
    return g_strdup_printf (_("%s, %s: %s (too few to compare)"), self->rows[series],
                            self->columns[index], counts);
  /* Translators: row (a carrier), column (a region): the counts */
  return g_strdup_printf (_("%s, %s: %s"), self->rows[series], self->columns[index], counts);
}

static char *
describe (GtkWidget *widget)
{
  PsHeatMap *self = PS_HEAT_MAP (widget);
  GString *text;
  int best = -1;
  guint few = 0;

  if (self->n_rows == 0 || self->n_columns == 0)
    return g_strdup (_("Heat map, no data"));

  for (guint c = 0; c < self->n_rows * self->n_columns; c++)
    {
      if (!enough (self, c))
        few++;
      else if (best < 0 || rate (self, c) > rate (self, best))
        best = c;
    }
  text = g_string_new (NULL);
  g_string_append_printf (text, _("Heat map, %u rows by %u columns."), self->n_rows,
                          self->n_columns);
  if (best >= 0)
    {
      g_autofree char *cell = describe_element (widget, best / self->n_columns,
                                                best % self->n_columns);

      g_string_append_printf (text, _(" Highest: %s."), cell);
    }
  if (few > 0)
    g_string_append_printf (text, ngettext (" %u cell has too few shipments to compare.",
                                            " %u cells have too few shipments to compare.", few),
                            few);
  return g_string_free (text, FALSE);
}

static void
get_extent (GtkWidget *widget,
            int       *n_series,
            int       *n_index)
{
  *n_series = PS_HEAT_MAP (widget)->n_rows;
  *n_index = PS_HEAT_MAP (widget)->n_columns;
}

static void
activated (GtkWidget *widget,
           int        series,
           int        index)
{
  g_signal_emit (widget, signals[CELL_ACTIVATED], 0, series, index);
}

static const PsChartVTable vtable = {
  element_at, element_exists, element_rect, describe_element, describe, get_extent, activated,
  FALSE,
};

/* -- GtkWidget --------------------------------------------------------- */

static void
draw_legend (PsHeatMap            *self,
             GtkSnapshot          *snapshot,
             PangoLayout          *layout,
             const PsChartPalette *palette,
             const GdkRGBA        *base)
{
  g_autofree char *max = g_strdup_printf ("%.1f%%", 100 * self->max_rate);
  g_autofree char *few = g_strdup_printf (ngettext ("Fewer than %u shipment",
                                                    "Fewer than %u shipments",
                                                    self->min_samples),
                                          self->min_samples);
  double y = self->grid.origin.y + self->grid.size.height + 6;
  double h = legend_height (layout) - 10;
  double x = self->grid.origin.x;
  GskColorStop stops[2] = { { 0, shade (base, 0) }, { 1, shade (base, 1) } };
  graphene_rect_t swatch;

  _ps_chart_draw_text (snapshot, layout, "0%", x, y, PS_CHART_ALIGN_START, PS_CHART_ALIGN_START,
                       &palette->dim);
  x += _ps_chart_text_width (layout, "0%") + 4;
  gtk_snapshot_append_linear_gradient (snapshot, &GRAPHENE_RECT_INIT (x, y + 2, 100, h - 4),
                                       &GRAPHENE_POINT_INIT (x, 0),
                                       &GRAPHENE_POINT_INIT (x + 100, 0), stops, 2);
  x += 104;
  _ps_chart_draw_text (snapshot, layout, max, x, y, PS_CHART_ALIGN_START, PS_CHART_ALIGN_START,
                       &palette->dim);
  x += _ps_chart_text_width (layout, max) + 16;

  if (self->min_samples > 1)
    {
      swatch = GRAPHENE_RECT_INIT (x, y + 2, 16, h - 4);
      gtk_snapshot_append_color (snapshot, &palette->grid, &swatch);
      _ps_chart_draw_hatch (snapshot, &palette->dim, &swatch);
      _ps_chart_draw_text (snapshot, layout, few, x + 20, y, PS_CHART_ALIGN_START,
                           PS_CHART_ALIGN_START, &palette->dim);
    }
}

static void
ps_heat_map_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  PsHeatMap *self = PS_HEAT_MAP (widget);
  g_autoptr(PangoLayout) layout = _ps_chart_layout_new (widget, 0.85);
  g_autoptr(PangoLayout) header = NULL;
  PsChartPalette palette;
  GdkRGBA base, strong;
  double column_width;

  ensure_geometry (self);
  _ps_chart_palette_load (widget, &palette);
  _ps_chart_lookup_color (widget, self->color, &base);
  /* Rates on full-colour cells are written in the background colour. */
  strong = palette.callout_fg;
  column_width = self->grid.size.width / MAX (self->n_columns, 1);
  header = column_layout (self, column_width);

  /* The header layout is as wide as a column and centres its lines. */
  for (guint c = 0; c < self->n_columns; c++)
    _ps_chart_draw_text (snapshot, header, self->columns[c],
                         self->grid.origin.x + column_width * c + 2, self->header_height - 4,
                         PS_CHART_ALIGN_START, PS_CHART_ALIGN_END, &palette.dim);

  for (guint r = 0; r < self->n_rows; r++)
    {
      graphene_rect_t rect;

      cell_rect (self, r, 0, &rect);
      _ps_chart_draw_text (snapshot, layout, self->rows[r], self->grid.origin.x - 8,
                           rect.origin.y + rect.size.height / 2, PS_CHART_ALIGN_END,
                           PS_CHART_ALIGN_CENTER, &palette.fg);
      for (guint c = 0; c < self->n_columns; c++)
        {
          guint cell = r * self->n_columns + c;
          double t = self->max_rate > 0 ? rate (self, cell) / self->max_rate : 0;
          GdkRGBA color = shade (&base, t);
          g_autofree char *label = NULL;
          int w, h;

          cell_rect (self, r, c, &rect);
          if (!enough (self, cell))
            {
              gtk_snapshot_append_color (snapshot, &palette.grid, &rect);
              _ps_chart_draw_hatch (snapshot, &palette.grid, &rect);
              continue;
            }
          gtk_snapshot_append_color (snapshot, &color, &rect);

          label = g_strdup_printf ("%.1f%%", 100 * rate (self, cell));
          pango_layout_set_text (layout, label, -1);
          pango_layout_get_pixel_size (layout, &w, &h);
          if (w + 4 <= rect.size.width && h <= rect.size.height)
            _ps_chart_draw_text (snapshot, layout, NULL, rect.origin.x + rect.size.width / 2,
                                 rect.origin.y + rect.size.height / 2, PS_CHART_ALIGN_CENTER,
                                 PS_CHART_ALIGN_CENTER, color.alpha > 0.55 ? &strong : &palette.fg);
        }
    }

  if (self->core.series >= 0)
    {
      graphene_rect_t rect;

      cell_rect (self, self->core.series, self->core.index, &rect);
      _ps_chart_outline (snapshot, &palette.fg, &rect, 2);
    }

  if (self->n_rows > 0 && self->n_columns > 0)
    draw_legend (self, snapshot, layout, &palette, &base);
  _ps_chart_core_draw_callout (&self->core, snapshot, layout, &palette);
}

static void
ps_heat_map_finalize (GObject *object)
{
  PsHeatMap *self = PS_HEAT_MAP (object);

  g_clear_pointer (&self->rows, g_strfreev);
  g_clear_pointer (&self->columns, g_strfreev);
  g_clear_pointer (&self->hits, g_free);
  g_clear_pointer (&self->totals, g_free);
  g_clear_pointer (&self->color, g_free);

  G_OBJECT_CLASS (ps_heat_map_parent_class)->finalize (object);
}

static void
ps_heat_map_class_init (PsHeatMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ps_heat_map_finalize;
  widget_class->snapshot = ps_heat_map_snapshot;

  /**
   * PsHeatMap::cell-activated:
   * @self: the heat map
   * @row: the cell's row
   * @column: the cell's column
   *
   * A cell was clicked, or Enter was pressed on the highlighted one.
   */
  signals[CELL_ACTIVATED] = g_signal_new ("cell-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  _ps_chart_class_setup (widget_class);
  gtk_widget_class_set_css_name (widget_class, "heatmap");
}

static void
ps_heat_map_init (PsHeatMap *self)
{
  self->min_samples = 30;
  self->color = g_strdup ("red");
  self->hits = g_new0 (guint, 1);
  self->totals = g_new0 (guint, 1);
  self->width = -1;
  _ps_chart_core_init (&self->core, GTK_WIDGET (self), &vtable);
  gtk_widget_set_size_request (GTK_WIDGET (self), 200, 120);
}

/* -- Public API -------------------------------------------------------- */

GtkWidget *
ps_heat_map_new (void)
{
  return g_object_new (PS_TYPE_HEAT_MAP, NULL);
}

/**
 * ps_heat_map_set_data:
 * @self: a #PsHeatMap
 * @rows: (array zero-terminated=1): row labels (carriers)
 * @columns: (array zero-terminated=1): column labels (regions)
 * @hits: (array): per cell, row by row, how many had the property
 *   (shipments with an exception)
 * @totals: (array): per cell, row by row, how many there were
 *
 * @hits and @totals hold one value per row × column.
 */
void
ps_heat_map_set_data (PsHeatMap          *self,
                      const char * const *rows,
                      const char * const *columns,
                      const guint        *hits,
                      const guint        *totals)
{
  guint n;

  g_return_if_fail (PS_IS_HEAT_MAP (self));
  g_return_if_fail (rows != NULL && columns != NULL);

  g_strfreev (self->rows);
  g_strfreev (self->columns);
  g_free (self->hits);
  g_free (self->totals);
  self->rows = g_strdupv ((char **) rows);
  self->columns = g_strdupv ((char **) columns);
  self->n_rows = g_strv_length (self->rows);
  self->n_columns = g_strv_length (self->columns);
  n = self->n_rows * self->n_columns;
  g_return_if_fail (n == 0 || (hits != NULL && totals != NULL));
  self->hits = g_memdup2 (n > 0 ? hits : NULL, sizeof (guint) * n);
  self->totals = g_memdup2 (n > 0 ? totals : NULL, sizeof (guint) * n);
  if (n == 0)
    {
      self->hits = g_new0 (guint, 1);
      self->totals = g_new0 (guint, 1);
    }
  for (guint c = 0; c < n; c++)
    self->hits[c] = MIN (self->hits[c], self->totals[c]);
  data_changed (self);
}

/**
 * ps_heat_map_set_color:
 * @self: a #PsHeatMap
 * @color: a palette name (default "red"), see ps_bar_chart_add_series()
 */
void
ps_heat_map_set_color (PsHeatMap  *self,
                       const char *color)
{
  g_return_if_fail (PS_IS_HEAT_MAP (self));

  g_free (self->color);
  self->color = g_strdup (color);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/**
 * ps_heat_map_set_min_samples:
 * @self: a #PsHeatMap
 * @min_samples: cells with fewer are hatched and left out of the scale
 *   (default 30)
 */
void
ps_heat_map_set_min_samples (PsHeatMap *self,
                             guint      min_samples)
{
  g_return_if_fail (PS_IS_HEAT_MAP (self));

  self->min_samples = min_samples;
  data_changed (self);
}

gboolean
ps_heat_map_get_element_at (PsHeatMap *self,
                            double     x,
                            double     y,
                            int       *row,
                            int       *column)
{
  g_return_val_if_fail (PS_IS_HEAT_MAP (self), FALSE);

  return _ps_chart_core_element_at (&self->core, x, y, row, column);
}

/**
 * ps_heat_map_describe_element:
 * @self: a #PsHeatMap
 * @row: a row
 * @column: a column
 *
 * Returns: (transfer full): the cell's tooltip with its counts ("UPS,
 *   West: 14 of 80 shipments, 17.5%"), also read by screen readers
 */
char *
ps_heat_map_describe_element (PsHeatMap *self,
                              int        row,
                              int        column)
{
  g_return_val_if_fail (PS_IS_HEAT_MAP (self), NULL);
  g_return_val_if_fail (row >= 0 && (guint) row < self->n_rows, NULL);
  g_return_val_if_fail (column >= 0 && (guint) column < self->n_columns, NULL);

  return describe_element (GTK_WIDGET (self), row, column);
}

gboolean
ps_heat_map_get_highlight (PsHeatMap *self,
                           int       *row,
                           int       *column)
{
  g_return_val_if_fail (PS_IS_HEAT_MAP (self), FALSE);

  return _ps_chart_core_get_highlight (&self->core, row, column);
}

gboolean
ps_heat_map_set_highlight (PsHeatMap *self,
                           int        row,
                           int        column)
{
  g_return_val_if_fail (PS_IS_HEAT_MAP (self), FALSE);

  return _ps_chart_core_set_highlight (&self->core, row, column, FALSE);
}
