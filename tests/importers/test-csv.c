/* test-csv.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The streaming CSV reader: RFC 4180 details, encodings, binary files,
 * delimiters, preamble and footer, line numbers, files larger than a chunk.
 */

#define G_LOG_DOMAIN "test-csv"

#include "config.h"

#include <string.h>

#include "ps-csv.h"
#include "ps-import-reader.h"
#include "ps-import-reader-private.h"

static PsCsv *
csv_for_bytes (const char  *data,
               gssize       len,
               GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (len < 0)
    len = strlen (data);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);

  return ps_csv_new (stream, NULL, error);
}

static PsCsv *
csv_for_string (const char *data)
{
  g_autoptr(GError) error = NULL;
  PsCsv *csv = csv_for_bytes (data, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (csv);

  return csv;
}

/* Reads every row as "line:cell|cell|…" lines, for compact comparisons. */
static char *
dump_rows (PsCsv *csv)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const PsCsvRow *row;

  while ((row = ps_csv_next (csv, NULL, &error)) != NULL)
    {
      guint i;

      g_string_append_printf (out, "%u:", row->line);
      for (i = 0; i < row->n_cells; i++)
        {
          if (i > 0)
            g_string_append_c (out, '|');
          g_string_append (out, row->cells[i]);
        }
      g_assert_null (row->cells[row->n_cells]);
      g_string_append_c (out, '\n');
    }
  g_assert_no_error (error);

  return g_string_free (out, FALSE);
}

static char *
dump_string (const char *data)
{
  g_autoptr(PsCsv) csv = csv_for_string (data);

  return dump_rows (csv);
}

static void
test_quoted_newlines (void)
{
  g_autofree char *rows = dump_string ("a,b\n\"x\ny\nz\",2\n3,\"4\"\n");

  g_assert_cmpstr (rows, ==, "1:a|b\n2:x\ny\nz|2\n5:3|4\n");
}

static void
test_doubled_quotes (void)
{
  g_autofree char *rows = dump_string ("\"He said \"\"hi\"\"\",x\n\"\"\"\",\"\"\n");

  g_assert_cmpstr (rows, ==, "1:He said \"hi\"|x\n2:\"|\n");
}

static void
test_crlf (void)
{
  g_autofree char *rows = dump_string ("a,b\r\nc,\"d\r\ne\"\r\n\r\nf,g");

  /* The CRLF inside the quotes is kept; the blank line still counts. */
  g_assert_cmpstr (rows, ==, "1:a|b\n2:c|d\r\ne\n5:f|g\n");
}

static void
test_blank_rows (void)
{
  g_autofree char *rows = dump_string ("\n\na,b\n,\n  \n\nc,d\n");

  g_assert_cmpstr (rows, ==, "3:a|b\n7:c|d\n");
}

static void
test_bom (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("\357\273\277Name,Email\n#1,a@example.com\n");
  g_autofree char *rows = NULL;

  g_assert_cmpstr (ps_csv_get_encoding (csv), ==, "UTF-8");
  rows = dump_rows (csv);
  g_assert_cmpstr (rows, ==, "1:Name|Email\n2:#1|a@example.com\n");
}

static void
test_double_bom (void)
{
  /* A file saved twice by a tool that adds a BOM each time. */
  g_autofree char *rows = dump_string ("\357\273\277\357\273\277Name,Email\n");

  g_assert_cmpstr (rows, ==, "1:Name|Email\n");
}

static void
test_semicolon (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("Order;Price;Note\n1;12,50;\"a;b\"\n2;3,00;x,y,z\n");
  g_autofree char *rows = NULL;

  g_assert_cmpint (ps_csv_get_delimiter (csv), ==, ';');
  rows = dump_rows (csv);
  g_assert_cmpstr (rows, ==, "1:Order|Price|Note\n2:1|12,50|a;b\n3:2|3,00|x,y,z\n");
}

static void
test_tab (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("order-id\tproduct-name\tqty\n"
                                         "1\tPens, 3 pack, black\t3\n"
                                         "2\tNotebook \"A5\"\t1\n"
                                         "3\t\t\n");
  g_autofree char *rows = NULL;

  g_assert_cmpint (ps_csv_get_delimiter (csv), ==, '\t');
  rows = dump_rows (csv);
  g_assert_cmpstr (rows, ==,
                   "1:order-id|product-name|qty\n"
                   "2:1|Pens, 3 pack, black|3\n"
                   "3:2|Notebook \"A5\"|1\n"
                   "4:3||\n");
}

static void
test_sep_line (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("sep=;\nA;B;C\n1;2;3\n");

  g_assert_cmpint (ps_csv_get_delimiter (csv), ==, ';');
}

