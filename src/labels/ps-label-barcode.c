/* ps-label-barcode.c: the barcodes a label carries, and drawing them with libzint
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Barcodes are drawn from libzint's vector output (ZBarcode_Buffer_Vector)
 * with a scale of one vector unit per module. Every rectangle of a linear
 * or matrix symbol then starts and ends on a whole module, so a caller
 * that places the symbol on the printer's dot grid and picks a whole
 * number of dots per module gets bars that are whole dots (see
 * ps-label-render.c). MaxiCode is hexagonal and has a fixed physical size;
 * it is drawn as polygons and is the one symbol not snapped.
 */

#define G_LOG_DOMAIN "ps-label-barcode"

#include "config.h"

#include <math.h>
#include <string.h>
#include <zint.h>

#include "ps-label-barcode.h"
#include "ps-labels-private.h"

G_DEFINE_BOXED_TYPE (PsLabelBarcode, ps_label_barcode, ps_label_barcode_copy, ps_label_barcode_free)

struct _PsBarcodeSymbol
{
  PsBarcodeKind       kind;
  struct zint_symbol *zint;     /* encoded; its vector is made when first needed */
  double              width;    /* of the vector, in modules, quiet zones included */
  double              height;
  gboolean            hexagonal;
};

/* The size of a symbol's vector follows from the symbology, our options
 * (fixed per kind) and the encoded matrix: its width in modules, rows and
 * row heights. libzint's ZBarcode_Buffer_Vector() is by far the slowest
 * step of encoding (it merges rectangles pairwise, quadratic in their
 * number: about 0.2 ms for a PDF417), and the ZPL writer and the layout
 * need only the size; so each thread remembers the sizes of the vectors it
 * made, and a symbol whose matrix matches one gets its size without a
 * vector. Drawing makes the vector (the same one: the encoding is done
 * already). Per thread, as labels are drawn on several threads at once. */
typedef struct
{
  PsBarcodeKind kind;
  int           mode;
  int           width;
  int           rows;
  float         height;
  float         row_height;
} SizeKey;

typedef struct
{
  SizeKey  key;
  double   width;
  double   height;
  gboolean hexagonal;
} SizeEntry;

typedef struct
{
  GHashTable *sizes;   /* SizeKey → SizeEntry (the entry holds its key) */
  guint       hits;
  guint       misses;
  gboolean    disabled;
} SizeCache;

#define SIZE_CACHE_MAX 512

static guint
size_key_hash (gconstpointer p)
{
  const SizeKey *k = p;
  guint h = (guint) k->kind * 31u + (guint) k->mode;

  h = h * 31u + (guint) k->width;
  h = h * 31u + (guint) k->rows;
  h = h * 31u + (guint) (k->height * 8.0f);
  return h;
}

static gboolean
size_key_equal (gconstpointer a,
                gconstpointer b)
{
  const SizeKey *x = a, *y = b;

  return x->kind == y->kind && x->mode == y->mode && x->width == y->width && x->rows == y->rows
         && x->height == y->height && x->row_height == y->row_height;
}

static void
size_cache_free (gpointer data)
{
  SizeCache *cache = data;

  g_hash_table_unref (cache->sizes);
  g_free (cache);
}

static GPrivate size_cache_key = G_PRIVATE_INIT (size_cache_free);

static SizeCache *
size_cache_get (void)
{
  SizeCache *cache = g_private_get (&size_cache_key);

  if (cache == NULL)
    {
      cache = g_new0 (SizeCache, 1);
      cache->sizes = g_hash_table_new_full (size_key_hash, size_key_equal, NULL, g_free);
      g_private_set (&size_cache_key, cache);
    }

  return cache;
}

static void
size_key_init (SizeKey                  *key,
               const PsLabelBarcode     *barcode,
               const struct zint_symbol *s)
{
  memset (key, 0, sizeof *key);
  key->kind = barcode->kind;
  key->mode = barcode->kind == PS_BARCODE_MAXICODE ? barcode->mode : 0;
  key->width = s->width;
  key->rows = s->rows;
  key->height = s->height;
  key->row_height = s->rows > 0 ? s->row_height[0] : 0.0f;
}

