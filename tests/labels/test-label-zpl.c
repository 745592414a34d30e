/* test-label-zpl.c: the ZPL writer, parsed back field by field
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-label-zpl"

#include "config.h"

#include <stdlib.h>

#include "ps-label-barcode.h"
#include "ps-label-zpl.h"

#include "label-test-util.h"

typedef struct
{
  char *barcode;   /* "BC", "BX", "B7", "BD" or NULL for text */
  char *params;    /* the barcode command's parameters */
  char *data;      /* ^FD payload, ^FH escapes undone */
  int   x, y;      /* ^FO */
} Field;

typedef struct
{
  int        pw, ll, lh_x, lh_y, n_xa, n_xz;
  gboolean   utf8;
  GPtrArray *fields;
} Zpl;

static void
field_free (Field *f)
{
  g_free (f->barcode);
  g_free (f->params);
  g_free (f->data);
  g_free (f);
}

static char *
unescape_fh (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    {
      if (*s == '_' && g_ascii_isxdigit (s[1]) && g_ascii_isxdigit (s[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (s[1]) * 16
                                          + g_ascii_xdigit_value (s[2])));
          s += 2;
        }
      else
        {
          g_assert_cmpint (*s, !=, '_');  /* every _ is an escape */
          g_string_append_c (out, *s);
        }
    }

  return g_string_free (out, FALSE);
}

/* Splits on "^": field data never holds a raw caret (it is escaped). */
static void
parse (const char *zpl,
       Zpl        *out)
{
  g_auto(GStrv) cmds = g_strsplit (zpl, "^", -1);
  Field *cur = NULL;
  gboolean fh = FALSE;
  guint i;

  memset (out, 0, sizeof *out);
  out->fields = g_ptr_array_new_with_free_func ((GDestroyNotify) field_free);
  g_assert_null (strchr (zpl, '~'));

  for (i = 1; cmds[i] != NULL; i++)
    {
      char *c = g_strchomp (cmds[i]);
      const char *args = c + 2;

      if (g_str_has_prefix (c, "XA"))
        out->n_xa++;
      else if (g_str_has_prefix (c, "XZ"))
        out->n_xz++;
      else if (g_str_has_prefix (c, "CI28"))
        out->utf8 = TRUE;
      else if (g_str_has_prefix (c, "PW"))
        out->pw = atoi (args);
      else if (g_str_has_prefix (c, "LL"))
        out->ll = atoi (args);
      else if (g_str_has_prefix (c, "LH"))
        g_assert_cmpint (sscanf (args, "%d,%d", &out->lh_x, &out->lh_y), ==, 2);
      else if (g_str_has_prefix (c, "FO"))
        {
          cur = g_new0 (Field, 1);
          g_assert_cmpint (sscanf (args, "%d,%d", &cur->x, &cur->y), ==, 2);
          fh = FALSE;
        }
      else if (g_str_has_prefix (c, "BC") || g_str_has_prefix (c, "BX")
               || g_str_has_prefix (c, "B7") || g_str_has_prefix (c, "BD"))
        {
          g_assert_nonnull (cur);
          cur->barcode = g_strndup (c, 2);
          cur->params = g_strdup (args);
        }
      else if (g_str_has_prefix (c, "FH"))
        fh = TRUE;
      else if (g_str_has_prefix (c, "FD"))
        {
          g_assert_nonnull (cur);
          cur->data = fh ? unescape_fh (args) : g_strdup (args);
        }
      else if (g_str_has_prefix (c, "FS"))
        {
          if (cur != NULL && cur->data != NULL)
            g_ptr_array_add (out->fields, g_steal_pointer (&cur));
          g_clear_pointer (&cur, field_free);
        }
    }
}

static Field *
find_barcode (Zpl        *z,
              const char *kind,
              guint       nth)
{
  guint i;

  for (i = 0; i < z->fields->len; i++)
    {
      Field *f = g_ptr_array_index (z->fields, i);

      if (g_strcmp0 (f->barcode, kind) == 0 && nth-- == 0)
        return f;
    }

  g_error ("no %s barcode", kind);
  return NULL;
}

static gboolean
has_text (Zpl        *z,
          const char *text)
{
  guint i;

  for (i = 0; i < z->fields->len; i++)
    {
      Field *f = g_ptr_array_index (z->fields, i);

      if (f->barcode == NULL && strstr (f->data, text) != NULL)
        return TRUE;
    }

  return FALSE;
}