static void
test_preamble_and_footer (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("sep=,\n"
                                         "\n"
                                         "Seller ID: shop\n"
                                         "Sales Record Number,Order Number,Buyer Username,Buyer Name,"
                                         "Ship To Name,Ship To Zip,Item Number,Item Title,Quantity,Sold For\n"
                                         "1,12-1,u,Ann,Ann,1,2,Cam,1,$1\n"
                                         "x,,\n"
                                         "2,12-2,u,Bob,Bob,1,2,Lens,1,$2\n"
                                         "\n"
                                         "2 record(s) downloaded,from Jul-01-25 to Jul-31-25\n"
                                         "Seller ID: shop\n");
  g_autoptr(GError) error = NULL;
  const PsCsvRow *header;
  g_autofree char *rows = NULL;

  header = ps_csv_read_header (csv, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (header);
  g_assert_cmpuint (header->line, ==, 4);
  g_assert_cmpstr (header->cells[0], ==, "Sales Record Number");

  ps_csv_set_skip_footer (csv, TRUE);
  rows = dump_rows (csv);
  /* A short row in the middle is data; at the end it is the footer. */
  g_assert_cmpstr (rows, ==,
                   "5:1|12-1|u|Ann|Ann|1|2|Cam|1|$1\n"
                   "6:x||\n"
                   "7:2|12-2|u|Bob|Bob|1|2|Lens|1|$2\n");
}

static void
test_unread (void)
{
  g_autoptr(PsCsv) csv = csv_for_string ("a,b\nc,d\n");
  const PsCsvRow *row;

  row = ps_csv_next (csv, NULL, NULL);
  g_assert_cmpstr (row->cells[0], ==, "a");
  ps_csv_unread (csv);
  row = ps_csv_next (csv, NULL, NULL);
  g_assert_cmpstr (row->cells[0], ==, "a");
  row = ps_csv_next (csv, NULL, NULL);
  g_assert_cmpstr (row->cells[0], ==, "c");
  g_assert_null (ps_csv_next (csv, NULL, NULL));
}

static void
assert_encoding (const char *bytes,
                 gssize      len,
                 const char *expected_rows,
                 const char *charset1,
                 const char *charset2)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCsv) csv = csv_for_bytes (bytes, len, &error);
  g_autofree char *rows = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_equal (ps_csv_get_encoding (csv), charset1) ||
                 (charset2 != NULL && g_str_equal (ps_csv_get_encoding (csv), charset2)));
  rows = dump_rows (csv);
  g_assert_cmpstr (rows, ==, expected_rows);
}

static void
test_windows_1252 (void)
{
  /* é, ü, the euro sign and curly quotes: 0x80 and 0x92 exist only in
   * Windows-1252. */
  assert_encoding ("Name,City,Note\n"
                   "Caf\351 M\374ller,Z\374rich,\223Gr\374\337e\224 \200 5\n"
                   "Zo\353 \305ngstr\366m,Montr\351al,don\222t\n", -1,
                   "1:Name|City|Note\n"
                   "2:Café Müller|Zürich|“Grüße” € 5\n"
                   "3:Zoë Ångström|Montréal|don’t\n",
                   "WINDOWS-1252", NULL);
}

static void
test_latin1 (void)
{
  assert_encoding ("Nome,Cidade\nJos\351 Concei\347\343o,S\343o Paulo\nJo\343o,Bras\355lia\n", -1,
                   "1:Nome|Cidade\n2:José Conceição|São Paulo\n3:João|Brasília\n",
                   "WINDOWS-1252", "ISO-8859-1");
}

static void
test_utf16 (gconstpointer data)
{
  const char *charset = data;
  const char *text = "Name,City\r\nCafé Müller,\"Zürich\nCH\"\r\n";
  g_autofree char *encoded = NULL;
  g_autoptr(GString) bytes = g_string_new (NULL);
  gsize len = 0;

  encoded = g_convert (text, -1, g_str_has_prefix (charset, "bom-") ? charset + 4 : charset,
                       "UTF-8", NULL, &len, NULL);
  g_assert_nonnull (encoded);
  if (g_str_equal (charset, "bom-UTF-16LE"))
    g_string_append_len (bytes, "\377\376", 2);
  else if (g_str_equal (charset, "bom-UTF-16BE"))
    g_string_append_len (bytes, "\376\377", 2);
  g_string_append_len (bytes, encoded, len);

  assert_encoding (bytes->str, bytes->len, "1:Name|City\n2:Café Müller|Zürich\nCH\n",
                   g_str_has_suffix (charset, "LE") ? "UTF-16LE" : "UTF-16BE", NULL);
}

