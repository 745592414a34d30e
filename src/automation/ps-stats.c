/* ps-stats.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure statistics (no I/O, no clock) for the exception patterns of the
 * dashboard (docs/METRICS.md, "Patterns"):
 *
 *  - every cell carrier × region × service × weekday, and every coarser
 *    cell that leaves some of those dimensions open ("UPS to the Pacific
 *    Northwest", any service, any day), with at least a minimum number
 *    of shipments, is tested against the overall exception rate with a
 *    one-sided exact binomial test, P(X ≥ k) for X ~ Bin(n, baseline);
 *  - the p-values of all the cells tested are adjusted together with
 *    Benjamini–Hochberg, and a cell is significant when its adjusted
 *    value is at most the false discovery rate asked for and the lower
 *    end of its 95 % Wilson interval is above the baseline too;
 *  - cells overlap (UPS, UPS × Pacific Northwest, UPS Ground × Pacific
 *    Northwest × Monday): the significant cells are taken strongest
 *    first, and a cell is reported only when no cell taken before
 *    contains it or lies inside it, so one planted problem is reported
 *    once, at the level where its evidence is strongest.
 */

#define G_LOG_DOMAIN "ps-stats"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ps-stats.h"

/**
 * ps_stats_wilson_interval:
 * @successes: k, 0 ≤ k ≤ n
 * @trials: n
 * @z: the normal quantile (1.96 for 95 %)
 * @low: (out): the lower end
 * @high: (out): the upper end
 *
 * The Wilson score interval of the proportion k / n. With no trials it is
 * [0, 1].
 */
