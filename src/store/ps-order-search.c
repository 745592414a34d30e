/* ps-order-search.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The full-text index of orders (sql/0003-search.sql) and everything that
 * reads or writes it.
 *
 * Indexing is never inline with the writes that change orders: an import
 * of a million lines must stay as fast as a bare `sqlite3 .import`, and
 * FTS5 would double its time. Instead the index knows what it lacks: new
 * orders are those above the watermark (meta 'search_indexed_to'), and
 * PsOrderWriter lists indexed orders whose text changed in search_dirty.
 * The catch-up indexes them in small transactions on the worker
 * (PsOrderSearch runs it in the background, one chunk per job, so other
 * jobs interleave), and every search first finishes it, so a search never
 * misses an order, only waits for the index when it is behind.
 *
 * Typed text never becomes FTS5 syntax: each whitespace-separated word is
 * one quoted phrase (its quotes doubled) with a prefix star, and the
 * phrases are ANDed. The phrase is bound, never pasted into SQL.
 *
 * A search is combined with a condition and a sort in one statement. Two
 * shapes, chosen by how many orders the text finds (measured on 1M demo
 * orders, tests/bench/orders.sh):
 *
 *  - few: `o.id IN (SELECT rowid FROM order_search WHERE … MATCH ?)`.
 *    SQLite reads the matches, looks each order up and sorts them: 1 to
 *    2 µs per match, nothing for an order or tracking number.
 *  - many: the matching ids are read once into a bitset and the statement
 *    walks the sort's index, keeping the orders whose bit is set
 *    (ps_order_search_has (?, o.id), the set bound as a pointer), so the
 *    first page stops after 256 matches. An IN list of half a million ids
 *    costs ~400 ms to sort or ~150 ms to build as a b-tree; the bitset,
 *    125 KB per million ids, costs what reading the matches costs.
 */

#define G_LOG_DOMAIN "ps-order-search"

#include "config.h"

#include <string.h>

#include "ps-database-private.h"
#include "ps-order-search-private.h"

/* Must create the same table as sql/0003-search.sql (see there why). */
#define SEARCH_TABLE_SQL \
  "CREATE VIRTUAL TABLE order_search USING fts5 (" \
  " number, customer, items, tracking," \
  " tokenize = 'unicode61 remove_diacritics 2', prefix = '1', columnsize = 0)"

#define INDEXED_TO_KEY "search_indexed_to"

/* One order's searchable text, in the columns of order_search. */
#define INSERT_ROWS_SQL \
  "INSERT INTO order_search (rowid, number, customer, items, tracking)" \
  " SELECT o.id, o.order_number," \
  "  coalesce (o.customer_name, '') || ' ' || coalesce (o.customer_email, '')," \
  "  (SELECT group_concat (coalesce (li.sku, '') || ' ' || li.name || ' '" \
  "                        || coalesce (li.variant, ''), ' ')" \
  "   FROM line_items li WHERE li.order_id = o.id)," \
  "  (SELECT group_concat (s.tracking_number, ' ') FROM shipments s" \
  "   WHERE s.order_id = o.id AND s.tracking_number IS NOT NULL)" \
  " FROM orders o"

/* A search first catches up in chunks this big, checking for
 * cancellation (the merchant typed on) between them. */
#define SEARCH_CATCH_UP_CHUNK 20000

/* Above these many matches a search walks the sort's index with the
 * bitset instead of sorting the matches (see the top of the file): for
 * the first page, where the walk stops early, and for a whole list,
 * where it does not. */
#define LIST_MAX_FIRST_PAGE 5000
#define LIST_MAX_ALL        60000

/* Tests lower them to reach both shapes with a small database. */
static gint64 list_max_first_page = LIST_MAX_FIRST_PAGE;
static gint64 list_max_all = LIST_MAX_ALL;

#define MATCH_POINTER_TYPE "PsSearchMatch"
#define HAS_FUNCTION "ps_order_search_has"

struct _PsSearchMatch
{
  char    *query;         /* the FTS5 expression */
  guint64 *bits;          /* bit id is set for each matching rowid */
  gsize    n_words;
  gint64   n_rows;
};

struct _PsOrderSearch
{
  GObject       parent_instance;

