/* ps-database-private.h: SQL access for store/ only
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never include this outside src/store/ and its tests.
 */

#pragma once

#include <sqlite3.h>

#include "ps-database.h"

G_BEGIN_DECLS

sqlite3      *_ps_database_get_handle (PsDatabase   *self);
sqlite3_stmt *_ps_database_prepare    (PsDatabase   *self,
                                       const char   *sql,
                                       GError      **error);
gboolean      _ps_database_exec       (PsDatabase   *self,
                                       const char   *sql,
                                       GError      **error);
gboolean      _ps_database_step_done  (PsDatabase   *self,
                                       sqlite3_stmt *stmt,
                                       GError      **error);
void          _ps_database_set_error  (PsDatabase   *self,
                                       GError      **error,
                                       int           rc,
                                       const char   *what);

/* Bind helpers: NULL strings bind SQL NULL; times of 0 bind NULL. */
static inline void
_ps_bind_text (sqlite3_stmt *stmt,
               int           idx,
               const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, idx);
}

static inline void
_ps_bind_time (sqlite3_stmt *stmt,
               int           idx,
               gint64        t)
{
  if (t != 0)
    sqlite3_bind_int64 (stmt, idx, t);
  else
    sqlite3_bind_null (stmt, idx);
}

static inline char *
_ps_column_dup (sqlite3_stmt *stmt,
                int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text ? g_strdup ((const char *)text) : NULL;
}

G_END_DECLS