/* Forgets this thread's barcode sizes (tests compare cold and warm). */
void
_ps_barcode_size_cache_clear (void)
{
  SizeCache *cache = size_cache_get ();

  g_hash_table_remove_all (cache->sizes);
  cache->hits = cache->misses = 0;
}

void
_ps_barcode_size_cache_set_enabled (gboolean enabled)
{
  size_cache_get ()->disabled = !enabled;
}

void
_ps_barcode_size_cache_get_stats (guint *hits,
                                  guint *misses)
{
  SizeCache *cache = size_cache_get ();

  *hits = cache->hits;
  *misses = cache->misses;
}

PsLabelBarcode *
ps_label_barcode_new (PsBarcodeKind  kind,
                      PsBarcodeRole  role,
                      const char    *data)
{
  PsLabelBarcode *self;

  g_return_val_if_fail (data != NULL, NULL);

  self = g_new0 (PsLabelBarcode, 1);
  self->kind = kind;
  self->role = role;
  self->data = g_strdup (data);

  return self;
}

PsLabelBarcode *
ps_label_barcode_copy (const PsLabelBarcode *self)
{
  PsLabelBarcode *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_label_barcode_new (self->kind, self->role, self->data);
  copy->primary = g_strdup (self->primary);
  copy->mode = self->mode;

  return copy;
}

void
ps_label_barcode_free (PsLabelBarcode *self)
{
  if (self == NULL)
    return;

  g_free (self->data);
  g_free (self->primary);
  g_free (self);
}

/* ISO 3166-1 numeric codes for the countries MaxiCode and the FedEx
 * message name most often; others get MaxiCode mode 4 (no primary). */
static const struct { const char *alpha2; const char *numeric; } countries[] = {
  { "AT", "040" }, { "AU", "036" }, { "BE", "056" }, { "CA", "124" }, { "CH", "756" },
  { "CN", "156" }, { "DE", "276" }, { "DK", "208" }, { "ES", "724" }, { "FI", "246" },
  { "FR", "250" }, { "GB", "826" }, { "IE", "372" }, { "IT", "380" }, { "JP", "392" },
  { "MX", "484" }, { "NL", "528" }, { "NO", "578" }, { "NZ", "554" }, { "PL", "616" },
  { "PT", "620" }, { "SE", "752" }, { "US", "840" },
};

static const char *
country_numeric (const char *alpha2)
{
  guint i;

  if (alpha2 == NULL)
    return NULL;

  for (i = 0; i < G_N_ELEMENTS (countries); i++)
    {
      if (g_ascii_strcasecmp (alpha2, countries[i].alpha2) == 0)
        return countries[i].numeric;
    }

  return NULL;
}

static const char *
or_empty (const char *s)
{
  return s != NULL ? s : "";
}

/* Carrier messages are ASCII: drop what is not, and the separators. */
static void
append_ascii (GString    *out,
              const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    {
      if (*s >= 0x20 && *s <= 0x7e)
        g_string_append_c (out, *s);
    }
}

static char *
julian_day (gint64 ship_date)
{
  g_autoptr(GDateTime) dt = NULL;

  dt = g_date_time_new_from_unix_utc (ship_date > 0 ? ship_date : 0);
  return g_strdup_printf ("%03d", g_date_time_get_day_of_year (dt));
}

static const char *
service_code (const PsLabelSpec *spec)
{
  const char *code = spec->service_code;

  if (code != NULL && strlen (code) == 3 && g_ascii_isdigit (code[0])
      && g_ascii_isdigit (code[1]) && g_ascii_isdigit (code[2]))
    return code;

  return "000";
}

/* The ISO 15434 "[)>" message shared by the UPS MaxiCode and FedEx PDF417
 * symbols: format 01, then fields separated by GS, ended by RS EOT. */