  PsDatabase   *database;
  GPtrArray    *waiting;        /* GTasks completed when the run ends */
  GCancellable *cancellable;    /* the run's; cancelled on dispose */
  gboolean      running;
  gboolean      pending;
};

G_DEFINE_FINAL_TYPE (PsOrderSearch, ps_order_search, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Typed text */

/**
 * ps_order_search_text_is_blank:
 * @text: (nullable): what the merchant typed
 *
 * Returns: %TRUE if @text is %NULL, empty or only white space: no search
 */
gboolean
ps_order_search_text_is_blank (const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return TRUE;
  valid = g_utf8_make_valid (text, -1);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/**
 * ps_order_search_build_query:
 * @text: (nullable): what the merchant typed
 *
 * Turns typed text into an FTS5 query: every whitespace-separated word
 * becomes a quoted phrase with a prefix star (`"word"*`, a quote inside
 * doubled), and the phrases are ANDed. No input is FTS5 syntax:
 * `NEAR`, `-`, `:`, `^`, `(` and `*` are searched as text (punctuation
 * separates tokens, so it only splits a word into a phrase). Invalid
 * UTF-8 is replaced first.
 *
 * Returns: (transfer full) (nullable): the query, or %NULL when @text is
 *   blank (no search)
 */
char *
ps_order_search_build_query (const char *text)
{
  g_autofree char *valid = NULL;
  GString *query;
  const char *p;

  if (ps_order_search_text_is_blank (text))
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  query = g_string_new (NULL);
  p = valid;
  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (*p == '\0')
        break;

      start = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);

      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_c (query, '"');
      for (const char *c = start; c < p; c++)
        {
          if (*c == '"')
            g_string_append_c (query, '"');
          g_string_append_c (query, *c);
        }
      g_string_append (query, "\"*");
    }

  return g_string_free (query, FALSE);
}

/* The watermark and the dirty list */

/**
 * _ps_order_search_get_indexed_to:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: the highest order id the index has taken in (orders above it
 *   are new to it), or -1 with @error set
 */
gint64
_ps_order_search_get_indexed_to (PsDatabase  *database,
                                 GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 value = 0;
  int rc;

  stmt = _ps_database_prepare (database,
                               "SELECT CAST (value AS INTEGER) FROM meta WHERE key = '"
                               INDEXED_TO_KEY "'", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read the search watermark");
      value = -1;
    }
  sqlite3_reset (stmt);
  return value;
}

static gboolean
set_indexed_to (PsDatabase  *database,
                gint64       id,
                GError     **error)
{
  char value[32];

  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, id);
  return ps_database_set_meta (database, INDEXED_TO_KEY, value, error);
}

/**
 * _ps_order_search_mark_dirty:
 * @database: a #PsDatabase
 * @order_id: an order the index holds (id up to the watermark)
 * @error: return location for an error
 *
 * Queues @order_id for re-indexing: its searchable text changed. Worker
 * thread only, inside the writer's transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
_ps_order_search_mark_dirty (PsDatabase  *database,
                             gint64       order_id,
                             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database,
                               "INSERT OR IGNORE INTO search_dirty (order_id) VALUES (?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return _ps_database_step_done (database, stmt, error);
}

/**
 * _ps_order_search_reset:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Empties the index (when every order is deleted). Dropping and creating
 * the table takes ~2 s for a million orders where deleting its rows takes
 * ~8 s. Worker thread only, inside the caller's transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
_ps_order_search_reset (PsDatabase  *database,
                        GError     **error)
{
  return _ps_database_exec (database,
                            "DROP TABLE IF EXISTS order_search;"
                            SEARCH_TABLE_SQL ";"
                            "DELETE FROM search_dirty;",
                            error)
         && set_indexed_to (database, 0, error);
}

/* Catch-up */

/* Whether anything waits for the index: a dirty order or an order above
 * the watermark. Two index probes. */
static int
has_pending (PsDatabase  *database,
             gint64       indexed_to,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
                               "SELECT EXISTS (SELECT 1 FROM search_dirty)"
                               " OR EXISTS (SELECT 1 FROM orders WHERE id > ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, indexed_to);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _ps_database_set_error (database, error, rc, "look for orders to index");
      sqlite3_reset (stmt);
      return -1;
    }
  rc = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return rc != 0;
}

