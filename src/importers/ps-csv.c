/* ps-csv.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A streaming CSV reader on top of libcsv. The file is never held in
 * memory: it is read in PS_CSV_CHUNK_SIZE chunks, each chunk is handed to
 * csv_parse(), and the cells of the rows that chunk completes are copied
 * into one reusable buffer (no allocation per cell). Rows are handed out
 * from that buffer one at a time; when they are used up, the cells of a
 * row still in progress are moved to the front and the next chunk is
 * parsed.
 *
 * Before any of that, the first chunk of raw bytes decides what the file
 * is: binary (magic numbers, NUL bytes that are not UTF-16), its encoding
 * (a BOM, then valid UTF-8, then uchardet) and, on the first chunk of
 * decoded text, the delimiter.
 *
 * Physical line numbers are kept by counting row terminators (libcsv with
 * CSV_REPALL_NL reports every CR and LF, so blank lines count too) plus the
 * line breaks inside quoted cells.
 */

#define G_LOG_DOMAIN "ps-csv"

#include "config.h"

#include <string.h>

#include <csv.h>
#include <uchardet/uchardet.h>

#include "ps-csv.h"
#include "ps-import-format.h"
#include "ps-import-reader.h"

/* A cell or row larger than this is not an order export: it is a quote
 * that never closes. Stop rather than eat the machine's memory. */
#define MAX_BUFFER_SIZE (64 * 1024 * 1024)

/* How many non-blank rows may come before the header (eBay preamble),
 * and how many short rows a footer may have: more are data, and are not
 * held back in memory. */
#define MAX_PREAMBLE_ROWS 20
#define MAX_FOOTER_ROWS 20

typedef struct
{
  guint line;
  guint first_cell;
  guint n_cells;
} RowSpan;

typedef struct
{
  guint   line;
  guint   n_cells;
  char  **cells;
} SavedRow;

struct _PsCsv
{
  GInputStream       *input;        /* decoded bytes come from here */
  char               *encoding;
  char                delimiter;
  gboolean            skip_footer;

  struct csv_parser   parser;
  gboolean            parser_ready;
  gboolean            eof;

  /* Reading */
  char               *chunk;        /* PS_CSV_CHUNK_SIZE bytes */
  char                carry[4];     /* an incomplete UTF-8 sequence */
  gsize               carry_len;
  char               *first_text;   /* the first decoded chunk, not parsed yet */
  gsize               first_len;

  /* Completed rows of the current chunk and the row in progress */
  char               *buf;
  gsize               buf_len;
  gsize               buf_alloc;
  GArray             *cell_offsets; /* gsize into buf */
  GArray             *rows;         /* RowSpan */
  guint               queue_pos;
  gboolean            in_row;
  guint               row_line;
  guint               row_first_cell;
  guint               line;         /* physical line at the parse position */
  int                 last_term;
  gboolean            first_cell;
  gboolean            too_big;

  /* What ps_csv_next() returned */
  GPtrArray          *cellv;
  PsCsvRow            out;
  gboolean            replay;
  gboolean            held;         /* the queue row waits behind @pending */
  GPtrArray          *pending;      /* SavedRow: rows that look like a footer */
  guint               pending_pos;
  SavedRow           *returned;     /* a pending row handed out last */
};

static void
saved_row_free (SavedRow *row)
{
  if (row == NULL)
    return;
  g_strfreev (row->cells);
  g_free (row);
}

static SavedRow *
saved_row_new (const PsCsvRow *row)
{
  SavedRow *saved = g_new0 (SavedRow, 1);
  guint i;

  saved->line = row->line;
  saved->n_cells = row->n_cells;
  saved->cells = g_new (char *, row->n_cells + 1);
  for (i = 0; i < row->n_cells; i++)
    saved->cells[i] = g_strdup (row->cells[i]);
  saved->cells[row->n_cells] = NULL;

  return saved;
}

/* Encoding and binary detection */

typedef struct
{
  const char *magic;
  gsize       len;
} Magic;