static char *
carrier_message (const PsLabelSpec *spec,
                 const char        *format_header,
                 const char        *scac,
                 gboolean           with_street)
{
  const PsAddress *to = spec->ship_to;
  g_autofree char *julian = julian_day (spec->ship_date);
  GString *m = g_string_new ("[)>\x1e" "01\x1d");
  const char *account = spec->shipper_account;

  g_string_append (m, format_header);
  append_ascii (m, spec->tracking_number);
  g_string_append_c (m, '\x1d');
  g_string_append (m, scac);
  g_string_append_c (m, '\x1d');
  if (account == NULL && g_str_equal (scac, "UPSN") && strlen (spec->tracking_number) >= 8)
    g_string_append_len (m, spec->tracking_number + 2, 6);
  else
    append_ascii (m, account);
  g_string_append_c (m, '\x1d');
  g_string_append (m, julian);
  g_string_append (m, "\x1d\x1d" "1/1\x1d");
  g_string_append_printf (m, "%" G_GINT64_FORMAT, MAX ((spec->weight_grams * 100 + 45358) / 45359, 1));
  g_string_append (m, "\x1dN\x1d");
  if (with_street)
    {
      append_ascii (m, to->line1);
      g_string_append_c (m, '\x1d');
    }
  append_ascii (m, to->city);
  g_string_append_c (m, '\x1d');
  append_ascii (m, to->state);
  g_string_append (m, "\x1e\x04");

  return g_string_free (m, FALSE);
}

static PsLabelBarcode *
maxicode_for (const PsLabelSpec *spec)
{
  const PsAddress *to = spec->ship_to;
  const char *country = country_numeric (to->country);
  g_autofree char *zip = _ps_label_us_zip (to->postcode);
  g_autofree char *message = carrier_message (spec, "96", "UPSN", FALSE);
  PsLabelBarcode *bc = ps_label_barcode_new (PS_BARCODE_MAXICODE, PS_BARCODE_ROLE_CARRIER_2D, message);

  if (zip != NULL && g_strcmp0 (country, "840") == 0)
    {
      bc->mode = 2;
      bc->primary = g_strdup_printf ("%s%s840%s", zip, strlen (zip) == 5 ? "0000" : "",
                                     service_code (spec));
    }
  else if (country != NULL && to->postcode != NULL)
    {
      GString *post = g_string_new (NULL);
      const char *p;

      for (p = to->postcode; *p != '\0' && post->len < 6; p++)
        {
          if (g_ascii_isalnum (*p))
            g_string_append_c (post, g_ascii_toupper (*p));
        }
      while (post->len < 6)
        g_string_append_c (post, ' ');

      bc->mode = 3;
      bc->primary = g_strdup_printf ("%s%s%s", post->str, country, service_code (spec));
      g_string_free (post, TRUE);
    }
  else
    {
      bc->mode = 4;
    }

  return bc;
}

static PsLabelBarcode *
pdf417_for (const PsLabelSpec *spec)
{
  const PsAddress *to = spec->ship_to;
  const char *country = country_numeric (to->country);
  g_autofree char *message = NULL;
  GString *header = g_string_new ("02");

  append_ascii (header, to->postcode);
  g_string_append_c (header, '\x1d');
  g_string_append (header, country != NULL ? country : "000");
  g_string_append_c (header, '\x1d');
  g_string_append (header, service_code (spec));
  g_string_append_c (header, '\x1d');

  message = carrier_message (spec, header->str, "FDEG", TRUE);
  g_string_free (header, TRUE);

  return ps_label_barcode_new (PS_BARCODE_PDF417, PS_BARCODE_ROLE_CARRIER_2D, message);
}