/* Re-indexes up to @max dirty orders; returns how many were taken, -1 on
 * error. Dirty ids above the watermark are only dropped from the list:
 * the watermark brings them in. */
static gint64
index_dirty (PsDatabase  *database,
             gint64       indexed_to,
             gint64       max,
             GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
                               "SELECT order_id FROM search_dirty ORDER BY order_id LIMIT ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read the orders to re-index");
      return -1;
    }
  if (ids->len == 0)
    return 0;

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      stmt = _ps_database_prepare (database, "DELETE FROM order_search WHERE rowid = ?", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!_ps_database_step_done (database, stmt, error))
        return -1;

      if (id > indexed_to)
        continue;
      /* An order deleted meanwhile inserts nothing. */
      stmt = _ps_database_prepare (database, INSERT_ROWS_SQL " WHERE o.id = ?", error);
      if (stmt == NULL)
        return -1;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!_ps_database_step_done (database, stmt, error))
        return -1;
    }

  stmt = _ps_database_prepare (database, "DELETE FROM search_dirty WHERE order_id <= ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, ids->len - 1));
  if (!_ps_database_step_done (database, stmt, error))
    return -1;
  return ids->len;
}

/* Indexes up to @max orders above the watermark and moves it; returns how
 * many, -1 on error. One INSERT … SELECT over an id range. */
static gint64
index_new (PsDatabase  *database,
           gint64      *indexed_to,
           gint64       max,
           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 last = 0, n = 0;
  int rc;

  stmt = _ps_database_prepare (database,
                               "SELECT max (id), count (*) FROM"
                               " (SELECT id FROM orders WHERE id > ? ORDER BY id LIMIT ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, *indexed_to);
  sqlite3_bind_int64 (stmt, 2, max);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      last = sqlite3_column_int64 (stmt, 0);
      n = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      _ps_database_set_error (database, error, rc, "find the orders to index");
      return -1;
    }
  if (n == 0)
    return 0;

  stmt = _ps_database_prepare (database, INSERT_ROWS_SQL " WHERE o.id > ? AND o.id <= ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, *indexed_to);
  sqlite3_bind_int64 (stmt, 2, last);
  if (!_ps_database_step_done (database, stmt, error) ||
      !set_indexed_to (database, last, error))
    return -1;

  *indexed_to = last;
  return n;
}

/**
 * ps_order_search_catch_up_sync:
 * @database: a #PsDatabase
 * @max_orders: the most orders to index, 0 for all that are pending
 * @done: (out) (optional): set to %TRUE when nothing is left to index
 * @error: return location for an error
 *
 * Indexes orders the search index lacks or holds outdated: first the
 * orders PsOrderWriter marked as changed, then new orders, oldest first,
 * at most @max_orders in all, in one transaction (a savepoint inside the
 * caller's transaction when there is one). When nothing is pending it
 * only reads two index entries and writes nothing.
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success; on error nothing was written
 */
gboolean
ps_order_search_catch_up_sync (PsDatabase  *database,
                               guint        max_orders,
                               gboolean    *done,
                               GError     **error)
{
  gint64 indexed_to, remaining, n;
  gboolean nested;
  int pending;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);

  if (done != NULL)
    *done = FALSE;

  indexed_to = _ps_order_search_get_indexed_to (database, error);
  if (indexed_to < 0)
    return FALSE;
  pending = has_pending (database, indexed_to, error);
  if (pending < 0)
    return FALSE;
  if (!pending)
    {
      if (done != NULL)
        *done = TRUE;
      return TRUE;
    }

  nested = !sqlite3_get_autocommit (_ps_database_get_handle (database));
  if (nested ? !_ps_database_exec (database, "SAVEPOINT order_search_catch_up", error)
             : !ps_database_begin (database, error))
    return FALSE;

  /* Another connection may have moved it before the lock was taken. */
  remaining = max_orders > 0 ? (gint64) max_orders : G_MAXINT64;
  if ((indexed_to = _ps_order_search_get_indexed_to (database, error)) < 0 ||
      (n = index_dirty (database, indexed_to, remaining, error)) < 0)
    goto fail;
  remaining -= n;
  if (remaining > 0 && index_new (database, &indexed_to, remaining, error) < 0)
    goto fail;
  if ((pending = has_pending (database, indexed_to, error)) < 0)
    goto fail;

  if (nested ? !_ps_database_exec (database, "RELEASE order_search_catch_up", error)
             : !ps_database_commit (database, error))
    goto fail;

  if (done != NULL)
    *done = !pending;
  return TRUE;

fail:
  if (nested)
    _ps_database_exec (database,
                       "ROLLBACK TO order_search_catch_up; RELEASE order_search_catch_up", NULL);
  else
    ps_database_rollback (database);
  return FALSE;
}

