/* ps-import-mapping-private.h: what the reader needs from a mapping
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-import-mapping.h"

G_BEGIN_DECLS

guint       _ps_import_mapping_get_n_columns (const PsImportMapping *self);
const char *_ps_import_mapping_get_column    (const PsImportMapping *self,
                                              guint                  index,
                                              PsImportField         *field);
/* The unit a bare number in a weight column is in, from its header text
 * ("Weight (lb)" -> "lb"); "g" if it says none. */
const char *_ps_import_weight_unit_for_header (const char           *normalized);

G_END_DECLS