void
ps_stats_wilson_interval (gint64  successes,
                          gint64  trials,
                          double  z,
                          double *low,
                          double *high)
{
  double n = (double) trials;
  double p, z2, centre, half, denom;

  g_return_if_fail (successes >= 0 && successes <= trials);

  if (trials == 0)
    {
      *low = 0;
      *high = 1;
      return;
    }
  p = successes / n;
  z2 = z * z;
  denom = 1 + z2 / n;
  centre = (p + z2 / (2 * n)) / denom;
  half = z * sqrt (p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  *low = MAX (0.0, centre - half);
  *high = MIN (1.0, centre + half);
}

static double
log_pmf (gint64 i,
         gint64 n,
         double log_p,
         double log_q)
{
  return lgamma ((double) n + 1) - lgamma ((double) i + 1) - lgamma ((double) (n - i) + 1)
         + (double) i * log_p + (double) (n - i) * log_q;
}

/* Sums the binomial probabilities from @start stepping by @step until
 * they stop mattering (they only shrink away from the mode). The first
 * term comes from lgamma, the others by the ratio of neighbours:
 * P(i+1) / P(i) = (n - i) / (i + 1) · p / q. */
static double
sum_tail (gint64 start,
          gint64 end,
          int    step,
          gint64 n,
          double p)
{
  double log_p = log (p), log_q = log1p (-p);
  double odds = p / (1 - p);
  double term = exp (log_pmf (start, n, log_p, log_q));
  double total = 0;

  for (gint64 i = start; step > 0 ? i <= end : i >= end; i += step)
    {
      total += term;
      if (term < total * 1e-17)
        break;
      if (step > 0)
        term *= (double) (n - i) / (double) (i + 1) * odds;
      else if (i > 0)
        term *= (double) i / (double) (n - i + 1) / odds;
    }
  return total;
}

/**
 * ps_stats_binomial_sf:
 * @k: the observed count
 * @n: trials
 * @p: the probability of one success under the null hypothesis
 *
 * The exact one-sided p-value P(X ≥ @k) for X ~ Binomial(@n, @p).
 *
 * Returns: the probability, in [0, 1]
 */
double
ps_stats_binomial_sf (gint64 k,
                      gint64 n,
                      double p)
{
  double mean = (double) n * p;

  g_return_val_if_fail (n >= 0 && p >= 0 && p <= 1, NAN);

  if (k <= 0)
    return 1;
  if (k > n)
    return 0;
  if (p <= 0)
    return 0;
  if (p >= 1)
    return 1;
  /* Above the mean the upper tail shrinks from k on; below it the lower
   * tail, from k - 1 down, is the one that can be summed this way. */
  if ((double) k >= mean)
    return CLAMP (sum_tail (k, n, 1, n, p), 0.0, 1.0);
  return CLAMP (1 - sum_tail (k - 1, 0, -1, n, p), 0.0, 1.0);
}

typedef struct
{
  double p;
  guint  index;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->p != y->p)
    return x->p < y->p ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* The p-values with their indices, smallest first. */
static Ranked *
rank (const double *p_values,
      guint         n)
{
  Ranked *ranked = g_new (Ranked, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    ranked[i] = (Ranked) { p_values[i], i };
  qsort (ranked, n, sizeof (Ranked), compare_ranked);
  return ranked;
}

/**
 * ps_stats_benjamini_hochberg:
 * @p_values: (array length=n): p-values
 * @n: how many
 * @q: the false discovery rate, e.g. 0.05
 * @rejected: (out caller-allocates) (array length=n) (nullable): which
 *   null hypotheses are rejected
 *
 * The Benjamini–Hochberg step-up procedure: with p-values sorted
 * p(1) ≤ … ≤ p(n), rejects the hypotheses of the m smallest where m is
 * the largest rank with p(m) ≤ m q / n.
 *
 * Returns: how many were rejected
 */
guint
ps_stats_benjamini_hochberg (const double *p_values,
                             guint         n,
                             double        q,
                             gboolean     *rejected)
{
  g_autofree Ranked *ranked = rank (p_values, n);
  guint m = 0;

  for (guint r = n; r > 0; r--)
    if (ranked[r - 1].p <= (double) r * q / (double) n)
      {
        m = r;
        break;
      }
  if (rejected != NULL)
    {
      memset (rejected, 0, n * sizeof (gboolean));
      for (guint r = 0; r < m; r++)
        rejected[ranked[r].index] = TRUE;
    }
  return m;
}

/* The BH-adjusted p-values (q-values), min over ranks ≥ r of p(r) n / r. */
static void
adjust (double *p_values,
        guint   n,
        double *q_values)
{
  g_autofree Ranked *ranked = rank (p_values, n);
  double running = 1;

  for (guint r = n; r > 0; r--)
    {
      running = MIN (running, ranked[r - 1].p * (double) n / (double) r);
      q_values[ranked[r - 1].index] = running;
    }
}

/* Whether every key @a restricts, @b restricts the same way (b ⊆ a). */
static gboolean
contains (const PsStatsCell *a,
          const PsStatsCell *b)
{
  for (guint d = 0; d < PS_STATS_N_DIMS; d++)
    if (a->keys[d] != NULL && (b->keys[d] == NULL || strcmp (a->keys[d], b->keys[d]) != 0))
      return FALSE;
  return TRUE;
}

static guint
cell_hash (gconstpointer data)
{
  const PsStatsCell *cell = data;
  guint h = 17;

  for (guint d = 0; d < PS_STATS_N_DIMS; d++)
    h = h * 31 + (cell->keys[d] != NULL ? g_str_hash (cell->keys[d]) : 0);
  return h;
}

static gboolean
cell_equal (gconstpointer a,
            gconstpointer b)
{
  const PsStatsCell *x = a, *y = b;

  for (guint d = 0; d < PS_STATS_N_DIMS; d++)
    if (g_strcmp0 (x->keys[d], y->keys[d]) != 0)
      return FALSE;
  return TRUE;
}

static int
compare_patterns (gconstpointer a,
                  gconstpointer b)
{
  const PsStatsPattern *x = a, *y = b;

  if (x->p_value != y->p_value)
    return x->p_value < y->p_value ? -1 : 1;
  if (x->ratio != y->ratio)
    return x->ratio > y->ratio ? -1 : 1;
  return (y->cell.trials > x->cell.trials) - (y->cell.trials < x->cell.trials);
}

/**
 * ps_stats_find_patterns:
 * @cells: (array length=n_cells): the finest cells, every key set
 * @n_cells: how many
 * @min_trials: cells with fewer shipments are not tested
 * @fdr: the false discovery rate for Benjamini–Hochberg, e.g. 0.05
 * @n_tested: (out) (optional): how many cells were tested
 *
 * Finds the cells whose exception rate is significantly above the overall
 * rate, as described at the top of this file.
 *
 * Returns: (transfer full) (element-type PsStatsPattern): the patterns,
 *   strongest first; their keys point into @cells
 */
GArray *
ps_stats_find_patterns (const PsStatsCell *cells,
                        guint              n_cells,
                        gint64             min_trials,
                        double             fdr,
                        guint             *n_tested)
{
  g_autoptr(GHashTable) merged = g_hash_table_new_full (cell_hash, cell_equal, g_free, NULL);
  g_autoptr(GArray) tested = g_array_new (FALSE, FALSE, sizeof (PsStatsPattern));
  g_autofree double *p_values = NULL;
  g_autofree double *q_values = NULL;
  GArray *found = g_array_new (FALSE, FALSE, sizeof (PsStatsPattern));
  g_autoptr(GArray) significant = g_array_new (FALSE, FALSE, sizeof (PsStatsPattern));
  gint64 trials = 0, successes = 0;
  double baseline;
  GHashTableIter iter;
  gpointer key;

  for (guint i = 0; i < n_cells; i++)
    {
      trials += cells[i].trials;
      successes += cells[i].successes;
    }
  if (n_tested != NULL)
    *n_tested = 0;
  if (trials == 0 || successes == 0)
    return found;
  baseline = (double) successes / (double) trials;

  /* Every cell and every coarser cell: 2^4 - 1 masks (not all open). */
  for (guint i = 0; i < n_cells; i++)
    for (guint mask = 1; mask < (1u << PS_STATS_N_DIMS); mask++)
      {
        PsStatsCell probe = { { NULL }, 0, 0 };
        PsStatsCell *cell;

        for (guint d = 0; d < PS_STATS_N_DIMS; d++)
          probe.keys[d] = (mask & (1u << d)) ? cells[i].keys[d] : NULL;
        cell = g_hash_table_lookup (merged, &probe);
        if (cell == NULL)
          {
            cell = g_memdup2 (&probe, sizeof probe);
            g_hash_table_add (merged, cell);
          }
        cell->trials += cells[i].trials;
        cell->successes += cells[i].successes;
      }

  g_hash_table_iter_init (&iter, merged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const PsStatsCell *cell = key;
      PsStatsPattern pattern = { 0 };
      double high;

      if (cell->trials < min_trials)
        continue;
      /* At or below the expected count the one-sided p-value is about a
       * half or more: tested (it counts for the correction) but not
       * worth the sum. */
      pattern.cell = *cell;
      pattern.rate = (double) cell->successes / (double) cell->trials;
      pattern.baseline = baseline;
      pattern.ratio = pattern.rate / baseline;
      ps_stats_wilson_interval (cell->successes, cell->trials, 1.959964, &pattern.wilson_low,
                                &high);
      pattern.p_value = (double) cell->successes <= (double) cell->trials * baseline
                        ? 1.0 : ps_stats_binomial_sf (cell->successes, cell->trials, baseline);
      g_array_append_val (tested, pattern);
    }
  if (n_tested != NULL)
    *n_tested = tested->len;
  if (tested->len == 0)
    return found;

  p_values = g_new (double, tested->len);
  q_values = g_new (double, tested->len);
  for (guint i = 0; i < tested->len; i++)
    p_values[i] = g_array_index (tested, PsStatsPattern, i).p_value;
  adjust (p_values, tested->len, q_values);

  for (guint i = 0; i < tested->len; i++)
    {
      PsStatsPattern *pattern = &g_array_index (tested, PsStatsPattern, i);

      pattern->q_value = q_values[i];
      if (pattern->q_value <= fdr && pattern->wilson_low > baseline)
        g_array_append_val (significant, *pattern);
    }
  g_array_sort (significant, compare_patterns);

  for (guint i = 0; i < significant->len; i++)
    {
      const PsStatsPattern *candidate = &g_array_index (significant, PsStatsPattern, i);
      gboolean overlaps = FALSE;

      for (guint j = 0; j < found->len && !overlaps; j++)
        {
          const PsStatsPattern *taken = &g_array_index (found, PsStatsPattern, j);

          overlaps = contains (&taken->cell, &candidate->cell) ||
                     contains (&candidate->cell, &taken->cell);
        }
      if (!overlaps)
        g_array_append_val (found, *candidate);
    }
  return found;
}
