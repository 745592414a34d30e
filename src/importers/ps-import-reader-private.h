/* ps-import-reader-private.h: reading from a stream (tests, fuzzing)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-import-reader.h"

G_BEGIN_DECLS

/* As ps_import_reader_new(), on any stream; @size is what
 * ps_import_reader_get_size() reports (-1 if unknown). */
PsImportReader *_ps_import_reader_new_for_stream (GInputStream           *stream,
                                                  goffset                 size,
                                                  PsImportFormat          format,
                                                  const PsImportMapping  *mapping,
                                                  GCancellable           *cancellable,
                                                  GError                **error);

G_END_DECLS