static const Magic magics[] = {
  { "PK\003\004", 4 },                       /* zip: .xlsx, .ods, .numbers */
  { "PK\005\006", 4 },                       /* empty zip */
  { "%PDF", 4 },
  { "\211PNG\r\n\032\n", 8 },
  { "\377\330\377", 3 },                     /* JPEG */
  { "GIF8", 4 },
  { "\320\317\021\340\241\261\032\341", 8 }, /* OLE: legacy .xls */
  { "\037\213", 2 },                         /* gzip */
  { "SQLite format 3", 16 },                 /* includes the NUL */
};

static gboolean
has_magic (const guchar *data,
           gsize         len)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (magics); i++)
    {
      if (len >= magics[i].len && memcmp (data, magics[i].magic, magics[i].len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* UTF-16 without a BOM: text in Latin script has a NUL in almost every
 * other byte and almost none in the others. Returns the charset or NULL. */
static const char *
guess_utf16 (const guchar *data,
             gsize         len)
{
  gsize zero_even = 0;
  gsize zero_odd = 0;
  gsize pairs = len / 2;
  gsize i;

  if (pairs < 2)
    return NULL;

  for (i = 0; i + 1 < len; i += 2)
    {
      zero_even += data[i] == 0;
      zero_odd += data[i + 1] == 0;
    }

  if (zero_odd * 10 >= pairs * 7 && zero_even * 20 <= pairs)
    return "UTF-16LE";
  if (zero_even * 10 >= pairs * 7 && zero_odd * 20 <= pairs)
    return "UTF-16BE";

  return NULL;
}

/* The number of bytes at the end of @s that start a UTF-8 sequence the
 * next chunk completes. */
static gsize
incomplete_tail (const char *s,
                 gsize       len)
{
  gsize i;

  for (i = 1; i <= 3 && i <= len; i++)
    {
      guchar c = (guchar) s[len - i];
      gsize need;

      if ((c & 0xC0) == 0x80)
        continue;
      if (c < 0xC0)
        return 0;
      need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      return need > i ? i : 0;
    }

  return 0;
}

static char *
detect_charset (const guchar *data,
                gsize         len,
                gboolean      complete)
{
  gsize check_len = complete ? len : len - incomplete_tail ((const char *) data, len);
  uchardet_t ud;
  const char *found;
  char *charset;

  if (g_utf8_validate ((const char *) data, check_len, NULL))
    return g_strdup ("UTF-8");

  ud = uchardet_new ();
  uchardet_handle_data (ud, (const char *) data, len);
  uchardet_data_end (ud);
  found = uchardet_get_charset (ud);

  /* uchardet says ASCII or UTF-8 only when it saw too little to decide;
   * ISO-8859-1 is read as its superset, because exports written on
   * Windows that say Latin-1 are Windows-1252 (curly quotes, €). */
  if (found == NULL || *found == '\0' || g_ascii_strcasecmp (found, "ASCII") == 0 ||
      g_ascii_strcasecmp (found, "UTF-8") == 0 || g_ascii_strcasecmp (found, "ISO-8859-1") == 0 ||
      g_ascii_strncasecmp (found, "UTF-16", 6) == 0 || g_ascii_strncasecmp (found, "UTF-32", 6) == 0)
    charset = g_strdup ("WINDOWS-1252");
  else
    charset = g_ascii_strup (found, -1);

  uchardet_delete (ud);

  g_debug ("Encoding detected as %s", charset);

  return charset;
}

/* Delimiter sniffing */

/* For each delimiter, count its occurrences outside quotes on each of the
 * first lines. The delimiter whose most common count (the header and data
 * rows agree) is shared by the most lines wins; preamble lines and decimal
 * commas in a semicolon file do not change that. */
static char
sniff_delimiter (const char *text,
                 gsize       len,
                 gboolean    complete)
{
  static const char candidates[] = { ',', ';', '\t' };
  enum { MAX_LINES = 40 };
  guint counts[G_N_ELEMENTS (candidates)][MAX_LINES];
  guint n_lines = 0;
  guint line_counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  gboolean blank = TRUE;
  char best = ',';
  guint best_freq = 0;
  guint best_mode = 0;
  gsize i;
  guint c;

  /* Excel's explicit "sep=;" line. */
  if (len >= 5 && g_ascii_strncasecmp (text, "sep=", 4) == 0 &&
      (len == 5 || text[5] == '\r' || text[5] == '\n'))
    return text[4];

  for (i = 0; i < len && n_lines < MAX_LINES; i++)
    {
      char ch = text[i];

      if (ch == '"')
        {
          quoted = !quoted;
          blank = FALSE;
        }
      else if (!quoted && (ch == '\n' || ch == '\r'))
        {
          if (!blank)
            {
              for (c = 0; c < G_N_ELEMENTS (candidates); c++)
                counts[c][n_lines] = line_counts[c];
              n_lines++;
            }
          memset (line_counts, 0, sizeof line_counts);
          blank = TRUE;
        }
      else if (!quoted)
        {
          for (c = 0; c < G_N_ELEMENTS (candidates); c++)
            {
              if (ch == candidates[c])
                line_counts[c]++;
            }
          if (ch != ' ')
            blank = FALSE;
        }
    }

  /* The last line counts only if the text ends there. */
  if (complete && !blank && n_lines < MAX_LINES)
    {
      for (c = 0; c < G_N_ELEMENTS (candidates); c++)
        counts[c][n_lines] = line_counts[c];
      n_lines++;
    }

  for (c = 0; c < G_N_ELEMENTS (candidates); c++)
    {
      guint mode = 0;
      guint freq = 0;
      guint a, b;

      for (a = 0; a < n_lines; a++)
        {
          guint f = 0;

          if (counts[c][a] == 0)
            continue;
          for (b = 0; b < n_lines; b++)
            f += counts[c][b] == counts[c][a];
          if (f > freq || (f == freq && counts[c][a] > mode))
            {
              freq = f;
              mode = counts[c][a];
            }
        }

      if (freq > best_freq || (freq == best_freq && mode > best_mode))
        {
          best = candidates[c];
          best_freq = freq;
          best_mode = mode;
        }
    }

  return best;
}

/* libcsv callbacks */

static guint
count_breaks (const char *s,
              gsize       len)
{
  const char *end = s + len;
  const char *p;
  guint n = 0;

  for (p = s; (p = memchr (p, '\n', end - p)) != NULL; p++)
    n++;
  for (p = s; (p = memchr (p, '\r', end - p)) != NULL; p++)
    {
      if (p + 1 == end || p[1] != '\n')
        n++;
    }

  return n;
}

static void
on_field_cb (void   *data,
             size_t  len,
             void   *user_data)
{
  PsCsv *self = user_data;
  const char *s = data;
  gsize offset;

  if (self->too_big)
    return;

  if (!self->in_row)
    {
      self->in_row = TRUE;
      self->row_line = self->line;
      self->row_first_cell = self->cell_offsets->len;
    }

  if (self->first_cell)
    {
      self->first_cell = FALSE;
      if (len >= 3 && memcmp (s, "\357\273\277", 3) == 0)
        {
          s += 3;
          len -= 3;
        }
    }

  if (len > 0)
    self->line += count_breaks (s, len);

  if (self->buf_len + len + 1 > self->buf_alloc)
    {
      if (self->buf_len + len + 1 > MAX_BUFFER_SIZE)
        {
          self->too_big = TRUE;
          return;
        }
      while (self->buf_len + len + 1 > self->buf_alloc)
        self->buf_alloc *= 2;
      self->buf = g_realloc (self->buf, self->buf_alloc);
    }

  offset = self->buf_len;
  if (len > 0)
    memcpy (self->buf + offset, s, len);
  self->buf[offset + len] = '\0';
  self->buf_len += len + 1;
  g_array_append_val (self->cell_offsets, offset);
}

static void
on_row_cb (int   c,
           void *user_data)
{
  PsCsv *self = user_data;

  if (self->too_big)
    return;

  if (self->in_row)
    {
      RowSpan span;

      span.line = self->row_line;
      span.first_cell = self->row_first_cell;
      span.n_cells = self->cell_offsets->len - self->row_first_cell;
      g_array_append_val (self->rows, span);
      self->in_row = FALSE;
    }
  else if (c == '\n' && self->last_term == '\r')
    {
      /* The LF of a CRLF: the CR already ended the line. */
      self->last_term = c;
      return;
    }

  if (c == '\n' || c == '\r')
    self->line++;
  self->last_term = c;
}

/* Reading */

static gboolean
set_read_error (GError **error,
                GError  *io_error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, io_error);
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
           g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_ENCODING,
                   "Cannot convert the file to UTF-8: %s", io_error->message);
      g_error_free (io_error);
    }
  else
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ,
                   "Cannot read the file: %s", io_error->message);
      g_error_free (io_error);
    }

  return FALSE;
}

