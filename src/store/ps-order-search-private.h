/* ps-order-search-private.h: search matches as SQL, for store/ only
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Never include this outside src/store/ and its tests and benchmarks.
 */

#pragma once

#include <sqlite3.h>

#include "ps-order-search.h"

G_BEGIN_DECLS

/* The orders a typed text finds, read on the worker after the catch-up:
 * a set of ids to combine with a condition and a sort in one statement. */
typedef struct _PsSearchMatch PsSearchMatch;

PsSearchMatch *_ps_search_match_new_sync     (PsDatabase     *database,
                                              const char     *text,
                                              GCancellable   *cancellable,
                                              GError        **error);
void           _ps_search_match_free         (PsSearchMatch  *self);
gint64         _ps_search_match_get_n_rows   (PsSearchMatch  *self);
const char    *_ps_search_match_get_where    (PsSearchMatch  *self,
                                              guint           limit);
int            _ps_search_match_bind         (PsSearchMatch  *self,
                                              guint           limit,
                                              sqlite3_stmt   *stmt,
                                              int             index);
void           _ps_search_match_set_list_max (gint64          first_page,
                                              gint64          all);

/* Writers (PsOrderWriter) keep the index right. */
gint64         _ps_order_search_get_indexed_to (PsDatabase   *database,
                                              GError        **error);
gboolean       _ps_order_search_mark_dirty   (PsDatabase     *database,
                                              gint64          order_id,
                                              GError        **error);
gboolean       _ps_order_search_reset        (PsDatabase     *database,
                                              GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSearchMatch, _ps_search_match_free)

G_END_DECLS