static void
test_invalid_utf8 (void)
{
  /* A stray Latin-1 byte deep in a UTF-8 file (after the sniffing
   * window) becomes U+FFFD instead of stopping the import. */
  g_autoptr(GString) data = g_string_new ("id,name\n");
  g_autofree char *rows = NULL;
  g_autoptr(PsCsv) csv = NULL;
  const PsCsvRow *row;
  guint n = 0;

  while (data->len < PS_CSV_CHUNK_SIZE + 1000)
    g_string_append_printf (data, "%u,Müller\n", n++);
  g_string_append (data, "last,M\374ller\n");

  csv = csv_for_string (data->str);
  g_assert_cmpstr (ps_csv_get_encoding (csv), ==, "UTF-8");
  while ((row = ps_csv_next (csv, NULL, NULL)) != NULL)
    {
      if (g_str_equal (row->cells[0], "last"))
        g_assert_cmpstr (row->cells[1], ==, "M\357\277\275ller");
      else if (!g_str_equal (row->cells[0], "id"))
        g_assert_cmpstr (row->cells[1], ==, "Müller");
      g_assert_true (g_utf8_validate (row->cells[1], -1, NULL));
    }
}

static void
test_split_sequence (void)
{
  /* "é" straddles the end of the first 64 KiB read. */
  g_autoptr(GString) data = g_string_new ("a,b\n");
  g_autoptr(PsCsv) csv = NULL;
  const PsCsvRow *row;
  gboolean seen = FALSE;

  g_string_append_c (data, '"');
  while (data->len < PS_CSV_CHUNK_SIZE - 1)
    g_string_append_c (data, 'x');
  g_string_append (data, "é\",2\n");

  csv = csv_for_string (data->str);
  while ((row = ps_csv_next (csv, NULL, NULL)) != NULL)
    {
      if (g_str_has_suffix (row->cells[0], "xé"))
        seen = TRUE;
    }
  g_assert_true (seen);
}

static void
assert_csv_error (const char *data,
                  gssize      len,
                  int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCsv) csv = csv_for_bytes (data, len, &error);

  g_assert_error (error, PS_IMPORT_ERROR, code);
  g_assert_null (csv);
}

static void
test_binary (void)
{
  static const char nul[] = "Name,Email\n\0\001\002\003binary\0\0\377";
  static const char xlsx[] = "PK\003\004\024\000\006\000\010\000\000\000!\000";
  static const char pdf[] = "%PDF-1.7\n%\342\343\317\323\n1 0 obj";
  static const char png[] = "\211PNG\r\n\032\n\000\000\000\rIHDR";
  static const char xls[] = "\320\317\021\340\241\261\032\341\000\000";

  assert_csv_error (nul, sizeof nul - 1, PS_IMPORT_ERROR_BINARY);
  assert_csv_error (xlsx, sizeof xlsx - 1, PS_IMPORT_ERROR_BINARY);
  assert_csv_error (pdf, sizeof pdf - 1, PS_IMPORT_ERROR_BINARY);
  assert_csv_error (png, sizeof png - 1, PS_IMPORT_ERROR_BINARY);
  assert_csv_error (xls, sizeof xls - 1, PS_IMPORT_ERROR_BINARY);
}

static void
test_binary_is_fast (void)
{
  /* A huge binary file is refused from its first bytes. */
  g_autofree char *data = g_malloc0 (32 * 1024 * 1024);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCsv) csv = NULL;

  memcpy (data, "PK\003\004", 4);
  stream = g_memory_input_stream_new_from_data (data, 32 * 1024 * 1024, NULL);
  csv = ps_csv_new (stream, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BINARY);
  g_assert_cmpint (g_seekable_tell (G_SEEKABLE (stream)), <=, PS_CSV_CHUNK_SIZE);
}

static void
test_empty (void)
{
  assert_csv_error ("", 0, PS_IMPORT_ERROR_EMPTY);
}

static PsImportReader *
reader_for_string (const char  *data,
                   GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;
  gsize len = strlen (data);

  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, len), len, g_free);

  return _ps_import_reader_new_for_stream (stream, len, PS_IMPORT_FORMAT_AUTO, NULL, NULL, error);
}

static void
test_reader_errors (void)
{
  static const char shopify_header[] =
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Currency,Total,"
    "Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  reader = reader_for_string ("", &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY);
  g_assert_null (reader);
  g_clear_error (&error);

  reader = reader_for_string ("\n\r\n   \n\n", &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY);
  g_assert_null (reader);
  g_clear_error (&error);

  reader = reader_for_string (shopify_header, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_HEADER_ONLY);
  g_assert_null (reader);
  g_clear_error (&error);

  /* Blank lines after the header are still "no data". */
  reader = reader_for_string ("Order,Customer,Email\n\n,,\n", &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_HEADER_ONLY);
  g_assert_null (reader);
  g_clear_error (&error);
}