/* Reads the next chunk of decoded text into *text (valid UTF-8: bytes that
 * are not are replaced with U+FFFD). *repaired is set when *text had to be
 * allocated. *len is 0 at the end of the file. */
static gboolean
read_text (PsCsv         *self,
           const char   **text,
           gsize         *len,
           char         **repaired,
           GCancellable  *cancellable,
           GError       **error)
{
  GError *local_error = NULL;
  gsize n = 0;
  gsize total;
  gsize tail = 0;

  *repaired = NULL;

  memcpy (self->chunk, self->carry, self->carry_len);
  if (!g_input_stream_read_all (self->input, self->chunk + self->carry_len,
                                PS_CSV_CHUNK_SIZE - self->carry_len, &n,
                                cancellable, &local_error))
    return set_read_error (error, local_error);

  total = self->carry_len + n;
  if (n > 0)
    tail = incomplete_tail (self->chunk, total);
  self->carry_len = tail;
  memcpy (self->carry, self->chunk + total - tail, tail);
  total -= tail;

  *text = self->chunk;
  *len = total;

  if (!g_utf8_validate_len (self->chunk, total, NULL))
    {
      *repaired = g_utf8_make_valid (self->chunk, total);
      *text = *repaired;
      *len = strlen (*repaired);
    }

  return TRUE;
}