/**
 * ps_order_search_count_pending_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: how many orders wait to be indexed or re-indexed, -1 on error
 */
gint64
ps_order_search_count_pending_sync (PsDatabase  *database,
                                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 indexed_to, count = -1;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), -1);

  indexed_to = _ps_order_search_get_indexed_to (database, error);
  if (indexed_to < 0)
    return -1;
  stmt = _ps_database_prepare (database,
                               "SELECT (SELECT count (*) FROM orders WHERE id > ?1)"
                               " + (SELECT count (*) FROM search_dirty WHERE order_id <= ?1)",
                               error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, indexed_to);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _ps_database_set_error (database, error, rc, "count the orders to index");
  sqlite3_reset (stmt);
  return count;
}

/* Matches */

static void
has_function (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  PsSearchMatch *match = sqlite3_value_pointer (argv[0], MATCH_POINTER_TYPE);
  sqlite3_int64 id = sqlite3_value_int64 (argv[1]);
  gboolean has = FALSE;

  if (match != NULL && id >= 0 && (guint64) id / 64 < match->n_words)
    has = (match->bits[id / 64] >> (id % 64)) & 1;
  sqlite3_result_int (context, has);
}

/* The function lives on the connection: registered once per database
 * (re-registering would expire every cached statement). */
static gboolean
ensure_has_function (PsDatabase  *database,
                     GError     **error)
{
  int rc;

  if (g_object_get_data (G_OBJECT (database), HAS_FUNCTION) != NULL)
    return TRUE;

  rc = sqlite3_create_function_v2 (_ps_database_get_handle (database), HAS_FUNCTION, 2,
                                   SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, has_function,
                                   NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (database, error, rc, "register " HAS_FUNCTION);
      return FALSE;
    }
  g_object_set_data (G_OBJECT (database), HAS_FUNCTION, GINT_TO_POINTER (TRUE));
  return TRUE;
}

void
_ps_search_match_free (PsSearchMatch *self)
{
  if (self == NULL)
    return;
  g_free (self->query);
  g_free (self->bits);
  g_free (self);
}

/**
 * _ps_search_match_new_sync:
 * @database: a #PsDatabase
 * @text: what the merchant typed; not blank
 * @cancellable: (nullable): checked between catch-up chunks
 * @error: return location for an error
 *
 * Finishes the catch-up (so no order is missing), then reads the ids of
 * the orders @text finds. Worker thread only.
 *
 * Returns: (transfer full) (nullable): the match
 */
PsSearchMatch *
_ps_search_match_new_sync (PsDatabase    *database,
                           const char    *text,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(PsSearchMatch) self = NULL;
  gsize allocated = 0;
  sqlite3_stmt *stmt;
  gboolean done = FALSE;
  int rc;

  g_return_val_if_fail (!ps_order_search_text_is_blank (text), NULL);

  while (!done)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !ps_order_search_catch_up_sync (database, SEARCH_CATCH_UP_CHUNK, &done, error))
        return NULL;
    }
  if (!ensure_has_function (database, error))
    return NULL;

  self = g_new0 (PsSearchMatch, 1);
  self->query = ps_order_search_build_query (text);

  stmt = _ps_database_prepare (database,
                               "SELECT rowid FROM order_search WHERE order_search MATCH ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, self->query, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gsize word = (gsize) id / 64;

      if (id < 0)
        continue;
      if (word >= allocated)
        {
          gsize grown = MAX (word + 1, allocated * 2);

          self->bits = g_renew (guint64, self->bits, grown);
          memset (self->bits + allocated, 0, (grown - allocated) * sizeof (guint64));
          allocated = grown;
        }
      self->bits[word] |= G_GUINT64_CONSTANT (1) << (id % 64);
      self->n_words = MAX (self->n_words, word + 1);
      self->n_rows++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "search orders");
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * _ps_search_match_get_n_rows:
 * @self: a #PsSearchMatch
 *
 * Returns: how many index rows matched (every one is an order)
 */