/**
 * ps_label_spec_dup_barcodes:
 * @spec: a #PsLabelSpec
 * @error: return location for a #PS_LABEL_ERROR_INVALID
 *
 * The barcodes @spec's style calls for, in drawing order: the carrier 2D
 * symbol or routing barcode first, the tracking barcode last.
 *
 * - USPS: GS1-128 "[420]" + ZIP or ZIP+4 (routing), and the IMpb: GS1-128
 *   "[420]" + the 5-digit ZIP + "[9x]" + the rest of the tracking number
 *   (its first two digits are the channel AI 92–95).
 * - UPS: MaxiCode (mode 2 for US ZIPs, 3 for other known countries, 4
 *   otherwise) with "[)>␞01␝96" + tracking + "␝UPSN␝" + shipper + "␝" +
 *   julian day + "␝␝1/1␝" + pounds + "␝N␝" + city + "␝" +
 *   state + "␞␄" (no street: MaxiCode holds about 90 characters); Code 128 of the tracking number.
 * - FedEx: PDF417 with "[)>␞01␝02" + postcode + "␝" + country + "␝" +
 *   class + "␝" and the same fields with "FDEG" and the street before the
 *   city; Code 128 of the tracking
 *   number.
 * - Generic: DataMatrix "ORD:" + order number + ";TRK:" + tracking +
 *   ";TO:" + country + " " + postcode; Code 128 of the tracking number.
 *
 * Returns: (transfer full) (element-type PsLabelBarcode): the barcodes, or
 *   %NULL if @spec does not validate.
 */
GPtrArray *
ps_label_spec_dup_barcodes (const PsLabelSpec  *spec,
                            GError            **error)
{
  g_autoptr(GPtrArray) out = NULL;
  const char *trk;

  g_return_val_if_fail (spec != NULL, NULL);

  if (!ps_label_spec_validate (spec, error))
    return NULL;

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_label_barcode_free);
  trk = spec->tracking_number;

  switch (spec->style)
    {
    case PS_LABEL_STYLE_USPS:
      {
        g_autofree char *zip = _ps_label_us_zip (spec->ship_to->postcode);
        g_autofree char *routing = g_strdup_printf ("[420]%s", zip);
        g_autofree char *impb = g_strdup_printf ("[420]%.5s[%.2s]%s", zip, trk, trk + 2);

        g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_GS1_128, PS_BARCODE_ROLE_ROUTING,
                                                    routing));
        g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_GS1_128, PS_BARCODE_ROLE_TRACKING,
                                                    impb));
      }
      break;

    case PS_LABEL_STYLE_UPS:
      g_ptr_array_add (out, maxicode_for (spec));
      g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_CODE128, PS_BARCODE_ROLE_TRACKING, trk));
      break;

    case PS_LABEL_STYLE_FEDEX:
      g_ptr_array_add (out, pdf417_for (spec));
      g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_CODE128, PS_BARCODE_ROLE_TRACKING, trk));
      break;

    case PS_LABEL_STYLE_GENERIC:
    default:
      {
        g_autofree char *dm = g_strdup_printf ("ORD:%s;TRK:%s;TO:%s %s",
                                               or_empty (spec->order_number), trk,
                                               spec->ship_to->country,
                                               or_empty (spec->ship_to->postcode));

        g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_DATAMATRIX,
                                                    PS_BARCODE_ROLE_CARRIER_2D, dm));
        g_ptr_array_add (out, ps_label_barcode_new (PS_BARCODE_CODE128, PS_BARCODE_ROLE_TRACKING, trk));
      }
      break;
    }

  return g_steal_pointer (&out);
}

static const char *
kind_name (PsBarcodeKind kind)
{
  switch (kind)
    {
    case PS_BARCODE_CODE128: return "Code 128";
    case PS_BARCODE_GS1_128: return "GS1-128";
    case PS_BARCODE_DATAMATRIX: return "DataMatrix";
    case PS_BARCODE_PDF417: return "PDF417";
    case PS_BARCODE_MAXICODE: return "MaxiCode";
    default: return "barcode";
    }
}

/* Makes @self's vector: libzint's ZBarcode_Buffer_Vector() of the symbol
 * encoded already, as ZBarcode_Encode_and_Buffer_Vector() would. */
static gboolean
ensure_vector (PsBarcodeSymbol  *self,
               GError          **error)
{
  struct zint_symbol *s = self->zint;
  int rc;

  if (s->vector != NULL)
    return TRUE;

  rc = ZBarcode_Buffer_Vector (s, 0);
  if (rc >= ZINT_ERROR || s->vector == NULL)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_BARCODE,
                   "The %s barcode cannot be drawn: %s", kind_name (self->kind), s->errtxt);
      return FALSE;
    }

  return TRUE;
}

