/* ps-dry-run-dialog.h: what a rule would have done over recent history
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-automation-service.h"
#include "ps-context.h"

G_BEGIN_DECLS

#define PS_TYPE_DRY_RUN_DIALOG (ps_dry_run_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PsDryRunDialog, ps_dry_run_dialog, PS, DRY_RUN_DIALOG, AdwWindow)

PsDryRunDialog *ps_dry_run_dialog_new         (GtkWindow           *parent,
                                               PsContext           *context,
                                               PsAutomationService *automation,
                                               PsRule              *rule);
void            ps_dry_run_dialog_set_days    (PsDryRunDialog      *self,
                                               guint                days);
gboolean        ps_dry_run_dialog_get_loading (PsDryRunDialog      *self);
const PsDryRun *ps_dry_run_dialog_get_result  (PsDryRunDialog      *self);
const char     *ps_dry_run_dialog_get_summary (PsDryRunDialog      *self);

G_END_DECLS