gint64
_ps_search_match_get_n_rows (PsSearchMatch *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->n_rows;
}

static gboolean
use_list (PsSearchMatch *self,
          guint          limit)
{
  return self->n_rows <= (limit > 0 ? list_max_first_page : list_max_all);
}

/**
 * _ps_search_match_set_list_max:
 * @first_page: the most matches a query with a LIMIT sorts; -1 for the
 *   default
 * @all: the most matches a query without a LIMIT sorts; -1 for the default
 *
 * For tests: above these, the match is a bitset walked in the sort's
 * order. Not thread-safe; call it before any query runs.
 */
void
_ps_search_match_set_list_max (gint64 first_page,
                               gint64 all)
{
  list_max_first_page = first_page >= 0 ? first_page : LIST_MAX_FIRST_PAGE;
  list_max_all = all >= 0 ? all : LIST_MAX_ALL;
}

/**
 * _ps_search_match_get_where:
 * @self: a #PsSearchMatch
 * @limit: the LIMIT of the statement it goes into, 0 for none
 *
 * Returns: (transfer none): an expression over the orders table aliased
 *   `o` that is true for the matching orders, with one `?`; bind it with
 *   _ps_search_match_bind() and the same @limit
 */
const char *
_ps_search_match_get_where (PsSearchMatch *self,
                            guint          limit)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (use_list (self, limit))
    return "o.id IN (SELECT rowid FROM order_search WHERE order_search MATCH ?)";
  return HAS_FUNCTION " (?, o.id)";
}

/**
 * _ps_search_match_bind:
 * @self: a #PsSearchMatch; it must outlive the statement's steps
 * @limit: as given to _ps_search_match_get_where()
 * @stmt: the statement
 * @index: the index of the expression's `?`
 *
 * Returns: SQLITE_OK or the error of sqlite3_bind_*()
 */
int
_ps_search_match_bind (PsSearchMatch *self,
                       guint          limit,
                       sqlite3_stmt  *stmt,
                       int            index)
{
  g_return_val_if_fail (self != NULL, SQLITE_MISUSE);

  if (use_list (self, limit))
    return sqlite3_bind_text (stmt, index, self->query, -1, SQLITE_STATIC);
  return sqlite3_bind_pointer (stmt, index, self, MATCH_POINTER_TYPE, NULL);
}

/* The background catch-up */

static void catch_up_chunk_cb (GObject      *object,
                               GAsyncResult *result,
                               gpointer      user_data);

static gpointer
catch_up_chunk_job (PsDatabase    *database,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gboolean done = FALSE;

  if (!ps_order_search_catch_up_sync (database, PS_ORDER_SEARCH_CHUNK, &done, error))
    return NULL;
  return GINT_TO_POINTER (done ? 2 : 1);
}