/* Parses chunks until at least one row is complete or the file ends. */
static gboolean
fill_queue (PsCsv         *self,
            GCancellable  *cancellable,
            GError       **error)
{
  g_assert (self->queue_pos >= self->rows->len);

  /* Keep only the row in progress, moved to the front. */
  if (self->in_row)
    {
      gsize base = g_array_index (self->cell_offsets, gsize, self->row_first_cell);
      guint n = self->cell_offsets->len - self->row_first_cell;
      guint i;

      memmove (self->buf, self->buf + base, self->buf_len - base);
      self->buf_len -= base;
      for (i = 0; i < n; i++)
        {
          gsize off = g_array_index (self->cell_offsets, gsize, self->row_first_cell + i);

          g_array_index (self->cell_offsets, gsize, i) = off - base;
        }
      g_array_set_size (self->cell_offsets, n);
      self->row_first_cell = 0;
    }
  else
    {
      self->buf_len = 0;
      g_array_set_size (self->cell_offsets, 0);
    }
  g_array_set_size (self->rows, 0);
  self->queue_pos = 0;

  while (self->rows->len == 0 && !self->eof)
    {
      g_autofree char *repaired = NULL;
      g_autofree char *first = NULL;
      const char *text;
      gsize len;

      if (self->first_text != NULL)
        {
          first = g_steal_pointer (&self->first_text);
          text = first;
          len = self->first_len;
        }
      else if (!read_text (self, &text, &len, &repaired, cancellable, error))
        return FALSE;

      if (len == 0)
        {
          csv_fini (&self->parser, on_field_cb, on_row_cb, self);
          self->eof = TRUE;
        }
      else if (csv_parse (&self->parser, text, len, on_field_cb, on_row_cb, self) != len)
        {
          g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ,
                       "Cannot parse the file: %s",
                       csv_strerror (csv_error (&self->parser)));
          return FALSE;
        }

      if (self->too_big || csv_get_buffer_size (&self->parser) > MAX_BUFFER_SIZE)
        {
          g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ,
                       "A cell near line %u is larger than %d MiB (a quote that never closes?)",
                       self->row_line, MAX_BUFFER_SIZE / (1024 * 1024));
          return FALSE;
        }
    }

  return TRUE;
}

