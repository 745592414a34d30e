/* ps-automations-page.h: rules, their activity log and the outbox
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-automation-service.h"
#include "ps-context.h"
#include "ps-outbox-service.h"

G_BEGIN_DECLS

#define PS_TYPE_AUTOMATIONS_PAGE (ps_automations_page_get_type ())

G_DECLARE_FINAL_TYPE (PsAutomationsPage, ps_automations_page, PS, AUTOMATIONS_PAGE, AdwBin)

GtkWidget *ps_automations_page_new          (void);
void       ps_automations_page_set_services (PsAutomationsPage   *self,
                                             PsContext           *context,
                                             PsAutomationService *automation,
                                             PsOutboxService     *outbox);
void       ps_automations_page_reload       (PsAutomationsPage   *self);
gboolean   ps_automations_page_get_loading  (PsAutomationsPage   *self);
void       ps_automations_page_set_view     (PsAutomationsPage   *self,
                                             const char          *name);

G_END_DECLS
