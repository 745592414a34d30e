/* labels-bench.c: how long 1,000 labels take as one PDF and as ZPL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: labels-bench [N_LABELS] [RUNS] [DPI] [OUT_DIR]
 * Prints tab-separated lines: KIND, median ms, min ms, max ms, bytes of
 * the last run (KIND is "pdf" or "zpl"). Labels cycle through the USPS,
 * UPS, FedEx and generic styles with distinct names and tracking numbers.
 * With OUT_DIR, the last run's labels.pdf and labels.zpl are kept there.
 */

#include "config.h"

#include <stdlib.h>

#include "ps-label-render.h"
#include "ps-label-zpl.h"

static PsAddress *
address (const char *name,
         const char *line1,
         const char *city,
         const char *state,
         const char *postcode)
{
  PsAddress *a = ps_address_new ();

  a->name = g_strdup (name);
  a->line1 = g_strdup (line1);
  a->city = g_strdup (city);
  a->state = g_strdup (state);
  a->postcode = g_strdup (postcode);
  a->country = g_strdup ("US");
  return a;
}

static PsLabelSpec *
make (guint i)
{
  PsLabelSpec *s = ps_label_spec_new ();
  g_autofree char *name = g_strdup_printf ("Customer %u Example-Longname", i);

  s->style = (PsLabelStyle) (i % 4);
  s->ship_from = address ("Bramble & Finch", "100 Main St", "Springfield", "IL", "62701");
  s->ship_to = address (name, "742 Evergreen Terrace Apt 12", "Seattle", "WA", "98101-1234");
  s->order_number = g_strdup_printf ("#%u", 100000 + i);
  s->service_name = g_strdup ("Ground");
  s->service_code = g_strdup ("003");
  s->weight_grams = 500 + i % 3000;
  s->ship_date = 1795309445;

  switch (s->style)
    {
    case PS_LABEL_STYLE_USPS:
      /* Check digits do not matter to the renderer. */
      s->tracking_number = g_strdup_printf ("94001002083031%08u", i);
      break;
    case PS_LABEL_STYLE_UPS:
      s->tracking_number = g_strdup_printf ("1Z63R09603%08u", i);
      break;
    case PS_LABEL_STYLE_FEDEX:
      s->tracking_number = g_strdup_printf ("7760%08u", i);
      break;
    case PS_LABEL_STYLE_GENERIC:
    default:
      s->tracking_number = g_strdup_printf ("PS%010u", i);
      break;
    }

  return s;
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *kind,
        double     *ms,
        guint       runs,
        gsize       bytes)
{
  qsort (ms, runs, sizeof *ms, cmp_double);
  g_print ("%s\t%.1f\t%.1f\t%.1f\t%" G_GSIZE_FORMAT "\n", kind, ms[runs / 2], ms[0],
           ms[runs - 1], bytes);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 3;
  int dpi = argc > 3 ? atoi (argv[3]) : 203;
  const char *out_dir = argc > 4 ? argv[4] : NULL;
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_label_spec_free);
  g_autofree double *pdf_ms = NULL;
  g_autofree double *zpl_ms = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GString) zpl = NULL;
  g_autoptr(GError) error = NULL;
  guint i, r;

  if (n == 0 || runs == 0)
    {
      g_printerr ("usage: labels-bench [N_LABELS] [RUNS] [DPI] [OUT_DIR]\n");
      return 2;
    }

  for (i = 0; i < n; i++)
    g_ptr_array_add (specs, make (i));

  pdf_ms = g_new (double, runs);
  zpl_ms = g_new (double, runs);

  for (r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      g_clear_pointer (&pdf, g_bytes_unref);
      pdf = ps_label_render_pdf ((const PsLabelSpec * const *) specs->pdata, n,
                                 PS_LABEL_SIZE_4X6, dpi, &error);
      if (pdf == NULL)
        {
          g_printerr ("labels-bench: %s\n", error->message);
          return 1;
        }
      pdf_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  for (r = 0; r < runs; r++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (zpl != NULL)
        g_string_free (g_steal_pointer (&zpl), TRUE);
      zpl = g_string_sized_new (n * 4096);
      for (i = 0; i < n; i++)
        {
          if (!ps_label_append_zpl (zpl, specs->pdata[i], PS_LABEL_SIZE_4X6, dpi, 0, 0, &error))
            {
              g_printerr ("labels-bench: %s\n", error->message);
              return 1;
            }
        }
      zpl_ms[r] = (g_get_monotonic_time () - t0) / 1000.0;
    }

  report ("pdf", pdf_ms, runs, g_bytes_get_size (pdf));
  report ("zpl", zpl_ms, runs, zpl->len);

  if (out_dir != NULL)
    {
      g_autofree char *p = g_build_filename (out_dir, "labels.pdf", NULL);
      g_autofree char *z = g_build_filename (out_dir, "labels.zpl", NULL);

      g_file_set_contents (p, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL);
      g_file_set_contents (z, zpl->str, zpl->len, NULL);
    }

  return 0;
}