static void
set_pending (PsOrderSearch *self,
             gboolean       pending)
{
  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

/* Completes the waiting tasks: all of them with @error, or without an
 * error those whose cancellable fired. Returns whether any still wait. */
static gboolean
complete_waiting (PsOrderSearch *self,
                  const GError  *error,
                  gboolean       finished)
{
  for (guint i = self->waiting->len; i > 0; i--)
    {
      GTask *task = g_ptr_array_index (self->waiting, i - 1);
      g_autoptr(GTask) owned = NULL;

      if (error != NULL)
        {
          owned = g_ptr_array_steal_index (self->waiting, i - 1);
          g_task_return_error (owned, g_error_copy (error));
        }
      else if (finished)
        {
          owned = g_ptr_array_steal_index (self->waiting, i - 1);
          g_task_return_boolean (owned, TRUE);
        }
      else if (g_task_return_error_if_cancelled (task))
        owned = g_ptr_array_steal_index (self->waiting, i - 1);
    }
  return self->waiting->len > 0;
}

static void
queue_chunk (PsOrderSearch *self)
{
  ps_database_run_async (self->database, catch_up_chunk_job, NULL, NULL, NULL,
                         self->cancellable, catch_up_chunk_cb, g_object_ref (self));
}

static void
catch_up_chunk_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsOrderSearch) self = user_data;
  g_autoptr(GError) error = NULL;
  gpointer outcome;

  outcome = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (outcome == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not index orders for search: %s", error->message);
      self->running = FALSE;
      complete_waiting (self, error, FALSE);
      return;
    }

  if (GPOINTER_TO_INT (outcome) == 2)
    {
      self->running = FALSE;
      set_pending (self, FALSE);
      complete_waiting (self, NULL, TRUE);
      return;
    }

  set_pending (self, TRUE);
  if (!complete_waiting (self, NULL, FALSE))
    {
      /* Everyone who asked gave up; the next search or catch-up goes on. */
      self->running = FALSE;
      return;
    }
  /* Re-queued behind whatever was asked meanwhile: a search typed now
   * waits for one chunk, not for the whole backlog. */
  queue_chunk (self);
}

/* GObject overrides */

static void
ps_order_search_dispose (GObject *object)
{
  PsOrderSearch *self = (PsOrderSearch *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_order_search_parent_class)->dispose (object);
}

static void
ps_order_search_finalize (GObject *object)
{
  PsOrderSearch *self = (PsOrderSearch *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (ps_order_search_parent_class)->finalize (object);
}

static void
ps_order_search_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PsOrderSearch *self = PS_ORDER_SEARCH (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, self->pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_search_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PsOrderSearch *self = PS_ORDER_SEARCH (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_search_class_init (PsOrderSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_order_search_dispose;
  object_class->finalize = ps_order_search_finalize;
  object_class->get_property = ps_order_search_get_property;
  object_class->set_property = ps_order_search_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, PS_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PsOrderSearch:pending:
   *
   * %TRUE while a catch-up found orders still to index and is indexing
   * them ("Indexing for search…"); %FALSE once it finished, and before
   * the first catch-up reported. A search still finds every order
   * meanwhile: it finishes the catch-up first, so it takes longer.
   */
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_order_search_init (PsOrderSearch *self)
{
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * ps_order_search_new:
 * @database: an open #PsDatabase
 *
 * Returns: (transfer full): the search index's background catch-up
 */
PsOrderSearch *
ps_order_search_new (PsDatabase *database)
{
  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  return g_object_new (PS_TYPE_ORDER_SEARCH, "database", database, NULL);
}

PsDatabase *
ps_order_search_get_database (PsOrderSearch *self)
{
  g_return_val_if_fail (PS_IS_ORDER_SEARCH (self), NULL);
  return self->database;
}

gboolean
ps_order_search_get_pending (PsOrderSearch *self)
{
  g_return_val_if_fail (PS_IS_ORDER_SEARCH (self), FALSE);
  return self->pending;
}

/**
 * ps_order_search_catch_up_async:
 * @self: a #PsOrderSearch
 * @cancellable: (nullable): a #GCancellable; cancelling it completes this
 *   call at the end of the current chunk, and the catch-up stops when no
 *   caller waits for it any more
 * @callback: called when nothing is left to index
 * @user_data: data for @callback
 *
 * Indexes every pending order in the background, PS_ORDER_SEARCH_CHUNK
 * orders per database job, each job queued after the previous one ended,
 * so the app's queries interleave. A call while a catch-up runs joins it.
 * #PsOrderSearch:pending tells the UI whether orders still wait.
 */
void
ps_order_search_catch_up_async (PsOrderSearch       *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PS_IS_ORDER_SEARCH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_order_search_catch_up_async);
  g_ptr_array_add (self->waiting, task);

  if (self->running)
    return;
  self->running = TRUE;
  queue_chunk (self);
}

/**
 * ps_order_search_catch_up_finish:
 * @self: a #PsOrderSearch
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE when the index is complete
 */
gboolean
ps_order_search_catch_up_finish (PsOrderSearch  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (PS_IS_ORDER_SEARCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_order_search_catch_up_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