static void
check_common (Zpl         *z,
              PsLabelSize  size,
              int          dpi)
{
  static const struct { PsLabelSize size; int dpi, w, h; } dims[] = {
    { PS_LABEL_SIZE_4X6, 203, 812, 1218 },
    { PS_LABEL_SIZE_4X6, 300, 1200, 1800 },
    { PS_LABEL_SIZE_4X8, 203, 812, 1624 },
    { PS_LABEL_SIZE_4X8, 300, 1200, 2400 },
  };
  guint i;

  g_assert_cmpint (z->n_xa, ==, 1);
  g_assert_cmpint (z->n_xz, ==, 1);
  g_assert_true (z->utf8);
  for (i = 0; i < G_N_ELEMENTS (dims); i++)
    {
      if (dims[i].size == size && dims[i].dpi == dpi)
        {
          g_assert_cmpint (z->pw, ==, dims[i].w);
          g_assert_cmpint (z->ll, ==, dims[i].h);
        }
    }

  for (i = 0; i < z->fields->len; i++)
    {
      Field *f = g_ptr_array_index (z->fields, i);

      g_assert_cmpint (f->x, >=, 0);
      g_assert_cmpint (f->y, >=, 0);
      g_assert_cmpint (f->x, <, z->pw);
      g_assert_cmpint (f->y, <, z->ll);
    }
}

static void
with_zpl (PsLabelStyle  style,
          PsLabelSize   size,
          int           dpi,
          Zpl          *z,
          PsLabelSpec **spec_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zpl = NULL;
  PsLabelSpec *spec = make_spec (style);

  zpl = ps_label_to_zpl (spec, size, dpi, 12, 34, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (zpl, "^XA"));
  parse (zpl, z);
  check_common (z, size, dpi);
  g_assert_cmpint (z->lh_x, ==, 12);
  g_assert_cmpint (z->lh_y, ==, 34);
  g_assert_true (has_text (z, spec->ship_to->name));
  *spec_out = spec;
}

static void
test_styles (void)
{
  static const PsLabelSize sizes[] = { PS_LABEL_SIZE_4X6, PS_LABEL_SIZE_4X8 };
  static const int dpis[] = { 203, 300 };
  guint s, d;

  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (d = 0; d < G_N_ELEMENTS (dpis); d++)
      {
        Zpl z;
        g_autoptr(PsLabelSpec) spec = NULL;
        g_autoptr(GPtrArray) barcodes = NULL;
        Field *f;

        /* USPS: routing and IMpb as GS1-128 with start C and FNC1. */
        with_zpl (PS_LABEL_STYLE_USPS, sizes[s], dpis[d], &z, &spec);
        g_assert_cmpstr (find_barcode (&z, "BC", 0)->data, ==, ">;>8420981011234");
        f = find_barcode (&z, "BC", 1);
        g_assert_cmpstr (f->data, ==, ">;>842098101>89400100208303109505657");
        g_assert_true (g_str_has_suffix (f->params, ",N,N,N,N"));
        g_assert_true (has_text (&z, "9400 1002 0830 3109 5056 57"));
        g_ptr_array_unref (z.fields);
        g_clear_pointer (&spec, ps_label_spec_free);

        /* UPS: MaxiCode mode 2 with class, country, ZIP+4, then the message. */
        with_zpl (PS_LABEL_STYLE_UPS, sizes[s], dpis[d], &z, &spec);
        f = find_barcode (&z, "BD", 0);
        g_assert_true (g_str_has_prefix (f->params, "2,"));
        g_assert_true (g_str_has_prefix (f->data, "003840981011234[)>\x1e" "01\x1d" "96"
                                         "1Z63R0960332529481\x1dUPSN\x1d"));
        g_assert_true (g_str_has_suffix (f->data, "\x1dSeattle\x1dWA\x1e\x04"));
        g_assert_cmpstr (find_barcode (&z, "BC", 0)->data, ==, "1Z63R0960332529481");
        g_ptr_array_unref (z.fields);
        g_clear_pointer (&spec, ps_label_spec_free);

        /* FedEx: PDF417 holds exactly the carrier message. */
        with_zpl (PS_LABEL_STYLE_FEDEX, sizes[s], dpis[d], &z, &spec);
        barcodes = ps_label_spec_dup_barcodes (spec, NULL);
        f = find_barcode (&z, "B7", 0);
        g_assert_cmpstr (f->data, ==, ((PsLabelBarcode *) barcodes->pdata[0])->data);
        g_assert_true (g_str_has_prefix (f->data, "[)>\x1e" "01\x1d" "0298101-1234\x1d" "840\x1d"
                                         "020\x1d" "776094337676\x1d" "FDEG\x1d" "510087020\x1d"));
        g_assert_cmpstr (find_barcode (&z, "BC", 0)->data, ==, "776094337676");
        g_ptr_array_unref (z.fields);
        g_clear_pointer (&spec, ps_label_spec_free);
        g_clear_pointer (&barcodes, g_ptr_array_unref);

        /* Generic: DataMatrix with the order data. */
        with_zpl (PS_LABEL_STYLE_GENERIC, sizes[s], dpis[d], &z, &spec);
        f = find_barcode (&z, "BX", 0);
        g_assert_cmpstr (f->data, ==, "ORD:#1001;TRK:PS0000123456;TO:US 98101-1234");
        g_assert_true (g_str_has_prefix (f->params, dpis[d] == 203 ? "N,3,200" : "N,5,200"));
        g_assert_cmpstr (find_barcode (&z, "BC", 0)->data, ==, "PS0000123456");
        g_ptr_array_unref (z.fields);
      }
}