/**
 * ps_barcode_symbol_encode:
 * @barcode: what to encode
 * @height_modules: the bar height of a linear symbol in modules (ignored
 *   by 2D symbols, whose height follows from the data)
 * @error: return location for a #PS_LABEL_ERROR_BARCODE naming the symbol
 *   and libzint's reason
 *
 * Encodes @barcode with libzint at one vector unit per module, with the
 * symbology's quiet zones and without human-readable text (the renderer
 * draws its own). The vector is made when the symbol is first drawn, or
 * now when this thread has not yet seen a symbol of the same size.
 *
 * Returns: (transfer full) (nullable): the symbol.
 */
PsBarcodeSymbol *
ps_barcode_symbol_encode (const PsLabelBarcode  *barcode,
                          double                 height_modules,
                          GError               **error)
{
  g_autoptr(PsBarcodeSymbol) self = NULL;
  struct zint_symbol *s;
  SizeCache *cache;
  SizeKey key;
  SizeEntry *entry;
  int rc;

  g_return_val_if_fail (barcode != NULL, NULL);

  self = g_new0 (PsBarcodeSymbol, 1);
  self->zint = s = ZBarcode_Create ();
  if (s == NULL)
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_BARCODE,
                           "libzint could not allocate a symbol");
      return NULL;
    }

  s->scale = 0.5f;
  s->show_hrt = 0;
  s->output_options = BARCODE_QUIET_ZONES;
  s->input_mode = UNICODE_MODE;

  switch (barcode->kind)
    {
    case PS_BARCODE_CODE128:
      s->symbology = BARCODE_CODE128;
      s->height = (float) height_modules;
      break;

    case PS_BARCODE_GS1_128:
      s->symbology = BARCODE_GS1_128;
      s->input_mode = GS1_MODE;
      s->height = (float) height_modules;
      break;

    case PS_BARCODE_DATAMATRIX:
      s->symbology = BARCODE_DATAMATRIX;
      s->option_3 = DM_SQUARE;
      break;

    case PS_BARCODE_PDF417:
      s->symbology = BARCODE_PDF417;
      s->input_mode = DATA_MODE;
      s->option_1 = 3;  /* error correction level */
      s->option_2 = 8;  /* data columns */
      break;

    case PS_BARCODE_MAXICODE:
      s->symbology = BARCODE_MAXICODE;
      s->input_mode = DATA_MODE;
      s->option_1 = barcode->mode != 0 ? barcode->mode : 4;
      if (barcode->primary != NULL)
        g_strlcpy (s->primary, barcode->primary, sizeof s->primary);
      break;

    default:
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_BARCODE,
                   "Barcode kind %d is not supported", (int) barcode->kind);
      return NULL;
    }

  self->kind = barcode->kind;
  rc = ZBarcode_Encode (s, (const unsigned char *) barcode->data, (int) strlen (barcode->data));
  if (rc >= ZINT_ERROR)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_BARCODE,
                   "The %s barcode cannot encode “%s”: %s", kind_name (barcode->kind),
                   barcode->data, s->errtxt);
      return NULL;
    }

  cache = size_cache_get ();
  if (cache->disabled)
    {
      if (!ensure_vector (self, error))
        return NULL;
      self->width = s->vector->width;
      self->height = s->vector->height;
      self->hexagonal = s->vector->hexagons != NULL;
      return g_steal_pointer (&self);
    }

  size_key_init (&key, barcode, s);
  entry = g_hash_table_lookup (cache->sizes, &key);
  if (entry != NULL)
    {
      cache->hits++;
    }
  else
    {
      if (!ensure_vector (self, error))
        return NULL;

      cache->misses++;
      if (g_hash_table_size (cache->sizes) >= SIZE_CACHE_MAX)
        g_hash_table_remove_all (cache->sizes);
      entry = g_new0 (SizeEntry, 1);
      entry->key = key;
      entry->width = s->vector->width;
      entry->height = s->vector->height;
      entry->hexagonal = s->vector->hexagons != NULL;
      g_hash_table_insert (cache->sizes, &entry->key, entry);
    }

  self->width = entry->width;
  self->height = entry->height;
  self->hexagonal = entry->hexagonal;

  return g_steal_pointer (&self);
}

