/* ps-import-dialog.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-context.h"

G_BEGIN_DECLS

#define PS_TYPE_IMPORT_DIALOG (ps_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PsImportDialog, ps_import_dialog, PS, IMPORT_DIALOG, AdwWindow)

PsImportDialog *ps_import_dialog_new (GtkWindow  *parent,
                                      PsContext  *context,
                                      GFile     **files,
                                      guint       n_files);

G_END_DECLS
