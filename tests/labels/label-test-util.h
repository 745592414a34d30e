/* label-test-util.h: shared fixtures of the labels tests
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>
#include <cairo.h>
#include <string.h>

#include "ps-label-spec.h"

static G_GNUC_UNUSED PsAddress *
make_address (const char *name,
              const char *line1,
              const char *city,
              const char *state,
              const char *postcode,
              const char *country)
{
  PsAddress *a = ps_address_new ();

  a->name = g_strdup (name);
  a->line1 = g_strdup (line1);
  a->city = g_strdup (city);
  a->state = g_strdup (state);
  a->postcode = g_strdup (postcode);
  a->country = g_strdup (country);
  return a;
}

/* A label of @style with a tracking number in that carrier's format
 * (valid check digits) and a US ship-to. */
static G_GNUC_UNUSED PsLabelSpec *
make_spec (PsLabelStyle style)
{
  PsLabelSpec *spec = ps_label_spec_new ();

  spec->style = style;
  spec->ship_from = make_address ("Acme Widgets", "100 Main St", "Springfield", "IL", "62701", "US");
  spec->ship_to = make_address ("Alice Example", "742 Evergreen Terrace", "Seattle", "WA",
                                "98101-1234", "US");
  spec->ship_to->company = g_strdup ("Example Corp");
  spec->order_number = g_strdup ("#1001");
  spec->reference = g_strdup ("gift wrap");
  spec->weight_grams = 1134;
  spec->length_mm = 300;
  spec->width_mm = 200;
  spec->height_mm = 100;
  spec->ship_date = 1795309445;

  switch (style)
    {
    case PS_LABEL_STYLE_USPS:
      spec->carrier_name = g_strdup ("USPS");
      spec->service_name = g_strdup ("Priority Mail");
      spec->tracking_number = g_strdup ("9400100208303109505657");
      break;
    case PS_LABEL_STYLE_UPS:
      spec->carrier_name = g_strdup ("UPS");
      spec->service_name = g_strdup ("Ground");
      spec->service_code = g_strdup ("003");
      spec->tracking_number = g_strdup ("1Z63R0960332529481");
      break;
    case PS_LABEL_STYLE_FEDEX:
      spec->carrier_name = g_strdup ("FedEx");
      spec->service_name = g_strdup ("Express Saver");
      spec->service_code = g_strdup ("020");
      spec->shipper_account = g_strdup ("510087020");
      spec->tracking_number = g_strdup ("776094337676");
      break;
    case PS_LABEL_STYLE_GENERIC:
    default:
      spec->carrier_name = g_strdup ("Local Courier");
      spec->service_name = g_strdup ("Same day");
      spec->tracking_number = g_strdup ("PS0000123456");
      break;
    }

  return spec;
}

static G_GNUC_UNUSED gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static cairo_status_t
util_read_bytes (void          *closure,
                 unsigned char *data,
                 unsigned int   length)
{
  gsize *state = closure;  /* [0] data pointer, [1] length, [2] position */

  if (state[1] - state[2] < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, (const guchar *) state[0] + state[2], length);
  state[2] += length;
  return CAIRO_STATUS_SUCCESS;
}

static G_GNUC_UNUSED cairo_surface_t *
surface_from_png (GBytes *png)
{
  gsize state[3] = { 0 };
  cairo_surface_t *s;

  state[0] = (gsize) g_bytes_get_data (png, &state[1]);
  s = cairo_image_surface_create_from_png_stream (util_read_bytes, state);
  g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (s);
  return s;
}

/* pdftotext (poppler-utils) of @pdf, with -layout off. */
static G_GNUC_UNUSED char *
pdf_to_text (GBytes     *pdf,
             const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "doc.pdf", NULL);
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf),
                                      NULL));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static G_GNUC_UNUSED void
remove_tree (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_dir_close (d);
  g_rmdir (dir);
}