void
ps_barcode_symbol_free (PsBarcodeSymbol *self)
{
  if (self == NULL)
    return;

  if (self->zint != NULL)
    ZBarcode_Delete (self->zint);
  g_free (self);
}

/**
 * ps_barcode_symbol_get_size:
 * @self: a symbol
 * @width_modules: (out) (optional): the width with quiet zones
 * @height_modules: (out) (optional): the height with quiet zones
 */
void
ps_barcode_symbol_get_size (PsBarcodeSymbol *self,
                            double          *width_modules,
                            double          *height_modules)
{
  g_return_if_fail (self != NULL);

  if (width_modules != NULL)
    *width_modules = self->width;
  if (height_modules != NULL)
    *height_modules = self->height;
}

/**
 * ps_barcode_symbol_is_hexagonal:
 * @self: a symbol
 *
 * Returns: %TRUE for MaxiCode, whose modules are hexagons that cannot sit
 *   on a square dot grid.
 */
gboolean
ps_barcode_symbol_is_hexagonal (PsBarcodeSymbol *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->hexagonal;
}

/**
 * ps_barcode_symbol_draw:
 * @self: a symbol
 * @cr: where to draw
 * @x: the left edge of the quiet zone, in @cr's user units
 * @y: the top edge
 * @module: the size of one module in user units
 *
 * Paints the symbol's area (quiet zones included) white and its bars or
 * modules black. Rectangles land at @x, @y plus whole multiples of
 * @module, so with both on the printer's dot grid every bar is whole dots.
 */
void
ps_barcode_symbol_draw (PsBarcodeSymbol *self,
                        cairo_t         *cr,
                        double           x,
                        double           y,
                        double           module)
{
  struct zint_vector *v;
  struct zint_vector_rect *r;
  struct zint_vector_hexagon *h;
  struct zint_vector_circle *c;

  g_autoptr(GError) error = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);

  if (!ensure_vector (self, &error))
    {
      /* Only when libzint runs out of memory: the encoding succeeded. */
      g_warning ("%s", error->message);
      return;
    }

  v = self->zint->vector;

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, v->width * module, v->height * module);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (r = v->rectangles; r != NULL; r = r->next)
    cairo_rectangle (cr, x + r->x * module, y + r->y * module, r->width * module,
                     r->height * module);
  cairo_fill (cr);

  if (v->hexagons != NULL || v->circles != NULL)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_DEFAULT);

  for (h = v->hexagons; h != NULL; h = h->next)
    {
      double cx = x + h->x * module;
      double cy = y + h->y * module;
      double radius = h->diameter * module / 2.0;
      int i;

      /* zint's hexagons at rotation 0 have a vertex at the top. */
      for (i = 0; i < 6; i++)
        {
          double a = G_PI / 2.0 + i * G_PI / 3.0 + h->rotation * G_PI / 180.0;

          if (i == 0)
            cairo_move_to (cr, cx + radius * cos (a), cy - radius * sin (a));
          else
            cairo_line_to (cr, cx + radius * cos (a), cy - radius * sin (a));
        }
      cairo_close_path (cr);
    }
  cairo_fill (cr);

  for (c = v->circles; c != NULL; c = c->next)
    {
      if (c->colour != 0)
        cairo_set_source_rgb (cr, 1, 1, 1);
      else
        cairo_set_source_rgb (cr, 0, 0, 0);

      cairo_new_sub_path (cr);
      cairo_arc (cr, x + c->x * module, y + c->y * module, c->diameter * module / 2.0, 0, 2 * G_PI);
      if (c->width > 0)
        {
          cairo_set_line_width (cr, c->width * module);
          cairo_stroke (cr);
        }
      else
        {
          cairo_fill (cr);
        }
    }

  cairo_restore (cr);
}