/* A file of @size bytes or more, written to a temporary directory, in
 * which every 50th row has a quoted newline. Returns the number of rows. */
static guint
write_big_file (const char *path,
                gsize       size)
{
  g_autoptr(GString) data = g_string_new ("Order,Customer,Note,Qty\n");
  g_autoptr(GError) error = NULL;
  guint n = 0;

  while (data->len < size)
    {
      if (n % 50 == 0)
        g_string_append_printf (data, "%u,\"Customer %u\",\"two\nlines\",%u\n", n, n, n % 7);
      else
        g_string_append_printf (data, "%u,Customer %u,plain,%u\n", n, n, n % 7);
      n++;
    }

  g_file_set_contents (path, data->str, data->len, &error);
  g_assert_no_error (error);

  return n;
}

static void
test_big_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "big.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PsCsv) csv = NULL;
  g_autoptr(GError) error = NULL;
  const PsCsvRow *row;
  guint n_rows;
  guint expected_line = 2;
  guint n = 0;
  goffset middle_position = -1;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  n_rows = write_big_file (path, 5 * 1024 * 1024);

  stream = G_INPUT_STREAM (g_file_read (file, NULL, &error));
  g_assert_no_error (error);
  csv = ps_csv_new (stream, NULL, &error);
  g_assert_no_error (error);

  row = ps_csv_next (csv, NULL, &error);
  g_assert_cmpstr (row->cells[0], ==, "Order");

  while ((row = ps_csv_next (csv, NULL, &error)) != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%u", n);

      g_assert_cmpuint (row->n_cells, ==, 4);
      g_assert_cmpstr (row->cells[0], ==, number);
      g_assert_cmpuint (row->line, ==, expected_line);
      expected_line += n % 50 == 0 ? 2 : 1;
      if (n == n_rows / 2)
        middle_position = g_seekable_tell (G_SEEKABLE (stream));
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_rows);

  /* Halfway through, the reader had read about half of the file, not
   * all of it. */
  g_assert_cmpint (middle_position, >, 0);
  g_assert_cmpint (middle_position, <, 3 * 1024 * 1024);
}

static void
test_unterminated_quote (void)
{
  /* A quote that never closes swallows the rest of the file into one
   * cell; nothing crashes and the earlier rows are intact. */
  g_autofree char *rows = dump_string ("a,b\n1,\"open\n2,3\n");

  g_assert_cmpstr (rows, ==, "1:a|b\n2:1|open\n2,3\n\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/importers/csv/quoted-newlines", test_quoted_newlines);
  g_test_add_func ("/importers/csv/doubled-quotes", test_doubled_quotes);
  g_test_add_func ("/importers/csv/crlf", test_crlf);
  g_test_add_func ("/importers/csv/blank-rows", test_blank_rows);
  g_test_add_func ("/importers/csv/bom", test_bom);
  g_test_add_func ("/importers/csv/double-bom", test_double_bom);
  g_test_add_func ("/importers/csv/delimiter/semicolon", test_semicolon);
  g_test_add_func ("/importers/csv/delimiter/tab", test_tab);
  g_test_add_func ("/importers/csv/delimiter/sep-line", test_sep_line);
  g_test_add_func ("/importers/csv/preamble-and-footer", test_preamble_and_footer);
  g_test_add_func ("/importers/csv/unread", test_unread);
  g_test_add_func ("/importers/csv/encoding/windows-1252", test_windows_1252);
  g_test_add_func ("/importers/csv/encoding/latin-1", test_latin1);
  g_test_add_data_func ("/importers/csv/encoding/utf-16le-bom", "bom-UTF-16LE", test_utf16);
  g_test_add_data_func ("/importers/csv/encoding/utf-16be-bom", "bom-UTF-16BE", test_utf16);
  g_test_add_data_func ("/importers/csv/encoding/utf-16le", "UTF-16LE", test_utf16);
  g_test_add_func ("/importers/csv/encoding/invalid-utf-8", test_invalid_utf8);
  g_test_add_func ("/importers/csv/encoding/split-sequence", test_split_sequence);
  g_test_add_func ("/importers/csv/binary", test_binary);
  g_test_add_func ("/importers/csv/binary-is-fast", test_binary_is_fast);
  g_test_add_func ("/importers/csv/empty", test_empty);
  g_test_add_func ("/importers/csv/reader-errors", test_reader_errors);
  g_test_add_func ("/importers/csv/big-file", test_big_file);
  g_test_add_func ("/importers/csv/unterminated-quote", test_unterminated_quote);

  return g_test_run ();
}