static void
set_out_from_span (PsCsv         *self,
                   const RowSpan *span)
{
  guint i;

  g_ptr_array_set_size (self->cellv, span->n_cells + 1);
  for (i = 0; i < span->n_cells; i++)
    {
      gsize off = g_array_index (self->cell_offsets, gsize, span->first_cell + i);

      self->cellv->pdata[i] = self->buf + off;
    }
  self->cellv->pdata[span->n_cells] = NULL;

  self->out.line = span->line;
  self->out.n_cells = span->n_cells;
  self->out.cells = (const char * const *) self->cellv->pdata;
}

static void
set_out_from_saved (PsCsv    *self,
                    SavedRow *saved)
{
  self->out.line = saved->line;
  self->out.n_cells = saved->n_cells;
  self->out.cells = (const char * const *) saved->cells;
}

static gboolean
row_is_blank (const PsCsvRow *row)
{
  guint i;

  for (i = 0; i < row->n_cells; i++)
    {
      const char *p;

      for (p = row->cells[i]; *p == ' ' || *p == '\t'; p++)
        ;
      if (*p != '\0')
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_footer_like (const PsCsvRow *row)
{
  if (ps_csv_count_non_empty (row) <= 2)
    return TRUE;

  return row->n_cells > 0 && strstr (row->cells[0], "record(s) downloaded") != NULL;
}

/**
 * ps_csv_new:
 * @stream: the file's bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the first PS_CSV_CHUNK_SIZE bytes of @stream to decide the
 * encoding and the delimiter. Fails with %PS_IMPORT_ERROR_EMPTY,
 * %PS_IMPORT_ERROR_BINARY, %PS_IMPORT_ERROR_ENCODING or
 * %PS_IMPORT_ERROR_READ.
 *
 * Returns: (transfer full) (nullable): the reader, positioned before the
 *   first row
 */
PsCsv *
ps_csv_new (GInputStream  *stream,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(PsCsv) self = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  GError *local_error = NULL;
  const guchar *peek;
  gsize avail = 0;
  gsize bom = 0;
  const char *charset = NULL;
  g_autofree char *detected = NULL;
  g_autofree char *repaired = NULL;
  const char *text;
  gsize text_len;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (PsCsv, 1);
  self->chunk = g_malloc (PS_CSV_CHUNK_SIZE);
  self->buf_alloc = PS_CSV_CHUNK_SIZE * 2;
  self->buf = g_malloc (self->buf_alloc);
  self->cell_offsets = g_array_sized_new (FALSE, FALSE, sizeof (gsize), 4096);
  self->rows = g_array_sized_new (FALSE, FALSE, sizeof (RowSpan), 256);
  self->cellv = g_ptr_array_new ();
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) saved_row_free);
  self->line = 1;
  self->first_cell = TRUE;

  buffered = g_buffered_input_stream_new_sized (stream, PS_CSV_CHUNK_SIZE);
  for (;;)
    {
      gssize n;

      g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &avail);
      if (avail >= PS_CSV_CHUNK_SIZE)
        break;
      n = g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered),
                                        PS_CSV_CHUNK_SIZE - avail, cancellable, &local_error);
      if (n < 0)
        {
          set_read_error (error, local_error);
          return NULL;
        }
      if (n == 0)
        break;
    }
  peek = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &avail);

  if (avail == 0)
    {
      g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY, "The file is empty");
      return NULL;
    }

  if (avail >= 3 && memcmp (peek, "\357\273\277", 3) == 0)
    {
      charset = "UTF-8";
      bom = 3;
    }
  else if (avail >= 2 && peek[0] == 0xFF && peek[1] == 0xFE)
    {
      charset = "UTF-16LE";
      bom = 2;
    }
  else if (avail >= 2 && peek[0] == 0xFE && peek[1] == 0xFF)
    {
      charset = "UTF-16BE";
      bom = 2;
    }
  else if (has_magic (peek, avail))
    {
      g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BINARY,
                           "The file is not text (a spreadsheet, an archive or an image)");
      return NULL;
    }
  else if (memchr (peek, '\0', avail) != NULL)
    {
      charset = guess_utf16 (peek, avail);
      if (charset == NULL)
        {
          g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BINARY,
                               "The file is not text (it contains NUL bytes)");
          return NULL;
        }
    }
  else
    {
      detected = detect_charset (peek, avail, avail < PS_CSV_CHUNK_SIZE);
      charset = detected;
    }

  self->encoding = g_strdup (charset);

  if (bom > 0 && g_input_stream_skip (buffered, bom, cancellable, &local_error) < 0)
    {
      set_read_error (error, local_error);
      return NULL;
    }

  if (g_str_equal (charset, "UTF-8"))
    {
      self->input = g_object_ref (buffered);
    }
  else
    {
      g_autoptr(GCharsetConverter) converter = NULL;

      converter = g_charset_converter_new ("UTF-8", charset, &local_error);
      if (converter == NULL)
        {
          g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_ENCODING,
                       "Cannot read text in %s: %s", charset, local_error->message);
          g_error_free (local_error);
          return NULL;
        }
      g_charset_converter_set_use_fallback (converter, TRUE);
      self->input = g_converter_input_stream_new (buffered, G_CONVERTER (converter));
    }

  /* The first decoded chunk: the delimiter is sniffed on it, then it is
   * the first thing parsed. */
  if (!read_text (self, &text, &text_len, &repaired, cancellable, error))
    return NULL;
  self->first_text = g_malloc (text_len + 1);
  memcpy (self->first_text, text, text_len);
  self->first_text[text_len] = '\0';
  self->first_len = text_len;
  self->delimiter = sniff_delimiter (text, text_len, text_len + self->carry_len < PS_CSV_CHUNK_SIZE);

  g_debug ("Reading %s text, delimiter %s", self->encoding,
           self->delimiter == '\t' ? "tab" : self->delimiter == ',' ? "comma" : "other");

  if (csv_init (&self->parser, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
    {
      g_set_error_literal (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ, "Out of memory");
      return NULL;
    }
  self->parser_ready = TRUE;
  /* libcsv's own test for spaces (space and tab) is inlined and checks
   * the delimiter first, so it is right for tab-separated files too. */
  csv_set_delim (&self->parser, (unsigned char) self->delimiter);

  return g_steal_pointer (&self);
}

/**
 * ps_csv_free:
 * @self: (transfer full): a #PsCsv
 *
 * Frees the reader and drops its reference on the stream.
 */
void
ps_csv_free (PsCsv *self)
{
  if (self == NULL)
    return;

  if (self->parser_ready)
    csv_free (&self->parser);
  g_clear_object (&self->input);
  g_free (self->encoding);
  g_free (self->chunk);
  g_free (self->first_text);
  g_free (self->buf);
  g_array_unref (self->cell_offsets);
  g_array_unref (self->rows);
  g_ptr_array_unref (self->cellv);
  g_ptr_array_unref (self->pending);
  g_clear_pointer (&self->returned, saved_row_free);
  g_free (self);
}

/**
 * ps_csv_get_encoding:
 * @self: a #PsCsv
 *
 * Returns: the charset the file is read in ("UTF-8", "WINDOWS-1252",
 *   "UTF-16LE", …)
 */
const char *
ps_csv_get_encoding (PsCsv *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->encoding;
}

/**
 * ps_csv_get_delimiter:
 * @self: a #PsCsv
 *
 * Returns: the cell delimiter: ',', ';', '\t' or what a "sep=" line says
 */
char
ps_csv_get_delimiter (PsCsv *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return self->delimiter;
}

/**
 * ps_csv_set_skip_footer:
 * @self: a #PsCsv
 * @skip_footer: whether to drop a footer
 *
 * With @skip_footer, rows at the end of the file with at most two
 * non-empty cells, or saying "n record(s) downloaded" (eBay), are not
 * returned. Such rows in the middle of the file still are.
 */
void
ps_csv_set_skip_footer (PsCsv    *self,
                        gboolean  skip_footer)
{
  g_return_if_fail (self != NULL);

  self->skip_footer = !!skip_footer;
}

/**
 * ps_csv_count_non_empty:
 * @row: a row
 *
 * Returns: how many cells of @row are not empty
 */
guint
ps_csv_count_non_empty (const PsCsvRow *row)
{
  guint n = 0;
  guint i;

  for (i = 0; i < row->n_cells; i++)
    {
      const char *p;

      for (p = row->cells[i]; *p == ' ' || *p == '\t'; p++)
        ;
      if (*p != '\0')
        n++;
    }

  return n;
}

/**
 * ps_csv_next:
 * @self: a #PsCsv
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Rows whose cells are all empty are skipped.
 *
 * Returns: (transfer none) (nullable): the next row, valid until the next
 *   call on @self; %NULL at the end of the file (@error unset) or on an
 *   error
 */
const PsCsvRow *
ps_csv_next (PsCsv         *self,
             GCancellable  *cancellable,
             GError       **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (self->replay)
    {
      self->replay = FALSE;
      return &self->out;
    }

  g_clear_pointer (&self->returned, saved_row_free);

  for (;;)
    {
      const RowSpan *span;

      if (self->held)
        {
          if (self->pending_pos < self->pending->len)
            {
              SavedRow *saved = g_ptr_array_index (self->pending, self->pending_pos);

              /* Taken rows leave holes; the array is emptied below. */
              g_ptr_array_index (self->pending, self->pending_pos) = NULL;
              self->pending_pos++;
              self->returned = saved;
              set_out_from_saved (self, saved);
              return &self->out;
            }

          g_ptr_array_set_size (self->pending, 0);
          self->pending_pos = 0;
          self->held = FALSE;
          span = &g_array_index (self->rows, RowSpan, self->queue_pos++);
          set_out_from_span (self, span);
          return &self->out;
        }

      if (self->queue_pos >= self->rows->len)
        {
          if (self->eof)
            {
              /* What is left is a footer. */
              g_ptr_array_set_size (self->pending, 0);
              return NULL;
            }
          if (!fill_queue (self, cancellable, error))
            return NULL;
          continue;
        }

      span = &g_array_index (self->rows, RowSpan, self->queue_pos);
      set_out_from_span (self, span);

      if (row_is_blank (&self->out))
        {
          self->queue_pos++;
          continue;
        }

      if (self->skip_footer && self->pending->len < MAX_FOOTER_ROWS && is_footer_like (&self->out))
        {
          g_ptr_array_add (self->pending, saved_row_new (&self->out));
          self->queue_pos++;
          continue;
        }

      if (self->pending->len > 0)
        {
          self->held = TRUE;
          continue;
        }

      self->queue_pos++;
      return &self->out;
    }
}

/**
 * ps_csv_unread:
 * @self: a #PsCsv
 *
 * Makes the next ps_csv_next() return the row the last one returned
 * again. Only one row can be pushed back.
 */
void
ps_csv_unread (PsCsv *self)
{
  g_return_if_fail (self != NULL);

  self->replay = TRUE;
}

/**
 * ps_csv_read_header:
 * @self: a #PsCsv
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Skips blank lines and a preamble (rows that ps_import_format_detect()
 * does not take for a header: eBay's "sep=," line and notes) and returns
 * the header row. If no row within the first few looks like a header, the
 * first non-blank row is returned.
 *
 * Returns: (transfer none) (nullable): the header, valid until the next
 *   call on @self; %NULL with @error unset if the file has no non-blank row
 */
const PsCsvRow *
ps_csv_read_header (PsCsv         *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  SavedRow *first = NULL;
  guint n;

  g_return_val_if_fail (self != NULL, NULL);

  for (n = 0; n < MAX_PREAMBLE_ROWS; n++)
    {
      GError *local_error = NULL;
      const PsCsvRow *row = ps_csv_next (self, cancellable, &local_error);

      if (local_error != NULL)
        {
          saved_row_free (first);
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (row == NULL)
        break;

      if (ps_import_format_detect (row->cells, row->n_cells) != PS_IMPORT_FORMAT_AUTO)
        {
          if (first != NULL)
            saved_row_free (first);
          return row;
        }

      if (first == NULL)
        first = saved_row_new (row);
    }

  if (first == NULL)
    return NULL;

  /* No header: hand out the first row; the caller will find no dialect. */
  g_clear_pointer (&self->returned, saved_row_free);
  self->returned = first;
  set_out_from_saved (self, first);

  return &self->out;
}