static void
test_escaping (void)
{
  g_autoptr(PsLabelSpec) spec = make_spec (PS_LABEL_STYLE_GENERIC);
  g_autoptr(GError) error = NULL;
  g_autofree char *zpl = NULL;
  g_autofree char *escaped = NULL;
  Zpl z;

  g_free (spec->ship_to->name);
  spec->ship_to->name = g_strdup ("Ann^XZ~JA_Lee\\ Zoë");
  g_free (spec->order_number);
  spec->order_number = g_strdup ("#7^~_");

  zpl = ps_label_to_zpl (spec, PS_LABEL_SIZE_4X6, 203, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (zpl, "Ann^"));
  g_assert_null (strstr (zpl, "~JA"));
  g_assert_nonnull (strstr (zpl, "Ann_5EXZ_7EJA_5FLee\\\\ Zoë"));

  parse (zpl, &z);
  g_assert_cmpint (z.n_xa, ==, 1);
  g_assert_cmpint (z.n_xz, ==, 1);
  g_assert_true (has_text (&z, "Ann^XZ~JA_Lee\\\\ Zoë"));
  g_assert_cmpstr (find_barcode (&z, "BX", 0)->data, ==,
                   "ORD:#7^~_;TRK:PS0000123456;TO:US 98101-1234");
  g_ptr_array_unref (z.fields);

  escaped = ps_zpl_escape_field ("a^b~c_d\x1e");
  g_assert_cmpstr (escaped, ==, "a_5Eb_7Ec_5Fd_1E");
}

static void
test_batch (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(PsLabelSpec) good = make_spec (PS_LABEL_STYLE_UPS);
  g_autoptr(PsLabelSpec) bad = make_spec (PS_LABEL_STYLE_UPS);
  g_autoptr(GError) error = NULL;
  gsize before;
  Zpl z;

  g_assert_true (ps_label_append_zpl (out, good, PS_LABEL_SIZE_4X6, 203, 0, 0, &error));
  g_assert_true (ps_label_append_zpl (out, good, PS_LABEL_SIZE_4X6, 203, 0, 0, &error));
  before = out->len;
  g_clear_pointer (&bad->tracking_number, g_free);
  g_assert_false (ps_label_append_zpl (out, bad, PS_LABEL_SIZE_4X6, 203, 0, 0, &error));
  g_assert_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID);
  g_assert_cmpuint (out->len, ==, before);

  parse (out->str, &z);
  g_assert_cmpint (z.n_xa, ==, 2);
  g_assert_cmpint (z.n_xz, ==, 2);
  g_ptr_array_unref (z.fields);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/labels/zpl/styles", test_styles);
  g_test_add_func ("/labels/zpl/escaping", test_escaping);
  g_test_add_func ("/labels/zpl/batch", test_batch);

  return g_test_run ();
}
