/* ps-stats.h: the statistics behind the dashboard's exception patterns
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Dimensions of a pattern cell: carrier, region, service, weekday. */
#define PS_STATS_N_DIMS 4

void     ps_stats_wilson_interval     (gint64        successes,
                                       gint64        trials,
                                       double        z,
                                       double       *low,
                                       double       *high);
double   ps_stats_binomial_sf         (gint64        k,
                                       gint64        n,
                                       double        p);
guint    ps_stats_benjamini_hochberg  (const double *p_values,
                                       guint         n,
                                       double        q,
                                       gboolean     *rejected);

/**
 * PsStatsCell:
 * @keys: one value per dimension (carrier, region, service, weekday as
 *   "1".."7"); in a pattern, %NULL for a dimension the pattern does not
 *   restrict
 * @trials: shipments
 * @successes: shipments that had an exception
 *
 * A cell of counts, the input and (with a p-value) the output of
 * ps_stats_find_patterns(). Keys are borrowed from the caller's cells.
 */
typedef struct
{
  const char *keys[PS_STATS_N_DIMS];
  gint64      trials;
  gint64      successes;
} PsStatsCell;

/**
 * PsStatsPattern:
 * @cell: the cell (keys %NULL where any value is meant)
 * @rate: successes / trials
 * @baseline: the overall rate it was tested against
 * @ratio: @rate / @baseline
 * @wilson_low: the lower end of the 95 % Wilson interval of @rate
 * @p_value: the one-sided binomial p-value, P(X ≥ successes)
 * @q_value: that p-value adjusted for every cell tested
 *   (Benjamini–Hochberg)
 */
typedef struct
{
  PsStatsCell cell;
  double      rate;
  double      baseline;
  double      ratio;
  double      wilson_low;
  double      p_value;
  double      q_value;
} PsStatsPattern;

GArray  *ps_stats_find_patterns       (const PsStatsCell *cells,
                                       guint              n_cells,
                                       gint64             min_trials,
                                       double             fdr,
                                       guint             *n_tested);

G_END_DECLS
